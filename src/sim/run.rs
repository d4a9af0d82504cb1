//! The SGD runner: x_{t+1} = x_t − η(∇f(x_t) + ω_t), many independent trials in parallel, in
//! f64. Trials run in batches of [`LANES`], side by side in the lanes of vector instructions;
//! the batches are spread over the cores. Trial i draws from its own generator (see
//! [`super::rng`]), and every lane's arithmetic is its own, so the results are bit-identical
//! whatever the number of threads, the batch a trial lands in, or the vector width of the
//! machine. Each trial records, for the paper's sequence y_t = x_t − η∇f(x_t), the squared
//! distance to x* at checkpoints, at T1 and its maximum over [T1, T1 + T2]; per-step data only
//! for the first trials, when asked.

use super::jit::{self, Bound, Kernels};
use super::noise::Noise;
use super::objective::{GradientLanes, Objective};
use super::rng::LaneRngs;
use crate::error::{Error, Result, Usage};
use crate::limits::{Bytes, HEAP_BLOCK, check_memory};
use rand::RngCore;
use rayon::prelude::*;
use std::collections::TryReserveError;

/// Trials per batch: enough lanes that walking an expression's tape once per step costs little
/// per trial, few enough that a batch's registers stay in the first-level cache.
pub const LANES: usize = 64;

/// One stage of a schedule: `steps` steps with step size `eta` and noise `noise`.
#[derive(Clone, Debug, serde::Serialize)]
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
    /// A domain D = [lo, hi]^d: the step at which each trial's iterate first lies outside it
    /// (or is not a number) is recorded.
    pub domain: Option<(f64, f64)>,
    /// A step t ≥ 1 of the first stage and the support of its noise (values, probabilities):
    /// each trial records E[‖y_t − x*‖² | F_{t−1}], the mean over the support of ‖y_t − x*‖²
    /// from the trial's own x_{t−1} (Step 2 of the proof conditions on F_{T1−1}).
    pub conditional_at: Option<(u64, super::noise::Support)>,
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
    /// The first step t at which x_t was outside [`RunSpec::domain`] (0: the start).
    pub left_domain: Option<u64>,
    /// E[‖y_t − x*‖² | F_{t−1}] at the step of [`RunSpec::conditional_at`] (NaN without it).
    pub conditional: f64,
}

/// How many steps of a batch pass between two reports to `progress`.
const PROGRESS_EVERY: u64 = 1 << 14;

/// Bytes per trial for the summaries a caller makes of the results (quantile buffers of the
/// final iterates, of one checkpoint at a time, of the events' values).
const SUMMARY_BYTES: u128 = 4 * 8;

impl RunSpec {
    /// The steps of all stages (`None` if the sum overflows).
    pub fn total_steps(&self) -> Option<u64> {
        self.stages
            .iter()
            .try_fold(0u64, |acc, s| acc.checked_add(s.steps))
    }

    /// The trials whose every step is recorded.
    pub fn traced(&self) -> u64 {
        self.trace_trials.min(self.trials)
    }

    /// The memory a run needs, estimated before it starts (checked arithmetic): each trial's
    /// result (twice over, while the batches are joined), its vectors, the summaries made of
    /// it, and every step of the traced trials.
    pub fn memory(&self) -> Bytes {
        let d = self.objective.dim() as u128;
        let vec = |n: u128| Bytes::of(n, 8).plus(Bytes(Some(HEAP_BLOCK)));
        let per_trial = Bytes::items::<TrialResult>(2)
            .plus(vec(d))
            .plus(vec(self.checkpoints.len() as u128))
            .plus(vec(self.stages.len() as u128))
            .plus(Bytes(Some(SUMMARY_BYTES)));
        let per_step = Bytes::items::<(usize, u64, Vec<f64>, f64)>(1).plus(vec(d));
        let steps = self.total_steps().map(u128::from);
        let trace = match steps {
            Some(n) => per_step.times(n).times(self.traced() as u128),
            None if self.traced() == 0 => Bytes::ZERO,
            None => Bytes(None),
        };
        per_trial.times(self.trials as u128).plus(trace)
    }

