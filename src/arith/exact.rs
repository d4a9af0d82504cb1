//! Exact rational operations for the rational part of an expression (+ − × ÷, integer powers,
//! min, max, floor, ceil, abs). Results whose size would exceed [`MAX_EXACT_BITS`] are refused,
//! so that a huge power falls back to interval arithmetic instead of exhausting memory.

use super::interval::ArithError;
use rug::ops::Pow;
use rug::{Integer, Rational};

/// The largest exact result, in bits of numerator plus denominator.
pub const MAX_EXACT_BITS: u64 = 1 << 22;

fn bits(q: &Rational) -> u64 {
    q.numer().significant_bits() as u64 + q.denom().significant_bits() as u64
}

/// `q^n` for an integer `n`; refuses results over [`MAX_EXACT_BITS`] and `0^n` for `n < 0`.
pub fn powi(q: &Rational, n: i64) -> Result<Rational, ArithError> {
    if n == 0 {
        return Ok(Rational::from(1));
    }
    if *q == 0 {
        return if n < 0 {
            Err(ArithError::DivisionByZero { certain: true })
        } else {
            Ok(Rational::new())
        };
    }
    let estimate = bits(q).saturating_mul(n.unsigned_abs());
    if estimate > MAX_EXACT_BITS {
        return Err(ArithError::TooLarge(MAX_EXACT_BITS));
    }
    let e = n.unsigned_abs() as u32;
    let num = Integer::from(q.numer().pow(e));
    let den = Integer::from(q.denom().pow(e));
    Ok(if n > 0 {
        Rational::from((num, den))
    } else {
        Rational::from((den, num))
    })
}

/// `a ÷ b`; an error when `b = 0`.
pub fn div(a: &Rational, b: &Rational) -> Result<Rational, ArithError> {
    if *b == 0 {
        return Err(ArithError::DivisionByZero { certain: true });
    }
    Ok(Rational::from(a / b))
}

/// Refuses a sum or product whose exact size is beyond [`MAX_EXACT_BITS`].
pub fn checked(q: Rational) -> Result<Rational, ArithError> {
    if bits(&q) > MAX_EXACT_BITS {
        Err(ArithError::TooLarge(MAX_EXACT_BITS))
    } else {
        Ok(q)
    }
}
