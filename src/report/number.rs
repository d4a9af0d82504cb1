//! Values of the verifier as text: the printed ends of a [`Value`] and its one-line form. The
//! rounding itself is certified in [`crate::arith::decimal`]; the functions re-exported here are
//! kept under this path for the callers that print values with them.

use crate::arith::Interval;
use crate::arith::decimal::enclosure;
use crate::verify::Value;

pub use crate::arith::decimal::{f64_exact, rational, short_exact};

/// The printed ends of a value at `digits` significant digits: an exact value with a short
/// terminating expansion prints as itself at both ends; an exact value without one is rounded
/// outward from the rational itself (ends one unit apart); otherwise the enclosure is rounded
/// outward. `None` when the value is undefined.
pub fn value_ends(v: &Value, digits: usize) -> Option<(String, String)> {
    if let Some(q) = &v.exact {
        if let Some(s) = short_exact(q, digits) {
            return Some((s.clone(), s));
        }
        let bits = (digits as f64 * 3.33) as u32 + 64;
        return Some(enclosure(&Interval::from_rational(q, bits), digits));
    }
    v.enclosure.as_ref().ok().map(|x| enclosure(x, digits))
}

/// How a value prints in text: a single number when both printed ends agree, else
/// `[lo, hi]`; a fault prints as `undefined (…)`.
pub fn value_text(v: &Value, digits: usize) -> String {
    match (value_ends(v, digits), &v.enclosure) {
        (Some((lo, hi)), _) if lo == hi => lo,
        (Some((lo, hi)), _) => format!("[{lo}, {hi}]"),
        (None, Err(f)) => format!(
            "undefined ({})",
            v.undefined.clone().unwrap_or_else(|| f.error.to_string())
        ),
        (None, Ok(_)) => "undefined".into(),
    }
}

/// `v` with `decimals` digits after the point, rounded toward −∞ (`down`) or +∞: the printed
/// lower end of a bound is never above it, the upper end never below (0.99998 prints as
/// `0.9999` as a lower end, `1.0000` as an upper one). A value that is not finite prints as
/// Rust prints it (`NaN`, `inf`).
pub fn fixed_directed(v: f64, decimals: usize, down: bool) -> String {
    match rug::Rational::from_f64(v) {
        Some(q) => fixed_directed_rational(&q, decimals, down),
        None => format!("{v}"),
    }
}

/// [`fixed_directed`] for an exact rational.
fn fixed_directed_rational(q: &rug::Rational, decimals: usize, down: bool) -> String {
    use rug::ops::Pow;
    let scale = rug::Integer::from(10).pow(decimals as u32);
    let scaled = q.clone() * &scale;
    let n = if down { scaled.floor() } else { scaled.ceil() };
    let n = n.numer().clone();
    let negative = n < 0;
    let digits = n.abs().to_string();
    let digits = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    let sign = if negative { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// `v` at `sig` significant digits rounded toward −∞ (`down`) or +∞: fixed notation for
/// magnitudes from 10⁻⁴ to 10⁹, else scientific (`-1.234567e-30`); 0 prints as `0`.
pub fn significant_directed(v: f64, sig: usize, down: bool) -> String {
    use rug::ops::Pow;
    let Some(q) = rug::Rational::from_f64(v) else {
        return format!("{v}");
    };
    if v == 0.0 {
        return "0".into();
    }
    let sig = sig.max(1);
    let e = v.abs().log10().floor() as i32;
    if (-4..9).contains(&e) {
        return fixed_directed_rational(&q, (sig as i32 - 1 - e).max(0) as usize, down);
    }
    // m = v / 10^e, about [1, 10), exactly; its digits rounded in the direction asked
    let scale = rug::Rational::from(rug::Integer::from(10).pow(e.unsigned_abs()));
    let m = if e >= 0 { q / scale } else { q * scale };
    format!("{}e{e}", fixed_directed_rational(&m, sig - 1, down))
}

/// A certified bracket `[lo, hi]` at `sig` significant digits, rounded outward.
pub fn bracket_text(lo: f64, hi: f64, sig: usize) -> String {
    format!(
        "[{}, {}]",
        significant_directed(lo, sig, true),
        significant_directed(hi, sig, false)
    )
}

/// An interval `[lo, hi]` of bounds at `decimals` digits after the point, its ends rounded
/// outward ([`fixed_directed`]).
pub fn bounds_text(lo: f64, hi: f64, decimals: usize) -> String {
    format!(
        "[{}, {}]",
        fixed_directed(lo, decimals, true),
        fixed_directed(hi, decimals, false)
    )
}

#[cfg(test)]
mod directed_tests {
    use super::*;

    #[test]
    fn bounds_round_outward() {
        assert_eq!(fixed_directed(0.99998, 4, true), "0.9999");
        assert_eq!(fixed_directed(0.99998, 4, false), "1.0000");
        assert_eq!(fixed_directed(0.00002, 4, true), "0.0000");
        assert_eq!(fixed_directed(0.00002, 4, false), "0.0001");
        assert_eq!(fixed_directed(0.5, 4, true), "0.5000");
        assert_eq!(fixed_directed(0.5, 4, false), "0.5000");
        assert_eq!(fixed_directed(1.0, 4, true), "1.0000");
        assert_eq!(fixed_directed(0.0, 4, false), "0.0000");
        assert_eq!(fixed_directed(-0.25, 1, true), "-0.3");
        assert_eq!(fixed_directed(-0.25, 1, false), "-0.2");
        assert_eq!(fixed_directed(12.5, 0, true), "12");
        assert_eq!(fixed_directed(f64::NAN, 4, true), "NaN");
        // 0.1 is a little above 1/10 as an f64: up rounds to the next unit, down stays
        assert_eq!(fixed_directed(0.1, 1, true), "0.1");
        assert_eq!(fixed_directed(0.1, 1, false), "0.2");
        assert_eq!(bounds_text(0.12344, 0.98761, 3), "[0.123, 0.988]");
        // the f64s nearest −1.5e−30 and 2.5e−30 are −1.49999999999999994984e−30 and
        // 2.49999999999999985802e−30 (Python's Decimal of them): outward at 3 digits
        assert_eq!(bracket_text(-1.5e-30, 2.5e-30, 3), "[-1.50e-30, 2.50e-30]");
        assert_eq!(
            bracket_text(-1.5e-30, 2.5e-30, 20),
            "[-1.4999999999999999499e-30, 2.4999999999999998581e-30]"
        );
        assert_eq!(significant_directed(0.888888888888, 7, true), "0.8888888");
        assert_eq!(significant_directed(0.888888888888, 7, false), "0.8888889");
        assert_eq!(significant_directed(3.5, 7, false), "3.500000");
        assert_eq!(significant_directed(0.0, 7, false), "0");
        assert_eq!(significant_directed(-12345678901.0, 3, true), "-1.24e10");
        assert_eq!(significant_directed(-12345678901.0, 3, false), "-1.23e10");
    }
}
