//! `sgdbounds simulate`: SGD on an objective, many seeded trials, held against Theorem 1.

use crate::arith::parse_rational;
use crate::error::{Error, Result};
use crate::limits::{check_memory, check_work};
use crate::sim::stats::{clopper_pearson, histogram, quantile};
use crate::sim::{Noise, Objective, RunSpec, Stage, Start, try_run};
use crate::theory::Model;
use crate::verify::{Precision, evaluate_point};
use clap::Args;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::io::Write;

/// The most steps of a run (over all stages), and the most trials.
pub const MAX_STEPS: u64 = 1 << 40;
pub const MAX_TRIALS: u64 = 1 << 32;

/// Run SGD, x_{t+1} = x_t − η(∇f(x_t) + ω_t), over many independent seeded trials in parallel,
/// and hold the result against Theorem 1.
///
/// Records, for the paper's sequence y_t = x_t − η∇f(x_t): the final iterates (quantiles and a
/// histogram), quantiles of ‖y_t − x*‖² over time, and with --L and --c the events of Theorem 1
/// (‖y_T1 − x*‖² ≤ 20b/λ, and ‖y_t − x*‖² ≤ δ² for T1 ≤ t ≤ T1 + T2) with their empirical
/// probability and a Clopper–Pearson 95% interval beside the paper's 1/2. The bounds come from
/// proofs/theorem1.toml, the same definitions `check` uses. The same --seed gives the same
/// output with any number of threads.
///
/// Examples:
///
///   sgdbounds simulate --objective quadratic --eta 0.1 --s 1 --steps 2000 --start 5 --L 1 --c 1 --t2 500
///
///   sgdbounds simulate --objective spiky --eta 0.05 --s 20 --steps 2000 --start-box -5..5 --trials 100
///
///   sgdbounds simulate --objective "x^2 + 0.5*(1 - cos(30*x))" --stage 0.01:5000:20 --stage 0.001:5000:2 --start-box -5..5
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SimulateArgs {
    /// quadratic (a/2·‖x‖²), bowl (x²/2 + 0.1(1 − cos 5x)), spiky (x²/2 + 0.05·x²(1 − cos 30x), our reconstruction of Figure 3's function), or an expression in x (1-D) or x1..xd
    #[arg(long, default_value = "quadratic")]
    pub objective: String,
    /// Dimension (quadratic and expressions in x1..xd)
    #[arg(long, default_value_t = 1)]
    pub dim: usize,
    /// Curvature a of the quadratic
    #[arg(long, default_value_t = 1.0)]
    pub a: f64,
    /// Step size (single stage)
    #[arg(long)]
    pub eta: Option<f64>,
    /// Steps (single stage)
    #[arg(long, default_value_t = 1000)]
    pub steps: u64,
    /// Noise radius s: ‖ω‖ ≤ s (single stage); the theorem's r
    #[arg(long, default_value_t = 1.0)]
    pub s: f64,
    /// A stage ETA:STEPS:S (repeatable; replaces --eta/--steps/--s), later stages start where the earlier ended
    #[arg(long, value_name = "ETA:STEPS:S")]
    pub stage: Vec<String>,
    /// Noise: uniform (in the ball of radius s), gaussian (σ = s/2, clipped to s), none (gradient descent)
    #[arg(long, default_value = "uniform")]
    pub noise: String,
    /// Start every trial at this point (one value for every coordinate)
    #[arg(long, allow_hyphen_values = true)]
    pub start: Option<f64>,
    /// Start uniformly in the box LO..HI in every coordinate
    #[arg(long, value_name = "LO..HI", allow_hyphen_values = true)]
    pub start_box: Option<String>,
    /// The target x* (one value for every coordinate)
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub x_star: f64,
    /// Independent trials
    #[arg(long, default_value_t = 1000)]
    pub trials: u64,
    /// Seed
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
    /// Theorem 1: smoothness L (with --c, the events are checked)
    #[arg(long = "L")]
    pub l: Option<String>,
    /// Theorem 1: one-point strong convexity c
    #[arg(long)]
    pub c: Option<String>,
    /// Corollary 2 (two stages): c′ of the second stage; with --L and --c, checks
    /// ‖y − x*‖² ≤ 20b′/λ′ at the end of the second stage (the paper: probability ≥ 1/4)
    #[arg(long)]
    pub c2: Option<String>,
    /// Theorem 1: T2, the steps after T1 over which ‖y_t − x*‖² ≤ δ² must hold
    #[arg(long, default_value_t = 100)]
    pub t2: u64,
    /// Write every step of the first --trace-trials trials as CSV to FILE
    #[arg(long, value_name = "FILE")]
    pub trajectories: Option<String>,
    /// Trials written by --trajectories
    #[arg(long, default_value_t = 10)]
    pub trace_trials: u64,
    /// Also report the fraction of trials ending within this distance of x*
    #[arg(long, value_name = "R")]
    pub within: Option<f64>,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
    /// Refuse a run estimated above N operations (trials × steps × operations per step, see
    /// README); raise it for longer runs
    #[arg(long, value_name = "N", default_value = "1e12", value_parser = super::count_arg)]
    pub max_work: u128,
}

