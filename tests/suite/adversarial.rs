//! Claims a hostile reviewer would write to make `verify` lie, each a regression test of a
//! path to a false verdict that once existed: stale gradient registers shared through the
//! tape, identities built to vanish at predictable points, identities with a pole in the box,
//! a range typo read as another box, integer parameters sampled as reals, and a budget that did
//! not bound the falsifier. Then a fuzzer: random small proofs files (random definitions that
//! share sub-expressions with the claim, claims that are true, false at one point, or false on
//! a tiny sub-box) whose every "proved" must survive exact evaluation on a dense grid that
//! includes the planted points, and whose every "refuted" must come with a witness that
//! violates the claim exactly.

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rug::Rational;
use sgdbounds::arith::{Truth, parse_rational};
use sgdbounds::theory::{Mode, Model, Theory};
use sgdbounds::verify::{ClaimOutcome, Status, VerifyOptions, verify_claim};
use std::collections::BTreeMap;
use std::time::Duration;

use super::common::{run, theory_and_claim, verify_claim_of};

fn opts() -> VerifyOptions {
    VerifyOptions {
        prec: 128,
        max_boxes: 20_000,
        budget: Duration::from_secs(30),
        samples: 1000,
        seed: 2018,
        identity_trials: 8,
        identity_seed: None,
        scaling: true,
        record: false,
        shard: None,
    }
}

/// A proofs file over parameters `params` (each `name` or `name:integer`), with extra TOML
/// (`[[definition]]`s, `extends`, hypotheses) and one claim per `(name, expr)`.
fn file(head: &str, params: &[&str], extra: &str, claims: &[(&str, &str)], bx: &str) -> String {
    let mut s =
        format!("[result]\nname = \"adv\"\ntitle = \"adversarial\"\ncite = \"test\"\n{head}\n");
    for p in params {
        let (name, integer) = match p.split_once(':') {
            Some((n, _)) => (n, true),
            None => (*p, false),
        };
        s += &format!(
            "\n[[parameter]]\nname = \"{name}\"\nsymbol = \"{name}\"\nmeaning = \"{name}\"\n{}",
            if integer { "integer = true\n" } else { "" }
        );
    }
    s += extra;
    for (name, expr) in claims {
        s += &format!("\n[[claim]]\nname = \"{name}\"\nexpr = \"{expr}\"\ncite = \"test\"\n");
    }
    s += &format!("\n[verify]\nbox = {bx}\n");
    s
}

fn verify(text: &str, claim: &str, opts: &VerifyOptions) -> ClaimOutcome {
    let (t, c) = theory_and_claim(text, claim);
    verify_claim_of(&t, c, opts)
}

/// The claim's truth at an exact point of its parameters, in exact rational arithmetic:
/// `None` when a side is undefined there (or not rational).
fn exact_truth(text: &str, claim: &str, point: &[Rational]) -> Option<bool> {
    let (t, c) = theory_and_claim(text, claim);
    super::common::exact_truth(&t, c, point)
}

/// Asserts that the one-parameter claim is not proved over `x ∈ range`.
fn assert_not_proved(claim: &str, range: &str, opts: VerifyOptions) {
    let text = file(
        "",
        &["x"],
        "",
        &[("c", claim)],
        &format!("{{ x = \"{range}\" }}"),
    );
    let o = verify(&text, "c", &opts);
    assert_ne!(o.status, Status::Proved, "{claim} on {range}");
}

const STALE_CLAIM: &str = "(2^53 + x) - 2^53 >= x + (x-1)^2/1024";

#[test]
fn an_unrelated_definition_does_not_change_the_verdict() {
    // False for every x in (1, 1.9]; the derivative 2*x of an unrelated definition once shared
    // a register the prover never evaluated.
    let bx = "{ x = \"1..1.9\" }";
    let with = file(
        "",
        &["x"],
        "\n[[definition]]\nname = \"d\"\nexpr = \"2*x\"\nmeaning = \"d\"\ncite = \"t\"\n",
        &[("c", STALE_CLAIM)],
        bx,
    );
    let without = file("", &["x"], "", &[("c", STALE_CLAIM)], bx);
    for text in [&with, &without] {
        let o = verify(text, "c", &opts());
        assert_eq!(o.status, Status::Refuted, "{:?}", o.reason);
        let w = o.witness.unwrap();
        assert_eq!(exact_truth(text, "c", &w.point), Some(false));
    }
}

