//! The number types the walker ([`super::walk`]) runs a tape over, one file each: MPFR
//! intervals (certified, every instruction), double-double intervals (certified, faster,
//! partial), exact rationals (the rational registers), f64 and f64 lanes (no guarantee, for
//! simulation speed).

pub mod dd;
pub mod f64;
pub mod lanes;
pub mod mpfr;
pub mod rational;
