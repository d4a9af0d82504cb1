//! The scaling reduction: degree inference checked against evaluation on random expressions;
//! claims reduced only when they and their hypotheses are shown invariant (a claim whose
//! hypothesis is not invariant, which a reduction would wrongly prove, stays refuted); reduced
//! proofs checked exactly on a dense grid of the box as written; the proofs files' errors.

use super::common::{exact_truth, run, theory_and_claim, verify_claim_of};
use proptest::prelude::*;
use rug::ops::Pow;
use rug::{Float, Rational};
use sgdbounds::expr::degree::{Degree, degrees};
use sgdbounds::expr::{IntervalEval, Reg, Tape, parse};
use sgdbounds::theory::{Mode, Model};
use sgdbounds::verify::{Status, VerifyOptions};
use std::collections::HashMap;
use std::time::Duration;

fn opts() -> VerifyOptions {
    VerifyOptions {
        max_boxes: 20_000,
        budget: Duration::from_secs(20),
        samples: 800,
        seed: 11,
        ..VerifyOptions::default()
    }
}

/// Random expressions over x, y, z: every instruction degree inference has a rule for, and
/// some it must refuse (sums of two degrees, logarithms of a varying degree).
fn arb_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("z".to_string()),
        Just("2".to_string()),
        Just("0".to_string()),
        Just("3/7".to_string()),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}*{b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}/{b})")),
            (inner.clone(), -3i32..4).prop_map(|(a, n)| format!("({a})^({n})")),
            inner.clone().prop_map(|a| format!("({a})^1.5")),
            inner.clone().prop_map(|a| format!("sqrt({a})")),
            inner.clone().prop_map(|a| format!("log({a})")),
            inner.clone().prop_map(|a| format!("exp({a})")),
            inner.clone().prop_map(|a| format!("abs({a})")),
            inner.clone().prop_map(|a| format!("floor({a})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("min({a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a})^({b})")),
        ]
    })
}

/// The register of `src` on a tape over x, y, z.
fn compiled(src: &str) -> (Tape, Reg) {
    let mut tape = Tape::new(vec!["x".into(), "y".into(), "z".into()]);
    let env: HashMap<String, Reg> = [("x", 0), ("y", 1), ("z", 2)]
        .map(|(n, r)| (n.to_string(), r))
        .into();
    let r = tape.compile(&parse(src, "t").unwrap(), &env, 0).unwrap();
    (tape, r)
}

/// The value of register `r` at `p`, at 512 bits: `Ok(None)` where it has no value (a certain
/// fault), `Err(())` where it could not be decided at this precision.
fn value_at(tape: &Tape, r: Reg, p: &[Rational; 3]) -> Result<Option<(Float, Float)>, ()> {
    let mut ev = IntervalEval::new(tape, 512);
    for (k, v) in p.iter().enumerate() {
        ev.set_input(k, v);
    }
    ev.run(tape);
    match ev.get(r) {
        Ok(v) => Ok(Some((v.lo().clone(), v.hi().clone()))),
        Err(f)
            if f.error.is_certain()
                && !matches!(
                    f.error,
                    sgdbounds::arith::ArithError::Overflow
                        | sgdbounds::arith::ArithError::ExponentTooLarge(_)
                        | sgdbounds::arith::ArithError::TooLarge(_)
                        | sgdbounds::arith::ArithError::NotDifferentiable
                ) =>
        {
            Ok(None)
        }
        Err(_) => Err(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20181207),
        ..ProptestConfig::default()
    })]

    /// Whatever degree inference answers for a random expression, evaluation agrees: at a
    /// random point and its image under x ↦ s^w·x (s a fourth power, so that s^d is rational
    /// for the quarter degrees nested roots give), f(σ_s x) = s^d·f(x), and f is defined at
    /// both points or at neither.
    #[test]
    fn degree_inference_agrees_with_evaluation(
        e in arb_expr(),
        w in proptest::array::uniform3(-2i64..3),
        p in proptest::array::uniform3((-9i64..10, 1i64..6)),
        t in prop_oneof![Just((2i64, 1i64)), Just((1, 3)), Just((3, 2))],
    ) {
        let (tape, r) = compiled(&e);
        let weights: Vec<Rational> = w.iter().map(|&k| Rational::from(k)).collect();
        let Ok(deg) = degrees(&tape, &weights, &[r]) else { return Ok(()) };
        let t = Rational::from(t);
        let s: Rational = t.clone().pow(4);
        let x: [Rational; 3] = p.map(|(n, d)| Rational::from((n, d)));
        let sx: [Rational; 3] = std::array::from_fn(|k| Rational::from(&x[k] * &s.clone().pow(w[k] as i32)));
        let (Ok(a), Ok(b)) = (value_at(&tape, r, &x), value_at(&tape, r, &sx)) else { return Ok(()) };
        match (a, b, deg[r].clone().expect("the root")) {
            (None, None, _) => {}
            (Some((lo, hi)), Some((slo, shi)), Degree::Of(d)) => {
                // s^d = t^(4d), 4d an integer
                let k = Rational::from(&d * 4u32);
                prop_assert!(k.is_integer(), "{e}: degree {d}");
                let k = k.numer().to_i32().unwrap();
                let sd = if k >= 0 { t.clone().pow(k) } else { t.clone().pow(-k).recip() };
                let scaled = |v: &Float| Float::with_val(512, v * &sd);
                let (mut l, mut h) = (scaled(&lo), scaled(&hi));
                if l > h { std::mem::swap(&mut l, &mut h); }
                // the two enclosures of one value meet (up to the last bits of each)
                let slack = Float::with_val(512, Float::with_val(512, &h - &l).abs() + Float::with_val(512, &shi - &slo)) + Float::with_val(512, h.clone().abs() + l.clone().abs()) * Float::with_val(512, Float::i_exp(1, -400));
                prop_assert!(
                    Float::with_val(512, &l - &shi) <= slack && Float::with_val(512, &slo - &h) <= slack,
                    "{e} with weights {w:?}: f(σx) ∈ [{slo}, {shi}], s^{d}·f(x) ∈ [{l}, {h}]"
                );
            }
            (Some(_), Some((slo, shi)), Degree::Any) => {
                prop_assert!(slo <= 0 && shi >= 0, "{e}: of every degree but f(σx) ≠ 0");
            }
            (a, b, d) => prop_assert!(false, "{e} ({d:?}): defined at x: {}, at σx: {}", a.is_some(), b.is_some()),
        }
    }
}

