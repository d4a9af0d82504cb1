//! Renderers. Nothing here computes; everything that formats output is here.

pub mod check;
pub mod estimate;
pub mod figure;
pub mod number;
pub mod replay;
pub mod simulate;
pub mod table;
pub mod tighten;
pub mod verify;

pub use check::{CheckReport, check_report, check_text, verdict_word};

/// A report as pretty JSON with a final newline (what `--json` prints).
pub fn json_text<T: serde::Serialize>(report: &T) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report serializes");
    s.push('\n');
    s
}
