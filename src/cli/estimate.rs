//! `sgdbounds estimate`: L, r and c of Assumption 1 for an objective and a noise model.

use super::simulate::{noise_of, objective_from, theorem1};
use crate::error::Result;
use crate::limits::check_work;
use crate::sim::estimate::{EstimateSpec, estimate};
use clap::Args;
use serde_json::json;

/// Estimate, on a domain D = x* + [−R, R]^d, the constants Theorem 1 needs: L (the gradient's
/// Lipschitz constant, from secants), r (the noise bound), and the largest c for which
/// Assumption 1 holds, ⟨−∇E_ω f(y − ηω), x* − y⟩ ≥ c‖x* − y‖² with y = x − η∇f(x).
///
/// The expectation is in closed form for the quadratic and the rippled bowls (uniform 1-D
/// noise), else a Monte Carlo mean with Hoeffding's error bound. Reports where the infimum is
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
    /// uniform, gaussian, none
    #[arg(long, default_value = "uniform")]
    pub noise: String,
    /// x* (one value for every coordinate)
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub x_star: f64,
    /// Half-width R of the domain D around x*
    #[arg(long, default_value_t = 1.0)]
    pub radius: f64,
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
    #[arg(long)]
    pub json: bool,
    /// Refuse an estimate above N operations (points × draws × operations per gradient);
    /// raise it for longer runs
    #[arg(long, value_name = "N", default_value = "1e12", value_parser = super::count_arg)]
    pub max_work: u128,
}

pub fn run(args: EstimateArgs) -> Result<i32> {
    let objective = objective_from(&args.objective, args.dim, args.a)?;
    let d = objective.dim();
    let spec = EstimateSpec {
        objective,
        eta: args.eta,
        noise: noise_of(&args.noise, args.s)?,
        x_star: vec![args.x_star; d],
        radius: args.radius,
        points: args.points,
        draws: args.draws,
        exclude: args.exclude.unwrap_or(args.radius / 1000.0),
        delta: 1e-3 / args.points.max(1) as f64,
        seed: args.seed,
    };
    spec.check()?;
    check_work(
        || {
            format!(
                "estimating with {} points (--points){}",
                args.points,
                if spec.closed_form() {
                    String::new()
                } else {
                    format!(" × {} draws (--draws)", args.draws)
                }
            )
        },
        spec.work(),
        args.max_work,
        "operations",
        &format!(" ({} per gradient)", spec.objective.ops_per_step()),
        "--max-work",
        "ask for fewer --points or --draws",
    )?;
    let bar = super::progress_bar(args.points as u64, "points");
    let e = estimate(&spec, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    let mut report = json!({
        "objective": spec.objective.describe(),
        "eta": args.eta,
        "noise": spec.noise,
        "domain": {"x_star": args.x_star, "radius": args.radius, "points": e.points, "excluded_radius": spec.exclude},
        "estimate": e,
        "c_error_note": if e.closed_form { "closed form: no sampling error" } else { "Hoeffding: each point's mean within c_error with probability 1 − 1e-3/points; all points together with probability ≥ 0.999" },
    });
    let mut code = 0;
    if args.then_check {
        let fmt = crate::report::number::f64_exact;
        let c_low = e.c - e.c_error;
        if !(c_low > 0.0 && e.l > 0.0) {
            report["theorem1"] = json!({"error": "the estimate of c (minus its error) is not positive: Assumption 1 fails on D"});
            code = 1;
        } else {
            match theorem1(
                args.eta,
                &fmt(e.l),
                &fmt(c_low),
                spec.noise.radius(),
                e.max_dist2,
                args.t2,
            ) {
                Ok((t1, b1, d2, info)) => {
                    report["theorem1"] =
                        json!({"T1": t1, "bound_T1": b1, "delta2": d2, "inputs": info});
                }
                Err(err) => {
                    report["theorem1"] = json!({"error": err.to_string()});
                    code = 1;
                }
            }
        }
    }
    if args.json {
        super::print_json(&report);
    } else {
        println!(
            "{} with η = {}, noise {:?}, on x* ± {}",
            spec.objective.describe(),
            args.eta,
            spec.noise,
            args.radius
        );
        println!(
            "  L ≈ {:.6} (largest secant of ∇f over {} points)",
            e.l, e.points
        );
        println!("  r = {}", e.r);
        println!(
            "  c ≈ {:.6} ± {:.2e} ({}), smallest at x = {:?} (y = {:?})",
            e.c,
            e.c_error,
            if e.closed_form {
                "closed form"
            } else {
                "Monte Carlo, Hoeffding"
            },
            e.c_at_x,
            e.c_at_y
        );
        println!("  ∇f(x*) = {:?}", e.grad_at_x_star);
        if args.then_check {
            println!("  Theorem 1: {}", report["theorem1"]);
        }
    }
    Ok(code)
}
