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
    let Some(q) = rug::Rational::from_f64(v) else {
        return format!("{v}");
    };
    use rug::ops::Pow;
    let scale = rug::Integer::from(10).pow(decimals as u32);
    let scaled = q * &scale;
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
    }
}
