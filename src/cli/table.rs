//! `sgdbounds table`: certified bound tables for papers. Parses the arguments and calls the
//! library ([`crate::table`]); the report's table writer renders.

use super::progress_bar;
use crate::error::{Error, Result};
use crate::limits::check_precision;
use crate::report::table::{Writer, comparison_text};
use crate::table::{Comparison, Finished, Format, Job, Output, Request, read_parts};
use crate::theory::{Model, Theory};
use clap::Args;
use std::collections::BTreeMap;

/// Tabulate a result of the paper over a grid or a sweep file, every number certified.
///
/// Each axis is a value, a list or a range: `--eta 1e-4..1e-1:log:10` (10 log-spaced points,
/// ends included), `--L 1,10,100`, `--c 0.01..10:lin:4`, `--r 1`. Every parameter of the
/// result must be given, on the command line (`--set NAME=SPEC` for any) or in a sweep file.
/// Numbers show --digits significant digits, rounded in the direction that keeps a bound a
/// bound (upper bounds up, lower bounds down, other quantities correctly rounded); the
/// header or caption says which. Rows where a hypothesis fails are kept and marked (†).
///
/// Examples:
///
///   sgdbounds table --eta 1e-4..1e-1:log:4 --L 1,10 --c 0.5 --r 1 --d0 1 --t2 1e6
///
///   sgdbounds table --sweep sweep.toml --format latex --caption "Bounds" --label tab:bounds
///
///   sgdbounds table ... --format csv --shard 3/8 --out part3.csv
///
///   sgdbounds table --merge part1.csv part2.csv --format markdown
///
///   sgdbounds table ... --format latex --check paper/table.tex
///
/// Exit code: 0 written (or, with --check, identical), 1 --check found a difference, 2 bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct TableArgs {
    #[command(flatten)]
    pub choice: super::args::ResultChoice,
    /// The same as RESULT
    #[arg(long = "result", value_name = "NAME", conflicts_with = "result")]
    pub result_flag: Option<String>,
    /// Any parameter by name (repeatable): NAME=SPEC
    #[arg(long = "set", value_name = "NAME=SPEC")]
    pub set: Vec<String>,
    /// A TOML ([[row]] tables) or JSON ({"row": [...]}) file of parameter sets
    #[arg(long, value_name = "FILE")]
    pub sweep: Option<String>,
    /// Columns, by their names in the proofs file [default: parameters, quantities, claims]
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub columns: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// The same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Significant digits
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: u32,
    #[command(flatten)]
    pub precision: super::args::EvalPrecision,
    /// LaTeX/Markdown caption
    #[arg(long)]
    pub caption: Option<String>,
    /// LaTeX label
    #[arg(long)]
    pub label: Option<String>,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
    /// Compute only part K of N (rows split into N contiguous parts), e.g. for a job array
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Join parts written as csv or json (in the order given) into one table of --format
    #[arg(long, value_name = "FILES", num_args = 1..)]
    pub merge: Vec<String>,
    /// Regenerate the table and compare it with FILE: exit 0 when they agree, 1 otherwise
    #[arg(long, value_name = "FILE")]
    pub check: Option<String>,
    /// Take the statements as the paper prints them (see `sgdbounds check --literal`); each
    /// difference from the repaired reading is listed on standard error
    #[arg(long)]
    pub literal: bool,
    /// Refuse a table of more than N cells (rows × columns, of this shard); raise it for
    /// larger tables
    #[arg(long, value_name = "N", default_value = "1e9", value_parser = super::count_arg)]
    pub max_cells: u128,
    /// The parameters given by their flags (generated from the proofs file), by flag.
    #[arg(skip)]
    pub params: BTreeMap<String, String>,
}

