//! A thin interval type over MPFR: every operation rounds its lower end down and its upper
//! end up, so the true value of an operation on any points of its arguments lies inside.
//! Ends may be ±∞ (a coordinate `x = s/u` with `u → 0`). An operation that is undefined
//! somewhere on its arguments (√ of a negative, log of a non-positive, a division by an
//! interval holding 0) is an error: the kernel never settles a cell where the claim is not
//! defined everywhere.

use rug::float::Round;
use rug::{Float, Rational};
use std::cmp::Ordering;

/// The reason an enclosure does not exist.
pub type Undefined = &'static str;

#[derive(Clone, Debug)]
pub struct Iv {
    pub lo: Float,
    pub hi: Float,
}

type R = Result<Iv, Undefined>;

/// The smaller of two ends, exactly (at the finer of their precisions: `Float::min` would
/// round to the receiver's).
pub fn least(a: &Float, b: &Float) -> Float {
    if a <= b { a.clone() } else { b.clone() }
}

/// The greater of two ends, exactly.
pub fn greatest(a: &Float, b: &Float) -> Float {
    if a >= b { a.clone() } else { b.clone() }
}

/// `f` applied to a copy of `x`, rounded in direction `r`.
fn rounded(x: &Float, r: Round, f: impl Fn(&mut Float, Round) -> Ordering) -> Float {
    let mut y = x.clone();
    f(&mut y, r);
    y
}

impl Iv {
    /// The point `q`, its ends rounded outward.
    pub fn rational(q: &Rational, prec: u32) -> Iv {
        Iv {
            lo: Float::with_val_round(prec, q, Round::Down).0,
            hi: Float::with_val_round(prec, q, Round::Up).0,
        }
    }

    /// `[lo, hi]`, ends rounded outward; `hi = None` is +∞.
    pub fn between(lo: &Rational, hi: Option<&Rational>, prec: u32) -> Iv {
        Iv {
            lo: Float::with_val_round(prec, lo, Round::Down).0,
            hi: match hi {
                Some(h) => Float::with_val_round(prec, h, Round::Up).0,
                None => Float::with_val(prec, rug::float::Special::Infinity),
            },
        }
    }

    fn prec(&self) -> u32 {
        self.lo.prec()
    }

    fn check(lo: Float, hi: Float) -> R {
        if lo.is_nan() || hi.is_nan() || lo > hi {
            return Err("no enclosure (an indeterminate form such as ∞ − ∞)");
        }
        Ok(Iv { lo, hi })
    }

