//! Sine and cosine in f64 for simulation, written so that a loop over many lanes compiles to
//! vector instructions: no branches and no library calls on the fast path, only IEEE additions
//! and multiplications (never fused), so every lane width and every machine gives bit-identical
//! results.
//!
//! Method: x = qπ + d with q = round(x/π), |d| ≤ π/2 (slightly more when x/π rounds across a
//! half), where π is split into four parts whose first three have at most 25 significant bits,
//! so q·part is exact for |q| < 2^28 and the first subtraction is exact by Sterbenz's lemma;
//! then sin(x) = (−1)^q·sin(d), with sin(d) from its Taylor series to degree 21 (truncation
//! below 1.2·10⁻¹⁸ for |d| ≤ π/2). The cosine uses cos(x) = (−1)^(q+1)·sin(x − (q + ½)π).
//! Accuracy (tested against the C library): within a few units in the last place for
//! |x| ≤ [`FAST_LIMIT`]; beyond it, and for non-finite x, the functions fall back to the
//! standard library.
//! No guarantee is claimed: certified work uses the interval evaluator, never this.

/// The largest |x| the vector path serves; larger arguments go to the standard library.
pub const FAST_LIMIT: f64 = 1.0e8;

/// π = PI_A + PI_B + PI_C + PI_D to about 4.6·10⁻⁴¹; PI_A, PI_B, PI_C have 25, 24, 25
/// significant bits.
pub const PI_A: f64 = 3.141_592_621_803_283_7;
pub const PI_B: f64 = 3.178_650_942_459_171_3e-8;
pub const PI_C: f64 = 1.224_646_786_410_718_9e-16;
pub const PI_D: f64 = 1.273_663_432_702_19e-24;

/// 1.5·2⁵²: adding and subtracting it rounds |v| < 2⁵¹ to the nearest integer, ties to even,
/// and leaves the integer's parity in the lowest bit of the sum.
pub const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// (−1)^k/(2k+1)! for k = 1..10, each the nearest f64 (computed with exact fractions).
pub const SIN_TAYLOR: [f64; 10] = [
    -0.166_666_666_666_666_66,
    0.008_333_333_333_333_333,
    -0.000_198_412_698_412_698_4,
    2.755_731_922_398_589_3e-6,
    -2.505_210_838_544_172e-8,
    1.605_904_383_682_161_3e-10,
    -7.647_163_731_819_816e-13,
    2.811_457_254_345_520_6e-15,
    -8.220_635_246_624_33e-18,
    1.957_294_106_339_126_3e-20,
];

/// sin(d) for |d| ≲ π/2 by the Taylor polynomial (Horner in d²).
#[inline(always)]
fn sin_reduced(d: f64) -> f64 {
    let s = d * d;
    let mut u = SIN_TAYLOR[9];
    for &c in SIN_TAYLOR[..9].iter().rev() {
        u = u * s + c;
    }
    // sin(d) has the sign of d for |d| < π; copysign keeps sin(−0) = −0.
    (d + d * (s * u)).copysign(d)
}

/// x − m·π for an integer-valued f64 m with |m| < 2²⁸ (the reduction above).
#[inline(always)]
fn minus_multiple_of_pi(x: f64, m: f64) -> f64 {
    let d = x - m * PI_A;
    let d = d - m * PI_B;
    let d = d - m * PI_C;
    d - m * PI_D
}

/// Flips the sign of `v` when the lowest bit of `parity_carrier`'s representation is 1.
#[inline(always)]
fn flip_if_odd(v: f64, parity_carrier: f64) -> f64 {
    f64::from_bits(v.to_bits() ^ ((parity_carrier.to_bits() & 1) << 63))
}

/// sin(x) for |x| ≤ [`FAST_LIMIT`] (meaningless beyond); branch-free.
#[inline(always)]
pub fn sin_fast(x: f64) -> f64 {
    let t = x * std::f64::consts::FRAC_1_PI + ROUNDER;
    let q = t - ROUNDER;
    flip_if_odd(sin_reduced(minus_multiple_of_pi(x, q)), t)
}

/// cos(x) for |x| ≤ [`FAST_LIMIT`] (meaningless beyond); branch-free.
#[inline(always)]
pub fn cos_fast(x: f64) -> f64 {
    // q = round(x/π − ½); x − (q + ½)π = (2x − (2q + 1)π)/2 exactly in binary.
    let t = (x * std::f64::consts::FRAC_1_PI - 0.5) + ROUNDER;
    let q = t - ROUNDER;
    let d = 0.5 * minus_multiple_of_pi(2.0 * x, 2.0 * q + 1.0);
    // (−1)^(q+1): flip when q is even.
    -flip_if_odd(sin_reduced(d), t)
}

/// sin(x) for every f64.
#[inline(always)]
pub fn sin(x: f64) -> f64 {
    if x.abs() <= FAST_LIMIT {
        sin_fast(x)
    } else {
        x.sin()
    }
}

