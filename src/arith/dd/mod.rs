//! Double-double intervals: a fast, certified enclosure arithmetic of about 100 bits, for the
//! tables' common case (values of moderate size, + − × ÷ √ and integer powers). Every result
//! encloses the exact one, or the operation declines (`None`) and the caller falls back to MPFR.
//!
//! A double-double x = hi + lo is an unevaluated sum of two f64 with |lo| ≤ ulp(hi)/2. The
//! arithmetic on them is built from error-free transformations (TwoSum, Fast2Sum and Dekker's
//! TwoProd; no fused multiply-add, so every machine gives the same bits), following Joldes,
//! Muller and Popescu, "Tight and rigorous error bounds for basic building blocks of
//! double-word arithmetic" (ACM TOMS 44(2), 2017):
//!
//! * [`add`] is their AccurateDWPlusDW: relative error at most 3u²/(1 − 4u) (u = 2⁻⁵³);
//! * [`mul`] is their DWTimesDW1: relative error at most 7u².
//!
//! Those bounds hold when nothing overflows or underflows, which [`in_range`] enforces: every
//! operand and every result is 0 or has magnitude in [2⁻⁴⁰⁰, 2⁴⁰⁰], so that no partial product
//! of Dekker's splitting leaves the normal range. The interval operations widen each computed
//! end outward by 2⁻⁹⁹ of its magnitude (more than 128u², far above both bounds) and renormalize
//! exactly. Reciprocals and square roots are computed approximately and then *checked*: a lower
//! end s of √x is kept only if an upper bound of s² is ≤ x, and so on, so their correctness rests
//! on [`mul`] and [`add`] alone. Comparisons use the sign of an accurate difference, which is
//! exact (a relative error below 1 cannot change a sign, and a zero difference is computed as 0).
//!
//! The logarithm is certified with f64 accuracy only (about 10⁻¹⁵ relative): enough to decide an
//! integer such as Theorem 1's T1, not 20 digits of a logarithm, which then fall back to MPFR.
//!
//! The module has three rooms: [`word`] (double-double numbers and their error-free
//! arithmetic), [`interval`] (intervals of them, with every end widened outward), and
//! [`f64_interval`] (the f64 interval arithmetic the logarithm and exponential are enclosed in).

pub mod f64_interval;
pub mod interval;
pub mod word;

pub use f64_interval::{exp_f64_enclosure, ln_f64_enclosure};
pub use interval::DdInterval;
pub use word::{
    Dd, add, cmp, exact_product, floor, in_range, mul, plus_one, to_i128, twice_plus_one,
};

#[cfg(test)]
mod tests {
    use super::f64_interval::*;
    use super::interval::*;
    use super::word::*;
    use proptest::prelude::*;
    use rug::{Float, Rational};

    fn exact(x: Dd) -> Rational {
        Rational::from_f64(x.hi).unwrap() + Rational::from_f64(x.lo).unwrap()
    }

    fn contains(iv: &DdInterval, q: &Rational) -> bool {
        exact(iv.lo()) <= *q && *q <= exact(iv.hi())
    }

    /// Random rationals of moderate size: a 60-bit numerator over a 60-bit denominator, times
    /// a power of two.
    fn rational() -> impl Strategy<Value = Rational> {
        (1u64..(1 << 60), 1u64..(1 << 60), -80i32..80, any::<bool>()).prop_map(|(n, d, e, neg)| {
            let mut q = Rational::from((n, d));
            if e >= 0 {
                q <<= e as u32;
            } else {
                q >>= (-e) as u32;
            }
            if neg { -q } else { q }
        })
    }

    /// Relative error of a double-double against the exact value, in units of u².
    fn rel_err_u2(got: Dd, want: &Rational) -> f64 {
        let err = (exact(got) - want).abs();
        let rel = err / want.clone().abs();
        rel.to_f64() * 2f64.powi(106)
    }

