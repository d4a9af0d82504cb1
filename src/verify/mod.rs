//! Verdicts: evaluation of a result's claims at a point.

pub mod point;

pub use point::{ComparisonValue, PointResult, Precision, StatementValue, Value, evaluate_point};
