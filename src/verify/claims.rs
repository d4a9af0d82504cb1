//! Verifying one claim over its box: identities by exact random evaluation, then the falsifier,
//! then the branch-and-bound prover. The outcome is proved, refuted (with a witness re-checked
//! at higher precision) or inconclusive (with the share of the box left and why).

use super::falsify::{FalsifyOptions, falsify};
use super::identity::test_identity;
use super::job::{Job, PointVerdict, decide_point};
use super::prove::{ProveOptions, prove, refuted_point};
use crate::arith::{CmpOp, Truth};
use crate::error::Result;
use crate::theory::{Model, Range};
use rug::Rational;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct VerifyOptions {
    pub prec: u32,
    pub max_boxes: usize,
    pub budget: Duration,
    pub samples: usize,
    pub seed: u64,
    pub identity_trials: u32,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            prec: 128,
            max_boxes: 100_000,
            budget: Duration::from_secs(10),
            samples: 4000,
            seed: 2018,
            identity_trials: 8,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Proved,
    Refuted,
    Inconclusive,
}

/// A counterexample: the point (exact coordinates), the parameters there (substituted ones
/// included), and both sides of the claim.
#[derive(Clone, Debug)]
pub struct Counterexample {
    pub point: Vec<Rational>,
    pub params: Vec<(String, super::Value)>,
    pub verdict: PointVerdict,
}

fn counterexample(job: &Job, point: Vec<Rational>, verdict: PointVerdict) -> Counterexample {
    let model = job.model;
    let inputs = job.inputs(&point);
    let mut exact = crate::expr::RationalEval::new(&model.tape);
    exact.run(&model.tape, &inputs);
    let mut ev = crate::expr::IntervalEval::new(&model.tape, verdict.prec);
    for (k, q) in inputs.iter().enumerate() {
        ev.set_input(k, q);
    }
    ev.run(&model.tape);
    let params = model
        .theory
        .parameters
        .iter()
        .zip(&model.param_regs)
        .map(|(p, &r)| {
            (
                p.name.clone(),
                super::Value {
                    enclosure: ev.get(r).cloned().map_err(Clone::clone),
                    exact: exact.get(r).cloned(),
                    undefined: None,
                },
            )
        })
        .collect();
    Counterexample {
        point,
        params,
        verdict,
    }
}

#[derive(Clone, Debug)]
pub struct ClaimOutcome {
    pub status: Status,
    /// How the verdict was reached.
    pub method: &'static str,
    /// Shares of the box (unit-coordinate volume).
    pub proved_share: f64,
    pub vacuous_share: f64,
    pub undecided_share: f64,
    pub boxes: usize,
    pub samples: usize,
    /// For identities: the bound on the probability of a wrong "proved".
    pub error_probability: Option<f64>,
    pub witness: Option<Counterexample>,
    pub reason: Option<String>,
    pub ranges: Vec<Range>,
    pub coords: Vec<String>,
    /// Whether the claim depends on each coordinate.
    pub active: Vec<bool>,
}

/// Verifies claim `claim` of `model` (compiled in verify mode); `free` is the same theory
/// compiled without substitutions (for identity tests).
pub fn verify_claim(
    model: &Model,
    free: &Model,
    claim: usize,
    overrides: &BTreeMap<String, Range>,
    constants: &BTreeMap<String, Rational>,
    opts: &VerifyOptions,
) -> Result<ClaimOutcome> {
    let job = Job::new(model, claim, overrides, constants)?;
    let mut out = ClaimOutcome {
        status: Status::Inconclusive,
        method: "",
        proved_share: 0.0,
        vacuous_share: 0.0,
        undecided_share: 1.0,
        boxes: 0,
        samples: 0,
        error_probability: None,
        witness: None,
        reason: None,
        ranges: job.ranges.clone(),
        coords: model.coords.clone(),
        active: job.active.clone(),
    };
    let pred = job.claim_pred();
    // 1. Identities between rational expressions: a claim whose every part is an identity of
    //    rational functions holds wherever it is defined (for ==, <=, >=).
    let fpred = &free.claims[claim];
    let rational = |r| free.tape.is_rational(r);
    if !pred.parts.is_empty()
        && fpred
            .parts
            .iter()
            .all(|c| rational(c.lhs) && rational(c.rhs))
        && pred
            .parts
            .iter()
            .all(|c| !matches!(c.op, CmpOp::Lt | CmpOp::Gt))
    {
        let pairs: Vec<_> = fpred.parts.iter().map(|c| (c.lhs, c.rhs)).collect();
        if let Some(r) = test_identity(
            &free.tape,
            free.coords.len(),
            &job.constants,
            &pairs,
            opts.identity_trials,
            opts.seed,
        ) && r.holds
        {
            out.status = Status::Proved;
            out.method = "identity of rational functions (Schwartz–Zippel: exact evaluation at random points)";
            out.proved_share = 1.0;
            out.undecided_share = 0.0;
            out.error_probability = Some(r.error_bound);
            out.samples = r.trials as usize;
            return Ok(out);
        }
    }
    // 2. Falsifier.
    let (witness, samples) = falsify(
        &job,
        FalsifyOptions {
            samples: opts.samples,
            seed: opts.seed,
            prec: opts.prec.max(256) * 4,
        },
    );
    out.samples = samples;
    if let Some(w) = witness {
        let verdict = decide_point(&job, &w.point, opts.prec.max(256) * 4);
        out.status = Status::Refuted;
        out.method = "counterexample found by sampling, re-checked exactly or at 4× precision";
        out.witness = Some(counterexample(&job, w.point, verdict));
        return Ok(out);
    }
    // 3. Prover.
    if pred.parts.iter().any(|c| c.op == CmpOp::Eq) {
        out.reason = Some(
            "an equality that is not an identity of rational functions cannot be proved by intervals"
                .into(),
        );
        out.method = "identity test not applicable; no counterexample found";
        return Ok(out);
    }
    let r = prove(
        &job,
        ProveOptions {
            prec: opts.prec,
            max_boxes: opts.max_boxes,
            deadline: Some(Instant::now() + opts.budget),
            max_depth: 200,
        },
    );
    out.boxes = r.boxes;
    out.proved_share = r.proved;
    out.vacuous_share = r.vacuous;
    out.undecided_share = r.undecided;
    out.method = "interval branch-and-bound with monotonicity and mean-value refinement";
    if let Some(cell) = r.refuted {
        let point = refuted_point(&job, &cell);
        let verdict = decide_point(&job, &point, opts.prec.max(256) * 4);
        if verdict.hyps == Truth::True && verdict.claim == Truth::False {
            out.status = Status::Refuted;
            out.method = "interval branch-and-bound found a cell where the claim fails everywhere";
            out.witness = Some(counterexample(&job, point, verdict));
            return Ok(out);
        }
        out.reason = Some("a refuting cell was found but its center did not re-check".into());
        return Ok(out);
    }
    if r.undecided <= 0.0 && r.stopped.is_none() {
        out.status = Status::Proved;
        out.undecided_share = 0.0;
    } else {
        out.reason = Some(match r.stopped {
            Some(s) => format!("{s}; {:.3e} of the box left undecided", r.undecided),
            None => format!(
                "cells could not be split further (precision or depth); {:.3e} of the box left undecided",
                r.undecided
            ),
        });
    }
    Ok(out)
}
