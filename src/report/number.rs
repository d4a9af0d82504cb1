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