const FILE: &str = r#"
[result]
name = "scaled"
title = "Scaling test"
cite = "tests"

[[parameter]]
name = "eta"
symbol = "η"
meaning = "step"
domain = "eta > 0"

[[parameter]]
name = "L"
symbol = "L"
meaning = "smoothness"
domain = "L > 0"

[[parameter]]
name = "c"
symbol = "c"
meaning = "convexity"
domain = "c > 0"

[[hypothesis]]
name = "c_at_most_1"
expr = "c <= 1"
cite = "tests: not invariant (1 has degree 0, c degree 1)"

[[hypothesis]]
name = "eta_small"
expr = "eta*L <= 1/2"
cite = "tests: invariant"

[[claim]]
name = "invariant_true"
uses = []
expr = "2*eta*c - eta^2*L^2 <= 2*eta*c"
cite = "tests"

[[claim]]
name = "invariant_false_far_out"
uses = []
expr = "c/L <= 50"
cite = "tests: false at L = 1/100, c = 100"

[[claim]]
name = "not_invariant_true_at_one"
uses = []
expr = "L <= 1 + c"
cite = "tests: true at L = 1 for every c, false at L = 100, c = 1/100"

[[claim]]
name = "hypothesis_not_invariant"
expr = "c <= 2*L"
uses = ["c_at_most_1"]
cite = "tests: with L = 1 and c ≤ 1 it would hold; it fails at L = 1/100, c = 1"

[[claim]]
name = "invariant_with_invariant_hypothesis"
expr = "1 - eta*L >= 1/3 and exp(eta*L) <= 2"
uses = ["eta_small"]
cite = "tests"

[[variable]]
name = "eta_frac"
symbol = "ηL"
meaning = "eta in units of 1/L"

[verify]
box = { eta_frac = "(0, 1]", L = "0.01..100:log", c = "0.01..100:log" }
substitute = { eta = "eta_frac/L" }

[[verify.scaling]]
name = "time"
weights = { eta = -1, L = 1, c = 1 }
fix = "L"
"#;

fn file() -> String {
    FILE.to_string()
}