/// The axes given by flags and `--set`, by parameter name; a flag or `--set` that names no
/// parameter of `t`, or a `--set` without `=`, is a usage error.
fn axes(args: &TableArgs, t: &Theory) -> Result<BTreeMap<String, String>> {
    let mut specs = BTreeMap::new();
    for (k, v) in &args.params {
        let Some(p) = t.parameters.iter().find(|p| &p.flag == k) else {
            let e = crate::error::Usage::UnknownFlag {
                name: k.to_string(),
                of: t.name.clone(),
                takes: None,
                set: false,
            };
            return Err(e.into());
        };
        specs.insert(p.name.clone(), v.clone());
    }
    for s in &args.set {
        let e = || Error::from(crate::error::Usage::malformed("--set", s, "NAME=SPEC"));
        let (k, v) = s.split_once('=').ok_or_else(e)?;
        if t.parameter(k.trim()).is_none() {
            let e = crate::error::Usage::UnknownFlag {
                name: k.to_string(),
                of: t.name.clone(),
                takes: None,
                set: true,
            };
            return Err(e.into());
        }
        specs.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(specs)
}

pub fn run(mut args: TableArgs, keep: bool) -> Result<super::Outcome> {
    if args.json {
        args.format = Format::Json;
    }
    let output = Output::new(args.out.clone(), args.check.clone(), args.format).keeping(keep);
    let (caption, label) = (args.caption.clone(), args.label.clone());
    let prec = check_precision(args.precision.prec)?;
    if !args.merge.is_empty() {
        let digits = args.digits as usize;
        let merged = read_parts(&args.merge, digits, prec, caption, label)?;
        let (mut sink, meta) = (output.open()?, merged.meta.clone());
        merged.write(&mut Writer::new(&mut sink, args.format, meta))?;
        // joined parts are written (with --check, dropped), not compared
        let done = match sink.finish()? {
            Some(bytes) if args.check.is_none() => Finished::Kept(bytes),
            _ => Finished::Written,
        };
        return Ok(finished(done, &args));
    }
    let named = args.choice.result.as_ref().or(args.result_flag.as_ref());
    let theory = match (&args.choice.proofs, named) {
        (Some(_), Some(_)) => {
            return Err(crate::error::Usage::exclusive("a RESULT", "--proofs FILE").into());
        }
        (Some(p), None) => Theory::from_path(p)?,
        (None, name) => {
            Theory::builtin(name.map_or(super::args::TABLE_DEFAULT_RESULT, String::as_str))?
        }
    };
    let mut literal_notes = Vec::new();
    let model = if args.literal {
        literal_notes = theory
            .literal_differences()
            .into_iter()
            .map(|l| format!("literal reading: {l}"))
            .collect();
        Model::compile(theory.literal())?
    } else {
        Model::compile(theory)?
    };
    let request = Request {
        axes: axes(&args, &model.theory)?,
        sweep: args.sweep.clone(),
        columns: args.columns.clone(),
        digits: args.digits as usize,
        prec,
        shard: args.shard.clone(),
        max_cells: args.max_cells,
        check: args.check.is_some(),
        caption,
        label,
    };
    let job = Job::new(&model, &request, &progress_bar)?;
    let mut sink = output.open()?;
    job.write(
        &mut Writer::new(&mut sink, args.format, job.meta.clone()),
        &progress_bar,
    )?;
    let mut outcome = finished(output.finish(sink)?, &args);
    outcome.notes.splice(0..0, literal_notes);
    Ok(outcome)
}

/// The outcome of a table that was written, kept or compared.
fn finished(f: Finished, args: &TableArgs) -> super::Outcome {
    let mut outcome = super::Outcome {
        wants_json: args.format == Format::Json,
        ..Default::default()
    };
    match f {
        Finished::Written => {
            if let Some(path) = &args.out {
                outcome.notes.push(format!("table written to {path}"));
            }
        }
        Finished::Kept(bytes) => {
            outcome.text = String::from_utf8_lossy(&bytes).into_owned();
            if args.format == Format::Json {
                outcome.json = Some(outcome.text.clone());
            }
        }
        Finished::Compared(c) => {
            outcome.text = comparison_text(args.check.as_deref().unwrap_or(""), &c);
            outcome.code = if c == Comparison::UpToDate { 0 } else { 1 };
        }
    }
    outcome
}
