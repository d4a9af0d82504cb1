//! Certified arithmetic: exact rational input, exact rational operations where they suffice,
//! intervals over MPFR floats and double-doubles with outward rounding everywhere else, and
//! certified decimal rounding of all three. Depends on no other module of the crate.

pub mod dd;
pub mod dd_transcendental;
pub mod decimal;
pub mod exact;
pub mod interval;
pub mod range_text;
pub mod rational;

pub use interval::{ArithError, CmpOp, Interval, MAX_PREC, MIN_PREC, Scratch, Truth};
pub use range_text::split_range;
pub use rational::{NumberError, exact_decimal, parse_rational};
