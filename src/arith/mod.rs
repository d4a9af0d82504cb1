//! Certified arithmetic: exact rational input, exact rational operations where they suffice,
//! and intervals over MPFR floats with outward rounding everywhere else.

pub mod dd;
pub mod dd_transcendental;
pub mod exact;
pub mod interval;
pub mod range_text;
pub mod rational;

pub use interval::{ArithError, CmpOp, Interval, MAX_PREC, MIN_PREC, Scratch, Truth};
pub use range_text::split_range;
pub use rational::{exact_decimal, parse_rational};

/// Checks a user's working precision, in bits.
pub fn check_precision(prec: u64) -> Result<u32, crate::Error> {
    if (MIN_PREC as u64..=MAX_PREC as u64).contains(&prec) {
        Ok(prec as u32)
    } else {
        Err(crate::Error::usage(format!(
            "--prec {prec} is out of range: the working precision must be between {MIN_PREC} and {MAX_PREC} bits"
        )))
    }
}
