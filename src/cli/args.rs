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

/// The noise model of `simulate` and `estimate`: `--noise KIND`, and for `finite` its values
/// and weights.
#[derive(Debug, Args)]
pub struct NoiseArgs {
    /// Noise ω: uniform (in the ball of radius s), gaussian (σ = s/2, clipped to s), none
    /// (gradient descent), two-point (±s, 1-D), signs (±s/√d per coordinate, ‖ω‖ = s), finite
    /// (s times a value of --noise-values drawn with --noise-weights, 1-D, mean 0)
    #[arg(
        long,
        value_enum,
        default_value = "uniform",
        hide_possible_values = true
    )]
    pub noise: crate::sim::noise::NoiseKind,
    /// With --noise finite: the values, comma-separated (decimals or fractions, up to 16), e.g.
    /// -2,1
    #[arg(long, value_name = "V1,V2,…", allow_hyphen_values = true)]
    pub noise_values: Option<String>,
    /// With --noise finite: the weight of each value (positive, normalized) [default: equal],
    /// e.g. 1/3,2/3; the mean of the values must be exactly 0
    #[arg(long, value_name = "W1,W2,…")]
    pub noise_weights: Option<String>,
}

impl NoiseArgs {
    /// The model the flags choose (bad input when the values are given without `finite`, or
    /// their mean is not 0).
    pub fn model(&self) -> crate::error::Result<crate::sim::noise::NoiseModel> {
        crate::sim::noise::NoiseModel::new(
            self.noise,
            self.noise_values.as_deref(),
            self.noise_weights.as_deref(),
        )
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
