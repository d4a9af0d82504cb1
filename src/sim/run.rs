//! The SGD runner: x_{t+1} = x_t − η(∇f(x_t) + ω_t), many independent trials in parallel, in
//! f64. Trial i draws from its own ChaCha8 stream (seed, stream i), so results are identical
//! whatever the number of threads. Each trial records, for the paper's sequence
//! y_t = x_t − η∇f(x_t), the squared distance to x* at checkpoints, at T1 and its maximum over
//! [T1, T1 + T2]; per-step data only for the first trials, when asked.

use super::noise::Noise;
use super::objective::{Gradient, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// One stage of a schedule: `steps` steps with step size `eta` and noise `noise`.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Stage {
    pub eta: f64,
    pub steps: u64,
    pub noise: Noise,
}

/// Where trials start.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// Every trial at this point.
    Point(Vec<f64>),
    /// Uniform in the box [lo, hi]^d.
    Box { lo: f64, hi: f64 },
}

#[derive(Clone, Debug)]
pub struct RunSpec {
    pub objective: Objective,
    pub stages: Vec<Stage>,
    pub start: Start,
    pub x_star: Vec<f64>,
    pub trials: u64,
    pub seed: u64,
    /// Steps at which ‖y_t − x*‖² is recorded (sorted, within the run).
    pub checkpoints: Vec<u64>,
    /// The window [T1, T1 + T2] of Theorem 1's events, if any.
    pub window: Option<(u64, u64)>,
    /// Record every step of this many first trials.
    pub trace_trials: u64,
}

/// What one trial leaves.
#[derive(Clone, Debug, Default)]
pub struct TrialResult {
    pub x_final: Vec<f64>,
    pub y0_dist2: f64,
    pub at_checkpoints: Vec<f64>,
    pub at_t1: f64,
    pub max_in_window: f64,
    /// ‖y − x*‖² at the last step of each stage.
    pub stage_end: Vec<f64>,
    /// (stage, t, x, ‖y_t − x*‖²) for traced trials.
    pub trace: Vec<(usize, u64, Vec<f64>, f64)>,
}

fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Runs one trial.
pub fn trial(spec: &RunSpec, index: u64) -> TrialResult {
    let d = spec.objective.dim();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    rng.set_stream(index);
    let mut x: Vec<f64> = match &spec.start {
        Start::Point(p) => p.clone(),
        Start::Box { lo, hi } => (0..d)
            .map(|_| lo + (hi - lo) * rng.random::<f64>())
            .collect(),
    };
    let mut grad = Gradient::new(&spec.objective);
    let mut g = vec![0.0; d];
    let mut w = vec![0.0; d];
    let mut y = vec![0.0; d];
    let mut out = TrialResult {
        at_checkpoints: Vec::with_capacity(spec.checkpoints.len()),
        max_in_window: f64::NEG_INFINITY,
        at_t1: f64::NAN,
        ..Default::default()
    };
    let trace = index < spec.trace_trials;
    let mut t: u64 = 0;
    let mut next_cp = 0usize;
    let (w_lo, w_hi) = spec.window.unwrap_or((u64::MAX, 0));
    for (si, stage) in spec.stages.iter().enumerate() {
        let mut last = f64::NAN;
        for _ in 0..stage.steps {
            grad.grad(&x, &mut g);
            // y_t = x_t − η∇f(x_t), the sequence the theorem speaks of
            for i in 0..d {
                y[i] = x[i] - stage.eta * g[i];
            }
            let r2 = dist2(&y, &spec.x_star);
            last = r2;
            if t == 0 {
                out.y0_dist2 = r2;
            }
            if next_cp < spec.checkpoints.len() && spec.checkpoints[next_cp] == t {
                out.at_checkpoints.push(r2);
                next_cp += 1;
            }
            if t == w_lo {
                out.at_t1 = r2;
            }
            if t >= w_lo && t <= w_hi && r2 > out.max_in_window {
                out.max_in_window = r2;
            }
            if trace {
                out.trace.push((si, t, x.clone(), r2));
            }
            stage.noise.sample(&mut rng, &mut w);
            for i in 0..d {
                x[i] = y[i] - stage.eta * w[i];
            }
            t += 1;
        }
        out.stage_end.push(last);
    }
    out.x_final = x;
    out
}

/// Runs every trial in parallel; the results are in trial order.
pub fn run(spec: &RunSpec, progress: &(dyn Fn(u64) + Sync)) -> Vec<TrialResult> {
    (0..spec.trials)
        .into_par_iter()
        .map(|i| {
            let r = trial(spec, i);
            progress(1);
            r
        })
        .collect()
}
