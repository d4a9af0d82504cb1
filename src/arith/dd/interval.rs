//! Closed intervals of double-doubles: every computed end widened outward by 2⁻⁹⁹ of its
//! magnitude, reciprocals and square roots checked, or the operation declines (`None`).

use super::f64_interval::*;
use super::word::*;
use std::cmp::Ordering;

impl std::ops::Neg for DdInterval {
    type Output = DdInterval;
    fn neg(self) -> DdInterval {
        DdInterval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }
}

/// A closed interval [lo, hi] of double-doubles.
///
/// Invariant: both ends are finite (no NaN, no infinity) and lo ≤ hi (compared exactly, by the
/// sign of an accurate difference). The ends are private so that only this module can break
/// it: [`DdInterval::new`] and [`DdInterval::point`] check it, and every operation either keeps
/// it or declines (`None`). The results of the arithmetic operations (`try_add`, `sqrt`, …) are
/// moreover in the covered range: each end 0 or of magnitude in [2⁻⁴⁰⁰, 2⁴⁰⁰] (see [`in_range`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DdInterval {
    lo: Dd,
    hi: Dd,
}

/// [1, 1].
const ONE: DdInterval = DdInterval {
    lo: Dd { hi: 1.0, lo: 0.0 },
    hi: Dd { hi: 1.0, lo: 0.0 },
};

/// [lo, hi] when both ends are in the covered range (the callers have ordered them).
fn checked(lo: Dd, hi: Dd) -> Option<DdInterval> {
    (in_range(lo) && in_range(hi)).then_some(DdInterval { lo, hi })
}

fn dmin(a: Dd, b: Dd) -> Dd {
    if cmp(a, b) == Ordering::Greater { b } else { a }
}

fn dmax(a: Dd, b: Dd) -> Dd {
    if cmp(a, b) == Ordering::Less { b } else { a }
}

/// A double-double from a binary float, rounded in the direction `round` (≤ the value for
/// `Down`, ≥ for `Up`): hi is the nearest f64, lo the rest rounded in that direction (the rest
/// x − hi is exact at x's precision plus 64 bits), and Fast2Sum renormalizes without error.
fn from_float(x: &rug::Float, round: rug::float::Round) -> Option<Dd> {
    use rug::float::Round;
    let hi = x.to_f64_round(Round::Nearest);
    if !hi.is_finite() {
        return None;
    }
    let rest = rug::Float::with_val(x.prec() + 64, x - hi);
    let lo = rest.to_f64_round(round);
    let (hi, lo) = fast_two_sum(hi, lo);
    let out = Dd { hi, lo };
    in_range(out).then_some(out)
}

impl DdInterval {
    /// The point interval [0, 0].
    pub const ZERO: DdInterval = DdInterval {
        lo: Dd::ZERO,
        hi: Dd::ZERO,
    };

    /// The interval [lo, hi] with the ends exactly as given; `None` when an end is not finite
    /// or lo > hi.
    pub fn new(lo: Dd, hi: Dd) -> Option<DdInterval> {
        (lo.is_finite() && hi.is_finite() && cmp(lo, hi) != Ordering::Greater)
            .then_some(DdInterval { lo, hi })
    }

    /// The point interval [x, x] (exact); `None` when x is not finite.
    pub fn point(x: Dd) -> Option<DdInterval> {
        x.is_finite().then_some(DdInterval { lo: x, hi: x })
    }

    /// The lower end.
    #[inline]
    pub fn lo(&self) -> Dd {
        self.lo
    }

    /// The upper end.
    #[inline]
    pub fn hi(&self) -> Dd {
        self.hi
    }

    /// The enclosure of an MPFR interval (outward), if in range.
    pub fn from_interval(x: &crate::arith::Interval) -> Option<DdInterval> {
        use rug::float::Round;
        if !(x.lo().is_finite() && x.hi().is_finite()) {
            return None;
        }
        let lo = from_float(x.lo(), Round::Down)?;
        let hi = from_float(x.hi(), Round::Up)?;
        Some(DdInterval { lo, hi })
    }

    /// The enclosure of a rational.
    pub fn from_rational(q: &rug::Rational) -> Option<DdInterval> {
        use rug::float::Round;
        let (lo, _) = rug::Float::with_val_round(256, q, Round::Down);
        let (hi, _) = rug::Float::with_val_round(256, q, Round::Up);
        Some(DdInterval {
            lo: from_float(&lo, Round::Down)?,
            hi: from_float(&hi, Round::Up)?,
        })
    }

    pub fn try_add(self, o: DdInterval) -> Option<DdInterval> {
        checked(down(add(self.lo, o.lo)), up(add(self.hi, o.hi)))
    }

    pub fn try_sub(self, o: DdInterval) -> Option<DdInterval> {
        self.try_add(-o)
    }

