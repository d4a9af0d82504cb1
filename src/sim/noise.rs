//! Gradient noise ω with ‖ω‖ ≤ s almost surely (the theorem's r is s): uniform on [−s, s] in
//! 1-D, uniform in the ball of radius s in d dimensions, or a centred Gaussian clipped to
//! radius s (σ = s/2 by default).

use super::rng::{LaneRngs, unit_f64};
use crate::error::{Result, Usage};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Noise {
    /// Uniform on the ball of radius `s` (on [−s, s] in 1-D).
    Uniform { s: f64 },
    /// N(0, σ²I) clipped to the ball of radius `s` (the clip keeps the mean at 0 by symmetry).
    Gaussian { s: f64, sigma: f64 },
    /// No noise: gradient descent.
    None,
}

/// The noise models by name (`--noise`), the radius s given apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NoiseKind {
    /// Uniform in the ball of radius s.
    Uniform,
    /// N(0, σ²I) with σ = s/2, clipped to radius s.
    Gaussian,
    /// No noise: gradient descent.
    None,
}

impl NoiseKind {
    /// The noise of this kind with radius `s` (σ = s/2 for the Gaussian); `s` must be finite
    /// and nonnegative (bad input otherwise).
    pub fn with_radius(self, s: f64) -> Result<Noise> {
        if !(s.is_finite() && s >= 0.0) {
            return Err(
                Usage::out_of_range("noise radius", s, "must be finite and nonnegative").into(),
            );
        }
        Ok(match self {
            NoiseKind::Uniform => Noise::Uniform { s },
            NoiseKind::Gaussian => Noise::Gaussian { s, sigma: s / 2.0 },
            NoiseKind::None => Noise::None,
        })
    }
}

/// A draw uniform on [−s, s) from u uniform on [0, 1): the one formula every path uses, so
/// that a lane's numbers do not depend on the path.
#[inline(always)]
pub fn centred(s: f64, u: f64) -> f64 {
    s * (2.0 * u - 1.0)
}

impl Noise {
    /// The bound r on ‖ω‖.
    pub fn radius(&self) -> f64 {
        match self {
            Noise::Uniform { s } | Noise::Gaussian { s, .. } => *s,
            Noise::None => 0.0,
        }
    }

    /// Draws ω into `out`.
    #[inline]
    pub fn sample<R: Rng>(&self, rng: &mut R, out: &mut [f64]) {
        match *self {
            Noise::None => out.iter_mut().for_each(|v| *v = 0.0),
            Noise::Uniform { s } => {
                if out.len() == 1 {
                    out[0] = centred(s, unit_f64(rng.next_u64()));
                } else {
                    // direction uniform on the sphere, radius s·U^(1/d)
                    let mut n2 = 0.0;
                    for v in out.iter_mut() {
                        let z: f64 = StandardNormal.sample(rng);
                        *v = z;
                        n2 += z * z;
                    }
                    let d = out.len() as f64;
                    let rad = s * unit_f64(rng.next_u64()).powf(1.0 / d)
                        / n2.sqrt().max(f64::MIN_POSITIVE);
                    out.iter_mut().for_each(|v| *v *= rad);
                }
            }
            Noise::Gaussian { s, sigma } => {
                let mut n2 = 0.0;
                for v in out.iter_mut() {
                    let z: f64 = StandardNormal.sample(rng);
                    *v = sigma * z;
                    n2 += *v * *v;
                }
                let n = n2.sqrt();
                if n > s {
                    out.iter_mut().for_each(|v| *v *= s / n);
                }
            }
        }
    }

    /// Draws ω for `B` trials at once: `w[k][j]` is coordinate k of lane j's draw, from lane
    /// j's own generator. Uniform noise in 1-D, the common case, is one vectorized pass; the
    /// other models draw lane by lane with [`Noise::sample`], so a lane's numbers are the same
    /// either way.
    #[inline(always)]
    /// `scratch` holds one lane's draw (reused from step to step).
    pub fn sample_lanes<const B: usize>(
        &self,
        rngs: &mut LaneRngs<B>,
        w: &mut [[f64; B]],
        scratch: &mut Vec<f64>,
    ) {
        match *self {
            Noise::None => w.iter_mut().for_each(|c| *c = [0.0; B]),
            Noise::Uniform { s } if w.len() == 1 => {
                let c = &mut w[0];
                rngs.next_unit(c);
                for v in c.iter_mut() {
                    *v = centred(s, *v);
                }
            }
            _ => {
                scratch.resize(w.len(), 0.0);
                for j in 0..B {
                    self.sample(&mut rngs.lane(j), scratch);
                    for (c, v) in w.iter_mut().zip(scratch.iter()) {
                        c[j] = *v;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_kinds_take_their_radius() {
        assert_eq!(
            NoiseKind::Gaussian.with_radius(2.0).unwrap(),
            Noise::Gaussian { s: 2.0, sigma: 1.0 }
        );
        assert_eq!(NoiseKind::None.with_radius(3.0).unwrap().radius(), 0.0);
        for s in [-1.0, f64::NAN, f64::INFINITY] {
            let e = NoiseKind::Uniform.with_radius(s).unwrap_err().to_string();
            assert!(e.contains("finite and nonnegative"), "{e}");
        }
    }
}
