//! `sgdbounds estimate`: L, r and c of Assumption 1 for an objective and a noise model.

use crate::error::Result;
use crate::report::estimate::EstimateReport;
use crate::sim::assess::{EstimatePlan, EstimateRequest};
use clap::Args;

/// Estimate, on a domain D = x* + [−R, R]^d, the constants Theorem 1 needs: L (the gradient's
/// Lipschitz constant, from secants), r (the noise bound), and the largest c for which
/// Assumption 1 holds, ⟨−∇E_ω f(y − ηω), x* − y⟩ ≥ c‖x* − y‖² with y = x − η∇f(x).
///
/// The expectation is in closed form for the quadratic and the rippled bowls (uniform 1-D
/// noise) and for any objective under a discrete noise (two-point, signs, finite: the finite
/// sum over its values), else a Monte Carlo mean with Hoeffding's error bound. Reports where the infimum is
/// attained and ∇f(x*) (Step 1 of the proof needs it to vanish). These are estimates over a
/// sample of D, not proofs. With --then-check, passes them to Theorem 1.
///
/// Examples:
///
///   sgdbounds estimate --objective bowl --eta 0.05 --s 2 --radius 3
///
///   sgdbounds estimate --objective "x^2 + 0.5*(1 - cos(30*x))" --eta 0.01 --s 20 --radius 2 --then-check --t2 1000
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EstimateArgs {
    /// quadratic, bowl, spiky, or an expression in x (1-D) or x1..xd
    #[arg(long, default_value = "quadratic")]
    pub objective: String,
    #[arg(long, default_value_t = 1)]
    pub dim: usize,
    /// Curvature a of the quadratic
    #[arg(long, default_value_t = 1.0)]
    pub a: f64,
    /// Step size
    #[arg(long)]
    pub eta: f64,
    /// Noise radius s
    #[arg(long, default_value_t = 1.0)]
    pub s: f64,
    #[command(flatten)]
    pub noise: super::args::NoiseArgs,
    /// x* (one value for every coordinate)
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub x_star: f64,
    /// Half-width R of the domain D around x*
    #[arg(long, default_value_t = 1.0)]
    pub radius: f64,
    /// The domain D = [LO, HI]^d on which Assumption 1 is estimated (and certified), instead of
    /// x* ± R
    #[arg(
        long,
        value_name = "LO..HI",
        allow_hyphen_values = true,
        conflicts_with = "radius"
    )]
    pub domain: Option<String>,
    /// Points of D sampled
    #[arg(long, default_value_t = 2001)]
    pub points: usize,
    /// Monte Carlo draws per point (no closed form)
    #[arg(long, default_value_t = 4000)]
    pub draws: usize,
    /// Leave out points with ‖y − x*‖ below this [default: R/1000]
    #[arg(long)]
    pub exclude: Option<f64>,
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
    /// Pass the estimates to Theorem 1 (with D0 the largest ‖y − x*‖² on D)
    #[arg(long)]
    pub then_check: bool,
    /// T2 for --then-check
    #[arg(long, default_value_t = 1000)]
    pub t2: u64,
    /// Also bound L (sup |f″| and sup f″), c, D0 and ∇f(x*) on D with certainty, by interval
    /// branch and bound (1-D; uniform or discrete noise, whose expectation is exact); with
    /// --then-check, Theorem 1 is applied to the certified bounds too
    #[arg(long)]
    pub certify: bool,
    /// Cells per certified quantity at most
    #[arg(long, value_name = "N", default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub certify_cells: u64,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
    /// Refuse an estimate above N operations (points × draws × operations per gradient);
    /// raise it for longer runs
    #[arg(long, value_name = "N", default_value = "1e12", value_parser = super::count_arg)]
    pub max_work: u128,
}

pub fn run(args: EstimateArgs) -> Result<super::Outcome> {
    let plan = EstimatePlan::new(&EstimateRequest {
        objective: args.objective,
        dim: args.dim,
        a: args.a,
        eta: args.eta,
        s: args.s,
        noise: args.noise.model()?,
        x_star: args.x_star,
        radius: args.radius,
        domain: args.domain,
        points: args.points,
        draws: args.draws,
        exclude: args.exclude,
        seed: args.seed,
        then_check: args.then_check,
        t2: args.t2,
        max_work: args.max_work,
        certify: args.certify.then_some(args.certify_cells as usize),
    })?;
    let bar = super::progress_bar(plan.points(), "points");
    let assessment = plan.run(&|n| bar.inc(n));
    bar.finish_and_clear();
    let assessment = assessment?;
    crate::stop::check()?;
    let report = EstimateReport::new(&assessment);
    let code = if assessment.ok() { 0 } else { 1 };
    Ok(super::Outcome::report(
        code,
        report.text(),
        report.json(),
        args.output.is_json(),
    ))
}
