//! The theorems at the parameters of a simulation or an estimate: Theorem 1's T1, 20b/λ and δ²
//! (proofs/theorem1.toml) and Corollary 2's T1, T2′ and 20b′/λ′ (proofs/corollary2.toml),
//! evaluated with the same compiled definitions `check` uses, at 256 bits with outward
//! rounding, and handed to the f64 world of the simulator.

use super::run::Stage;
use crate::arith::{exact_decimal, parse_rational};
use crate::error::{Error, Result, Usage};
use crate::theory::Model;
use crate::theory::spec::Probability;
use crate::verify::{Precision, evaluate_point};
use rug::Rational;
use rug::float::Round;
use serde::Serialize;
use std::collections::BTreeMap;

/// An f64 as its exact decimal value (every finite f64 is a terminating decimal), so that it
/// enters the theorems exactly; `0` for a non-finite one.
pub fn f64_text(v: f64) -> String {
    let q = Rational::from_f64(v).unwrap_or_default();
    exact_decimal(&q).unwrap_or_else(|| format!("{}/{}", q.numer(), q.denom()))
}

/// Theorem 1 at one point: T1 (the upper end of its enclosure, rounded to nearest f64), the
/// bound 20b/λ at T1 and δ² on [T1, T1 + T2] (upper ends, rounded up to f64), with the inputs
/// they were evaluated at. Serializes as `{"T1", "bound_T1", "delta2", "d0", "r", "L", "c",
/// "t2"}`.
#[derive(Clone, Debug, Serialize)]
pub struct Theorem1Point {
    #[serde(rename = "T1")]
    pub t1: f64,
    #[serde(rename = "bound_T1")]
    pub bound_t1: f64,
    pub delta2: f64,
    pub d0: f64,
    pub r: f64,
    #[serde(rename = "L")]
    pub l: String,
    pub c: String,
    pub t2: u64,
    /// The probability Theorem 1 states (proofs/theorem1.toml, `[result] probability`).
    #[serde(skip)]
    pub probability: Option<Probability>,
    /// λ = 2ηc − η²L² (Step 2), nearest f64.
    #[serde(skip)]
    pub lambda: f64,
    /// b = η²r²(1 + ηL)², nearest f64.
    #[serde(skip)]
    pub b: f64,
    /// The probability Step 2 gives the event at T1 alone (Markov's inequality, `p_markov`:
    /// 9/10), the nearest f64 to its enclosure's lower end (a reference printed beside the
    /// frequency, not a bound computed with).
    #[serde(skip)]
    pub p_markov: Option<f64>,
}

impl Theorem1Point {
    /// T1 as a number of steps (the f64 truncated).
    pub fn steps(&self) -> u64 {
        self.t1 as u64
    }
}

/// Evaluates Theorem 1 (Section 3; T1, 20b/λ and δ² as its proof in Section 4 fixes them) at
/// step size `eta`, smoothness `l` and one-point strong convexity `c` (exact decimal text), noise
/// bound `r`, squared initial distance `d0` (raised to the least positive f64 if below) and
/// `t2` (raised to 1 if 0). The f64 inputs enter exactly. Bad input when `l` or `c` is not a
/// number or when the theorem's hypotheses do not hold there.
pub fn theorem1(eta: f64, l: &str, c: &str, r: f64, d0: f64, t2: u64) -> Result<Theorem1Point> {
    let model = Model::builtin("theorem1")?;
    let mut given = BTreeMap::new();
    given.insert("eta".to_string(), f64_text(eta));
    given.insert("L".to_string(), l.to_string());
    given.insert("c".to_string(), c.to_string());
    given.insert("r".to_string(), f64_text(r));
    given.insert("d0".to_string(), f64_text(d0.max(f64::MIN_POSITIVE)));
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
    let t1 = get("T1").map(|x| x.hi().to_f64()).unwrap_or(f64::NAN);
    let b1 = get("bound_T1")
        .map(|x| x.hi().to_f64_round(Round::Up))
        .unwrap_or(f64::NAN);
    let d2 = get("delta2")
        .map(|x| x.hi().to_f64_round(Round::Up))
        .unwrap_or(f64::NAN);
    if !holds || !t1.is_finite() {
        return Err(Usage::Other(format!(
            "Theorem 1's hypotheses do not hold for η = {eta}, L = {l}, c = {c} (see `sgdbounds check --eta {eta} --L {l} --c {c} --r {r} --d0 {d0} --t2 {t2}`)"
        ))
        .into());
    }
    Ok(Theorem1Point {
        t1,
        bound_t1: b1,
        delta2: d2,
        d0,
        r,
        l: l.to_string(),
        c: c.to_string(),
        t2,
        probability: model.theory.probability.clone(),
        p_markov: get("p_markov").map(|x| x.lo().to_f64()),
        lambda: get("lambda").map(|x| x.lo().to_f64()).unwrap_or(f64::NAN),
        b: get("b").map(|x| x.lo().to_f64()).unwrap_or(f64::NAN),
    })
}

