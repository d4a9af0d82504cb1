//! Simulated SGD that cross-checks the theorems: objectives, noise, the runner and statistics;
//! the theorems at a simulation's parameters, the events of a run held against them, estimates
//! of the constants passed to Theorem 1, and the data of the figures. Everything here is f64
//! (the theorems evaluated with interval arithmetic and handed over rounded) and seeded;
//! nothing prints.

pub mod assess;
pub mod certify;
pub mod estimate;
pub mod events;
pub mod figure;
pub mod jit;
pub mod noise;
pub mod objective;
pub mod rng;
pub mod run;
pub mod stats;
pub mod theorem;
mod ziggurat;

pub use noise::{Noise, NoiseKind};
pub use objective::{ExprObjective, Gradient, GradientLanes, Objective, Ripple, Spiky};
pub use run::{LANES, Path, RunSpec, Stage, Start, TrialResult, run, run_on, try_run, try_run_on};
