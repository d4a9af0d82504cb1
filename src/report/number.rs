//! Decimal output of certified values. A lower end is rounded toward −∞ and an upper end toward
//! +∞, so the printed interval still contains the value; exact rationals with a short
//! terminating expansion are printed exactly.

use crate::arith::{Interval, exact_decimal};
use crate::verify::Value;
use rug::Float;
use rug::Rational;
use rug::float::Round;
use rug::ops::AssignRound;

/// `x` rounded in direction `round` to `digits` significant digits, as a decimal string
/// (positional for moderate exponents, `d.ddde±N` otherwise; trailing zeros dropped).
pub fn decimal(x: &Float, digits: usize, round: Round) -> String {
    let (neg, ds, exp) = x.to_sign_string_exp_round(10, Some(digits.max(1)), round);
    match exp {
        Some(exp) => layout(neg, &ds, exp as i64),
        None => ds, // zero
    }
}

/// Lays out the value 0.`ds` × 10^`exp` (with a sign): positional for moderate exponents,
/// `d.ddde±N` otherwise; trailing zeros dropped.
fn layout(neg: bool, ds: &str, exp: i64) -> String {
    let sign = if neg { "-" } else { "" };
    let ds = ds.trim_end_matches('0');
    let ds = if ds.is_empty() { "0" } else { ds };
    let sci = exp - 1;
    let body = if (-6..21).contains(&sci) {
        if exp <= 0 {
            format!("0.{}{}", "0".repeat((-exp) as usize), ds)
        } else if exp as usize >= ds.len() {
            format!("{}{}", ds, "0".repeat(exp as usize - ds.len()))
        } else {
            format!("{}.{}", &ds[..exp as usize], &ds[exp as usize..])
        }
    } else if ds.len() == 1 {
        format!("{ds}e{sci}")
    } else {
        format!("{}.{}e{sci}", &ds[..1], &ds[1..])
    };
    format!("{sign}{body}")
}

thread_local! {
    /// Scratch for the width of an enclosure (53 bits, rounded up).
    static WIDTH: std::cell::RefCell<Float> = std::cell::RefCell::new(Float::new(53));
}

/// The decimal with `digits` significant digits that both ends of `x` round to in direction
/// `dir` (up, down or nearest), when they agree; `None` when they do not. One conversion of
/// the lower end with three guard digits decides most cells: the enclosure must be narrower
/// than a thousandth of the last digit, and the guard digits must keep both ends on the same
/// side of every rounding boundary; otherwise both ends are converted.
pub fn common_rounding(x: &Interval, digits: usize, dir: Round) -> Option<String> {
    let positive = x.lo.cmp0() == Some(std::cmp::Ordering::Greater);
    if positive && x.hi.is_finite() {
        let (_, ds, exp) =
            x.lo.to_sign_string_exp_round(10, Some(digits + 3), Round::Down);
        if let Some(exp) = exp
            && ds.len() == digits + 3
        {
            let unit = 10f64.powi(exp - digits as i32);
            let width = WIDTH.with(|w| {
                let mut w = w.borrow_mut();
                w.assign_round(&x.hi - &x.lo, Round::Up);
                w.to_f64_round(Round::Up)
            });
            let narrow = width.is_finite() && unit.is_finite() && width < unit * 4e-4;
            let guard: u32 = ds[digits..].parse().unwrap_or(0);
            let head = &ds[..digits];
            let up = match dir {
                Round::Down if guard <= 997 => Some(false),
                Round::Up if (1..=997).contains(&guard) => Some(true),
                Round::Nearest if guard < 498 => Some(false),
                Round::Nearest if guard > 501 => Some(true),
                _ => None,
            };
            if narrow && let Some(up) = up {
                return Some(if up {
                    let (digits_up, carry) = increment(head);
                    layout(false, &digits_up, exp as i64 + i64::from(carry))
                } else {
                    layout(false, head, exp as i64)
                });
            }
        }
    }
    let a = decimal(&x.lo, digits, dir);
    let b = decimal(&x.hi, digits, dir);
    (a == b).then_some(a)
}

/// Adds one to a string of decimal digits; the flag says whether it carried into a new digit
/// (then the digits are `1000…`, one longer, trimmed back to the same length).
fn increment(ds: &str) -> (String, bool) {
    let mut v: Vec<u8> = ds.bytes().collect();
    for d in v.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return (String::from_utf8(v).expect("digits"), false);
        }
    }
    let mut s = String::from("1");
    s.push_str(&"0".repeat(ds.len() - 1));
    (s, true)
}

