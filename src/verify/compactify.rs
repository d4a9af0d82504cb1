//! Compactification of unbounded axes: a claim over a range with no upper end (`t2 ∈ [1, ∞)`,
//! `c/L ∈ (0, ∞)`) is proved over bounded pieces by an exact change of variable.
//!
//! A coordinate `x ∈ [a, ∞)` with `a > 0` is written `x = a/u` with `u ∈ (0, 1]` (`(0, 1)`
//! when `a` is excluded): the map is a bijection of the two ranges, so a claim holds for every
//! `x` if and only if it holds for every `u`. A coordinate whose range starts at or below 0 is
//! split at 1: `x ∈ [a, 1]` as it is, and `x = 1/u` with `u ∈ (0, 1]` (the pieces share the
//! point `x = 1`; together they are the range). The change of variable is made on the tape
//! ([`crate::theory::Model::with_inputs_replaced`]), so the normal form, the derivatives and
//! the nested polynomials of the prover see the claim as a function of `u`, where `x → ∞` is
//! the open face `u → 0` at which rational functions have their limits. `u` is split and
//! sampled in log scale, so cells reach `x = 10³⁰` and beyond.
//!
//! An integer coordinate's unbounded range is relaxed to the reals (`t2 = 1/u` takes every real
//! value ≥ 1): a proof over the relaxation covers every integer; a counterexample found there
//! is kept only when an integer next to it is one too ([`Piece::integer_witnesses`]).

use super::job::Job;
use crate::expr::{Op, Origin, Predicate, Reg};
use crate::theory::{Model, Range};
use rug::Rational;
use std::collections::HashMap;

/// How a coordinate of a piece stands for the coordinate of the claim.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// `x = u`, over a bounded part of x's range.
    Same,
    /// `x = s/u`, `u ∈ (0, 1]`: the unbounded tail `x ≥ s`.
    Reciprocal(Rational),
}

/// One bounded piece of an unbounded box: the model with the change of variable made, the
/// bounded ranges of the new coordinates, and how each stands for the old one.
#[derive(Clone, Debug)]
pub struct Piece {
    pub model: Model,
    pub ranges: Vec<Range>,
    pub charts: Vec<Chart>,
    /// The coordinates relaxed from integers to reals.
    pub relaxed: Vec<usize>,
    /// The registers `s/u` of the reciprocal charts.
    pub pinned: Vec<super::job::Pinned>,
}

/// The most pieces a box is cut into (two per unbounded coordinate starting at or below 0).
pub const MAX_PIECES: usize = 64;

/// The pieces of the job's box, or an empty list when every coordinate it depends on is
/// bounded. An error (as text) past [`MAX_PIECES`].
pub fn pieces(job: &Job) -> Result<Vec<Piece>, String> {
    let unbounded: Vec<usize> = (0..job.dims())
        .filter(|&k| job.active[k] && job.ranges[k].unbounded)
        .collect();
    if unbounded.is_empty() {
        return Ok(Vec::new());
    }
    // the choices for each unbounded coordinate: (chart, range of the new coordinate)
    let choices: Vec<Vec<(Chart, Range)>> = unbounded
        .iter()
        .map(|&k| charts_of(&job.ranges[k]))
        .collect();
    let count: usize = choices.iter().map(Vec::len).product();
    if count > MAX_PIECES {
        return Err(format!(
            "{} unbounded coordinates starting at or below 0 would make {count} pieces (at most {MAX_PIECES}); give some of them a positive lower end or an upper end",
            unbounded.len()
        ));
    }
    let mut out = Vec::with_capacity(count);
    for index in 0..count {
        let mut rest = index;
        let mut ranges = job.ranges.clone();
        let mut charts = vec![Chart::Same; job.dims()];
        for (&k, options) in unbounded.iter().zip(&choices) {
            let (chart, range) = &options[rest % options.len()];
            rest /= options.len();
            ranges[k] = range.clone();
            charts[k] = chart.clone();
        }
        let relaxed = unbounded
            .iter()
            .copied()
            .filter(|&k| job.ranges[k].integer && matches!(charts[k], Chart::Reciprocal(_)))
            .collect();
        let mut pinned = Vec::new();
        let model = job.model.with_inputs_replaced(|tape| {
            let origin = Origin {
                source: 0,
                span: Default::default(),
            };
            charts
                .iter()
                .enumerate()
                .filter_map(|(k, c)| match c {
                    Chart::Same => None,
                    Chart::Reciprocal(s) => {
                        let c = tape.constant(s, origin);
                        let reg = tape.push(Op::Div(c, k), origin);
                        pinned.push(super::job::Pinned {
                            coord: k,
                            reg,
                            scale: s.clone(),
                        });
                        Some((k, reg))
                    }
                })
                .collect::<HashMap<Reg, Reg>>()
        });
        out.push(Piece {
            model,
            ranges,
            charts,
            relaxed,
            pinned,
        });
    }
    Ok(out)
}