    /// The work of a run, in operations: trials × steps × [`Objective::ops_per_step`] (`None`
    /// if it overflows).
    pub fn work(&self) -> Option<u128> {
        (self.trials as u128)
            .checked_mul(self.total_steps()? as u128)?
            .checked_mul(self.objective.ops_per_step())
    }

    /// What the run is, in the command line's words, for messages.
    pub fn describe_size(&self) -> String {
        let mut s = format!(
            "{} trial{} (--trials) of {} steps (--steps or --stage) in {} dimension{} (--dim)",
            self.trials,
            if self.trials == 1 { "" } else { "s" },
            self.total_steps()
                .map_or_else(|| "more than 2^64".into(), |n| n.to_string()),
            self.objective.dim(),
            if self.objective.dim() == 1 { "" } else { "s" }
        );
        if self.traced() > 0 {
            s.push_str(&format!(
                ", every step of {} of them kept for --trajectories (--trace-trials)",
                self.traced()
            ));
        }
        s
    }
}

/// The road a run takes: the compiled kernels ([`super::jit`]) or the interpreter at a given
/// vector width. Every road gives bit-identical results; forcing one is for tests and
/// comparisons (`SGDBOUNDS_SIM_PATH`, see [`Path::from_env`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// The compiled kernels where this machine and the objective allow, else the interpreter
    /// at the widest width the CPU has.
    Auto,
    /// The compiled kernels (refused where the CPU lacks AVX2 or the objective has an
    /// instruction they do not cover).
    Compiled,
    /// The interpreter, 512-bit vectors.
    Avx512,
    /// The interpreter, 256-bit vectors.
    Avx2,
    /// The interpreter, the baseline 128-bit vectors of every x86-64.
    Sse2,
}

/// The environment variable that forces a road.
pub const PATH_VAR: &str = "SGDBOUNDS_SIM_PATH";

impl Path {
    /// `auto`, `compiled`, `avx512`, `avx2` or `sse2`.
    pub fn parse(s: &str) -> Result<Path> {
        Ok(match s {
            "auto" | "" => Path::Auto,
            "compiled" => Path::Compiled,
            "avx512" => Path::Avx512,
            "avx2" => Path::Avx2,
            "sse2" => Path::Sse2,
            _ => {
                return Err(Usage::invalid(
                    PATH_VAR,
                    s,
                    "expected auto, compiled (native code for the objective), avx512, avx2 or sse2 (the interpreter at that width)",
                )
                .into());
            }
        })
    }
    /// The road named by `SGDBOUNDS_SIM_PATH` ([`Path::Auto`] when unset).
    pub fn from_env() -> Result<Path> {
        match std::env::var(PATH_VAR) {
            Ok(v) => Path::parse(&v),
            Err(std::env::VarError::NotPresent) => Ok(Path::Auto),
            Err(std::env::VarError::NotUnicode(v)) => Path::parse(&v.to_string_lossy()),
        }
    }
}

/// The road chosen for a run.
enum Engine {
    Compiled(Box<Kernels>),
    Avx512,
    Avx2,
    Sse2,
}

#[cfg(target_arch = "x86_64")]
fn has(feature: &str) -> bool {
    match feature {
        "avx512f" => std::arch::is_x86_feature_detected!("avx512f"),
        "avx2" => std::arch::is_x86_feature_detected!("avx2"),
        _ => false,
    }
}
#[cfg(not(target_arch = "x86_64"))]
fn has(_: &str) -> bool {
    false
}

