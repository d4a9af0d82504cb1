//! Typed errors. Every error names what was wrong and where: the offending text, and for
//! expressions a byte span rendered as the source line with a caret under the fault.

use crate::arith::ArithError;
use thiserror::Error;

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

/// Why a number could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("`{text}` is not a number: {reason}")]
pub struct NumberError {
    pub text: String,
    pub reason: String,
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
    #[error("{0}")]
    Usage(String),
    #[error("the proofs file {file} is broken: {message}")]
    Proofs { file: String, message: String },
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
}

impl Error {
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
