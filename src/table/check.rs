//! `--check`: a regenerated table compared with the file a paper keeps, cell by cell.

use super::meta::Format;
use super::read::parse;
use crate::error::{Error, Result, Usage};

/// How many differing cells a [`Diff`] lists; the rest are counted.
pub const LISTED_CELLS: usize = 50;

/// The outcome of comparing a file with the regenerated table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The same text, up to trailing spaces on a line and blank lines at either end.
    UpToDate,
    /// The file differs from the regenerated table.
    Differs(Diff),
}

/// How a file differs from the regenerated table, as both are read back.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Diff {
    /// The column names (the file's, the regenerated table's), when they differ.
    pub columns: Option<(Vec<String>, Vec<String>)>,
    /// The numbers of rows (the file's, the regenerated table's), when they differ.
    pub rows: Option<(usize, usize)>,
    /// The first [`LISTED_CELLS`] cells that differ, row by row, among the rows and columns
    /// both have.
    pub cells: Vec<CellDiff>,
    /// How many cells differ in all.
    pub differing: usize,
}

impl Diff {
    /// True when the cells, the columns and the number of rows agree: only the text around
    /// them differs (caption, label, header or format).
    pub fn only_text(&self) -> bool {
        self.differing == 0 && self.columns.is_none() && self.rows.is_none()
    }
}

/// One cell that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellDiff {
    /// 1-based.
    pub row: usize,
    /// The regenerated table's name of the column (`?` past its last).
    pub column: String,
    pub file: String,
    pub regenerated: String,
}

/// Compares `want`, the text of the file `path`, with `got`, the regenerated table, both in
/// `format`. Texts equal up to trailing spaces and blank lines at either end are up to date;
/// otherwise both are read back (a file that cannot be read as a table of `format` is a usage
/// error naming `path`) and compared column by column and cell by cell.
pub fn compare(want: &str, got: &str, format: Format, path: &str) -> Result<Comparison> {
    let norm = |s: &str| {
        s.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    };
    if norm(want) == norm(got) {
        return Ok(Comparison::UpToDate);
    }
    let a = parse(want, format).map_err(|e| Usage::at(path, e))?;
    let b = parse(got, format)?;
    let mut diff = Diff {
        columns: (a.heads != b.heads).then(|| (a.heads.clone(), b.heads.clone())),
        rows: (a.rows.len() != b.rows.len()).then_some((a.rows.len(), b.rows.len())),
        ..Diff::default()
    };
    for (i, (ra, rb)) in a.rows.iter().zip(&b.rows).enumerate() {
        for (j, (ca, cb)) in ra.iter().zip(rb).enumerate() {
            if ca != cb {
                diff.differing += 1;
                if diff.cells.len() < LISTED_CELLS {
                    diff.cells.push(CellDiff {
                        row: i + 1,
                        column: b.heads.get(j).map_or("?", String::as_str).to_string(),
                        file: ca.clone(),
                        regenerated: cb.clone(),
                    });
                }
            }
        }
    }
    Ok(Comparison::Differs(diff))
}

/// [`compare`] with the file at `path`, read now (after the table was regenerated); `got` is
/// the regenerated table's bytes (UTF-8, as the writers write).
pub fn against_file(path: &str, got: &[u8], format: Format) -> Result<Comparison> {
    let want = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_string(),
        source,
    })?;
    let got = std::str::from_utf8(got).expect("UTF-8");
    compare(&want, got, format, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "eta,lambda[nearest],hypotheses\n0.1,0.5,holds\n0.2,0.25,holds\n";

    #[test]
    fn equal_texts_are_up_to_date() {
        let spaced = "\neta,lambda[nearest],hypotheses  \n0.1,0.5,holds\n0.2,0.25,holds\n\n\n";
        assert_eq!(
            compare(spaced, TABLE, Format::Csv, "t.csv").unwrap(),
            Comparison::UpToDate
        );
    }

    #[test]
    fn differing_cells_are_listed_with_their_row_and_column() {
        let file = "eta,lambda[nearest],hypotheses\n0.1,0.6,holds\n0.2,0.25,fails: a\n";
        let Comparison::Differs(d) = compare(file, TABLE, Format::Csv, "t.csv").unwrap() else {
            panic!("differs")
        };
        assert_eq!(d.columns, None);
        assert_eq!(d.rows, None);
        assert_eq!(d.differing, 2);
        assert_eq!(
            d.cells[0],
            CellDiff {
                row: 1,
                column: "lambda[nearest]".into(),
                file: "0.6".into(),
                regenerated: "0.5".into()
            }
        );
        assert_eq!(d.cells[1].row, 2);
        assert_eq!(d.cells[1].column, "hypotheses");
        assert!(!d.only_text());
    }

    #[test]
    fn columns_rows_and_text_differences_are_told_apart() {
        let fewer = "eta,hypotheses\n0.1,holds\n";
        let Comparison::Differs(d) = compare(fewer, TABLE, Format::Csv, "t.csv").unwrap() else {
            panic!("differs")
        };
        assert_eq!(
            d.columns,
            Some((
                vec!["eta".into(), "hypotheses".into()],
                vec!["eta".into(), "lambda[nearest]".into(), "hypotheses".into()]
            ))
        );
        assert_eq!(d.rows, Some((1, 2)));
        // a caption only: the cells agree
        let md = |caption: &str| {
            format!("{caption}Rounding.\n\n| η | hypotheses |\n|---:|:---|\n| 0.1 | holds |\n")
        };
        let Comparison::Differs(d) =
            compare(&md("**Old**\n\n"), &md(""), Format::Markdown, "t.md").unwrap()
        else {
            panic!("differs")
        };
        assert!(d.only_text());
    }

    #[test]
    fn many_differences_are_counted_past_the_listed_ones() {
        let rows = |v: &str| {
            let mut t = String::from("eta,hypotheses\n");
            for _ in 0..120 {
                t.push_str(&format!("{v},holds\n"));
            }
            t
        };
        let Comparison::Differs(d) = compare(&rows("1"), &rows("2"), Format::Csv, "t").unwrap()
        else {
            panic!("differs")
        };
        assert_eq!(d.differing, 120);
        assert_eq!(d.cells.len(), LISTED_CELLS);
    }

    #[test]
    fn an_unreadable_file_names_its_path() {
        let e = compare(
            "not a table",
            "| a |\n|---|\n",
            Format::Markdown,
            "paper.md",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "paper.md: not a Markdown table written by sgdbounds: no table"
        );
    }
}
