//! A table asked for: its rows (a grid of axes or a sweep file), columns, shard and limits,
//! checked before anything is computed or written; then computed and written.

use super::engine::{Plan, Rows, columns};
use super::grid::{Grid, MAX_ROWS, Sweep, parse_axis};
use super::meta::Meta;
use super::pipeline::{TableWriter, write_rows};
use super::shard::{Shard, rows_of};
use crate::arith::decimal::rational;
use crate::error::{Error, Result, Usage};
use crate::limits::{Bytes, check_memory, check_work};
use crate::theory::Model;
use indicatif::ProgressBar;
use std::collections::BTreeMap;

/// Memory per byte of a sweep file (its text, the parsed tables, the rows' rationals).
pub const SWEEP_BYTES_PER_BYTE: u128 = 16;

/// Memory per cell of a table held for `--check` (the text, and both tables read back).
pub const CHECK_BYTES_PER_CELL: u128 = 160;

/// Grids with more axis values than this show a progress bar while the values are checked
/// against the parameters' domains.
const DOMAIN_BAR_VALUES: usize = 10_000;

/// Makes a progress bar of `len` steps of a unit ("rows"); the caller decides whether it is
/// drawn (a hidden bar draws nothing).
pub type Bars<'a> = &'a dyn Fn(u64, &str) -> ProgressBar;

/// What a table is asked to be.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The grid: parameter name → axis spec (`1`, `1,10,100`, `LO..HI:log:N`, `LO..HI:lin:N`);
    /// every parameter of the result, unless `sweep` is given.
    pub axes: BTreeMap<String, String>,
    /// A sweep file of parameter sets instead of a grid.
    pub sweep: Option<String>,
    /// Column names; empty for the parameters, the quantities and the claims.
    pub columns: Vec<String>,
    /// Significant digits of a cell.
    pub digits: usize,
    /// Working precision, bits (already checked: [`crate::limits::check_precision`]).
    pub prec: u32,
    /// `K/N`: compute only part K of N.
    pub shard: Option<String>,
    /// The most cells (rows × columns, of the shard) accepted.
    pub max_cells: u128,
    /// The table is held in memory to be compared with a file (`--check`): its memory is
    /// checked, and no progress is shown.
    pub check: bool,
    pub caption: Option<String>,
    pub label: Option<String>,
}

/// A table ready to be computed: every input checked.
pub struct Job<'m> {
    /// What the table states about itself.
    pub meta: Meta,
    pub plan: Plan<'m>,
    pub rows: Rows,
    /// The rows `from..to` of `rows` to compute (all, or the shard's).
    pub from: u128,
    pub to: u128,
    check: bool,
}

/// The columns a table shows when none are named: the parameters, the quantities (the
/// definitions) and the claims that are not proof steps, in the proofs file's order.
pub fn default_columns(model: &Model) -> Vec<String> {
    let t = &model.theory;
    t.parameters
        .iter()
        .map(|p| p.name.clone())
        .chain(t.definitions.iter().map(|d| d.name.clone()))
        .chain(t.claims.iter().filter(|c| !c.step).map(|c| c.name.clone()))
        .collect()
}