impl Engine {
    fn choose(obj: &Objective, path: Path) -> Result<Engine> {
        let refuse = |what: &str, why: String| -> Error {
            Usage::invalid(PATH_VAR, what.to_string(), why).into()
        };
        Ok(match path {
            Path::Auto => match Kernels::new(obj) {
                Some(k) => Engine::Compiled(Box::new(k)),
                None if has("avx512f") => Engine::Avx512,
                None if has("avx2") => Engine::Avx2,
                None => Engine::Sse2,
            },
            Path::Compiled => {
                if !jit::supported() {
                    return Err(refuse(
                        "compiled",
                        "the compiled road needs an x86-64 CPU with AVX2 (on Linux); this machine has none".into(),
                    ));
                }
                match Kernels::new(obj) {
                    Some(k) => Engine::Compiled(Box::new(k)),
                    None => {
                        return Err(refuse(
                            "compiled",
                            format!(
                                "the objective {} has an operation the compiled road does not cover (real powers, exp, log, floor, ceil, min, max), or this system refused executable memory; leave the variable unset for the interpreter",
                                obj.describe()
                            ),
                        ));
                    }
                }
            }
            Path::Avx512 if !has("avx512f") => {
                return Err(refuse("avx512", "this CPU has no AVX-512F".into()));
            }
            Path::Avx2 if !has("avx2") => {
                return Err(refuse("avx2", "this CPU has no AVX2".into()));
            }
            Path::Avx512 => Engine::Avx512,
            Path::Avx2 => Engine::Avx2,
            Path::Sse2 => Engine::Sse2,
        })
    }
}

/// Runs every trial in parallel, as [`run`], after checking that the memory it needs is
/// available ([`RunSpec::memory`]); the results' vectors are reserved with `try_reserve`. The
/// road is the one `SGDBOUNDS_SIM_PATH` names (by default the fastest this machine has).
pub fn try_run(spec: &RunSpec, progress: &(dyn Fn(u64) + Sync)) -> Result<Vec<TrialResult>> {
    try_run_on(spec, Path::from_env()?, progress)
}

