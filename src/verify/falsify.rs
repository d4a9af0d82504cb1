//! The sampling falsifier. It looks for a point of the box where the hypotheses hold and the
//! claim fails: samples (log-uniformly along log ranges), the box's corners, points pushed onto
//! the hypotheses' boundaries, and a local search around the worst point found. Sampling runs in
//! f64; every candidate is then re-checked exactly (rationals) or at high precision (intervals),
//! and a witness is shrunk to a short rational point that still fails. Sampling alone never
//! proves anything.

use super::job::{Job, decide_point_upto};
use super::region::{exact_point, from_unit};
use crate::arith::CmpOp;
use crate::expr::{F64Eval, Predicate};
use crate::theory::Range;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rug::Rational;

#[derive(Clone, Copy, Debug)]
pub struct FalsifyOptions {
    pub samples: usize,
    pub seed: u64,
    /// Precision of the re-check, bits.
    pub prec: u32,
    /// Sampling stops here (the claim's whole budget bounds the falsifier too).
    pub deadline: Option<std::time::Instant>,
}

/// A point where the hypotheses hold and the claim fails, re-checked rigorously.
#[derive(Clone, Debug)]
pub struct Witness {
    pub point: Vec<Rational>,
}

struct Sampler<'j, 'm> {
    job: &'j Job<'m>,
    ev: F64Eval,
    constants: Vec<f64>,
    inputs: Vec<f64>,
}

/// The oriented margin of a comparison: positive when it holds with room.
fn margin(op: CmpOp, l: f64, r: f64) -> f64 {
    let scale = l.abs() + r.abs() + f64::MIN_POSITIVE;
    match op {
        CmpOp::Lt | CmpOp::Le => (r - l) / scale,
        CmpOp::Gt | CmpOp::Ge => (l - r) / scale,
        CmpOp::Eq => -(r - l).abs() / scale,
    }
}

