//! Renderers of bound tables: Markdown, LaTeX (booktabs, numbers ready for siunitx), CSV and
//! JSON. Each writes a header, rows as they come (so a table of millions of rows streams), and a
//! footer; the readers that take them back are in [`crate::table::read`]. Also the text of a
//! `--check` comparison.

use super::verdict_word;
use crate::error::{Error, Result};
use crate::table::check::{Comparison, Diff};
use crate::table::{Cell, Format, Head, Meta, RenderRow, Rounding, TableWriter, Unmet};
use serde_json::{Value as Json, json};
use std::borrow::Cow;
use std::io::Write;

/// One sentence on rounding, naming the columns of each kind.
pub fn rounding_sentence(meta: &Meta) -> String {
    sentence(meta, false)
}

/// The same sentence, with LaTeX symbols (`$\delta^2$`) in place of Unicode ones.
pub fn rounding_sentence_latex(meta: &Meta) -> String {
    sentence(meta, true).replace('†', "$^\\dagger$")
}

fn sentence(meta: &Meta, latex: bool) -> String {
    let names = |kind: Rounding| -> Vec<String> {
        meta.heads
            .iter()
            .filter(|h| h.rounding == kind)
            .map(|h| {
                if latex {
                    format!("${}$", h.latex)
                } else {
                    h.symbol.clone()
                }
            })
            .collect()
    };
    let mut parts = Vec::new();
    let up = names(Rounding::Up);
    if !up.is_empty() {
        parts.push(format!("upper bounds rounded up ({})", up.join(", ")));
    }
    let down = names(Rounding::Down);
    if !down.is_empty() {
        parts.push(format!("lower bounds rounded down ({})", down.join(", ")));
    }
    let near = names(Rounding::Nearest);
    if !near.is_empty() {
        parts.push(format!(
            "other quantities correctly rounded ({})",
            near.join(", ")
        ));
    }
    format!(
        "{} to {} significant digits, certified by interval arithmetic (sgdbounds {}); parameters exact; † marks a row where a hypothesis of {} fails",
        if parts.is_empty() {
            "No quantities".to_string()
        } else {
            capitalize(&parts.join("; "))
        },
        meta.digits,
        env!("CARGO_PKG_VERSION"),
        meta.title
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A cell's text, the same in every format before the format's quoting: a decimal as it is,
/// `[lo, hi]` for an enclosure, `undefined (REASON)`, or the verdict's word.
pub fn cell_text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Decimal(s) => Cow::Borrowed(s),
        Cell::Enclosure { lo, hi } => Cow::Owned(format!("[{lo}, {hi}]")),
        Cell::Undefined(reason) => Cow::Owned(format!("undefined ({reason})")),
        Cell::Verdict(t) => Cow::Borrowed(verdict_word(*t)),
    }
}

/// An unmet hypothesis in a row's hypotheses cell: its name, after `undefined: ` or
/// `undecided: ` when it is not simply failing.
fn unmet_text(u: &Unmet) -> Cow<'_, str> {
    match u {
        Unmet::Fails(n) => Cow::Borrowed(n),
        Unmet::Undefined(n) => Cow::Owned(format!("undefined: {n}")),
        Unmet::Undecided(n) => Cow::Owned(format!("undecided: {n}")),
    }
}

/// A row's hypotheses cell: `holds`, or `fails: ` and the unmet hypotheses.
fn hyp_cell(unmet: &[Unmet]) -> String {
    if unmet.is_empty() {
        "holds".into()
    } else {
        let names: Vec<Cow<str>> = unmet.iter().map(unmet_text).collect();
        format!("fails: {}", names.join("; "))
    }
}

/// Writes a table in one format, row by row.
pub struct Writer<'w> {
    out: &'w mut dyn Write,
    format: Format,
    meta: Meta,
    rows: u64,
}

fn io(e: std::io::Error) -> Error {
    Error::Io {
        path: "output".into(),
        source: e,
    }
}

/// A number for siunitx: plain decimal or `d.ddde±N` as printed; anything else braced.
fn latex_cell(s: &str, rounding: Rounding) -> String {
    if rounding == Rounding::Verdict || s.parse::<f64>().is_err() {
        format!("{{{}}}", s.replace('_', "\\_"))
    } else {
        s.to_string()
    }
}

impl<'w> Writer<'w> {
    pub fn new(out: &'w mut dyn Write, format: Format, meta: Meta) -> Self {
        Writer {
            out,
            format,
            meta,
            rows: 0,
        }
    }

