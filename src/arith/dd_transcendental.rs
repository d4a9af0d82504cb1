//! The logarithm and the exponential over double-double intervals with double-double accuracy
//! (about 10⁻²⁷ relative), certified. Slower than the f64-accurate [`DdInterval::ln`] and
//! [`DdInterval::exp`], so the table engine asks for them only when a row cannot be settled
//! without them (a 20-digit logarithm, say).
//!
//! exp: for an f64 point y, y = k·ln 2 + t with ln 2 enclosed as a double-double interval
//! (LN_2 + 2.3190468138462996·10⁻¹⁷, off by 5.7·10⁻³⁴, enclosed with ±10⁻³²), then
//! eᵗ = (e^(t/2⁸))^(2⁸) with e^s for |s| ≤ 0.0014 from its Taylor polynomial of degree 10 (the
//! remainder is below 10⁻³⁸, enclosed as ±10⁻³⁶), squared eight times; finally the exact scaling
//! by 2ᵏ. A double-double end y = hi + lo adds the factor e^lo ∈ 1 + lo + [0, lo²] (|lo| ≤ 10⁻¹⁰).
//!
//! ln: for a double-double v > 0, with y₀ ≈ ln v in f64, ln v = y₀ + ln(1 + z) where
//! z = v·e^(−y₀) − 1 is tiny, and ln(1 + z) = z − z²/2 + R with |R| ≤ |z|³ for |z| ≤ 1/2.

use super::dd::{Dd, DdInterval};

/// ln 2 ∈ LN_2 + LN2_LO ± 10⁻³² (the error is 5.7·10⁻³⁴).
const LN2_LO: f64 = 2.319_046_813_846_299_6e-17;

fn point(x: f64) -> Option<DdInterval> {
    DdInterval::point(Dd::from_f64(x))
}

/// [−e, e] for e ≥ 0, rounded outward; at least 2⁻³⁹⁹ wide when e > 0 (below that the interval
/// arithmetic's range ends, and a wider bound is still a bound); `None` for an infinite e.
fn plus_minus(e: f64) -> Option<DdInterval> {
    let e = if e == 0.0 {
        0.0
    } else {
        e.max(f64::from_bits((1023 - 399) << 52))
    };
    DdInterval::new(Dd::from_f64(-e), Dd::from_f64(e))
}

fn ln2() -> Option<DdInterval> {
    let hi = std::f64::consts::LN_2;
    DdInterval::new(
        Dd {
            hi,
            lo: (LN2_LO - 1e-32).next_down(),
        },
        Dd {
            hi,
            lo: (LN2_LO + 1e-32).next_up(),
        },
    )
}

/// 1/n! for n = 0..=10, enclosed once.
fn inverse_factorials() -> &'static [DdInterval] {
    static TABLE: std::sync::OnceLock<Vec<DdInterval>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut f = rug::Integer::from(1);
        (0..=10u32)
            .map(|n| {
                if n > 0 {
                    f *= n;
                }
                let q = rug::Rational::from((rug::Integer::from(1), f.clone()));
                DdInterval::from_rational(&q).expect("1/n! is in range")
            })
            .collect()
    })
}

/// Multiplies an interval by 2ᵏ exactly (both limbs of both ends), if it stays in range.
fn scale_pow2(x: DdInterval, k: i32) -> Option<DdInterval> {
    if k.abs() > 1000 {
        return None;
    }
    // two steps, so that neither factor overflows
    let (a, b) = (k / 2, k - k / 2);
    let f = |d: Dd| {
        let s = |v: f64| v * 2f64.powi(a) * 2f64.powi(b);
        Dd {
            hi: s(d.hi),
            lo: s(d.lo),
        }
    };
    let out = DdInterval::new(f(x.lo()), f(x.hi()))?;
    // exact unless a limb left the normal range; the range check catches that
    (super::dd::in_range(out.lo()) && super::dd::in_range(out.hi())).then_some(out)
}

/// An enclosure of eʸ for an f64 y with |y| ≤ 700 (`None` when eʸ leaves the covered range
/// 2^±400, that is for |y| ≳ 277).
pub fn exp_point(y: f64) -> Option<DdInterval> {
    if y.is_nan() || y.abs() > 700.0 {
        return None;
    }
    let k = (y / std::f64::consts::LN_2).round();
    let t = point(y)?.try_sub(point(k)?.try_mul(ln2()?)?)?;
    // s = t/2⁸, exactly
    let s = scale_pow2(t, -8).or_else(|| (t.lo().hi == 0.0 && t.hi().hi == 0.0).then_some(t))?;
    if s.lo().hi.abs().max(s.hi().hi.abs()) > 0.0014 {
        return None;
    }
    let c = inverse_factorials();
    let mut u = c[10];
    for n in (0..10).rev() {
        u = u.try_mul(s)?.try_add(c[n])?;
    }
    u = u.try_add(plus_minus(1e-36)?)?;
    for _ in 0..8 {
        u = u.sqr()?;
    }
    scale_pow2(u, k as i32)
}

/// An enclosure of eᵛ for a double-double v = hi + lo: e^hi · e^lo, e^lo ∈ 1 + lo + [0, lo²].
fn exp_dd(v: Dd) -> Option<DdInterval> {
    if v.hi.abs() < 1e-100 {
        // e^v ∈ [1 − 2|v|, 1 + 2|v|] for |v| ≤ 1/2 (and |v| ≤ |v.hi|·(1 + 2⁻⁵²))
        return point(1.0)?.try_add(plus_minus(2.0 * v.hi.abs() * (1.0 + 1e-15))?);
    }
    let e = exp_point(v.hi)?;
    if v.lo == 0.0 {
        return Some(e);
    }
    if v.lo.abs() > 1e-10 {
        return None;
    }
    let sq = (v.lo * v.lo).next_up();
    let factor = point(1.0)?
        .try_add(point(v.lo)?)?
        .try_add(DdInterval::new(Dd::ZERO, plus_minus(sq)?.hi())?)?;
    e.try_mul(factor)
}

