//! The built binary: reports (snapshots of text and JSON), exit codes, and the errors for bad
//! input of every kind.

use super::common::{bin, run, snapshots};
use serde_json::Value as Json;

const EXAMPLE: &[&str] = &[
    "check", "--eta", "0.01", "--L", "1", "--c", "0.5", "--r", "1", "--d0", "1", "--t2", "1e6",
];

#[test]
fn example_holds_and_matches_snapshot() {
    let (code, out, err) = run(&["check", "--example"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("verdict: holds"));
    // The flags give the same report as --example.
    assert_eq!(run(EXAMPLE).1, out);
    snapshots(|| insta::assert_snapshot!("check_example_text", out));
}

#[test]
fn example_json_has_every_quantity_as_enclosure() {
    let (code, out, _) = run(&["check", "--example", "--json"]);
    assert_eq!(code, 0);
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["verdict"], "holds");
    let q = &j["results"][0]["quantities"];
    for name in ["lambda", "b", "T1", "bound_T1", "zeta", "mu", "delta2"] {
        assert!(
            q[name]["lo"].is_string() && q[name]["hi"].is_string(),
            "{name}"
        );
    }
    assert_eq!(q["T1"]["lo"], "463");
    assert_eq!(q["lambda"]["exact"], "0.0099");
    let lemma = &j["results"][1];
    assert_eq!(lemma["result"], "lemma5");
    assert_eq!(lemma["claims"].as_array().unwrap().len(), 4);
    for c in lemma["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "holds");
        assert!(c["comparisons"][0]["slack"]["lo"].is_string());
    }
    snapshots(|| insta::assert_snapshot!("check_example_json", out));
}

