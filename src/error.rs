//! Typed errors. Every error names what was wrong and where: the offending text, and for
//! expressions and proofs files a byte span rendered as the source line with carets under the
//! fault.

use crate::arith::ArithError;
pub use crate::arith::NumberError;
use thiserror::Error;

mod usage;
pub use usage::Usage;

/// A half-open byte range `start..end` into a piece of source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Where a piece of source text came from: a label such as
/// `definition `lambda` in theorem1.toml:23` and the text itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub label: String,
    pub text: String,
}

/// Renders the line of `text` that holds `span` with a caret line under the span. Long lines
/// are cut to a window around the fault so that the message stays one screen wide.
pub fn caret(text: &str, span: Span) -> String {
    let start = floor_char_boundary(text, span.start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let from = if start - line_start > 60 {
        floor_char_boundary(text, start - 60)
    } else {
        line_start
    };
    let to = floor_char_boundary(text, (from + 120).min(line_end)).max(start);
    let prefix = if from > line_start { "…" } else { "" };
    let suffix = if to < line_end { "…" } else { "" };
    let col = prefix.chars().count() + text[from..start].chars().count();
    let end = floor_char_boundary(text, span.end.min(to).max(start));
    let width = text[start..end].chars().count().max(1);
    format!(
        "    {prefix}{}{suffix}\n    {}{}",
        &text[from..to],
        " ".repeat(col),
        "^".repeat(width)
    )
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A place in a file: the 1-based line and the byte span of the offending value, with what the
/// caret display needs: the text of the span's (first) line, and where the span sits on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub span: Span,
    /// The text of line `line`, without its line end.
    pub line_text: String,
    /// The 1-based column, in characters of `line_text`, where the span starts.
    pub column: usize,
    /// How many characters of `line_text` the span covers (at least 1; a span over several lines
    /// counts only the part on its first line).
    pub width: usize,
}

impl Place {
    /// The place of `span`, a byte range into the whole file `text`.
    pub fn new(text: &str, span: Span) -> Place {
        let start = floor_char_boundary(text, span.start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = &text[line_start..line_end];
        let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
        let line = text.as_bytes()[..line_start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let column = text[line_start..start].chars().count();
        let end = floor_char_boundary(text, span.end.min(line_start + line_text.len()).max(start));
        let width = text[start..end].chars().count().max(1);
        Place {
            line,
            span,
            line_text: line_text.to_string(),
            column: column + 1,
            width,
        }
    }
}

/// The line with carets under the span, laid out as TOML parse errors are: a gutter as wide as
/// the line number, the line as it is, and the caret line with a tab wherever the line has one
/// before the span (so that the carets stand under the span whatever the tab width).
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let gutter = " ".repeat(self.line.to_string().len() + 1);
        // The line's characters before the span, each a space but a tab (and spaces past the
        // line's end, for a span that starts there).
        let indent: String = self
            .line_text
            .chars()
            .chain(std::iter::repeat(' '))
            .take(self.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(
            f,
            "{gutter}|\n{} | {}\n{gutter}| {indent}{}",
            self.line,
            self.line_text,
            "^".repeat(self.width)
        )
    }
}

/// The caret display of `at` on the lines after a message, or nothing.
fn place_text(at: &Option<Place>) -> String {
    at.as_ref().map(|p| format!("\n{p}")).unwrap_or_default()
}

/// The library's error type. `Display` gives one paragraph that names the problem and where.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{message} in {label}:\n{}", caret(text, *span))]
    Syntax {
        label: String,
        text: String,
        span: Span,
        message: String,
    },
    #[error("{label}: {source}")]
    Number {
        label: String,
        #[source]
        source: NumberError,
    },
    /// Bad input of another kind: see [`Usage`] (boxed, to keep `Error` small).
    #[error(transparent)]
    Usage(Box<Usage>),
    /// A proofs file that cannot be used: `at` is the place in it, when there is one, shown as
    /// its line with carets under the offending value.
    #[error("the proofs file {file} is broken: {message}{}", place_text(at))]
    Proofs {
        file: String,
        message: String,
        at: Option<Place>,
    },
    #[error("{message} in {label}:\n{}", caret(text, *span))]
    Eval {
        label: String,
        text: String,
        span: Span,
        message: String,
    },
    #[error("{name} = {value} is outside its domain: {domain} ({name} is the {meaning})")]
    Domain {
        name: String,
        value: String,
        domain: String,
        meaning: String,
    },
    #[error("{0}")]
    Arith(#[from] ArithError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A file that is readable but not of the form expected, at a line (1-based).
    #[error("{path}, line {line}: {message}")]
    Malformed {
        path: String,
        line: usize,
        message: String,
    },
    /// Memory that an input would make us allocate, estimated before allocating: `need` is
    /// `None` when the estimate itself overflows.
    #[error(
        "{what} would need {} of memory, but {} is available{}",
        crate::limits::bytes_text(*need),
        crate::limits::bytes_text(Some(*available as u128)),
        hint_text(hint)
    )]
    Memory {
        what: String,
        need: Option<u128>,
        available: u64,
        hint: String,
    },
    /// Work above a cap that a flag raises.
    #[error("{0}")]
    Work(Box<WorkLimit>),
    /// The command line as clap read it: its own message (usage, an unknown option, a value
    /// clap refused), for callers that must not exit, such as the Python package.
    #[error("{0}")]
    CommandLine(String),
    /// The run was stopped from outside before it finished (see [`crate::stop`]).
    #[error("stopped before the run finished (interrupted)")]
    Stopped,
}