/// The two ends of an enclosure, rounded outward to `digits` significant digits.
pub fn enclosure(x: &Interval, digits: usize) -> (String, String) {
    (
        decimal(&x.lo, digits, Round::Down),
        decimal(&x.hi, digits, Round::Up),
    )
}

/// An exact rational as a decimal, laid out like [`decimal`], if its expansion terminates within
/// `digits` significant digits.
pub fn short_exact(q: &Rational, digits: usize) -> Option<String> {
    if *q == 0 {
        return Some("0".into());
    }
    let s = exact_decimal(q)?;
    let neg = s.starts_with('-');
    let body = s.trim_start_matches('-');
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let all = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let significant = all[lead..].trim_end_matches('0');
    if significant.len() > digits.max(1) {
        return None;
    }
    // value = 0.significant × 10^exp
    let exp = int.len() as i64 - lead as i64;
    Some(layout(neg, significant, exp))
}

/// An f64 as its exact decimal value (every finite f64 is a terminating decimal); 0 for a
/// non-finite one.
pub fn f64_exact(v: f64) -> String {
    rational(&Rational::from_f64(v).unwrap_or_default())
}

/// A rational as the user would write it: a decimal when it terminates, else `p/q`.
pub fn rational(q: &Rational) -> String {
    exact_decimal(q).unwrap_or_else(|| format!("{}/{}", q.numer(), q.denom()))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Float {
        Float::with_val(256, Float::parse(s).unwrap())
    }

    #[test]
    fn rounds_outward() {
        assert_eq!(decimal(&f("0.123456789"), 4, Round::Down), "0.1234");
        assert_eq!(decimal(&f("0.123456789"), 4, Round::Up), "0.1235");
        assert_eq!(decimal(&f("-0.123456789"), 4, Round::Down), "-0.1235");
        assert_eq!(decimal(&f("62500"), 2, Round::Down), "62000");
        let tiny = Float::with_val(64, 0.5f64.powi(40)); // 9.094947017729282e-13, exact
        assert_eq!(decimal(&tiny, 3, Round::Down), "9.09e-13");
        assert_eq!(decimal(&tiny, 3, Round::Up), "9.1e-13");
        assert_eq!(
            decimal(&f("12345678901234567890123"), 3, Round::Up),
            "1.24e22"
        );
        assert_eq!(decimal(&f("0"), 3, Round::Up), "0");
        assert_eq!(decimal(&f("2"), 3, Round::Up), "2");
    }

    #[test]
    fn common_rounding_agrees_with_rounding_both_ends() {
        // Narrow enclosures around many values, in every direction: the one-conversion path
        // gives what rounding both ends gives.
        let mut x = 0.000123456789f64;
        for i in 0..2000 {
            x = (x * 1.37 + 0.011 * i as f64) % 1e6 + 1e-9;
            for w in [0.0, 1e-30, 1e-12] {
                let lo = Float::with_val(128, x);
                let hi = Float::with_val(128, x) * (1.0 + w) + w;
                let iv = Interval { lo, hi };
                for dir in [Round::Up, Round::Down, Round::Nearest] {
                    for d in [3, 8, 20] {
                        let a = decimal(&iv.lo, d, dir);
                        let b = decimal(&iv.hi, d, dir);
                        let both = (a == b).then_some(a);
                        let fast = common_rounding(&iv, d, dir);
                        if let (Some(f), Some(s)) = (&fast, &both) {
                            assert_eq!(f, s, "{x} {w} {dir:?} {d}");
                        }
                        assert!(fast.is_none() || both.is_some(), "{x} {w} {dir:?} {d}");
                    }
                }
            }
        }
        assert_eq!(increment("0999").0, "1000");
        assert_eq!(increment("999"), ("100".into(), true));
    }

    #[test]
    fn exact_values_print_exactly_and_compactly() {
        let q = |s: &str| crate::arith::parse_rational(s).unwrap();
        assert_eq!(short_exact(&q("0.0099"), 8).as_deref(), Some("0.0099"));
        assert_eq!(short_exact(&q("2250000"), 8).as_deref(), Some("2250000"));
        assert_eq!(short_exact(&q("-12.5"), 8).as_deref(), Some("-12.5"));
        assert_eq!(
            short_exact(&q("1e-100000"), 8).as_deref(),
            Some("1e-100000")
        );
        assert_eq!(short_exact(&q("3.5e30"), 8).as_deref(), Some("3.5e30"));
        assert_eq!(short_exact(&q("123456789"), 8), None);
        assert_eq!(short_exact(&q("1/3"), 8), None);
    }
}