#[test]
fn registers_of_an_extended_result_are_not_read_stale() {
    // (c − 3)² ≥ 1e−20 fails near c = 3; theorem1's tape already holds registers a derivative
    // of (c − 3)² can reuse.
    let text = file(
        "extends = \"theorem1\"",
        &[],
        "",
        &[("c_sq", "(c-3)^2 >= 1e-20")],
        "{ c = \"2.0001..3.7\" }",
    );
    let o = verify(
        &text,
        "c_sq",
        &VerifyOptions {
            max_boxes: 5000,
            ..opts()
        },
    );
    assert_ne!(o.status, Status::Proved);
    if o.status == Status::Refuted {
        let w = o.witness.unwrap();
        assert_eq!(w.verdict.claim, Truth::False);
    }
}

/// The points the identity test once drew for one coordinate from the verify seed.
fn predictable_points(seed: u64, n: usize) -> Vec<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| rng.random_range(1u64..=(1u64 << 62)))
        .collect()
}

#[test]
fn an_identity_built_to_vanish_at_the_seeds_points_is_not_proved() {
    for seed in [2018u64, 7, 0] {
        let prod: Vec<String> = predictable_points(seed, 8)
            .iter()
            .map(|a| format!("(x - {a})"))
            .collect();
        let claim = format!("x == x + {}", prod.join("*"));
        let text = file("", &["x"], "", &[("id", &claim)], "{ x = \"1..2\" }");
        let o = verify(&text, "id", &VerifyOptions { seed, ..opts() });
        assert_ne!(o.status, Status::Proved, "seed {seed}: {}", o.method);
    }
}

#[test]
fn identities_are_decided_exactly_and_need_their_sides_defined() {
    let cases = [
        ("x/x == 1", "-1..1", false),
        ("x/x == 1", "0.5..1", true),
        ("(x^2 - 1/9)/(x - 1/3) == x + 1/3", "0..1", false),
        ("(x^2 - 1/9)/(x - 1/3) == x + 1/3", "0.34..1", true),
        ("1/(x - 0.3) + 1/(0.3 - x) == 0", "0..1", false),
        ("1/(x - 0.3) + 1/(0.3 - x) == 0", "0.31..1", true),
        ("(x + 1)^2 == x^2 + 2*x + 1", "-5..5", true),
        ("(x + 1)^2 <= x^2 + 2*x + 1", "-5..5", true),
        ("(x + 1)^2 == x^2 + 2*x + 1.000000001", "-5..5", false),
    ];
    for (claim, range, true_on_box) in cases {
        let text = file(
            "",
            &["x"],
            "",
            &[("id", claim)],
            &format!("{{ x = \"{range}\" }}"),
        );
        let o = verify(&text, "id", &opts());
        if true_on_box {
            assert_eq!(
                o.status,
                Status::Proved,
                "{claim} on {range}: {:?}",
                o.reason
            );
            assert_eq!(o.error_probability, None, "{claim}: decided exactly");
        } else {
            assert_eq!(
                o.status,
                Status::Refuted,
                "{claim} on {range}: {:?}",
                o.reason
            );
            let w = o.witness.expect("a witness");
            // false or undefined at the witness, exactly
            assert_ne!(exact_truth(&text, "id", &w.point), Some(true), "{claim}");
        }
    }
}

#[test]
fn a_pole_inside_the_box_of_an_inequality_is_never_proved() {
    for (claim, range) in [
        ("1/x >= -1e300", "-1..1"),
        ("1/(x - 1/3)^2 >= 0", "0..1"),
        ("sqrt(x - 0.5) >= -1", "0..1"),
        ("log(x) <= 10", "0..1"),
    ] {
        assert_not_proved(
            claim,
            range,
            VerifyOptions {
                max_boxes: 3000,
                ..opts()
            },
        );
    }
}

