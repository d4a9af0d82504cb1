//! Estimates of the constants of Theorem 1 for an objective and a noise model on a domain D
//! (a box around x*): the gradient's Lipschitz constant L, the noise bound r, and the largest c
//! for which Assumption 1 holds on D,
//! ⟨−∇E_ω f(y − ηω), x* − y⟩ ≥ c‖x* − y‖² with y = x − η∇f(x).
//! The expectation has a closed form for the rippled bowls under uniform 1-D noise and for the
//! quadratic; otherwise it is a Monte Carlo mean whose error is bounded by Hoeffding's
//! inequality (as the paper's Lemma 6). These are estimates over a sample of D (not proofs).

use super::noise::Noise;
use super::objective::{Gradient, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub struct EstimateSpec {
    pub objective: Objective,
    pub eta: f64,
    pub noise: Noise,
    pub x_star: Vec<f64>,
    /// D = x* + [−radius, radius]^d
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

pub fn estimate(spec: &EstimateSpec) -> Estimate {
    let d = spec.objective.dim();
    let mut grad = Gradient::new(&spec.objective);
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    // sample points of D: a grid in 1-D, uniform in d-D
    let xs: Vec<Vec<f64>> = if d == 1 {
        (0..spec.points)
            .map(|i| {
                let t = if spec.points == 1 {
                    0.5
                } else {
                    i as f64 / (spec.points - 1) as f64
                };
                vec![spec.x_star[0] - spec.radius + 2.0 * spec.radius * t]
            })
            .collect()
    } else {
        (0..spec.points)
            .map(|_| {
                spec.x_star
                    .iter()
                    .map(|c| c - spec.radius + 2.0 * spec.radius * rng.random::<f64>())
                    .collect()
            })
            .collect()
    };
    let mut g = vec![0.0; d];
    let grads: Vec<Vec<f64>> = xs
        .iter()
        .map(|x| {
            grad.grad(x, &mut g);
            g.clone()
        })
        .collect();
    // L: secants between neighbours (1-D) or random pairs
    let mut l: f64 = 0.0;
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
            l = l.max(dg / dx);
        }
    }
    // c: inf over x of ⟨∇g(y), y − x*⟩/‖y − x*‖²
    let closed = smoothed_closed(&spec.objective, &spec.noise, spec.eta, &spec.x_star).is_some();
    let mut best = (f64::INFINITY, vec![], vec![]);
    let mut err_at_best = 0.0;
    let mut max_dist2: f64 = 0.0;
    let mut w = vec![0.0; d];
    let mut shifted = vec![0.0; d];
    // a bound G on ‖∇f‖ over the points reached, for Hoeffding's range
    for (x, gx) in xs.iter().zip(&grads) {
        let y: Vec<f64> = x.iter().zip(gx).map(|(a, b)| a - spec.eta * b).collect();
        let diff: Vec<f64> = y.iter().zip(&spec.x_star).map(|(a, b)| a - b).collect();
        let n2: f64 = diff.iter().map(|v| v * v).sum();
        max_dist2 = max_dist2.max(n2);
        if n2.sqrt() < spec.exclude {
            continue;
        }
        let (sg, err) = match smoothed_closed(&spec.objective, &spec.noise, spec.eta, &y) {
            Some(v) => (v, 0.0),
            None => {
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
        if ratio < best.0 {
            best = (ratio, x.clone(), y.clone());
            err_at_best = err;
        }
    }
    grad.grad(&spec.x_star, &mut g);
    Estimate {
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
    }
}
