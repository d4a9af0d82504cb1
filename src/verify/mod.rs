//! Verdicts: evaluation of a result's claims at a point ([`point`]), and over boxes of
//! parameters ([`claims`]): identity testing, a sampling falsifier and a branch-and-bound
//! prover; batches of claims over boxes ([`batch`]) and the search for the least value of a
//! tunable constant ([`tighten`]); the scaling reduction of a claim's box ([`scaling`]).

pub mod at_point;
pub mod batch;
pub mod certificate;
pub mod claims;
pub mod compactify;
pub mod falsify;
pub mod identity;
pub mod job;
pub mod point;
pub mod prove;
pub mod region;
pub mod scaling;
pub mod shard;
pub mod tighten;

pub use claims::{ClaimOutcome, Status, VerifyOptions, verify_claim};
pub use point::{ComparisonValue, PointResult, Precision, StatementValue, Value, evaluate_point};