#[test]
fn claims_are_reduced_only_when_they_and_their_hypotheses_are_invariant() {
    let text = file();
    for (name, want, reduced) in [
        ("invariant_true", Status::Proved, true),
        // refuted on the reduced box at c/L = 10⁴, outside the written box: the witness is
        // mapped back into the written box by undoing the scaling, and refuted there
        ("invariant_false_far_out", Status::Refuted, true),
        ("not_invariant_true_at_one", Status::Refuted, false),
        ("hypothesis_not_invariant", Status::Refuted, false),
        ("invariant_with_invariant_hypothesis", Status::Proved, true),
    ] {
        let (t, c) = theory_and_claim(&text, name);
        let o = verify_claim_of(&t, c, &opts());
        assert_eq!(o.status, want, "{name}: {:?}", o.reason);
        assert_eq!(
            !o.reductions.used.is_empty(),
            reduced,
            "{name}: {:?}",
            o.reductions
        );
        // every witness lies in the box as written
        if let Some(w) = &o.witness {
            for (k, n) in o.coords.iter().enumerate().filter(|(k, _)| o.active[*k]) {
                let q = &w.point[k];
                let inside = match n.as_str() {
                    "L" | "c" => *q >= Rational::from((1, 100)) && *q <= 100,
                    "eta_frac" => *q > 0 && *q <= 1,
                    _ => true,
                };
                assert!(inside, "{name}: witness {n} = {q} outside the written box");
            }
        }
        if reduced {
            let u = &o.reductions.used[0];
            assert_eq!(u.fixed, "L");
            let k = o.coords.iter().position(|n| n == "L").unwrap();
            assert!(o.ranges[k].lo == 1 && o.ranges[k].hi == 1);
        } else if name != "invariant_false_far_out" {
            assert!(
                o.reductions.unused[0]
                    .reason
                    .contains("not shown invariant"),
                "{name}: {:?}",
                o.reductions.unused
            );
        }
        // every witness is a real counterexample, exactly: its parameters from its coordinates
        if let Some(w) = &o.witness {
            let at = |n: &str| w.point[o.coords.iter().position(|c| c == n).unwrap()].clone();
            let (l, cc, f) = (at("L"), at("c"), at("eta_frac"));
            let eta = Rational::from(&f / &l);
            assert_eq!(exact_truth(&t, c, &[eta, l, cc]), Some(false), "{name}");
        }
        // without the reduction, the same verdict
        let plain = verify_claim_of(
            &t,
            c,
            &VerifyOptions {
                scaling: false,
                ..opts()
            },
        );
        assert_eq!(plain.status, want, "{name} unreduced");
        assert!(plain.reductions.used.is_empty());
    }
}

