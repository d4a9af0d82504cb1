//! Agreement with an independent computation: `tests/reference/reference.json`, written by
//! `tests/reference/generate.py` (Python's fractions for the rational quantities, mpmath at 60
//! digits for the rest; the versions are in the file). Every enclosure must contain the
//! reference value, and every printed digit must agree with it.

use rug::Rational;
use rug::ops::Pow;
use serde_json::Value as Json;
use sgdbounds::Model;
use sgdbounds::arith::parse_rational;
use sgdbounds::report::number::value_ends;
use sgdbounds::verify::{Precision, evaluate_point};
use std::collections::BTreeMap;

fn reference() -> Json {
    serde_json::from_str(include_str!("../reference/reference.json")).unwrap()
}

/// Reads `p/q` or a decimal exactly.
fn exact(s: &str) -> Rational {
    parse_rational(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Checks every reference value of one parameter set against `model` at `prec` bits.
fn agree(model: &Model, set: &str, case: &Json, prec: u32, digits: usize) {
    let given: BTreeMap<String, String> = case["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let inputs = model.point(&given, &|p| p.name.clone()).unwrap();
    let point = evaluate_point(model, &inputs, Precision::new(prec, digits));
    let mut checked = 0;
    for (name, want) in case["values"].as_object().unwrap() {
        let want_text = want.as_str().unwrap();
        let is_exact = want_text.contains('/');
        let r = exact(want_text);
        let i = model
            .theory
            .definitions
            .iter()
            .position(|d| &d.name == name)
            .unwrap_or_else(|| panic!("{set}: no quantity {name}"));
        let v = &point.quantities[i];
        let x = v
            .enclosure
            .as_ref()
            .unwrap_or_else(|f| panic!("{set} {name}: {f:?}"));
        // The reference is itself rounded to 60 digits; allow that much.
        let tol = if is_exact {
            Rational::new()
        } else {
            r.clone().abs() / Rational::from(10).pow(58u32)
        };
        let lo = Rational::try_from(x.lo()).unwrap();
        let hi = Rational::try_from(x.hi()).unwrap();
        assert!(
            lo <= Rational::from(&r + &tol) && Rational::from(&r - &tol) <= hi,
            "{set} {name} at {prec} bits: [{}, {}] does not contain {want_text}",
            x.lo(),
            x.hi()
        );
        if is_exact && let Some(q) = &v.exact {
            assert_eq!(q, &r, "{set} {name}: exact value");
        }
        // The printed digits: both ends, rounded outward, bracket the reference and, when the
        // precision allows, are neighbours at the last printed digit.
        let (plo, phi) = value_ends(v, digits).unwrap();
        let (plo_q, phi_q) = (exact(&plo), exact(&phi));
        assert!(
            plo_q <= Rational::from(&r + &tol) && Rational::from(&r - &tol) <= phi_q,
            "{set} {name}: printed [{plo}, {phi}] does not contain {want_text}"
        );
        if prec >= 256 && r != 0 {
            // one unit in the last of `digits` significant digits of r
            let mag = r.clone().abs().to_f64().log10().floor() as i32;
            let ulp = if mag + 1 - digits as i32 >= 0 {
                Rational::from(10).pow((mag + 1 - digits as i32) as u32)
            } else {
                Rational::from(10)
                    .pow((mag + 1 - digits as i32).unsigned_abs())
                    .recip()
            };
            assert!(
                Rational::from(&phi_q - &plo_q) <= ulp,
                "{set} {name}: printed ends {plo} and {phi} disagree in more than the last digit"
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "{set}: only {checked} values checked");
}

#[test]
fn theorem1_and_lemma5_agree_with_mpmath() {
    let model = Model::builtin("lemma5").unwrap();
    let refs = reference();
    let sets = refs["theorem1_lemma5"].as_object().unwrap();
    assert!(sets.len() >= 7);
    for (set, case) in sets {
        for (prec, digits) in [(256, 20), (256, 8), (64, 6), (1024, 50)] {
            agree(&model, set, case, prec, digits);
        }
    }
}

#[test]
fn corollary2_agrees_with_reference() {
    let model = Model::builtin("corollary2").unwrap();
    for (set, case) in reference()["corollary2"].as_object().unwrap() {
        agree(&model, set, case, 256, 20);
    }
}

#[test]
fn theorem3_agrees_with_reference() {
    let model = Model::builtin("theorem3").unwrap();
    for (set, case) in reference()["theorem3"].as_object().unwrap() {
        agree(&model, set, case, 256, 20);
    }
}

/// The edge cases the reference covers behave as the paper says.
#[test]
fn edge_cases() {
    let refs = reference();
    let t1 = &refs["theorem1_lemma5"];
    assert_eq!(t1["T1_zero"]["values"]["T1"], "0/1");
    // 1 − T2/ζ is 5/9 for every T2, so the probability is exactly 1/2.
    for (_, case) in t1.as_object().unwrap() {
        assert_eq!(case["values"]["probability"], "1/2");
    }
}
