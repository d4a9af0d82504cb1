//! Simulated SGD that cross-checks the theorems: objectives, noise, the runner and statistics.
//! Everything here is f64 and seeded; nothing prints.

pub mod estimate;
pub mod noise;
pub mod objective;
pub mod run;
pub mod stats;

pub use noise::Noise;
pub use objective::{ExprObjective, Gradient, Objective, Ripple, Spiky};
pub use run::{RunSpec, Stage, Start, TrialResult, run, trial};