    pub fn header(&mut self) -> Result<()> {
        let m = &self.meta;
        let o = &mut self.out;
        match self.format {
            Format::Markdown => {
                if let Some(c) = &m.caption {
                    writeln!(o, "**{c}**\n").map_err(io)?;
                }
                writeln!(o, "{}.\n", rounding_sentence(m)).map_err(io)?;
                let heads: Vec<String> = m
                    .heads
                    .iter()
                    .map(|h| h.symbol.clone())
                    .chain(["hypotheses".into()])
                    .collect();
                writeln!(o, "| {} |", heads.join(" | ")).map_err(io)?;
                let aligns: Vec<&str> = m
                    .heads
                    .iter()
                    .map(|h| {
                        if h.rounding == Rounding::Verdict {
                            ":---"
                        } else {
                            "---:"
                        }
                    })
                    .chain([":---"])
                    .collect();
                writeln!(o, "|{}|", aligns.join("|")).map_err(io)?;
            }
            Format::Latex => {
                writeln!(o, "% {}.", rounding_sentence(m)).map_err(io)?;
                writeln!(o, "% Needs \\usepackage{{booktabs,siunitx}}.").map_err(io)?;
                writeln!(o, "\\begin{{table}}\n  \\centering").map_err(io)?;
                if let Some(c) = &m.caption {
                    writeln!(o, "  \\caption{{{c} {}.}}", rounding_sentence_latex(m))
                        .map_err(io)?;
                }
                if let Some(l) = &m.label {
                    writeln!(o, "  \\label{{{l}}}").map_err(io)?;
                }
                let spec: String = m
                    .heads
                    .iter()
                    .map(|h| {
                        if h.rounding == Rounding::Verdict {
                            'l'
                        } else {
                            'S'
                        }
                    })
                    .chain(['l'])
                    .collect();
                writeln!(o, "  \\begin{{tabular}}{{{spec}}}\n    \\toprule").map_err(io)?;
                let heads: Vec<String> = m
                    .heads
                    .iter()
                    .map(|h| format!("{{${}$}}", h.latex))
                    .chain(["{hypotheses}".into()])
                    .collect();
                writeln!(o, "    {} \\\\\n    \\midrule", heads.join(" & ")).map_err(io)?;
            }
            Format::Csv => {
                let heads: Vec<String> = m
                    .heads
                    .iter()
                    .map(|h| match h.rounding {
                        Rounding::Exact | Rounding::Verdict => h.name.clone(),
                        r => format!("{}[{}]", h.name, r.word()),
                    })
                    .chain(["hypotheses".into()])
                    .collect();
                writeln!(o, "{}", heads.join(",")).map_err(io)?;
            }
            Format::Json => {
                let cols: Vec<Json> = m
                    .heads
                    .iter()
                    .map(|h| json!({"name": h.name, "symbol": h.symbol, "latex": h.latex, "rounding": h.rounding.word()}))
                    .collect();
                let head = json!({
                    "tool": "sgdbounds",
                    "version": env!("CARGO_PKG_VERSION"),
                    "result": m.result,
                    "precision_bits": m.prec,
                    "digits": m.digits,
                    "rounding": rounding_sentence(m),
                    "columns": cols,
                });
                let text = serde_json::to_string(&head).expect("serializes");
                // open the object, leave it for the rows
                write!(o, "{},\"rows\":[", &text[..text.len() - 1]).map_err(io)?;
            }
        }
        Ok(())
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell], unmet: &[Unmet]) -> Result<()> {
        let line = render_row(self.format, &self.meta.heads, cells, unmet);
        self.raw(&line)
    }

    /// Writes `n` rows already rendered by [`render_row`] into `text`, each followed by a line
    /// end (for every format but JSON, whose rows need separators: use [`Writer::raw`]).
    pub fn raw_lines(&mut self, text: &str, n: u64) -> Result<()> {
        debug_assert!(self.format != Format::Json);
        self.out.write_all(text.as_bytes()).map_err(io)?;
        self.rows += n;
        Ok(())
    }

    /// Writes a row already rendered by [`render_row`] (rows can be rendered in parallel).
    pub fn raw(&mut self, line: &str) -> Result<()> {
        if self.format == Format::Json {
            let sep = if self.rows == 0 { "\n" } else { ",\n" };
            self.out.write_all(sep.as_bytes()).map_err(io)?;
            self.out.write_all(line.as_bytes()).map_err(io)?;
        } else {
            self.out.write_all(line.as_bytes()).map_err(io)?;
            self.out.write_all(b"\n").map_err(io)?;
        }
        self.rows += 1;
        Ok(())
    }

    pub fn footer(&mut self) -> Result<()> {
        let o = &mut self.out;
        match self.format {
            Format::Markdown | Format::Csv => {}
            Format::Latex => {
                writeln!(o, "    \\bottomrule\n  \\end{{tabular}}\n\\end{{table}}").map_err(io)?;
            }
            Format::Json => writeln!(o, "\n]}}").map_err(io)?,
        }
        o.flush().map_err(io)
    }
}

