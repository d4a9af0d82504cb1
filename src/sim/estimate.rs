//! Estimates of the constants of Theorem 1 for an objective and a noise model on a domain D
//! (a box around x*): the gradient's Lipschitz constant L, the noise bound r, and the largest c
//! for which Assumption 1 holds on D,
//! ⟨−∇E_ω f(y − ηω), x* − y⟩ ≥ c‖x* − y‖² with y = x − η∇f(x).
//! The expectation has a closed form for the rippled bowls under uniform 1-D noise and for the
//! quadratic; otherwise it is a Monte Carlo mean whose error is bounded by Hoeffding's
//! inequality (as the paper's Lemma 6). These are estimates over a sample of D (not proofs).

use super::noise::Noise;
use super::objective::{Gradient, Objective};
use crate::error::{Result, Usage};
use crate::limits::{Bytes, HEAP_BLOCK, check_memory, try_vec};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub struct EstimateSpec {
    pub objective: Objective,
    pub eta: f64,
    pub noise: Noise,
    pub x_star: Vec<f64>,
    /// D = center + [−radius, radius]^d (the center is x* unless `--domain` moves it)
    pub center: Vec<f64>,
    pub radius: f64,
    /// Points of D sampled (a grid in 1-D)
    pub points: usize,
    /// Monte Carlo draws of ω per point, where there is no closed form
    pub draws: usize,
    /// Points with ‖y − x*‖ below this are left out of the infimum (the ratio is 0/0 there)
    pub exclude: f64,
    /// Hoeffding confidence: each point's error bound holds with probability 1 − delta
    pub delta: f64,
    pub seed: u64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Estimate {
    /// max over sampled pairs of ‖∇f(u) − ∇f(v)‖/‖u − v‖ (a lower estimate of L on D)
    pub l: f64,
    pub r: f64,
    /// the smallest ratio found
    pub c: f64,
    /// Hoeffding's bound on the error of `c` from the Monte Carlo mean (0 with a closed form)
    pub c_error: f64,
    /// where the smallest ratio was found
    pub c_at_x: Vec<f64>,
    pub c_at_y: Vec<f64>,
    pub closed_form: bool,
    /// ∇f(x*) (Step 1 of the proof needs it to vanish)
    pub grad_at_x_star: Vec<f64>,
    /// the largest ‖y − x*‖² over the sample (for D0)
    pub max_dist2: f64,
    pub points: usize,
}

/// ∇E_ω f(y − ηω) in closed form, when there is one.
fn smoothed_closed(obj: &Objective, noise: &Noise, eta: f64, y: &[f64]) -> Option<Vec<f64>> {
    match (obj, noise) {
        (Objective::Quadratic { a, .. }, _) => Some(y.iter().map(|v| a * v).collect()),
        (Objective::Ripple(r), Noise::Uniform { s }) => Some(vec![r.smoothed_grad(y[0], eta * s)]),
        (Objective::Ripple(r), Noise::None) => Some(vec![r.grad(y[0])]),
        (Objective::Spiky(r), Noise::Uniform { s }) => Some(vec![r.smoothed_grad(y[0], eta * s)]),
        (Objective::Spiky(r), Noise::None) => Some(vec![r.grad(y[0])]),
        _ => None,
    }
}

/// A number for messages: plain when moderate, else in scientific notation.
fn num(v: f64) -> String {
    if v == 0.0 || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The most points of D, and the most Monte Carlo draws per point.
pub const MAX_POINTS: usize = 10_000_000;
pub const MAX_DRAWS: usize = 100_000_000;

impl EstimateSpec {
    /// True when ∇E_ω f has a closed form here (no Monte Carlo draws).
    pub fn closed_form(&self) -> bool {
        smoothed_closed(&self.objective, &self.noise, self.eta, &self.x_star).is_some()
            || self.noise.support(self.objective.dim()).is_some()
    }

    /// The memory the estimate needs, estimated before it starts: each sampled point and its
    /// gradient.
    pub fn memory(&self) -> Bytes {
        let d = self.objective.dim() as u128;
        let point = Bytes::items::<Vec<f64>>(1)
            .plus(Bytes::of(d, 8))
            .plus(Bytes(Some(HEAP_BLOCK)));
        point.times(2).times(self.points as u128)
    }

    /// The work, in operations: points × draws per point (1 with a closed form) × the
    /// objective's operations per gradient (`None` if it overflows).
    pub fn work(&self) -> Option<u128> {
        let draws = if self.closed_form() {
            1
        } else {
            self.draws as u128
        };
        (self.points as u128)
            .checked_mul(draws + 1)?
            .checked_mul(self.objective.ops_per_step())
    }

    /// Refuses what cannot give a meaningful estimate: a step size that is not positive, a
    /// radius that is not positive or whose square (times 4d, the farthest two points of D)
    /// overflows f64, a radius too small for the points of D to differ in f64, an exclusion
    /// radius that is negative, or sample counts out of range.
    pub fn check(&self) -> Result<()> {
        if !(self.eta.is_finite() && self.eta > 0.0) {
            return Err(Usage::out_of_range("--eta", self.eta, "must be positive").into());
        }
        if self.x_star.iter().any(|v| !v.is_finite()) {
            return Err(Usage::OutOfRange {
                name: "--x-star".into(),
                value: None,
                accepted: "must be a finite number".into(),
            }
            .into());
        }
        let r = self.radius;
        if !(r.is_finite() && r > 0.0) {
            return Err(Usage::out_of_range("--radius", num(r), "must be positive").into());
        }
        let d = self.objective.dim() as f64;
        let max_radius = (f64::MAX / (4.0 * d)).sqrt() / 2.0;
        if r > max_radius {
            return Err(Usage::invalid(
                "--radius",
                num(r),
                format!(
                    "too large; squared distances across D = x* ± R overflow f64 (in {} dimension{}, R must be at most {max_radius:.3e})",
                    self.objective.dim(),
                    if self.objective.dim() == 1 { "" } else { "s" }
                ),
            )
            .into());
        }
        if !(self.exclude.is_finite() && self.exclude >= 0.0) {
            return Err(Usage::out_of_range(
                "--exclude",
                num(self.exclude),
                "must be finite and nonnegative",
            )
            .into());
        }
        let far = self
            .center
            .iter()
            .chain(&self.x_star)
            .fold(0.0f64, |m, v| m.max(v.abs()))
            + r;
        if !far.is_finite() {
            return Err(Usage::invalid(
                "--radius",
                format!("{} with --x-star {}", num(r), num(self.x_star[0])),
                "the points of D overflow f64",
            )
            .into());
        }
        let step = if self.points > 1 {
            2.0 * r / (self.points - 1) as f64
        } else {
            r
        };
        // Neighbouring points must differ by many units in the last place, or the secants
        // (and so L) are rounding noise.
        if step < 1e6 * f64::EPSILON * far {
            return Err(Usage::invalid(
                "--radius",
                num(r),
                format!(
                    "too small around x* = {} for {} points (--points) in f64: neighbouring points would be {step:.3e} apart, below the precision of the coordinates; give a larger --radius or fewer --points",
                    num(self.x_star[0]),
                    self.points
                ),
            )
            .into());
        }
        if self.points == 0 || self.points > MAX_POINTS {
            return Err(Usage::out_of_range(
                "--points",
                self.points,
                format!("give between 1 and {MAX_POINTS}"),
            )
            .into());
        }
        if self.draws == 0 || self.draws > MAX_DRAWS {
            return Err(Usage::out_of_range(
                "--draws",
                self.draws,
                format!("give between 1 and {MAX_DRAWS}"),
            )
            .into());
        }
        check_memory(
            || {
                format!(
                    "estimating with {} points (--points) in {} dimensions (--dim)",
                    self.points,
                    self.objective.dim()
                )
            },
            self.memory(),
            "ask for fewer --points",
        )
    }
}

/// Estimates L, r and c (see the module's documentation). `progress` is told how many points
/// were done, as they are. Errors when the spec fails [`EstimateSpec::check`] or when the
/// estimate is not a number: a gradient or distance that overflows on D, no secant (L), or no
/// point of D left after the exclusion (c).
pub fn estimate(spec: &EstimateSpec, progress: &dyn Fn(u64)) -> Result<Estimate> {
    spec.check()?;
    let d = spec.objective.dim();
    let mut grad = Gradient::new(&spec.objective);
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let (c0, r) = (&spec.center, spec.radius);
    // sample points of D: a grid in 1-D, uniform in d-D; x* + R(2t − 1) does not overflow for
    // any R that passed the check (x* − R + 2Rt would, at 2R)
    let mut xs: Vec<Vec<f64>> = try_vec(spec.points, "the points of D")?;
    if d == 1 {
        xs.extend((0..spec.points).map(|i| {
            let t = if spec.points == 1 {
                0.5
            } else {
                i as f64 / (spec.points - 1) as f64
            };
            vec![c0[0] + r * (2.0 * t - 1.0)]
        }));
    } else {
        for _ in 0..spec.points {
            xs.push(
                c0.iter()
                    .map(|c| c + r * (2.0 * rng.random::<f64>() - 1.0))
                    .collect(),
            );
        }
    }
    let mut g = vec![0.0; d];
    let mut grads: Vec<Vec<f64>> = try_vec(spec.points, "the gradients at the points of D")?;
    for x in &xs {
        grad.grad(x, &mut g);
        if let Some(v) = g.iter().find(|v| !v.is_finite()) {
            return Err(Usage::unestimable(
                format!(
                    "∇f is {v} at x = {x:?} in D = x* ± {}: the estimate would not be a number",
                    num(r)
                ),
                "a smaller --radius",
            )
            .into());
        }
        grads.push(g.clone());
    }
    // L: secants between neighbours (1-D) or random pairs
    let mut l: f64 = 0.0;
    let mut secants = 0usize;
    let pairs = xs.len().saturating_sub(1);
    for i in 0..pairs {
        let j = if d == 1 {
            i + 1
        } else {
            rng.random_range(0..xs.len())
        };
        let dx: f64 = xs[i]
            .iter()
            .zip(&xs[j])
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        if dx > 0.0 {
            let dg: f64 = grads[i]
                .iter()
                .zip(&grads[j])
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt();
            let q = dg / dx;
            if !q.is_finite() {
                return Err(Usage::unestimable(
                    format!(
                        "the secant of ∇f between x = {:?} and {:?} is {q}: the estimate of L would not be a number",
                        xs[i], xs[j]
                    ),
                    "a smaller --radius",
                )
                .into());
            }
            l = l.max(q);
            secants += 1;
        }
    }
    if secants == 0 && xs.len() > 1 {
        return Err(Usage::unestimable(
            "no two points of D differ: L cannot be estimated",
            format!("a larger --radius than {}", num(r)),
        )
        .into());
    }
    // c: inf over x of ⟨∇g(y), y − x*⟩/‖y − x*‖²
    // a discrete noise's expectation is a finite sum over its values, exactly
    let support = spec.noise.support(d);
    let closed = spec.closed_form();
    let mut at = vec![0.0; d];
    let mut gw = vec![0.0; d];
    let mut best = (f64::INFINITY, vec![], vec![]);
    let mut err_at_best = 0.0;
    let mut max_dist2: f64 = 0.0;
    let mut w = vec![0.0; d];
    let mut shifted = vec![0.0; d];
    // a bound G on ‖∇f‖ over the points reached, for Hoeffding's range
    let mut done = 0u64;
    for (x, gx) in xs.iter().zip(&grads) {
        done += 1;
        if done.is_multiple_of(1024) {
            progress(1024);
            crate::stop::check()?;
        }
        let y: Vec<f64> = x.iter().zip(gx).map(|(a, b)| a - spec.eta * b).collect();
        let diff: Vec<f64> = y.iter().zip(&spec.x_star).map(|(a, b)| a - b).collect();
        let n2: f64 = diff.iter().map(|v| v * v).sum();
        max_dist2 = max_dist2.max(n2);
        if n2.sqrt() < spec.exclude {
            continue;
        }
        let closed_here = smoothed_closed(&spec.objective, &spec.noise, spec.eta, &y);
        let (sg, err) = match (closed_here, &support) {
            (Some(v), _) => (v, 0.0),
            (None, Some(sup)) => {
                let mut mean = vec![0.0; d];
                for (omega, p) in sup {
                    for i in 0..d {
                        at[i] = y[i] - spec.eta * omega[i];
                    }
                    grad.grad(&at, &mut gw);
                    for i in 0..d {
                        mean[i] += p * gw[i];
                    }
                }
                (mean, 0.0)
            }
            (None, None) => {
                let mut mean = vec![0.0; d];
                let mut gmax: f64 = 0.0;
                for _ in 0..spec.draws {
                    spec.noise.sample(&mut rng, &mut w);
                    for i in 0..d {
                        shifted[i] = y[i] - spec.eta * w[i];
                    }
                    grad.grad(&shifted, &mut g);
                    let proj: f64 =
                        g.iter().zip(&diff).map(|(a, b)| a * b).sum::<f64>() / n2.sqrt();
                    gmax = gmax.max(proj.abs());
                    for i in 0..d {
                        mean[i] += g[i] / spec.draws as f64;
                    }
                }
                // Hoeffding on the projection ⟨∇f(y − ηω), (y − x*)/‖y − x*‖⟩ ∈ [−G, G]
                let eps = gmax * (2.0 * (2.0 / spec.delta).ln() / spec.draws as f64).sqrt();
                (mean, eps / n2.sqrt())
            }
        };
        let ratio = sg.iter().zip(&diff).map(|(a, b)| a * b).sum::<f64>() / n2;
        if !(ratio.is_finite() && err.is_finite()) {
            return Err(Usage::unestimable(
                format!(
                    "⟨∇E f(y − ηω), y − x*⟩/‖y − x*‖² is {ratio} (error {err}) at x = {x:?}, y = {y:?}: the estimate of c would not be a number"
                ),
                "a smaller --radius",
            )
            .into());
        }
        if ratio < best.0 {
            best = (ratio, x.clone(), y.clone());
            err_at_best = err;
        }
    }
    progress(done % 1024);
    if !max_dist2.is_finite() {
        return Err(Usage::unestimable(
            format!(
                "‖y − x*‖² overflows f64 on D = x* ± {} (y = x − η∇f(x))",
                num(r)
            ),
            "a smaller --radius",
        )
        .into());
    }
    if best.1.is_empty() {
        return Err(Usage::unestimable(
            format!(
                "every point of D has ‖y − x*‖ below {} (--exclude): c cannot be estimated",
                num(spec.exclude)
            ),
            "a smaller --exclude or a larger --radius",
        )
        .into());
    }
    grad.grad(&spec.x_star, &mut g);
    Ok(Estimate {
        l,
        r: spec.noise.radius(),
        c: best.0,
        c_error: err_at_best,
        c_at_x: best.1,
        c_at_y: best.2,
        closed_form: closed,
        grad_at_x_star: g,
        max_dist2,
        points: xs.len(),
    })
}
