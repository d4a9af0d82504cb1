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
/// coordinates at their worst end, by the mean-value form, through a normal form whose
/// identity with the claim its own exact algebra checks, case by case over the claim's minima
/// and maxima, or as an identity of its sides), with derivatives it takes itself. Each claim
/// is valid (every leaf settled again) or invalid (the first cell that fails, and why).
///
/// Examples:
///
///   sgdbounds verify --certificate all.cert.json
///   sgdbounds replay all.cert.json
///
///   sgdbounds verify --shard 1/4 --certificate part-1.json   (and 2/4, 3/4, 4/4)
///   sgdbounds replay --merge part-*.json
///
/// Exit code: 0 when every claim is valid, 1 otherwise, 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ReplayArgs {
    /// The certificate (JSON); with --merge, the certificates of the shards of one run
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Merge the files' claims (shards of `verify --shard K/N`) and check that together they
    /// cover each claim's domain; a missing shard is reported as the part left uncovered
    #[arg(long)]
    pub merge: bool,
    #[command(flatten)]
    pub output: super::args::ReportFormat,
}

/// The largest certificate read.
const MAX_BYTES: u64 = 1 << 30;

pub fn run(args: ReplayArgs) -> Result<super::Outcome> {
    if args.files.len() > 1 && !args.merge {
        return Err(crate::error::Usage::at(
            "replay",
            "several certificates: give --merge to replay them as the shards of one run, or one file",
        )
        .into());
    }
    let mut certs = Vec::with_capacity(args.files.len());
    for f in &args.files {
        certs.push(read(f)?);
    }
    let name = args
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ");
    let cert = if args.merge {
        sgdbounds_replay::merge(certs).map_err(|message| Error::Malformed {
            path: name.clone(),
            line: 1,
            message,
        })?
    } else {
        certs.pop().expect("one file")
    };
    sgdbounds_replay::readable(&cert).map_err(|message| Error::Malformed {
        path: name.clone(),
        line: 1,
        message,
    })?;
    // claims are independent: replayed in parallel, reported in the certificate's order
    use rayon::prelude::*;
    let claims: Vec<_> = cert
        .claims
        .par_iter()
        .map(sgdbounds_replay::replay_claim)
        .collect();
    let points = sgdbounds_replay::replay_points(&cert);
    let report = ReplayReport::new(&name, &claims, &points);
    let code = if report.all_valid { 0 } else { 1 };
    Ok(super::Outcome::report(
        code,
        report.text(),
        super::json_text(&report),
        args.output.is_json(),
    ))
}

/// Reads one certificate file: at most [`MAX_BYTES`], JSON of the certificate format.
fn read(file: &std::path::Path) -> Result<sgdbounds_replay::Certificate> {
    let path = file.display().to_string();
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > MAX_BYTES {
        return Err(Error::Malformed {
            path,
            line: 1,
            message: format!("a certificate of {size} bytes (at most {MAX_BYTES})"),
        });
    }
    let text = std::fs::read_to_string(file).map_err(io)?;
    serde_json::from_str(&text).map_err(|e| Error::Malformed {
        path: path.clone(),
        line: e.line(),
        message: format!("not a certificate: {e}"),
    })
}
