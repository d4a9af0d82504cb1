//! Tightening a constant (`tighten`): the least value of a tunable constant of a proofs file
//! (the 42 of μ, the factor 20 of Markov's bound) for which the named claims are still proved
//! over their boxes, found by bisection with the prover of [`verify_claim`], and what the
//! definitions that depend on it become at the file's example point.

use super::batch::{load, parse_boxes};
use super::{Precision, Status, Value, VerifyOptions, evaluate_point, verify_claim};
use crate::arith::{Interval, interval, parse_rational};
use crate::error::{Error, Result, Usage};
use crate::limits::check_precision;
use crate::limits::check_prover_memory;
use crate::theory::{Mode, Model};
use rayon::prelude::*;
use rug::Rational;
use std::collections::BTreeMap;
use std::time::Duration;

/// What to tighten: the result (a built-in name or a proofs file), the tunable constant, the
/// claims that must stay proved (every claim of the file's own that is not `point_only` when
/// empty), the lower end of the search (the constant's value / 100 when `None`), the number of
/// bisection steps, the prover's budget per claim and step, box ranges replacing the file's, the
/// working precision, and the significant digits the bounds at the example are resolved to.
#[derive(Clone, Debug)]
pub struct TightenRequest {
    pub file: String,
    pub constant: String,
    pub claims: Vec<String>,
    pub lo: Option<String>,
    pub steps: u32,
    /// Seconds per claim and step; clamped to [0.01, 10⁶].
    pub budget: f64,
    pub max_boxes: usize,
    pub boxes: Vec<String>,
    pub prec: u64,
    pub digits: usize,
}

/// One value tried: whether every claim was proved there, and each claim's status.
#[derive(Clone, Debug)]
pub struct Trial {
    pub value: Rational,
    pub proved: bool,
    pub claims: Vec<(String, Status)>,
}

/// A definition that depends on the constant, at the example point, with the paper's value of
/// the constant and with the smallest proved one, and their ratio (tightened / paper), each
/// enclosed at 256 bits.
#[derive(Clone, Debug)]
pub struct TightenedBound {
    pub quantity: String,
    pub symbol: String,
    pub paper: Value,
    pub tightened: Value,
    pub ratio: Value,
}

/// Why the value just below the smallest proved one is not proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Below {
    /// A claim was refuted there: the true threshold lies in between.
    Refuted,
    /// Some claim was neither proved nor refuted within the budget.
    NotProved,
    /// Never tried: the lower end of the search.
    NotTried,
}

/// The outcome of a search.
#[derive(Clone, Debug)]
pub struct Tightening {
    pub result: String,
    pub constant: String,
    pub paper_value: Rational,
    /// The names of the claims that must stay proved.
    pub claims: Vec<String>,
    /// Every value tried, the paper's first.
    pub steps: Vec<Trial>,
    /// `None` when the claims are not all proved at the paper's value (nothing to tighten).
    pub found: Option<Found>,
}

/// What a search found when the claims hold at the paper's value.
#[derive(Clone, Debug)]
pub struct Found {
    /// The least value tried at which every claim was proved (certain).
    pub smallest_proved: Rational,
    /// The greatest value tried below it (or the search's lower end), and why it is not proved.
    pub below: Rational,
    pub below_status: Below,
    pub example_point: BTreeMap<String, String>,
    pub bounds: Vec<TightenedBound>,
}

/// Rounds `q` to a short decimal inside `(lo, hi)` when one exists (nicer bisection points):
/// the shortest of the decimal renderings of `q`'s f64 with 1 to 17 significant digits that lies
/// strictly between, read exactly; else `q` itself.
pub fn short_between(q: &Rational, lo: &Rational, hi: &Rational) -> Rational {
    let v = q.to_f64();
    for digits in 1..=17 {
        if let Ok(r) = parse_rational(&format!("{v:.*e}", digits - 1))
            && r > *lo
            && r < *hi
        {
            return r;
        }
    }
    q.clone()
}

