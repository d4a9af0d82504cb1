//! The command line: clap definitions, one file per subcommand, each calling the library.

pub mod args;
pub mod check;
pub mod estimate;
pub mod figure;
pub mod params;
pub mod replay;
pub mod simulate;
pub mod table;
pub mod tighten;
pub mod verify;

use crate::error::Result;
use clap::{Parser, Subcommand};

pub use params::parse_from;

/// Certified constants of "An Alternative View: When Does SGD Escape Local Minima?"
/// (Kleinberg, Li, Yuan, ICML 2018).
///
/// Every number printed is a certified enclosure computed with interval arithmetic over MPFR
/// (outward rounding) or exact rationals; every verdict is holds, fails or undecided.
/// Exit codes: 0 everything holds, 1 something fails or is undecided, 2 bad input.
#[derive(Debug, Parser)]
#[command(name = "sgdbounds", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum Command {
    Check(check::CheckArgs),
    Verify(verify::VerifyArgs),
    Tighten(tighten::TightenArgs),
    Replay(replay::ReplayArgs),
    Table(table::TableArgs),
    Simulate(simulate::SimulateArgs),
    Estimate(estimate::EstimateArgs),
    Figure(figure::FigureArgs),
}

/// The progress bar of a subcommand's long loop (see [`args::progress_bar`]).
pub(crate) fn progress_bar(len: u64, unit: &str) -> indicatif::ProgressBar {
    args::progress_bar(len, unit, false)
}

/// Reads a limit flag's value (`1000000`, `1e12`, `2^40`).
pub(crate) fn count_arg(s: &str) -> std::result::Result<u128, String> {
    crate::limits::parse_count(s)
}

/// A report as pretty JSON, ending in a newline.
pub(crate) fn json_text<T: serde::Serialize>(report: &T) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report serializes");
    s.push('\n');
    s
}

/// What a subcommand produced, for a caller that prints it (the command line, [`run`]) or
/// keeps it (the Python package, through [`execute`]).
#[derive(Debug, Default)]
pub struct Outcome {
    /// The exit code: 0 everything holds or was written, 1 something fails, is refuted, not
    /// applicable or undecided (bad input is an error, exit code 2).
    pub code: i32,
    /// The report as text; for `table`, the table as written when it was kept, or the
    /// comparison of `--check`.
    pub text: String,
    /// The report as JSON, when it has one (for `table`, when the table is JSON).
    pub json: Option<String>,
    /// Lines for standard error: the files written.
    pub notes: Vec<String>,
    /// Data kept in memory instead of a file, when asked with `keep` (`simulate
    /// --trajectories -`: the trajectories as CSV).
    pub kept: Option<String>,
    /// Whether the command line asked for JSON (`--json`, `--format json`).
    pub wants_json: bool,
}

impl Outcome {
    /// A report with both renderings.
    pub(crate) fn report(code: i32, text: String, json: String, wants_json: bool) -> Outcome {
        Outcome {
            code,
            text,
            json: Some(json),
            notes: Vec::new(),
            kept: None,
            wants_json,
        }
    }

    /// What the command line prints on standard output.
    pub fn printed(&self) -> &str {
        match (&self.json, self.wants_json) {
            (Some(j), true) => j,
            _ => &self.text,
        }
    }
}

/// Parses the command line without exiting: clap's messages (usage, `--help`, `--version`)
/// become [`Error::CommandLine`] with clap's text. For callers inside another program, such as
/// the Python package; the command line itself uses [`parse_from`].
pub fn try_parse_from(argv: Vec<std::ffi::OsString>) -> Result<Cli> {
    params::try_parse_from(argv)
}

/// Runs the parsed command and gives what it produced, printing nothing on standard output;
/// with `keep`, a table that would go to standard output is kept in [`Outcome::text`], and
/// `simulate --trajectories -` keeps the trajectories in [`Outcome::kept`]. A run
/// stopped from outside ([`crate::stop`]) is [`Error::Stopped`], never a report.
pub fn execute(cli: Cli, keep: bool) -> Result<Outcome> {
    let outcome = match cli.command {
        Command::Check(args) => check::run(args)?,
        Command::Verify(args) => verify::run(args)?,
        Command::Tighten(args) => tighten::run(args)?,
        Command::Replay(args) => replay::run(args)?,
        Command::Table(args) => table::run(args, keep)?,
        Command::Simulate(args) => simulate::run_cmd(args, keep)?,
        Command::Estimate(args) => estimate::run(args)?,
        Command::Figure(args) => figure::run_cmd(args)?,
    };
    crate::stop::check()?;
    Ok(outcome)
}

/// Runs the parsed command, printing its report on standard output and the files it wrote on
/// standard error; returns the exit code (0 or 1). Errors are bad input (exit 2). A closed
/// standard output (`| head`) ends the printing quietly.
pub fn run(cli: Cli) -> Result<i32> {
    let outcome = match execute(cli, false) {
        // a table streamed into a pipe that was closed (`| head`)
        Err(crate::error::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            return Ok(0);
        }
        o => o?,
    };
    for note in &outcome.notes {
        eprintln!("{note}");
    }
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out
        .write_all(outcome.printed().as_bytes())
        .and_then(|()| out.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::error::Error::Io {
            path: "standard output".into(),
            source: e,
        }),
        _ => Ok(outcome.code),
    }
}
