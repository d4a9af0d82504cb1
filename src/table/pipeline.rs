//! Writing a table: rows computed in parallel blocks, a bounded batch at a time, and written in
//! order while the next batch is computed; and where the table goes (a file, standard output,
//! or memory for `--check`). The text of each row comes from a renderer the caller gives
//! ([`TableWriter`]), so that nothing here formats.

use super::cell::{Cell, Unmet};
use super::check::{Comparison, against_file};
use super::engine::{Plan, Rows};
use super::meta::Format;
use crate::error::{Error, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::Write;

/// Rows per unit of parallel work.
pub const BLOCK: u128 = 512;

/// Renders one row as text; shared by the threads that compute the rows.
pub trait RenderRow: Send + Sync {
    /// Appends the row's text to `out`, without a line end.
    fn render_row(&self, out: &mut String, cells: &[Cell], unmet: &[Unmet]);
    /// True when rows are written one at a time with separators between them (JSON), false
    /// when they are lines.
    fn separate_rows(&self) -> bool;
}

/// A table being written, in one format: a header, the rows in order, a footer.
pub trait TableWriter {
    /// A renderer of rows in this writer's format, for the threads that compute them.
    fn renderer(&self) -> Box<dyn RenderRow>;
    fn header(&mut self) -> Result<()>;
    /// Writes one row.
    fn row(&mut self, cells: &[Cell], unmet: &[Unmet]) -> Result<()>;
    /// Writes `rows` rows rendered by [`TableWriter::renderer`]: lines each ending in a line
    /// end, or (with [`RenderRow::separate_rows`]) one row.
    fn rendered(&mut self, text: &str, rows: u64) -> Result<()>;
    fn footer(&mut self) -> Result<()>;
}

/// Computes rows `from..to` of `rows` with `plan` and writes them to `w` in order: blocks of
/// [`BLOCK`] rows in parallel, four per thread at a time, each rendered into one text (one per
/// row when rows are separate) while the previous batch is written. `bar` counts the rows.
pub fn write_rows(
    plan: &Plan,
    rows: &Rows,
    from: u128,
    to: u128,
    w: &mut dyn TableWriter,
    bar: &ProgressBar,
) -> Result<()> {
    let render = w.renderer();
    let separate = render.separate_rows();
    let batch = (rayon::current_num_threads() as u128).max(1) * 4;
    std::thread::scope(|scope| -> Result<()> {
        // Each block: its rows as one text (a line each), or one text per separate row.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, u64)>>(1);
        let render = &*render;
        scope.spawn(move || {
            let mut start = from;
            while start < to {
                if crate::stop::requested() {
                    return; // stopped from outside: the caller reports it
                }
                let blocks: Vec<(u128, u128)> = (0..batch)
                    .map(|b| (start + b * BLOCK, (start + (b + 1) * BLOCK).min(to)))
                    .filter(|(a, b)| a < b)
                    .collect();
                let done: Vec<(String, u64)> = blocks
                    .par_iter()
                    .flat_map_iter(|&(a, b)| {
                        let mut texts = vec![(String::new(), 0)];
                        plan.compute_with(rows, a, b, &mut |cells, unmet| {
                            if separate && texts.last().is_some_and(|t| t.1 > 0) {
                                texts.push((String::new(), 0));
                            }
                            let last = texts.last_mut().expect("one text");
                            render.render_row(&mut last.0, cells, unmet);
                            if !separate {
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
                w.rendered(text, *n)?;
            }
        }
        Ok(())
    })
}

/// Where a table is asked to go: `--out FILE` or standard output, or (`keep`) memory, for a
/// caller that uses the table itself (the Python package); with `check`, memory, and the table
/// is then compared with the file `check` (in `format`).
#[derive(Clone, Debug)]
pub struct Output {
    pub out: Option<String>,
    pub check: Option<String>,
    pub format: Format,
    pub keep: bool,
}

/// What became of a table: written (to its file or standard output), kept in memory, or
/// compared with a file.
#[derive(Debug)]
pub enum Finished {
    Written,
    Kept(Vec<u8>),
    Compared(Comparison),
}

impl Output {
    pub fn new(out: Option<String>, check: Option<String>, format: Format) -> Output {
        Output {
            out,
            check,
            format,
            keep: false,
        }
    }

    /// The same, with the table kept in memory unless it goes to a file or is compared.
    pub fn keeping(mut self, keep: bool) -> Output {
        self.keep = keep;
        self
    }

    /// Opens the sink (a file is created now: call this once the input was found good).
    pub fn open(&self) -> Result<Sink> {
        let memory = self.check.is_some() || (self.keep && self.out.is_none());
        Sink::open(self.out.as_deref(), memory)
    }

    /// Flushes the table written to `sink`; with `check`, compares it with that file (read
    /// now) and gives the comparison.
    pub fn finish(&self, sink: Sink) -> Result<Finished> {
        match (sink.finish()?, &self.check) {
            (Some(table), Some(path)) => {
                Ok(Finished::Compared(against_file(path, &table, self.format)?))
            }
            (Some(table), None) => Ok(Finished::Kept(table)),
            (None, _) => Ok(Finished::Written),
        }
    }
}

/// Where a table goes.
pub enum Sink {
    /// `--out FILE`.
    File {
        path: String,
        out: std::io::BufWriter<std::fs::File>,
    },
    /// Standard output.
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// Memory: the table is compared with a file instead of written (`--check`).
    Memory(Vec<u8>),
}

impl Sink {
    /// Memory when `memory` (the table is compared or kept, not written), else the file `out`
    /// (created now: call this once the input was found good), else standard output.
    pub fn open(out: Option<&str>, memory: bool) -> Result<Sink> {
        Ok(match (out, memory) {
            (_, true) => Sink::Memory(Vec::new()),
            (Some(path), false) => Sink::File {
                path: path.to_string(),
                out: std::io::BufWriter::new(std::fs::File::create(path).map_err(|source| {
                    Error::Io {
                        path: path.to_string(),
                        source,
                    }
                })?),
            },
            (None, false) => Sink::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
        })
    }

    /// Flushes what was written; the table's bytes when it was held in memory.
    pub fn finish(self) -> Result<Option<Vec<u8>>> {
        let (path, result) = match self {
            Sink::Memory(bytes) => return Ok(Some(bytes)),
            Sink::File { path, mut out } => (path, out.flush()),
            Sink::Stdout(mut out) => ("standard output".to_string(), out.flush()),
        };
        result.map_err(|source| Error::Io { path, source })?;
        Ok(None)
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::File { out, .. } => out.write(buf),
            Sink::Stdout(out) => out.write(buf),
            Sink::Memory(v) => v.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::File { out, .. } => out.write_all(buf),
            Sink::Stdout(out) => out.write_all(buf),
            Sink::Memory(v) => v.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File { out, .. } => out.flush(),
            Sink::Stdout(out) => out.flush(),
            Sink::Memory(_) => Ok(()),
        }
    }
}