/// The pieces of one unbounded range `[a, ∞)` (or `(a, ∞)`).
fn charts_of(r: &Range) -> Vec<(Chart, Range)> {
    let u = |open_at_one: bool| {
        let text = if open_at_one {
            "(0, 1):log"
        } else {
            "(0, 1]:log"
        };
        Range::parse(&r.name, text).expect("a valid range")
    };
    if r.lo > 0 {
        // x = a/u: u = 1 is x = a, included when a is
        return vec![(Chart::Reciprocal(r.lo.clone()), u(r.lo_open))];
    }
    let one = Rational::from(1);
    let head = Range {
        name: r.name.clone(),
        lo: r.lo.clone(),
        hi: one.clone(),
        log: r.log,
        integer: r.integer,
        lo_open: r.lo_open,
        hi_open: false,
        unbounded: false,
        text: format!("{}{}, 1]", if r.lo_open { '(' } else { '[' }, r.lo),
    };
    vec![(Chart::Same, head), (Chart::Reciprocal(one), u(false))]
}

impl Piece {
    /// The job over this piece: the base job's claim, hypotheses and constants, on the
    /// piece's model and ranges.
    pub fn job<'p>(&'p self, base: &Job) -> Job<'p> {
        let same = |h: &Predicate| -> &'p Predicate {
            let m = base.model;
            if let Some(i) = m.hypotheses.iter().position(|x| std::ptr::eq(x, h)) {
                return &self.model.hypotheses[i];
            }
            let i = m
                .domains
                .iter()
                .position(|d| d.as_ref().is_some_and(|x| std::ptr::eq(x, h)))
                .expect("a job's hypotheses are the model's hypotheses and domains");
            self.model.domains[i].as_ref().expect("the same model")
        };
        Job {
            model: &self.model,
            claim: base.claim,
            hyps: base.hyps.iter().map(|h| same(h)).collect(),
            hyp_texts: base.hyp_texts.clone(),
            ranges: self.ranges.clone(),
            constants: base.constants.clone(),
            active: base.active.clone(),
            reductions: base.reductions.clone(),
            pinned: self.pinned.clone(),
        }
    }

    /// A point of the piece as a point of the claim's box (`x = s/u`), exactly.
    pub fn to_box(&self, point: &[Rational]) -> Vec<Rational> {
        point
            .iter()
            .zip(&self.charts)
            .map(|(q, c)| match c {
                Chart::Same => q.clone(),
                Chart::Reciprocal(s) => Rational::from(s / q),
            })
            .collect()
    }

    /// A point of the claim's box as a point of this piece (`u = s/x`), when it lies in it.
    pub fn from_box(&self, point: &[Rational]) -> Option<Vec<Rational>> {
        point
            .iter()
            .zip(&self.charts)
            .zip(&self.ranges)
            .map(|((x, c), r)| {
                let u = match c {
                    Chart::Same => x.clone(),
                    Chart::Reciprocal(s) => {
                        if *x <= 0 {
                            return None;
                        }
                        Rational::from(s / x)
                    }
                };
                (r.lo == r.hi || r.contains(&u)).then_some(u)
            })
            .collect()
    }

    /// The integer points next to `point` (of the claim's box) in the relaxed coordinates:
    /// each relaxed coordinate rounded down and up (at least its range's lower end).
    pub fn integer_witnesses(&self, point: &[Rational], base: &[Range]) -> Vec<Vec<Rational>> {
        let mut out = vec![point.to_vec()];
        for &k in &self.relaxed {
            let mut next = Vec::new();
            for p in &out {
                let floor = p[k].clone().floor().max(base[k].lo.clone());
                let ceil = p[k].clone().ceil().max(base[k].lo.clone());
                for v in [floor, ceil] {
                    let mut q = p.clone();
                    q[k] = v;
                    if !next.contains(&q) {
                        next.push(q);
                    }
                }
            }
            out = next;
        }
        out
    }

    /// The chart of each coordinate unbounded in `base` as text: `t2 = 1/u with u ∈ (0, 1]`,
    /// `d0 ∈ (0, 1]`.
    pub fn describe(&self, coords: &[String], base: &[Range]) -> Vec<String> {
        self.charts
            .iter()
            .enumerate()
            .filter(|(k, _)| base[*k].unbounded)
            .map(|(k, c)| match c {
                Chart::Same => {
                    if self.ranges[k].text.is_empty() {
                        format!("{} ∈ {}", coords[k], self.ranges[k].interval_text())
                    } else {
                        format!("{} ∈ {}", coords[k], self.ranges[k].text)
                    }
                }
                Chart::Reciprocal(s) => format!(
                    "{} = {}/u with u ∈ {}",
                    coords[k],
                    crate::arith::decimal::rational(s),
                    self.ranges[k].interval_text()
                ),
            })
            .collect()
    }
}
