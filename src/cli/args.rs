//! Command-line pieces shared by the subcommands: the choice of result, the output format, the
//! prover's precision, and the progress bar.

use clap::{Args, ValueEnum};

/// The result `table` works on when none is named.
pub const TABLE_DEFAULT_RESULT: &str = "lemma5";

/// Which result `check` and `table` work on: a built-in result by name, or a proofs file of the
/// user's. The help of RESULT (the built-in names and the default) is written at run time from
/// the proofs files, and so are the flags of the chosen result's parameters.
#[derive(Debug, Args)]
pub struct ResultChoice {
    /// The result (a built-in name)
    #[arg(value_name = "RESULT")]
    pub result: Option<String>,
    /// A proofs file of your own instead of a built-in result (same form as proofs/*.toml)
    #[arg(long, value_name = "FILE")]
    pub proofs: Option<String>,
}

/// A report's two forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// Text for people
    Text,
    /// JSON for programs
    Json,
}

/// How a report is written: `--format text|json`, with `--json` kept as the alias of
/// `--format json`.
#[derive(Debug, Args)]
pub struct ReportFormat {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportKind::Text)]
    pub format: ReportKind,
    /// The same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

impl ReportFormat {
    /// True when the report is to be JSON.
    pub fn is_json(&self) -> bool {
        self.json || self.format == ReportKind::Json
    }
}

/// The working precision of `check` and `table` (a point, or a table's cells).
#[derive(Debug, Args)]
pub struct EvalPrecision {
    /// Working precision in bits (16 to 100000); undecided answers are retried up to 16× higher
    #[arg(long, value_name = "BITS", default_value_t = 256)]
    pub prec: u64,
}

/// The prover's working precision and the digits its reports print (`verify`, `tighten`).
#[derive(Debug, Args)]
pub struct ProverPrecision {
    /// Working precision of the prover, bits (witnesses are re-checked at 4× at least 256)
    #[arg(long, value_name = "BITS", default_value_t = 128)]
    pub prec: u64,
    /// Significant digits of printed values
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: u32,
}

/// A progress bar on standard error when it is a terminal (hidden otherwise, so pipes and
/// files never see one): `len` steps of `unit` ("rows", "trials"); `with_message` adds the
/// item being worked on (the claim's name, say) after the counts.
pub fn progress_bar(len: u64, unit: &str, with_message: bool) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let message = if with_message { "  {msg}" } else { "" };
    b.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:30}} {{human_pos}}/{{human_len}} {unit}  {{elapsed}}<{{eta}}{message}"
        ))
        .expect("a template"),
    );
    b
}
