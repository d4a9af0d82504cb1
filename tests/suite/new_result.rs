//! A result added as one TOML file only (`tests/data/descent.toml`, not in the paper): its
//! parameters get the flags its file declares (`--step`, `--grad-sq`), with help drawn from
//! the file, in `check`, `table` and `verify`, exactly as a built-in result's do.

use super::common::run;
use serde_json::Value as Json;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/descent.toml");

#[test]
fn check_takes_the_files_own_flags() {
    let (code, out, err) = run(&[
        "check",
        "--proofs",
        FILE,
        "--step",
        "0.1",
        "--L",
        "2",
        "--grad-sq",
        "3",
        "--k",
        "4",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let r = &j["results"][0];
    assert_eq!(r["result"], "descent");
    // decrease = η(1 − Lη/2)·g2 = 0.1·0.9·3 = 0.27 exactly; total = 4·0.27
    assert_eq!(r["quantities"]["decrease"]["exact"], "0.27");
    assert_eq!(r["quantities"]["total"]["exact"], "1.08");
    for c in r["claims"].as_array().unwrap() {
        assert_eq!(c["verdict"], "holds", "{c}");
    }
    // The hypothesis fails at ηL = 1.2: exit 1, not a crash or a usage error.
    let (code, out, _) = run(&[
        "check",
        "--proofs",
        FILE,
        "--step",
        "0.6",
        "--L",
        "2",
        "--grad-sq",
        "3",
        "--k",
        "4",
    ]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn check_help_and_errors_come_from_the_file() {
    let (code, out, _) = run(&["check", "--proofs", FILE, "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Parameters of descent:"), "{out}");
    assert!(out.contains("--step <X>") && out.contains("step size of gradient descent"));
    assert!(out.contains("--grad-sq <X>") && out.contains("g2 >= 0"));
    assert!(
        out.contains("--k <N>") && out.contains("an integer"),
        "{out}"
    );
    // the built-in results' flags are not listed for this file
    assert!(
        !out.contains("--eta <X>") && !out.contains("--t2 <N>"),
        "{out}"
    );
    // A parameter's name instead of its flag, and a missing parameter: exit 2, named.
    let (code, _, err) = run(&["check", "--proofs", FILE, "--eta", "0.1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--eta is not a parameter of descent") && err.contains("--step"));
    let (code, _, err) = run(&["check", "--proofs", FILE, "--step", "0.1", "--L", "2"]);
    assert_eq!(code, 2);
    assert!(err.contains("--grad-sq"), "{err}");
    // An integer parameter with a non-integer value.
    let (code, _, err) = run(&[
        "check",
        "--proofs",
        FILE,
        "--step",
        "0.1",
        "--L",
        "2",
        "--grad-sq",
        "3",
        "--k",
        "1.5",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--k"), "{err}");
}

#[test]
fn a_flag_that_is_an_option_of_the_command_is_refused() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-flags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clash.toml");
    let text = std::fs::read_to_string(FILE)
        .unwrap()
        .replace("flag = \"step\"", "flag = \"prec\"");
    std::fs::write(&path, text).unwrap();
    let (code, _, err) = run(&["check", "--proofs", path.to_str().unwrap(), "--prec", "1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--prec") && err.contains("clash.toml") && err.contains("another `flag`"),
        "{err}"
    );
}

#[test]
fn verify_proves_the_files_claims() {
    let (code, out, err) = run(&["verify", FILE, "--json"]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["counts"]["proved"], 2, "{out}");
    assert_eq!(j["results"][0]["result"], "descent");
}

#[test]
fn the_built_in_results_are_the_files_in_proofs_in_their_declared_order() {
    let names = sgdbounds::theory::builtin_names();
    assert_eq!(names, ["theorem1", "lemma5", "corollary2", "theorem3"]);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/proofs");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    files.sort();
    let mut sorted: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    sorted.sort();
    assert_eq!(files, sorted);
    // each built-in file's [result] name is its file name
    for n in names {
        assert_eq!(sgdbounds::theory::Theory::builtin(n).unwrap().name, n);
    }
}

#[test]
fn table_takes_the_files_own_flags() {
    let (code, out, err) = run(&[
        "table",
        "--proofs",
        FILE,
        "--step",
        "0.1,0.2",
        "--L",
        "2",
        "--grad-sq",
        "1..3:lin:3",
        "--k",
        "4",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "eta,L,g2,k,decrease[down],total[down],a_third_of_the_gradient_step,k_steps,hypotheses"
    );
    assert_eq!(lines.len(), 7, "{out}");
    // η = 0.2, g2 = 3: decrease = 0.2·(1 − 0.2)·3 = 0.48 exactly
    assert_eq!(lines[6], "0.2,2,3,4,0.48,1.92,holds,holds,holds");
    // its help lists its parameters as table axes; a built-in flag is refused by name
    let (code, help, _) = run(&["table", "--proofs", FILE, "--help"]);
    assert_eq!(code, 0);
    assert!(
        help.contains("--step <SPEC>") && help.contains("--grad-sq <SPEC>"),
        "{help}"
    );
    let (code, _, err) = run(&["table", "--proofs", FILE, "--t2", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--t2 is not a parameter of descent"), "{err}");
}

#[test]
fn a_result_beside_proofs_is_refused_before_the_file_is_read() {
    let (code, _, err) = run(&["check", "theorem1", "--proofs", "/nonexistent/x.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("give either a RESULT or --proofs FILE, not both"),
        "{err}"
    );
}