/// Work above a cap that a flag raises: `estimate` in `unit`s (`None`: beyond 2^128),
/// `detail` how it was counted, `flag` the flag that raises `limit`, `hint` how to ask for less.
#[derive(Debug)]
pub struct WorkLimit {
    pub what: String,
    pub estimate: Option<u128>,
    pub detail: String,
    pub limit: u128,
    pub unit: String,
    pub flag: String,
    pub hint: String,
}

impl std::fmt::Display for WorkLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::limits::{count_text, count_text_up};
        write!(
            f,
            "{} is about {} {}{}, more than the limit of {}; ",
            self.what,
            count_text(self.estimate),
            self.unit,
            self.detail,
            count_text(Some(self.limit))
        )?;
        if !self.hint.is_empty() {
            write!(f, "{}, or ", self.hint)?;
        }
        write!(
            f,
            "raise the limit with {} {}",
            self.flag,
            count_text_up(self.estimate)
        )
    }
}

impl From<Usage> for Error {
    fn from(u: Usage) -> Self {
        Error::Usage(Box::new(u))
    }
}

fn hint_text(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("; {hint}")
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_its_line_and_columns_in_characters() {
        let text = "a = 1\r\nb = \"é\" # x\r\nc = [\n  2]";
        let p = Place::new(text, Span::new(11, 15)); // "é": 4 bytes, 3 characters
        assert_eq!((p.line, p.column, p.width), (2, 5, 3));
        assert_eq!(
            p.line_text, "b = \"é\" # x",
            "the \\r is not part of the line"
        );
        assert_eq!(p.to_string(), "  |\n2 | b = \"é\" # x\n  |     ^^^");
        let p = Place::new(text, Span::new(16, 19)); // # x, after the é
        assert_eq!((p.line, p.column, p.width), (2, 9, 3));
        assert_eq!(p.to_string(), "  |\n2 | b = \"é\" # x\n  |         ^^^");
        // Several lines: the part on the first; the end of the text: one caret past the line.
        let p = Place::new(text, Span::new(25, text.len()));
        assert_eq!((p.line, p.column, p.width), (3, 5, 1));
        let p = Place::new(text, Span::new(text.len(), text.len()));
        assert_eq!((p.line, p.column, p.width), (4, 5, 1));
        assert_eq!(p.to_string(), "  |\n4 |   2]\n  |     ^");
    }

    #[test]
    fn an_error_without_a_place_is_its_message() {
        let e = Error::Proofs {
            file: "f.toml".into(),
            message: "it is empty".into(),
            at: None,
        };
        assert_eq!(
            e.to_string(),
            "the proofs file f.toml is broken: it is empty"
        );
    }
}
