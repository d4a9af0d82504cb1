//! Boxes of parameters: the root box from a proofs file's ranges, sub-boxes (cells) made by
//! bisection, their share of the root's volume, and points sampled in them.
//!
//! Cells have exact float ends; a split point is computed once and shared by both halves, so
//! the halves cover their parent exactly. The root's ends are the ranges' rationals rounded
//! outward, so the root covers the box asked for. Shares and sampling use unit coordinates:
//! linear, or logarithmic for ranges marked `:log`.

use crate::expr::IntervalEval;
use crate::theory::Range;
use rug::float::Round;
use rug::{Float, Rational};

/// A sub-box: `[lo_i, hi_i]` per coordinate, and its share of the root box's volume.
#[derive(Clone, Debug)]
pub struct Cell {
    pub lo: Vec<Float>,
    pub hi: Vec<Float>,
    pub share: f64,
    pub depth: u32,
}

impl Cell {
    /// The root box of `ranges`, ends rounded outward at `prec` bits.
    pub fn root(ranges: &[Range], prec: u32) -> Cell {
        Cell {
            lo: ranges
                .iter()
                .map(|r| Float::with_val_round(prec, &r.lo, Round::Down).0)
                .collect(),
            hi: ranges
                .iter()
                .map(|r| Float::with_val_round(prec, &r.hi, Round::Up).0)
                .collect(),
            share: 1.0,
            depth: 0,
        }
    }

    pub fn dims(&self) -> usize {
        self.lo.len()
    }

    /// Loads the cell as the evaluator's first inputs.
    pub fn load(&self, ev: &mut IntervalEval) {
        for k in 0..self.dims() {
            ev.set_input_bounds(k, &self.lo[k], &self.hi[k]);
        }
    }

    /// The width of coordinate `k` in unit coordinates of `range` (0 to 1).
    pub fn unit_width(&self, k: usize, range: &Range) -> f64 {
        let (lo, hi) = (self.lo[k].to_f64(), self.hi[k].to_f64());
        let (a, b) = (range.lo.to_f64(), range.hi.to_f64());
        if b <= a {
            return 0.0;
        }
        if range.log {
            (hi.ln() - lo.ln()) / (b.ln() - a.ln())
        } else {
            (hi - lo) / (b - a)
        }
    }

    /// Bisects coordinate `k` (at the geometric mean for log ranges). `None` when the
    /// coordinate cannot be split at this precision.
    pub fn split(&self, k: usize, log: bool) -> Option<(Cell, Cell)> {
        let prec = self.lo[k].prec();
        let mut m = if log && self.lo[k].is_sign_positive() && !self.lo[k].is_zero() {
            let p = Float::with_val(prec, &self.lo[k] * &self.hi[k]);
            p.sqrt()
        } else {
            Float::with_val(prec, &self.lo[k] + &self.hi[k]) / 2u32
        };
        if !(m > self.lo[k] && m < self.hi[k]) {
            m = Float::with_val(prec, &self.lo[k] + &self.hi[k]) / 2u32;
            if !(m > self.lo[k] && m < self.hi[k]) {
                return None;
            }
        }
        let mut a = self.clone();
        let mut b = self.clone();
        a.hi[k] = m.clone();
        b.lo[k] = m;
        a.share /= 2.0;
        b.share /= 2.0;
        a.depth += 1;
        b.depth += 1;
        Some((a, b))
    }

    /// The midpoint (geometric for log ranges) as exact rationals.
    pub fn center(&self, ranges: &[Range]) -> Vec<Rational> {
        (0..self.dims())
            .map(|k| {
                let prec = self.lo[k].prec();
                let m = if ranges[k].log && self.lo[k].is_sign_positive() && !self.lo[k].is_zero() {
                    Float::with_val(prec, &self.lo[k] * &self.hi[k]).sqrt()
                } else {
                    Float::with_val(prec, &self.lo[k] + &self.hi[k]) / 2u32
                };
                m.to_rational().unwrap_or_default()
            })
            .collect()
    }
}

/// Maps a unit coordinate `u ∈ [0, 1]` to the range (log-uniform for log ranges), in f64.
pub fn from_unit(u: f64, range: &Range) -> f64 {
    let (a, b) = (range.lo.to_f64(), range.hi.to_f64());
    let x = if range.log {
        (a.ln() + u * (b.ln() - a.ln())).exp()
    } else {
        a + u * (b - a)
    };
    x.clamp(a, b)
}

/// The point's coordinates as exact rationals, clamped into the ranges (f64 values are exact
/// rationals already; clamping keeps rounding in `from_unit` inside the box).
pub fn exact_point(x: &[f64], ranges: &[Range]) -> Vec<Rational> {
    x.iter()
        .zip(ranges)
        .map(|(&v, r)| {
            let q = Rational::from_f64(v).unwrap_or_default();
            if q < r.lo {
                r.lo.clone()
            } else if q > r.hi {
                r.hi.clone()
            } else {
                q
            }
        })
        .collect()
}
