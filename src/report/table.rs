//! Renderers of bound tables: Markdown, LaTeX (booktabs, numbers ready for siunitx), CSV and
//! JSON. Each writes a header, rows as they come (so a table of millions of rows streams), and a
//! footer; and each can be read back into cells, for `--check` and `--merge`.

use crate::error::{Error, Result};
use serde_json::{Value as Json, json};
use std::io::Write;

/// The formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Latex,
    Csv,
    Json,
}

/// A column's header.
#[derive(Clone, Debug)]
pub struct Head {
    pub name: String,
    pub symbol: String,
    pub latex: String,
    /// "exact", "up", "down", "nearest" or "verdict".
    pub rounding: &'static str,
}

/// What every format states about the table.
#[derive(Clone, Debug)]
pub struct Meta {
    pub result: String,
    pub title: String,
    pub heads: Vec<Head>,
    pub digits: usize,
    pub prec: u32,
    pub caption: Option<String>,
    pub label: Option<String>,
}

impl Meta {
    /// One sentence on rounding, naming the columns of each kind.
    pub fn rounding_sentence(&self) -> String {
        self.sentence(false)
    }

    /// The same sentence, with LaTeX symbols (`$\delta^2$`) in place of Unicode ones.
    pub fn rounding_sentence_latex(&self) -> String {
        self.sentence(true).replace('†', "$^\\dagger$")
    }