/// Corollary 2 at the two stages of a run.
#[derive(Clone, Debug)]
pub enum Corollary2Point {
    /// The hypotheses hold and the stages are long enough: T1 and T2′ (steps, rounded up to
    /// f64) and the bound 20b′/λ′ on ‖y − x*‖² at the end of the second stage (rounded up), with
    /// the probability the corollary states (proofs/corollary2.toml).
    Fits {
        t1: f64,
        t2_stage: f64,
        bound_final: f64,
        probability: Option<Probability>,
    },
    /// The hypotheses hold, but a stage has fewer steps than the corollary needs.
    TooShort { t1: f64, t2_stage: f64 },
    /// The hypotheses do not hold (or a quantity is undefined).
    Fails,
}

/// Evaluates Corollary 2 (Section 3) for the stages `first` (η, r) and `second` (η′, r′) with
/// L, c, c′ (exact decimal text), the squared initial distance `d0` (raised to the least
/// positive f64 if below) and `t2` (raised to 1 if 0). Bad input when a value cannot be read.
pub fn corollary2(
    first: &Stage,
    second: &Stage,
    l: &str,
    c: &str,
    c2: &str,
    d0: f64,
    t2: u64,
) -> Result<Corollary2Point> {
    let model = Model::builtin("corollary2")?;
    let given: BTreeMap<String, String> = [
        ("eta", f64_text(first.eta)),
        ("L", l.to_string()),
        ("c", c.to_string()),
        ("r", f64_text(first.noise.radius())),
        ("d0", f64_text(d0.max(f64::MIN_POSITIVE))),
        ("t2", t2.max(1).to_string()),
        ("eta2", f64_text(second.eta)),
        ("c2", c2.to_string()),
        ("r2", f64_text(second.noise.radius())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
    let p = evaluate_point(&model, &inputs, Precision::new(256, 12));
    let get = |n: &str| {
        p.quantity(&model, n)
            .map(|x| x.hi().to_f64_round(Round::Up))
    };
    let holds = p.hypotheses_hold();
    Ok(
        match (holds, get("T1"), get("T2_stage"), get("bound_final")) {
            (true, Some(t1), Some(t2_stage), Some(bound_final))
                if first.steps as f64 >= t1 && second.steps as f64 >= t2_stage =>
            {
                Corollary2Point::Fits {
                    t1,
                    t2_stage,
                    bound_final,
                    probability: model.theory.probability.clone(),
                }
            }
            (true, Some(t1), Some(t2_stage), _) => Corollary2Point::TooShort { t1, t2_stage },
            _ => Corollary2Point::Fails,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f64_inputs_enter_exactly() {
        assert_eq!(
            f64_text(0.1),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(f64_text(-2.5), "-2.5");
        assert_eq!(f64_text(f64::INFINITY), "0");
    }

    #[test]
    fn theorem1_at_a_point_carries_its_probability() {
        let p = theorem1(0.1, "1", "1", 1.0, 25.0, 100).unwrap();
        assert!(
            p.t1 >= 1.0 && p.bound_t1 > 0.0 && p.delta2 > p.bound_t1,
            "{p:?}"
        );
        assert_eq!(p.probability.unwrap().text, "1/2");
        let e = theorem1(0.6, "1", "1", 1.0, 25.0, 100).unwrap_err();
        assert!(e.to_string().contains("hypotheses do not hold"), "{e}");
    }
}