/// An enclosure of ln v for a double-double v > 0.
fn ln_dd(v: Dd) -> Option<DdInterval> {
    if v.hi <= 0.0 {
        return None;
    }
    let y0 = v.hi.ln();
    // z = v·e^(−y₀) − 1
    let z = DdInterval::point(v)?
        .try_mul(exp_point(-y0)?)?
        .try_sub(point(1.0)?)?;
    let m = z.lo().hi.abs().max(z.hi().hi.abs()) * (1.0 + 1e-15);
    if m > 1e-10 {
        return None;
    }
    let m3 = (m * m * m * (1.0 + 1e-14)).next_up();
    let series = z.try_sub(z.sqr()?.try_mul(point(0.5)?)?)?;
    point(y0)?.try_add(series)?.try_add(plus_minus(m3)?)
}

impl DdInterval {
    /// ln x with double-double accuracy, certified; `None` unless x > 0 (and in range).
    pub fn ln_accurate(self) -> Option<DdInterval> {
        let a = ln_dd(self.lo())?;
        let b = ln_dd(self.hi())?;
        DdInterval::new(a.lo(), b.hi())
    }

    /// eˣ with double-double accuracy, certified; `None` when it would leave the covered range.
    pub fn exp_accurate(self) -> Option<DdInterval> {
        let a = exp_dd(self.lo())?;
        let b = exp_dd(self.hi())?;
        DdInterval::new(a.lo(), b.hi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rug::{Float, Rational};

    fn exact(x: Dd) -> Rational {
        Rational::from_f64(x.hi).unwrap() + Rational::from_f64(x.lo).unwrap()
    }

    fn width_rel(x: &DdInterval) -> f64 {
        let w = exact(x.hi()) - exact(x.lo());
        (w / exact(x.hi()).abs()).to_f64()
    }

    #[test]
    fn the_split_of_ln2_is_as_stated() {
        let ln2 = Float::with_val(400, rug::float::Constant::Log2);
        let rest = Float::with_val(400, &ln2 - std::f64::consts::LN_2) - LN2_LO;
        assert!(rest.abs() < 1e-33);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn exp_and_ln_enclose_mpfr_and_are_narrow(y in -270.0f64..270.0, small in -1e-12f64..1e-12) {
            let e = exp_point(y).unwrap();
            let t = Float::with_val(400, y).exp();
            prop_assert!(Float::with_val(400, &exact(e.lo())) <= t && t <= Float::with_val(400, &exact(e.hi())));
            prop_assert!(width_rel(&e) < 1e-26, "exp {y}: {}", width_rel(&e));
            // a double-double argument
            let v = Dd { hi: y, lo: small * y.abs().max(1e-300) * 1e-5 };
            let v = Dd { hi: v.hi + v.lo, lo: v.lo - ((v.hi + v.lo) - v.hi) };
            let ev = DdInterval::point(v).unwrap().exp_accurate().unwrap();
            let tv = Float::with_val(400, &exact(v)).exp();
            prop_assert!(Float::with_val(400, &exact(ev.lo())) <= tv && tv <= Float::with_val(400, &exact(ev.hi())));
            // ln of a positive double-double
            let xh = 2f64.powf(y / 2.0);
            let x = Dd { hi: xh, lo: xh * small * 1e-5 };
            let l = DdInterval::point(x).unwrap().ln_accurate().unwrap();
            let tl = Float::with_val(400, &exact(x)).ln();
            prop_assert!(Float::with_val(400, &exact(l.lo())) <= tl && tl <= Float::with_val(400, &exact(l.hi())));
            prop_assert!((Float::with_val(400, &exact(l.hi())) - Float::with_val(400, &exact(l.lo()))).to_f64() < 1e-26 * tl.to_f64().abs().max(1.0));
        }
    }

    #[test]
    fn tiny_and_subnormal_arguments() {
        for v in [5e-324, -5e-324, 1e-310, -1e-200, 1e-101] {
            let e = DdInterval::point(Dd::from_f64(v))
                .unwrap()
                .exp_accurate()
                .unwrap();
            let t = Float::with_val(2000, v).exp();
            assert!(
                Float::with_val(2000, &exact(e.lo())) <= t
                    && t <= Float::with_val(2000, &exact(e.hi()))
            );
        }
        assert!(
            DdInterval::point(Dd::from_f64(5e-324))
                .unwrap()
                .ln_accurate()
                .is_none()
        );
    }

    #[test]
    fn ln_of_one_and_exp_of_zero() {
        let one = DdInterval::point(Dd::from_f64(1.0)).unwrap();
        let l = one.ln_accurate().unwrap();
        assert!(exact(l.lo()) <= 0 && exact(l.hi()) >= 0);
        assert!(exact(l.hi()) - exact(l.lo()) < Rational::from_f64(1e-26).unwrap());
        let e = DdInterval::point(Dd::ZERO).unwrap().exp_accurate().unwrap();
        assert!(exact(e.lo()) <= 1 && exact(e.hi()) >= 1);
        assert!(
            DdInterval::point(Dd::from_f64(-1.0))
                .unwrap()
                .ln_accurate()
                .is_none()
        );
        assert!(exp_point(800.0).is_none());
    }
}