#[test]
fn eta_too_large_fails_with_the_largest_admissible_eta() {
    let (code, out, _) = run(&[
        "check", "--eta", "0.3", "--L", "2", "--c", "1", "--r", "1", "--d0", "1", "--t2", "100",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("✗ FAILS"));
    assert!(out.contains("→ η_max = 0.25: the largest admissible step size"));
    snapshots(|| insta::assert_snapshot!("check_eta_too_large_text", out));
    let (code, out, _) = run(&[
        "check", "--eta", "0.3", "--L", "2", "--c", "1", "--r", "1", "--d0", "1", "--t2", "100",
        "--json", "--digits", "12",
    ]);
    assert_eq!(code, 1);
    snapshots(|| insta::assert_snapshot!("check_eta_too_large_json", out));
}

#[test]
fn boundary_eta_is_decided_false_not_undecided() {
    let (code, out, _) = run(&[
        "check", "theorem1", "--eta", "0.05", "--L", "10", "--c", "5", "--r", "1", "--d0", "1",
        "--t2", "10", "--json",
    ]);
    assert_eq!(code, 1);
    let j: Json = serde_json::from_str(&out).unwrap();
    let h = &j["results"][0]["hypotheses"][0];
    assert_eq!(h["name"], "eta_below_half_over_L");
    assert_eq!(h["verdict"], "fails");
    assert_eq!(h["comparisons"][0]["decided_by"], "exact");
}

#[test]
fn corollary2_and_t1_zero_snapshots() {
    let (code, out, err) = run(&["check", "--example", "--eta2", "0.001", "--c2", "0.6"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Corollary 2"));
    snapshots(|| insta::assert_snapshot!("check_corollary2_text", out));
    // T1 = 0 when λ·D0 ≤ b
    let (code, out, _) = run(&[
        "check", "--eta", "0.1", "--L", "1", "--c", "1", "--r", "10", "--d0", "1", "--t2", "1000",
        "--json",
    ]);
    assert_eq!(code, 0);
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["results"][0]["quantities"]["T1"]["exact"], Json::Null);
    assert_eq!(j["results"][0]["quantities"]["T1"]["lo"], "0");
    assert_eq!(j["results"][0]["quantities"]["T1"]["hi"], "0");
    snapshots(|| insta::assert_snapshot!("check_t1_zero_json", out));
}

#[test]
fn theorem3_checks_the_threshold() {
    let (code, out, _) = run(&[
        "check",
        "theorem3",
        "--eta",
        "1",
        "--c-prime",
        "1",
        "--dist2",
        "1",
        "--grad2",
        "4",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("theorem3: holds"));
    // At η exactly at the threshold 2c′‖x−x*‖²/‖∇f‖² = 0.5 the hypothesis fails exactly.
    let (code, out, _) = run(&[
        "check",
        "theorem3",
        "--eta",
        "0.5",
        "--c-prime",
        "1",
        "--dist2",
        "1",
        "--grad2",
        "4",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("✗ FAILS"));
}

#[test]
fn precision_and_digits_change_the_enclosure_not_the_verdict() {
    let (c1, o1, _) = run(&[
        "check",
        "--example",
        "--json",
        "--prec",
        "64",
        "--digits",
        "6",
    ]);
    let (c2, o2, _) = run(&[
        "check",
        "--example",
        "--json",
        "--prec",
        "2048",
        "--digits",
        "60",
    ]);
    assert_eq!((c1, c2), (0, 0));
    let (j1, j2): (Json, Json) = (
        serde_json::from_str(&o1).unwrap(),
        serde_json::from_str(&o2).unwrap(),
    );
    let lo = |j: &Json| {
        j["results"][0]["quantities"]["delta2"]["lo"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let hi = |j: &Json| {
        j["results"][0]["quantities"]["delta2"]["hi"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let q = |s: String| sgdbounds::arith::parse_rational(&s).unwrap();
    // the 2048-bit enclosure lies inside the 64-bit one
    assert!(q(lo(&j1)) <= q(lo(&j2)) && q(hi(&j2)) <= q(hi(&j1)));
    assert_eq!(hi(&j2).len() - lo(&j2).len(), 0);
}

/// Bad input: exit 2, a one-paragraph message naming the problem, no panic.
#[test]
fn bad_input_is_exit_2_with_a_clear_message() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "negative_eta",
            &["check", "--example", "--eta", "-0.1"],
            "eta > 0",
        ),
        ("zero_eta", &["check", "--example", "--eta", "0"], "eta > 0"),
        ("nan", &["check", "--example", "--L", "NaN"], "finite"),
        (
            "underscore",
            &["check", "--example", "--t2", "1_000"],
            "underscores",
        ),
        (
            "malformed",
            &["check", "--example", "--c", "0.5.1"],
            "two decimal points",
        ),
        (
            "huge_exponent",
            &["check", "--example", "--r", "1e999999999999"],
            "exponent",
        ),
        (
            "prec_zero",
            &["check", "--example", "--prec", "0"],
            "precision",
        ),
        (
            "prec_absurd",
            &["check", "--example", "--prec", "10000000000"],
            "precision",
        ),
        (
            "unknown_flag",
            &["check", "--example", "--zeta", "3"],
            "--zeta",
        ),
        ("unknown_result", &["check", "theorem9"], "theorem9"),
        (
            "non_integer_t2",
            &["check", "--example", "--t2", "2.5"],
            "integer",
        ),
        ("missing", &["check", "--eta", "0.1"], "needs a value"),
        (
            "flag_of_other_result",
            &["check", "theorem3", "--example", "--d0", "1"],
            "--d0",
        ),
        (
            "bad_set",
            &["check", "--example", "--set", "eta"],
            "NAME=VALUE",
        ),
        (
            "zero_denominator",
            &["check", "--example", "--eta", "1/0"],
            "denominator",
        ),
    ];
    let mut all = String::new();
    for (name, args, needle) in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(out.is_empty(), "{name}: printed a report");
        assert!(err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        all.push_str(&format!(
            "--- {name}: sgdbounds {}\n{err}\n",
            args.join(" ")
        ));
    }
    snapshots(|| insta::assert_snapshot!("check_bad_input_errors", all));
}

#[test]
fn broken_proofs_files_are_exit_2_with_the_place() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-proofs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = include_str!("../../proofs/theorem3.toml");
    let deep = format!("{}eta{}", "(".repeat(1_000_000), ")".repeat(1_000_000));
    let cases: Vec<(&str, String, &str)> = vec![
        ("not_toml", "this is not [toml".into(), "broken"),
        (
            "syntax",
            good.replace("2*c_prime*dist2/grad2", "2*c_prime*dist2/"),
            "eta_threshold",
        ),
        (
            "unknown_name",
            good.replace("2*c_prime*dist2/grad2", "2*c_prim*dist2/grad2"),
            "c_prim",
        ),
        (
            "unknown_key",
            good.replace("[[hypothesis]]\nname", "[[hypothesis]]\nnmae = \"x\"\nname"),
            "nmae",
        ),
        (
            "duplicate",
            good.replace("name = \"grad2\"", "name = \"dist2\""),
            "twice",
        ),
        (
            "deep",
            good.replace("2*c_prime*dist2/grad2", &deep),
            "bytes long",
        ),
        (
            "not_comparison",
            good.replace("expr = \"eta > eta_threshold\"", "expr = \"eta + 1\""),
            "comparison",
        ),
        (
            "float_example",
            good.replace("eta = \"1\"", "eta = 1.5"),
            "exactly",
        ),
    ];
    let mut all = String::new();
    for (name, text, needle) in cases {
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let p = path.to_str().unwrap();
        let (code, out, err) = run(&["check", "--proofs", p, "--example"]);
        assert_eq!(code, 2, "{name}: {err}{out}");
        assert!(err.contains(needle), "{name}: {err}");
        if name != "deep" {
            all.push_str(&format!("--- {name}\n{}\n", err.replace(p, "FILE")));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    snapshots(|| insta::assert_snapshot!("check_broken_proofs_errors", all));
}

#[test]
fn a_users_proofs_file_is_checked() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-user-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.toml");
    std::fs::write(
        &path,
        r#"
[result]
name = "mine"
title = "A tighter μ"
cite = "ours"
extends = "theorem1"

[[claim]]
name = "markov_bound_below_a_tenth_of_delta2"
expr = "10*bound_T1 <= delta2"
cite = "ours"
"#,
    )
    .unwrap();
    let (code, out, err) = run(&[
        "check",
        "--proofs",
        path.to_str().unwrap(),
        "--example",
        "--json",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["results"][0]["claims"][0]["verdict"], "holds");
}

#[test]
fn help_teaches() {
    let (code, out, _) = run(&["check", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Examples:") && out.contains("Exit code"));
    snapshots(|| insta::assert_snapshot!("help_check", out));
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    snapshots(|| insta::assert_snapshot!("help_top", out));
}

/// What cannot be decided is retried at higher precision, then reported as undecided with the
/// precision reached; overflow and domain faults are named with their place, never NaN.
#[test]
fn undecided_and_undefined_are_reported_not_guessed() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/edge.toml");
    let (code, out, err) = run(&["check", "--proofs", path, "--example", "--json"]);
    assert_eq!(code, 1, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let r = &j["results"][0];
    assert_eq!(r["verdict"], "undecided");
    assert_eq!(r["precision_bits"], 4096);
    for c in r["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "undecided", "{}", c["name"]);
    }
    let huge = r["quantities"]["huge"]["undefined"].as_str().unwrap();
    assert!(
        huge.contains("overflow") && huge.contains("exp(exp(x*100))"),
        "{huge}"
    );
    let log = r["quantities"]["bad_log"]["undefined"].as_str().unwrap();
    assert!(
        log.contains("logarithm") && log.contains("line 26"),
        "{log}"
    );
    assert!(!out.contains("NaN") && !out.contains("inf"));
}

/// `verify` over every built-in proof, with a cell budget (not a time budget) so that the
/// result is the same on every machine.
#[test]
fn verify_builtin_proofs_snapshot() {
    let args = ["verify", "--max-boxes", "20000", "--budget", "1000"];
    let (code, out, err) = run(&args);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("✗ REFUTED       B1_step2"), "{out}");
    assert!(
        out.contains("✗ REFUTED       final_bound_shrinks:"),
        "{out}"
    );
    for c in [
        "step3_martingale_difference",
        "B1_step3",
        "moves_away",
        "step4_probability",
    ] {
        assert!(
            out.lines().any(|l| l.contains("✓ proved") && l.contains(c)),
            "{c} not proved"
        );
    }
    snapshots(|| insta::assert_snapshot!("verify_builtin_text", out));
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, out, _) = run(&json_args);
    assert_eq!(code, 1);
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["counts"]["refuted"], 2);
    snapshots(|| insta::assert_snapshot!("verify_builtin_json", out));
}

#[test]
fn verify_exit_codes_and_witnesses() {
    let (code, out, _) = run(&["verify", "theorem3"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(&["verify", "lemma5", "--claim", "B1_step2", "--json"]);
    assert_eq!(code, 1);
    let j: Json = serde_json::from_str(&out).unwrap();
    let c = &j["results"][0]["claims"][0];
    assert_eq!(c["status"], "refuted");
    let w = &c["witness"];
    assert!(w["point"]["m"].is_string());
    assert_eq!(w["comparisons"][0]["holds"], "false");
    assert!(c["finding"].as_str().unwrap().contains("does not follow"));
    // bad input
    for (args, needle) in [
        (vec!["verify", "nosuch"], "neither a built-in"),
        (
            vec!["verify", "theorem1", "--box", "eta=1..2"],
            "not a coordinate",
        ),
        (
            vec!["verify", "theorem1", "--box", "L=2..1"],
            "above the upper",
        ),
        (
            vec!["verify", "theorem1", "--claim", "nope"],
            "no such claim",
        ),
        (vec!["verify", "--budget=-1"], "--budget"),
        (vec!["verify", "--prec", "1"], "precision"),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn tighten_reports_a_proved_constant() {
    let (code, out, err) = run(&[
        "tighten",
        "theorem1",
        "--constant",
        "markov_factor",
        "--claim",
        "step3_start_inside_band",
        "--steps",
        "6",
        "--json",
    ]);
    // 20b/λ ≤ μ²b/λ needs only markov_factor ≤ μ² = 64 at the box's smallest μ: raising is
    // what tightening cannot do, lowering keeps it proved all the way down, to the search's
    // lower end 20/100, where the bracket's lower end is not certified (exit 1).
    assert_eq!(code, 1, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let upper = &j["bracket"]["upper"];
    assert_eq!(upper["certified"], true);
    assert_eq!(upper["value"], "0.2");
    assert_eq!(j["bracket"]["lower"]["certified"], false);
    assert_eq!(j["bracket"]["stopped"], "lower_end_proved");
    let (code, _, err) = run(&["tighten", "theorem1", "--constant", "nosuch"]);
    assert_eq!(code, 2);
    assert!(err.contains("markov_factor"), "{err}");
}

#[test]
fn help_of_every_subcommand() {
    for sub in [
        "verify", "tighten", "replay", "simulate", "estimate", "figure",
    ] {
        let (code, out, _) = run(&[sub, "--help"]);
        assert_eq!(code, 0);
        assert!(out.contains("Examples:"));
        snapshots(|| insta::assert_snapshot!(format!("help_{sub}"), out));
    }
}

/// Inputs too large for the machine or for a day's work, or malformed parts: exit 2 before any
/// work, with a message naming the problem, the flag and the figures.
#[test]
fn oversized_and_malformed_input_is_refused_before_any_work() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    // A part whose last row lost its hypotheses cell: it used to be merged as "holds".
    let part = path("part.csv");
    std::fs::write(
        &part,
        "eta,L,lambda[nearest],hypotheses\n0.01,1,0.0099,holds\n0.02,1,0.0196\n",
    )
    .unwrap();
    let quoted = path("quoted.csv");
    std::fs::write(&quoted, "eta,L,hypotheses\n0.01,\"1,holds\n").unwrap();
    let out = path("never.md");
    let mut params = String::from("[result]\nname = \"p\"\ntitle = \"p\"\ncite = \"c\"\n");
    for i in 0..1001 {
        params.push_str(&format!(
            "\n[[parameter]]\nname = \"p{i}\"\nsymbol = \"p\"\nmeaning = \"m\"\n"
        ));
    }
    let many = path("many.toml");
    std::fs::write(&many, params).unwrap();
    let trace = path("trace.csv");
    let grid = [
        "table",
        "--eta",
        "0.001..0.01:lin:100",
        "--L",
        "1..100:lin:100",
        "--c",
        "1..2:lin:100",
        "--r",
        "1..2:lin:100",
        "--d0",
        "1..2:lin:100",
        "--t2",
        "1..100:lin:100",
    ];
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["simulate", "--eta", "0.1", "--trials", "4294967296"],
            vec!["4294967296 trials (--trials)", "of memory", "available"],
        ),
        (
            vec!["simulate", "--eta", "0.1", "--dim", "1000000000"],
            vec!["--dim 1000000000", "between 1 and 1000"],
        ),
        (
            vec!["simulate", "--eta", "0.1", "--dim", "0"],
            vec!["--dim 0", "between 1 and 1000"],
        ),
        (
            vec![
                "simulate",
                "--eta",
                "0.1",
                "--objective",
                "spiky",
                "--dim",
                "2",
            ],
            vec!["--dim 2", "one variable"],
        ),
        (
            vec!["simulate", "--eta", "0.1", "--steps", "1099511627776"],
            vec![
                "1099511627776 steps",
                "3.3e15 operations",
                "limit of 1e12",
                "--max-work 3.3e15",
            ],
        ),
        (
            vec![
                "simulate",
                "--eta",
                "0.1",
                "--steps",
                "2000",
                "--trials",
                "100",
                "--max-work",
                "1e5",
            ],
            vec!["6e5 operations", "limit of 1e5", "--max-work 6e5"],
        ),
        (
            vec![
                "simulate",
                "--eta",
                "0.1",
                "--trials",
                "1",
                "--steps",
                "1099511627776",
                "--trajectories",
                &trace,
            ],
            vec!["--trajectories (--trace-trials)", "of memory"],
        ),
        (
            vec!["estimate", "--eta", "0.1", "--radius", "1e308"],
            vec!["--radius 1e308", "too large", "at most 3.352e153"],
        ),
        (
            vec![
                "estimate", "--eta", "0.1", "--points", "10000000", "--dim", "1000",
            ],
            vec!["10000000 points (--points)", "of memory"],
        ),
        (
            vec![
                "estimate",
                "--eta",
                "0.1",
                "--objective",
                "x^4",
                "--points",
                "1000000",
                "--draws",
                "100000000",
            ],
            vec!["100000000 draws (--draws)", "--max-work"],
        ),
        (
            grid.iter()
                .copied()
                .chain(["--out", out.as_str()])
                .collect(),
            vec!["1000000000000 rows", "cells", "limit of 1e9", "--max-cells"],
        ),
        (
            vec!["table", "--merge", &part, "--out", &out],
            vec![", line 3: the row has 3 cells, the header 4"],
        ),
        (
            vec!["table", "--merge", &quoted],
            vec![", line 2: a quoted cell is not closed"],
        ),
        // a precision past 32 bits was once wrapped to 256 when joining parts
        (
            vec!["table", "--merge", &part, "--prec", "4294967552"],
            vec!["--prec 4294967552 is out of range"],
        ),
        (
            vec!["verify", "theorem3", "--max-boxes", "1000000000000"],
            vec!["--max-boxes 1000000000000", "of memory"],
        ),
        (
            vec!["check", "--proofs", &many, "--example"],
            vec!["1001 parameters; at most 1000"],
        ),
        (
            vec!["simulate", "--eta", "0.1", "--max-work", "0"],
            vec!["at least 1"],
        ),
    ];
    for (args, needles) in &cases {
        let (code, stdout, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(stdout.is_empty(), "{args:?}: printed {stdout}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: no `{n}` in {err}");
        }
    }
    // Nothing was written for the refused tables (the output is opened only once the input
    // is good), and a run within a raised limit goes through.
    assert!(!std::path::Path::new(&out).exists());
    assert!(!std::path::Path::new(&trace).exists());
    let (code, _, err) = run(&[
        "simulate",
        "--eta",
        "0.1",
        "--steps",
        "2000",
        "--trials",
        "100",
        "--max-work",
        "6e5",
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn verify_writes_a_certificate_that_replay_accepts() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("c.json");
    let p = cert.to_str().unwrap();
    let (code, _, err) = run(&[
        "verify",
        "theorem1",
        "--claim",
        "step4_start_term",
        "--claim",
        "step2_decay_below_exponential",
        "--certificate",
        p,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("certificate: 2 proved claims written"),
        "{err}"
    );
    let (code, out, err) = run(&["replay", p]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 valid, 0 invalid"), "{out}");
    let (code, out, _) = run(&["replay", p, "--json"]);
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["all_valid"], true);
    // a tampered statement: invalid, exit 1, the cell named
    let text = std::fs::read_to_string(&cert).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        text.replace("1 - lam <= exp(-lam)", "1 - lam/2 <= exp(-lam)"),
    )
    .unwrap();
    let (code, out, _) = run(&["replay", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("invalid") && out.contains("cell root"),
        "{out}"
    );
    // bad input: exit 2 with the file and what is wrong
    std::fs::write(&bad, "{\"format\": 3}").unwrap();
    let (code, _, err) = run(&["replay", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json") && err.contains("not a certificate"),
        "{err}"
    );
    let (code, _, err) = run(&["replay", dir.join("missing.json").to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&[
        "verify",
        "theorem1",
        "--claim",
        "step4_start_term",
        "--certificate",
        "/nonexistent-dir/c.json",
    ]);
    assert_eq!(code, 2, "{err}");
    for bad in ["5/4", "0/4", "x", "1/100000"] {
        let (code, _, err) = run(&["verify", "theorem1", "--shard", bad]);
        assert_eq!(code, 2, "--shard {bad}: {err}");
        assert!(err.contains("--shard"), "{err}");
    }
    let (code, _, err) = run(&["replay", p, p]);
    assert_eq!(code, 2);
    assert!(err.contains("--merge"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_writes_a_certificate_of_its_verdicts_that_replay_re_decides() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-ptcert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = dir.join("pt.json");
    let p = cert.to_str().unwrap();
    // a point where everything holds, one where a hypothesis fails (η > 1/(2L))
    for (args, code_check) in [
        (vec!["check", "--example"], 0),
        (
            vec![
                "check", "--eta", "0.6", "--L", "1", "--c", "0.5", "--r", "1", "--d0", "1", "--t2",
                "1e6",
            ],
            1,
        ),
    ] {
        let mut a = args.clone();
        a.extend(["--certificate", p]);
        let (code, _, err) = run(&a);
        assert_eq!(code, code_check, "{err}");
        let (code, out, err) = run(&["replay", p]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("2 valid, 0 invalid"), "{out}");
    }
    // a verdict flipped, or the point moved: invalid, the statement named
    let text = std::fs::read_to_string(&cert).unwrap();
    let mut j: serde_json::Value = serde_json::from_str(&text).unwrap();
    let v = &mut j["points"][0]["verdicts"][0]["holds"];
    *v = serde_json::Value::Bool(!v.as_bool().unwrap());
    std::fs::write(&cert, j.to_string()).unwrap();
    let (code, out, _) = run(&["replay", p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("is said to"), "{out}");
    let mut j: serde_json::Value = serde_json::from_str(&text).unwrap();
    j["points"][0]["point"][0][1] = serde_json::Value::String("1/100".into());
    std::fs::write(&cert, j.to_string()).unwrap();
    let (code, out, _) = run(&["replay", p]);
    assert_eq!(code, 1, "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The library's `execute` gives the report as text and JSON without printing, the same as the
/// command line prints; a usage error is an error, not an exit (the Python package relies on
/// both).
#[test]
fn execute_gives_what_the_command_line_prints() {
    use sgdbounds::cli::{execute, try_parse_from};
    let words = |w: &[&str]| {
        std::iter::once("sgdbounds")
            .chain(w.iter().copied())
            .map(std::ffi::OsString::from)
            .collect::<Vec<_>>()
    };
    for args in [
        &["check", "--example"][..],
        &["check", "--example", "--json"],
    ] {
        let o = execute(try_parse_from(words(args)).unwrap(), true).unwrap();
        let out = bin().args(args).output().unwrap();
        assert_eq!(o.code, 0);
        assert!(
            o.printed().as_bytes() == &out.stdout[..],
            "{args:?} differs"
        );
        assert!(o.json.is_some() && !o.text.is_empty());
    }
    // a table that would go to standard output is kept
    let t = execute(
        try_parse_from(words(&[
            "table", "--eta", "0.01", "--L", "1", "--c", "0.5", "--r", "1", "--d0", "1", "--t2",
            "1e6", "--format", "csv",
        ]))
        .unwrap(),
        true,
    )
    .unwrap();
    assert!(
        t.text.starts_with("eta,") && t.text.lines().count() == 2,
        "{}",
        t.text
    );
    // clap's errors are errors with clap's message
    match try_parse_from(words(&["check", "--frobnicate"])) {
        Err(sgdbounds::Error::CommandLine(m)) => assert!(m.contains("--frobnicate"), "{m}"),
        other => panic!("{other:?}"),
    }
    // simulate keeps the trajectories in memory only when asked by a caller that keeps
    let s = execute(
        try_parse_from(words(&[
            "simulate",
            "--eta",
            "0.1",
            "--steps",
            "5",
            "--trials",
            "2",
            "--trajectories",
            "-",
        ]))
        .unwrap(),
        true,
    )
    .unwrap();
    let csv = s.kept.unwrap();
    assert!(
        csv.starts_with("trial,stage,t,x1,dist2_y") && csv.lines().count() == 11,
        "{csv}"
    );
    let out = bin()
        .args(["simulate", "--eta", "0.1", "--trajectories", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give a file name"));
}

/// A closed standard output (`| head`) ends the command quietly, for reports and for tables
/// streamed row by row.
#[test]
fn a_closed_standard_output_ends_quietly() {
    use std::process::Stdio;
    for args in [
        vec!["check", "--example"],
        vec![
            "table",
            "--eta",
            "1e-4..1e-1:log:200000",
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
            "--format",
            "csv",
        ],
    ] {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away at once
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{err}"
        );
    }
}

/// `--literal`: the statements as the paper prints them, and what breaks. T₂ = 0.3 (the paper's
/// "any T₂ > 0", refused by the repaired reading) leaves μ undefined (log ζ < 0 under a square
/// root); the two-sided Azuma bound makes the theorem's probability 0.9·(1 − 2T₂/ζ) = 0.1
/// exactly, so its claim "≥ 1/2" fails; λ·‖y₀ − x*‖² < b makes the real T1 bound negative
/// (T1 = −468.19…), which no number of steps is; the start at x* (‖y₀ − x*‖² = 0) leaves the
/// bound undefined (log 0). Each difference between the readings is listed; `table --literal`
/// lists them on standard error.
#[test]
fn literal_reading_shows_what_breaks() {
    let base = [
        "check",
        "theorem1",
        "--literal",
        "--eta",
        "0.01",
        "--L",
        "1",
        "--c",
        "0.5",
        "--r",
        "1",
    ];
    let at = |d0: &str, t2: &str| -> (i32, Json) {
        let mut a = base.to_vec();
        a.extend_from_slice(&["--d0", d0, "--t2", t2, "--json"]);
        let (code, out, err) = run(&a);
        (
            code,
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}")),
        )
    };
    let (code, j) = at("1", "0.3");
    assert_eq!(code, 1);
    assert_eq!(j["literal_reading"].as_array().unwrap().len(), 4);
    let r = &j["results"][0];
    assert!(
        r["quantities"]["mu"]["undefined"]
            .as_str()
            .unwrap()
            .contains("square root of a negative")
    );
    assert_eq!(r["quantities"]["probability"]["exact"], "0.1");
    let claim = |name: &str| {
        r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["verdict"]
            .clone()
    };
    assert_eq!(claim("probability_at_least_half"), "fails");
    let (_, j) = at("0.0001", "1000");
    let r = &j["results"][0];
    let t1: f64 = r["quantities"]["T1"]["lo"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((-468.2..-468.19).contains(&t1), "{t1}");
    assert_eq!(
        r["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "T1_admissible")
            .unwrap()["verdict"],
        "fails"
    );
    let (_, j) = at("0", "1000");
    assert!(
        j["results"][0]["quantities"]["T1"]["undefined"]
            .as_str()
            .unwrap()
            .contains("logarithm")
    );
    // the repaired reading refuses T₂ = 0.3, and has no literal_reading
    let (code, _, err) = run(&[
        "check", "theorem1", "--eta", "0.01", "--L", "1", "--c", "0.5", "--r", "1", "--d0", "1",
        "--t2", "0.3",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("integer"), "{err}");
    let (code, out, err) = run(&[
        "table",
        "theorem1",
        "--literal",
        "--set",
        "eta=0.01",
        "--set",
        "L=1",
        "--set",
        "c=0.5",
        "--set",
        "r=1",
        "--set",
        "d0=1",
        "--set",
        "t2=0.1",
        "--columns",
        "t2,mu,probability",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("undefined") && out.contains("0.1"), "{out}");
    assert_eq!(err.matches("literal reading:").count(), 4, "{err}");
    // Corollary 2's second step count as typeset, log(20)/λ′, does not depend on where the
    // stage starts (the first stage's bound 20b/λ, here moved by the first step size η), and
    // is too short for the stage to contract from there
    let cor = |eta: &str, literal: bool| -> Json {
        let mut a = vec!["check", "corollary2", "--example", "--eta", eta, "--json"];
        if literal {
            a.push("--literal");
        }
        let (_, out, err) = run(&a);
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"))
    };
    let steps = |j: &Json| j["results"][0]["quantities"]["T2_stage"]["lo"].clone();
    assert_eq!(steps(&cor("0.01", true)), steps(&cor("0.02", true)));
    assert_ne!(steps(&cor("0.01", false)), steps(&cor("0.02", false)));
    let j = cor("0.01", true);
    let contracts = j["results"][0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "stage2_contracts")
        .unwrap()["verdict"]
        .clone();
    assert_eq!(contracts, "fails");
}
