//! `sgdbounds check`: a result of the paper at one point.

use crate::arith::Truth;
use crate::error::Result;
use crate::limits::check_precision;
use crate::report::{check_report, check_text};
use crate::verify::at_point::{CheckRequest, check_at_point};
use clap::Args;
use std::collections::BTreeMap;

/// Evaluate a result of the paper at one point: hypotheses with both sides, every quantity as a
/// certified enclosure, every claim with its slack.
///
/// With no RESULT, checks Theorem 1 and Lemma 5 (add --eta2/--c2 for Corollary 2). Each
/// parameter is a flag named by its proofs file: `sgdbounds check RESULT --help` (or
/// `--proofs FILE --help`) lists the result's own.
///
/// Numbers are read exactly (0.1, 1e-4, -2.5E+3, 3/7), never through binary floating point.
///
/// Examples:
///
///   sgdbounds check --example
///
///   sgdbounds check --eta 0.01 --L 1 --c 0.5 --r 1 --d0 1 --t2 1e6
///
///   sgdbounds check --example --eta2 0.001 --c2 0.6 --json
///
///   sgdbounds check theorem3 --eta 1 --c-prime 1 --dist2 1 --grad2 4
///
/// Exit code: 0 when every hypothesis and claim holds, 1 when one fails or is undecided,
/// 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    #[command(flatten)]
    pub choice: super::args::ResultChoice,
    /// Any parameter or constant by its name in the proofs file (repeatable), e.g. --set mu_coef=40
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Fill every parameter not given with the example values of the proofs file
    #[arg(long)]
    pub example: bool,
    #[command(flatten)]
    pub precision: super::args::EvalPrecision,
    /// Significant digits printed [default: 8 in text, 20 in JSON]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: Option<u32>,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
    /// Take the statements as the paper prints them (T2 any real > 0, ‖y0 − x*‖² ≥ 0, T1 the
    /// real bound, Azuma two-sided) instead of the repaired reading; the report lists each
    /// difference and shows what breaks
    #[arg(long)]
    pub literal: bool,
    /// Write the verdicts at the point as a certificate to FILE (JSON; `sgdbounds replay FILE`
    /// re-decides each with the independent kernel)
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<std::path::PathBuf>,
    /// The parameters given by their flags (generated from the proofs files), by flag.
    #[arg(skip)]
    pub params: BTreeMap<String, String>,
}

pub fn run(args: CheckArgs) -> Result<super::Outcome> {
    let json = args.output.is_json();
    let checked = check_at_point(&CheckRequest {
        result: args.choice.result,
        proofs: args.choice.proofs,
        flags: args.params,
        sets: args.set,
        example: args.example,
        prec: check_precision(args.precision.prec)?,
        digits: args.digits.unwrap_or(if json { 20 } else { 8 }) as usize,
        literal: args.literal,
    })?;
    if let Some(path) = &args.certificate {
        let cert = crate::verify::certificate::point_certificate(&checked);
        let text = serde_json::to_string(&cert).expect("a certificate serializes");
        std::fs::write(path, text).map_err(|source| crate::error::Error::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    let mut report = check_report(&checked.items(), checked.digits);
    report.literal_reading = checked.literal_reading.clone();
    let code = if checked.verdict() == Truth::True {
        0
    } else {
        1
    };
    let mut outcome =
        super::Outcome::report(code, check_text(&report), super::json_text(&report), json);
    if let Some(path) = &args.certificate {
        outcome
            .notes
            .push(format!("certificate written to {}", path.display()));
    }
    Ok(outcome)
}