    pub fn try_mul(self, o: DdInterval) -> Option<DdInterval> {
        let nonneg = |x: Dd| x.hi >= 0.0;
        if nonneg(self.lo) && nonneg(o.lo) {
            return checked(down(mul(self.lo, o.lo)), up(mul(self.hi, o.hi)));
        }
        let ps = [
            mul(self.lo, o.lo),
            mul(self.lo, o.hi),
            mul(self.hi, o.lo),
            mul(self.hi, o.hi),
        ];
        let lo = ps.iter().map(|&p| down(p)).reduce(dmin)?;
        let hi = ps.iter().map(|&p| up(p)).reduce(dmax)?;
        checked(lo, hi)
    }

    /// x², which unlike x·x knows that both factors are the same.
    pub fn sqr(self) -> Option<DdInterval> {
        let (a, b) = (self.lo, self.hi);
        if a.hi >= 0.0 {
            checked(down(mul(a, a)), up(mul(b, b)))
        } else if b.hi <= 0.0 {
            checked(down(mul(b, b)), up(mul(a, a)))
        } else {
            let m = dmax(-a, b);
            checked(Dd::ZERO, up(mul(m, m)))
        }
    }

    /// 1/x for an interval of one strict sign; `None` when it may contain 0.
    pub fn recip(self) -> Option<DdInterval> {
        ONE.try_div(self)
    }

    /// x/y for y of one strict sign (`None` when y may contain 0): each end is an approximate
    /// quotient of the right pair of ends, widened twice and then checked by multiplying back
    /// (q ≤ a/b ⟺ q·b ≤ a for b > 0).
    pub fn try_div(self, o: DdInterval) -> Option<DdInterval> {
        if o.hi.hi < 0.0 {
            return (-self).try_div(-o);
        }
        if o.lo.hi <= 0.0 {
            return None;
        }
        // y > 0: the lower end is lo/y.hi when lo ≥ 0, else lo/y.lo; the upper end hi/y.lo when
        // hi ≥ 0, else hi/y.hi.
        let (a, b) = (self.lo, if self.lo.hi >= 0.0 { o.hi } else { o.lo });
        let (c, d) = (self.hi, if self.hi.hi >= 0.0 { o.lo } else { o.hi });
        let q_lo = down(down(approx_div(a, b)));
        let q_hi = up(up(approx_div(c, d)));
        let ok_lo = cmp(up(mul(q_lo, b)), a) != Ordering::Greater;
        let ok_hi = cmp(down(mul(q_hi, d)), c) != Ordering::Less;
        if ok_lo && ok_hi {
            checked(q_lo, q_hi)
        } else {
            None
        }
    }

    /// √x for x ≥ 0; `None` when x may be negative.
    pub fn sqrt(self) -> Option<DdInterval> {
        if self.lo.hi < 0.0 {
            return None;
        }
        let lo = if self.lo.hi == 0.0 {
            Dd::ZERO
        } else {
            let s = down(down(approx_sqrt(self.lo)));
            (cmp(up(mul(s, s)), self.lo) != Ordering::Greater).then_some(s)?
        };
        let s = up(up(approx_sqrt(self.hi)));
        let hi = (cmp(down(mul(s, s)), self.hi) != Ordering::Less).then_some(s)?;
        checked(lo, hi)
    }

    /// x^n for an integer n (|n| ≤ 64; larger powers decline).
    pub fn powi(self, n: i64) -> Option<DdInterval> {
        if n.unsigned_abs() > 64 {
            return None;
        }
        if n < 0 {
            return self.powi(-n)?.recip();
        }
        let mut result = ONE;
        let mut base = self;
        let mut k = n as u32;
        let mut first = true;
        // Squaring keeps even powers of sign-changing intervals non-negative.
        while k > 0 {
            if k & 1 == 1 {
                result = if first { base } else { result.try_mul(base)? };
                first = false;
            }
            k >>= 1;
            if k > 0 {
                base = base.sqr()?;
            }
        }
        Some(result)
    }

    pub fn min(self, o: DdInterval) -> DdInterval {
        DdInterval {
            lo: dmin(self.lo, o.lo),
            hi: dmin(self.hi, o.hi),
        }
    }

    pub fn max(self, o: DdInterval) -> DdInterval {
        DdInterval {
            lo: dmax(self.lo, o.lo),
            hi: dmax(self.hi, o.hi),
        }
    }

    pub fn abs(self) -> DdInterval {
        if self.lo.hi >= 0.0 {
            self
        } else if self.hi.hi <= 0.0 {
            -self
        } else {
            DdInterval {
                lo: Dd::ZERO,
                hi: dmax(-self.lo, self.hi),
            }
        }
    }

    /// True when every point is < 0.
    pub fn is_negative(&self) -> bool {
        self.hi.hi < 0.0
    }

    /// True when every point is ≤ 0.
    pub fn is_nonpositive(&self) -> bool {
        self.hi.hi <= 0.0
    }

    /// True when the interval is exactly {0}.
    pub fn is_zero(&self) -> bool {
        self.lo.hi == 0.0 && self.hi.hi == 0.0
    }

    /// ⌈x⌉ (exact at both ends), when the ends are below 2¹⁰⁰ in magnitude.
    pub fn ceil(self) -> Option<DdInterval> {
        let c = |x: Dd| Some(-floor(-x)?);
        checked(c(self.lo)?, c(self.hi)?)
    }

