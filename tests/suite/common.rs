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
