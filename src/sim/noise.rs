//! Gradient noise ω with ‖ω‖ ≤ r almost surely (the theorem's r): uniform on [−s, s] in 1-D,
//! uniform in the ball of radius s in d dimensions, a centred Gaussian clipped to radius s
//! (σ = s/2 by default), two-point ±s (1-D), random signs ±s/√d per coordinate (‖ω‖ = s), or a
//! finite distribution with mean 0 given as values and weights (1-D, scaled by s; r is s times
//! the largest |value|).

use super::rng::{LaneRngs, unit_f64};
use crate::error::{Result, Usage};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Noise {
    /// Uniform on the ball of radius `s` (on [−s, s] in 1-D).
    Uniform { s: f64 },
    /// N(0, σ²I) clipped to the ball of radius `s` (the clip keeps the mean at 0 by symmetry).
    Gaussian { s: f64, sigma: f64 },
    /// No noise: gradient descent.
    None,
    /// ±s with probability 1/2 each (1-D).
    TwoPoint { s: f64 },
    /// Each coordinate ±s/√d independently, with probability 1/2 each: ‖ω‖ = s.
    Signs { s: f64 },
    /// `s` times a value of a finite distribution with mean 0 (1-D).
    Finite { s: f64, law: FiniteLaw },
}

/// The values of a discrete noise with their probabilities.
pub type Support = Vec<(Vec<f64>, f64)>;

/// The most dimensions in which random-sign noise is enumerated (2^d values).
pub const MAX_SIGN_DIMS: usize = 12;

/// The most values of a finite noise distribution.
pub const MAX_FINITE_VALUES: usize = 16;

/// A finite distribution on the line with mean 0: its values (as f64, nearest to the values
/// given) and cumulative probabilities, the mean checked exactly on the values and weights as
/// given (rationals). Serializes as `{"values": […], "weights": […]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct FiniteLaw(std::sync::Arc<FiniteTable>);

/// The values of a [`FiniteLaw`], their probabilities and cumulative probabilities.
#[derive(Debug, PartialEq)]
struct FiniteTable {
    values: Vec<f64>,
    weights: Vec<f64>,
    /// `cumulative[i]`: P(index ≤ i), the last one 1 exactly.
    cumulative: Vec<f64>,
}

impl serde::Serialize for FiniteLaw {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = ser.serialize_struct("FiniteLaw", 2)?;
        st.serialize_field("values", &self.0.values)?;
        st.serialize_field("weights", &self.0.weights)?;
        st.end()
    }
}

