//! A simulation held against the theorems (`simulate`): the schedule and start read from their
//! command-line forms, the limits checked before anything runs, the trials run, and their
//! summaries: quantiles of the final iterates and of ‖y_t − x*‖² over time, the events of
//! Theorem 1 (‖y_T1 − x*‖² ≤ 20b/λ, and ‖y_t − x*‖² ≤ δ² for T1 ≤ t ≤ T1 + T2) and of Corollary 2
//! (‖y − x*‖² ≤ 20b′/λ′ after the second stage) with their frequencies and Clopper–Pearson 95%
//! intervals beside the probabilities the paper states (read from the proofs files). Every
//! number here is f64; the report serializes with the keys and order of `simulate --json`.

use super::Objective;
use super::noise::NoiseModel;
use super::rng::GENERATOR;
use super::run::{RunSpec, Stage, Start, TrialResult, try_run};
use super::stats::{clopper_pearson, histogram, quantile};
use super::theorem::{Corollary2Point, Theorem1Point, corollary2, theorem1};
use crate::error::{Result, Usage};
use crate::limits::{check_memory, check_work, try_vec};
use serde::Serialize;

/// The most steps of a run (over all stages), and the most trials.
pub const MAX_STEPS: u64 = 1 << 40;
pub const MAX_TRIALS: u64 = 1 << 32;

/// The quantiles reported: 5%, 25%, 50%, 75%, 95%.
const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// A simulation as the command line asks for it. `stages` (`ETA:STEPS:S`) replace
/// `eta`/`steps`/`s` when given; `start` and `start_box` (`LO..HI`) exclude each other (every
/// trial starts at 1 when neither is given); with `l` and `c` (exact decimal text) Theorem 1's
/// events are checked, and with `c2` too and two stages Corollary 2's.
#[derive(Clone, Debug)]
pub struct SimulateRequest {
    pub objective: String,
    pub dim: usize,
    pub a: f64,
    pub eta: Option<f64>,
    pub steps: u64,
    pub s: f64,
    pub stages: Vec<String>,
    pub noise: NoiseModel,
    pub start: Option<f64>,
    pub start_box: Option<String>,
    pub x_star: f64,
    pub trials: u64,
    pub seed: u64,
    pub l: Option<String>,
    pub c: Option<String>,
    pub c2: Option<String>,
    pub t2: u64,
    /// The start of Theorem 1's window, at least the theorem's T1 (`None`: T1 itself).
    pub t1: Option<u64>,
    /// A domain D = [LO, HI]^d (`LO..HI`): the trials whose iterates leave it are counted.
    pub domain: Option<String>,
    /// Compute Step 2's conditional expectation E[G_T1 | F_{T1−1}] along every trial's path
    /// (discrete noise only) and hold it against G_0.
    pub step2_conditional: bool,
    /// Trials whose every step is recorded (0: none).
    pub trace_trials: u64,
    pub within: Option<f64>,
    pub max_work: u128,
}

/// Reads a stage `ETA:STEPS:S` with noise of `kind` and radius (or scale) S.
pub fn parse_stage(text: &str, kind: NoiseModel) -> Result<Stage> {
    let p: Vec<&str> = text.split(':').collect();
    if p.len() != 3 {
        return Err(Usage::malformed("--stage", text, "ETA:STEPS:S").into());
    }
    let eta: f64 = p[0]
        .parse()
        .map_err(|_| Usage::invalid("--stage", text, "bad step size"))?;
    let steps: u64 = p[1]
        .parse()
        .map_err(|_| Usage::invalid("--stage", text, "bad number of steps"))?;
    let s: f64 = p[2]
        .parse()
        .map_err(|_| Usage::invalid("--stage", text, "bad noise radius"))?;
    Ok(Stage {
        eta,
        steps,
        noise: kind.with_radius(s)?,
    })
}

/// Reads a start box `LO..HI` (finite, LO ≤ HI).
pub fn parse_start_box(text: &str) -> Result<Start> {
    parse_box("--start-box", text)
}

