//! Estimated constants held against Theorem 1 (`estimate`): the estimate of L, r and c of
//! Assumption 1 read from its command-line form and checked before it runs, then, if asked,
//! passed to Theorem 1 ([`theorem1_of_estimate`]). Estimates over a sample of the domain, not
//! proofs.

use super::estimate::{Estimate, EstimateSpec, estimate};
use super::noise::NoiseModel;
use super::objective::Objective;
use super::theorem::{Theorem1Point, f64_text, theorem1};
use crate::error::Result;
use crate::limits::check_work;
use serde::Serialize;

/// An estimate as the command line asks for it, on D = x* + [−radius, radius]^dim; `exclude`
/// is radius/1000 when `None`; with `then_check` the estimates are passed to Theorem 1 with T2
/// = `t2`.
#[derive(Clone, Debug)]
pub struct EstimateRequest {
    pub objective: String,
    pub dim: usize,
    pub a: f64,
    pub eta: f64,
    pub s: f64,
    pub noise: NoiseModel,
    pub x_star: f64,
    pub radius: f64,
    /// D = [LO, HI]^dim (`LO..HI`) instead of x* ± radius.
    pub domain: Option<String>,
    pub points: usize,
    pub draws: usize,
    pub exclude: Option<f64>,
    pub seed: u64,
    pub then_check: bool,
    pub t2: u64,
    pub max_work: u128,
    /// Bound L, c, D0 and ∇f(x*) with certainty as well (1-D expression objectives), with at
    /// most this many cells per search.
    pub certify: Option<usize>,
}

/// An estimate checked and ready to run.
pub struct EstimatePlan {
    req: EstimateRequest,
    spec: EstimateSpec,
}

/// The estimate, the domain it was made on, and (with `then_check`) Theorem 1 with it.
#[derive(Clone, Debug)]
pub struct Assessment {
    pub spec: EstimateSpec,
    /// x* (the same in every coordinate).
    pub x_star: f64,
    pub estimate: Estimate,
    pub theorem1: Option<Theorem1Check>,
    /// The certified bounds (`--certify`).
    pub certified: Option<super::certify::Certified>,
    /// Theorem 1 with the certified bounds (`--certify --then-check`): L its upper end, c the
    /// lower end of Assumption 1's constant, D0 the upper end of sup ‖y − x*‖² on D.
    pub theorem1_certified: Option<Theorem1Check>,
}

impl Assessment {
    /// Whether everything asked for went through (Theorem 1 applied, when asked).
    pub fn ok(&self) -> bool {
        self.theorem1.as_ref().is_none_or(Theorem1Check::applies)
            && self
                .theorem1_certified
                .as_ref()
                .is_none_or(Theorem1Check::applies)
    }
}

impl EstimatePlan {
    /// Reads and checks the request: the objective, the noise radius, the estimate's own checks
    /// ([`EstimateSpec::check`]), then the work against `max_work`; every error is bad input.
    /// Hoeffding's confidence per point is 1 − 10⁻³/points, so that all points hold together
    /// with probability at least 0.999.
    pub fn new(req: &EstimateRequest) -> Result<EstimatePlan> {
        let objective = Objective::named(&req.objective, req.dim, req.a)?;
        let d = objective.dim();
        // D: x* ± R, or [LO, HI] given as its center and half-width
        let (center, radius) = match &req.domain {
            None => (req.x_star, req.radius),
            Some(text) => {
                let (lo, hi) = crate::arith::split_range(text)
                    .map_err(|e| crate::error::Usage::invalid("--domain", text, e))?;
                let end = |t: &str, which: &str| -> Result<f64> {
                    t.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| {
                            crate::error::Usage::invalid(
                                "--domain",
                                text,
                                format!("bad {which} end"),
                            )
                            .into()
                        })
                };
                let (lo, hi) = (end(lo, "lower")?, end(hi, "upper")?);
                if lo >= hi {
                    return Err(
                        crate::error::Usage::invalid("--domain", text, "need LO < HI").into(),
                    );
                }
                (lo + (hi - lo) / 2.0, (hi - lo) / 2.0)
            }
        };
        let spec = EstimateSpec {
            objective,
            eta: req.eta,
            noise: {
                let noise = req.noise.with_radius(req.s)?;
                noise.check_dim(d)?;
                noise
            },
            x_star: vec![req.x_star; d],
            center: vec![center; d],
            radius,
            points: req.points,
            draws: req.draws,
            exclude: req.exclude.unwrap_or(radius / 1000.0),
            delta: 1e-3 / req.points.max(1) as f64,
            seed: req.seed,
        };
        spec.check()?;
        check_work(
            || {
                format!(
                    "estimating with {} points (--points){}",
                    req.points,
                    if spec.closed_form() {
                        String::new()
                    } else {
                        format!(" × {} draws (--draws)", req.draws)
                    }
                )
            },
            spec.work(),
            req.max_work,
            "operations",
            &format!(" ({} per gradient)", spec.objective.ops_per_step()),
            "--max-work",
            "ask for fewer --points or --draws",
        )?;
        Ok(EstimatePlan {
            req: req.clone(),
            spec,
        })
    }

    /// The points the estimate samples, for a progress bar.
    pub fn points(&self) -> u64 {
        self.req.points as u64
    }

    /// Runs the estimate (`progress` is told of points as they are done) and, if asked, passes
    /// it to Theorem 1.
    pub fn run(self, progress: &dyn Fn(u64)) -> Result<Assessment> {
        let EstimatePlan { req, spec } = self;
        let e = estimate(&spec, progress)?;
        let theorem1 = req
            .then_check
            .then(|| theorem1_of_estimate(req.eta, &e, spec.noise.radius(), req.t2));
        let certified = match req.certify {
            Some(max_cells) => Some(super::certify::certify(&super::certify::CertifyRequest {
                objective: &certifiable_text(&req)?,
                eta: req.eta,
                noise: &spec.noise,
                x_star: req.x_star,
                lo: spec.center[0] - spec.radius,
                hi: spec.center[0] + spec.radius,
                exclude: spec.exclude,
                max_cells,
                tolerance: 1e-6,
            })?),
            None => None,
        };
        let theorem1_certified = match (&certified, req.then_check) {
            (Some(c), true) => Some(theorem1_of_certified(
                req.eta,
                c,
                spec.noise.radius(),
                req.t2,
            )),
            _ => None,
        };
        Ok(Assessment {
            spec,
            x_star: req.x_star,
            estimate: e,
            theorem1,
            certified,
            theorem1_certified,
        })
    }
}