    fn dd_of(q: &Rational) -> Dd {
        let f = Float::with_val(200, q);
        let hi = f.to_f64();
        let lo = Float::with_val(400, &f - hi).to_f64();
        let (hi, lo) = fast_two_sum(hi, lo);
        Dd { hi, lo }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn add_and_mul_keep_their_published_error_bounds(a in rational(), b in rational()) {
            let (x, y) = (dd_of(&a), dd_of(&b));
            let (qa, qb) = (exact(x), exact(y));
            let sum = Rational::from(&qa + &qb);
            if sum != 0 {
                prop_assert!(rel_err_u2(add(x, y), &sum) <= 3.01, "add");
            } else {
                prop_assert_eq!(add(x, y).hi, 0.0);
            }
            let prod = Rational::from(&qa * &qb);
            prop_assert!(rel_err_u2(mul(x, y), &prod) <= 7.0, "mul");
        }

        #[test]
        fn add_keeps_its_bound_under_cancellation(a in rational(), k in 1u32..120, t in rational()) {
            // b ≈ −a(1 + 2^-k) + t·2^-k·|a|-ish: sums that cancel most of their bits
            let x = dd_of(&a);
            let qa = exact(x);
            let near = -(&qa + Rational::from(&qa >> k));
            let wiggle = Rational::from(&t * &qa).abs() >> (k + 30);
            let b = near + wiggle;
            let y = dd_of(&b);
            let sum = Rational::from(&qa + &exact(y));
            if sum != 0 {
                prop_assert!(rel_err_u2(add(x, y), &sum) <= 3.01);
            } else {
                prop_assert_eq!(add(x, y).hi, 0.0);
            }
        }

        #[test]
        fn interval_operations_enclose_the_exact_results(a in rational(), b in rational(), w in 0u32..3) {
            // intervals [a, a + a·2^-(60+20w)] around each operand
            let widen = |q: &Rational| {
                let d = q.clone().abs() >> (60 + 20 * w);
                (q.clone(), Rational::from(q + &d))
            };
            let (a0, a1) = widen(&a);
            let (b0, b1) = widen(&b);
            let x = DdInterval::new(DdInterval::from_rational(&a0).unwrap().lo(), DdInterval::from_rational(&a1).unwrap().hi()).unwrap();
            let y = DdInterval::new(DdInterval::from_rational(&b0).unwrap().lo(), DdInterval::from_rational(&b1).unwrap().hi()).unwrap();
            for (qa, qb) in [(&a0, &b0), (&a1, &b1), (&a0, &b1), (&a1, &b0)] {
                prop_assert!(contains(&x.try_add(y).unwrap(), &Rational::from(qa + qb)));
                prop_assert!(contains(&x.try_sub(y).unwrap(), &Rational::from(qa - qb)));
                prop_assert!(contains(&x.try_mul(y).unwrap(), &Rational::from(qa * qb)));
                prop_assert!(contains(&x.try_div(y).unwrap(), &Rational::from(qa / qb)));
                prop_assert!(contains(&x.sqr().unwrap(), &Rational::from(qa * qa)));
                prop_assert!(contains(&x.powi(3).unwrap(), &(Rational::from(qa * qa) * qa.clone())));
                prop_assert!(contains(&x.powi(-2).unwrap(), &Rational::from(qa * qa).recip()));
            }
            // √ exactly (s.lo² ≤ lo and s.hi² ≥ hi), and narrow
            let xa = x.abs();
            let s = xa.sqrt().unwrap();
            prop_assert!(Rational::from(exact(s.lo()).square_ref()) <= exact(xa.lo()));
            prop_assert!(Rational::from(exact(s.hi()).square_ref()) >= exact(xa.hi()));
            let ws = ((exact(s.hi()) - exact(s.lo())) / exact(s.hi())).to_f64();
            prop_assert!(ws <= 2f64.powi(-60 - 20 * w as i32) + 2f64.powi(-95), "√ width {ws:e}");
            // ln against 300-bit MPFR values of the ends
            let l = xa.ln().unwrap();
            let ln_lo = Float::with_val(300, &exact(xa.lo())).ln();
            let ln_hi = Float::with_val(300, &exact(xa.hi())).ln();
            prop_assert!(Float::with_val(300, &exact(l.lo())) <= ln_lo);
            prop_assert!(Float::with_val(300, &exact(l.hi())) >= ln_hi);
            // exp of ln x gives back an enclosure of x
            if let Some(e) = l.exp() {
                prop_assert!(exact(e.lo()) <= exact(xa.lo()) && exact(xa.hi()) <= exact(e.hi()));
            }
            // f64 accuracy: the enclosure is narrow
            let width = (l.hi().hi - l.lo().hi).abs();
            prop_assert!(width <= 1e-14 * l.hi().hi.abs().max(1.0));
        }

        #[test]
        fn floor_and_ceil_are_exact(a in rational()) {
            let x = DdInterval::from_rational(&a).unwrap();
            let f = x.floor().unwrap();
            let c = x.ceil().unwrap();
            prop_assert!(contains(&f, &a.clone().floor()));
            prop_assert!(contains(&c, &a.clone().ceil()));
            if x.lo() == x.hi() {
                prop_assert_eq!(exact(f.lo()), a.clone().floor());
                prop_assert_eq!(exact(c.hi()), a.clone().ceil());
            }
            let n = f.lo();
            prop_assert_eq!(exact(plus_one(n)), exact(n) + 1u32);
            prop_assert_eq!(exact(twice_plus_one(n)), exact(n) * 2u32 + 1u32);
        }
    }