/// Reads a box `LO..HI` given to `flag` (finite, LO ≤ HI).
fn parse_box(flag: &str, text: &str) -> Result<Start> {
    let (lo, hi) = crate::arith::split_range(text).map_err(|e| Usage::invalid(flag, text, e))?;
    let lo: f64 = lo
        .trim()
        .parse()
        .map_err(|_| Usage::invalid(flag, text, "bad lower end"))?;
    let hi: f64 = hi
        .trim()
        .parse()
        .map_err(|_| Usage::invalid(flag, text, "bad upper end"))?;
    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
        return Err(Usage::invalid(flag, text, "need finite LO ≤ HI").into());
    }
    Ok(Start::Box { lo, hi })
}

/// An f64 that is not finite reads as NaN (as a JSON null reads back), so that an infinite
/// bound counts no trial.
fn finite_or_nan(v: f64) -> f64 {
    if v.is_finite() { v } else { f64::NAN }
}

/// A frequency: `count` of `trials`, its Clopper–Pearson 95% interval, and the probability the
/// paper states for the event.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub count: u64,
    pub trials: u64,
    pub probability: f64,
    pub clopper_pearson_95: (f64, f64),
    pub paper: Option<f64>,
}

impl Event {
    fn new(count: u64, trials: u64, paper: Option<f64>) -> Event {
        Event {
            count,
            trials,
            probability: count as f64 / trials as f64,
            clopper_pearson_95: clopper_pearson(count, trials, 0.05),
            paper,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Quantiles {
    pub q05: f64,
    pub q25: f64,
    pub q50: f64,
    pub q75: f64,
    pub q95: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
}

/// The final iterates: x in 1-D, else ‖x − x*‖ (non-finite ones left out).
#[derive(Clone, Debug, Serialize)]
pub struct Finals {
    pub what: &'static str,
    pub quantiles: Quantiles,
    pub histogram: Histogram,
}

/// The quantiles (5%, 25%, 50%, 75%, 95%) of ‖y_t − x*‖² over the trials at step `t`.
#[derive(Clone, Debug, Serialize)]
pub struct Checkpoint {
    pub t: u64,
    pub quantiles: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Bounds {
    #[serde(rename = "bound_T1")]
    pub bound_t1: f64,
    pub delta2: f64,
}

/// Theorem 1 for the first stage, with D0 the largest ‖y₀ − x*‖² over the trials (so the T1
/// it gives is admissible for every trial).
#[derive(Clone, Debug, Serialize)]
pub struct Theorem1Run {
    #[serde(flatten)]
    pub point: Theorem1Point,
    pub bounds: Bounds,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tightness {
    #[serde(rename = "median_at_T1_over_bound")]
    pub median_at_t1_over_bound: f64,
    pub median_window_max_over_delta2: f64,
}

/// Theorem 1's events, when its window [T1, T1 + T2] fits in the first stage.
#[derive(Clone, Debug, Serialize)]
pub struct Theorem1Events {
    #[serde(rename = "T1")]
    pub t1: u64,
    #[serde(rename = "at_T1_within_20b_over_lambda")]
    pub at_t1_within_20b_over_lambda: Event,
    pub window_within_delta2: Event,
    pub both: Event,
    /// max over the window of ‖y_t − x*‖² ≤ 20b/λ: the bound at T1 held over the whole window
    /// (the paper states it at T1 only).
    #[serde(rename = "window_within_20b_over_lambda")]
    pub window_within_20b_over_lambda: Event,
    pub tightness: Tightness,
}

/// Corollary 2's event at the end of the second stage, or why it was not checked.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Corollary2Event {
    Event {
        #[serde(rename = "T1")]
        t1: f64,
        #[serde(rename = "T2_stage")]
        t2_stage: f64,
        bound_final: f64,
        count: u64,
        trials: u64,
        probability: f64,
        clopper_pearson_95: (f64, f64),
        paper: Option<f64>,
        /// The corollary's probability as the proofs file writes it ("1/4").
        #[serde(skip)]
        paper_text: Option<String>,
    },
    Error {
        error: String,
    },
}

/// The fraction of trials ending within `radius` of x*.
#[derive(Clone, Debug, Serialize)]
pub struct Within {
    pub radius: f64,
    pub count: u64,
    pub fraction: f64,
    pub clopper_pearson_95: (f64, f64),
}

/// What a simulation found (serialized: the body of `simulate --json` after its header).
#[derive(Clone, Debug, Serialize)]
pub struct Simulation {
    pub objective: String,
    pub dim: usize,
    pub stages: Vec<Stage>,
    pub start: Start,
    pub x_star: f64,
    pub trials: u64,
    pub seed: u64,
    pub generator: &'static str,
    pub diverged: usize,
    #[serde(rename = "final")]
    pub finals: Finals,
    pub dist2_over_time: Vec<Checkpoint>,
    pub theorem1: Option<Theorem1Run>,
    pub events: Option<Theorem1Events>,
    pub corollary2: Option<Corollary2Event>,
    pub within: Option<Within>,
    /// The trials whose iterates left the domain D, and when.
    pub domain: Option<DomainExits>,
    /// Step 2's conditional inequality along the paths (`--step2-conditional`).
    pub step2_conditional: Option<Step2Conditional>,
    /// Theorem 1's probability as the proofs file writes it ("1/2").
    #[serde(skip)]
    pub theorem1_probability: Option<String>,
    /// Every trial's results (the traced steps of the first trials among them).
    #[serde(skip)]
    pub results: Vec<TrialResult>,
}

/// Step 2 of the proof as written: "E[G_T1 | F_{T1−1}] ≤ G_0" with
/// G_t = (1 − λ)^{−t}(‖y_t − x*‖² − b/λ), computed exactly over the noise's values along every
/// trial's path (in f64). Only the unconditional E[G_T1] ≤ G_0 follows from the supermartingale
/// (by the tower property); the conditional one fails on the paths counted in `violated`.
/// Both sides are multiplied by (1 − λ)^{T1} so that nothing overflows: the path violates when
/// E[‖y_T1 − x*‖² | F_{T1−1}] − b/λ > (1 − λ)^{T1}·(‖y_0 − x*‖² − b/λ).
#[derive(Clone, Debug, Serialize)]
pub struct Step2Conditional {
    #[serde(rename = "T1")]
    pub t1: u64,
    pub lambda: f64,
    pub b_over_lambda: f64,
    /// The paths on which the conditional inequality fails.
    pub violated: Event,
    /// The path with the largest excess: its trial index, E[G_T1 | F_{T1−1}] and G_0.
    pub worst: Option<WorstPath>,
    /// The mean over the trials of ‖y_T1 − x*‖² − b/λ, against (1 − λ)^{T1} times the mean
    /// of ‖y_0 − x*‖² − b/λ: the unconditional inequality, in expectation (Monte Carlo).
    pub mean_scaled_g_t1: f64,
    pub mean_scaled_g0: f64,
}

/// One path of [`Step2Conditional`].
#[derive(Clone, Debug, Serialize)]
pub struct WorstPath {
    pub trial: u64,
    #[serde(rename = "conditional_G_T1")]
    pub conditional_g_t1: f64,
    #[serde(rename = "G0")]
    pub g0: f64,
}

/// The trials whose iterates left D = [lo, hi]^d: how many (with a Clopper–Pearson 95%
/// interval) and the first step outside D of those that did (5%, 50%, 95% quantiles, the
/// earliest and the latest).
#[derive(Clone, Debug, Serialize)]
pub struct DomainExits {
    pub lo: f64,
    pub hi: f64,
    pub left: Event,
    pub first_exit: Option<ExitSteps>,
}

/// Quantiles of the first step outside D over the trials that left it.
#[derive(Clone, Debug, Serialize)]
pub struct ExitSteps {
    pub earliest: u64,
    pub q05: f64,
    pub median: f64,
    pub q95: f64,
    pub latest: u64,
}

/// A simulation checked and ready to run: its schedule, the limits, and Theorem 1 for the first
/// stage (which needs one probe step of every trial).
pub struct SimulatePlan {
    req: SimulateRequest,
    spec: RunSpec,
    theorem: Option<Theorem1Run>,
}

impl SimulatePlan {
    /// Reads and checks the request (objective, schedule, trials, start, then the memory and the
    /// work against `max_work`), and with `l` and `c` evaluates Theorem 1 for the first stage,
    /// in that order of errors; every error is bad input.
    pub fn new(req: &SimulateRequest) -> Result<SimulatePlan> {
        let objective = Objective::named(&req.objective, req.dim, req.a)?;
        let d = objective.dim();
        let stages: Vec<Stage> = if req.stages.is_empty() {
            let eta = req
                .eta
                .ok_or_else(|| Usage::Other("give --eta (or --stage ETA:STEPS:S)".into()))?;
            vec![Stage {
                eta,
                steps: req.steps,
                noise: req.noise.with_radius(req.s)?,
            }]
        } else {
            req.stages
                .iter()
                .map(|s| parse_stage(s, req.noise.clone()))
                .collect::<Result<_>>()?
        };
        for st in &stages {
            st.noise.check_dim(d)?;
            if !(st.eta.is_finite() && st.eta > 0.0) {
                return Err(Usage::out_of_range("step size", st.eta, "must be positive").into());
            }
        }
        let total: u64 = stages
            .iter()
            .try_fold(0u64, |a, s| a.checked_add(s.steps))
            .unwrap_or(u64::MAX);
        if total == 0 || total > MAX_STEPS {
            return Err(Usage::out_of_range(
                "--steps",
                format!("{total} (over all stages)"),
                format!("give between 1 and 2^40 = {MAX_STEPS} steps"),
            )
            .into());
        }
        if req.trials == 0 || req.trials > MAX_TRIALS {
            return Err(Usage::out_of_range(
                "--trials",
                req.trials,
                format!("give between 1 and 2^32 = {MAX_TRIALS} trials"),
            )
            .into());
        }
        for (name, v) in [
            ("--start", req.start),
            ("--x-star", Some(req.x_star)),
            ("--within", req.within),
        ] {
            if let Some(v) = v
                && !v.is_finite()
            {
                return Err(Usage::out_of_range(name, v, "must be a finite number").into());
            }
        }
        let start = match (&req.start, &req.start_box) {
            (Some(_), Some(_)) => {
                return Err(Usage::Exclusive {
                    first: "--start".into(),
                    second: "--start-box".into(),
                    either: false,
                }
                .into());
            }
            (Some(v), None) => Start::Point(vec![*v; d]),
            (None, Some(b)) => parse_box("--start-box", b)?,
            (None, None) => Start::Point(vec![1.0; d]),
        };
        // 50 checkpoints spread evenly over the run (fewer in a shorter run).
        let checkpoints: Vec<u64> = {
            let k = 50.min(total);
            let mut v: Vec<u64> = (0..k).map(|i| i * (total - 1) / (k - 1).max(1)).collect();
            v.dedup();
            v
        };
        let domain = match req.domain.as_deref().map(|t| parse_box("--domain", t)) {
            Some(Ok(Start::Box { lo, hi })) => Some((lo, hi)),
            Some(Err(e)) => return Err(e),
            _ => None,
        };
        let mut spec = RunSpec {
            domain,
            conditional_at: None,
            objective,
            stages,
            start,
            x_star: vec![req.x_star; d],
            trials: req.trials,
            seed: req.seed,
            checkpoints,
            window: None,
            trace_trials: req.trace_trials,
        };
        // What the run needs, before anything runs: memory for the results (and the traced
        // steps), then the work against max_work.
        check_memory(
            || format!("simulating {}", spec.describe_size()),
            spec.memory(),
            "ask for fewer --trials, --steps or --trace-trials",
        )?;
        check_work(
            || format!("simulating {}", spec.describe_size()),
            spec.work(),
            req.max_work,
            "operations",
            &format!(" ({} per trial-step)", spec.objective.ops_per_step()),
            "--max-work",
            "ask for fewer --trials or --steps",
        )?;
        // Theorem 1 for the first stage: D0 is the largest ‖y0 − x*‖² over the trials, so the
        // T1 it gives is admissible for every trial.
        let mut theorem = None;
        if req.step2_conditional && (req.l.is_none() || req.c.is_none()) {
            return Err(Usage::at(
                "--step2-conditional",
                "give --L and --c (Theorem 1's T1, λ and b)",
            )
            .into());
        }
        if let (Some(l), Some(c)) = (&req.l, &req.c) {
            let first = spec.stages[0].clone();
            let probe = RunSpec {
                stages: vec![Stage {
                    steps: 1,
                    ..first.clone()
                }],
                trace_trials: 0,
                domain: None,
                conditional_at: None,
                checkpoints: vec![],
                ..spec.clone()
            };
            let d0 = try_run(&probe, &|_| {})?
                .iter()
                .map(|t| t.y0_dist2)
                .fold(0.0, f64::max);
            let point = theorem1(first.eta, l, c, first.noise.radius(), d0, req.t2)?;
            let t1 = match req.t1 {
                Some(t) if t < point.steps() => {
                    return Err(Usage::out_of_range(
                        "--t1",
                        t,
                        format!(
                            "Theorem 1's events are for T1 at least the bound {} (its step count at these parameters)",
                            point.steps()
                        ),
                    )
                    .into());
                }
                Some(t) => t,
                None => point.steps(),
            };
            if req.step2_conditional {
                let support = first.noise.support(d).ok_or_else(|| {
                    Usage::at(
                        "--step2-conditional",
                        format!(
                            "the conditional expectation is computed exactly over the noise's values: give a discrete noise (--noise two-point, signs in at most {} dimensions, finite or none), not {}",
                            super::noise::MAX_SIGN_DIMS, first.noise
                        ),
                    )
                })?;
                if t1 == 0 || t1 >= first.steps {
                    return Err(Usage::at(
                        "--step2-conditional",
                        format!("T1 = {t1} must be a step of the first stage after the start"),
                    )
                    .into());
                }
                spec.conditional_at = Some((t1, support));
            }
            if t1 + req.t2 < first.steps {
                spec.window = Some((t1, t1 + req.t2));
            } else if req.t1.is_some() {
                return Err(Usage::out_of_range(
                    "--t1",
                    t1,
                    format!(
                        "the window [T1, T1 + T2] = [{t1}, {}] must end inside the first stage's {} steps",
                        t1.saturating_add(req.t2),
                        first.steps
                    ),
                )
                .into());
            }
            theorem = Some(Theorem1Run {
                bounds: Bounds {
                    bound_t1: point.bound_t1,
                    delta2: point.delta2,
                },
                point,
            });
        }
        Ok(SimulatePlan {
            req: req.clone(),
            spec,
            theorem,
        })
    }

    /// The trial-steps the run takes (trials × steps over all stages), for a progress bar.
    pub fn trial_steps(&self) -> u64 {
        let total = self.spec.total_steps().unwrap_or(u64::MAX);
        self.req.trials.saturating_mul(total)
    }

    /// Runs every trial (`progress` is told of trial-steps as they are done) and summarizes.
    /// Corollary 2 is evaluated after the run; an input it cannot read is bad input then.
    pub fn run(self, progress: &(dyn Fn(u64) + Sync)) -> Result<Simulation> {
        let SimulatePlan { req, spec, theorem } = self;
        let results = try_run(&spec, progress)?;
        let d = spec.objective.dim();
        let distance = |x: &[f64]| {
            x.iter()
                .zip(&spec.x_star)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt()
        };
        let diverged = results
            .iter()
            .filter(|r| r.x_final.iter().any(|v| !v.is_finite()))
            .count();
        let mut finals: Vec<f64> = try_vec(results.len(), "the final iterates")?;
        finals.extend(
            results
                .iter()
                .map(|r| {
                    if d == 1 {
                        r.x_final[0]
                    } else {
                        distance(&r.x_final)
                    }
                })
                .filter(|v: &f64| v.is_finite()),
        );
        let q: Vec<f64> = QUANTILES
            .iter()
            .map(|&q| quantile(&mut finals, q))
            .collect();
        let (lo, hi) = (
            finals.first().copied().unwrap_or(0.0),
            finals.last().copied().unwrap_or(0.0),
        );
        let counts = histogram(&finals, lo, hi, 20);
        let dist2_over_time = spec
            .checkpoints
            .iter()
            .enumerate()
            .map(|(k, &t)| {
                let mut v: Vec<f64> = results
                    .iter()
                    .filter_map(|r| r.at_checkpoints.get(k).copied())
                    .collect();
                Checkpoint {
                    t,
                    quantiles: QUANTILES.iter().map(|&q| quantile(&mut v, q)).collect(),
                }
            })
            .collect();
        let theorem1_probability = theorem
            .as_ref()
            .and_then(|t| t.point.probability.as_ref())
            .map(|p| p.text.clone());
        let events = match (spec.window, &theorem) {
            (Some((t1, _)), Some(th)) => Some(theorem1_events(&results, t1, th)),
            _ => None,
        };
        let within = req.within.map(|radius| {
            let k = results
                .iter()
                .filter(|r| distance(&r.x_final) <= radius)
                .count() as u64;
            Within {
                radius,
                count: k,
                fraction: k as f64 / req.trials as f64,
                clopper_pearson_95: clopper_pearson(k, req.trials, 0.05),
            }
        });
        let domain = spec.domain.map(|(lo, hi)| {
            let mut steps: Vec<u64> = results.iter().filter_map(|r| r.left_domain).collect();
            steps.sort_unstable();
            let k = steps.len() as u64;
            let first_exit = (!steps.is_empty()).then(|| {
                let mut v: Vec<f64> = steps.iter().map(|&t| t as f64).collect();
                ExitSteps {
                    earliest: steps[0],
                    q05: quantile(&mut v, 0.05),
                    median: quantile(&mut v, 0.5),
                    q95: quantile(&mut v, 0.95),
                    latest: steps[steps.len() - 1],
                }
            });
            DomainExits {
                lo,
                hi,
                left: Event::new(k, req.trials, None),
                first_exit,
            }
        });
        let step2_conditional = match (&spec.conditional_at, &theorem) {
            (Some((t1, _)), Some(th)) => Some(step2_conditional(&results, *t1, th)),
            _ => None,
        };
        let mut corollary = None;
        if let (Some(l), Some(c), Some(c2), [first, second]) =
            (&req.l, &req.c, &req.c2, spec.stages.as_slice())
        {
            let d0 = theorem
                .as_ref()
                .map(|t| t.point.d0)
                .filter(|v| v.is_finite())
                .unwrap_or(1.0);
            corollary = Some(
                match corollary2(first, second, l, c, c2, d0, req.t2)? {
                    Corollary2Point::Fits {
                        t1,
                        t2_stage,
                        bound_final,
                        probability,
                    } => {
                        let n = results.len() as u64;
                        let k = results
                            .iter()
                            .filter(|r| r.stage_end.get(1).is_some_and(|v| *v <= bound_final))
                            .count() as u64;
                        let e = Event::new(k, n, probability.as_ref().map(|p| p.to_f64()));
                        Corollary2Event::Event {
                            t1,
                            t2_stage,
                            bound_final,
                            count: e.count,
                            trials: e.trials,
                            probability: e.probability,
                            clopper_pearson_95: e.clopper_pearson_95,
                            paper: e.paper,
                            paper_text: probability.map(|p| p.text),
                        }
                    }
                    Corollary2Point::TooShort { t1, t2_stage } => Corollary2Event::Error {
                        error: format!(
                            "the stages are too short: Corollary 2 needs at least {t1} and {t2_stage} steps"
                        ),
                    },
                    Corollary2Point::Fails => Corollary2Event::Error {
                        error: "Corollary 2's hypotheses do not hold for these stages (see `sgdbounds check --eta2 … --c2 …`)".into(),
                    },
                },
            );
        }
        Ok(Simulation {
            objective: spec.objective.describe(),
            dim: d,
            stages: spec.stages.clone(),
            start: spec.start.clone(),
            x_star: req.x_star,
            trials: req.trials,
            seed: req.seed,
            generator: GENERATOR,
            diverged,
            finals: Finals {
                what: if d == 1 { "x" } else { "‖x − x*‖" },
                quantiles: Quantiles {
                    q05: q[0],
                    q25: q[1],
                    q50: q[2],
                    q75: q[3],
                    q95: q[4],
                },
                histogram: Histogram { lo, hi, counts },
            },
            dist2_over_time,
            theorem1: theorem,
            events,
            corollary2: corollary,
            within,
            domain,
            step2_conditional,
            theorem1_probability,
            results,
        })
    }
}

/// Step 2's conditional inequality along every trial's path (see [`Step2Conditional`]).
fn step2_conditional(results: &[TrialResult], t1: u64, th: &Theorem1Run) -> Step2Conditional {
    let (lambda, b) = (th.point.lambda, th.point.b);
    let b_over_lambda = b / lambda;
    // (1 − λ)^{T1}, in logs so that a long T1 underflows to 0 rather than failing
    let decay = ((1.0 - lambda).ln() * t1 as f64).exp();
    let n = results.len() as u64;
    let mut violated = 0;
    let mut worst: Option<(f64, WorstPath)> = None;
    let (mut sum_t1, mut sum_0) = (0.0, 0.0);
    for (i, r) in results.iter().enumerate() {
        let lhs = r.conditional - b_over_lambda;
        let g0 = r.y0_dist2 - b_over_lambda;
        let rhs = decay * g0;
        sum_t1 += r.at_t1 - b_over_lambda;
        sum_0 += rhs;
        if lhs > rhs {
            violated += 1;
            let excess = lhs - rhs;
            if worst.as_ref().is_none_or(|(e, _)| excess > *e) {
                worst = Some((
                    excess,
                    WorstPath {
                        trial: i as u64,
                        conditional_g_t1: lhs / decay,
                        g0,
                    },
                ));
            }
        }
    }
    Step2Conditional {
        t1,
        lambda,
        b_over_lambda,
        violated: Event::new(violated, n, None),
        worst: worst.map(|(_, w)| w),
        mean_scaled_g_t1: sum_t1 / n as f64,
        mean_scaled_g0: sum_0 / n as f64,
    }
}

/// Theorem 1's events over the trials, with the window starting at step `t1`: at T1 within
/// 20b/λ, within δ² over the window, both; each beside the theorem's probability. The medians
/// of the observed values over their bounds say how tight the bounds are. A non-finite bound
/// counts no trial.
fn theorem1_events(results: &[TrialResult], t1: u64, th: &Theorem1Run) -> Theorem1Events {
    let b1 = finite_or_nan(th.bounds.bound_t1);
    let d2 = finite_or_nan(th.bounds.delta2);
    let paper = th.point.probability.as_ref().map(|p| p.to_f64());
    let n = results.len() as u64;
    let count = |f: &dyn Fn(&TrialResult) -> bool| results.iter().filter(|r| f(r)).count() as u64;
    let e1 = count(&|r| r.at_t1 <= b1);
    let e2 = count(&|r| r.max_in_window <= d2);
    let both = count(&|r| r.at_t1 <= b1 && r.max_in_window <= d2);
    let window_b1 = count(&|r| r.max_in_window <= b1);
    let mut at: Vec<f64> = results.iter().map(|r| r.at_t1).collect();
    let mut mx: Vec<f64> = results.iter().map(|r| r.max_in_window).collect();
    Theorem1Events {
        t1,
        // the paper bounds the event at T1 alone by Markov (Step 2: 0.9) and both together
        // (Step 4: 1/2); the window alone has no bound of its own (it is conditional on T1)
        at_t1_within_20b_over_lambda: Event::new(e1, n, th.point.p_markov),
        window_within_delta2: Event::new(e2, n, None),
        both: Event::new(both, n, paper),
        window_within_20b_over_lambda: Event::new(window_b1, n, None),
        tightness: Tightness {
            median_at_t1_over_bound: quantile(&mut at, 0.5) / b1,
            median_window_max_over_delta2: quantile(&mut mx, 0.5) / d2,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Noise;
    use crate::sim::noise::NoiseKind;

    fn request() -> SimulateRequest {
        SimulateRequest {
            objective: "quadratic".into(),
            dim: 1,
            a: 1.0,
            eta: Some(0.1),
            steps: 600,
            s: 1.0,
            stages: vec![],
            noise: NoiseKind::Uniform.into(),
            start: Some(5.0),
            start_box: None,
            x_star: 0.0,
            trials: 40,
            seed: 7,
            l: Some("1".into()),
            c: Some("1".into()),
            c2: None,
            t2: 50,
            t1: None,
            domain: None,
            step2_conditional: false,
            trace_trials: 0,
            within: None,
            max_work: 1 << 40,
        }
    }

    #[test]
    fn stages_and_start_boxes_are_read_with_their_errors() {
        let st = parse_stage("0.01:200:2", NoiseKind::Uniform.into()).unwrap();
        assert_eq!(
            (st.eta, st.steps, st.noise),
            (0.01, 200, Noise::Uniform { s: 2.0 })
        );
        for (text, needle) in [("0.1:x:1", "bad number of steps"), ("1:2", "ETA:STEPS:S")] {
            let e = parse_stage(text, NoiseKind::None.into())
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
        assert!(matches!(
            parse_start_box("-5..5"),
            Ok(Start::Box { lo: -5.0, hi: 5.0 })
        ));
        assert!(parse_start_box("5..-5").is_err());
    }

    #[test]
    fn theorem1_events_stand_beside_the_stated_probability() {
        let plan = SimulatePlan::new(&request()).unwrap();
        assert_eq!(plan.trial_steps(), 40 * 600);
        let sim = plan.run(&|_| {}).unwrap();
        let ev = sim.events.as_ref().expect("the window fits");
        // Step 2 (Markov) bounds the event at T1 by 0.9, Step 4 both events by 1/2; the
        // window alone has no bound of its own
        for (e, paper) in [
            (&ev.at_t1_within_20b_over_lambda, Some(0.9)),
            (&ev.window_within_delta2, None),
            (&ev.both, Some(0.5)),
        ] {
            assert_eq!((e.trials, e.paper), (40, paper));
            assert!(e.count <= 40 && e.clopper_pearson_95.0 <= e.probability);
        }
        assert!(ev.both.count <= ev.window_within_delta2.count);
        assert_eq!(sim.theorem1_probability.as_deref(), Some("1/2"));
        assert!(sim.corollary2.is_none() && sim.within.is_none());
    }

    #[test]
    fn a_window_longer_than_the_stage_leaves_no_events() {
        let sim = SimulatePlan::new(&SimulateRequest {
            t2: 5000,
            t1: None,
            domain: None,
            step2_conditional: false,
            ..request()
        })
        .unwrap()
        .run(&|_| {})
        .unwrap();
        assert!(sim.events.is_none() && sim.theorem1.is_some());
    }
}
