//! One claim to verify: the compiled model (verify mode), the claim, the hypotheses it may use
//! (plus every parameter's domain), and the box's ranges in input order.

use super::Value;
use crate::arith::Truth;
use crate::error::{Result, Usage};
use crate::expr::{Comparison, IntervalEval, Predicate, RationalEval, decide};
use crate::theory::{Model, Range};
use rug::Rational;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Job<'m> {
    pub model: &'m Model,
    pub claim: usize,
    /// The hypotheses the claim uses and the domains of the parameters.
    pub hyps: Vec<&'m Predicate>,
    /// The text of each of `hyps`, as the proofs file writes it (for certificates).
    pub hyp_texts: Vec<String>,
    /// One range per coordinate (tape inputs `0..ranges.len()`).
    pub ranges: Vec<Range>,
    /// The constants' values (tape inputs after the coordinates).
    pub constants: Vec<Rational>,
    /// Whether the claim or its hypotheses depend on each coordinate. A coordinate they do
    /// not depend on is held at its range's lower end and never split.
    pub active: Vec<bool>,
    /// The scalings used on the box, and the ones not used ([`Job::reduced`]).
    pub reductions: super::scaling::Reductions,
    /// Registers `s/u` of compactified coordinates ([`super::compactify`]), which the prover
    /// writes from each cell's `u` instead of computing them: `+∞` above where the cell
    /// reaches `u = 0`, the open end of u's range.
    pub pinned: Vec<Pinned>,
}

/// A register `scale/x_coord` of a job's tape, `x_coord` a coordinate whose range is open at 0.
#[derive(Clone, Debug)]
pub struct Pinned {
    pub coord: usize,
    pub reg: crate::expr::Reg,
    pub scale: Rational,
}

impl<'m> Job<'m> {
    /// The job for claim `claim` of `model` over its file's box, with `overrides` (from
    /// `--box`) replacing or adding ranges, and `constants` overriding constant values.
    pub fn new(
        model: &'m Model,
        claim: usize,
        overrides: &BTreeMap<String, Range>,
        constants: &BTreeMap<String, Rational>,
    ) -> Result<Job<'m>> {
        let t = &model.theory;
        let st = &t.claims[claim];
        // A range for a name that `substitute` gives by an expression would be ignored: the
        // claim would be verified over another box than the one written. The file's own
        // ranges may be replaced by a claim's own substitution (they serve its other claims).
        let substituted = |n: &str| t.substitutes.iter().any(|(s, _)| s == n);
        let own = |n: &str| st.substitutes.iter().any(|(s, _)| s == n);
        if let Some(n) = overrides.keys().find(|n| substituted(n)) {
            return Err(Usage::UnusedRange {
                result: t.name.clone(),
                name: n.clone(),
                claim: Some(st.name.clone()),
            }
            .into());
        }
        if let Some(n) = t.ranges.keys().find(|n| substituted(n) && !own(n)) {
            return Err(Usage::UnusedRange {
                result: t.name.clone(),
                name: n.clone(),
                claim: None,
            }
            .into());
        }
        let mut hyp_texts: Vec<String> = Vec::new();
        let mut hyps: Vec<&Predicate> = st
            .uses
            .iter()
            .map(|h| {
                let i = t
                    .hypotheses
                    .iter()
                    .position(|x| &x.name == h)
                    .expect("validated");
                hyp_texts.push(t.hypotheses[i].formula.text.clone());
                &model.hypotheses[i]
            })
            .collect();
        // Which registers the claim and its hypotheses depend on; then the domains of the
        // parameters among them (a parameter the claim does not use constrains nothing).
        let tape = &model.tape;
        let depends = |preds: &[&Predicate]| {
            let roots: Vec<usize> = preds
                .iter()
                .flat_map(|p| p.parts.iter().flat_map(|c| [c.lhs, c.rhs]))
                .collect();
            tape.needed(&roots)
        };
        let mut all: Vec<&Predicate> = hyps.clone();
        all.push(&model.claims[claim]);
        let needed = depends(&all);
        for ((dom, &reg), p) in model
            .domains
            .iter()
            .zip(&model.param_regs)
            .zip(&t.parameters)
        {
            if let Some(d) = dom
                && needed[reg]
            {
                hyps.push(d);
                hyp_texts.push(
                    p.domain
                        .as_ref()
                        .map_or_else(String::new, |f| f.text.clone()),
                );
            }
        }
        all = hyps.clone();
        all.push(&model.claims[claim]);
        let needed = depends(&all);
        let active: Vec<bool> = (0..model.coords.len()).map(|k| needed[k]).collect();
        let mut ranges = Vec::new();
        for (k, c) in model.coords.iter().enumerate() {
            if !active[k] {
                let r = overrides.get(c).or_else(|| t.ranges.get(c));
                let lo = r.map_or_else(Rational::new, |r| r.lo.clone());
                ranges.push(Range::point(c, lo, "unused"));
                continue;
            }
            let r = overrides
                .get(c)
                .or_else(|| t.ranges.get(c))
                .ok_or_else(|| Usage::MissingRange {
                    result: t.name.clone(),
                    claim: st.name.clone(),
                    name: c.clone(),
                })?;
            // A parameter declared integer takes integer values only, everywhere.
            let integer = t.parameters.iter().any(|p| &p.name == c && p.integer);
            ranges.push(if integer {
                r.clone().integers().map_err(|m| Usage::at(&t.name, m))?
            } else {
                r.clone()
            });
        }
        let constants = t
            .constants
            .iter()
            .map(|c| {
                constants
                    .get(&c.name)
                    .cloned()
                    .unwrap_or_else(|| c.value.clone())
            })
            .collect();
        Ok(Job {
            model,
            claim,
            hyps,
            hyp_texts,
            ranges,
            constants,
            active,
            reductions: Default::default(),
            pinned: Vec::new(),
        })
    }

    /// The same job over the box reduced by every scaling of the file the claim is shown
    /// invariant under ([`super::scaling`]): a proof over it covers the box it was, and every
    /// value of each fixed coordinate.
    pub fn reduced(mut self) -> Self {
        self.reductions = super::scaling::reduce(&mut self);
        self
    }

    pub fn dims(&self) -> usize {
        self.ranges.len()
    }

    pub fn claim_pred(&self) -> &'m Predicate {
        &self.model.claims[self.claim]
    }

    /// Tape inputs for a point: coordinates then constants.
    pub fn inputs(&self, point: &[Rational]) -> Vec<Rational> {
        point
            .iter()
            .cloned()
            .chain(self.constants.iter().cloned())
            .collect()
    }

    /// Loads the constants into an interval evaluator (after the coordinates).
    pub fn load_constants(&self, ev: &mut IntervalEval) {
        for (i, q) in self.constants.iter().enumerate() {
            ev.set_input(self.dims() + i, q);
        }
    }
}

