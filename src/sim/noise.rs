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

/// How a noise model reads in a report: "uniform, radius 1", "Gaussian σ = 0.5 clipped to
/// radius 1", "none (gradient descent)".
impl std::fmt::Display for Noise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Noise::Uniform { s } => write!(f, "uniform, radius {s}"),
            Noise::Gaussian { s, sigma } => write!(f, "Gaussian σ = {sigma} clipped to radius {s}"),
            Noise::None => write!(f, "none (gradient descent)"),
        }
    }
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
    /// j's own generator, equal bit for bit to [`Noise::sample`]'s draw from it: the same
    /// operations in the same order, in vectorizable passes over the lanes (the normals by
    /// [`standard_normal_lanes`]; the power and the rare ziggurat rejections lane by lane).
    #[inline(always)]
    pub fn sample_lanes<const B: usize>(&self, rngs: &mut LaneRngs<B>, w: &mut [[f64; B]]) {
        match *self {
            Noise::None => w.iter_mut().for_each(|c| *c = [0.0; B]),
            Noise::Uniform { s } if w.len() == 1 => {
                let c = &mut w[0];
                rngs.next_unit(c);
                for v in c.iter_mut() {
                    *v = centred(s, *v);
                }
            }
            Noise::Uniform { s } => {
                // as `sample`: direction uniform on the sphere, radius s·U^(1/d)
                let mut n2 = [0.0; B];
                for c in w.iter_mut() {
                    standard_normal_lanes(rngs, c);
                    for j in 0..B {
                        n2[j] += c[j] * c[j];
                    }
                }
                let mut u = [0.0; B];
                rngs.next_unit(&mut u);
                let d = w.len() as f64;
                let mut rad = [0.0; B];
                for j in 0..B {
                    rad[j] = s * u[j].powf(1.0 / d) / n2[j].sqrt().max(f64::MIN_POSITIVE);
                }
                for c in w.iter_mut() {
                    for j in 0..B {
                        c[j] *= rad[j];
                    }
                }
            }
            Noise::Gaussian { s, sigma } => {
                let mut n2 = [0.0; B];
                for c in w.iter_mut() {
                    standard_normal_lanes(rngs, c);
                    for j in 0..B {
                        c[j] *= sigma;
                        n2[j] += c[j] * c[j];
                    }
                }
                for j in 0..B {
                    let n = n2[j].sqrt();
                    if n > s {
                        for c in w.iter_mut() {
                            c[j] *= s / n;
                        }
                    }
                }
            }
        }
    }
}

/// One standard normal draw per lane, each from its lane's generator, equal to
/// `rand_distr::StandardNormal`'s draw from it: the ziggurat's first try (about 98.8% of draws:
/// a table cell and a uniform, accepted when inside the cell's rectangle) runs in the lanes, and
/// a lane whose try is rejected has its generator put back and draws with `StandardNormal`
/// itself, which makes the same try and goes on.
#[inline(always)]
pub fn standard_normal_lanes<const B: usize>(rngs: &mut LaneRngs<B>, out: &mut [f64; B]) {
    use super::ziggurat::ZIG_NORM_X;
    let saved = *rngs.words_mut();
    let mut bits = [0u64; B];
    rngs.next_bits(&mut bits);
    let mut rejected = [false; B];
    for j in 0..B {
        let b = bits[j];
        let i = (b & 0xff) as usize;
        // a uniform in [−1, 1): [2, 4) from the top 52 bits, minus 3
        let u = f64::from_bits((b >> 12) | 0x4000_0000_0000_0000) - 3.0;
        let x = u * ZIG_NORM_X[i];
        out[j] = x;
        // rand_distr accepts when |x| < X[i + 1]; x is never NaN here
        rejected[j] = x.abs() >= ZIG_NORM_X[i + 1];
    }
    if rejected.iter().any(|&r| r) {
        for j in 0..B {
            if rejected[j] {
                rngs.restore_lane(j, &saved);
                out[j] = StandardNormal.sample(&mut rngs.lane(j));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lanes' normals are `StandardNormal`'s, draw for draw, rejections included; and the
    /// lanes' ball and Gaussian noise is `Noise::sample`'s, lane by lane.
    #[test]
    fn lane_normals_and_noise_equal_the_scalar_samplers_bit_for_bit() {
        let mut lanes = LaneRngs::<8>::new(3, 500);
        let mut ones: Vec<LaneRngs<1>> = (0..8).map(|j| LaneRngs::new(3, 500 + j)).collect();
        let mut out = [0.0; 8];
        let mut rejections = 0;
        for _ in 0..20_000 {
            standard_normal_lanes(&mut lanes, &mut out);
            for (j, one) in ones.iter_mut().enumerate() {
                let z: f64 = StandardNormal.sample(&mut one.lane(0));
                assert_eq!(out[j].to_bits(), z.to_bits());
                rejections += (z.abs() > 3.0) as usize;
            }
        }
        assert!(rejections > 0, "the tails were reached");
        for noise in [
            Noise::Uniform { s: 1.5 },
            Noise::Gaussian { s: 1.0, sigma: 0.7 },
        ] {
            for d in [1, 2, 5] {
                let mut lanes = LaneRngs::<4>::new(11, 0);
                let mut ones: Vec<LaneRngs<1>> = (0..4).map(|j| LaneRngs::new(11, j)).collect();
                let mut w = vec![[0.0; 4]; d];
                let mut one = vec![0.0; d];
                for _ in 0..500 {
                    noise.sample_lanes(&mut lanes, &mut w);
                    for (j, r) in ones.iter_mut().enumerate() {
                        noise.sample(&mut r.lane(0), &mut one);
                        for k in 0..d {
                            assert_eq!(w[k][j].to_bits(), one[k].to_bits(), "{noise:?} d {d}");
                        }
                    }
                }
            }
        }
    }

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
