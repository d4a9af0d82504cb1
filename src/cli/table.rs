//! `sgdbounds table`: certified bound tables for papers.

use crate::error::{Error, Result};
use crate::limits::{Bytes, check_memory, check_precision, check_work};
use crate::report::table::{Format, Head, Meta, Writer, parse, parse_part, render_row_into};
use crate::table::{Grid, Plan, Rows, Sweep, columns, parse_axis};
use crate::theory::{Model, Theory};
use clap::Args;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;

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
    /// The result: theorem1, lemma5, corollary2, theorem3
    #[arg(long, default_value = "lemma5")]
    pub result: String,
    /// A proofs file of your own instead of a built-in result
    #[arg(long, value_name = "FILE")]
    pub proofs: Option<String>,
    /// Step size η (value, list or range)
    #[arg(long, value_name = "SPEC", allow_hyphen_values = true)]
    pub eta: Option<String>,
    /// Smoothness L
    #[arg(long = "L", value_name = "SPEC", allow_hyphen_values = true)]
    pub l: Option<String>,
    /// One-point strong convexity c
    #[arg(long, value_name = "SPEC", allow_hyphen_values = true)]
    pub c: Option<String>,
    /// Noise bound r
    #[arg(long, value_name = "SPEC", allow_hyphen_values = true)]
    pub r: Option<String>,
    /// ‖y₀ − x*‖²
    #[arg(long, value_name = "SPEC", allow_hyphen_values = true)]
    pub d0: Option<String>,
    /// T₂
    #[arg(long, value_name = "SPEC", allow_hyphen_values = true)]
    pub t2: Option<String>,
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
    /// Significant digits
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: u32,
    /// Working precision, bits
    #[arg(long, value_name = "BITS", default_value_t = 256)]
    pub prec: u64,
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
    /// Refuse a table of more than N cells (rows × columns, of this shard); raise it for
    /// larger tables
    #[arg(long, value_name = "N", default_value = "1e9", value_parser = super::count_arg)]
    pub max_cells: u128,
}

/// Rows per unit of parallel work.
const BLOCK: u128 = 512;

/// Memory per byte of a part read by --merge (its text and its cells as strings), estimated.
const MERGE_BYTES_PER_BYTE: u128 = 8;

/// Memory per byte of a sweep file (its text, the parsed tables, the rows' rationals).
const SWEEP_BYTES_PER_BYTE: u128 = 16;

/// Memory per cell of a table held for --check (the text, and both tables read back).
const CHECK_BYTES_PER_CELL: u128 = 160;