/// [`try_run`] on the road `path`.
pub fn try_run_on(
    spec: &RunSpec,
    path: Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<TrialResult>> {
    check_memory(
        || format!("simulating {}", spec.describe_size()),
        spec.memory(),
        "ask for fewer trials, steps or traced trials",
    )?;
    let engine = Engine::choose(&spec.objective, path)?;
    run_inner(spec, &engine, progress).map_err(|_| Error::Memory {
        what: format!("simulating {}", spec.describe_size()),
        need: spec.memory().get(),
        available: crate::limits::available_memory(),
        hint: "the allocation failed".into(),
    })
}

/// Runs every trial in parallel; the results are in trial order. `progress` is told, as
/// batches advance, how many trial-steps were done (trials × steps in all). Sizes are not
/// checked: a caller with sizes from input uses [`try_run`]. The road is [`Path::Auto`].
pub fn run(spec: &RunSpec, progress: &(dyn Fn(u64) + Sync)) -> Vec<TrialResult> {
    run_on(spec, Path::Auto, progress).expect("memory for the trials' results")
}

/// [`run`] on the road `path` (an error if this machine or the objective does not allow it).
pub fn run_on(
    spec: &RunSpec,
    path: Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<TrialResult>> {
    let engine = Engine::choose(&spec.objective, path)?;
    run_inner(spec, &engine, progress).map_err(|_| Error::Memory {
        what: format!("simulating {}", spec.describe_size()),
        need: spec.memory().get(),
        available: crate::limits::available_memory(),
        hint: "the allocation failed".into(),
    })
}

fn run_inner(
    spec: &RunSpec,
    engine: &Engine,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<TrialResult>, TryReserveError> {
    let batches = spec.trials.div_ceil(LANES as u64);
    let parts: Vec<Vec<TrialResult>> = (0..batches)
        .into_par_iter()
        .map(|b| run_batch(spec, b * LANES as u64, engine, progress))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    out.try_reserve_exact(spec.trials as usize)?;
    for p in parts {
        out.extend(p);
    }
    Ok(out)
}

type Batch = Result<Vec<TrialResult>, TryReserveError>;

/// Trials `first..first + LANES` (those below `spec.trials`) on the engine's road. The
/// interpreter's three widths are the same code compiled three ways; the compiled kernels run
/// inside the AVX2 version (the runner's own loops then use AVX2 too).
fn run_batch(
    spec: &RunSpec,
    first: u64,
    engine: &Engine,
    progress: &(dyn Fn(u64) + Sync),
) -> Batch {
    match engine {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Engine::choose` checked that the CPU has AVX2 (the kernels need it).
        Engine::Compiled(k) => unsafe { run_batch_avx2(spec, first, Some(k), progress) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Engine::choose` checked that the CPU has AVX-512F.
        Engine::Avx512 => unsafe { run_batch_avx512(spec, first, None, progress) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Engine::choose` checked that the CPU has AVX2.
        Engine::Avx2 => unsafe { run_batch_avx2(spec, first, None, progress) },
        _ => run_batch_lanes(spec, first, None, progress),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn run_batch_avx512(
    spec: &RunSpec,
    first: u64,
    jit: Option<&Kernels>,
    progress: &(dyn Fn(u64) + Sync),
) -> Batch {
    run_batch_lanes(spec, first, jit, progress)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn run_batch_avx2(
    spec: &RunSpec,
    first: u64,
    jit: Option<&Kernels>,
    progress: &(dyn Fn(u64) + Sync),
) -> Batch {
    run_batch_lanes(spec, first, jit, progress)
}

/// A column of a batch on a 64-byte boundary (a cache line), so that no vector load of it
/// crosses a line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Col([f64; LANES]);

fn columns(d: usize) -> Vec<Col> {
    vec![Col([0.0; LANES]); d]
}

fn as_arrays(c: &mut [Col]) -> &mut [[f64; LANES]] {
    // SAFETY: `Col` is a `[f64; LANES]` with a stricter alignment and the same size.
    unsafe { std::slice::from_raw_parts_mut(c.as_mut_ptr() as *mut [f64; LANES], c.len()) }
}

fn as_arrays_ref(c: &[Col]) -> &[[f64; LANES]] {
    // SAFETY: as in `as_arrays`.
    unsafe { std::slice::from_raw_parts(c.as_ptr() as *const [f64; LANES], c.len()) }
}

/// The compiled kernels of a batch, bound to its buffers.
struct Compiled<'k> {
    grad: Bound<'k>,
    step: Option<Bound<'k>>,
    /// The gradient, written by the gradient kernel.
    g: Vec<Col>,
    /// The interpreter for 4 lanes, for the vectors the kernels leave undone.
    fix: GradientLanes<'k, 4>,
    /// Lanes per pass of the kernels.
    lanes: usize,
    /// The interpreter's 4 points.
    x4: Vec<[f64; 4]>,
}

impl<'k> Compiled<'k> {
    fn new(k: &'k Kernels, obj: &'k Objective) -> Self {
        Compiled {
            grad: Bound::new(&k.grad),
            step: k.step.as_ref().map(Bound::new),
            g: columns(k.dim),
            fix: GradientLanes::new(obj),
            x4: vec![[0.0; 4]; k.dim],
            lanes: k.lanes,
        }
    }

    /// The interpreter's gradient at lanes `j..j + 4`.
    fn fix_grad(&mut self, x: &[[f64; LANES]], j: usize) {
        for (x4, c) in self.x4.iter_mut().zip(x) {
            *x4 = [c[j], c[j + 1], c[j + 2], c[j + 3]];
        }
        self.fix.eval(&self.x4);
    }

    /// ∇f at every lane into `self.g`.
    fn gradient(&mut self, x: &mut [[f64; LANES]], rngs: &mut LaneRngs<LANES>) {
        let mut from = 0;
        loop {
            let j = self
                .grad
                .run(x, rngs.words_mut(), as_arrays(&mut self.g), from);
            if j >= LANES {
                break;
            }
            for j in (j..j + self.lanes).step_by(4) {
                self.fix_grad(x, j);
                for (k, Col(gk)) in self.g.iter_mut().enumerate() {
                    gk[j..j + 4].copy_from_slice(self.fix.component(k));
                }
            }
            from = j + self.lanes;
        }
    }

    /// One step of 1-D SGD with uniform noise on [−s, s] at every lane, as the interpreter's
    /// fused loop does it.
    fn step_1d(&mut self, x: &mut [[f64; LANES]], rngs: &mut LaneRngs<LANES>, eta: f64, s: f64) {
        let mut from = 0;
        loop {
            let step = self.step.as_mut().expect("1-D kernels have a step");
            let j = step.run(x, rngs.words_mut(), as_arrays(&mut self.g), from);
            if j >= LANES {
                break;
            }
            for j in (j..j + self.lanes).step_by(4) {
                self.fix_grad(x, j);
                let g = *self.fix.component(0);
                for (l, gl) in g.iter().enumerate() {
                    let u = super::rng::unit_f64(rngs.lane(j + l).next_u64());
                    let w = super::noise::centred(s, u);
                    x[0][j + l] = (x[0][j + l] - eta * gl) - eta * w;
                }
            }
            from = j + self.lanes;
        }
    }
}

/// Column `k` of the gradient: the compiled kernel's buffer, or the interpreter's registers.
#[inline(always)]
fn column<'a>(
    compiled: &'a Option<Compiled<'_>>,
    grad: &'a GradientLanes<'_, LANES>,
    k: usize,
) -> &'a [f64; LANES] {
    match compiled {
        Some(c) => &as_arrays_ref(&c.g)[k],
        None => grad.component(k),
    }
}

/// The batch itself. Coordinates are stored column-wise (`x[k][j]` is coordinate k of lane j)
/// so that each line of the update is a loop over lanes. Lanes past `spec.trials` are computed
/// and dropped. With `jit`, the gradient (and the whole step of 1-D SGD with uniform noise) is
/// the compiled kernels'.
#[inline(always)]
fn run_batch_lanes(
    spec: &RunSpec,
    first: u64,
    jit: Option<&Kernels>,
    progress: &(dyn Fn(u64) + Sync),
) -> Batch {
    const B: usize = LANES;
    let d = spec.objective.dim();
    let live = (spec.trials - first).min(B as u64) as usize;
    let mut rngs = LaneRngs::<B>::new(spec.seed, first);
    let mut x_cols = columns(d);
    let x = as_arrays(&mut x_cols);
    match &spec.start {
        Start::Point(p) => {
            for (xk, pk) in x.iter_mut().zip(p) {
                *xk = [*pk; B];
            }
        }
        Start::Box { lo, hi } => {
            for xk in x.iter_mut() {
                rngs.next_unit(xk);
                for v in xk.iter_mut() {
                    *v = lo + (hi - lo) * *v;
                }
            }
        }
    }
    let mut grad = GradientLanes::<B>::new(&spec.objective);
    let mut compiled = jit.map(|k| Compiled::new(k, &spec.objective));
    let mut y = vec![[0.0; B]; d];
    let mut w = vec![[0.0; B]; d];
    let mut r2 = [0.0; B];
    let mut out: Vec<TrialResult> = (0..live)
        .map(|_| TrialResult {
            at_checkpoints: Vec::with_capacity(spec.checkpoints.len()),
            max_in_window: f64::NEG_INFINITY,
            at_t1: f64::NAN,
            conditional: f64::NAN,
            stage_end: Vec::with_capacity(spec.stages.len()),
            ..Default::default()
        })
        .collect();
    let mut max_in_window = [f64::NEG_INFINITY; B];
    // the first step outside the domain, per lane (u64::MAX: never)
    let mut left = [u64::MAX; B];
    if let Some(d) = spec.domain {
        mark_exits(x, d, 0, &mut left);
    }
    let traced = (spec.trace_trials.saturating_sub(first) as usize).min(live);
    if traced > 0 {
        let steps = usize::try_from(spec.total_steps().unwrap_or(u64::MAX)).unwrap_or(usize::MAX);
        for o in out.iter_mut().take(traced) {
            o.trace.try_reserve_exact(steps)?;
        }
    }
    let mut pending: u64 = 0;
    let mut t: u64 = 0;
    let mut next_cp = 0usize;
    let (w_lo, w_hi) = spec.window.unwrap_or((u64::MAX, 0));
    let conditional_t = spec.conditional_at.as_ref().map(|(tc, _)| *tc);
    'stages: for (si, stage) in spec.stages.iter().enumerate() {
        let eta = stage.eta;
        // 1-D uniform noise, the common case, can be drawn inside the update loop
        let uniform_1d = match stage.noise {
            Noise::Uniform { s } if d == 1 => Some(s),
            _ => None,
        };
        if let (Some(c), Some(s)) = (compiled.as_mut(), uniform_1d)
            && let Some(st) = c.step.as_mut()
        {
            st.set_stage(eta, s);
        }
        for step in 0..stage.steps {
            pending += 1;
            if pending == PROGRESS_EVERY {
                progress(pending * live as u64);
                pending = 0;
                if crate::stop::requested() {
                    break 'stages; // stopped from outside: the caller reports it
                }
            }
            let at_cp = next_cp < spec.checkpoints.len() && spec.checkpoints[next_cp] == t;
            let in_window = t >= w_lo && t <= w_hi;
            let last = step + 1 == stage.steps;
            let conditional_next = conditional_t == Some(t + 1);
            let record = t == 0
                || at_cp
                || in_window
                || last
                || traced > 0
                || conditional_next
                || conditional_t == Some(t);
            if let (false, Some(s)) = (record, uniform_1d) {
                match compiled.as_mut() {
                    Some(c) => c.step_1d(x, &mut rngs, eta, s),
                    None => {
                        grad.eval(x);
                        // x_{t+1} = (x_t − η∇f(x_t)) − ηω_t in one pass: the same operations,
                        // in the same order, as the general path below
                        let (x0, g0) = (&mut x[0], grad.component(0));
                        rngs.for_each_unit(|j, u| {
                            let w = super::noise::centred(s, u);
                            x0[j] = (x0[j] - eta * g0[j]) - eta * w;
                        });
                    }
                }
                t += 1;
                if let Some(d) = spec.domain {
                    mark_exits(x, d, t, &mut left);
                }
                continue;
            }
            match compiled.as_mut() {
                Some(c) => c.gradient(x, &mut rngs),
                None => grad.eval(x),
            }
            // y_t = x_t − η∇f(x_t), the sequence the theorem speaks of
            for (k, (yk, xk)) in y.iter_mut().zip(x.iter()).enumerate() {
                let gk = column(&compiled, &grad, k);
                for j in 0..B {
                    yk[j] = xk[j] - eta * gk[j];
                }
            }
            if record {
                squared_distances(&y, &spec.x_star, &mut r2);
                for (j, o) in out.iter_mut().enumerate() {
                    if t == 0 {
                        o.y0_dist2 = r2[j];
                    }
                    if at_cp {
                        o.at_checkpoints.push(r2[j]);
                    }
                    if t == w_lo || conditional_t == Some(t) {
                        o.at_t1 = r2[j];
                    }
                    if last {
                        o.stage_end.push(r2[j]);
                    }
                }
                if in_window {
                    // NaN (a diverged trial) sticks, so it never passes for a small maximum.
                    for j in 0..B {
                        if r2[j] > max_in_window[j] || r2[j].is_nan() {
                            max_in_window[j] = r2[j];
                        }
                    }
                }
                for (j, o) in out.iter_mut().enumerate().take(traced) {
                    let xj = x.iter().map(|xk| xk[j]).collect();
                    o.trace.push((si, t, xj, r2[j]));
                }
                next_cp += at_cp as usize;
            }
            if let (true, Some((_, support))) = (conditional_next, &spec.conditional_at) {
                // x_t = y_{t−1} − ηω for every value ω of the noise, then y_t and its distance
                let mut acc = [0.0; B];
                let mut xc = columns(d);
                let xa = as_arrays(&mut xc);
                for (omega, p) in support {
                    for (k, xk) in xa.iter_mut().enumerate() {
                        for j in 0..B {
                            xk[j] = y[k][j] - eta * omega[k];
                        }
                    }
                    grad.eval(xa);
                    let mut d2 = [0.0; B];
                    for (k, xk) in xa.iter().enumerate() {
                        let gk = grad.component(k);
                        for j in 0..B {
                            let e = (xk[j] - eta * gk[j]) - spec.x_star[k];
                            d2[j] += e * e;
                        }
                    }
                    for j in 0..B {
                        acc[j] += p * d2[j];
                    }
                }
                for (j, o) in out.iter_mut().enumerate() {
                    o.conditional = acc[j];
                }
            }
            stage.noise.sample_lanes(&mut rngs, &mut w);
            for (xk, (yk, wk)) in x.iter_mut().zip(y.iter().zip(&w)) {
                for j in 0..B {
                    xk[j] = yk[j] - eta * wk[j];
                }
            }
            t += 1;
            if let Some(d) = spec.domain {
                mark_exits(x, d, t, &mut left);
            }
        }
    }
    for (j, o) in out.iter_mut().enumerate() {
        o.x_final = x.iter().map(|xk| xk[j]).collect();
        o.max_in_window = max_in_window[j];
        o.left_domain = (left[j] != u64::MAX).then_some(left[j]);
    }
    if pending > 0 {
        progress(pending * live as u64);
    }
    Ok(out)
}

/// Marks step `t` in `left` for every lane not marked yet whose iterate has a coordinate
/// outside [lo, hi] (or not a number).
#[inline(always)]
fn mark_exits<const B: usize>(x: &[[f64; B]], (lo, hi): (f64, f64), t: u64, left: &mut [u64; B]) {
    for xk in x {
        for j in 0..B {
            let v = xk[j];
            let outside = !(v >= lo && v <= hi);
            if outside && left[j] == u64::MAX {
                left[j] = t;
            }
        }
    }
}

/// `r2[j]` = ‖y_j − x*‖² for every lane.
#[inline(always)]
fn squared_distances<const B: usize>(y: &[[f64; B]], x_star: &[f64], r2: &mut [f64; B]) {
    *r2 = [0.0; B];
    for (yk, &sk) in y.iter().zip(x_star) {
        for j in 0..B {
            let e = yk[j] - sk;
            r2[j] += e * e;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::LaneRngs;
    use crate::sim::{ExprObjective, Gradient, Ripple, Spiky};

    /// The plain one-trial loop the batched runner must reproduce: scalar gradient, the
    /// trial's own generator, one step after another.
    fn reference_trial(spec: &RunSpec, index: u64) -> Vec<f64> {
        let d = spec.objective.dim();
        let mut rng = LaneRngs::<1>::new(spec.seed, index);
        let mut x: Vec<f64> = match &spec.start {
            Start::Point(p) => p.clone(),
            Start::Box { lo, hi } => (0..d)
                .map(|_| {
                    let mut u = [0.0];
                    rng.next_unit(&mut u);
                    lo + (hi - lo) * u[0]
                })
                .collect(),
        };
        let mut grad = Gradient::new(&spec.objective);
        let (mut g, mut w) = (vec![0.0; d], vec![0.0; d]);
        for stage in &spec.stages {
            for _ in 0..stage.steps {
                grad.grad(&x, &mut g);
                stage.noise.sample(&mut rng.lane(0), &mut w);
                for i in 0..d {
                    x[i] = (x[i] - stage.eta * g[i]) - stage.eta * w[i];
                }
            }
        }
        x
    }

    fn spec(objective: Objective, noise: Noise, trials: u64) -> RunSpec {
        let d = objective.dim();
        RunSpec {
            objective,
            stages: vec![
                Stage {
                    eta: 0.01,
                    steps: 40,
                    noise,
                },
                Stage {
                    eta: 0.003,
                    steps: 25,
                    noise: Noise::None,
                },
            ],
            start: Start::Box { lo: -2.0, hi: 3.0 },
            x_star: vec![0.0; d],
            trials,
            seed: 99,
            checkpoints: vec![0, 10, 64],
            window: Some((5, 50)),
            trace_trials: 0,
            domain: None,
            conditional_at: None,
        }
    }

    #[test]
    fn batches_reproduce_the_one_trial_loop() {
        let cases = [
            (
                Objective::Ripple(Ripple::BOWL),
                Noise::Uniform { s: 2.0 },
                0.0,
            ),
            (
                Objective::Spiky(Spiky::FIG3),
                Noise::Uniform { s: 1.0 },
                0.0,
            ),
            (
                Objective::Quadratic { a: 0.7, dim: 3 },
                Noise::Uniform { s: 1.5 },
                0.0,
            ),
            (
                Objective::Quadratic { a: 0.7, dim: 2 },
                Noise::Gaussian { s: 1.0, sigma: 0.5 },
                0.0,
            ),
            (
                Objective::Expr(Box::new(
                    ExprObjective::new("x1^4/4 + exp(x2/3) + sin(x1*x2)", 2).unwrap(),
                )),
                Noise::Uniform { s: 0.5 },
                1e-12,
            ),
        ];
        for (objective, noise, tol) in cases {
            let name = objective.describe();
            let s = spec(objective, noise, 70);
            let got = run(&s, &|_| {});
            assert_eq!(got.len(), 70);
            for i in [0u64, 1, 63, 64, 69] {
                let want = reference_trial(&s, i);
                for (a, b) in got[i as usize].x_final.iter().zip(&want) {
                    assert!(
                        (a - b).abs() <= tol * b.abs().max(1.0),
                        "{name}, trial {i}: {a} vs {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_trial_does_not_depend_on_how_many_trials_run() {
        let a = run(
            &spec(Objective::Spiky(Spiky::FIG3), Noise::Uniform { s: 1.0 }, 70),
            &|_| {},
        );
        let b = run(
            &spec(
                Objective::Spiky(Spiky::FIG3),
                Noise::Uniform { s: 1.0 },
                200,
            ),
            &|_| {},
        );
        for (ra, rb) in a.iter().zip(&b) {
            assert_eq!(ra.x_final[0].to_bits(), rb.x_final[0].to_bits());
            assert_eq!(ra.at_checkpoints, rb.at_checkpoints);
            assert_eq!(ra.max_in_window.to_bits(), rb.max_in_window.to_bits());
        }
    }

    #[test]
    fn a_diverged_trial_fails_the_window_event() {
        // f = x^4 with a large step overflows within a few steps and is NaN long before the
        // window [30, 50] opens: the window's maximum must be NaN, not the −∞ it starts from,
        // so that "max ≤ δ²" fails.
        let obj = Objective::Expr(Box::new(ExprObjective::new("x^4", 1).unwrap()));
        let mut s = spec(obj, Noise::None, 1);
        s.start = Start::Point(vec![10.0]);
        s.stages[0].eta = 1.0;
        s.window = Some((30, 50));
        let r = &run(&s, &|_| {})[0];
        assert!(r.max_in_window.is_nan(), "max {}", r.max_in_window);
    }
}