#[test]
fn integer_parameters_take_integer_values_only() {
    let text = file(
        "",
        &["t2:integer"],
        "",
        &[
            ("touching", "(t2 - 1)*(t2 - 2) >= 0"),
            ("touching_far", "(t2 - 1000)*(t2 - 1001) >= 0"),
            ("strict", "(t2 - 3)*(t2 - 4) > 0"),
        ],
        "{ t2 = \"1..1e6:log\" }",
    );
    for claim in ["touching", "touching_far"] {
        let o = verify(&text, claim, &opts());
        assert_eq!(o.status, Status::Proved, "{claim}: {:?}", o.reason);
    }
    let o = verify(&text, "strict", &opts());
    assert_eq!(o.status, Status::Refuted);
    let w = o.witness.unwrap();
    assert!(w.point[0].is_integer(), "witness {}", w.point[0]);
    assert_eq!(exact_truth(&text, "strict", &w.point), Some(false));
    // a range with no integer in it, and a substituted integer parameter, are refused
    let empty = file(
        "",
        &["t2:integer"],
        "",
        &[("c", "t2 >= 0")],
        "{ t2 = \"1.2..1.8\" }",
    );
    let t = Theory::parse(&empty, "adv.toml").unwrap();
    let m = Model::compile_for(t, Mode::Verify).unwrap();
    let free = Model::compile_for(m.theory.clone(), Mode::Free).unwrap();
    assert!(verify_claim(&m, &free, 0, &BTreeMap::new(), &BTreeMap::new(), &opts()).is_err());
    let subst = file(
        "",
        &["t2:integer", "u"],
        "",
        &[("c", "t2 >= 0")],
        "{ u = \"1..2\" }\nsubstitute = { t2 = \"u*3\" }",
    );
    let t = Theory::parse(&subst, "adv.toml").unwrap();
    let e = Model::compile_for(t, Mode::Verify).unwrap_err().to_string();
    assert!(e.contains("integer"), "{e}");
}

