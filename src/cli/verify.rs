//! `sgdbounds verify`: every claim of the proofs files over boxes of parameters.

use crate::error::Result;
use crate::report::verify::VerifyReport;
use crate::verify::batch::{BatchRequest, Plan};
use clap::Args;

/// Prove or refute every claim of the paper's proofs over boxes of parameters.
///
/// For each claim, over the box of its file's [verify] section (or --box), restricted to the
/// points where the hypotheses it uses hold:
///
///   1. identities between rational expressions are decided exactly (both sides expanded to
///      canonical polynomial quotients; only when too large to expand, by exact evaluation at
///      random points drawn from the operating system, with the probability of a wrong
///      "proved"), and their sides must be shown defined on the box;
///   2. a falsifier samples the box (log-uniformly along log ranges), its corners, the
///      hypotheses' boundaries and around the worst point; a counterexample is re-checked
///      exactly or at 4× precision, shrunk to a short rational point and printed exactly;
///   3. a branch-and-bound prover bisects the box with interval arithmetic, refined by
///      monotonicity and the mean-value form from symbolic derivatives.
///
/// Each claim ends proved (100% of the box), refuted (with the witness) or inconclusive
/// (the share left and why).
///
/// Examples:
///
///   sgdbounds verify
///
///   sgdbounds verify lemma5 --claim B1_step2 --json
///
///   sgdbounds verify theorem1 --box t2=1..1e6:log --budget 5
///
///   sgdbounds verify --certificate proofs.cert.json && sgdbounds replay proofs.cert.json
///
///   sgdbounds verify --shard 2/4 --certificate part-2.json   (then: replay --merge part-*.json)
///
/// Exit code: 0 when every claim asked for is proved, 1 otherwise, 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct VerifyArgs {
    /// Built-in results (theorem1, lemma5, corollary2, theorem3) or proofs files [default: all built-in]
    pub files: Vec<String>,
    /// Replace or add a box range: NAME=LO..HI, or with open ends NAME=(LO, HI], NAME=[LO, HI), NAME=(LO, HI); each optionally followed by :log (repeatable)
    #[arg(long = "box", value_name = "NAME=LO..HI")]
    pub boxes: Vec<String>,
    /// Only these claims (repeatable)
    #[arg(long, value_name = "NAME")]
    pub claim: Vec<String>,
    /// Time budget per claim, seconds (falsifier and prover together)
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub budget: f64,
    /// Box budget per claim, cells
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_boxes: usize,
    /// Falsifier samples per claim
    #[arg(long, value_name = "N", default_value_t = 4000)]
    pub samples: usize,
    /// Seed of the falsifier's samples
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
    /// Seed of the random points of identity tests too large to decide exactly, to replay a
    /// run (the JSON reports the seed used) [default: drawn from the operating system]
    #[arg(long, value_name = "N")]
    pub identity_seed: Option<u64>,
    /// Prove over the boxes as written, without reducing them by the files' scalings (a
    /// claim proved invariant under a scaling is otherwise proved with one coordinate at 1)
    #[arg(long)]
    pub no_scaling: bool,
    /// Write the certificate of every proved claim to FILE (JSON; `sgdbounds replay FILE`
    /// re-checks it with the independent kernel)
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<std::path::PathBuf>,
    /// Prove only part K of N of each claim's domain (1 ≤ K ≤ N ≤ 4096), for a cluster job
    /// array: each bounded piece is cut into N slabs along its first coordinate, and shard K
    /// proves slab K; `replay --merge` checks that the shards' certificates cover the domain
    #[arg(long, value_name = "K/N", value_parser = crate::verify::shard::Shard::parse)]
    pub shard: Option<crate::verify::shard::Shard>,
    #[command(flatten)]
    pub precision: super::args::ProverPrecision,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
}

pub fn run(args: VerifyArgs) -> Result<super::Outcome> {
    let plan = Plan::new(&BatchRequest {
        files: args.files,
        boxes: args.boxes,
        claims: args.claim,
        budget: args.budget,
        max_boxes: args.max_boxes,
        samples: args.samples,
        seed: args.seed,
        identity_seed: args.identity_seed,
        prec: args.precision.prec,
        scaling: !args.no_scaling,
        record: args.certificate.is_some(),
        shard: args.shard,
    })?;
    let bar = super::args::progress_bar(plan.claims() as u64, "claims", true);
    let batch = plan.run(&|name| {
        bar.inc(1);
        bar.set_message(name.to_string());
    });
    bar.finish_and_clear();
    let batch = batch?;
    crate::stop::check()?;
    let mut notes = Vec::new();
    if let Some(path) = &args.certificate {
        let (cert, without) = crate::verify::certificate::batch_certificate(&batch);
        let text = serde_json::to_string(&cert).expect("a certificate serializes");
        std::fs::write(path, text).map_err(|source| crate::error::Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        notes.push(format!(
            "certificate: {} proved claims written to {}{}",
            cert.claims.len(),
            path.display(),
            if without.is_empty() {
                String::new()
            } else {
                format!(
                    "; proved otherwise than cell by cell, without one: {}",
                    without.join(", ")
                )
            }
        ));
    }
    let report = VerifyReport::of_batch(&batch, args.precision.digits as usize);
    let code = if report.all_proved { 0 } else { 1 };
    let mut outcome =
        super::Outcome::report(code, report.text(), report.json(), args.output.is_json());
    outcome.notes = notes;
    Ok(outcome)
}
