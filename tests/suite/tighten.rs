//! `tighten`: certified brackets for the least value of a tunable constant, on small proofs
//! files whose least value is known exactly (an interior maximum, a maximum on a face of the
//! box, a supremum approached only in a limit, an irrational threshold on a face), the witness
//! at the lower end re-evaluated exactly, the ends mutated by a relative 1e-6 and re-verified,
//! the honest report of what could not be certified, and bad `--tolerance` values.

use super::common::{run, snapshots};
use rug::Rational;
use serde_json::Value as Json;
use sgdbounds::arith::parse_rational;
use sgdbounds::expr::{RationalEval, Tape, parse};
use sgdbounds::theory::{Mode, Model, Theory};
use sgdbounds::verify::tighten::{
    DEFAULT_TOLERANCE, Face, Stop, TightenRequest, Tightening, tighten,
};
use sgdbounds::verify::{Status, VerifyOptions, verify_claim};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

fn q(s: &str) -> Rational {
    parse_rational(s).unwrap()
}

/// A proofs file with one parameter `x` (with `domain`, if any), a tunable constant `k` of value
/// `paper`, and one claim `p: CLAIM` over the box `x = BOX`.
fn k_file(claim: &str, bx: &str, paper: &str, domain: Option<&str>) -> String {
    let domain = domain.map_or(String::new(), |d| format!("domain = \"{d}\"\n"));
    format!(
        r#"
[result]
name = "k_test"
title = "a claim with a tunable constant"
cite = "test"

[[parameter]]
name = "x"
symbol = "x"
meaning = "x"
{domain}
[[constant]]
name = "k"
value = "{paper}"
meaning = "the constant to tighten"
cite = "test"
tunable = true

[[claim]]
name = "p"
expr = "{claim}"
cite = "test"

[verify]
box = {{ x = "{bx}" }}
"#
    )
}

/// Writes `text` to a fresh file of the temporary directory; returns its path.
fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("sgdbounds-tighten-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn request(file: &str) -> TightenRequest {
    TightenRequest {
        file: file.into(),
        constant: "k".into(),
        claims: vec![],
        lo: None,
        steps: 40,
        tolerance: DEFAULT_TOLERANCE,
        budget: 10.0,
        max_boxes: 100_000,
        boxes: vec![],
        prec: 128,
        digits: 8,
        scaling: true,
    }
}

/// The exact value of `expr` (a rational expression of x and k) at x and k.
fn exact(expr: &str, x: &Rational, k: &Rational) -> Rational {
    let e = parse(expr, "e").unwrap();
    let mut tape = Tape::new(vec!["x".into(), "k".into()]);
    let env: HashMap<String, usize> = [("x".to_string(), 0), ("k".to_string(), 1)].into();
    let r = tape.compile(&e, &env, 0).unwrap();
    let mut ev = RationalEval::new(&tape);
    ev.run(&tape, &[x.clone(), k.clone()]);
    ev.get(r)
        .cloned()
        .expect("a rational expression has an exact value")
}

/// The claim's status at `k = v` over the file's box, by `verify`'s own procedure.
fn status_at(text: &str, v: &Rational) -> Status {
    let t = Theory::parse(text, "k.toml").unwrap();
    let m = Model::compile_for(t.for_claim(0), Mode::Verify).unwrap();
    let free = Model::compile_for(t.clone(), Mode::Free).unwrap();
    let opts = VerifyOptions {
        budget: Duration::from_secs(20),
        ..VerifyOptions::default()
    };
    let consts: BTreeMap<String, Rational> = [("k".to_string(), v.clone())].into();
    verify_claim(&m, &free, 0, &BTreeMap::new(), &consts, &opts)
        .unwrap()
        .status
}

