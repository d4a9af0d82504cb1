//! Helpers shared by the suite: running the built binary, and insta's settings (snapshots live
//! in the top-level `snapshots/` folder).

use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sgdbounds"))
}

/// Runs `sgdbounds ARGS…` and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = bin().args(args).output().expect("the binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).expect("stdout is UTF-8"),
        String::from_utf8(stderr).expect("stderr is UTF-8"),
    )
}

/// Runs `f` with insta writing to and reading from `snapshots/` at the top of the repository.
pub fn snapshots<R>(f: impl FnOnce() -> R) -> R {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(f)
}

/// Claim `c` of theory `t` verified over its file's box, with `opts`.
pub fn verify_claim_of(
    t: &sgdbounds::theory::Theory,
    c: usize,
    opts: &sgdbounds::verify::VerifyOptions,
) -> sgdbounds::verify::ClaimOutcome {
    use sgdbounds::theory::{Mode, Model};
    let m = Model::compile_for(t.for_claim(c), Mode::Verify).unwrap();
    let free = Model::compile_for(t.clone(), Mode::Free).unwrap();
    let none = std::collections::BTreeMap::new();
    sgdbounds::verify::verify_claim(
        &m,
        &free,
        c,
        &none,
        &std::collections::BTreeMap::new(),
        opts,
    )
    .unwrap()
}

/// The index of the claim named `name` in a proofs file's text, with the parsed theory.
pub fn theory_and_claim(text: &str, name: &str) -> (sgdbounds::theory::Theory, usize) {
    let t = sgdbounds::theory::Theory::parse(text, "test.toml").expect("parses");
    let c = t
        .claims
        .iter()
        .position(|x| x.name == name)
        .expect("claim exists");
    (t, c)
}

/// Claim `c`'s truth at an exact point of its parameters, in exact rational arithmetic: `None`
/// where a side is undefined there (or not rational).
pub fn exact_truth(
    t: &sgdbounds::theory::Theory,
    c: usize,
    point: &[rug::Rational],
) -> Option<bool> {
    use sgdbounds::theory::{Mode, Model};
    let m = Model::compile_for(t.clone(), Mode::Free).unwrap();
    let mut inputs = point.to_vec();
    inputs.extend(m.constant_values());
    let mut ev = sgdbounds::expr::RationalEval::new(&m.tape);
    ev.run(&m.tape, &inputs);
    let mut all = true;
    for p in &m.claims[c].parts {
        let (a, b) = (ev.get(p.lhs)?, ev.get(p.rhs)?);
        all &= p.op.holds(a, b);
    }
    Some(all)
}
