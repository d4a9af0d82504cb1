//! Reading tables back: the lenient reader of every format (for `--check`, which compares
//! cells) and the strict reader of the parts `--merge` joins (CSV or JSON, every cell checked),
//! with the typed values a part's cells stand for. The inverse of the renderers: a cell or a
//! hypotheses cell read here and written again comes out as the same text.

use super::cell::{Cell, Unmet};
use super::meta::Format;
use crate::arith::Truth;
use crate::error::{Error, Result, Usage};
use serde_json::Value as Json;

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

/// Reads a table written by the table writer (in any format) back into cells, leniently:
/// for `--check`, which compares them as text.
pub fn parse(text: &str, format: Format) -> Result<Parsed> {
    let bad = |m: &str| {
        Error::from(Usage::NotATable {
            format,
            problem: m.to_string(),
        })
    };
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
            if mid == 0 {
                return Err(bad("no header row above \\midrule"));
            }
            let end = lines[mid..]
                .iter()
                .position(|l| *l == "\\bottomrule")
                .map(|i| mid + i)
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

/// The typed value of a cell as a table writes it: `undefined (REASON)` is
/// [`Cell::Undefined`], `holds`, `fails` and `undecided` are verdicts, anything else (a
/// decimal, as the strict reader accepts it in a part) is [`Cell::Decimal`].
pub fn cell(text: &str) -> Cell {
    if let Some(reason) = text
        .strip_prefix("undefined (")
        .and_then(|r| r.strip_suffix(')'))
    {
        return Cell::Undefined(reason.to_string());
    }
    match text {
        "holds" => Cell::Verdict(Truth::True),
        "fails" => Cell::Verdict(Truth::False),
        "undecided" => Cell::Verdict(Truth::Unknown),
        _ => Cell::Decimal(text.to_string()),
    }
}

/// The unmet hypotheses of a row's hypotheses cell: none for `holds` (or no cell); for
/// `fails: A; undefined: B; undecided: C`, each name with what the prefix says
/// ([`Unmet::Fails`] without one).
pub fn unmet(text: Option<&str>) -> Vec<Unmet> {
    match text {
        Some("holds") | None => vec![],
        Some(h) => h
            .trim_start_matches("fails: ")
            .split("; ")
            .map(|n| {
                if let Some(name) = n.strip_prefix("undefined: ") {
                    Unmet::Undefined(name.to_string())
                } else if let Some(name) = n.strip_prefix("undecided: ") {
                    Unmet::Undecided(name.to_string())
                } else {
                    Unmet::Fails(n.to_string())
                }
            })
            .collect(),
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

    #[test]
    fn cells_are_read_into_their_typed_values() {
        assert_eq!(cell("0.5"), Cell::Decimal("0.5".into()));
        assert_eq!(cell("holds"), Cell::Verdict(Truth::True));
        assert_eq!(cell("fails"), Cell::Verdict(Truth::False));
        assert_eq!(cell("undecided"), Cell::Verdict(Truth::Unknown));
        assert_eq!(
            cell("undefined (division by zero)"),
            Cell::Undefined("division by zero".into())
        );
        // not the wording of an undefined cell: kept as written
        assert_eq!(cell("undefined"), Cell::Decimal("undefined".into()));
        assert_eq!(unmet(Some("holds")), vec![]);
        assert_eq!(unmet(None), vec![]);
        assert_eq!(
            unmet(Some("fails: a; undefined: b; undecided: c")),
            vec![
                Unmet::Fails("a".into()),
                Unmet::Undefined("b".into()),
                Unmet::Undecided("c".into())
            ]
        );
    }

    #[test]
    fn every_format_is_read_back_leniently() {
        let md =
            "Rounding.\n\n| η | hypotheses |\n|---:|:---|\n| 0.1 | holds |\n| 0.2 | fails: a † |\n";
        let p = parse(md, Format::Markdown).unwrap();
        assert_eq!(p.heads, ["η", "hypotheses"]);
        assert_eq!(p.rows, [["0.1", "holds"], ["0.2", "fails: a"]]);
        let tex = "  \\begin{tabular}{Sl}\n    \\toprule\n    {$\\eta$} & {hypotheses} \\\\\n    \\midrule\n    0.1 & {holds} \\\\\n    \\bottomrule\n";
        let p = parse(tex, Format::Latex).unwrap();
        assert_eq!(p.heads, ["{$\\eta$}", "{hypotheses}"]);
        assert_eq!(p.rows, [["0.1", "{holds}"]]);
        assert!(parse("no table here", Format::Markdown).is_err());
        assert!(parse("\\midrule\n", Format::Latex).is_err());
        // a rule out of place is an error, not a panic
        assert!(parse("\\midrule\n\\bottomrule\n", Format::Latex).is_err());
        assert!(parse("a & b \\\\\n\\bottomrule\n\\midrule\n", Format::Latex).is_err());
        let json = r#"{"columns":[{"name":"eta"}],"rows":[{"eta":"0.1","hypotheses":"holds"}]}"#;
        let p = parse(json, Format::Json).unwrap();
        assert_eq!(p.rows, [["0.1", "holds"]]);
    }
}