/// The checks every complete bracket must pass: certified ends that are the verdicts of values
/// actually tried, within the tolerance, containing `least` (`contains(a, b)` for an irrational
/// one), and the witness at the lower end failing `lhs <= rhs` exactly (when rational).
fn check_complete(
    t: &Tightening,
    contains: impl Fn(&Rational, &Rational) -> bool,
    sides: Option<(&str, &str)>,
) {
    let b = &t.bracket;
    assert!(b.lower_certified && b.upper_certified, "{b:?}");
    assert!(b.within_tolerance && b.stop == Stop::Tolerance, "{b:?}");
    assert!(contains(&b.lower, &b.upper), "{} .. {}", b.lower, b.upper);
    // b − a ≤ tol·b
    let tol = Rational::from_f64(b.tolerance).unwrap();
    assert!(b.width() <= Rational::from(&tol * &b.upper), "{b:?}");
    // the ends are verdicts of values tried
    let verdict = |v: &Rational| t.steps.iter().find(|s| s.value == *v).unwrap().verdict;
    assert_eq!(verdict(&b.upper), Status::Proved);
    assert_eq!(verdict(&b.lower), Status::Refuted);
    // monotone record: nothing proved below a refuted value
    for s in &t.steps {
        match s.verdict {
            Status::Proved => assert!(s.value >= b.upper, "{s:?}"),
            Status::Refuted => assert!(s.value <= b.lower, "{s:?}"),
            Status::Inconclusive => {}
        }
    }
    let w = b
        .witness
        .as_ref()
        .expect("a certified lower end has a witness");
    assert_eq!(w.value, b.lower);
    assert_eq!(w.claim, "p");
    if let Some((lhs, rhs)) = sides {
        let x = &w.point()[0];
        let (l, r) = (exact(lhs, x, &b.lower), exact(rhs, x, &b.lower));
        assert!(
            l > r,
            "the witness x = {x} does not violate {lhs} <= {rhs}: {l} vs {r}"
        );
    }
}

#[test]
fn an_interior_maximum_is_bracketed() {
    // max of x(1 − x) on [0, 1] is 1/4, at x = 1/2
    let path = write("interior", &k_file("x*(1 - x) <= k", "0..1", "1", None));
    let t = tighten(&request(&path)).unwrap();
    check_complete(
        &t,
        |a, b| *a < q("1/4") && q("1/4") <= *b,
        Some(("x*(1 - x)", "k")),
    );
    let w = t.bracket.witness.as_ref().unwrap();
    assert!(w.faces().is_empty(), "{w:?}");
    assert!(t.paper_proved && t.complete());
}

#[test]
fn a_maximum_on_a_face_is_bracketed_and_flagged() {
    // x² − 2 ≤ k·x on [1, 3]: x − 2/x is increasing, so the least k is 3 − 2/3 = 7/3, at the
    // box's upper end
    let path = write("face", &k_file("x^2 - 2 <= k*x", "1..3", "10", None));
    let t = tighten(&request(&path)).unwrap();
    check_complete(
        &t,
        |a, b| *a < q("7/3") && q("7/3") <= *b,
        Some(("x^2 - 2", "k*x")),
    );
    let w = t.bracket.witness.as_ref().unwrap();
    assert_eq!(w.faces(), vec![("x", Face::Upper)]);
    assert_eq!(w.point(), vec![q("3")]);
    let (_, out, _) = run(&["tighten", &path, "--constant", "k"]);
    assert!(out.contains("(at the box's upper end of x)"), "{out}");
    assert!(out.contains("lies on a face of the box"), "{out}");
}

#[test]
fn an_irrational_threshold_on_a_log_face_is_bracketed() {
    // √(2 − x) over x ∈ [1e-4, 1] (log): the least k is √1.9999, at the lower end of x
    let path = write(
        "sqrt_face",
        &k_file("sqrt(2 - x) <= k", "1e-4..1:log", "3", None),
    );
    let t = tighten(&request(&path)).unwrap();
    let s = q("1.9999");
    check_complete(
        &t,
        |a, b| *a > 0 && Rational::from(a * a) < s && s <= Rational::from(b * b),
        None,
    );
    let w = t.bracket.witness.as_ref().unwrap();
    assert_eq!(w.faces(), vec![("x", Face::Lower)]);
    assert_eq!(w.point(), vec![q("1e-4")]);
    // the witness's sides: √1.9999 enclosed above the lower end
    let lhs = w.sides[0].lhs.enclosure.as_ref().unwrap();
    assert!(lhs.lo().to_f64() > t.bracket.lower.to_f64());
}

