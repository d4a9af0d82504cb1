//! `sgdbounds tighten`: the smallest value of a tunable constant for which claims still prove.

use crate::error::Result;
use crate::report::tighten::TightenReport;
use crate::verify::tighten::{TightenRequest, tighten};
use clap::Args;

/// Find the smallest value of a tunable constant for which the named claims are still proved
/// over the box, and what the theorem's bounds become with it.
///
/// Bisection between --lo and the paper's value: at each value, every claim is proved or not
/// by the same prover as `verify`. The value reported is one at which every claim was proved,
/// so it is certain; the one below it was refuted (then the true threshold lies between) or not
/// proved in the budget. Assumes the claims get easier as the constant grows (as for the 42 of μ).
///
/// Examples:
///
///   sgdbounds tighten lemma5 --constant mu_coef --claim lemma5
///
///   sgdbounds tighten lemma5 --constant mu_coef --claim term1_within_third --claim term2_within_third --claim term3_within_third
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
    /// Bisection steps
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub steps: u32,
    /// Time budget per claim and step, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub budget: f64,
    /// Box budget per claim and step, cells
    #[arg(long, value_name = "N", default_value_t = 200_000)]
    pub max_boxes: usize,
    /// Replace or add a box range: NAME=LO..HI or NAME=LO..HI:log (repeatable)
    #[arg(long = "box", value_name = "NAME=LO..HI")]
    pub boxes: Vec<String>,
    #[command(flatten)]
    pub precision: super::args::ProverPrecision,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
}

pub fn run(args: TightenArgs) -> Result<i32> {
    let digits = args.precision.digits as usize;
    let t = tighten(&TightenRequest {
        file: args.file,
        constant: args.constant,
        claims: args.claim,
        lo: args.lo,
        steps: args.steps,
        budget: args.budget,
        max_boxes: args.max_boxes,
        boxes: args.boxes,
        prec: args.precision.prec,
        digits,
    })?;
    let report = TightenReport::new(&t, digits);
    if args.output.is_json() {
        print!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    Ok(if report.found() { 0 } else { 1 })
}