fn bad(m: impl Into<String>) -> Error {
    Error::usage(m)
}

/// The objective named on the command line.
pub(crate) fn objective_from(name: &str, dim: usize, a: f64) -> Result<Objective> {
    Objective::named(name, dim, a)
}

pub(crate) fn noise_of(kind: &str, s: f64) -> Result<Noise> {
    if !(s.is_finite() && s >= 0.0) {
        return Err(bad(format!(
            "noise radius {s}: must be finite and nonnegative"
        )));
    }
    Ok(match kind {
        "uniform" => Noise::Uniform { s },
        "gaussian" => Noise::Gaussian { s, sigma: s / 2.0 },
        "none" => Noise::None,
        other => return Err(bad(format!("--noise {other}: uniform, gaussian or none"))),
    })
}

/// Theorem 1's T1, 20b/λ and δ² (upper ends) for the first stage.
pub(crate) fn theorem1(
    eta: f64,
    l: &str,
    c: &str,
    r: f64,
    d0: f64,
    t2: u64,
) -> Result<(u64, f64, f64, Json)> {
    let model = Model::builtin("theorem1")?;
    let q = crate::report::number::f64_exact;
    let mut given = BTreeMap::new();
    given.insert("eta".to_string(), q(eta));
    given.insert("L".to_string(), l.to_string());
    given.insert("c".to_string(), c.to_string());
    given.insert("r".to_string(), q(r));
    given.insert("d0".to_string(), q(d0.max(f64::MIN_POSITIVE)));
    given.insert("t2".to_string(), t2.max(1).to_string());
    parse_rational(l).map_err(|source| Error::Number {
        label: "--L".into(),
        source,
    })?;
    parse_rational(c).map_err(|source| Error::Number {
        label: "--c".into(),
        source,
    })?;
    let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
    let p = evaluate_point(&model, &inputs, Precision::new(256, 12));
    let get = |name: &str| p.quantity(&model, name).cloned();
    let holds = p.hypotheses_hold();
    let t1 = get("T1").map(|x| x.hi.to_f64()).unwrap_or(f64::NAN);
    let b1 = get("bound_T1")
        .map(|x| x.hi.to_f64_round(rug::float::Round::Up))
        .unwrap_or(f64::NAN);
    let d2 = get("delta2")
        .map(|x| x.hi.to_f64_round(rug::float::Round::Up))
        .unwrap_or(f64::NAN);
    if !holds || !t1.is_finite() {
        return Err(bad(format!(
            "Theorem 1's hypotheses do not hold for η = {eta}, L = {l}, c = {c} (see `sgdbounds check --eta {eta} --L {l} --c {c} --r {r} --d0 {d0} --t2 {t2}`)"
        )));
    }
    let info =
        json!({"T1": t1, "bound_T1": b1, "delta2": d2, "d0": d0, "r": r, "L": l, "c": c, "t2": t2});
    Ok((t1 as u64, b1, d2, info))
}