    fn sentence(&self, latex: bool) -> String {
        let names = |kind: &str| -> Vec<String> {
            self.heads
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
        let up = names("up");
        if !up.is_empty() {
            parts.push(format!("upper bounds rounded up ({})", up.join(", ")));
        }
        let down = names("down");
        if !down.is_empty() {
            parts.push(format!("lower bounds rounded down ({})", down.join(", ")));
        }
        let near = names("nearest");
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
            self.digits,
            env!("CARGO_PKG_VERSION"),
            self.title
        )
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn hyp_cell(failing: &[String]) -> String {
    if failing.is_empty() {
        "holds".into()
    } else {
        format!("fails: {}", failing.join("; "))
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
fn latex_cell(s: &str, rounding: &str) -> String {
    if rounding == "verdict" || s.parse::<f64>().is_err() {
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
                writeln!(o, "{}.\n", m.rounding_sentence()).map_err(io)?;
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
                        if h.rounding == "verdict" {
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
                writeln!(o, "% {}.", m.rounding_sentence()).map_err(io)?;
                writeln!(o, "% Needs \\usepackage{{booktabs,siunitx}}.").map_err(io)?;
                writeln!(o, "\\begin{{table}}\n  \\centering").map_err(io)?;
                if let Some(c) = &m.caption {
                    writeln!(o, "  \\caption{{{c} {}.}}", m.rounding_sentence_latex())
                        .map_err(io)?;
                }
                if let Some(l) = &m.label {
                    writeln!(o, "  \\label{{{l}}}").map_err(io)?;
                }
                let spec: String = m
                    .heads
                    .iter()
                    .map(|h| if h.rounding == "verdict" { 'l' } else { 'S' })
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
                        "exact" | "verdict" => h.name.clone(),
                        r => format!("{}[{r}]", h.name),
                    })
                    .chain(["hypotheses".into()])
                    .collect();
                writeln!(o, "{}", heads.join(",")).map_err(io)?;
            }
            Format::Json => {
                let cols: Vec<Json> = m
                    .heads
                    .iter()
                    .map(|h| json!({"name": h.name, "symbol": h.symbol, "latex": h.latex, "rounding": h.rounding}))
                    .collect();
                let head = json!({
                    "tool": "sgdbounds",
                    "version": env!("CARGO_PKG_VERSION"),
                    "result": m.result,
                    "precision_bits": m.prec,
                    "digits": m.digits,
                    "rounding": m.rounding_sentence(),
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
    pub fn row(&mut self, cells: &[String], failing: &[String]) -> Result<()> {
        let line = render_row(self.format, &self.meta.heads, cells, failing);
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

/// One row as text in `format`, without the line end (JSON: the object, without separator).
pub fn render_row(format: Format, heads: &[Head], cells: &[String], failing: &[String]) -> String {
    let mut out = String::new();
    render_row_into(&mut out, format, heads, cells, failing);
    out
}

/// [`render_row`], appended to `out`.
pub fn render_row_into(
    out: &mut String,
    format: Format,
    heads: &[Head],
    cells: &[String],
    failing: &[String],
) {
    if format == Format::Csv {
        for c in cells {
            csv_cell(out, c);
            out.push(',');
        }
        if failing.is_empty() {
            out.push_str("holds");
        } else {
            csv_cell(out, &hyp_cell(failing));
        }
        return;
    }
    out.push_str(&render_other(format, heads, cells, failing));
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

fn render_other(format: Format, heads: &[Head], cells: &[String], failing: &[String]) -> String {
    let hyp = hyp_cell(failing);
    match format {
        Format::Markdown => {
            let mark = if failing.is_empty() { "" } else { " †" };
            format!("| {} | {}{} |", cells.join(" | "), hyp, mark)
        }
        Format::Latex => {
            let cs: Vec<String> = cells
                .iter()
                .zip(heads)
                .map(|(c, h)| latex_cell(c, h.rounding))
                .collect();
            let mark = if failing.is_empty() {
                ""
            } else {
                "$^\\dagger$"
            };
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
            for (c, h) in cells.iter().zip(heads) {
                obj.insert(h.name.clone(), json!(c));
            }
            obj.insert("hypotheses".into(), json!(hyp));
            Json::Object(obj).to_string()
        }
    }
}

/// A table read back: the column names and each row's cells (the last cell is `hypotheses`).
#[derive(Debug, PartialEq)]
pub struct Parsed {
    pub heads: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A CSV row's cells, and whether every quoted cell was closed.
fn csv_cells(line: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    (out, !quoted)
}

fn split_csv(line: &str) -> Vec<String> {
    csv_cells(line).0
}

/// Reads a table written by [`Writer`] back into cells.
pub fn parse(text: &str, format: Format) -> Result<Parsed> {
    let bad = |m: &str| Error::usage(format!("not a {format:?} table written by sgdbounds: {m}"));
    match format {
        Format::Csv => {
            let mut lines = text.lines().filter(|l| !l.is_empty());
            let heads = split_csv(lines.next().ok_or_else(|| bad("empty"))?);
            Ok(Parsed {
                heads,
                rows: lines.map(split_csv).collect(),
            })
        }
        Format::Markdown => {
            let table: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
            if table.len() < 2 {
                return Err(bad("no table"));
            }
            let cells = |l: &str| -> Vec<String> {
                l.trim()
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().trim_end_matches(" †").to_string())
                    .collect()
            };
            Ok(Parsed {
                heads: cells(table[0]),
                rows: table[2..].iter().map(|l| cells(l)).collect(),
            })
        }
        Format::Latex => {
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            let mid = lines
                .iter()
                .position(|l| *l == "\\midrule")
                .ok_or_else(|| bad("no \\midrule"))?;
            let end = lines
                .iter()
                .position(|l| *l == "\\bottomrule")
                .ok_or_else(|| bad("no \\bottomrule"))?;
            let cells = |l: &str| -> Vec<String> {
                l.trim_end_matches("\\\\")
                    .split('&')
                    .map(|c| c.trim().to_string())
                    .collect()
            };
            Ok(Parsed {
                heads: cells(lines[mid - 1]),
                rows: lines[mid + 1..end].iter().map(|l| cells(l)).collect(),
            })
        }
        Format::Json => {
            let j: Json = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
            let heads: Vec<String> = j["columns"]
                .as_array()
                .ok_or_else(|| bad("no columns"))?
                .iter()
                .filter_map(|c| c["name"].as_str().map(String::from))
                .chain(["hypotheses".to_string()])
                .collect();
            let rows = j["rows"]
                .as_array()
                .ok_or_else(|| bad("no rows"))?
                .iter()
                .map(|r| {
                    heads
                        .iter()
                        .map(|h| r[h].as_str().unwrap_or("").to_string())
                        .collect()
                })
                .collect();
            Ok(Parsed { heads, rows })
        }
    }
}

/// Why a part given to `--merge` was refused: the line (1-based) where that is known, and what
/// is wrong.
#[derive(Debug, PartialEq)]
pub struct PartError {
    pub line: Option<usize>,
    pub message: String,
}

/// A CSV row's cells, or the reason it is not one (an unterminated quoted cell).
fn split_csv_strict(line: &str) -> std::result::Result<Vec<String>, String> {
    match csv_cells(line) {
        (cells, true) => Ok(cells),
        (_, false) => Err("a quoted cell is not closed".into()),
    }
}

/// Checks one cell of a part against its column: `rounding` is the column's suffix in a CSV
/// header (`up`, `down`, `nearest`), or `None` for a parameter or verdict column.
fn check_cell(cell: &str, rounding: Option<&str>) -> std::result::Result<(), String> {
    if cell.is_empty() {
        return Err("is empty".into());
    }
    if cell.starts_with("undefined (") && cell.ends_with(')') {
        return Ok(());
    }
    let number = crate::arith::parse_rational(cell).is_ok();
    match rounding {
        Some(_) if number => Ok(()),
        Some(_) => Err(format!("`{cell}` is not a number")),
        None if number || matches!(cell, "holds" | "fails" | "undecided") => Ok(()),
        None => Err(format!(
            "`{cell}` is neither a number nor holds, fails or undecided"
        )),
    }
}

/// Checks a row's hypotheses cell: `holds`, or `fails: ` and the names that fail.
fn check_hypotheses(cell: &str) -> std::result::Result<(), String> {
    if cell == "holds" {
        return Ok(());
    }
    match cell.strip_prefix("fails: ") {
        Some(rest) if rest.split("; ").all(|n| !n.trim().is_empty()) => Ok(()),
        _ => Err(format!(
            "the hypotheses cell is `{cell}`; expected `holds` or `fails: ` and the names of the hypotheses that fail"
        )),
    }
}

/// Reads a part written by `table --format csv` or `--format json` for `--merge`, refusing
/// anything that is not one: a header without the `hypotheses` column, a row with more or fewer
/// cells than the header, an unterminated quote, an empty cell, a cell that is not a number
/// (or a verdict, or `undefined (…)`), a hypotheses cell that is not `holds` or `fails: …`.
pub fn parse_part(text: &str, format: Format) -> std::result::Result<Parsed, PartError> {
    let at = |line: usize, message: String| PartError {
        line: Some(line),
        message,
    };
    match format {
        Format::Csv => {
            let mut lines = text
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l))
                .filter(|(_, l)| !l.trim().is_empty());
            let (hl, head) = lines.next().ok_or(PartError {
                line: None,
                message: "the file is empty; expected a header line and rows".into(),
            })?;
            let heads = split_csv_strict(head).map_err(|m| at(hl, m))?;
            if heads.last().map(String::as_str) != Some("hypotheses") {
                return Err(at(
                    hl,
                    format!(
                        "the header `{head}` does not end with the `hypotheses` column; is this a table written by `sgdbounds table --format csv`?"
                    ),
                ));
            }
            let mut roundings = Vec::new();
            for h in &heads[..heads.len() - 1] {
                let (name, rounding) = match h.split_once('[') {
                    Some((n, r)) => match r.strip_suffix(']') {
                        Some(r @ ("up" | "down" | "nearest")) => (n, Some(r)),
                        _ => {
                            return Err(at(
                                hl,
                                format!(
                                    "the column `{h}` has an unknown rounding; expected NAME, NAME[up], NAME[down] or NAME[nearest]"
                                ),
                            ));
                        }
                    },
                    None => (h.as_str(), None),
                };
                if name.is_empty() {
                    return Err(at(hl, "a column of the header has no name".into()));
                }
                roundings.push(rounding);
            }
            let mut rows = Vec::new();
            for (ln, line) in lines {
                let cells = split_csv_strict(line).map_err(|m| at(ln, m))?;
                if cells.len() != heads.len() {
                    return Err(at(
                        ln,
                        format!(
                            "the row has {} cells, the header {} ({})",
                            cells.len(),
                            heads.len(),
                            heads.join(",")
                        ),
                    ));
                }
                for ((c, h), r) in cells.iter().zip(&heads).zip(&roundings) {
                    check_cell(c, *r).map_err(|m| at(ln, format!("column `{h}`: the cell {m}")))?;
                }
                check_hypotheses(&cells[cells.len() - 1]).map_err(|m| at(ln, m))?;
                rows.push(cells);
            }
            Ok(Parsed { heads, rows })
        }
        Format::Json => {
            let bad = |m: String| PartError {
                line: None,
                message: m,
            };
            let j: Json =
                serde_json::from_str(text).map_err(|e| at(e.line(), format!("not JSON: {e}")))?;
            let cols = j["columns"]
                .as_array()
                .ok_or_else(|| bad("no `columns` list; is this a table written by `sgdbounds table --format json`?".into()))?;
            let mut heads = Vec::new();
            let mut roundings = Vec::new();
            for c in cols {
                let name = c["name"]
                    .as_str()
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| bad(format!("a column has no name: {c}")))?;
                heads.push(name.to_string());
                roundings.push(match c["rounding"].as_str() {
                    Some("up" | "down" | "nearest") => Some("number"),
                    Some("exact" | "verdict") => None,
                    other => {
                        return Err(bad(format!("column `{name}`: unknown rounding {other:?}")));
                    }
                });
            }
            heads.push("hypotheses".into());
            let list = j["rows"]
                .as_array()
                .ok_or_else(|| bad("no `rows` list".into()))?;
            let mut rows = Vec::new();
            for (i, r) in list.iter().enumerate() {
                let row = |m: String| bad(format!("row {}: {m}", i + 1));
                let obj = r
                    .as_object()
                    .ok_or_else(|| row(format!("not an object: {r}")))?;
                if obj.len() != heads.len() {
                    return Err(row(format!(
                        "it has {} cells, the columns are {} ({})",
                        obj.len(),
                        heads.len(),
                        heads.join(", ")
                    )));
                }
                let mut cells = Vec::with_capacity(heads.len());
                for (k, h) in heads.iter().enumerate() {
                    let c = obj
                        .get(h)
                        .and_then(Json::as_str)
                        .ok_or_else(|| row(format!("column `{h}` is missing or not a string")))?;
                    match roundings.get(k) {
                        Some(r) => check_cell(c, *r)
                            .map_err(|m| row(format!("column `{h}`: the cell {m}")))?,
                        None => check_hypotheses(c).map_err(row)?,
                    }
                    cells.push(c.to_string());
                }
                rows.push(cells);
            }
            Ok(Parsed { heads, rows })
        }
        Format::Markdown | Format::Latex => Err(PartError {
            line: None,
            message: "parts to merge must be written as csv or json".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "eta,L,lambda[nearest],lemma5,hypotheses\n0.001,1,0.000999,holds,holds\n0.3,2,\"undefined (division by zero)\",fails,fails: eta_below_half_over_L; c_positive\n";

    fn err(text: &str) -> PartError {
        parse_part(text, Format::Csv).unwrap_err()
    }

    #[test]
    fn parts_written_by_the_table_are_read() {
        let p = parse_part(GOOD, Format::Csv).unwrap();
        assert_eq!(p.heads.len(), 5);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p, parse(GOOD, Format::Csv).unwrap());
    }

    #[test]
    fn malformed_parts_are_refused_with_the_line() {
        // a row without its hypotheses cell: it must not come out as "holds"
        let e = err("eta,L,hypotheses\n0.1,1,holds\n0.2,2\n");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("2 cells, the header 3"), "{}", e.message);
        let e = err("eta,L,hypotheses\n\n0.1,1,maybe\n");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("`maybe`"), "{}", e.message);
        let e = err("eta,L,hypotheses\n0.1,\"1,holds\n");
        assert!(e.message.contains("not closed"), "{}", e.message);
        let e = err("eta,L\n0.1,1\n");
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("hypotheses"), "{}", e.message);
        let e = err("eta,lambda[up],hypotheses\n0.1,,holds\n");
        assert!(
            e.message.contains("lambda[up]") && e.message.contains("empty"),
            "{}",
            e.message
        );
        let e = err("eta,lambda[up],hypotheses\n0.1,lots,holds\n");
        assert!(e.message.contains("not a number"), "{}", e.message);
        let e = err("eta,lambda[sideways],hypotheses\n");
        assert!(e.message.contains("unknown rounding"), "{}", e.message);
        let e = err("eta,L,hypotheses\n0.1,1,fails: \n");
        assert!(e.message.contains("hypotheses cell"), "{}", e.message);
        assert_eq!(err("").line, None);
    }

    #[test]
    fn malformed_json_parts_are_refused_with_the_row() {
        let head = r#"{"columns":[{"name":"eta","rounding":"exact"}],"rows":["#;
        let ok = format!("{head}\n{{\"eta\":\"0.1\",\"hypotheses\":\"holds\"}}\n]}}");
        assert_eq!(parse_part(&ok, Format::Json).unwrap().rows.len(), 1);
        let missing = format!("{head}\n{{\"eta\":\"0.1\"}}\n]}}");
        let e = parse_part(&missing, Format::Json).unwrap_err();
        assert!(e.message.contains("row 1"), "{}", e.message);
        let e = parse_part("{not json", Format::Json).unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
