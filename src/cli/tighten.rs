//! `sgdbounds tighten`: the smallest value of a tunable constant for which claims still prove.

use super::verify::{load, parse_boxes};
use crate::arith::decimal::rational;
use crate::arith::parse_rational;
use crate::error::{Error, Result};
use crate::limits::{check_precision, check_prover_memory};
use crate::report::number::value_text;
use crate::theory::{Mode, Model};
use crate::verify::{Precision, Status, VerifyOptions, evaluate_point, verify_claim};
use clap::Args;
use rayon::prelude::*;
use rug::Rational;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Duration;

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
    /// Working precision of the prover, bits
    #[arg(long, value_name = "BITS", default_value_t = 128)]
    pub prec: u64,
    /// Significant digits of printed values
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: u32,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// Rounds `q` to a short decimal inside `(lo, hi)` when one exists (nicer bisection points).
fn short_between(q: &Rational, lo: &Rational, hi: &Rational) -> Rational {
    let v = q.to_f64();
    for digits in 1..=17 {
        if let Ok(r) = parse_rational(&format!("{v:.*e}", digits - 1))
            && r > *lo
            && r < *hi
        {
            return r;
        }
    }
    q.clone()
}

pub fn run(args: TightenArgs) -> Result<i32> {
    let prec = check_precision(args.prec)?;
    let theory = load(&args.file)?;
    let constant = theory
        .constants
        .iter()
        .find(|c| c.name == args.constant)
        .ok_or_else(|| {
            Error::usage(format!(
                "--constant {}: {} has the constants {}",
                args.constant,
                theory.name,
                theory
                    .constants
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?
        .clone();
    if !constant.tunable {
        return Err(Error::usage(format!(
            "--constant {}: the proofs file does not mark it tunable",
            constant.name
        )));
    }
    let claims: Vec<usize> = if args.claim.is_empty() {
        (0..theory.claims.len())
            .filter(|&i| theory.claims[i].origin == theory.name && !theory.claims[i].point_only)
            .collect()
    } else {
        args.claim
            .iter()
            .map(|c| {
                theory
                    .claims
                    .iter()
                    .position(|x| &x.name == c)
                    .ok_or_else(|| {
                        Error::usage(format!("--claim {c}: no such claim in {}", theory.name))
                    })
            })
            .collect::<Result<_>>()?
    };
    let overrides = parse_boxes(&args.boxes)?;
    let free = Model::compile_for(theory.clone(), Mode::Free)?;
    let models: Vec<Model> = claims
        .iter()
        .map(|&c| Model::compile_for(theory.for_claim(c), Mode::Verify))
        .collect::<Result<_>>()?;
    let dims = models.iter().map(|m| m.coords.len()).max().unwrap_or(0);
    check_prover_memory(args.max_boxes, dims, prec)?;
    let opts = VerifyOptions {
        prec,
        max_boxes: args.max_boxes,
        budget: Duration::from_secs_f64(args.budget.clamp(0.01, 1e6)),
        ..VerifyOptions::default()
    };
    let proved = |v: &Rational| -> Result<(bool, Vec<(String, Status)>)> {
        let consts: BTreeMap<String, Rational> = [(constant.name.clone(), v.clone())].into();
        let outs: Vec<Result<(String, Status)>> = claims
            .par_iter()
            .zip(&models)
            .map(|(&c, m)| {
                let o = verify_claim(m, &free, c, &overrides, &consts, &opts)?;
                Ok((theory.claims[c].name.clone(), o.status))
            })
            .collect();
        let outs: Vec<(String, Status)> = outs.into_iter().collect::<Result<_>>()?;
        Ok((outs.iter().all(|(_, s)| *s == Status::Proved), outs))
    };
    let paper = constant.value.clone();
    let (ok, at_paper) = proved(&paper)?;
    let mut steps = Vec::new();
    steps.push(json!({"value": rational(&paper), "proved": ok, "claims": at_paper.iter().map(|(n, s)| json!({"claim": n, "status": s})).collect::<Vec<_>>()}));
    if !ok {
        let report = json!({"constant": constant.name, "paper_value": rational(&paper), "error": "the claims are not all proved at the paper's value; nothing to tighten", "steps": steps});
        if args.json {
            super::print_json(&report);
        } else {
            println!(
                "{} = {}: the claims are not all proved at the paper's value; nothing to tighten",
                constant.name,
                rational(&paper)
            );
            for (n, s) in &at_paper {
                println!("  {n}: {s:?}");
            }
        }
        return Ok(1);
    }
    let mut lo = match &args.lo {
        Some(t) => parse_rational(t).map_err(|source| Error::Number {
            label: "--lo".into(),
            source,
        })?,
        None => Rational::from(&paper / 100u32),
    };
    let mut hi = paper.clone();
    let mut lo_status: Option<Vec<(String, Status)>> = None;
    for _ in 0..args.steps {
        let mid = short_between(&(Rational::from(&lo + &hi) / 2u32), &lo, &hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let (ok, outs) = proved(&mid)?;
        steps.push(json!({"value": rational(&mid), "proved": ok, "claims": outs.iter().map(|(n, s)| json!({"claim": n, "status": s})).collect::<Vec<_>>()}));
        if ok {
            hi = mid;
        } else {
            lo = mid;
            lo_status = Some(outs);
        }
    }
    // What the bounds become: every definition that depends on the constant, at the example.
    let check_model = Model::compile(theory.clone())?;
    let mut bounds = Vec::new();
    if !theory.example.is_empty() {
        let inputs = check_model.point(&theory.example, &|p| p.name.clone())?;
        let k = check_model.theory.parameters.len()
            + check_model
                .theory
                .constants
                .iter()
                .position(|c| c.name == constant.name)
                .expect("found");
        let mut tuned = inputs.clone();
        tuned[k] = hi.clone();
        let p = Precision::new(256, args.digits as usize);
        let a = evaluate_point(&check_model, &inputs, p);
        let b = evaluate_point(&check_model, &tuned, p);
        for (i, d) in check_model.theory.definitions.iter().enumerate() {
            let (va, vb) = (&a.quantities[i], &b.quantities[i]);
            let (Ok(xa), Ok(xb)) = (&va.enclosure, &vb.enclosure) else {
                continue;
            };
            if xa == xb {
                continue;
            }
            let mut ratio = crate::arith::Interval::zero(256);
            if crate::arith::interval::div(&mut ratio, xb, xa).is_err() {
                continue;
            }
            let rv = crate::verify::Value {
                enclosure: Ok(ratio),
                exact: None,
                undefined: None,
            };
            bounds.push(json!({
                "quantity": d.name,
                "symbol": d.symbol,
                "paper": value_text(va, args.digits as usize),
                "tightened": value_text(vb, args.digits as usize),
                "ratio": value_text(&rv, args.digits as usize),
            }));
        }
    }
    let below = lo_status.as_ref().map(|outs| {
        if outs.iter().any(|(_, s)| *s == Status::Refuted) {
            "refuted"
        } else {
            "not proved within the budget"
        }
    });
    let report = json!({
        "constant": constant.name,
        "paper_value": rational(&paper),
        "smallest_proved": rational(&hi),
        "below": {"value": rational(&lo), "status": below.unwrap_or("not tried (search range)")},
        "claims": claims.iter().map(|&c| theory.claims[c].name.clone()).collect::<Vec<_>>(),
        "example_point": theory.example,
        "bounds_at_example": bounds,
        "steps": steps,
    });
    if args.json {
        super::print_json(&report);
    } else {
        println!(
            "{}: {} = {} (paper: {}) keeps proved: {}",
            theory.name,
            constant.name,
            rational(&hi),
            rational(&paper),
            claims
                .iter()
                .map(|&c| theory.claims[c].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "  at {} = {}: {}",
            constant.name,
            rational(&lo),
            below.unwrap_or("the lower end of the search")
        );
        if !bounds.is_empty() {
            println!(
                "  at the example point ({}):",
                theory
                    .example
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for b in &bounds {
                println!(
                    "    {:<8} {:<14} paper {}  →  {}  (ratio {})",
                    b["symbol"].as_str().unwrap_or(""),
                    b["quantity"].as_str().unwrap_or(""),
                    b["paper"].as_str().unwrap_or(""),
                    b["tightened"].as_str().unwrap_or(""),
                    b["ratio"].as_str().unwrap_or("")
                );
            }
        }
    }
    Ok(0)
}