fn parse_shard(s: &str) -> Result<(u128, u128)> {
    let bad = || {
        Error::usage(format!(
            "--shard {s}: expected K/N with 1 ≤ K ≤ N, e.g. 3/8"
        ))
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u128, u128) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

fn merge(args: &TableArgs) -> Result<i32> {
    // Every part is read and checked before anything is written; they must fit in memory.
    let mut bytes = Bytes::ZERO;
    for path in &args.merge {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        bytes = bytes.plus(Bytes::of(meta.len() as u128, MERGE_BYTES_PER_BYTE));
    }
    check_memory(
        || format!("--merge of {} parts", args.merge.len()),
        bytes,
        "merge fewer parts at a time",
    )?;
    let mut heads: Option<Vec<String>> = None;
    let mut meta_text: Option<String> = None;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for path in &args.merge {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let format = if path.ends_with(".json") {
            Format::Json
        } else {
            Format::Csv
        };
        let p = parse_part(&text, format).map_err(|e| match e.line {
            Some(line) => Error::Malformed {
                path: path.clone(),
                line,
                message: e.message,
            },
            None => Error::usage(format!("{path}: {}", e.message)),
        })?;
        if format == Format::Json {
            meta_text.get_or_insert(text.clone());
        }
        match &heads {
            None => heads = Some(p.heads.clone()),
            Some(h) if *h != p.heads => {
                return Err(Error::usage(format!(
                    "{path}: its columns differ from the first part's; parts must come from the same command"
                )));
            }
            _ => {}
        }
        rows.extend(p.rows);
    }
    let heads = heads.unwrap_or_default();
    let n = heads.len().saturating_sub(1);
    let parse_head = |h: &str| -> Head {
        let (name, rounding) = match h.split_once('[') {
            Some((n, r)) => (
                n.to_string(),
                match r.trim_end_matches(']') {
                    "up" => "up",
                    "down" => "down",
                    _ => "nearest",
                },
            ),
            None => (h.to_string(), "exact"),
        };
        Head {
            symbol: name.clone(),
            latex: name.replace('_', "\\_"),
            name,
            rounding,
        }
    };
    let mut meta = Meta {
        result: String::new(),
        title: "the result".into(),
        heads: heads[..n].iter().map(|h| parse_head(h)).collect(),
        digits: args.digits as usize,
        prec: args.prec as u32,
        caption: args.caption.clone(),
        label: args.label.clone(),
    };
    if let Some(t) = &meta_text
        && let Ok(j) = serde_json::from_str::<serde_json::Value>(t)
    {
        meta.result = j["result"].as_str().unwrap_or("").to_string();
        meta.digits = j["digits"].as_u64().unwrap_or(6) as usize;
        meta.prec = j["precision_bits"].as_u64().unwrap_or(256) as u32;
        if let Some(cols) = j["columns"].as_array() {
            meta.heads = cols
                .iter()
                .map(|c| Head {
                    name: c["name"].as_str().unwrap_or("").into(),
                    symbol: c["symbol"].as_str().unwrap_or("").into(),
                    latex: c["latex"].as_str().unwrap_or("").into(),
                    rounding: match c["rounding"].as_str() {
                        Some("up") => "up",
                        Some("down") => "down",
                        Some("nearest") => "nearest",
                        Some("verdict") => "verdict",
                        _ => "exact",
                    },
                })
                .collect();
        }
    }
    let mut out = open_sink(args)?;
    let mut w = Writer::new(&mut out, args.format, meta);
    w.header()?;
    for r in rows {
        let (cells, hyp) = r.split_at(n);
        let failing: Vec<String> = match hyp.first().map(String::as_str) {
            Some("holds") | None => vec![],
            Some(h) => h
                .trim_start_matches("fails: ")
                .split("; ")
                .map(String::from)
                .collect(),
        };
        w.row(cells, &failing)?;
    }
    w.footer()?;
    Ok(0)
}

/// Where the table goes: --out FILE (created only now, once the input was found good), else
/// standard output; nowhere with --check (the table is compared instead).
fn open_sink(args: &TableArgs) -> Result<Box<dyn Write>> {
    Ok(match (&args.out, &args.check) {
        (_, Some(_)) => Box::new(Vec::new()),
        (Some(path), None) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?,
        )),
        (None, None) => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

pub fn run(args: TableArgs) -> Result<i32> {
    if !args.merge.is_empty() {
        return merge(&args);
    }
    let prec = check_precision(args.prec)?;
    let theory = match &args.proofs {
        Some(p) => Theory::from_path(p)?,
        None => Theory::builtin(&args.result)?,
    };
    let model = Model::compile(theory)?;
    let t = &model.theory;
    // Axes from the flags, in the model's parameter order.
    let mut specs: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in [
        ("eta", &args.eta),
        ("L", &args.l),
        ("c", &args.c),
        ("r", &args.r),
        ("d0", &args.d0),
        ("t2", &args.t2),
    ] {
        if let Some(v) = v {
            if t.parameter(k).is_none() {
                return Err(Error::usage(format!(
                    "--{k} is not a parameter of {}",
                    t.name
                )));
            }
            specs.insert(k.to_string(), v.clone());
        }
    }
    for s in &args.set {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| Error::usage(format!("--set {s}: expected NAME=SPEC")))?;
        if t.parameter(k.trim()).is_none() {
            return Err(Error::usage(format!(
                "--set {k}: not a parameter of {}",
                t.name
            )));
        }
        specs.insert(k.trim().to_string(), v.trim().to_string());
    }
    let rows = match &args.sweep {
        Some(path) => {
            if !specs.is_empty() {
                return Err(Error::usage(
                    "give either a sweep file or parameter ranges, not both",
                ));
            }
            let len = std::fs::metadata(path)
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?
                .len();
            check_memory(
                || format!("--sweep {path} ({len} bytes)"),
                Bytes::of(len as u128, SWEEP_BYTES_PER_BYTE),
                "split the sweep file",
            )?;
            Rows::from_sweep(&model, &Sweep::read(path)?)?
        }
        None => {
            let mut axes = Vec::new();
            let mut missing = Vec::new();
            for p in &t.parameters {
                match specs.get(&p.name) {
                    Some(spec) => axes.push(parse_axis(&p.flag, spec)?),
                    None => missing.push(format!("--{}", p.flag)),
                }
            }
            if !missing.is_empty() {
                return Err(Error::usage(format!(
                    "{} needs every parameter: give {} (a value, a list or a range), or --sweep FILE",
                    t.name,
                    missing.join(", ")
                )));
            }
            let g = Grid { axes };
            if g.len() > crate::table::grid::MAX_ROWS {
                return Err(Error::usage(format!(
                    "the grid has {} rows; at most 2^40 are accepted",
                    g.len()
                )));
            }
            Rows::Grid(g)
        }
    };
    let names: Vec<String> = if args.columns.is_empty() {
        t.parameters
            .iter()
            .map(|p| p.name.clone())
            .chain(t.definitions.iter().map(|d| d.name.clone()))
            .chain(t.claims.iter().filter(|c| !c.step).map(|c| c.name.clone()))
            .collect()
    } else {
        args.columns.iter().map(|c| c.trim().to_string()).collect()
    };
    let cols = columns(&model, &names)?;
    let meta = Meta {
        result: t.name.clone(),
        title: t.title.clone(),
        heads: cols
            .iter()
            .map(|c| Head {
                name: c.name.clone(),
                symbol: c.symbol.clone(),
                latex: c.latex.clone(),
                rounding: c.rounding(),
            })
            .collect(),
        digits: args.digits as usize,
        prec,
        caption: args.caption.clone(),
        label: args.label.clone(),
    };
    let heads = meta.heads.clone();
    let total = rows.len();
    let (from, to) = match &args.shard {
        Some(s) => {
            let (k, n) = parse_shard(s)?;
            (total * (k - 1) / n, total * k / n)
        }
        None => (0, total),
    };
    // The work before it starts: rows × columns against --max-cells; with --check the whole
    // table is held in memory.
    let n_rows = to - from;
    let cells = n_rows.checked_mul(cols.len().max(1) as u128);
    check_work(
        || {
            format!(
                "the table ({n_rows} rows{} × {} columns)",
                if args.shard.is_some() {
                    " in this shard"
                } else {
                    ""
                },
                cols.len()
            )
        },
        cells,
        args.max_cells,
        "cells",
        "",
        "--max-cells",
        "ask for fewer rows (or split them with --shard K/N) or columns",
    )?;
    if args.check.is_some() {
        check_memory(
            || {
                format!(
                    "--check of a table of {n_rows} rows × {} columns",
                    cols.len()
                )
            },
            Bytes(cells).times(CHECK_BYTES_PER_CELL),
            "check a smaller table, or shards of it",
        )?;
    }
    if let Rows::Grid(g) = &rows {
        // Values outside a parameter's domain are bad input, whatever the row.
        let values: usize = g.axes.iter().map(|a| a.values.len()).sum();
        let bar = if values > 10_000 && args.check.is_none() {
            super::progress_bar(values as u64, "axis values checked against the domains")
        } else {
            indicatif::ProgressBar::hidden()
        };
        for (a, p) in g.axes.iter().zip(&t.parameters) {
            for v in &a.values {
                bar.inc(1);
                let mut given: BTreeMap<String, String> = t.example.clone();
                for q in &t.parameters {
                    given.entry(q.name.clone()).or_insert_with(|| "1".into());
                }
                given.insert(p.name.clone(), crate::arith::decimal::rational(v));
                if let Err(e @ Error::Domain { .. }) =
                    model.point(&given, &|q| format!("--{}", q.flag))
                    && matches!(&e, Error::Domain { name, .. } if *name == format!("--{}", p.flag))
                {
                    bar.finish_and_clear();
                    return Err(e);
                }
            }
        }
        bar.finish_and_clear();
    }
    let mut sink = open_sink(&args)?;
    let plan = Plan::new(&model, cols, args.digits as usize, prec);
    let bar = if args.check.is_none() {
        super::progress_bar(n_rows.min(u64::MAX as u128) as u64, "rows")
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut buffer: Vec<u8> = Vec::new();
    let mut w = Writer::new(
        if args.check.is_some() {
            &mut buffer
        } else {
            &mut sink
        },
        args.format,
        meta,
    );
    w.header()?;
    // Blocks of rows in parallel, a bounded batch at a time; a batch is written in order while
    // the next one is computed.
    let batch = (rayon::current_num_threads() as u128).max(1) * 4;
    std::thread::scope(|scope| -> Result<()> {
        // Each block: its rows as one text (a line each), or one text per row for JSON.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, u64)>>(1);
        let (plan, rows, heads, bar) = (&plan, &rows, &heads, &bar);
        let format = args.format;
        scope.spawn(move || {
            let mut start = from;
            while start < to {
                let blocks: Vec<(u128, u128)> = (0..batch)
                    .map(|b| (start + b * BLOCK, (start + (b + 1) * BLOCK).min(to)))
                    .filter(|(a, b)| a < b)
                    .collect();
                let done: Vec<(String, u64)> = blocks
                    .par_iter()
                    .flat_map_iter(|&(a, b)| {
                        let mut texts = vec![(String::new(), 0)];
                        plan.compute_with(rows, a, b, &mut |cells, failing| {
                            if format == Format::Json && texts.last().is_some_and(|t| t.1 > 0) {
                                texts.push((String::new(), 0));
                            }
                            let last = texts.last_mut().expect("one text");
                            render_row_into(&mut last.0, format, heads, cells, failing);
                            if format != Format::Json {
                                last.0.push('\n');
                            }
                            last.1 += 1;
                        });
                        bar.inc((b - a) as u64);
                        texts
                    })
                    .collect();
                if tx.send(done).is_err() {
                    return; // the writer stopped on an error
                }
                start = blocks.last().map_or(to, |b| b.1);
            }
        });
        for done in rx {
            for (text, n) in done.iter().filter(|(_, n)| *n > 0) {
                if format == Format::Json {
                    w.raw(text)?;
                } else {
                    w.raw_lines(text, *n)?;
                }
            }
        }
        Ok(())
    })?;
    w.footer()?;
    bar.finish_and_clear();
    drop(w);
    if let Some(path) = &args.check {
        let want = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let got = String::from_utf8(buffer).expect("UTF-8");
        return check(&want, &got, args.format, path);
    }
    sink.flush().map_err(|source| Error::Io {
        path: args.out.clone().unwrap_or_else(|| "standard output".into()),
        source,
    })?;
    Ok(0)
}

/// Compares a file with the regenerated table; prints the cells that differ.
fn check(want: &str, got: &str, format: Format, path: &str) -> Result<i32> {
    let norm = |s: &str| {
        s.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    };
    if norm(want) == norm(got) {
        println!("{path}: up to date");
        return Ok(0);
    }
    let a = parse(want, format).map_err(|e| Error::usage(format!("{path}: {e}")))?;
    let b = parse(got, format)?;
    println!("{path}: differs from the regenerated table");
    if a.heads != b.heads {
        println!(
            "  columns: file has {}, regenerated {}",
            a.heads.join(", "),
            b.heads.join(", ")
        );
    }
    if a.rows.len() != b.rows.len() {
        println!(
            "  rows: file has {}, regenerated {}",
            a.rows.len(),
            b.rows.len()
        );
    }
    let mut shown = 0;
    for (i, (ra, rb)) in a.rows.iter().zip(&b.rows).enumerate() {
        for (j, (ca, cb)) in ra.iter().zip(rb).enumerate() {
            if ca != cb {
                shown += 1;
                if shown <= 50 {
                    println!(
                        "  row {}, column {}: file has {ca}, regenerated {cb}",
                        i + 1,
                        b.heads.get(j).map(String::as_str).unwrap_or("?")
                    );
                }
            }
        }
    }
    if shown > 50 {
        println!("  … and {} more cells", shown - 50);
    }
    if shown == 0 && a.heads == b.heads && a.rows.len() == b.rows.len() {
        println!(
            "  (the cells agree; the text around them differs: caption, label, header or format)"
        );
    }
    Ok(1)
}