#[test]
fn a_supremum_approached_only_in_a_limit_is_bracketed() {
    // 1 − x ≤ k for x > 0: the supremum 1 is approached as x → 0, never attained (x = 0 is
    // outside the domain), and k = 1 itself holds
    let path = write("limit", &k_file("1 - x <= k", "0..1", "2", Some("x > 0")));
    let t = tighten(&request(&path)).unwrap();
    check_complete(&t, |a, b| *a < 1 && *b >= 1, Some(("1 - x", "k")));
    let w = t.bracket.witness.as_ref().unwrap();
    assert!(w.point()[0] > 0, "{w:?}");
    assert!(w.faces().is_empty(), "{w:?}");
}

#[test]
fn the_ends_mutated_by_one_millionth_keep_their_verdicts() {
    for (name, claim, bx, paper) in [
        ("m_interior", "x*(1 - x) <= k", "0..1", "1"),
        ("m_face", "x^2 - 2 <= k*x", "1..3", "10"),
        ("m_sqrt", "sqrt(2 - x) <= k", "1e-4..1:log", "3"),
    ] {
        let text = k_file(claim, bx, paper, None);
        let path = write(name, &text);
        let t = tighten(&request(&path)).unwrap();
        let b = &t.bracket;
        assert!(b.within_tolerance, "{name}: {b:?}");
        let below = q("0.999999") * &b.lower;
        let above = q("1.000001") * &b.upper;
        assert_eq!(
            status_at(&text, &below),
            Status::Refuted,
            "{name} at {below}"
        );
        assert_eq!(
            status_at(&text, &above),
            Status::Proved,
            "{name} at {above}"
        );
    }
}

