//! `sgdbounds replay`: a certificate re-checked by the independent kernel.

use crate::error::{Error, Result};
use crate::report::replay::ReplayReport;
use clap::Args;

/// Re-check a certificate written by `verify --certificate` with the independent kernel.
///
/// The kernel (the crate `sgdbounds-replay`, README "Certificates") does not call the prover:
/// it re-parses each claim's statement from its text with its own parser, re-proves the
/// scalings' invariance by its own degree inference, checks that the pieces and the tree of
/// cells cover the domain, and settles every leaf again with its own interval arithmetic over
/// MPFR: a hypothesis certainly false, the claim certainly true (plainly, after fixing monotone
/// coordinates at their worst end, or by the mean-value form), with derivatives it takes
/// itself. Each claim is valid (every leaf settled again), incomplete (some leaves were settled
/// by a method the kernel does not replay, the normal form or the claim's cases, and its own
/// methods do not settle them), or invalid (the first cell that fails, and why).
///
/// Examples:
///
///   sgdbounds verify --certificate all.cert.json
///   sgdbounds replay all.cert.json
///
/// Exit code: 0 when every claim is valid, 1 otherwise, 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReplayArgs {
    /// The certificate (JSON)
    pub file: std::path::PathBuf,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
}

/// The largest certificate read.
const MAX_BYTES: u64 = 1 << 30;

pub fn run(args: ReplayArgs) -> Result<i32> {
    let path = args.file.display().to_string();
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let size = std::fs::metadata(&args.file).map_err(io)?.len();
    if size > MAX_BYTES {
        return Err(Error::Malformed {
            path,
            line: 1,
            message: format!("a certificate of {size} bytes (at most {MAX_BYTES})"),
        });
    }
    let text = std::fs::read_to_string(&args.file).map_err(io)?;
    let cert: sgdbounds_replay::Certificate =
        serde_json::from_str(&text).map_err(|e| Error::Malformed {
            path: path.clone(),
            line: e.line(),
            message: format!("not a certificate: {e}"),
        })?;
    let claims = sgdbounds_replay::replay(&cert).map_err(|message| Error::Malformed {
        path: path.clone(),
        line: 1,
        message,
    })?;
    let report = ReplayReport::new(&path, &claims);
    if args.output.is_json() {
        super::print_json(&report);
    } else {
        print!("{}", report.text());
    }
    Ok(if report.all_valid { 0 } else { 1 })
}
