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

/// Prints a report as pretty JSON on standard output.
pub(crate) fn print_json<T: serde::Serialize>(report: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(report).expect("a report serializes")
    );
}

/// Runs the parsed command; returns the exit code (0 or 1). Errors are bad input (exit 2).
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Tighten(args) => tighten::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Table(args) => table::run(args),
        Command::Simulate(args) => simulate::run_cmd(args),
        Command::Estimate(args) => estimate::run(args),
        Command::Figure(args) => figure::run_cmd(args),
    }
}