    /// ⌊x⌋ (exact at both ends), when the ends are below 2¹⁰⁰ in magnitude.
    pub fn floor(self) -> Option<DdInterval> {
        let f = |x: Dd| floor(x);
        checked(f(self.lo)?, f(self.hi)?)
    }

    /// ln x with f64 accuracy (about 10⁻¹⁵ relative), certified; `None` unless x > 0.
    pub fn ln(self) -> Option<DdInterval> {
        if self.lo.hi <= 0.0 {
            return None;
        }
        // f64 bounds of the ends: below lo and above hi.
        let below = if self.lo.lo < 0.0 {
            self.lo.hi.next_down()
        } else {
            self.lo.hi
        };
        let above = if self.hi.lo > 0.0 {
            self.hi.hi.next_up()
        } else {
            self.hi.hi
        };
        let (a, _) = ln_f64_enclosure(below)?;
        let (_, b) = ln_f64_enclosure(above)?;
        checked(Dd::from_f64(a), Dd::from_f64(b))
    }

    /// eˣ with f64 accuracy (about 10⁻¹⁵ relative), certified; `None` when it would leave the
    /// covered range.
    pub fn exp(self) -> Option<DdInterval> {
        // f64 bounds of the ends: below lo and above hi (a double-double end lies within one
        // ulp of its hi part)
        let below = self.lo.hi.next_down();
        let above = self.hi.hi.next_up();
        let (a, _) = exp_f64_enclosure(below)?;
        let (_, b) = exp_f64_enclosure(above)?;
        checked(Dd::from_f64(a), Dd::from_f64(b))
    }

    /// Three-valued comparison, as [`crate::arith::Interval::compare`].
    pub fn compare(&self, op: crate::arith::CmpOp, other: &DdInterval) -> crate::arith::Truth {
        crate::arith::interval::three_valued(
            op,
            (&self.lo, &self.hi),
            (&other.lo, &other.hi),
            &|a: &Dd, b: &Dd| cmp(*a, *b) == Ordering::Less,
            &|a: &Dd, b: &Dd| cmp(*a, *b) != Ordering::Greater,
        )
    }
}

#[cfg(test)]
mod ends_tests {
    use super::*;

    fn d(x: f64) -> Dd {
        Dd::from_f64(x)
    }

    #[test]
    fn new_accepts_ordered_and_point_intervals_exactly() {
        let x = DdInterval::new(d(1.5), d(2.25)).unwrap();
        assert_eq!((x.lo(), x.hi()), (d(1.5), d(2.25)));
        let p = DdInterval::new(d(-3.0), d(-3.0)).unwrap();
        assert_eq!(p, DdInterval::point(d(-3.0)).unwrap());
        // ends that differ only in their low words
        let above = Dd {
            hi: 1.0,
            lo: 2f64.powi(-70),
        };
        assert!(DdInterval::new(d(1.0), above).is_some());
        assert_eq!(DdInterval::point(Dd::ZERO), Some(DdInterval::ZERO));
        assert!(DdInterval::ZERO.is_zero());
    }

    #[test]
    fn new_and_point_refuse_reversed_and_non_finite_ends() {
        assert!(DdInterval::new(d(2.0), d(1.0)).is_none());
        let above = Dd {
            hi: 1.0,
            lo: 2f64.powi(-70),
        };
        let below = Dd {
            hi: 1.0,
            lo: -(2f64.powi(-70)),
        };
        assert!(DdInterval::new(above, d(1.0)).is_none());
        assert!(DdInterval::new(d(1.0), below).is_none());
        let nan_low = Dd {
            hi: 1.0,
            lo: f64::NAN,
        };
        for bad in [d(f64::NAN), d(f64::INFINITY), d(f64::NEG_INFINITY), nan_low] {
            assert!(DdInterval::new(bad, d(2.0)).is_none(), "{bad:?}");
            assert!(DdInterval::new(d(-2.0), bad).is_none(), "{bad:?}");
            assert!(DdInterval::point(bad).is_none(), "{bad:?}");
        }
        assert!(DdInterval::new(d(f64::NEG_INFINITY), d(f64::INFINITY)).is_none());
    }

    #[test]
    fn operations_keep_the_invariant() {
        let ordered = |x: DdInterval| DdInterval::new(x.lo(), x.hi()) == Some(x);
        let a = DdInterval::new(d(-0.75), d(2.5)).unwrap();
        let b = DdInterval::new(d(0.125), d(3.0)).unwrap();
        for x in [-a, a.abs(), a.min(b), a.max(b)] {
            assert!(ordered(x), "{x:?}");
        }
        let results = [
            a.try_add(b),
            a.try_sub(b),
            a.try_mul(b),
            a.try_div(b),
            a.sqr(),
            b.sqrt(),
            a.powi(3),
            b.ln(),
            a.exp(),
            a.floor(),
            a.ceil(),
        ];
        for x in results {
            assert!(ordered(x.unwrap()), "{x:?}");
        }
    }
}
