//! Unbounded ranges: read and refused as the README says; claims over `[a, ∞)` and `(0, ∞)`
//! proved by compactification only when true (each proved claim re-checked exactly at points
//! from 1 to 10¹⁰⁰), refuted with an exact witness inside the range when false only far out;
//! integer coordinates relaxed to the reals never refuted by a non-integer witness; and the
//! change of variable itself checked to be the claim, exactly, at random points.

use rug::Rational;
use rug::ops::Pow;
use sgdbounds::theory::{Mode, Model, Range, Theory};
use sgdbounds::verify::compactify::{Chart, pieces};
use sgdbounds::verify::job::Job;
use sgdbounds::verify::{Status, VerifyOptions};
use std::time::Duration;

fn opts() -> VerifyOptions {
    VerifyOptions {
        max_boxes: 20_000,
        budget: Duration::from_secs(20),
        samples: 800,
        seed: 5,
        ..VerifyOptions::default()
    }
}

/// A file with parameters x (and an integer t) and one claim `p`.
fn file(claim: &str, bx: &str) -> String {
    format!(
        r#"
[result]
name = "unbounded"
title = "unbounded ranges"
cite = "test"

[[parameter]]
name = "x"
symbol = "x"
meaning = "x"

[[parameter]]
name = "y"
symbol = "y"
meaning = "y"

[[parameter]]
name = "t"
symbol = "t"
meaning = "t"
integer = true

[[claim]]
name = "p"
expr = "{claim}"
cite = "test"

[verify]
box = {bx}
"#
    )
}

fn verify(claim: &str, bx: &str) -> sgdbounds::verify::ClaimOutcome {
    let (t, c) = super::common::theory_and_claim(&file(claim, bx), "p");
    super::common::verify_claim_of(&t, c, &opts())
}