#[test]
fn what_is_not_certified_is_said() {
    // An equality that is not an identity of rational functions is never proved by intervals:
    // max(1 − x − k, 0) == 0 holds for k ≥ 1 but stays inconclusive; below 1 it is refuted.
    let path = write(
        "uncertified",
        &k_file("max(1 - x - k, 0) == 0", "0..1", "2", None),
    );
    let t = tighten(&request(&path)).unwrap();
    let b = &t.bracket;
    assert!(
        !t.paper_proved && !b.upper_certified && b.upper == 2,
        "{b:?}"
    );
    assert!(b.lower_certified && b.lower < 1, "{b:?}");
    assert!(b.lower > q("0.99"), "{b:?}");
    assert!(!b.within_tolerance && !t.complete());
    assert!(!b.inconclusive.is_empty());
    for s in &t.steps {
        assert_ne!(s.verdict, Status::Proved, "{s:?}");
        if s.value >= 1 {
            // true there: never reported refuted, and searched harder before giving up
            assert_eq!(s.verdict, Status::Inconclusive, "{s:?}");
            assert!(s.harder_search, "{s:?}");
        }
    }
    let (code, out, _) = run(&["tighten", &path, "--constant", "k"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not all proved at the paper's value"), "{out}");
    assert!(out.contains("upper end not certified"), "{out}");
    assert!(out.contains("neither proved nor refuted"), "{out}");

    // Proved at the search's lower end: the least value is at most --lo, the lower end is not
    // certified, and nothing is refuted.
    let path = write("lo_proved", &k_file("x*(1 - x) <= k", "0..1", "1", None));
    let mut req = request(&path);
    req.lo = Some("0.3".into());
    let t = tighten(&req).unwrap();
    let b = &t.bracket;
    assert_eq!(b.stop, Stop::LowerEndProved);
    assert!(b.upper_certified && b.upper == q("0.3") && !b.lower_certified);
    assert!(b.witness.is_none() && !t.complete());
    let (code, out, _) = run(&["tighten", &path, "--constant", "k", "--lo", "0.3"]);
    assert_eq!(code, 1);
    assert!(out.contains("lower end not certified"), "{out}");

    // Refuted at the paper's value: nothing to tighten, and the witness is shown.
    let path = write(
        "paper_refuted",
        &k_file("x*(1 - x) <= k", "0..1", "0.2", None),
    );
    let t = tighten(&request(&path)).unwrap();
    let b = &t.bracket;
    assert_eq!(b.stop, Stop::PaperRefuted);
    assert!(b.lower_certified && b.lower == q("0.2") && !b.upper_certified);
    assert_eq!(t.steps.len(), 1);
}

#[test]
fn json_carries_the_bracket_and_the_exact_witness() {
    let path = write("json", &k_file("x^2 - 2 <= k*x", "1..3", "10", None));
    let (code, out, err) = run(&["tighten", &path, "--constant", "k", "--json"]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["tolerance"], 1e-3);
    let lower = &j["bracket"]["lower"];
    let upper = &j["bracket"]["upper"];
    assert_eq!(lower["certified"], true);
    assert_eq!(upper["certified"], true);
    assert_eq!(lower["verdict"], "refuted");
    assert_eq!(upper["verdict"], "proved");
    let a = q(lower["value"].as_str().unwrap());
    let b = q(upper["value"].as_str().unwrap());
    assert!(a < q("7/3") && q("7/3") <= b);
    // decimals rounded outward
    assert!(q(lower["decimal"].as_str().unwrap()) <= a);
    assert!(q(upper["decimal"].as_str().unwrap()) >= b);
    assert_eq!(j["bracket"]["within_tolerance"], true);
    assert_eq!(j["bracket"]["stopped"], "tolerance");
    let w = &j["witness"];
    assert_eq!(q(w["constant_value"].as_str().unwrap()), a);
    assert_eq!(w["point"][0]["name"], "x");
    assert_eq!(w["point"][0]["exact"], "3");
    assert_eq!(w["point"][0]["face"], "upper");
    assert_eq!(w["comparisons"][0]["holds"], "false");
    let steps = j["steps"].as_array().unwrap();
    assert_eq!(steps[0]["value"], "10");
    assert_eq!(steps[0]["verdict"], "proved");
}

#[test]
fn text_report_of_a_complete_bracket() {
    let path = write("text", &k_file("x*(1 - x) <= k", "0..1", "1", None));
    let (code, out, err) = run(&["tighten", &path, "--constant", "k"]);
    assert_eq!(code, 0, "{err}");
    snapshots(|| insta::assert_snapshot!("tighten_interior_text", out));
}

#[test]
fn witness_coordinates_print_exactly_when_short() {
    use sgdbounds::report::tighten::shown;
    assert_eq!(shown(&q("0.0001")), "0.0001");
    assert_eq!(shown(&q("1/3")), "1/3");
    assert_eq!(shown(&q("12345678901234567890")), "12345678901234567890");
    // an f64 far from a short decimal: 20 significant digits, marked
    let long = Rational::from_f64(0.1).unwrap();
    assert_eq!(shown(&long), "≈0.10000000000000000555");
    let frac = Rational::from((1, 3)) + Rational::from((1u64, 1u64 << 60));
    assert!(
        shown(&frac).starts_with("≈0.3333333333333333"),
        "{}",
        shown(&frac)
    );
}

#[test]
fn bad_tolerances_are_refused_naming_the_flag() {
    let path = write("tol", &k_file("x*(1 - x) <= k", "0..1", "1", None));
    for bad in ["0", "-1", "1", "2", "NaN", "abc", "inf", ""] {
        let flag = format!("--tolerance={bad}");
        let (code, out, err) = run(&["tighten", &path, "--constant", "k", &flag]);
        assert_eq!(code, 2, "{bad}: {out}{err}");
        assert!(err.contains("--tolerance"), "{bad}: {err}");
        assert!(out.is_empty(), "{bad}: {out}");
    }
    // the library refuses them too, before any work
    for bad in [0.0, -1.0, 1.0, 2.0, f64::NAN] {
        let mut req = request("no such file");
        req.tolerance = bad;
        let e = tighten(&req).unwrap_err().to_string();
        assert!(e.contains("--tolerance"), "{bad}: {e}");
    }
    // a tolerance that is accepted
    let (code, _, err) = run(&["tighten", &path, "--constant", "k", "--tolerance", "0.01"]);
    assert_eq!(code, 0, "{err}");
    // --lo at or above the paper's value
    let (code, _, err) = run(&["tighten", &path, "--constant", "k", "--lo", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--lo"), "{err}");
}