/// cos(x) for every f64.
#[inline(always)]
pub fn cos(x: f64) -> f64 {
    if x.abs() <= FAST_LIMIT {
        cos_fast(x)
    } else {
        x.cos()
    }
}

/// `out[i] = sin(a[i])` for every lane: one vectorizable pass, then the rare lanes beyond the
/// fast range redone by the standard library.
#[inline(always)]
pub fn sin_lanes(a: &[f64], out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = sin_fast(x);
    }
    fix_slow_lanes(a, out, f64::sin);
}

/// `out[i] = cos(a[i])` for every lane, as [`sin_lanes`].
#[inline(always)]
pub fn cos_lanes(a: &[f64], out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = cos_fast(x);
    }
    fix_slow_lanes(a, out, f64::cos);
}

#[inline(always)]
fn fix_slow_lanes(a: &[f64], out: &mut [f64], f: fn(f64) -> f64) {
    // A branch-free scan first (vectorizes); the repair loop runs only when needed.
    let all_fast = a.iter().fold(true, |ok, x| ok & (x.abs() <= FAST_LIMIT));
    if !all_fast {
        for (o, &x) in out.iter_mut().zip(a) {
            if x.abs() > FAST_LIMIT || x.is_nan() {
                *o = f(x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Error in units of the last place of the reference, with a floor of 2⁻¹⁰⁷·… for results
    /// near 0 (where the reference's own ulp is tiny): measured against ulp(max(|ref|, 2⁻³⁰)).
    fn ulps(got: f64, want: f64) -> f64 {
        let scale = want.abs().max(2f64.powi(-30));
        let ulp = f64::EPSILON * 2f64.powi(scale.log2().floor() as i32);
        (got - want).abs() / ulp
    }

    fn worst(f: fn(f64) -> f64, g: fn(f64) -> f64, xs: impl Iterator<Item = f64>) -> (f64, f64) {
        xs.map(|x| (ulps(f(x), g(x)), x))
            .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a })
    }

    fn samples(seed: u64, span: f64) -> impl Iterator<Item = f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..200_000).map(move |_| span * (2.0 * rng.random::<f64>() - 1.0))
    }

    #[test]
    fn sine_and_cosine_agree_with_the_c_library_within_four_ulps() {
        for span in [1.0, 10.0, 1e3, 1e6, FAST_LIMIT] {
            let (e, x) = worst(sin, f64::sin, samples(1, span));
            assert!(e <= 4.0, "sin: {e} ulps at {x:e} (span {span:e})");
            let (e, x) = worst(cos, f64::cos, samples(2, span));
            assert!(e <= 4.0, "cos: {e} ulps at {x:e} (span {span:e})");
        }
    }

    #[test]
    fn near_the_zeros_the_error_stays_absolute_tiny() {
        // x near kπ (sine's zeros) and (k + ½)π (cosine's): the result is small and the
        // reduction must not lose it.
        for k in [-1_000_000i64, -3, -1, 1, 2, 7, 1000, 31_830_988] {
            let base = k as f64 * std::f64::consts::PI;
            for j in -20..=20 {
                let x = base + j as f64 * 1e-9 * (1.0 + base.abs());
                assert!(ulps(sin(x), x.sin()) <= 4.0, "sin at {x:e}");
                let y = x + std::f64::consts::FRAC_PI_2;
                assert!(ulps(cos(y), y.cos()) <= 4.0, "cos at {y:e}");
            }
        }
    }

    #[test]
    fn special_values_match_the_standard_library() {
        // Tiny arguments and those beyond the fast range: exactly the library's values.
        for x in [0.0, 1e-300, -1e-300, 5e-324, 1.5e8, -1e300] {
            assert_eq!(sin(x), x.sin(), "sin({x:e})");
        }
        for x in [1.5e8, -1e300] {
            assert_eq!(cos(x), x.cos(), "cos({x:e})");
        }
        for x in [0.0, 1e-300, 5e-324, FAST_LIMIT, -FAST_LIMIT] {
            assert!(ulps(sin(x), x.sin()) <= 4.0 && ulps(cos(x), x.cos()) <= 4.0);
        }
        assert_eq!(sin(-0.0).to_bits(), (-0.0f64).to_bits());
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(sin(x).is_nan() && cos(x).is_nan());
        }
    }

    #[test]
    fn lanes_equal_the_scalar_functions_bit_for_bit() {
        let xs: Vec<f64> = samples(3, 50.0)
            .take(64)
            .chain([f64::NAN, 1e300, -2e9, 0.0])
            .collect();
        let mut s = vec![0.0; xs.len()];
        let mut c = vec![0.0; xs.len()];
        sin_lanes(&xs, &mut s);
        cos_lanes(&xs, &mut c);
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(s[i].to_bits(), sin(x).to_bits(), "sin lane {i}");
            assert_eq!(c[i].to_bits(), cos(x).to_bits(), "cos lane {i}");
        }
    }
}