/// Bisects between the lower end and the paper's value of the constant: at each value, every
/// claim is proved or not by [`verify_claim`] over its box (the claims in parallel). Assumes the
/// claims get easier as the constant grows, so the value reported is one at which every claim
/// was proved, and the one below it was refuted or not proved. Errors are bad input (an unknown
/// constant or claim, a constant not marked tunable, a bad `lo` or box) or the prover's.
pub fn tighten(req: &TightenRequest) -> Result<Tightening> {
    let prec = check_precision(req.prec)?;
    let theory = load(&req.file)?;
    let constant = theory
        .constants
        .iter()
        .find(|c| c.name == req.constant)
        .ok_or_else(|| Usage::NotIn {
            flag: "--constant".into(),
            name: req.constant.clone(),
            kind: "constant".into(),
            result: theory.name.clone(),
            known: Some(theory.constants.iter().map(|c| c.name.clone()).collect()),
        })?
        .clone();
    if !constant.tunable {
        return Err(Usage::invalid(
            "--constant",
            &constant.name,
            "the proofs file does not mark it tunable",
        )
        .into());
    }
    let claims: Vec<usize> = if req.claims.is_empty() {
        (0..theory.claims.len())
            .filter(|&i| theory.claims[i].origin == theory.name && !theory.claims[i].point_only)
            .collect()
    } else {
        req.claims
            .iter()
            .map(|c| {
                theory
                    .claims
                    .iter()
                    .position(|x| &x.name == c)
                    .ok_or_else(|| {
                        Error::from(Usage::NotIn {
                            flag: "--claim".into(),
                            name: c.clone(),
                            kind: "claim".into(),
                            result: theory.name.clone(),
                            known: None,
                        })
                    })
            })
            .collect::<Result<_>>()?
    };
    let overrides = parse_boxes(&req.boxes)?;
    let free = Model::compile_for(theory.clone(), Mode::Free)?;
    let models: Vec<Model> = claims
        .iter()
        .map(|&c| Model::compile_for(theory.for_claim(c), Mode::Verify))
        .collect::<Result<_>>()?;
    let dims = models.iter().map(|m| m.coords.len()).max().unwrap_or(0);
    check_prover_memory(req.max_boxes, dims, prec)?;
    let opts = VerifyOptions {
        prec,
        max_boxes: req.max_boxes,
        budget: Duration::from_secs_f64(req.budget.clamp(0.01, 1e6)),
        ..VerifyOptions::default()
    };
    let attempt = |v: &Rational| -> Result<Trial> {
        let consts: BTreeMap<String, Rational> = [(constant.name.clone(), v.clone())].into();
        let outs: Vec<Result<(String, Status)>> = claims
            .par_iter()
            .zip(&models)
            .map(|(&c, m)| {
                let o = verify_claim(m, &free, c, &overrides, &consts, &opts)?;
                Ok((theory.claims[c].name.clone(), o.status))
            })
            .collect();
        let outs: Vec<(String, Status)> = outs.into_iter().collect::<Result<_>>()?;
        Ok(Trial {
            value: v.clone(),
            proved: outs.iter().all(|(_, s)| *s == Status::Proved),
            claims: outs,
        })
    };
    let paper = constant.value.clone();
    let first = attempt(&paper)?;
    let mut out = Tightening {
        result: theory.name.clone(),
        constant: constant.name.clone(),
        paper_value: paper.clone(),
        claims: claims
            .iter()
            .map(|&c| theory.claims[c].name.clone())
            .collect(),
        steps: Vec::new(),
        found: None,
    };
    let ok = first.proved;
    out.steps.push(first);
    if !ok {
        return Ok(out);
    }
    let mut lo = match &req.lo {
        Some(t) => parse_rational(t).map_err(|source| Error::Number {
            label: "--lo".into(),
            source,
        })?,
        None => Rational::from(&paper / 100u32),
    };
    let mut hi = paper.clone();
    let mut lo_status: Option<Vec<(String, Status)>> = None;
    for _ in 0..req.steps {
        let mid = short_between(&(Rational::from(&lo + &hi) / 2u32), &lo, &hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let t = attempt(&mid)?;
        if t.proved {
            hi = mid;
        } else {
            lo = mid;
            lo_status = Some(t.claims.clone());
        }
        out.steps.push(t);
    }
    let below_status = match &lo_status {
        Some(outs) if outs.iter().any(|(_, s)| *s == Status::Refuted) => Below::Refuted,
        Some(_) => Below::NotProved,
        None => Below::NotTried,
    };
    let bounds = bounds_at_example(&theory, &constant.name, &hi, req.digits)?;
    out.found = Some(Found {
        smallest_proved: hi,
        below: lo,
        below_status,
        example_point: theory.example.clone(),
        bounds,
    });
    Ok(out)
}

/// Every definition whose value at the file's example point changes when the constant is `hi`
/// instead of the paper's value: both values and their ratio, enclosed at 256 bits (outward
/// rounding) and resolved to `digits` significant digits where the evaluator can. Definitions
/// undefined at either value, or whose ratio is undefined, are left out; none without an
/// example point.
fn bounds_at_example(
    theory: &crate::theory::Theory,
    constant: &str,
    hi: &Rational,
    digits: usize,
) -> Result<Vec<TightenedBound>> {
    let mut bounds = Vec::new();
    if theory.example.is_empty() {
        return Ok(bounds);
    }
    let check_model = Model::compile(theory.clone())?;
    let inputs = check_model.point(&theory.example, &|p| p.name.clone())?;
    let k = check_model.theory.parameters.len()
        + check_model
            .theory
            .constants
            .iter()
            .position(|c| c.name == constant)
            .expect("found");
    let mut tuned = inputs.clone();
    tuned[k] = hi.clone();
    let p = Precision::new(256, digits);
    let a = evaluate_point(&check_model, &inputs, p);
    let b = evaluate_point(&check_model, &tuned, p);
    for (i, d) in check_model.theory.definitions.iter().enumerate() {
        let (va, vb) = (&a.quantities[i], &b.quantities[i]);
        let (Ok(xa), Ok(xb)) = (&va.enclosure, &vb.enclosure) else {
            continue;
        };
        if xa == xb {
            continue;
        }
        let mut ratio = Interval::zero(256);
        if interval::div(&mut ratio, xb, xa).is_err() {
            continue;
        }
        bounds.push(TightenedBound {
            quantity: d.name.clone(),
            symbol: d.symbol.clone(),
            paper: va.clone(),
            tightened: vb.clone(),
            ratio: Value {
                enclosure: Ok(ratio),
                exact: None,
                undefined: None,
            },
        });
    }
    Ok(bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        parse_rational(s).unwrap()
    }

    #[test]
    fn bisection_points_are_short_decimals_strictly_inside() {
        assert_eq!(short_between(&q("10.1"), &q("0.2"), &q("20")), q("10"));
        assert_eq!(short_between(&q("1/3"), &q("0.3"), &q("0.34")), q("0.33"));
        // No short decimal strictly between: the midpoint itself.
        let (lo, hi) = (q("1"), Rational::from(1) + Rational::from((1, 1u64 << 62)));
        let mid = Rational::from(&lo + &hi) / 2u32;
        assert_eq!(short_between(&mid, &lo, &hi), mid);
    }
}
