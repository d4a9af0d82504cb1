//! `sgdbounds tighten`: a certified bracket for the least value of a tunable constant at which
//! claims are still proved.

use crate::error::Result;
use crate::report::tighten::TightenReport;
use crate::verify::tighten::{DEFAULT_STEPS, TightenRequest, tighten_with};
use clap::Args;

/// Bracket the least value of a tunable constant at which the named claims are proved over the
/// box, with a witness at the lower end, and what the theorem's bounds become with it.
///
/// The bracket [a, b]: at b every named claim is proved by the same prover as `verify`; at a
/// some named claim is refuted, with an exact witness re-checked exactly or at high precision.
/// The search tries the paper's value first, then --lo, then bisects: proved → b moves down,
/// refuted → a moves up; a value neither proved nor refuted within the budget is searched again
/// for a counterexample (the falsifier alone, more samples and seeds, from earlier witnesses),
/// then the search bisects the parts of the bracket next to its ends. It stops when
/// b − a ≤ --tolerance × b, after --steps values, or when the values left next to the ends are
/// neither proved nor refuted; the report says which end is certified and lists those values.
///
/// It assumes the claims get easier as the constant grows (as for the 42 of μ), so that the
/// least value lies in (a, b]; no value is reported proved or refuted unless it was. A witness
/// on a face of the box (the smallest eta_frac, say) is flagged: the worst case may then lie
/// beyond the box. Witnesses are re-checked at 4× --prec, at least 1024 bits.
///
/// Examples:
///
///   sgdbounds tighten lemma5 --constant mu_coef --claim lemma5
///
///   sgdbounds tighten lemma5 --constant mu_coef --claim term1_within_third --claim term2_within_third --claim term3_within_third
///
/// Exit code: 0 when the bracket is certified at both ends and within --tolerance, 1 otherwise,
/// 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct TightenArgs {
    /// A built-in result or a proofs file
    pub file: String,
    /// The tunable constant
    #[arg(long, value_name = "NAME")]
    pub constant: String,
    /// The claims that must stay proved (repeatable) [default: every claim of the file]
    #[arg(long, value_name = "NAME")]
    pub claim: Vec<String>,
    /// Lower end of the search [default: the constant's value / 100]
    #[arg(long, value_name = "X")]
    pub lo: Option<String>,
    /// Relative tolerance of the bracket: stop when b − a ≤ X·b (0 < X < 1)
    #[arg(long, value_name = "X", default_value_t = crate::verify::tighten::DEFAULT_TOLERANCE, value_parser = tolerance_arg)]
    pub tolerance: f64,
    /// Values tried at most (the paper's value and --lo included)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_STEPS, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub steps: u32,
    /// Time budget per claim and value, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub budget: f64,
    /// Box budget per claim and value, cells
    #[arg(long, value_name = "N", default_value_t = 200_000)]
    pub max_boxes: usize,
    /// Replace or add a box range: NAME=LO..HI or NAME=LO..HI:log (repeatable)
    #[arg(long = "box", value_name = "NAME=LO..HI")]
    pub boxes: Vec<String>,
    /// Prove over the boxes as written, without reducing them by the file's scalings
    #[arg(long)]
    pub no_scaling: bool,
    #[command(flatten)]
    pub precision: super::args::ProverPrecision,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
}

/// Reads `--tolerance`: a number strictly between 0 and 1.
fn tolerance_arg(s: &str) -> std::result::Result<f64, String> {
    let t: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number; a relative tolerance such as 1e-3"))?;
    crate::verify::tighten::check_tolerance(t)
        .map_err(|_| format!("`{s}` must be a number strictly between 0 and 1, such as 1e-3"))
}

pub fn run(args: TightenArgs) -> Result<super::Outcome> {
    let digits = args.precision.digits as usize;
    let bar = super::args::progress_bar(args.steps as u64, "values", true);
    let t = tighten_with(
        &TightenRequest {
            file: args.file,
            constant: args.constant,
            claims: args.claim,
            lo: args.lo,
            steps: args.steps,
            tolerance: args.tolerance,
            budget: args.budget,
            max_boxes: args.max_boxes,
            boxes: args.boxes,
            prec: args.precision.prec,
            digits,
            scaling: !args.no_scaling,
        },
        &|trial| {
            bar.inc(1);
            bar.set_message(format!(
                "{}: {}",
                crate::report::number::rational(&trial.value),
                crate::report::tighten::verdict_word(trial.verdict)
            ));
        },
    );
    bar.finish_and_clear();
    let t = t?;
    crate::stop::check()?;
    let report = TightenReport::new(&t, digits);
    let code = if report.complete() { 0 } else { 1 };
    Ok(super::Outcome::report(
        code,
        report.text(),
        report.json(),
        args.output.is_json(),
    ))
}