impl FiniteLaw {
    /// Reads `--noise-values` (comma-separated numbers, decimals or fractions) and
    /// `--noise-weights` (as many positive numbers; equal weights when absent), normalizes the
    /// weights and checks exactly that the mean is 0 (the paper's noise is unbiased).
    pub fn parse(values: &str, weights: Option<&str>) -> Result<FiniteLaw> {
        use crate::arith::parse_rational;
        use rug::Rational;
        let list = |flag: &str, text: &str| -> Result<Vec<Rational>> {
            let items: Vec<&str> = text.split(',').map(str::trim).collect();
            if items.len() > MAX_FINITE_VALUES || items.iter().any(|t| t.is_empty()) {
                return Err(Usage::invalid(
                    flag,
                    text,
                    format!("give 1 to {MAX_FINITE_VALUES} comma-separated numbers"),
                )
                .into());
            }
            items
                .iter()
                .map(|t| {
                    parse_rational(t).map_err(|e| Usage::invalid(flag, *t, e.to_string()).into())
                })
                .collect()
        };
        let vs = list("--noise-values", values)?;
        let ws = match weights {
            Some(w) => list("--noise-weights", w)?,
            None => vec![Rational::from(1); vs.len()],
        };
        if ws.len() != vs.len() {
            return Err(Usage::invalid(
                "--noise-weights",
                weights.unwrap_or(""),
                format!("give one weight per value ({} values)", vs.len()),
            )
            .into());
        }
        if let Some(w) = ws.iter().find(|w| **w <= 0) {
            return Err(Usage::invalid(
                "--noise-weights",
                weights.unwrap_or(""),
                format!(
                    "every weight must be positive ({} is not)",
                    crate::arith::decimal::rational(w)
                ),
            )
            .into());
        }
        let total: Rational = ws.iter().sum();
        let mean: Rational = vs
            .iter()
            .zip(&ws)
            .map(|(v, w)| Rational::from(v * w))
            .sum::<Rational>()
            / &total;
        if mean != 0 {
            return Err(Usage::invalid(
                "--noise-values",
                values,
                format!(
                    "the noise must have mean 0 (the paper's stochastic gradient is unbiased); these values and weights have mean {}",
                    crate::arith::decimal::rational(&mean)
                ),
            )
            .into());
        }
        let mut table = FiniteTable {
            values: Vec::with_capacity(vs.len()),
            weights: Vec::with_capacity(vs.len()),
            cumulative: Vec::with_capacity(vs.len()),
        };
        let mut acc = Rational::new();
        for (v, w) in vs.iter().zip(&ws) {
            let p = Rational::from(w / &total);
            acc += &p;
            table.values.push(v.to_f64());
            table.weights.push(p.to_f64());
            table.cumulative.push(acc.to_f64());
        }
        if let Some(last) = table.cumulative.last_mut() {
            *last = 1.0;
        }
        if table.values.iter().any(|v| !v.is_finite()) {
            return Err(
                Usage::invalid("--noise-values", values, "a value is too large for f64").into(),
            );
        }
        Ok(FiniteLaw(std::sync::Arc::new(table)))
    }

    /// The values.
    pub fn values(&self) -> &[f64] {
        &self.0.values
    }

    /// The probabilities (the weights normalized).
    pub fn probabilities(&self) -> &[f64] {
        &self.0.weights
    }

    /// The largest |value|.
    pub fn largest(&self) -> f64 {
        self.values().iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    /// The value drawn by u uniform on [0, 1): the first whose cumulative probability is
    /// above u.
    #[inline(always)]
    pub fn at(&self, u: f64) -> f64 {
        let t = &*self.0;
        let mut i = 0;
        while i + 1 < t.values.len() && u >= t.cumulative[i] {
            i += 1;
        }
        t.values[i]
    }
}

/// The noise models by name (`--noise`), the radius or scale s given apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum NoiseKind {
    /// Uniform in the ball of radius s.
    Uniform,
    /// N(0, σ²I) with σ = s/2, clipped to radius s.
    Gaussian,
    /// No noise: gradient descent.
    None,
    /// ±s with probability 1/2 each (1-D).
    TwoPoint,
    /// Each coordinate ±s/√d with probability 1/2 each (‖ω‖ = s).
    Signs,
    /// s times a value of --noise-values, drawn with --noise-weights (1-D, mean 0).
    Finite,
}

/// A noise model as the command line chooses it: its kind and, for `finite`, its law.
#[derive(Clone, Debug, PartialEq)]
pub struct NoiseModel {
    pub kind: NoiseKind,
    pub law: Option<FiniteLaw>,
}

impl From<NoiseKind> for NoiseModel {
    fn from(kind: NoiseKind) -> NoiseModel {
        NoiseModel { kind, law: None }
    }
}

impl NoiseModel {
    /// The model of `--noise KIND [--noise-values V --noise-weights W]`: values only with
    /// `finite`, and `finite` only with values.
    pub fn new(kind: NoiseKind, values: Option<&str>, weights: Option<&str>) -> Result<NoiseModel> {
        match (kind, values) {
            (NoiseKind::Finite, Some(v)) => Ok(NoiseModel {
                kind,
                law: Some(FiniteLaw::parse(v, weights)?),
            }),
            (NoiseKind::Finite, None) => Err(finite_needs_values()),
            _ if values.is_some() || weights.is_some() => Err(Usage::at(
                "--noise-values",
                "values and weights are for --noise finite",
            )
            .into()),
            _ => Ok(NoiseModel { kind, law: None }),
        }
    }