    /// Certainly > 0, ≥ 0, < 0, ≤ 0.
    pub fn pos(&self) -> bool {
        self.lo.cmp0() == Some(Ordering::Greater)
    }
    pub fn nonneg(&self) -> bool {
        self.lo.cmp0().is_some_and(|o| o != Ordering::Less)
    }
    pub fn neg(&self) -> bool {
        self.hi.cmp0() == Some(Ordering::Less)
    }
    pub fn nonpos(&self) -> bool {
        self.hi.cmp0().is_some_and(|o| o != Ordering::Greater)
    }
    pub fn is_finite(&self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    pub fn add(&self, o: &Iv) -> R {
        let p = self.prec();
        Iv::check(
            Float::with_val_round(p, &self.lo + &o.lo, Round::Down).0,
            Float::with_val_round(p, &self.hi + &o.hi, Round::Up).0,
        )
    }

    /// −x, exactly: each end negated at its own precision (ends may differ in precision, a
    /// cell cut at a finer midpoint; negating at the other end's would round inward).
    pub fn neg_(&self) -> Iv {
        Iv {
            lo: Float::with_val(self.hi.prec(), -&self.hi),
            hi: Float::with_val(self.lo.prec(), -&self.lo),
        }
    }

    /// A point of the interval near its middle (finite ends): (lo + hi)/2 rounded, then kept
    /// inside [lo, hi], so that a box split there, or a mean-value form centred there, never
    /// reaches outside the interval.
    pub fn midpoint(&self) -> Float {
        // at the lower end's precision, so that a box split there keeps one precision
        let m = Float::with_val(self.prec(), &self.lo + &self.hi) / 2u32;
        least(&greatest(&m, &self.lo), &self.hi)
    }

    pub fn sub(&self, o: &Iv) -> R {
        self.add(&o.neg_())
    }

    /// The product; an end 0 times an end ±∞ counts 0 (the elements are finite reals).
    pub fn mul(&self, o: &Iv) -> R {
        let p = self.prec();
        let prod = |a: &Float, b: &Float, r: Round| {
            if a.is_zero() || b.is_zero() {
                Float::new(p)
            } else {
                Float::with_val_round(p, a * b, r).0
            }
        };
        let ends = [
            (&self.lo, &o.lo),
            (&self.lo, &o.hi),
            (&self.hi, &o.lo),
            (&self.hi, &o.hi),
        ];
        let lo = ends
            .iter()
            .map(|(a, b)| prod(a, b, Round::Down))
            .reduce(|x, y| x.min(&y));
        let hi = ends
            .iter()
            .map(|(a, b)| prod(a, b, Round::Up))
            .reduce(|x, y| x.max(&y));
        Iv::check(lo.unwrap(), hi.unwrap())
    }

    /// 1/x for x not holding 0.
    pub fn recip(&self) -> R {
        if !(self.pos() || self.neg()) {
            return Err("a division by an interval holding 0");
        }
        let p = self.prec();
        let inv = |a: &Float, r: Round| {
            if a.is_infinite() {
                Float::new(p)
            } else {
                Float::with_val_round(p, 1 / a, r).0
            }
        };
        Iv::check(inv(&self.hi, Round::Down), inv(&self.lo, Round::Up))
    }

    /// 1/x for x in (0, hi] (the end 0 excluded): [1/hi, +∞].
    pub fn recip_open(&self) -> R {
        let p = self.prec();
        if self.hi.cmp0() != Some(Ordering::Greater) {
            return Err("a division by a value that may be 0");
        }
        let lo = if self.hi.is_infinite() {
            Float::new(p)
        } else {
            Float::with_val_round(p, 1 / &self.hi, Round::Down).0
        };
        Iv::check(lo, Float::with_val(p, rug::float::Special::Infinity))
    }

    /// log x for x in (0, hi] (the end 0 excluded): [−∞, log hi].
    pub fn log_open(&self) -> R {
        if self.hi.cmp0() != Some(Ordering::Greater) {
            return Err("a logarithm of a value that may be 0 or negative");
        }
        Iv::check(
            Float::with_val(self.prec(), rug::float::Special::NegInfinity),
            rounded(&self.hi, Round::Up, |x, r| x.ln_round(r)),
        )
    }

    pub fn div(&self, o: &Iv) -> R {
        self.mul(&o.recip()?)
    }

    pub fn sqrt(&self) -> R {
        if !self.nonneg() {
            return Err("a square root of a value that may be negative");
        }
        // lo ≥ 0 here, so √lo rounded down is ≥ 0 too
        Iv::check(
            rounded(&self.lo, Round::Down, |x, r| x.sqrt_round(r)),
            rounded(&self.hi, Round::Up, |x, r| x.sqrt_round(r)),
        )
    }

    pub fn log(&self) -> R {
        if !self.pos() {
            return Err("a logarithm of a value that may be 0 or negative");
        }
        Iv::check(
            rounded(&self.lo, Round::Down, |x, r| x.ln_round(r)),
            rounded(&self.hi, Round::Up, |x, r| x.ln_round(r)),
        )
    }

    pub fn exp(&self) -> R {
        let p = self.prec();
        Iv::check(
            rounded(&self.lo, Round::Down, |x, r| x.exp_round(r)).max(&Float::new(p)),
            rounded(&self.hi, Round::Up, |x, r| x.exp_round(r)),
        )
    }

    pub fn abs(&self) -> R {
        if self.nonneg() {
            Ok(self.clone())
        } else if self.nonpos() {
            Ok(self.neg_())
        } else {
            let m = greatest(&Float::with_val(self.lo.prec(), -&self.lo), &self.hi);
            Iv::check(Float::new(self.prec()), m)
        }
    }

    pub fn min(&self, o: &Iv) -> R {
        Iv::check(least(&self.lo, &o.lo), least(&self.hi, &o.hi))
    }

    pub fn max(&self, o: &Iv) -> R {
        Iv::check(greatest(&self.lo, &o.lo), greatest(&self.hi, &o.hi))
    }

    /// ⌈x⌉ (`up`) or ⌊x⌋.
    pub fn round_int(&self, up: bool) -> R {
        let f = |a: &Float| {
            if up {
                a.clone().ceil()
            } else {
                a.clone().floor()
            }
        };
        Iv::check(f(&self.lo), f(&self.hi))
    }

    /// x^n, n an integer.
    pub fn powi(&self, n: i64) -> R {
        let m = n.unsigned_abs();
        if m > 1 << 16 {
            return Err("an integer power past 65536");
        }
        if n < 0 {
            return self.powi(m as i64)?.recip();
        }
        if n == 0 {
            return Ok(Iv::rational(&Rational::from(1), self.prec()));
        }
        // x ↦ xⁿ is increasing on [0, ∞) and, for odd n, everywhere: the ends' powers, each
        // rounded outward by MPFR; an even power of an interval holding 0 is [0, max(|lo|, |hi|)ⁿ]
        let base = if n % 2 == 0 {
            self.abs()?
        } else {
            self.clone()
        };
        let p = self.prec();
        let e = u32::try_from(n).map_err(|_| "an integer power past 65536")?;
        let pow = |x: &Float, r: Round| Float::with_val_round(p, rug::ops::Pow::pow(x, e), r).0;
        Iv::check(pow(&base.lo, Round::Down), pow(&base.hi, Round::Up))
    }

    /// The hull of two enclosures.
    pub fn hull(&self, o: &Iv) -> R {
        Iv::check(least(&self.lo, &o.lo), greatest(&self.hi, &o.hi))
    }
}

/// A comparison's truth on a cell: certainly true, certainly false, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// `a op b` for every point of the enclosures.
pub fn compare(a: &Iv, op: crate::parse::Cmp, b: &Iv) -> Truth {
    use crate::parse::Cmp::*;
    let lt = |x: &Iv, y: &Iv| x.hi < y.lo;
    let le = |x: &Iv, y: &Iv| x.hi <= y.lo;
    let (t, f) = match op {
        Lt => (lt(a, b), le(b, a)),
        Le => (le(a, b), lt(b, a)),
        Gt => (lt(b, a), le(a, b)),
        Ge => (le(b, a), lt(a, b)),
        Eq => (
            a.lo == a.hi && b.lo == b.hi && a.lo == b.lo,
            lt(a, b) || lt(b, a),
        ),
    };
    if t {
        Truth::True
    } else if f {
        Truth::False
    } else {
        Truth::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: i64, b: i64) -> Iv {
        Iv::between(&Rational::from(a), Some(&Rational::from(b)), 64)
    }

    #[test]
    fn operations_enclose_and_refuse_what_is_undefined() {
        let x = iv(-2, 3);
        let sq = x.powi(2).unwrap();
        assert_eq!((sq.lo.to_f64(), sq.hi.to_f64()), (0.0, 9.0));
        assert!(x.sqrt().is_err() && x.log().is_err() && iv(1, 2).div(&x).is_err());
        let inf = Iv::between(&Rational::from(2), None, 64);
        assert_eq!(inf.recip().unwrap().lo.to_f64(), 0.0);
        assert!(
            inf.sub(&inf)
                .is_ok_and(|d| d.lo.is_infinite() && d.hi.is_infinite())
        );
        let z = iv(0, 1).mul(&inf).unwrap();
        assert_eq!(z.lo.to_f64(), 0.0);
        // 1/3 rounded outward
        let t = Iv::rational(&Rational::from((1, 3)), 64);
        assert!(t.lo < t.hi);
    }

    #[test]
    fn ends_of_different_precisions_stay_exact() {
        // [2 (32 bits), 2 + 2⁻³² (40 bits)]: negation, max and the hull keep the finer end
        let lo = Float::with_val(32, 2);
        let hi = Float::with_val(40, 2) + Float::with_val(40, Float::i_exp(1, -32));
        let x = Iv { lo, hi: hi.clone() };
        assert_eq!(x.neg_().lo, -hi.clone());
        assert_eq!(x.max(&iv(0, 1)).unwrap().hi, hi);
        assert_eq!(x.hull(&iv(0, 1)).unwrap().hi, hi);
        assert_eq!(x.neg_().abs().unwrap().hi, hi);
        let m = x.midpoint();
        assert!(m >= x.lo && m <= x.hi);
        // a large power by MPFR, rounded outward
        let p = Iv::rational(&Rational::from(3), 64).powi(65536).unwrap();
        assert!(p.lo < p.hi && p.lo.is_finite());
    }
}