    #[test]
    fn ln_encloses_at_awkward_points() {
        for v in [
            1.0,
            1.0f64.next_up(),
            1.0f64.next_down(),
            std::f64::consts::SQRT_2,
            std::f64::consts::SQRT_2.next_down(),
            0.5,
            2.0,
            f64::MIN_POSITIVE,
            1e300,
            std::f64::consts::E,
        ] {
            let (a, b) = ln_f64_enclosure(v).unwrap();
            let t = Float::with_val(300, v).ln();
            assert!(
                Float::with_val(300, a) <= t && t <= Float::with_val(300, b),
                "ln {v}"
            );
            assert!(b - a <= 1e-14 * a.abs().max(1.0), "ln {v}: [{a}, {b}]");
        }
        assert_eq!(ln_f64_enclosure(0.0), None);
        assert_eq!(ln_f64_enclosure(-1.0), None);
        assert_eq!(ln_f64_enclosure(f64::NAN), None);
    }

    #[test]
    fn the_split_of_ln2_is_as_stated() {
        let hi = 0.693_147_180_369_123_8f64;
        let lo = 1.908_214_929_270_587_7e-10f64;
        let bits = (hi.to_bits() & ((1 << 52) - 1)) | (1 << 52);
        assert!(
            53 - bits.trailing_zeros() <= 32,
            "LN2_HI has at most 32 significant bits"
        );
        let ln2 = Float::with_val(300, rug::float::Constant::Log2);
        let rest = Float::with_val(300, &ln2 - hi);
        assert!(Float::with_val(300, lo.next_down()) < rest && rest < lo.next_up());
    }

    #[test]
    fn exp_encloses_and_is_narrow() {
        for v in [
            0.0,
            1e-300,
            -1e-300,
            0.5,
            -0.5,
            0.3465,
            0.3466,
            1.0,
            -1.0,
            10.0,
            -10.0,
            100.5,
            -100.5,
            699.9,
            -699.9,
            std::f64::consts::LN_2,
            1e-9,
        ] {
            let (a, b) = exp_f64_enclosure(v).unwrap();
            let t = Float::with_val(300, v).exp();
            assert!(
                Float::with_val(300, a) <= t && t <= Float::with_val(300, b),
                "exp {v}"
            );
            assert!(b - a <= 4e-15 * a, "exp {v}: [{a}, {b}]");
        }
        assert_eq!(exp_f64_enclosure(800.0), None);
        assert_eq!(exp_f64_enclosure(f64::NAN), None);
    }

    #[test]
    fn out_of_range_and_zero_crossing_decline() {
        let big = DdInterval::point(Dd::from_f64(1e100)).unwrap();
        assert!(big.try_mul(big).is_none());
        let around0 = DdInterval::new(Dd::from_f64(-1.0), Dd::from_f64(1.0)).unwrap();
        assert!(around0.recip().is_none());
        assert!(around0.sqrt().is_none());
        assert!(around0.ln().is_none());
        assert_eq!(around0.sqr().unwrap().lo(), Dd::ZERO);
    }
}