impl TableWriter for Writer<'_> {
    fn renderer(&self) -> Box<dyn RenderRow> {
        Box::new(RowFormat {
            format: self.format,
            heads: self.meta.heads.clone(),
        })
    }
    fn header(&mut self) -> Result<()> {
        Writer::header(self)
    }
    fn row(&mut self, cells: &[Cell], unmet: &[Unmet]) -> Result<()> {
        Writer::row(self, cells, unmet)
    }
    fn rendered(&mut self, text: &str, rows: u64) -> Result<()> {
        if self.format == Format::Json {
            self.raw(text)
        } else {
            self.raw_lines(text, rows)
        }
    }
    fn footer(&mut self) -> Result<()> {
        Writer::footer(self)
    }
}

/// Renders rows in one format, with the table's heads (for the threads computing them).
pub struct RowFormat {
    pub format: Format,
    pub heads: Vec<Head>,
}

impl RenderRow for RowFormat {
    fn render_row(&self, out: &mut String, cells: &[Cell], unmet: &[Unmet]) {
        render_row_into(out, self.format, &self.heads, cells, unmet);
    }
    fn separate_rows(&self) -> bool {
        self.format == Format::Json
    }
}

/// One row as text in `format`, without the line end (JSON: the object, without separator).
pub fn render_row(format: Format, heads: &[Head], cells: &[Cell], unmet: &[Unmet]) -> String {
    let mut out = String::new();
    render_row_into(&mut out, format, heads, cells, unmet);
    out
}

/// [`render_row`], appended to `out`.
pub fn render_row_into(
    out: &mut String,
    format: Format,
    heads: &[Head],
    cells: &[Cell],
    unmet: &[Unmet],
) {
    if format == Format::Csv {
        for c in cells {
            csv_cell(out, &cell_text(c));
            out.push(',');
        }
        if unmet.is_empty() {
            out.push_str("holds");
        } else {
            csv_cell(out, &hyp_cell(unmet));
        }
        return;
    }
    out.push_str(&render_other(format, heads, cells, unmet));
}

