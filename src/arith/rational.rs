//! Exact reading of decimal and rational input (`0.1`, `1e-4`, `-2.5E+3`, `3/7`) as
//! `rug::Rational`. Nothing passes through binary floating point.

use rug::{Integer, Rational};

/// Why a number could not be read: the text (cut when very long) and the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a number: {reason}")]
pub struct NumberError {
    pub text: String,
    pub reason: String,
}

/// The largest decimal exponent accepted in input: `1e100000` is read, `1e999999999999` is
/// refused (its exact value would need gigabytes).
pub const MAX_DECIMAL_EXPONENT: i64 = 100_000;
/// The most characters a number may have.
pub const MAX_NUMBER_LEN: usize = 10_000;

fn err(text: &str, reason: impl Into<String>) -> NumberError {
    NumberError {
        text: text.to_string(),
        reason: reason.into(),
    }
}

/// Reads `text` exactly: an optional sign, digits with an optional decimal point, an optional
/// exponent (`e` or `E`, optional sign, digits); or two such numbers separated by `/`.
/// Underscores, spaces, `inf`, `nan`, hexadecimal and empty parts are refused with a reason.
pub fn parse_rational(text: &str) -> Result<Rational, NumberError> {
    if text.len() > MAX_NUMBER_LEN {
        // the first 40 bytes or fewer, cut at a character boundary
        let cut = (0..=40)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        return Err(err(
            &format!("{}…", &text[..cut]),
            format!("longer than {MAX_NUMBER_LEN} characters"),
        ));
    }
    let lower = text.trim().to_ascii_lowercase();
    let bare = lower.trim_start_matches(['+', '-']);
    if ["inf", "infinity", "nan"].contains(&bare) {
        return Err(err(text, "only finite numbers are accepted"));
    }
    match text.split_once('/') {
        Some((p, q)) => {
            let p = parse_decimal(text, p)?;
            let q = parse_decimal(text, q)?;
            if q == 0 {
                return Err(err(text, "the denominator is zero"));
            }
            Ok(p / q)
        }
        None => parse_decimal(text, text),
    }
}

/// Reads one decimal part of `whole` (used for messages).
fn parse_decimal(whole: &str, part: &str) -> Result<Rational, NumberError> {
    let bytes = part.as_bytes();
    if bytes.is_empty() {
        return Err(err(whole, "a number is missing (empty text)"));
    }
    let mut i = 0;
    let negative = match bytes[0] {
        b'-' => {
            i += 1;
            true
        }
        b'+' => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut digits = String::new();
    let mut frac_len: i64 = 0;
    let mut seen_point = false;
    let mut seen_digit = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => {
                digits.push(bytes[i] as char);
                seen_digit = true;
                if seen_point {
                    frac_len += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            b'.' => return Err(err(whole, "it has two decimal points")),
            b'e' | b'E' => break,
            _ => return Err(bad_char(whole, part, i)),
        }
        i += 1;
    }
    if !seen_digit {
        return Err(err(whole, "there are no digits before the exponent or end"));
    }
    let mut exponent: i64 = 0;
    if i < bytes.len() {
        // exponent
        i += 1;
        let mut exp_negative = false;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            exp_negative = bytes[i] == b'-';
            i += 1;
        }
        if i == bytes.len() {
            return Err(err(whole, "the exponent has no digits"));
        }
        let mut e: i64 = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'0'..=b'9' => {
                    e = e
                        .saturating_mul(10)
                        .saturating_add((bytes[i] - b'0') as i64);
                }
                _ => return Err(bad_char(whole, part, i)),
            }
            i += 1;
        }
        exponent = if exp_negative { -e } else { e };
    }
    let scale = exponent.saturating_sub(frac_len);
    let significant = digits.trim_start_matches('0');
    if significant.is_empty() {
        return Ok(Rational::new());
    }
    // The magnitude is about 10^(len + scale); refuse what is out of range before computing it.
    // the decimal exponent of the leading digit
    let magnitude = significant.len() as i64 - 1 + scale;
    if scale.abs() > MAX_DECIMAL_EXPONENT + MAX_NUMBER_LEN as i64
        || magnitude.abs() > MAX_DECIMAL_EXPONENT
    {
        return Err(err(
            whole,
            format!(
                "its decimal exponent is out of range (at most {MAX_DECIMAL_EXPONENT} in size)"
            ),
        ));
    }
    let mantissa: Integer = significant.parse().map_err(|_| err(whole, "bad digits"))?;
    let power = Integer::from(Integer::u_pow_u(10, scale.unsigned_abs() as u32));
    let mut value = if scale >= 0 {
        Rational::from(mantissa * power)
    } else {
        Rational::from((mantissa, power))
    };
    if negative {
        value = -value;
    }
    Ok(value)
}

fn bad_char(whole: &str, part: &str, i: usize) -> NumberError {
    let c = part[i..].chars().next().unwrap_or('?');
    let reason = if c == '_' {
        "underscores are not allowed in numbers".to_string()
    } else if c.is_whitespace() {
        "spaces are not allowed inside a number".to_string()
    } else {
        format!("unexpected character `{c}`")
    };
    err(whole, reason)
}

/// The exact decimal expansion of `q` if it terminates, else `None`.
pub fn exact_decimal(q: &Rational) -> Option<String> {
    let den = q.denom().clone();
    let mut d = den.clone();
    let twos = d.remove_factor_mut(&Integer::from(2));
    let fives = d.remove_factor_mut(&Integer::from(5));
    if d != 1 {
        return None;
    }
    let k = twos.max(fives);
    let scaled = (q.numer() * Integer::from(Integer::u_pow_u(10, k))) / den;
    let neg = scaled < 0;
    let digits = scaled.abs().to_string();
    let k = k as usize;
    let s = if k == 0 {
        digits
    } else if digits.len() > k {
        format!(
            "{}.{}",
            &digits[..digits.len() - k],
            &digits[digits.len() - k..]
        )
    } else {
        format!("0.{}{}", "0".repeat(k - digits.len()), digits)
    };
    Some(if neg { format!("-{s}") } else { s })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        parse_rational(s).unwrap()
    }

    #[test]
    fn reads_exactly() {
        assert_eq!(q("0.1"), Rational::from((1, 10)));
        assert_eq!(q("1e-4"), Rational::from((1, 10000)));
        assert_eq!(q("-2.5E+3"), Rational::from(-2500));
        assert_eq!(q("3/7"), Rational::from((3, 7)));
        assert_eq!(q(".5"), Rational::from((1, 2)));
        assert_eq!(q("5."), Rational::from(5));
        assert_eq!(q("0e999999999999"), Rational::new());
        assert!(parse_rational("1e100000").is_ok() && parse_rational("1e-100000").is_ok());
        assert!(parse_rational("1e100001").is_err() && parse_rational("10e99999").is_ok());
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "1_000",
            "",
            "-",
            "1e",
            "1e+",
            "nan",
            "inf",
            "-Infinity",
            "0x10",
            "1..2",
            "1/0",
            "1 0",
            "e5",
            "1e999999999999",
            "1e-999999999999",
            "/3",
            "3/",
        ] {
            assert!(parse_rational(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn exact_decimal_round_trips() {
        for s in ["0.1", "-2500", "0.000125", "12.5"] {
            let v = q(s);
            assert_eq!(q(&exact_decimal(&v).unwrap()), v);
        }
        assert_eq!(exact_decimal(&Rational::from((1, 3))), None);
    }
}
