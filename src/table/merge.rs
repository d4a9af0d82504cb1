//! `--merge`: parts written as CSV or JSON (by shards of one command) joined, in the order
//! given, into one table, every part read and checked before anything is written.

use super::cell::Row;
use super::meta::{Format, Head, Meta, Rounding};
use super::pipeline::TableWriter;
use super::read::{self, Parsed, parse_part};
use crate::error::{Error, Result, Usage};
use crate::limits::{Bytes, check_memory};

/// Memory per byte of a part (its text and its cells as strings), estimated.
pub const MERGE_BYTES_PER_BYTE: u128 = 8;

/// Parts joined: what the table states about itself and its rows, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    pub meta: Meta,
    pub rows: Vec<Row>,
}

impl Merged {
    /// Writes the joined table: header, rows, footer.
    pub fn write(&self, w: &mut dyn TableWriter) -> Result<()> {
        w.header()?;
        for r in &self.rows {
            w.row(&r.cells, &r.unmet)?;
        }
        w.footer()
    }
}

/// The head a CSV column name stands for: `NAME[up]`, `NAME[down]` and any other `NAME[…]`
/// (nearest) are quantities, a bare `NAME` is exact; the symbol is the name, the LaTeX the
/// name with `_` escaped.
fn csv_head(h: &str) -> Head {
    let (name, rounding) = match h.split_once('[') {
        Some((n, r)) => (
            n.to_string(),
            match r.trim_end_matches(']') {
                "up" => Rounding::Up,
                "down" => Rounding::Down,
                _ => Rounding::Nearest,
            },
        ),
        None => (h.to_string(), Rounding::Exact),
    };
    Head {
        symbol: name.clone(),
        latex: name.replace('_', "\\_"),
        name,
        rounding,
    }
}

/// The description a JSON part states (result, digits, precision, columns), over `meta`: a
/// missing digits or precision is 6 or 256, a missing or unknown rounding exact. Nothing when
/// `text` is not JSON.
fn json_meta(text: &str, meta: &mut Meta) {
    let Ok(j) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    meta.result = j["result"].as_str().unwrap_or("").to_string();
    meta.digits = j["digits"].as_u64().unwrap_or(6) as usize;
    // a precision no run could have used is kept out of range (the parts then disagree with
    // any real one), never wrapped into a small one
    meta.prec = j["precision_bits"]
        .as_u64()
        .map_or(256, |p| u32::try_from(p).unwrap_or(u32::MAX));
    if let Some(cols) = j["columns"].as_array() {
        meta.heads = cols
            .iter()
            .map(|c| Head {
                name: c["name"].as_str().unwrap_or("").into(),
                symbol: c["symbol"].as_str().unwrap_or("").into(),
                latex: c["latex"].as_str().unwrap_or("").into(),
                rounding: match c["rounding"].as_str() {
                    Some("up") => Rounding::Up,
                    Some("down") => Rounding::Down,
                    Some("nearest") => Rounding::Nearest,
                    Some("verdict") => Rounding::Verdict,
                    _ => Rounding::Exact,
                },
            })
            .collect();
    }
}

