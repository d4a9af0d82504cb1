//! `sgdbounds simulate`: SGD on an objective, many seeded trials, held against Theorem 1.

use crate::error::{Error, Result};
use crate::report::simulate::{json, text, write_trajectories};
use crate::sim::events::{SimulatePlan, SimulateRequest};
use clap::Args;

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
    #[command(flatten)]
    pub noise: super::args::NoiseArgs,
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
    /// Theorem 1: start the window at step T1 (at least the theorem's bound on T1, which is
    /// the default) and report its events there
    #[arg(long, value_name = "T1")]
    pub t1: Option<u64>,
    /// Write every step of the first --trace-trials trials as CSV to FILE
    #[arg(long, value_name = "FILE")]
    pub trajectories: Option<String>,
    /// Trials written by --trajectories
    #[arg(long, default_value_t = 10)]
    pub trace_trials: u64,
    /// Count the trials whose iterates leave the domain D = [LO, HI]^d (where Assumption 1 is
    /// meant to hold), and when
    #[arg(long, value_name = "LO..HI", allow_hyphen_values = true)]
    pub domain: Option<String>,
    /// Step 2 as the paper writes it: compute E[G_T1 | F_{T1−1}] exactly over the noise's
    /// values along every trial's path and count the paths where it exceeds G_0 (needs --L,
    /// --c and a discrete noise)
    #[arg(long)]
    pub step2_conditional: bool,
    /// Also report the fraction of trials ending within this distance of x*
    #[arg(long, value_name = "R")]
    pub within: Option<f64>,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
    /// Refuse a run estimated above N operations (trials × steps × operations per step, see
    /// README); raise it for longer runs
    #[arg(long, value_name = "N", default_value = "1e12", value_parser = super::count_arg)]
    pub max_work: u128,
}

pub fn run_cmd(args: SimulateArgs, keep: bool) -> Result<super::Outcome> {
    if args.trajectories.as_deref() == Some("-") && !keep {
        return Err(crate::error::Usage::at(
            "--trajectories",
            "give a file name: standard output holds the report",
        )
        .into());
    }
    let plan = SimulatePlan::new(&SimulateRequest {
        objective: args.objective,
        dim: args.dim,
        a: args.a,
        eta: args.eta,
        steps: args.steps,
        s: args.s,
        stages: args.stage,
        noise: args.noise.model()?,
        start: args.start,
        start_box: args.start_box,
        x_star: args.x_star,
        trials: args.trials,
        seed: args.seed,
        l: args.l,
        c: args.c,
        c2: args.c2,
        t2: args.t2,
        t1: args.t1,
        domain: args.domain,
        step2_conditional: args.step2_conditional,
        trace_trials: if args.trajectories.is_some() {
            args.trace_trials
        } else {
            0
        },
        within: args.within,
        max_work: args.max_work,
    })?;
    let bar = super::progress_bar(plan.trial_steps(), "trial-steps");
    let sim = plan.run(&|n| bar.inc(n));
    bar.finish_and_clear();
    let sim = sim?;
    crate::stop::check()?;
    let (mut notes, mut kept) = (Vec::new(), None);
    if args.trajectories.as_deref() == Some("-") {
        let mut csv = Vec::new();
        write_trajectories(&mut csv, &sim).map_err(|source| Error::Io {
            path: "the trajectories kept in memory".into(),
            source,
        })?;
        kept = Some(String::from_utf8_lossy(&csv).into_owned());
    } else if let Some(path) = &args.trajectories {
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let f = std::fs::File::create(path).map_err(io)?;
        write_trajectories(&mut std::io::BufWriter::new(f), &sim).map_err(io)?;
        notes.push(format!("trajectories written to {path}"));
    }
    let mut outcome = super::Outcome::report(0, text(&sim), json(&sim), args.output.is_json());
    outcome.notes = notes;
    outcome.kept = kept;
    Ok(outcome)
}
