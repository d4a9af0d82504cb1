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
            // a log range open at 0 is measured in log scale over [b·10⁻³⁰, b]
            let a = log_floor(range);
            let lo = lo.max(a);
            let hi = hi.max(a);
            (hi.ln() - lo.ln()) / (b.ln() - a.ln())
        } else {
            (hi - lo) / (b - a)
        }
    }

    /// Whether coordinate `k` reaches the open end 0 of a (real) log range, where [`Cell::split`]
    /// cuts off the far fifteen sixteenths and keeps a cell at the end.
    pub fn at_open_zero(&self, k: usize, range: &Range) -> bool {
        range.log && !range.integer && self.lo[k].is_zero()
    }

    /// Bisects coordinate `k` (at the geometric mean for log ranges); an integer coordinate
    /// splits into `[lo, m]` and `[m + 1, hi]` with `m` an integer, so the halves hold every
    /// integer of the parent and nothing between. `None` when the coordinate cannot be split
    /// (a single integer, or no float strictly inside at this precision).
    pub fn split(&self, k: usize, range: &Range) -> Option<(Cell, Cell)> {
        if range.integer {
            return self.split_integer(k, range.log);
        }
        let log = range.log;
        let prec = self.lo[k].prec();
        let mut m = if log && self.lo[k].is_sign_positive() && !self.lo[k].is_zero() {
            let p = Float::with_val(prec, &self.lo[k] * &self.hi[k]);
            p.sqrt()
        } else if self.at_open_zero(k, range) {
            // toward an open end at 0: the cell next to it shrinks 16-fold per split
            Float::with_val(prec, &self.hi[k]) / 16u32
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

    fn split_integer(&self, k: usize, log: bool) -> Option<(Cell, Cell)> {
        let lo = self.lo[k].to_integer_round(Round::Up)?.0;
        let hi = self.hi[k].to_integer_round(Round::Down)?.0;
        if lo >= hi {
            return None;
        }
        // m in [lo, hi − 1]: the geometric mean for log ranges, else the arithmetic mean
        let mut m = if log && lo > 0 {
            rug::Integer::from(&lo * &hi).sqrt()
        } else {
            rug::Integer::from(&lo + &hi) >> 1u32
        };
        if m < lo {
            m = lo.clone();
        }
        if m >= hi {
            m = rug::Integer::from(&hi - 1u32);
        }
        let prec = self.lo[k].prec();
        let m1 = rug::Integer::from(&m + 1u32);
        let mut a = self.clone();
        let mut b = self.clone();
        // ends rounded outward: the halves still hold every integer they should
        a.hi[k] = Float::with_val_round(prec, &m, Round::Up).0;
        b.lo[k] = Float::with_val_round(prec, &m1, Round::Down).0;
        a.share /= 2.0;
        b.share /= 2.0;
        a.depth += 1;
        b.depth += 1;
        Some((a, b))
    }

    /// The simplest rational point of the cell (per coordinate, the rational of least
    /// denominator in its range; for an integer coordinate, the integer nearest the middle):
    /// where a claim fails at a single point such as 1/3 or 3/10, the cells around it that
    /// bisection cannot settle have that point as their simplest one.
    pub fn simplest(&self, ranges: &[Range]) -> Option<Vec<Rational>> {
        let center = self.center(ranges);
        (0..self.dims())
            .map(|k| {
                if ranges[k].integer {
                    Some(center[k].clone())
                } else {
                    // within the box: the root cell's ends are rounded outward
                    let lo = self.lo[k].to_rational()?.max(ranges[k].lo.clone());
                    let hi = self.hi[k].to_rational()?.min(ranges[k].hi.clone());
                    let q = (lo <= hi).then(|| simplest_between(&lo, &hi))?;
                    // never an open end: the center instead
                    Some(if ranges[k].contains(&q) {
                        q
                    } else {
                        center[k].clone()
                    })
                }
            })
            .collect()
    }

    /// True when the cell lies wholly outside the box in some coordinate (a sliver of the
    /// outward rounding of the root's ends): no point of the claim's domain is in it.
    pub fn outside(&self, ranges: &[Range]) -> bool {
        (0..self.dims()).any(|k| {
            let r = &ranges[k];
            self.hi[k] < r.lo
                || self.lo[k] > r.hi
                || (r.lo_open && self.hi[k] <= r.lo)
                || (r.hi_open && self.lo[k] >= r.hi)
        })
    }

    /// True when every point of the cell lies in the box.
    pub fn inside(&self, ranges: &[Range]) -> bool {
        (0..self.dims()).all(|k| self.lo[k] >= ranges[k].lo && self.hi[k] <= ranges[k].hi)
    }

    /// The midpoint (geometric for log ranges) as exact rationals, clamped into the box; for
    /// an integer coordinate, the integer nearest to it that lies in the cell and the box.
    pub fn center(&self, ranges: &[Range]) -> Vec<Rational> {
        self.center_unclamped(ranges)
            .into_iter()
            .zip(ranges)
            .map(|(q, r)| clamp_inside(q, r))
            .collect()
    }

    fn center_unclamped(&self, ranges: &[Range]) -> Vec<Rational> {
        (0..self.dims())
            .map(|k| {
                if ranges[k].integer {
                    let lo = self.lo[k]
                        .to_integer_round(Round::Up)
                        .map(|x| x.0)
                        .unwrap_or_default();
                    let hi = self.hi[k]
                        .to_integer_round(Round::Down)
                        .map(|x| x.0)
                        .unwrap_or_default();
                    let m = Rational::from(rug::Integer::from(&lo + &hi)) / 2u32;
                    let m = m.round();
                    return m.clamp(&Rational::from(lo), &Rational::from(hi));
                }
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

/// The simplest rational in `[a, b]` (least denominator, then least numerator in size), by
/// continued fractions: a pole at 1/3 or 3/10 lies in cells around it, and it is their
/// simplest rational.
pub fn simplest_between(a: &Rational, b: &Rational) -> Rational {
    if *a <= 0 && *b >= 0 {
        return Rational::new();
    }
    if *b < 0 {
        let neg = simplest_between(&Rational::from(-b), &Rational::from(-a));
        return -neg;
    }
    // 0 < a ≤ b
    let ceil = a.clone().ceil();
    if ceil <= *b {
        // an integer lies in [a, b]: the least one
        return ceil;
    }
    let fl = a.clone().floor();
    // a and b share the integer part n: n + 1/simplest(1/(b − n), 1/(a − n))
    let n = fl;
    let lo = Rational::from(b - &n).recip();
    let hi = Rational::from(a - &n).recip();
    let inner = simplest_between(&lo, &hi);
    n + inner.recip()
}

/// The lower end of a log range's scale: its lower end, or for one open at 0, `hi·10⁻³⁰`.
fn log_floor(range: &Range) -> f64 {
    let (a, b) = (range.lo.to_f64(), range.hi.to_f64());
    if a > 0.0 { a } else { b * 1e-30 }
}

/// `q` moved into the range: clamped to a closed end, and off an open end by `2⁻⁴⁰` of the
/// range's width (an open end is not part of the range, so no point may lie on it).
pub fn clamp_inside(q: Rational, r: &Range) -> Rational {
    let inward = || Rational::from(&r.hi - &r.lo) >> 40u32;
    if q < r.lo || (r.lo_open && q == r.lo) {
        if r.lo_open {
            &r.lo + inward()
        } else {
            r.lo.clone()
        }
    } else if q > r.hi || (r.hi_open && q == r.hi) {
        if r.hi_open {
            &r.hi - inward()
        } else {
            r.hi.clone()
        }
    } else {
        q
    }
}

/// Maps a unit coordinate `u ∈ [0, 1]` to the range (log-uniform for log ranges, over
/// `[hi·10⁻³⁰, hi]` for one open at 0), in f64; rounded to an integer for an integer range.
/// An open end may be returned (f64 rounding); [`exact_point`] moves it inside.
pub fn from_unit(u: f64, range: &Range) -> f64 {
    let (a, b) = (range.lo.to_f64(), range.hi.to_f64());
    let a = if range.log { log_floor(range) } else { a };
    let x = if range.log {
        (a.ln() + u * (b.ln() - a.ln())).exp()
    } else {
        a + u * (b - a)
    };
    let x = if range.integer { x.round() } else { x };
    x.clamp(a, b)
}

/// The point's coordinates as exact rationals, clamped into the ranges (f64 values are exact
/// rationals already; clamping keeps rounding in `from_unit` inside the box); rounded to the
/// nearest integer for an integer range (whose ends are integers).
pub fn exact_point(x: &[f64], ranges: &[Range]) -> Vec<Rational> {
    x.iter()
        .zip(ranges)
        .map(|(&v, r)| {
            let q = Rational::from_f64(v).unwrap_or_default();
            let q = if r.integer { q.round() } else { q };
            clamp_inside(q, r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::simplest_between;
    use rug::Rational;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn the_simplest_rational_of_an_interval() {
        assert_eq!(simplest_between(&q(333, 1000), &q(334, 1000)), q(1, 3));
        assert_eq!(simplest_between(&q(2999, 10000), &q(3001, 10000)), q(3, 10));
        assert_eq!(simplest_between(&q(-1, 2), &q(1, 2)), q(0, 1));
        assert_eq!(
            simplest_between(&q(-3001, 10000), &q(-2999, 10000)),
            q(-3, 10)
        );
        assert_eq!(simplest_between(&q(5, 2), &q(7, 2)), q(3, 1));
        assert_eq!(simplest_between(&q(7, 3), &q(7, 3)), q(7, 3));
        // the answer lies in the interval and no smaller denominator does
        for (a, b) in [
            (q(31, 100), q(32, 100)),
            (q(1, 7), q(1, 6)),
            (q(22, 7), q(355, 113)),
        ] {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let s = simplest_between(&a, &b);
            assert!(s >= a && s <= b);
            for d in 1..s.denom().to_u32().unwrap() {
                let n = Rational::from(&a * d).ceil();
                assert!(n / d > b, "{a}..{b}: {s} but denominator {d} fits");
            }
        }
    }
}