/// The objective of `req` as an expression in x, for `--certify`: the expression itself, or
/// the built-ins' formulas (1-D only).
fn certifiable_text(req: &EstimateRequest) -> Result<String> {
    if req.dim != 1 {
        return Err(crate::error::Usage::at(
            "--certify",
            format!(
                "certified bounds are for 1-D objectives (--dim is {}); in d dimensions L, c and D0 are estimated over a sample only",
                req.dim
            ),
        )
        .into());
    }
    Ok(match req.objective.as_str() {
        "quadratic" => format!("{}/2*x^2", f64_text(req.a)),
        "bowl" => "x^2/2 + 0.1*(1 - cos(5*x))".into(),
        "spiky" => "x^2/2 + 0.05*x^2*(1 - cos(30*x))".into(),
        text => text.into(),
    })
}

/// Theorem 1 with the certified bounds: L the upper end of sup |f″| on D, c the lower end of
/// Assumption 1's constant, D0 the upper end of sup ‖y − x*‖² on D; each f64 enters exactly.
/// Its verdict then holds for the objective, for every start in D, provided the iterates stay
/// where Assumption 1 and the bound on L hold (README, Findings 11).
pub fn theorem1_of_certified(
    eta: f64,
    c: &super::certify::Certified,
    r: f64,
    t2: u64,
) -> Theorem1Check {
    let (Some(l), Some(cc), Some(d0)) = (c.l_lipschitz, c.c, c.d0) else {
        return Theorem1Check::Error {
            error: "L, c or D0 could not be bounded with certainty on D (see the notes)".into(),
        };
    };
    if cc.lo.is_nan() || cc.lo <= 0.0 {
        return Theorem1Check::Error {
            error: format!(
                "the certified lower bound of c is {} (not positive): Assumption 1 is not shown on D",
                cc.lo
            ),
        };
    }
    theorem1_check(eta, l.hi, cc.lo, r, d0.hi, t2)
}

/// Theorem 1 at step size `eta` with L, c, r and D0 as f64s (each entering exactly), as a
/// [`Theorem1Check`].
fn theorem1_check(eta: f64, l: f64, c: f64, r: f64, d0: f64, t2: u64) -> Theorem1Check {
    match theorem1(eta, &f64_text(l), &f64_text(c), r, d0, t2) {
        Ok(p) => Theorem1Check::Bounds {
            t1: p.steps(),
            bound_t1: p.bound_t1,
            delta2: p.delta2,
            inputs: p,
        },
        Err(err) => Theorem1Check::Error {
            error: err.to_string(),
        },
    }
}

/// Theorem 1 with estimated constants: T1 in steps, the bounds, and the inputs; or why it
/// could not be applied. Serializes as `{"T1", "bound_T1", "delta2", "inputs"}` or `{"error"}`.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Theorem1Check {
    Bounds {
        #[serde(rename = "T1")]
        t1: u64,
        #[serde(rename = "bound_T1")]
        bound_t1: f64,
        delta2: f64,
        inputs: Theorem1Point,
    },
    Error {
        error: String,
    },
}

impl Theorem1Check {
    /// Whether Theorem 1 could be applied.
    pub fn applies(&self) -> bool {
        matches!(self, Theorem1Check::Bounds { .. })
    }
}

/// Passes estimated constants to Theorem 1 at step size `eta`: L is the estimate's, c its
/// estimate minus its error bound (a lower estimate), r the noise bound and D0 the largest
/// ‖y − x*‖² on the domain; each f64 enters exactly. The estimate is over a sample of the domain,
/// so this is a plausibility check, not a proof.
pub fn theorem1_of_estimate(eta: f64, e: &Estimate, r: f64, t2: u64) -> Theorem1Check {
    let c_low = e.c - e.c_error;
    if !(c_low > 0.0 && e.l > 0.0) {
        return Theorem1Check::Error {
            error: "the estimate of c (minus its error) is not positive: Assumption 1 fails on D"
                .into(),
        };
    }
    theorem1_check(eta, e.l, c_low, r, e.max_dist2, t2)
}
