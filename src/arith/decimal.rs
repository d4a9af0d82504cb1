//! Certified decimal rounding: the decimal digits of MPFR and double-double enclosures and of
//! exact rationals, each rounded in a stated direction (down toward −∞, up toward +∞, or to
//! nearest), so that a printed lower end is at or below the value, a printed upper end at or
//! above it, and a cell rounded "to nearest" is the value's own correct rounding. Exact
//! rationals with a short terminating expansion come out exactly.

use super::dd::{self, Dd, DdInterval};
use super::{Interval, exact_decimal};
use rug::Float;
use rug::Rational;
use rug::float::Round;
use rug::ops::AssignRound;
use std::cmp::Ordering;

/// `x` rounded in direction `round` to `digits` significant digits (at least 1), as a decimal
/// string (positional for moderate exponents, `d.ddde±N` otherwise; trailing zeros dropped).
/// MPFR rounds the conversion correctly in the direction asked, so `Down` gives a decimal at
/// or below `x` and `Up` one at or above it. For finite `x`; zero prints as `0`.
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
    let mut out = String::new();
    layout_into(&mut out, neg, ds, exp);
    out
}

/// [`layout`], appended to `out`.
fn layout_into(out: &mut String, neg: bool, ds: &str, exp: i64) {
    use std::fmt::Write;
    if neg {
        out.push('-');
    }
    let ds = ds.trim_end_matches('0');
    let ds = if ds.is_empty() { "0" } else { ds };
    let zeros = |out: &mut String, n: usize| out.extend(std::iter::repeat_n('0', n));
    let sci = exp - 1;
    if (-6..21).contains(&sci) {
        if exp <= 0 {
            out.push_str("0.");
            zeros(out, (-exp) as usize);
            out.push_str(ds);
        } else if exp as usize >= ds.len() {
            out.push_str(ds);
            zeros(out, exp as usize - ds.len());
        } else {
            out.push_str(&ds[..exp as usize]);
            out.push('.');
            out.push_str(&ds[exp as usize..]);
        }
    } else {
        out.push_str(&ds[..1]);
        if ds.len() > 1 {
            out.push('.');
            out.push_str(&ds[1..]);
        }
        let _ = write!(out, "e{sci}");
    }
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
    let positive = x.lo().cmp0() == Some(std::cmp::Ordering::Greater);
    if positive && x.hi().is_finite() {
        let (_, ds, exp) = x
            .lo()
            .to_sign_string_exp_round(10, Some(digits + 3), Round::Down);
        if let Some(exp) = exp
            && ds.len() == digits + 3
        {
            let unit = 10f64.powi(exp - digits as i32);
            let width = WIDTH.with(|w| {
                let mut w = w.borrow_mut();
                w.assign_round(x.hi() - x.lo(), Round::Up);
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
    let a = decimal(x.lo(), digits, dir);
    let b = decimal(x.hi(), digits, dir);
    (a == b).then_some(a)
}

/// [`common_rounding`] for a double-double enclosure: the decimal with `digits` significant
/// digits (at most 30) that both ends round to in direction `dir`, found with exact integer
/// arithmetic on the ends scaled by a power of ten; `None` when the ends round apart, when one is
/// exactly halfway under `Nearest`, when the enclosure contains or touches 0, or when the scale is
/// out of the covered range. Gives the same string as [`common_rounding`] whenever both give one.
pub fn common_rounding_dd(x: &DdInterval, digits: usize, dir: Round) -> Option<String> {
    let mut out = String::new();
    common_rounding_dd_into(&mut out, x, digits, dir).then_some(out)
}

/// [`common_rounding_dd`], appended to `out`; false (and `out` unchanged) when it declines.
pub fn common_rounding_dd_into(
    out: &mut String,
    x: &DdInterval,
    digits: usize,
    dir: Round,
) -> bool {
    if !(1..=30).contains(&digits) {
        return false;
    }
    if x.is_zero() {
        out.push('0');
        return true;
    }
    let (neg, found) = if x.lo().hi > 0.0 {
        (false, positive_rounding(x.lo(), x.hi(), digits, dir))
    } else if x.hi().hi < 0.0 {
        let flipped = match dir {
            Round::Up => Round::Down,
            Round::Down => Round::Up,
            other => other,
        };
        (true, positive_rounding(-x.hi(), -x.lo(), digits, flipped))
    } else {
        (false, None)
    };
    let Some((n, exp)) = found else { return false };
    // the digits of n (< 10^31), without an allocation: two u64 halves of 19 digits
    let mut buf = [0u8; 40];
    let mut i = buf.len();
    let (mut high, mut low) = ((n / 10u128.pow(19)) as u64, (n % 10u128.pow(19)) as u64);
    loop {
        i -= 1;
        buf[i] = b'0' + (low % 10) as u8;
        low /= 10;
        if low == 0 && (high == 0 || i == buf.len() - 19) {
            break;
        }
    }
    while high > 0 {
        i -= 1;
        buf[i] = b'0' + (high % 10) as u8;
        high /= 10;
    }
    let ds = std::str::from_utf8(&buf[i..]).expect("ASCII digits");
    layout_into(out, neg, ds, exp);
    true
}

/// For 0 < lo ≤ hi: the integer N and exponent e with both ends rounding to 0.N × 10^e.
fn positive_rounding(lo: Dd, hi: Dd, digits: usize, dir: Round) -> Option<(u128, i64)> {
    // 10^k ≤ lo < 10^(k+1), k first estimated in f64 and then checked exactly on the scaled end
    let mut k = lo.hi.log10().floor() as i32;
    let low = pow10(digits as i32 - 1)?.lo();
    let high = pow10(digits as i32)?.lo();
    for _ in 0..3 {
        let scale = pow10(digits as i32 - 1 - k)?;
        let s = scaled(lo, hi, scale)?;
        if dd::cmp(s.lo(), low) == Ordering::Less {
            k -= 1;
            continue;
        }
        if dd::cmp(s.lo(), high) != Ordering::Less {
            k += 1;
            continue;
        }
        if dd::cmp(s.hi(), high) != Ordering::Less {
            return None; // the ends straddle a power of ten
        }
        let a = round_to_integer(s.lo(), dir)?;
        let b = round_to_integer(s.hi(), dir)?;
        if dd::cmp(a, b) != Ordering::Equal {
            return None;
        }
        let n = u128::try_from(dd::to_i128(a)).ok()?;
        let len = n.checked_ilog10().map_or(1, |l| l as i64 + 1);
        return Some((n, k as i64 + 1 + (len - digits as i64)));
    }
    None
}

/// [lo, hi]·10^m for the power of ten `scale`: exactly (by TwoProd) at an end that is a single
/// f64 when 10^m is one (m ≤ 22), else certified by interval multiplication.
fn scaled(lo: Dd, hi: Dd, scale: DdInterval) -> Option<DdInterval> {
    let exact_end = |x: Dd| {
        (x.lo == 0.0 && scale.lo() == scale.hi() && scale.lo().lo == 0.0)
            .then(|| dd::exact_product(x.hi, scale.lo().hi))
            .flatten()
    };
    let s = DdInterval::new(lo, hi)?.try_mul(scale)?;
    DdInterval::new(
        exact_end(lo).unwrap_or(s.lo()),
        exact_end(hi).unwrap_or(s.hi()),
    )
}

/// x rounded to an integer in direction `dir` (ties under `Nearest` decline), exactly.
fn round_to_integer(x: Dd, dir: Round) -> Option<Dd> {
    let n = dd::floor(x)?;
    match dir {
        Round::Down | Round::Zero => Some(n),
        Round::Up | Round::AwayZero => Some(if dd::cmp(x, n) == Ordering::Equal {
            n
        } else {
            dd::plus_one(n)
        }),
        _ => {
            // compare 2x with 2n + 1, both exact
            let twice = Dd {
                hi: 2.0 * x.hi,
                lo: 2.0 * x.lo,
            };
            match dd::cmp(twice, dd::twice_plus_one(n)) {
                Ordering::Less => Some(n),
                Ordering::Greater => Some(dd::plus_one(n)),
                Ordering::Equal => None,
            }
        }
    }
}

/// 10^m as an exact double-double point for 0 ≤ m ≤ 44 (5^m < 2^104), its certified reciprocal
/// for −44 ≤ m < 0; computed once.
fn pow10(m: i32) -> Option<DdInterval> {
    static TABLE: std::sync::OnceLock<Vec<Option<DdInterval>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (-44..=44)
            .map(|m: i32| {
                let p = m.unsigned_abs();
                let five = 5u128.pow(p);
                let hi = five as f64;
                let lo = (five as i128 - hi as i128) as f64;
                let two = f64::from_bits((1023 + p as u64) << 52);
                let point = DdInterval::point(Dd {
                    hi: hi * two,
                    lo: lo * two,
                })?;
                if m >= 0 { Some(point) } else { point.recip() }
            })
            .collect()
    });
    table.get(usize::try_from(m + 44).ok()?).copied().flatten()
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

/// The two ends of an enclosure, rounded outward to `digits` significant digits (the lower end
/// down, the upper end up), so that the printed interval still contains the value.
pub fn enclosure(x: &Interval, digits: usize) -> (String, String) {
    (
        decimal(x.lo(), digits, Round::Down),
        decimal(x.hi(), digits, Round::Up),
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

/// A rational as the user would write it, exactly: a decimal when it terminates, else `p/q`.
pub fn rational(q: &Rational) -> String {
    exact_decimal(q).unwrap_or_else(|| format!("{}/{}", q.numer(), q.denom()))
}

/// [`rational`], in scientific notation when that is shorter and the exponent is at least 5
/// in size (`1e30`, `2.5e-12`, `14285714285714285714285714` stays as it is): exact either way,
/// and read back by every number parser of the tool.
pub fn rational_short(q: &Rational) -> String {
    let plain = rational(q);
    let Some(dec) = exact_decimal(q) else {
        return plain;
    };
    let (sign, body) = match dec.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", dec.as_str()),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits: String = format!("{int}{frac}");
    let lead = digits.len() - digits.trim_start_matches('0').len();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return plain;
    }
    // q = 0.significant × 10^(int.len() − lead)
    let exponent = int.len() as i64 - lead as i64 - 1;
    if exponent.abs() < 5 {
        return plain;
    }
    let mantissa = if significant.len() == 1 {
        significant.to_string()
    } else {
        format!("{}.{}", &significant[..1], &significant[1..])
    };
    let sci = format!("{sign}{mantissa}e{exponent}");
    if sci.len() < plain.len() { sci } else { plain }
}

/// The cell of an exact rational `q`: its decimal when that terminates within `digits`
/// significant digits, else its rounding to `digits` significant digits in direction `dir`
/// (through a binary float of four bits per digit and 128 more, rounded the same way: such a
/// float is not a decimal grid point, so its directed rounding is that of `q`).
pub fn rational_rounding(q: &Rational, digits: usize, dir: Round) -> String {
    if let Some(s) = short_exact(q, digits) {
        return s;
    }
    let (f, _) = Float::with_val_round(digits as u32 * 4 + 128, q, dir);
    decimal(&f, digits, dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rug::ops::Pow;

    #[test]
    fn short_rationals_are_exact_and_read_back() {
        for (q, want) in [
            (Rational::from(10).pow(30u32), "1e30"),
            (
                Rational::from((1, Rational::from(10).pow(30u32).numer().clone())),
                "1e-30",
            ),
            (Rational::from((25, 10_000_000_000_000u64)), "2.5e-12"),
            (Rational::from(-3_000_000), "-3e6"),
            (Rational::from(1000), "1000"),
            (Rational::from((3, 10)), "0.3"),
            (Rational::from((1, 3)), "1/3"),
            (
                Rational::from(14_285_714_285_714_285u64),
                "14285714285714285",
            ),
        ] {
            let s = rational_short(&q);
            assert_eq!(s, want);
            assert_eq!(crate::arith::parse_rational(&s).unwrap(), q, "{s}");
        }
    }

    /// The correct rounding of an exact rational, from a 2000-bit directed rounding of it.
    fn exact_rounding(q: &Rational, digits: usize, dir: Round) -> String {
        let (f, _) = Float::with_val_round(2000, q, dir);
        decimal(&f, digits, dir)
    }

    fn dirs() -> impl Strategy<Value = Round> {
        prop_oneof![Just(Round::Up), Just(Round::Down), Just(Round::Nearest)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The double-double rounding agrees with the exact value's rounding whenever it answers,
        /// and with the MPFR path whenever both answer.
        #[test]
        fn double_double_rounding_is_the_exact_rounding(
            n in 1i64..i64::MAX, d in 1i64..i64::MAX, e in -60i32..60, neg in any::<bool>(),
            digits in 1usize..=25, dir in dirs(), width in 0u32..4,
        ) {
            let mut q = Rational::from((n, d)) * Rational::from(10).pow(e);
            if neg { q = -q; }
            let iv = Interval::from_rational(&q, 64 + 64 * width);
            let Some(dd) = DdInterval::from_interval(&iv) else { return Ok(()) };
            if let Some(got) = common_rounding_dd(&dd, digits, dir) {
                prop_assert_eq!(&got, &exact_rounding(&q, digits, dir));
                if let Some(mpfr) = common_rounding(&iv, digits, dir) {
                    prop_assert_eq!(got, mpfr);
                }
            }
        }

        /// Short exact decimals (the cells most likely to sit on a rounding boundary).
        #[test]
        fn double_double_rounding_at_decimal_grid_points(
            n in 1i64..1_000_000_000, e in -30i32..30, digits in 1usize..=20, dir in dirs(),
        ) {
            let q = Rational::from(n) * Rational::from(10).pow(e);
            let Some(dd) = DdInterval::from_rational(&q) else { return Ok(()) };
            if let Some(got) = common_rounding_dd(&dd, digits, dir) {
                prop_assert_eq!(got, exact_rounding(&q, digits, dir));
            }
        }
    }

    #[test]
    fn double_double_rounding_of_exact_small_values() {
        // exact when the power of ten is one f64 (up to 10^22)
        for (v, d, want) in [
            (1.0, 3, "1"),
            (1.0, 20, "1"),
            (100.0, 3, "100"),
            (56.25, 20, "56.25"),
            (0.5, 1, "0.5"),
            (4_974_008.0, 20, "4974008"),
        ] {
            let x = DdInterval::point(Dd::from_f64(v)).unwrap();
            for dir in [Round::Up, Round::Down, Round::Nearest] {
                assert_eq!(
                    common_rounding_dd(&x, d, dir).as_deref(),
                    Some(want),
                    "{v} {d}"
                );
            }
        }
        // beyond that, exact values on a boundary are left to the MPFR road
        for (v, d) in [(1.0, 30), (1e22, 20)] {
            let x = DdInterval::point(Dd::from_f64(v)).unwrap();
            assert_eq!(common_rounding_dd(&x, d, Round::Up), None);
        }
        assert_eq!(
            common_rounding_dd(&DdInterval::ZERO, 20, Round::Up).as_deref(),
            Some("0")
        );
    }

    #[test]
    fn double_double_rounding_decides_ordinary_values() {
        let q = Rational::from((1_005_226_140_703_517_588_i64, 7_000_000_000_000_i64));
        let dd = DdInterval::from_rational(&q).unwrap();
        for dir in [Round::Up, Round::Down, Round::Nearest] {
            assert_eq!(
                common_rounding_dd(&dd, 20, dir),
                Some(exact_rounding(&q, 20, dir))
            );
        }
        // an integer: nearest gives it, up and down give it too
        let t = DdInterval::from_rational(&Rational::from(4_974_008)).unwrap();
        assert_eq!(
            common_rounding_dd(&t, 20, Round::Nearest).unwrap(),
            "4974008"
        );
        // enclosures that straddle 0 decline
        let straddle = DdInterval::new(Dd::from_f64(-1e-30), Dd::from_f64(1e-30)).unwrap();
        assert_eq!(common_rounding_dd(&straddle, 20, Round::Up), None);
    }

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
                let iv = Interval::new(lo, hi).unwrap();
                for dir in [Round::Up, Round::Down, Round::Nearest] {
                    for d in [3, 8, 20] {
                        let a = decimal(iv.lo(), d, dir);
                        let b = decimal(iv.hi(), d, dir);
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
