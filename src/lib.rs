//! # sgdbounds
//!
//! Certified constants of *An Alternative View: When Does SGD Escape Local Minima?*
//! (Kleinberg, Li, Yuan, ICML 2018). The paper's statements live as data in `proofs/*.toml`;
//! one engine parses them, compiles them to a tape, and evaluates the tape with interval
//! arithmetic over MPFR (outward rounding) and exact rationals, so every number is a certified
//! enclosure and every verdict is holds, fails or undecided.

pub mod arith;
pub mod error;
pub mod expr;
pub mod limits;
pub mod stop;

pub use error::{Error, Result, Span};
pub mod theory;

pub use theory::{Model, Theory};
pub mod cli;
pub mod report;
pub mod sim;
pub mod table;
pub mod verify;
