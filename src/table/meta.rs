//! What a table states about itself, whatever it is written in: its format, its columns'
//! heads (with how each column's numbers are rounded) and the description every format prints.

/// The formats a table is written in and read back from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Latex,
    Csv,
    Json,
}

/// How a column's cells are obtained: a parameter's exact value, a quantity rounded up, down
/// or to nearest, or a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Exact,
    Up,
    Down,
    Nearest,
    Verdict,
}

impl Rounding {
    /// The word a table file uses for it (`exact`, `up`, `down`, `nearest`, `verdict`): the
    /// suffix of a CSV column, the `rounding` of a JSON column.
    pub fn word(self) -> &'static str {
        match self {
            Rounding::Exact => "exact",
            Rounding::Up => "up",
            Rounding::Down => "down",
            Rounding::Nearest => "nearest",
            Rounding::Verdict => "verdict",
        }
    }
}

/// A column's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub name: String,
    pub symbol: String,
    pub latex: String,
    pub rounding: Rounding,
}

/// What every format states about the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub result: String,
    pub title: String,
    pub heads: Vec<Head>,
    pub digits: usize,
    pub prec: u32,
    pub caption: Option<String>,
    pub label: Option<String>,
}
