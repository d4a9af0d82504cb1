//! Simulated SGD that cross-checks the theorems: objectives, noise, the runner and statistics.
//! Everything here is f64 and seeded; nothing prints.

pub mod estimate;
pub mod noise;
pub mod objective;
pub mod rng;
pub mod run;
pub mod stats;

pub use noise::Noise;
pub use objective::{ExprObjective, Gradient, GradientLanes, Objective, Ripple, Spiky};
pub use run::{LANES, RunSpec, Stage, Start, TrialResult, run, try_run};