pub fn run_cmd(args: SimulateArgs) -> Result<i32> {
    let objective = objective_from(&args.objective, args.dim, args.a)?;
    let d = objective.dim();
    let stages: Vec<Stage> = if args.stage.is_empty() {
        let eta = args
            .eta
            .ok_or_else(|| bad("give --eta (or --stage ETA:STEPS:S)"))?;
        vec![Stage {
            eta,
            steps: args.steps,
            noise: noise_of(&args.noise, args.s)?,
        }]
    } else {
        args.stage
            .iter()
            .map(|s| {
                let p: Vec<&str> = s.split(':').collect();
                if p.len() != 3 {
                    return Err(bad(format!("--stage {s}: expected ETA:STEPS:S")));
                }
                let eta: f64 = p[0]
                    .parse()
                    .map_err(|_| bad(format!("--stage {s}: bad step size")))?;
                let steps: u64 = p[1]
                    .parse()
                    .map_err(|_| bad(format!("--stage {s}: bad number of steps")))?;
                let sv: f64 = p[2]
                    .parse()
                    .map_err(|_| bad(format!("--stage {s}: bad noise radius")))?;
                Ok(Stage {
                    eta,
                    steps,
                    noise: noise_of(&args.noise, sv)?,
                })
            })
            .collect::<Result<_>>()?
    };
    for st in &stages {
        if !(st.eta.is_finite() && st.eta > 0.0) {
            return Err(bad(format!("step size {}: must be positive", st.eta)));
        }
    }
    let total: u64 = stages
        .iter()
        .try_fold(0u64, |a, s| a.checked_add(s.steps))
        .unwrap_or(u64::MAX);
    if total == 0 || total > MAX_STEPS {
        return Err(bad(format!(
            "--steps {total} (over all stages): give between 1 and 2^40 = {MAX_STEPS} steps"
        )));
    }
    if args.trials == 0 || args.trials > MAX_TRIALS {
        return Err(bad(format!(
            "--trials {}: give between 1 and 2^32 = {MAX_TRIALS} trials",
            args.trials
        )));
    }
    for (name, v) in [
        ("--start", args.start),
        ("--x-star", Some(args.x_star)),
        ("--within", args.within),
    ] {
        if let Some(v) = v
            && !v.is_finite()
        {
            return Err(bad(format!("{name} {v}: must be a finite number")));
        }
    }
    let start = match (&args.start, &args.start_box) {
        (Some(_), Some(_)) => return Err(bad("give --start or --start-box, not both")),
        (Some(v), None) => Start::Point(vec![*v; d]),
        (None, Some(b)) => {
            let (lo, hi) =
                crate::arith::split_range(b).map_err(|e| bad(format!("--start-box {b}: {e}")))?;
            let lo: f64 = lo
                .trim()
                .parse()
                .map_err(|_| bad(format!("--start-box {b}: bad lower end")))?;
            let hi: f64 = hi
                .trim()
                .parse()
                .map_err(|_| bad(format!("--start-box {b}: bad upper end")))?;
            if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                return Err(bad(format!("--start-box {b}: need finite LO ≤ HI")));
            }
            Start::Box { lo, hi }
        }
        (None, None) => Start::Point(vec![1.0; d]),
    };
    let x_star = vec![args.x_star; d];
    let checkpoints: Vec<u64> = {
        let k = 50.min(total);
        let mut v: Vec<u64> = (0..k).map(|i| i * (total - 1) / (k - 1).max(1)).collect();
        v.dedup();
        v
    };
    let mut spec = RunSpec {
        objective,
        stages: stages.clone(),
        start,
        x_star,
        trials: args.trials,
        seed: args.seed,
        checkpoints: checkpoints.clone(),
        window: None,
        trace_trials: if args.trajectories.is_some() {
            args.trace_trials
        } else {
            0
        },
    };
    // What the run needs, before anything runs: memory for the results (and the traced
    // steps), then the work against --max-work.
    check_memory(
        || format!("simulating {}", spec.describe_size()),
        spec.memory(),
        "ask for fewer --trials, --steps or --trace-trials",
    )?;
    check_work(
        || format!("simulating {}", spec.describe_size()),
        spec.work(),
        args.max_work,
        "operations",
        &format!(" ({} per trial-step)", spec.objective.ops_per_step()),
        "--max-work",
        "ask for fewer --trials or --steps",
    )?;
    // Theorem 1 for the first stage: D0 is the largest ‖y0 − x*‖² over the trials, so the T1 it
    // gives is admissible for every trial.
    let mut theorem = Json::Null;
    if let (Some(l), Some(c)) = (&args.l, &args.c) {
        let probe = RunSpec {
            stages: vec![Stage {
                steps: 1,
                ..stages[0]
            }],
            trace_trials: 0,
            checkpoints: vec![],
            ..spec.clone()
        };
        let d0 = try_run(&probe, &|_| {})?
            .iter()
            .map(|t| t.y0_dist2)
            .fold(0.0, f64::max);
        let (t1, b1, d2, info) =
            theorem1(stages[0].eta, l, c, stages[0].noise.radius(), d0, args.t2)?;
        theorem = info;
        if t1 + args.t2 < stages[0].steps {
            spec.window = Some((t1, t1 + args.t2));
        }
        theorem["bounds"] = json!({"bound_T1": b1, "delta2": d2});
    }
    let bar = super::progress_bar(args.trials.saturating_mul(total), "trial-steps");
    let results = try_run(&spec, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    // Summaries.
    let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
    let diverged = results
        .iter()
        .filter(|r| r.x_final.iter().any(|v| !v.is_finite()))
        .count();
    let mut finals: Vec<f64> = crate::limits::try_vec(results.len(), "the final iterates")?;
    finals.extend(
        results
            .iter()
            .map(|r| {
                if d == 1 {
                    r.x_final[0]
                } else {
                    r.x_final
                        .iter()
                        .zip(&spec.x_star)
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum::<f64>()
                        .sqrt()
                }
            })
            .filter(|v: &f64| v.is_finite()),
    );
    let final_q: Vec<f64> = qs.iter().map(|&q| quantile(&mut finals, q)).collect();
    let (lo, hi) = (
        finals.first().copied().unwrap_or(0.0),
        finals.last().copied().unwrap_or(0.0),
    );
    let hist = histogram(&finals, lo, hi, 20);
    let over_time: Vec<Json> = checkpoints
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let mut v: Vec<f64> = results.iter().filter_map(|r| r.at_checkpoints.get(k).copied()).collect();
            json!({"t": t, "quantiles": qs.iter().map(|&q| quantile(&mut v, q)).collect::<Vec<_>>()})
        })
        .collect();
    let mut events = Json::Null;
    if let (Some((t1, _)), Some(b)) = (spec.window, theorem.get("bounds")) {
        let b1 = b["bound_T1"].as_f64().unwrap_or(f64::NAN);
        let d2 = b["delta2"].as_f64().unwrap_or(f64::NAN);
        let n = results.len() as u64;
        let e1 = results.iter().filter(|r| r.at_t1 <= b1).count() as u64;
        let e2 = results.iter().filter(|r| r.max_in_window <= d2).count() as u64;
        let both = results
            .iter()
            .filter(|r| r.at_t1 <= b1 && r.max_in_window <= d2)
            .count() as u64;
        let ev = |k: u64| {
            let (lo, hi) = clopper_pearson(k, n, 0.05);
            json!({"count": k, "trials": n, "probability": k as f64 / n as f64, "clopper_pearson_95": [lo, hi], "paper": 0.5})
        };
        let mut at: Vec<f64> = results.iter().map(|r| r.at_t1).collect();
        let mut mx: Vec<f64> = results.iter().map(|r| r.max_in_window).collect();
        events = json!({
            "T1": t1,
            "at_T1_within_20b_over_lambda": ev(e1),
            "window_within_delta2": ev(e2),
            "both": ev(both),
            "tightness": {
                "median_at_T1_over_bound": quantile(&mut at, 0.5) / b1,
                "median_window_max_over_delta2": quantile(&mut mx, 0.5) / d2,
            },
        });
    }
    let within = args.within.map(|radius| {
        let k = results
            .iter()
            .filter(|r| r.x_final.iter().zip(&spec.x_star).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt() <= radius)
            .count() as u64;
        let (lo, hi) = clopper_pearson(k, args.trials, 0.05);
        json!({"radius": radius, "count": k, "fraction": k as f64 / args.trials as f64, "clopper_pearson_95": [lo, hi]})
    });
    // Corollary 2: two stages, the event at the end of the second.
    let mut corollary = Json::Null;
    if let (Some(l), Some(c), Some(c2), 2) = (&args.l, &args.c, &args.c2, stages.len()) {
        let d0 = theorem.get("d0").and_then(Json::as_f64).unwrap_or(1.0);
        let q = crate::report::number::f64_exact;
        let model = Model::builtin("corollary2")?;
        let given: BTreeMap<String, String> = [
            ("eta", q(stages[0].eta)),
            ("L", l.clone()),
            ("c", c.clone()),
            ("r", q(stages[0].noise.radius())),
            ("d0", q(d0.max(f64::MIN_POSITIVE))),
            ("t2", args.t2.max(1).to_string()),
            ("eta2", q(stages[1].eta)),
            ("c2", c2.clone()),
            ("r2", q(stages[1].noise.radius())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
        let p = evaluate_point(&model, &inputs, Precision::new(256, 12));
        let get = |n: &str| {
            p.quantity(&model, n)
                .map(|x| x.hi.to_f64_round(rug::float::Round::Up))
        };
        let holds = p.hypotheses_hold();
        match (holds, get("T1"), get("T2_stage"), get("bound_final")) {
            (true, Some(t1), Some(t2s), Some(bound))
                if stages[0].steps as f64 >= t1 && stages[1].steps as f64 >= t2s =>
            {
                let n = results.len() as u64;
                let k = results
                    .iter()
                    .filter(|r| r.stage_end.get(1).is_some_and(|v| *v <= bound))
                    .count() as u64;
                let (lo, hi) = clopper_pearson(k, n, 0.05);
                corollary = json!({"T1": t1, "T2_stage": t2s, "bound_final": bound, "count": k, "trials": n, "probability": k as f64 / n as f64, "clopper_pearson_95": [lo, hi], "paper": 0.25});
            }
            (true, Some(t1), Some(t2s), _) => {
                corollary = json!({"error": format!("the stages are too short: Corollary 2 needs at least {t1} and {t2s} steps")});
            }
            _ => {
                corollary = json!({"error": "Corollary 2's hypotheses do not hold for these stages (see `sgdbounds check --eta2 … --c2 …`)"});
            }
        }
    }
    let report = json!({
        "tool": "sgdbounds",
        "version": env!("CARGO_PKG_VERSION"),
        "objective": spec.objective.describe(),
        "dim": d,
        "stages": stages,
        "start": spec.start,
        "x_star": args.x_star,
        "trials": args.trials,
        "seed": args.seed,
        "generator": crate::sim::rng::GENERATOR,
        "diverged": diverged,
        "final": {"what": if d == 1 { "x" } else { "‖x − x*‖" }, "quantiles": {"q05": final_q[0], "q25": final_q[1], "q50": final_q[2], "q75": final_q[3], "q95": final_q[4]}, "histogram": {"lo": lo, "hi": hi, "counts": hist}},
        "dist2_over_time": over_time,
        "theorem1": theorem,
        "events": events,
        "corollary2": corollary,
        "within": within,
    });
    if let Some(path) = &args.trajectories {
        let f = std::fs::File::create(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut w = std::io::BufWriter::new(f);
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let xs: Vec<String> = (1..=d).map(|i| format!("x{i}")).collect();
        writeln!(w, "trial,stage,t,{},dist2_y", xs.join(",")).map_err(io)?;
        for (i, r) in results.iter().enumerate() {
            for (s, t, x, r2) in &r.trace {
                let xs: Vec<String> = x.iter().map(|v| format!("{v:e}")).collect();
                writeln!(w, "{i},{s},{t},{},{r2:e}", xs.join(",")).map_err(io)?;
            }
        }
        w.flush().map_err(io)?;
    }
    if args.json {
        super::print_json(&report);
    } else {
        println!(
            "SGD on {} ({} trials, seed {})",
            spec.objective.describe(),
            args.trials,
            args.seed
        );
        for s in &stages {
            println!(
                "  stage: η = {}, {} steps, noise {:?}",
                s.eta, s.steps, s.noise
            );
        }
        if diverged > 0 {
            println!(
                "  {diverged} trials diverged (non-finite iterates); the quantiles are over the others"
            );
        }
        println!(
            "  final {}: 5% {:.4}  25% {:.4}  median {:.4}  75% {:.4}  95% {:.4}",
            if d == 1 { "x" } else { "‖x − x*‖" },
            final_q[0],
            final_q[1],
            final_q[2],
            final_q[3],
            final_q[4]
        );
        if let Some(w) = &within {
            println!(
                "  within {} of x*: {:.4} [{:.4}, {:.4}] ({} of {})",
                w["radius"],
                w["fraction"].as_f64().unwrap_or(f64::NAN),
                w["clopper_pearson_95"][0].as_f64().unwrap_or(f64::NAN),
                w["clopper_pearson_95"][1].as_f64().unwrap_or(f64::NAN),
                w["count"],
                args.trials
            );
        }
        if let Some(p) = corollary.get("probability") {
            println!(
                "  Corollary 2, ‖y − x*‖² ≤ 20b′/λ′ = {:.4e} after both stages: {:.4} [{:.4}, {:.4}] (paper: ≥ 1/4)",
                corollary["bound_final"].as_f64().unwrap_or(f64::NAN),
                p.as_f64().unwrap_or(f64::NAN),
                corollary["clopper_pearson_95"][0]
                    .as_f64()
                    .unwrap_or(f64::NAN),
                corollary["clopper_pearson_95"][1]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            );
        } else if let Some(e) = corollary.get("error") {
            println!("  Corollary 2: {}", e.as_str().unwrap_or(""));
        }
        if !events.is_null() {
            for (k, label) in [
                ("at_T1_within_20b_over_lambda", "‖y_T1 − x*‖² ≤ 20b/λ"),
                ("window_within_delta2", "‖y_t − x*‖² ≤ δ² on [T1, T1+T2]"),
                ("both", "both (Theorem 1: ≥ 1/2)"),
            ] {
                let e = &events[k];
                println!(
                    "  {label}: {:.4} [{:.4}, {:.4}] ({} of {})",
                    e["probability"].as_f64().unwrap_or(f64::NAN),
                    e["clopper_pearson_95"][0].as_f64().unwrap_or(f64::NAN),
                    e["clopper_pearson_95"][1].as_f64().unwrap_or(f64::NAN),
                    e["count"],
                    e["trials"]
                );
            }
        } else if !theorem.is_null() {
            println!(
                "  Theorem 1's window [T1, T1 + T2] = [{}, {}] does not fit in the first stage's {} steps",
                theorem["T1"],
                theorem["T1"].as_f64().unwrap_or(0.0) as u64 + args.t2,
                stages[0].steps
            );
        }
    }
    Ok(0)
}