    /// The noise of this model with radius (or, for `finite`, scale) `s`.
    pub fn with_radius(&self, s: f64) -> Result<Noise> {
        match (self.kind, self.law.clone()) {
            (NoiseKind::Finite, Some(law)) => {
                check_radius(s)?;
                Ok(Noise::Finite { s, law })
            }
            (kind, _) => kind.with_radius(s),
        }
    }
}

/// How a noise model reads in a report: "uniform, radius 1", "Gaussian σ = 0.5 clipped to
/// radius 1", "none (gradient descent)".
impl std::fmt::Display for Noise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Noise::Uniform { s } => write!(f, "uniform, radius {s}"),
            Noise::Gaussian { s, sigma } => write!(f, "Gaussian σ = {sigma} clipped to radius {s}"),
            Noise::None => write!(f, "none (gradient descent)"),
            Noise::TwoPoint { s } => write!(f, "two-point ±{s}"),
            Noise::Signs { s } => write!(f, "random signs ±{s}/√d per coordinate, radius {s}"),
            Noise::Finite { s, law } => {
                write!(f, "finite, {s} times")?;
                for (i, (v, p)) in law.values().iter().zip(law.probabilities()).enumerate() {
                    write!(f, "{} {v} (p ≈ {p:.4})", if i == 0 { "" } else { "," })?;
                }
                write!(f, " (radius {})", self.radius())
            }
        }
    }
}

impl NoiseKind {
    /// The noise of this kind with radius `s` (σ = s/2 for the Gaussian); `s` must be finite
    /// and nonnegative (bad input otherwise).
    pub fn with_radius(self, s: f64) -> Result<Noise> {
        check_radius(s)?;
        Ok(match self {
            NoiseKind::Uniform => Noise::Uniform { s },
            NoiseKind::Gaussian => Noise::Gaussian { s, sigma: s / 2.0 },
            NoiseKind::None => Noise::None,
            NoiseKind::TwoPoint => Noise::TwoPoint { s },
            NoiseKind::Signs => Noise::Signs { s },
            NoiseKind::Finite => return Err(finite_needs_values()),
        })
    }
}

/// Refuses a noise radius (or scale) that is not finite and nonnegative.
fn check_radius(s: f64) -> Result<()> {
    if s.is_finite() && s >= 0.0 {
        Ok(())
    } else {
        Err(Usage::out_of_range("noise radius", s, "must be finite and nonnegative").into())
    }
}

/// The error of `--noise finite` without its values.
fn finite_needs_values() -> crate::error::Error {
    Usage::at(
        "--noise finite",
        "give the values with --noise-values (and their weights with --noise-weights)",
    )
    .into()
}

/// A draw uniform on [−s, s) from u uniform on [0, 1): the one formula every path uses, so
/// that a lane's numbers do not depend on the path.
#[inline(always)]
pub fn centred(s: f64, u: f64) -> f64 {
    s * (2.0 * u - 1.0)
}

impl Noise {
    /// The bound r on ‖ω‖ (for `finite`, s times the largest |value|, rounded as the draws
    /// are, so that every draw is within it).
    pub fn radius(&self) -> f64 {
        match self {
            Noise::Uniform { s }
            | Noise::Gaussian { s, .. }
            | Noise::TwoPoint { s }
            | Noise::Signs { s } => *s,
            Noise::Finite { s, law } => s * law.largest(),
            Noise::None => 0.0,
        }
    }