/// The claims proved with the reduction hold at every point of a 19×19×30 grid of the box as
/// written, exactly (the grid's L and c run over [1/100, 100] and η/(1/L) over (0, 1]).
#[test]
fn reduced_proofs_hold_on_a_dense_grid_of_the_box_as_written() {
    let text = file();
    // 1, 2, 5 at each power of ten from 1/100 to 10, then 100, and points off that grid
    let mut grid: Vec<Rational> = (-2..2)
        .flat_map(|e: i32| [1, 2, 5].map(|m| Rational::from(m) * Rational::from(10).pow(e)))
        .collect();
    grid.push(Rational::from(100));
    for (n, d) in [(3, 7), (13, 3), (77, 1), (1, 77), (7, 3), (99, 100)] {
        grid.push(Rational::from((n, d)));
    }
    let fracs: Vec<Rational> = (1..=30).map(|i| Rational::from((i, 30))).collect();
    for name in ["invariant_true", "invariant_with_invariant_hypothesis"] {
        let (t, c) = theory_and_claim(&text, name);
        let o = verify_claim_of(&t, c, &opts());
        assert_eq!(o.status, Status::Proved);
        let hyp = t.claims[c].uses.first().cloned();
        let mut checked = 0;
        for l in &grid {
            for cc in &grid {
                for f in &fracs {
                    let eta = Rational::from(f / l);
                    if hyp.is_some() && Rational::from(&eta * l) > Rational::from((1, 2)) {
                        continue;
                    }
                    // exp has no exact value: its part is checked at 256 bits where needed
                    match exact_truth(&t, c, &[eta.clone(), l.clone(), cc.clone()]) {
                        Some(v) => assert!(v, "{name} fails at eta={eta}, L={l}, c={cc}"),
                        None => {
                            let m = Model::compile_for(t.clone(), Mode::Free).unwrap();
                            let mut ev = IntervalEval::new(&m.tape, 256);
                            for (k, v) in [eta.clone(), l.clone(), cc.clone()].iter().enumerate() {
                                ev.set_input(k, v);
                            }
                            ev.run(&m.tape);
                            for p in &m.claims[c].parts {
                                let (a, b) = (ev.get(p.lhs).unwrap(), ev.get(p.rhs).unwrap());
                                assert!(
                                    a.compare(p.op, b) == sgdbounds::arith::Truth::True,
                                    "{name} at eta={eta}, L={l}, c={cc}"
                                );
                            }
                        }
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 5_000, "{name}: {checked}");
    }
}

/// The built-in claims reduced by a scaling are listed as such in the JSON, with the
/// combination each coordinate now stands for; `--no-scaling` proves over the box as written.
#[test]
fn verify_reports_its_reductions_and_can_do_without() {
    let (code, out, err) = run(&[
        "verify",
        "theorem1",
        "--claim",
        "step2_lambda_above_eta_c",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let claim = &j["results"][0]["claims"][0];
    let red = &claim["reductions"][0];
    assert_eq!(red["scaling"], "time");
    assert_eq!(red["fixed"], "L");
    assert_eq!(red["invariance"], "proved by degree inference");
    assert_eq!(red["mapped"][0]["of"], "c/L");
    assert_eq!(red["mapped"][0]["after"], "(0, inf):log");
    assert_eq!(claim["box"]["L"], "1");
    assert_eq!(j["settings"]["scaling"], true);
    let (code, out, _) = run(&[
        "verify",
        "theorem1",
        "--claim",
        "step2_lambda_above_eta_c",
        "--json",
        "--no-scaling",
    ]);
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(j["results"][0]["claims"][0].get("reductions").is_none());
    assert_eq!(j["settings"]["scaling"], false);
    let (code, out, _) = run(&["verify", "theorem1", "--claim", "step2_lambda_above_eta_c"]);
    assert_eq!(code, 0);
    assert!(out.contains("by scaling, invariance proved: L = 1 stands for every L > 0 (time)"));
}

#[test]
fn scalings_that_cannot_be_used_are_refused_when_the_file_is_read() {
    let base = file();
    for (weights, needle) in [
        (
            "{ eta = -1, L = 1, k = 1 }",
            "gives a weight to `k`, which is neither",
        ),
        (
            "{ eta = -1, L = 2, c = 1 }",
            "the weight 1 of `c` is not a multiple of the weight 2 of `L`",
        ),
        ("{ eta = -1, c = 1 }", "fixes `L`, whose weight is 0"),
        ("{ eta = -1, L = 1000 }", "too large"),
    ] {
        let text = base.replace("{ eta = -1, L = 1, c = 1 }", weights);
        let err = sgdbounds::theory::Theory::parse(&text, "s.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{weights}: {err}");
    }
    let text = base.replace("fix = \"L\"\n", "");
    let err = sgdbounds::theory::Theory::parse(&text, "s.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("needs `fix`"), "{err}");
    // an integer parameter keeps weight 0
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/proofs/theorem1.toml"))
            .unwrap()
            .replace(
                "weights = { eta = -1, L = 1, c = 1, r = 1 }",
                "weights = { eta = -1, L = 1, c = 1, r = 1, t2 = 1 }",
            );
    let err = sgdbounds::theory::Theory::parse(&text, "t.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("`t2` takes integer values"), "{err}");
}

/// The reduced box is the product of the scale-free combinations' ranges, which is more than
/// their joint image: here c/L and r/L each range over [2⁻¹², 2¹²], so c/r reaches 2²⁴ though
/// it is at most 2¹² on the box as written. A claim true on the written box and false beyond it
/// is verified again over the written box, so it is proved, not refuted with a witness outside.
#[test]
fn a_witness_outside_the_written_box_sends_the_claim_back_to_it() {
    let text = r#"
[result]
name = "two"
title = "Two scaled coordinates"
cite = "tests"

[[parameter]]
name = "L"
symbol = "L"
meaning = "a scale"
domain = "L > 0"

[[parameter]]
name = "c"
symbol = "c"
meaning = "one"
domain = "c > 0"

[[parameter]]
name = "r"
symbol = "r"
meaning = "another"
domain = "r > 0"

[[claim]]
name = "ratio_on_the_box"
expr = "c <= 4096*r"
cite = "tests: c/r ≤ 64/(1/64) on the box"

[[claim]]
name = "ratio_beyond"
expr = "c <= 1000*r"
cite = "tests: false at c = 64, r = 1/64"

[verify]
box = { L = "0.015625..64:log", c = "0.015625..64:log", r = "0.015625..64:log" }

[[verify.scaling]]
name = "time"
weights = { L = 1, c = 1, r = 1 }
fix = "L"
"#;
    for (name, want) in [
        ("ratio_on_the_box", Status::Proved),
        ("ratio_beyond", Status::Refuted),
    ] {
        let (t, c) = theory_and_claim(text, name);
        let o = verify_claim_of(&t, c, &opts());
        assert_eq!(o.status, want, "{name}: {:?}", o.reason);
        if let Some(w) = &o.witness {
            for (q, r) in w.point.iter().zip(&o.ranges) {
                assert!(r.contains(q), "{name}: witness {q} outside {}", r.text);
            }
            let box_written = sgdbounds::theory::Range::parse("x", "0.015625..64").unwrap();
            assert!(w.point.iter().all(|q| box_written.contains(q)), "{name}");
        }
    }
}