/// Joins `parts` (`.json` files read as JSON, any other as CSV), in order, after checking
/// that they fit in memory ([`MERGE_BYTES_PER_BYTE`] per byte), that each is a part written
/// by the table (a malformed one is refused with its path and line) and that all have the
/// first part's columns. The description is the first JSON part's, if any; else the CSV
/// header's, with `digits` and `prec`; `caption` and `label` are the caller's.
pub fn read_parts(
    parts: &[String],
    digits: usize,
    prec: u32,
    caption: Option<String>,
    label: Option<String>,
) -> Result<Merged> {
    let mut bytes = Bytes::ZERO;
    for path in parts {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        bytes = bytes.plus(Bytes::of(meta.len() as u128, MERGE_BYTES_PER_BYTE));
    }
    check_memory(
        || format!("--merge of {} parts", parts.len()),
        bytes,
        "merge fewer parts at a time",
    )?;
    let mut heads: Option<Vec<String>> = None;
    let mut meta_text: Option<String> = None;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for path in parts {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let format = if path.ends_with(".json") {
            Format::Json
        } else {
            Format::Csv
        };
        let p: Parsed = parse_part(&text, format).map_err(|e| match e.line {
            Some(line) => Error::Malformed {
                path: path.clone(),
                line,
                message: e.message,
            },
            None => Usage::at(path, e.message).into(),
        })?;
        if format == Format::Json {
            meta_text.get_or_insert(text);
        }
        match &heads {
            None => heads = Some(p.heads),
            Some(h) if *h != p.heads => {
                return Err(Usage::at(
                    path,
                    "its columns differ from the first part's; parts must come from the same command",
                )
                .into());
            }
            _ => {}
        }
        rows.extend(p.rows);
    }
    let heads = heads.unwrap_or_default();
    let n = heads.len().saturating_sub(1);
    let mut meta = Meta {
        result: String::new(),
        title: "the result".into(),
        heads: heads[..n].iter().map(|h| csv_head(h)).collect(),
        digits,
        prec,
        caption,
        label,
    };
    if let Some(t) = &meta_text {
        json_meta(t, &mut meta);
    }
    let rows = rows
        .into_iter()
        .map(|r| {
            let (cells, hyp) = r.split_at(n);
            Row {
                cells: cells.iter().map(|c| read::cell(c)).collect(),
                unmet: read::unmet(hyp.first().map(String::as_str)),
            }
        })
        .collect();
    Ok(Merged { meta, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::Truth;
    use crate::table::{Cell, Unmet};

    fn write(name: &str, text: &str) -> String {
        let dir = std::env::temp_dir().join(format!("sgdbounds-merge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name).to_str().unwrap().to_string();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn csv_parts_are_joined_in_order() {
        let a = write(
            "a.csv",
            "eta,lambda[up],lemma5,hypotheses\n0.1,0.5,holds,holds\n",
        );
        let b = write(
            "b.csv",
            "eta,lambda[up],lemma5,hypotheses\n0.2,\"undefined (division by zero)\",fails,\"fails: a; undefined: b\"\n",
        );
        let m = read_parts(&[a, b], 8, 128, Some("Cap".into()), None).unwrap();
        assert_eq!(m.meta.digits, 8);
        assert_eq!(m.meta.prec, 128);
        assert_eq!(m.meta.caption.as_deref(), Some("Cap"));
        assert_eq!(m.meta.title, "the result");
        let roundings: Vec<Rounding> = m.meta.heads.iter().map(|h| h.rounding).collect();
        assert_eq!(roundings, [Rounding::Exact, Rounding::Up, Rounding::Exact]);
        assert_eq!(m.rows.len(), 2);
        assert_eq!(
            m.rows[0].cells,
            [
                Cell::Decimal("0.1".into()),
                Cell::Decimal("0.5".into()),
                Cell::Verdict(Truth::True)
            ]
        );
        assert!(m.rows[0].unmet.is_empty());
        assert_eq!(
            m.rows[1].cells[1],
            Cell::Undefined("division by zero".into())
        );
        assert_eq!(
            m.rows[1].unmet,
            [Unmet::Fails("a".into()), Unmet::Undefined("b".into())]
        );
    }

    #[test]
    fn a_json_part_states_the_description() {
        let head = r#"{"result":"lemma5","digits":9,"precision_bits":512,"columns":[{"name":"eta","symbol":"η","latex":"\\eta","rounding":"exact"},{"name":"lemma5","symbol":"lemma5","latex":"x","rounding":"verdict"}],"rows":["#;
        let a = write(
            "a.json",
            &format!(
                "{head}\n{{\"eta\":\"0.1\",\"lemma5\":\"holds\",\"hypotheses\":\"holds\"}}\n]}}"
            ),
        );
        let m = read_parts(&[a], 6, 256, None, None).unwrap();
        assert_eq!(m.meta.result, "lemma5");
        assert_eq!(m.meta.digits, 9);
        assert_eq!(m.meta.prec, 512);
        assert_eq!(m.meta.heads[0].symbol, "η");
        assert_eq!(m.meta.heads[1].rounding, Rounding::Verdict);
    }

    #[test]
    fn bad_parts_are_refused_with_their_path() {
        let a = write("c.csv", "eta,hypotheses\n0.1,holds\n");
        let b = write("d.csv", "eta,L,hypotheses\n0.1,1,holds\n");
        let e = read_parts(&[a.clone(), b.clone()], 6, 256, None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{b}: its columns differ from the first part's; parts must come from the same command"
            )
        );
        let bad = write("e.csv", "eta,hypotheses\n0.1\n");
        let e = read_parts(std::slice::from_ref(&bad), 6, 256, None, None).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("{bad}, line 2: ")),
            "{e}"
        );
        let empty = write("f.csv", "");
        let e = read_parts(std::slice::from_ref(&empty), 6, 256, None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{empty}: the file is empty; expected a header line and rows")
        );
        let missing = format!("{a}.missing");
        assert!(matches!(
            read_parts(&[missing], 6, 256, None, None),
            Err(Error::Io { .. })
        ));
    }
}