impl<'m> Job<'m> {
    /// Checks `req` against `model`, in this order: the rows (a sweep file, its memory and its
    /// rows; or an axis for every parameter, read, and at most [`MAX_ROWS`] rows), the
    /// columns, the shard, the work (rows × columns against `max_cells`), the memory of a
    /// table held for `--check`, and every grid value against its parameter's domain. `bars`
    /// makes the progress bar of the domain check, shown for large grids.
    pub fn new(model: &'m Model, req: &Request, bars: Bars) -> Result<Job<'m>> {
        let t = &model.theory;
        if let Some(k) = req.axes.keys().find(|k| t.parameter(k).is_none()) {
            return Err(Usage::NotA {
                context: None,
                name: k.clone(),
                kind: "parameter".into(),
                of: t.name.clone(),
                known: None,
            }
            .into());
        }
        let rows = match &req.sweep {
            Some(path) => {
                if !req.axes.is_empty() {
                    return Err(Usage::exclusive("a sweep file", "parameter ranges").into());
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
                Rows::from_sweep(model, &Sweep::read(path)?)?
            }
            None => Rows::Grid(grid(model, &req.axes)?),
        };
        let names: Vec<String> = if req.columns.is_empty() {
            default_columns(model)
        } else {
            req.columns.iter().map(|c| c.trim().to_string()).collect()
        };
        let cols = columns(model, &names)?;
        let meta = Meta {
            result: t.name.clone(),
            title: t.title.clone(),
            heads: cols.iter().map(|c| c.head()).collect(),
            digits: req.digits,
            prec: req.prec,
            caption: req.caption.clone(),
            label: req.label.clone(),
        };
        let shard = req.shard.as_deref().map(Shard::parse).transpose()?;
        let (from, to) = rows_of(shard, rows.len());
        // The work before it starts: rows × columns against --max-cells; with --check the
        // whole table is held in memory.
        let n_rows = to - from;
        let cells = n_rows.checked_mul(cols.len().max(1) as u128);
        check_work(
            || {
                format!(
                    "the table ({n_rows} rows{} × {} columns)",
                    if shard.is_some() {
                        " in this shard"
                    } else {
                        ""
                    },
                    cols.len()
                )
            },
            cells,
            req.max_cells,
            "cells",
            "",
            "--max-cells",
            "ask for fewer rows (or split them with --shard K/N) or columns",
        )?;
        if req.check {
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
            check_domains(model, g, req.check, bars)?;
        }
        Ok(Job {
            meta,
            plan: Plan::new(model, cols, req.digits, req.prec),
            rows,
            from,
            to,
            check: req.check,
        })
    }

    /// Computes the rows and writes the table to `w`: header, rows in order, footer. `bars`
    /// makes the progress bar of the rows (none with `--check`).
    pub fn write(&self, w: &mut dyn TableWriter, bars: Bars) -> Result<()> {
        let n_rows = self.to - self.from;
        let bar = if self.check {
            ProgressBar::hidden()
        } else {
            bars(n_rows.min(u64::MAX as u128) as u64, "rows")
        };
        w.header()?;
        write_rows(&self.plan, &self.rows, self.from, self.to, w, &bar)?;
        w.footer()?;
        bar.finish_and_clear();
        Ok(())
    }
}

/// The grid of `axes`, one axis per parameter of `model` in its order; a usage error naming
/// the missing flags when a parameter has no axis, or when the grid has more than
/// [`MAX_ROWS`] rows.
fn grid(model: &Model, axes: &BTreeMap<String, String>) -> Result<Grid> {
    let t = &model.theory;
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for p in &t.parameters {
        match axes.get(&p.name) {
            Some(spec) => out.push(parse_axis(&p.flag, spec)?),
            None => missing.push(format!("--{}", p.flag)),
        }
    }
    if !missing.is_empty() {
        return Err(Usage::MissingParameters {
            result: t.name.clone(),
            flags: missing,
            grid: true,
        }
        .into());
    }
    let g = Grid { axes: out };
    if g.len() > MAX_ROWS {
        return Err(Usage::Other(format!(
            "the grid has {} rows; at most 2^40 are accepted",
            g.len()
        ))
        .into());
    }
    Ok(g)
}

/// Values outside a parameter's domain are bad input, whatever the row: each value of each
/// axis is checked at the result's example point (other parameters 1 where it has none), and
/// the first that its parameter's domain refuses is the error. A bar is shown for more than
/// [`DOMAIN_BAR_VALUES`] values, unless `quiet`.
fn check_domains(model: &Model, g: &Grid, quiet: bool, bars: Bars) -> Result<()> {
    let t = &model.theory;
    let values: usize = g.axes.iter().map(|a| a.values.len()).sum();
    let bar = if values > DOMAIN_BAR_VALUES && !quiet {
        bars(values as u64, "axis values checked against the domains")
    } else {
        ProgressBar::hidden()
    };
    for (a, p) in g.axes.iter().zip(&t.parameters) {
        for v in &a.values {
            bar.inc(1);
            let mut given: BTreeMap<String, String> = t.example.clone();
            for q in &t.parameters {
                given.entry(q.name.clone()).or_insert_with(|| "1".into());
            }
            given.insert(p.name.clone(), rational(v));
            if let Err(e @ Error::Domain { .. }) = model.point(&given, &|q| format!("--{}", q.flag))
                && matches!(&e, Error::Domain { name, .. } if *name == format!("--{}", p.flag))
            {
                bar.finish_and_clear();
                return Err(e);
            }
        }
    }
    bar.finish_and_clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(axes: &[(&str, &str)]) -> Request {
        Request {
            axes: axes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            digits: 6,
            prec: 256,
            max_cells: 1_000_000,
            ..Request::default()
        }
    }

    const LEMMA5: &[(&str, &str)] = &[
        ("eta", "0.001,0.01"),
        ("L", "1,2"),
        ("c", "0.5"),
        ("r", "1"),
        ("d0", "1"),
        ("t2", "1e6"),
    ];

    fn hidden(_: u64, _: &str) -> ProgressBar {
        ProgressBar::hidden()
    }

    #[test]
    fn a_grid_request_becomes_a_job() {
        let model = Model::builtin("lemma5").unwrap();
        let mut req = request(LEMMA5);
        req.columns = vec![" eta ".into(), "lambda".into()];
        let job = Job::new(&model, &req, &hidden).unwrap();
        assert_eq!((job.from, job.to), (0, 4));
        let names: Vec<&str> = job.meta.heads.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["eta", "lambda"]);
        req.shard = Some("2/3".into());
        let job = Job::new(&model, &req, &hidden).unwrap();
        assert_eq!((job.from, job.to), (1, 2));
        req.columns.clear();
        let job = Job::new(&model, &req, &hidden).unwrap();
        assert_eq!(job.meta.heads.len(), default_columns(&model).len());
    }

    #[test]
    fn bad_requests_are_refused_before_computing() {
        let model = Model::builtin("lemma5").unwrap();
        let err = |req: &Request| Job::new(&model, req, &hidden).err().unwrap().to_string();
        let mut req = request(&LEMMA5[..5]);
        assert_eq!(
            err(&req),
            "lemma5 needs every parameter: give --t2 (a value, a list or a range), or --sweep FILE"
        );
        req = request(LEMMA5);
        req.axes.insert("nope".into(), "1".into());
        assert_eq!(err(&req), "`nope` is not a parameter of lemma5");
        req = request(LEMMA5);
        req.sweep = Some("rows.toml".into());
        assert_eq!(
            err(&req),
            "give either a sweep file or parameter ranges, not both"
        );
        req = request(LEMMA5);
        req.max_cells = 10;
        assert!(err(&req).contains("more than the limit of 10"));
        req = request(LEMMA5);
        req.shard = Some("4/3".into());
        assert!(err(&req).starts_with("--shard 4/3"));
        req = request(LEMMA5);
        req.axes.insert("eta".into(), "-0.1".into());
        assert!(err(&req).starts_with("--eta = -0.1 is outside its domain"));
    }
}