/// A CSV cell, quoted when it holds a comma, a quote or a space.
fn csv_cell(out: &mut String, c: &str) {
    if c.bytes().any(|b| matches!(b, b',' | b'"' | b' ')) {
        out.push('"');
        out.push_str(&c.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(c);
    }
}

fn render_other(format: Format, heads: &[Head], cells: &[Cell], unmet: &[Unmet]) -> String {
    let hyp = hyp_cell(unmet);
    let texts: Vec<Cow<str>> = cells.iter().map(cell_text).collect();
    match format {
        Format::Markdown => {
            let mark = if unmet.is_empty() { "" } else { " †" };
            format!("| {} | {}{} |", texts.join(" | "), hyp, mark)
        }
        Format::Latex => {
            let cs: Vec<String> = texts
                .iter()
                .zip(heads)
                .map(|(c, h)| latex_cell(c, h.rounding))
                .collect();
            let mark = if unmet.is_empty() { "" } else { "$^\\dagger$" };
            format!(
                "    {} & {{{}}}{} \\\\",
                cs.join(" & "),
                hyp.replace('_', "\\_"),
                mark
            )
        }
        Format::Csv => unreachable!("rendered by render_row_into"),
        Format::Json => {
            let mut obj = serde_json::Map::new();
            for (c, h) in texts.iter().zip(heads) {
                obj.insert(h.name.clone(), json!(c));
            }
            obj.insert("hypotheses".into(), json!(hyp));
            Json::Object(obj).to_string()
        }
    }
}

/// The text `--check` prints for the comparison of the file `path` with the regenerated
/// table: `up to date`, or what differs (columns, number of rows, the listed cells and how
/// many more, or that only the text around the cells does).
pub fn comparison_text(path: &str, c: &Comparison) -> String {
    use std::fmt::Write;
    let d: &Diff = match c {
        Comparison::UpToDate => return format!("{path}: up to date\n"),
        Comparison::Differs(d) => d,
    };
    let mut s = format!("{path}: differs from the regenerated table\n");
    if let Some((a, b)) = &d.columns {
        let _ = writeln!(
            s,
            "  columns: file has {}, regenerated {}",
            a.join(", "),
            b.join(", ")
        );
    }
    if let Some((a, b)) = d.rows {
        let _ = writeln!(s, "  rows: file has {a}, regenerated {b}");
    }
    for cd in &d.cells {
        let _ = writeln!(
            s,
            "  row {}, column {}: file has {}, regenerated {}",
            cd.row, cd.column, cd.file, cd.regenerated
        );
    }
    if d.differing > d.cells.len() {
        let _ = writeln!(s, "  … and {} more cells", d.differing - d.cells.len());
    }
    if d.only_text() {
        s.push_str(
            "  (the cells agree; the text around them differs: caption, label, header or format)\n",
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::Truth;
    use crate::table::check::CellDiff;
    use crate::table::read;

    fn heads() -> Vec<Head> {
        let h = |name: &str, rounding| Head {
            name: name.into(),
            symbol: name.into(),
            latex: name.into(),
            rounding,
        };
        vec![
            h("eta", Rounding::Exact),
            h("lambda", Rounding::Up),
            h("lemma5", Rounding::Verdict),
        ]
    }

    #[test]
    fn cells_render_and_read_back_to_the_same_values() {
        let cells = [
            Cell::Decimal("0.5".into()),
            Cell::Undefined("division by zero".into()),
            Cell::Verdict(Truth::Unknown),
        ];
        let unmet = [Unmet::Fails("a_b".into()), Unmet::Undecided("c".into())];
        let csv = render_row(Format::Csv, &heads(), &cells, &unmet);
        assert_eq!(
            csv,
            "0.5,\"undefined (division by zero)\",undecided,\"fails: a_b; undecided: c\""
        );
        let md = render_row(Format::Markdown, &heads(), &cells, &unmet);
        assert_eq!(
            md,
            "| 0.5 | undefined (division by zero) | undecided | fails: a_b; undecided: c † |"
        );
        let tex = render_row(Format::Latex, &heads(), &cells, &[]);
        assert_eq!(
            tex,
            "    0.5 & {undefined (division by zero)} & {undecided} & {holds} \\\\"
        );
        let json = render_row(Format::Json, &heads(), &cells, &unmet);
        let j: Json = serde_json::from_str(&json).unwrap();
        assert_eq!(j["lambda"], "undefined (division by zero)");
        for (c, text) in cells
            .iter()
            .zip(["0.5", "undefined (division by zero)", "undecided"])
        {
            assert_eq!(cell_text(c), text);
            assert_eq!(&read::cell(text), c);
        }
        assert_eq!(read::unmet(Some(&hyp_cell(&unmet))), unmet);
        let enclosure = Cell::Enclosure {
            lo: "1.5".into(),
            hi: "1.6".into(),
        };
        assert_eq!(cell_text(&enclosure), "[1.5, 1.6]");
    }

    #[test]
    fn comparisons_are_told() {
        assert_eq!(
            comparison_text("t.csv", &Comparison::UpToDate),
            "t.csv: up to date\n"
        );
        let d = Diff {
            columns: Some((vec!["a".into()], vec!["a".into(), "b".into()])),
            rows: Some((1, 2)),
            cells: vec![CellDiff {
                row: 1,
                column: "a".into(),
                file: "1".into(),
                regenerated: "2".into(),
            }],
            differing: 3,
        };
        assert_eq!(
            comparison_text("t.csv", &Comparison::Differs(d)),
            "t.csv: differs from the regenerated table\n  columns: file has a, regenerated a, b\n  rows: file has 1, regenerated 2\n  row 1, column a: file has 1, regenerated 2\n  … and 2 more cells\n"
        );
        assert_eq!(
            comparison_text("t.md", &Comparison::Differs(Diff::default())),
            "t.md: differs from the regenerated table\n  (the cells agree; the text around them differs: caption, label, header or format)\n"
        );
    }
}