#[test]
fn unbounded_ranges_are_read_and_bad_ones_refused() {
    for ok in ["[1, inf)", "(0, inf):log", "1..inf", "[0, ∞)", "(2, +inf)"] {
        let r = Range::parse("x", ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert!(r.unbounded && r.hi_open, "{ok}");
        assert!(r.contains(&Rational::from(10).pow(100u32)));
    }
    for (bad, says) in [
        ("(0, inf]", "never included"),
        ("-inf..0", "lower end must be a finite number"),
        ("(inf, 1)", "lower end must be a finite number"),
        ("(0, infx)", "may be `inf`"),
        ("[0, inf):log", "log range needs a positive lower end"),
    ] {
        let e = Range::parse("x", bad).expect_err(bad);
        assert!(e.contains(says), "{bad}: {e}");
    }
    // integers of an unbounded range start at the first integer inside it
    let r = Range::parse("t", "(1/2, inf)").unwrap().integers().unwrap();
    assert_eq!(r.lo, 1);
    assert!(r.unbounded && r.integer);
}

/// `exact(x)` of a claim `f(x) op g(x)` at rationals from 1 to 10¹⁰⁰, for the proved ones.
fn holds_far_out(claim: &str, x: &Rational) -> bool {
    let t = Theory::parse(&file(claim, r#"{ x = "[1, inf)" }"#), "t.toml").unwrap();
    super::common::exact_truth(&t, 0, &[x.clone(), Rational::from(1), Rational::from(1)])
        .unwrap_or(true)
}

#[test]
fn claims_whose_margin_vanishes_at_infinity() {
    let far: Vec<Rational> = [1u32, 2, 10, 1000, 1_000_000]
        .iter()
        .map(|&v| Rational::from(v))
        .chain([30u32, 100].iter().map(|&e| Rational::from(10).pow(e)))
        .collect();
    for (claim, bx, want) in [
        // x/(1 + x) → 1 from below: true everywhere, the margin 1/(1 + x) vanishes at ∞
        ("x/(1 + x) < 1", r#"{ x = "[1, inf)" }"#, Status::Proved),
        ("x/(1 + x) < 1", r#"{ x = "(0, inf):log" }"#, Status::Proved),
        (
            "x/(1 + x) <= 1 - 1/(2*x)",
            r#"{ x = "[1, inf)" }"#,
            Status::Proved,
        ),
        ("x^2 + 1 >= 2*x", r#"{ x = "[0, inf)" }"#, Status::Proved),
        (
            "x/(1 + x^2) <= 1/2",
            r#"{ x = "(0, inf):log" }"#,
            Status::Proved,
        ),
        // log t → ∞ as t → ∞: its enclosure reaches +∞ on the last cell
        ("log(x) >= 0", r#"{ x = "[1, inf):log" }"#, Status::Proved),
        (
            "sqrt(log(x) + 1) >= 1",
            r#"{ x = "[1, inf):log" }"#,
            Status::Proved,
        ),
        // false only far out: refuted with a witness inside the range
        ("x <= 1e20", r#"{ x = "[1, inf)" }"#, Status::Refuted),
        (
            "x/(1 + x) <= 1 - 1e-12",
            r#"{ x = "[1, inf)" }"#,
            Status::Refuted,
        ),
        ("1/x >= 1e-25", r#"{ x = "(0, inf):log" }"#, Status::Refuted),
    ] {
        let o = verify(claim, bx);
        assert_eq!(o.status, want, "{claim} over {bx}: {:?}", o.reason);
        match o.status {
            Status::Proved => {
                assert!(!o.pieces.is_empty(), "{claim}: proved over pieces");
                for x in &far {
                    assert!(
                        holds_far_out(claim, x),
                        "proved {claim} but it fails at {x}"
                    );
                }
            }
            Status::Refuted => {
                let w = o.witness.expect("a witness");
                let x = &w.point[0];
                let range = Range::parse("x", bx.split('"').nth(1).unwrap()).unwrap();
                assert!(range.contains(x), "{claim}: witness {x} outside {bx}");
                assert!(!holds_far_out(claim, x), "{claim}: witness {x} holds");
            }
            Status::Inconclusive => unreachable!(),
        }
    }
}

/// An integer coordinate's unbounded tail is relaxed to the reals: a claim true at every
/// integer but false between them is never refuted (a non-integer counterexample has no
/// integer next to it that fails); a claim false at large integers is refuted at an integer.
#[test]
fn integer_coordinates_are_relaxed_soundly() {
    let o = verify("floor(t) >= t", r#"{ t = "[1, inf)" }"#);
    assert_ne!(
        o.status,
        Status::Refuted,
        "{:?}",
        o.witness.map(|w| w.point)
    );
    let o = verify("t*(t - 1) >= 0", r#"{ t = "[0, inf)" }"#);
    assert_eq!(o.status, Status::Proved, "{:?}", o.reason);
    let o = verify("t <= 10^20", r#"{ t = "[1, inf)" }"#);
    assert_eq!(o.status, Status::Refuted);
    let t = &o.witness.unwrap().point[2];
    assert!(t.is_integer() && *t > Rational::from(10).pow(20u32));
}

/// The change of variable is the claim: at random rational points u of every piece of every
/// built-in claim with an unbounded range, both sides of the claim on the piece's model equal
/// those of the claim at x = s/u, exactly (where rational).
#[test]
fn pieces_equal_the_claim_exactly() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let mut checked = 0;
    for name in ["theorem1", "lemma5", "corollary2", "theorem3"] {
        let theory = Theory::builtin(name).unwrap();
        for ci in 0..theory.claims.len() {
            let model = Model::compile_for(theory.for_claim(ci), Mode::Verify).unwrap();
            let Ok(job) = Job::new(&model, ci, &Default::default(), &Default::default()) else {
                continue;
            };
            let job = job.reduced();
            for piece in pieces(&job).unwrap() {
                let pj = piece.job(&job);
                for _ in 0..4 {
                    let u: Vec<Rational> = pj
                        .ranges
                        .iter()
                        .map(|r| {
                            if r.lo == r.hi {
                                return r.lo.clone();
                            }
                            let f = Rational::from((rng.random_range(1..1000u32), 1000u32));
                            &r.lo + Rational::from(&r.hi - &r.lo) * f
                        })
                        .collect();
                    let x = piece.to_box(&u);
                    let sides = |m: &Model, p: &[Rational]| {
                        let mut ev = sgdbounds::expr::RationalEval::new(&m.tape);
                        ev.run(&m.tape, &job.inputs(p));
                        m.claims[ci]
                            .parts
                            .iter()
                            .map(|c| (ev.get(c.lhs).cloned(), ev.get(c.rhs).cloned()))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(
                        sides(&piece.model, &u),
                        sides(&model, &x),
                        "{name}/{}",
                        theory.claims[ci].name
                    );
                    checked += 1;
                }
                assert!(
                    piece
                        .charts
                        .iter()
                        .any(|c| matches!(c, Chart::Reciprocal(_)))
                        || piece.ranges.iter().all(|r| !r.unbounded)
                );
            }
        }
    }
    assert!(checked > 50, "only {checked} points checked");
}

/// A claim's own box is a restriction of the domain: it replaces the file's ranges for that
/// claim only, it must say why, and the report carries the reason.
#[test]
fn a_claims_own_box_is_a_written_restriction() {
    let text = |own: &str| {
        format!(
            r#"
[result]
name = "restricted"
title = "restricted"
cite = "test"

[[parameter]]
name = "x"
symbol = "x"
meaning = "x"

[[claim]]
name = "everywhere"
expr = "x/(1 + x) < 1"
cite = "test"

[[claim]]
name = "somewhere"
expr = "x <= 100"
cite = "test"
{own}

[verify]
box = {{ x = "[1, inf)" }}
"#
        )
    };
    let ok = text("box = { x = \"1..100\" }\nrestriction = \"x <= 100 holds only there\"");
    let (t, c) = super::common::theory_and_claim(&ok, "somewhere");
    let o = super::common::verify_claim_of(&t, c, &opts());
    assert_eq!(o.status, Status::Proved, "{:?}", o.reason);
    assert!(o.ranges[0].hi == 100 && !o.ranges[0].unbounded);
    // the other claim keeps the file's unbounded box
    let (t, c) = super::common::theory_and_claim(&ok, "everywhere");
    let o = super::common::verify_claim_of(&t, c, &opts());
    assert_eq!(o.status, Status::Proved);
    assert!(o.ranges[0].unbounded);
    // without the restriction, the same claim is refuted over the file's box
    let (t, c) = super::common::theory_and_claim(&text(""), "somewhere");
    assert_eq!(
        super::common::verify_claim_of(&t, c, &opts()).status,
        Status::Refuted
    );
    // a box without its reason, or for an unknown name, is refused when the file is read
    for (own, says) in [
        ("box = { x = \"1..100\" }", "say why in `restriction`"),
        (
            "box = { y = \"1..100\" }\nrestriction = \"r\"",
            "neither a parameter nor a variable",
        ),
        ("box = { x = \"1..\" }\nrestriction = \"r\"", "range"),
    ] {
        let e = Theory::parse(&text(own), "t.toml").expect_err(own);
        assert!(e.to_string().contains(says), "{own}: {e}");
    }
    // the report says it
    let path = std::env::temp_dir().join(format!("restricted-{}.toml", std::process::id()));
    std::fs::write(&path, &ok).unwrap();
    let (code, out, _) = super::common::run(&["verify", path.to_str().unwrap(), "--json"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"restriction\": \"x <= 100 holds only there\""),
        "{out}"
    );
}