    /// The values of a discrete noise in `d` dimensions with their probabilities: two-point,
    /// signs (2^d sign vectors, d at most [`MAX_SIGN_DIMS`]), finite and none; `None` for
    /// the continuous models.
    pub fn support(&self, d: usize) -> Option<Support> {
        match self {
            Noise::None => Some(vec![(vec![0.0; d], 1.0)]),
            Noise::TwoPoint { s } => Some(vec![(vec![-s], 0.5), (vec![*s], 0.5)]),
            Noise::Finite { s, law } => Some(
                law.values()
                    .iter()
                    .zip(law.probabilities())
                    .map(|(v, p)| (vec![s * v], *p))
                    .collect(),
            ),
            Noise::Signs { s } if d <= MAX_SIGN_DIMS => {
                let a = s / (d as f64).sqrt();
                let p = 0.5f64.powi(d as i32);
                Some(
                    (0u32..1 << d)
                        .map(|m| {
                            let v = (0..d)
                                .map(|k| if m >> k & 1 == 0 { -a } else { a })
                                .collect();
                            (v, p)
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// Refuses a model that has no meaning in `d` dimensions (two-point and finite are 1-D).
    pub fn check_dim(&self, d: usize) -> Result<()> {
        match self {
            Noise::TwoPoint { .. } | Noise::Finite { .. } if d != 1 => Err(Usage::at(
                "--noise",
                format!(
                    "{} noise is one-dimensional, and --dim is {d}; use --noise signs for ±s/√d per coordinate",
                    if matches!(self, Noise::TwoPoint { .. }) { "two-point" } else { "finite" }
                ),
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// `±a` by u uniform on [0, 1): −a below 1/2.
    #[inline(always)]
    fn sign(a: f64, u: f64) -> f64 {
        if u < 0.5 { -a } else { a }
    }

    /// Draws ω into `out`.
    #[inline]
    pub fn sample<R: Rng>(&self, rng: &mut R, out: &mut [f64]) {
        match self {
            &Noise::None => out.iter_mut().for_each(|v| *v = 0.0),
            &Noise::Uniform { s } => {
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
            &Noise::Gaussian { s, sigma } => {
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
            &Noise::TwoPoint { s } => {
                out[0] = Noise::sign(s, unit_f64(rng.next_u64()));
            }
            &Noise::Signs { s } => {
                let a = s / (out.len() as f64).sqrt();
                for v in out.iter_mut() {
                    *v = Noise::sign(a, unit_f64(rng.next_u64()));
                }
            }
            Noise::Finite { s, law } => {
                let s = *s;
                out[0] = s * law.at(unit_f64(rng.next_u64()));
            }
        }
    }

    /// Draws ω for `B` trials at once: `w[k][j]` is coordinate k of lane j's draw, from lane
    /// j's own generator, equal bit for bit to [`Noise::sample`]'s draw from it: the same
    /// operations in the same order, in vectorizable passes over the lanes (the normals by
    /// [`standard_normal_lanes`]; the power and the rare ziggurat rejections lane by lane).
    #[inline(always)]
    pub fn sample_lanes<const B: usize>(&self, rngs: &mut LaneRngs<B>, w: &mut [[f64; B]]) {
        match self {
            &Noise::None => w.iter_mut().for_each(|c| *c = [0.0; B]),
            &Noise::Uniform { s } if w.len() == 1 => {
                let c = &mut w[0];
                rngs.next_unit(c);
                for v in c.iter_mut() {
                    *v = centred(s, *v);
                }
            }
            &Noise::Uniform { s } => {
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
            &Noise::Gaussian { s, sigma } => {
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
            &Noise::TwoPoint { s } => {
                let c = &mut w[0];
                rngs.next_unit(c);
                for v in c.iter_mut() {
                    *v = Noise::sign(s, *v);
                }
            }
            &Noise::Signs { s } => {
                let a = s / (w.len() as f64).sqrt();
                for c in w.iter_mut() {
                    rngs.next_unit(c);
                    for v in c.iter_mut() {
                        *v = Noise::sign(a, *v);
                    }
                }
            }
            Noise::Finite { s, law } => {
                let s = *s;
                let c = &mut w[0];
                rngs.next_unit(c);
                for v in c.iter_mut() {
                    *v = s * law.at(*v);
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
        let law = FiniteLaw::parse("-2, 0, 1", Some("1/4, 1/4, 1/2")).unwrap();
        for noise in [
            Noise::Uniform { s: 1.5 },
            Noise::Gaussian { s: 1.0, sigma: 0.7 },
            Noise::TwoPoint { s: 0.5 },
            Noise::Signs { s: 2.0 },
            Noise::Finite { s: 3.0, law },
        ] {
            for d in [1, 2, 5] {
                if noise.check_dim(d).is_err() {
                    continue;
                }
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

    /// Two-point, signs and finite noise: the values they take, their frequencies within 5
    /// standard errors of their probabilities (seeded), mean 0, and ‖ω‖ within the radius.
    #[test]
    fn discrete_noise_takes_its_values_with_its_probabilities() {
        let law = FiniteLaw::parse("-2, 0, 1", Some("1/4, 1/4, 1/2")).unwrap();
        let n = 40_000;
        let mut rng = LaneRngs::<1>::new(5, 0);
        for (noise, d, values, probs) in [
            (
                Noise::TwoPoint { s: 0.5 },
                1,
                vec![-0.5, 0.5],
                vec![0.5, 0.5],
            ),
            (Noise::Signs { s: 2.0 }, 4, vec![-1.0, 1.0], vec![0.5, 0.5]),
            (
                Noise::Finite {
                    s: 3.0,
                    law: law.clone(),
                },
                1,
                vec![-6.0, 0.0, 3.0],
                vec![0.25, 0.25, 0.5],
            ),
        ] {
            let mut counts = vec![0usize; values.len()];
            let mut out = vec![0.0; d];
            for _ in 0..n {
                noise.sample(&mut rng.lane(0), &mut out);
                let norm = out.iter().map(|v| v * v).sum::<f64>().sqrt();
                assert!(norm <= noise.radius() * (1.0 + 1e-15), "{noise}: {norm}");
                for v in &out {
                    let i = values
                        .iter()
                        .position(|x| x == v)
                        .expect("a value of the law");
                    counts[i] += 1;
                }
            }
            let draws = (n * d) as f64;
            for (c, p) in counts.iter().zip(&probs) {
                let se = (p * (1.0 - p) / draws).sqrt();
                assert!(
                    (*c as f64 / draws - p).abs() < 5.0 * se,
                    "{noise}: {counts:?}"
                );
            }
        }
        assert_eq!(Noise::Finite { s: 3.0, law }.radius(), 6.0);
        assert_eq!(Noise::Signs { s: 2.0 }.radius(), 2.0);
    }

    #[test]
    fn finite_laws_are_checked_exactly() {
        // mean 0 exactly with fractions; 0.1 and -0.1 are exact as decimals
        assert!(FiniteLaw::parse("-1/3, 1/6", Some("1, 2")).is_ok());
        assert!(FiniteLaw::parse("0.1, -0.1", None).is_ok());
        for (v, w, says) in [
            ("-2, 1", None, "mean -0.5"),
            ("-1, 1", Some("1, 0"), "positive"),
            ("-1, 1", Some("1"), "one weight per value"),
            ("-1, x", None, "--noise-values"),
            ("", None, "comma-separated"),
            ("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0", None, "1 to 16"),
            ("-1e400, 1e400", None, "too large"),
        ] {
            let e = FiniteLaw::parse(v, w).unwrap_err().to_string();
            assert!(e.contains(says), "{v} {w:?}: {e}");
        }
        assert!(NoiseModel::new(NoiseKind::Uniform, Some("1,-1"), None).is_err());
        assert!(NoiseModel::new(NoiseKind::Finite, None, None).is_err());
        assert!(Noise::TwoPoint { s: 1.0 }.check_dim(2).is_err());
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
