//! Renderers. Nothing here computes; everything that formats output is here.

pub mod check;
pub mod figure;
pub mod number;
pub mod table;
pub mod verify;

pub use check::{CheckReport, check_report, check_text, verdict_word};
