//! `sgdbounds verify`: every claim of the proofs files over boxes of parameters.

use crate::error::{Error, Result};
use crate::limits::{check_precision, check_prover_memory};
use crate::report::verify::VerifyReport;
use crate::theory::{Mode, Model, Range, Theory, builtin_names};
use crate::verify::{VerifyOptions, verify_claim};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

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
/// Exit code: 0 when every claim asked for is proved, 1 otherwise, 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct VerifyArgs {
    /// Built-in results (theorem1, lemma5, corollary2, theorem3) or proofs files [default: all built-in]
    pub files: Vec<String>,
    /// Replace or add a box range: NAME=LO..HI or NAME=LO..HI:log (repeatable)
    #[arg(long = "box", value_name = "NAME=LO..HI")]
    pub boxes: Vec<String>,
    /// Only these claims (repeatable)
    #[arg(long, value_name = "NAME")]
    pub claim: Vec<String>,
    /// Time budget per claim, seconds (falsifier and prover together)
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
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
    /// Working precision of the prover, bits (witnesses are re-checked at 4× at least 256)
    #[arg(long, value_name = "BITS", default_value_t = 128)]
    pub prec: u64,
    /// Significant digits of printed values
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: u32,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// Loads a built-in result by name, or a proofs file by path.
pub fn load(spec: &str) -> Result<Theory> {
    if builtin_names().contains(&spec) {
        Theory::builtin(spec)
    } else if spec.ends_with(".toml") || std::path::Path::new(spec).exists() {
        Theory::from_path(spec)
    } else {
        Err(Error::usage(format!(
            "`{spec}` is neither a built-in result ({}) nor a proofs file",
            builtin_names().join(", ")
        )))
    }
}

/// Parses `NAME=LO..HI[:log]` options.
pub fn parse_boxes(boxes: &[String]) -> Result<BTreeMap<String, Range>> {
    let mut out = BTreeMap::new();
    for b in boxes {
        let Some((name, range)) = b.split_once('=') else {
            return Err(Error::usage(format!(
                "--box {b}: expected NAME=LO..HI or NAME=LO..HI:log"
            )));
        };
        let r =
            Range::parse(name.trim(), range).map_err(|m| Error::usage(format!("--box: {m}")))?;
        out.insert(name.trim().to_string(), r);
    }
    Ok(out)
}

pub fn run(args: VerifyArgs) -> Result<i32> {
    let prec = check_precision(args.prec)?;
    if !(args.budget > 0.0 && args.budget <= 1e6) {
        return Err(Error::usage(format!(
            "--budget {}: give a number of seconds between 0 and 1000000",
            args.budget
        )));
    }
    let overrides = parse_boxes(&args.boxes)?;
    let specs: Vec<String> = if args.files.is_empty() {
        builtin_names().iter().map(|s| s.to_string()).collect()
    } else {
        args.files.clone()
    };
    let mut models = Vec::new();
    for s in &specs {
        let t = load(s)?;
        let free = Model::compile_for(t.clone(), Mode::Free)?;
        let m = Model::compile_for(t, Mode::Verify)?;
        models.push((m, free));
    }
    // The prover keeps up to --max-boxes cells per claim, for as many claims as run at once.
    let dims = models
        .iter()
        .map(|(m, _)| m.coords.len())
        .max()
        .unwrap_or(0);
    check_prover_memory(args.max_boxes, dims, prec)?;
    for k in overrides.keys() {
        let known = models
            .iter()
            .any(|(m, _)| m.coords.contains(k) || m.theory.ranges.contains_key(k));
        if !known {
            return Err(Error::usage(format!(
                "--box {k}=…: `{k}` is not a coordinate of the boxes of {}",
                specs.join(", ")
            )));
        }
    }
    for c in &args.claim {
        if !models
            .iter()
            .any(|(m, _)| m.theory.claims.iter().any(|x| &x.name == c))
        {
            return Err(Error::usage(format!(
                "--claim {c}: no such claim in {}",
                specs.join(", ")
            )));
        }
    }
    let mut jobs = Vec::new();
    for (mi, (m, _)) in models.iter().enumerate() {
        for (ci, c) in m.theory.claims.iter().enumerate() {
            let own = c.origin == m.theory.name;
            let asked = if args.claim.is_empty() {
                own && !c.point_only
            } else {
                args.claim.contains(&c.name) && own
            };
            if asked {
                jobs.push((mi, ci));
            }
        }
    }
    if jobs.is_empty() {
        return Err(Error::usage(format!(
            "nothing to verify: {} has no claim of its own that verify checks over boxes (claims marked point_only are checked by `check`)",
            specs.join(", ")
        )));
    }
    let opts = VerifyOptions {
        prec,
        max_boxes: args.max_boxes,
        budget: Duration::from_secs_f64(args.budget),
        samples: args.samples,
        seed: args.seed,
        identity_trials: 8,
        identity_seed: args.identity_seed,
    };
    let bar = if std::io::stderr().is_terminal() {
        let b =
            ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} claims  {elapsed}  {msg}")
                .expect("a valid template"),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let constants = BTreeMap::new();
    let outcomes: Vec<Result<_>> = jobs
        .par_iter()
        .map(|&(mi, ci)| {
            let (m, free) = &models[mi];
            // Each claim is proved in the model cut down to what it needs, so that its cost
            // does not grow with the number of claims and definitions in the file; a claim
            // with substitutions of its own is cut from a model of its own.
            let own = if m.theory.claims[ci].substitutes.is_empty() {
                m.only_claim(ci)
            } else {
                Model::compile_for(m.theory.for_claim(ci), Mode::Verify)?.only_claim(ci)
            };
            let free = free.only_claim(ci);
            // The claim is claim 0 of the cut models; the falsifier draws from a generator
            // seeded with the seed and the claim's index (seed ^ index·0x9E37_79B9), so the
            // index is mixed in here to draw what it draws in the whole model. (The identity
            // test then draws other points; whether an identity holds does not depend on them.)
            let opts = VerifyOptions {
                seed: opts.seed ^ (ci as u64).wrapping_mul(0x9E37_79B9),
                ..opts
            };
            let r = verify_claim(&own, &free, 0, &overrides, &constants, &opts);
            bar.inc(1);
            bar.set_message(m.theory.claims[ci].name.clone());
            r.map(|o| (mi, ci, o))
        })
        .collect();
    bar.finish_and_clear();
    let mut report = VerifyReport::new(json!({
        "precision_bits": prec,
        "budget_seconds_per_claim": args.budget,
        "max_cells_per_claim": args.max_boxes,
        "samples_per_claim": args.samples,
        "seed": args.seed,
    }));
    let mut by_model: Vec<Vec<(usize, crate::verify::ClaimOutcome)>> =
        vec![Vec::new(); models.len()];
    for o in outcomes {
        let (mi, ci, o) = o?;
        by_model[mi].push((ci, o));
    }
    for (mi, list) in by_model.iter().enumerate() {
        if !list.is_empty() {
            report.add(&models[mi].0, list, args.digits as usize);
        }
    }
    if args.json {
        super::print_json(&report);
    } else {
        print!("{}", report.text());
    }
    Ok(if report.all_proved { 0 } else { 1 })
}