impl Sampler<'_, '_> {
    fn pred_margin(&self, p: &Predicate) -> f64 {
        p.parts
            .iter()
            .map(|c| {
                let m = margin(c.op, self.ev.get(c.lhs), self.ev.get(c.rhs));
                if m.is_nan() { f64::NEG_INFINITY } else { m }
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Evaluates at unit coordinates `u`: `None` where a hypothesis fails (or is not finite),
    /// else the claim's margin.
    fn at(&mut self, u: &[f64]) -> Option<f64> {
        for (k, r) in self.job.ranges.iter().enumerate() {
            self.inputs[k] = from_unit(u[k], r);
        }
        let n = self.job.dims();
        self.inputs[n..].copy_from_slice(&self.constants);
        self.ev.run(&self.job.model.tape, &self.inputs);
        let hyp = self
            .job
            .hyps
            .iter()
            .map(|h| self.pred_margin(h))
            .fold(f64::INFINITY, f64::min);
        if hyp < 0.0 || hyp.is_nan() {
            return None;
        }
        // An equality hypothesis is met in f64 only approximately.
        let m = self.pred_margin(self.job.claim_pred());
        Some(if m.is_nan() { f64::NEG_INFINITY } else { m })
    }

    /// The exact point of unit coordinates `u`: the exact value of each coordinate's f64 image;
    /// with `exact_faces`, a unit coordinate of 0 or 1 is the range's exact end instead (its f64
    /// image need not be).
    fn point(&self, u: &[f64], exact_faces: bool) -> Vec<Rational> {
        let x: Vec<f64> = u
            .iter()
            .zip(&self.job.ranges)
            .map(|(&v, r)| from_unit(v, r))
            .collect();
        let mut p = exact_point(&x, &self.job.ranges);
        if !exact_faces {
            return p;
        }
        for ((q, &v), r) in p.iter_mut().zip(u).zip(&self.job.ranges) {
            if v <= 0.0 {
                *q = r.lo.clone();
            } else if v >= 1.0 {
                *q = r.hi.clone();
            }
        }
        p
    }

    /// A local search from `u` (margin `m`): coordinate steps shrinking from 0.1 to 1e-7 of
    /// the unit range, keeping a step that lowers the margin. With `follow`, a step onto a point
    /// where a hypothesis fails is cut back by bisection to the last feasible point along it, so
    /// the search can follow a hypothesis' boundary. Returns the best point and margin, and the
    /// number of points evaluated.
    fn descend(
        &mut self,
        mut bu: Vec<f64>,
        mut bm: f64,
        follow: bool,
        out_of_time: &dyn Fn() -> bool,
    ) -> (Vec<f64>, f64, usize) {
        let n = bu.len();
        let mut evaluated = 0usize;
        let mut step = 0.1;
        while step > 1e-7 && !out_of_time() {
            let mut improved = false;
            for k in 0..n {
                for dir in [-1.0, 1.0] {
                    let mut t = bu.clone();
                    t[k] = (t[k] + dir * step).clamp(0.0, 1.0);
                    if follow && t[k] == bu[k] {
                        continue;
                    }
                    evaluated += 1;
                    let m = match self.at(&t) {
                        Some(m) => Some(m),
                        None if !follow => None,
                        None => {
                            // toward the boundary of the hypotheses along coordinate k
                            let (mut a, mut b) = (bu[k], t[k]);
                            for _ in 0..30 {
                                let mid = 0.5 * (a + b);
                                t[k] = mid;
                                if self.at(&t).is_some() {
                                    a = mid;
                                } else {
                                    b = mid;
                                }
                            }
                            evaluated += 31;
                            t[k] = a;
                            if a == bu[k] { None } else { self.at(&t) }
                        }
                    };
                    if let Some(m) = m
                        && m < bm
                    {
                        bm = m;
                        bu = t;
                        improved = true;
                    }
                }
            }
            if !improved {
                step *= 0.3;
            }
        }
        (bu, bm, evaluated)
    }
}

/// The unit coordinate of `q` in `range` (log-scaled for a log range), clamped to [0, 1].
fn to_unit(q: &Rational, range: &Range) -> f64 {
    if range.lo >= range.hi {
        return 0.0;
    }
    let (a, b, x) = (range.lo.to_f64(), range.hi.to_f64(), q.to_f64());
    let u = if range.log {
        (x.ln() - a.ln()) / (b.ln() - a.ln())
    } else {
        (x - a) / (b - a)
    };
    if u.is_nan() { 0.0 } else { u.clamp(0.0, 1.0) }
}

/// True when `point` is a rigorous witness: the hypotheses hold and the claim fails.
fn is_witness(job: &Job, point: &[Rational], prec: u32) -> bool {
    // a witness found at 2× is re-checked at up to 16× by the caller
    decide_point_upto(job, point, prec, 2).refutes(false)
}

/// Shortens each coordinate to the fewest significant decimal digits that keep the point a
/// witness (and inside the box).
pub(crate) fn shrink(
    job: &Job,
    mut point: Vec<Rational>,
    prec: u32,
    deadline: Option<std::time::Instant>,
) -> Vec<Rational> {
    for k in 0..point.len() {
        if crate::stop::past(deadline) {
            break;
        }
        let v = point[k].to_f64();
        if v == 0.0 {
            continue;
        }
        'digits: for digits in 1..=17 {
            let Ok(nearest) = crate::arith::parse_rational(&format!("{v:.*e}", digits - 1)) else {
                continue;
            };
            if nearest == point[k] {
                break;
            }
            // the nearest number of `digits` significant digits, and when that is outside the
            // range (an open end it rounds onto, say 1 for 0.999999), the ones on either side
            let r = &job.ranges[k];
            for q in [
                Some(nearest.clone()),
                decimal_neighbour(&nearest, &point[k], digits),
            ]
            .into_iter()
            .flatten()
            {
                if (r.integer && !q.is_integer()) || !r.contains(&q) || q == point[k] {
                    continue;
                }
                let mut trial = point.clone();
                trial[k] = q;
                if is_witness(job, &trial, prec) {
                    point = trial;
                    break 'digits;
                }
            }
        }
    }
    point
}

/// The number of `digits` significant digits next to `nearest` (a rounding of `v`) on the side
/// of `v`: one unit of the last digit back toward `v`.
fn decimal_neighbour(nearest: &Rational, v: &Rational, digits: usize) -> Option<Rational> {
    if *nearest == 0 {
        return None;
    }
    let magnitude = nearest.clone().abs().to_f64().log10().floor() as i32;
    let exp = magnitude + 1 - digits as i32;
    let unit = if exp >= 0 {
        Rational::from(rug::Integer::from(rug::Integer::u_pow_u(10, exp as u32)))
    } else {
        Rational::from((
            1,
            rug::Integer::from(rug::Integer::u_pow_u(10, (-exp) as u32)),
        ))
    };
    Some(if v < nearest {
        Rational::from(nearest - &unit)
    } else {
        Rational::from(nearest + &unit)
    })
}

/// Searches the box for a counterexample. Returns the witness (if any) and the number of
/// points evaluated.
pub fn falsify(job: &Job, opts: FalsifyOptions) -> (Option<Witness>, usize) {
    search(job, opts, &[], false)
}

/// [`falsify`] made to look harder near a threshold (`tighten`): it also starts from `starts`
/// (each is evaluated, and the local search runs from each of them as well as from the worst
/// point sampled; witnesses of a neighbouring problem, such as the same claim at a nearby value
/// of a constant, are good starts), its local search follows the hypotheses' boundaries, and
/// the box's faces are reached exactly (a unit coordinate 0 or 1 is the range's exact end).
pub fn falsify_from(
    job: &Job,
    opts: FalsifyOptions,
    starts: &[Vec<Rational>],
) -> (Option<Witness>, usize) {
    search(job, opts, starts, true)
}

fn search(
    job: &Job,
    opts: FalsifyOptions,
    starts: &[Vec<Rational>],
    thorough: bool,
) -> (Option<Witness>, usize) {
    let tape = &job.model.tape;
    let n = job.dims();
    let mut s = Sampler {
        job,
        ev: F64Eval::new(tape),
        constants: job.constants.iter().map(|q| q.to_f64()).collect(),
        inputs: vec![0.0; tape.inputs.len()],
    };
    let mut rng =
        ChaCha8Rng::seed_from_u64(opts.seed ^ (job.claim as u64).wrapping_mul(0x9E37_79B9));
    let mut evaluated = 0usize;
    let mut candidates: Vec<(f64, Vec<f64>)> = Vec::new();
    let mut best: Option<(f64, Vec<f64>)> = None;
    let consider = |m: Option<f64>,
                    u: &[f64],
                    best: &mut Option<(f64, Vec<f64>)>,
                    cands: &mut Vec<(f64, Vec<f64>)>| {
        if let Some(m) = m {
            if best.as_ref().is_none_or(|(b, _)| m < *b) {
                *best = Some((m, u.to_vec()));
            }
            if m <= 1e-9 && cands.len() < 64 {
                cands.push((m, u.to_vec()));
            }
        }
    };
    // Corners (all of them up to 10 coordinates, else random ones) and the center.
    let corners = if n <= 10 { 1usize << n } else { 1024 };
    for i in 0..corners {
        let u: Vec<f64> = (0..n)
            .map(|k| {
                let bit = if n <= 10 {
                    (i >> k) & 1
                } else {
                    rng.random_range(0..2)
                };
                bit as f64
            })
            .collect();
        let m = s.at(&u);
        evaluated += 1;
        consider(m, &u, &mut best, &mut candidates);
    }
    let center = vec![0.5; n];
    let m = s.at(&center);
    consider(m, &center, &mut best, &mut candidates);
    // Random samples; every fourth feasible one is pushed onto a hypothesis boundary along a
    // random coordinate.
    let mut u = vec![0.0; n];
    let out_of_time = || crate::stop::past(opts.deadline);
    for i in 0..opts.samples {
        if i % 256 == 0 && out_of_time() {
            break;
        }
        for x in u.iter_mut() {
            *x = rng.random::<f64>();
        }
        let m = s.at(&u);
        evaluated += 1;
        consider(m, &u, &mut best, &mut candidates);
        if m.is_some() && i % 4 == 0 && n > 0 {
            let k = rng.random_range(0..n);
            let face = if rng.random::<bool>() { 1.0 } else { 0.0 };
            let mut feasible = u.clone();
            let mut probe = u.clone();
            probe[k] = face;
            if s.at(&probe).is_some() {
                feasible = probe;
            } else {
                let (mut a, mut b) = (u[k], face);
                for _ in 0..40 {
                    let mid = 0.5 * (a + b);
                    probe[k] = mid;
                    if s.at(&probe).is_some() {
                        a = mid;
                    } else {
                        b = mid;
                    }
                }
                feasible[k] = a;
            }
            let m = s.at(&feasible);
            evaluated += 41;
            consider(m, &feasible, &mut best, &mut candidates);
        }
    }
    // Local search around the worst feasible point, and around each start.
    let mut origins: Vec<(f64, Vec<f64>)> = best.iter().cloned().collect();
    for p in starts.iter().filter(|p| p.len() == n) {
        let u: Vec<f64> = p
            .iter()
            .zip(&job.ranges)
            .map(|(q, r)| to_unit(q, r))
            .collect();
        evaluated += 1;
        if let Some(m) = s.at(&u) {
            consider(Some(m), &u, &mut best, &mut candidates);
            origins.push((m, u));
        }
    }
    for (m, u) in origins {
        if out_of_time() {
            break;
        }
        let (bu, bm, e) = s.descend(u, m, thorough, &out_of_time);
        evaluated += e;
        consider(Some(bm), &bu, &mut best, &mut candidates);
        // the search's end point is a candidate even when sampling found worse ones
        if thorough && bm <= 1e-9 && !candidates.iter().any(|(_, c)| *c == bu) {
            candidates.push((bm, bu));
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, u) in candidates.iter().take(16) {
        if out_of_time() {
            break;
        }
        let point = s.point(u, thorough);
        if is_witness(job, &point, opts.prec) {
            let point = shrink(job, point, opts.prec, opts.deadline);
            return (Some(Witness { point }), evaluated);
        }
    }
    (None, evaluated)
}