#[test]
fn a_range_with_three_dots_is_an_error_not_another_box() {
    let text = file("", &["x"], "", &[("c", "x <= 0.5")], "{ x = \"0...1\" }");
    let e = Theory::parse(&text, "adv.toml").unwrap_err().to_string();
    assert!(e.contains("`0...1`"), "{e}");
    let path = std::env::temp_dir().join(format!("sgdbounds-dots-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        file("", &["x"], "", &[("c", "x <= 0.5")], "{ x = \"0..1\" }"),
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let (code, _, err) = run(&["verify", p, "--box", "x=0...1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`0...1`"), "{err}");
    let (code, _, err) = run(&["verify", p]);
    assert_eq!(code, 1, "x <= 0.5 on [0, 1] is false: {err}");
    std::fs::remove_file(&path).ok();
    let (code, _, err) = run(&[
        "table",
        "--eta",
        "1e-4...1e-1:log:3",
        "--L",
        "1",
        "--c",
        "0.5",
        "--r",
        "1",
        "--d0",
        "1",
        "--t2",
        "1e6",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`1e-4...1e-1`"), "{err}");
    let (code, _, err) = run(&[
        "simulate",
        "--start-box",
        "-5...5",
        "--steps",
        "10",
        "--trials",
        "2",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_budget_bounds_the_falsifier() {
    let text = file(
        "",
        &["x", "y"],
        "",
        &[("c", "x^2 + y^2 >= 0")],
        "{ x = \"-1..1\", y = \"-1..1\" }",
    );
    let o = verify(
        &text,
        "c",
        &VerifyOptions {
            samples: 10_000_000,
            budget: Duration::from_millis(50),
            ..opts()
        },
    );
    assert!(
        o.samples < 10_000_000,
        "{} samples in a 50 ms budget",
        o.samples
    );
    assert_ne!(o.status, Status::Refuted);
}

const VARIABLE_U: &str = "\n[[variable]]\nname = \"u\"\nsymbol = \"u\"\nmeaning = \"u\"\n";

#[test]
fn normal_forms_of_definedness_obligations_keep_their_conditions() {
    // √(u²) rewrites to u only where u > 0: here −√(u²) < 0, so the outer square root is
    // undefined on the whole box, and the claim is not proved.
    let a1 = file(
        "",
        &["x"],
        VARIABLE_U,
        &[("c", "x == x")],
        "{ u = \"-2..-1\" }\nsubstitute = { x = \"exp(sqrt(-sqrt(u^2)))\" }",
    );
    let a2b = file(
        "",
        &["x"],
        "",
        &[("c", "0*exp(sqrt(-sqrt(x^2))) >= 0")],
        "{ x = \"-2..-1\" }",
    );
    // the divisor |(x − 1/3)² − 1| − 1 is exactly 0 at x = 1/3
    let a2 = file(
        "",
        &["x"],
        "",
        &[(
            "c",
            "exp(1/(sqrt(((x-1/3)^2-1)^2)-1)) - exp(1/(sqrt(((x-1/3)^2-1)^2)-1)) >= 0",
        )],
        "{ x = \"0..1\" }",
    );
    for text in [&a1, &a2b, &a2] {
        let o = verify(
            text,
            "c",
            &VerifyOptions {
                max_boxes: 5000,
                ..opts()
            },
        );
        assert_ne!(o.status, Status::Proved, "{text}");
    }
}

#[test]
fn no_witness_lies_outside_the_box() {
    // The root cell's ends are rounded outward; no probe point may come from that sliver.
    let cases: Vec<(String, &str)> = vec![
        (
            file("", &["x"], "", &[("c", "x >= 0.1")], "{ x = \"0.1..5\" }"),
            "c",
        ),
        (
            file("", &["x"], "", &[("c", "x >= 1/3")], "{ x = \"1/3..1\" }"),
            "c",
        ),
        (
            file("", &["x"], "", &[("c", "x <= 0.7")], "{ x = \"0..0.7\" }"),
            "c",
        ),
        (
            file(
                "",
                &["n:integer"],
                "",
                &[("c", "n <= 10000000000000000000000000000000000000001")],
                "{ n = \"1..10000000000000000000000000000000000000001\" }",
            ),
            "c",
        ),
        (
            file(
                "",
                &["x"],
                "",
                &[("c", "1/(x - 0.3) == 1/(x - 0.3)"), ("d", "x - 0.3 > 0")],
                "{ x = \"0.30000000000000000000000000000000000000001..0.4\" }",
            ),
            "c",
        ),
        (
            file(
                "",
                &["x"],
                "",
                &[("d", "x - 0.3 > 0")],
                "{ x = \"0.30000000000000000000000000000000000000001..0.4\" }",
            ),
            "d",
        ),
        // 0^1.5 = 0 is defined: a real power of a zero base with a positive exponent
        (
            file(
                "",
                &["x"],
                VARIABLE_U,
                &[("c", "x*x == x^2")],
                "{ u = \"0..1\" }\nsubstitute = { x = \"u^1.5\" }",
            ),
            "c",
        ),
    ];
    for (text, claim) in &cases {
        let o = verify(
            text,
            claim,
            &VerifyOptions {
                max_boxes: 5000,
                ..opts()
            },
        );
        assert_ne!(
            o.status,
            Status::Refuted,
            "{text}: {:?}",
            o.witness.map(|w| w.point)
        );
    }
}

#[test]
fn a_range_for_a_substituted_name_is_refused_not_ignored() {
    let text = file(
        "",
        &["x"],
        VARIABLE_U,
        &[("c", "x >= 5")],
        "{ x = \"0..1\", u = \"5..6\" }\nsubstitute = { x = \"u\" }",
    );
    let t = Theory::parse(&text, "adv.toml").unwrap();
    let m = Model::compile_for(t.for_claim(0), Mode::Verify).unwrap();
    let free = Model::compile_for(t, Mode::Free).unwrap();
    let e = verify_claim(&m, &free, 0, &BTreeMap::new(), &BTreeMap::new(), &opts())
        .unwrap_err()
        .to_string();
    assert!(e.contains("`x`"), "{e}");
}

#[test]
fn long_chains_of_definitions_stay_within_the_budget_s_reach() {
    // d_i = 1/(1 + d_{i−1}): every division is a definedness obligation; only a bounded
    // number get normal forms, so setting the prover up stays linear in the chain.
    let mut defs = String::from(
        "\n[[definition]]\nname = \"d0\"\nexpr = \"x\"\nmeaning = \"d\"\ncite = \"t\"\n",
    );
    for i in 1..=2000 {
        defs += &format!(
            "\n[[definition]]\nname = \"d{i}\"\nexpr = \"1/(1+d{})\"\nmeaning = \"d\"\ncite = \"t\"\n",
            i - 1
        );
    }
    let text = file(
        "",
        &["x"],
        &defs,
        &[("c", "d2000 >= 0")],
        "{ x = \"0.5..1\" }",
    );
    let o = verify(
        &text,
        "c",
        &VerifyOptions {
            samples: 50,
            ..opts()
        },
    );
    assert_eq!(o.status, Status::Proved, "{:?}", o.reason);
}

#[test]
fn a_file_with_nothing_to_verify_is_an_error() {
    let path = std::env::temp_dir().join(format!("sgdbounds-empty-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        "[result]\nname = \"e\"\ntitle = \"e\"\ncite = \"t\"\n\n[[parameter]]\nname = \"x\"\nsymbol = \"x\"\nmeaning = \"x\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&["verify", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to verify"), "{err}");
}

#[test]
fn huge_exponents_are_never_rebuilt_as_other_numbers() {
    // The normal form once rebuilt an exponent whose numerator did not fit in 64 bits as 1,
    // so that x^(2^63) read as x and x^(10^24 + 1/2) as √x.
    let q = "1000000000000000000000000.5";
    for (claim, range) in [
        ("((x^2097152)^2097152)^2097152 <= 4".to_string(), "2..3"),
        (format!("x^{q} <= 2"), "2..3"),
        (format!("1/(x^{q} - 2) >= 1/(x^{q} - 2)"), "1..3"),
        (format!("1/(x^{q} - 2) < 0"), "1..3"),
        // the derivative of x^m is built as m·x^(m−1): m − 1 must not overflow (the claim
        // is false: x^(−(2⁶³ − 1)) < 1 for x > 1, and = 1 at x = 1)
        ("x^-9223372036854775807 > 1".to_string(), "1..2"),
    ] {
        let o = VerifyOptions {
            max_boxes: 2000,
            samples: 200,
            ..opts()
        };
        assert_not_proved(&claim, range, o);
    }
}

#[test]
fn a_huge_negative_power_of_a_positive_number_is_positive() {
    // x^(−(2⁶³ − 1)) for x in [1, 2] is positive (tiny, but > 0): proved or left open, never
    // refuted, and never a panic from the exponent of its derivative
    let text = file(
        "",
        &["x"],
        "",
        &[("c", "x^-9223372036854775807 > 0")],
        "{ x = \"1..2\" }",
    );
    let o = verify(
        &text,
        "c",
        &VerifyOptions {
            max_boxes: 2000,
            samples: 200,
            ..opts()
        },
    );
    assert_ne!(o.status, Status::Refuted, "{:?}", o.witness);
}

#[test]
fn a_box_of_one_point_is_decided_there() {
    let text = file(
        "",
        &["x"],
        "",
        &[
            ("one", "x == 1"),
            ("two", "x == 2"),
            ("undef", "(x-x)^-1*0 == 0"),
        ],
        "{ x = \"1..1\" }",
    );
    assert_eq!(verify(&text, "one", &opts()).status, Status::Proved);
    assert_eq!(verify(&text, "two", &opts()).status, Status::Refuted);
    assert_eq!(verify(&text, "undef", &opts()).status, Status::Refuted);
    // undefined everywhere on a wider box: refuted at a point, not left open
    let wide = file(
        "",
        &["x"],
        "",
        &[("undef", "(x-x)^-1*0 == 0")],
        "{ x = \"1..2\" }",
    );
    let o = verify(&wide, "undef", &opts());
    assert_eq!(o.status, Status::Refuted, "{:?}", o.reason);
}

// ---------------------------------------------------------------------------------------------
// The fuzzer.

/// A random polynomial-ish expression over x, y, and the definitions d1, d2 (which are
/// themselves built from the same pieces, so sub-expressions are shared through the tape).
fn expr_strategy() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("y".to_string()),
        Just("d1".to_string()),
        Just("d2".to_string()),
        (-3i32..4).prop_map(|k| format!("({k})")),
        (1i32..5, 1i32..4).prop_map(|(a, b)| format!("({a}/{b})")),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}*{b})")),
            inner.clone().prop_map(|a| format!("({a})^2")),
            inner.clone().prop_map(|a| format!("(2*{a})")),
        ]
    })
}

/// The claim kinds: a random comparison, one that is true by construction, one false at a
/// single planted point, one false only on a tiny planted sub-box.
#[derive(Clone, Debug)]
enum Kind {
    Random,
    Square,
    FalseAtPoint,
    FalseOnTinyBox,
}

fn kind_strategy() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Random),
        Just(Kind::Square),
        Just(Kind::FalseAtPoint),
        Just(Kind::FalseOnTinyBox),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        rng_seed: proptest::test_runner::RngSeed::Fixed(9),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_false_verdict_on_random_files(
        d1 in expr_strategy(),
        d2 in expr_strategy(),
        lhs in expr_strategy(),
        rhs in expr_strategy(),
        kind in kind_strategy(),
        (px, py) in (0i32..=20, 0i32..=20),
        (x0, y0) in (-2i32..2, -2i32..2),
        strict in any::<bool>(),
    ) {
        // d1 may not use d1 or d2, d2 may use d1 only: replace forward references
        let d1 = d1.replace("d1", "x").replace("d2", "y");
        let d2 = d2.replace("d2", "(x*y)");
        let (xl, xh, yl, yh) = (x0, x0 + 1, y0, y0 + 1);
        // the planted point, on the box's 1/20 grid
        let p = Rational::from(xl) + Rational::from((px, 20));
        let q = Rational::from(yl) + Rational::from((py, 20));
        let op = if strict { ">" } else { ">=" };
        let claim = match kind {
            Kind::Random => format!("{lhs} {op} {rhs}"),
            Kind::Square => format!("({lhs} - {rhs})^2 + d1^2 >= 0"),
            Kind::FalseAtPoint => format!("(x - {p})^2 + 0*d2 + ({lhs})^2*0 > 0"),
            Kind::FalseOnTinyBox => format!("(x - {p})^2 + (y - {q})^2 + d1*0 >= 1e-12"),
        };
        let defs = format!(
            "\n[[definition]]\nname = \"d1\"\nexpr = \"{d1}\"\nmeaning = \"d1\"\ncite = \"t\"\n\n[[definition]]\nname = \"d2\"\nexpr = \"{d2}\"\nmeaning = \"d2\"\ncite = \"t\"\n"
        );
        let bx = format!("{{ x = \"{xl}..{xh}\", y = \"{yl}..{yh}\" }}");
        let text = file("", &["x", "y"], &defs, &[("c", &claim)], &bx);
        let o = verify(&text, "c", &VerifyOptions { max_boxes: 2000, samples: 300, ..opts() });
        match o.status {
            Status::Proved => {
                // a dense exact grid (1/40 steps, so the planted point is on it)
                for i in 0..=40 {
                    for j in 0..=40 {
                        let x = Rational::from(xl) + Rational::from((i, 40));
                        let y = Rational::from(yl) + Rational::from((j, 40));
                        let t = exact_truth(&text, "c", &[x.clone(), y.clone()]);
                        prop_assert_eq!(t, Some(true), "proved `{}` on {} but not at ({}, {})", claim, bx, x, y);
                    }
                }
                prop_assert!(!matches!(kind, Kind::FalseAtPoint | Kind::FalseOnTinyBox), "proved a planted failure: {}", claim);
            }
            Status::Refuted => {
                let w = o.witness.expect("a refutation has a witness");
                let t = exact_truth(&text, "c", &w.point);
                prop_assert_ne!(t, Some(true), "witness ({}, {}) of `{}` satisfies it", w.point[0], w.point[1], claim);
                prop_assert!(!matches!(kind, Kind::Square), "refuted a true claim: {}", claim);
            }
            Status::Inconclusive => {
                prop_assert!(!matches!(kind, Kind::FalseAtPoint), "a failure at a planted point was not found: {}", claim);
            }
        }
        // The same claim without the definitions it does not use gives the same verdict when
        // both are conclusive.
        if !claim.contains("d1") && !claim.contains("d2") {
            let alone = file("", &["x", "y"], "", &[("c", &claim)], &bx);
            let a = verify(&alone, "c", &VerifyOptions { max_boxes: 2000, samples: 300, ..opts() });
            if a.status != Status::Inconclusive && o.status != Status::Inconclusive {
                prop_assert_eq!(a.status, o.status, "`{}`: alone {:?}, with definitions {:?}", claim, a.status, o.status);
            }
        }
    }
}

#[test]
fn witnesses_of_the_fuzzer_parse_back() {
    // a short sanity check of the helpers the fuzzer relies on
    let text = file("", &["x"], "", &[("c", "x >= 1/2")], "{ x = \"0..1\" }");
    assert_eq!(
        exact_truth(&text, "c", &[parse_rational("0.25").unwrap()]),
        Some(false)
    );
    assert_eq!(
        exact_truth(&text, "c", &[parse_rational("3/4").unwrap()]),
        Some(true)
    );
}