/// Both sides of one comparison at a point, and its truth.
#[derive(Clone, Debug)]
pub struct SideValues {
    pub lhs: Value,
    pub rhs: Value,
    pub truth: Truth,
}

/// The verdicts at one point: the hypotheses' conjunction and the claim, with the claim's
/// sides. Decided exactly where both sides are rational, else by intervals, retried at up to
/// 16× `prec` while undecided.
#[derive(Clone, Debug)]
pub struct PointVerdict {
    pub hyps: Truth,
    pub claim: Truth,
    pub parts: Vec<SideValues>,
    pub prec: u32,
}

impl PointVerdict {
    /// True when the point refutes the claim: its hypotheses hold, and the claim fails there,
    /// or (with `undefined`) one of its sides is certainly undefined there
    /// ([`super::Value::certainly_undefined`]).
    pub fn refutes(&self, undefined: bool) -> bool {
        let side_undefined = || {
            self.parts
                .iter()
                .any(|p| p.lhs.certainly_undefined() || p.rhs.certainly_undefined())
        };
        self.hyps == Truth::True && (self.claim == Truth::False || undefined && side_undefined())
    }
}

pub fn decide_point(job: &Job, point: &[Rational], prec: u32) -> PointVerdict {
    decide_point_upto(job, point, prec, 16)
}

/// [`decide_point`], retried at up to `factor`× `prec` (a falsifier's candidates: a claim
/// that is tight at a point is never decided there, and 16× the precision of a real power
/// costs seconds).
pub fn decide_point_upto(job: &Job, point: &[Rational], prec: u32, factor: u32) -> PointVerdict {
    let tape = &job.model.tape;
    let inputs = job.inputs(point);
    let mut exact = RationalEval::new(tape);
    exact.run(tape, &inputs);
    let mut p = prec;
    loop {
        let mut ev = IntervalEval::new(tape, p);
        for (k, q) in inputs.iter().enumerate() {
            ev.set_input(k, q);
        }
        ev.run(tape);
        let all = |pred: &Predicate| {
            pred.parts
                .iter()
                .map(|c| decide(c, &ev, Some(&exact)).truth)
                .fold(Truth::True, Truth::and)
        };
        let hyps = job
            .hyps
            .iter()
            .map(|h| all(h))
            .fold(Truth::True, Truth::and);
        let claim = all(job.claim_pred());
        if (hyps != Truth::Unknown && claim != Truth::Unknown) || p >= prec.saturating_mul(factor) {
            let value = |r: usize| super::point::value(tape, &ev, &exact, r);
            let side = |c: &Comparison| SideValues {
                lhs: value(c.lhs),
                rhs: value(c.rhs),
                truth: decide(c, &ev, Some(&exact)).truth,
            };
            return PointVerdict {
                hyps,
                claim,
                parts: job.claim_pred().parts.iter().map(side).collect(),
                prec: p,
            };
        }
        p = p.saturating_mul(2).min(crate::arith::MAX_PREC);
    }
}
