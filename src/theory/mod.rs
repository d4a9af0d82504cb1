//! The paper's statements as data: loading `proofs/*.toml` (embedded in the binary, or a user's
//! file of the same form), validating it, and compiling it to one tape ([`Model`]).

mod load;
pub mod model;
pub mod spec;

pub use model::{Mode, Model};

use crate::arith::parse_rational;
use crate::error::{Error, Result, Usage};
use crate::expr::Expr;
use load::broken;
use rug::Rational;
use std::collections::BTreeMap;

include!(concat!(env!("OUT_DIR"), "/builtin_proofs.rs"));

/// The names of the built-in results (the file stems of `proofs/*.toml`), in the order their
/// files declare (`[result] order`), then by name.
pub fn builtin_names() -> Vec<&'static str> {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            #[derive(serde::Deserialize)]
            struct Head {
                order: Option<i64>,
            }
            #[derive(serde::Deserialize)]
            struct Order {
                result: Head,
            }
            let mut v: Vec<(i64, &'static str)> = BUILTIN
                .iter()
                .map(|(n, text)| {
                    let order = toml::from_str::<Order>(text)
                        .ok()
                        .and_then(|o| o.result.order)
                        .unwrap_or(i64::MAX);
                    (order, *n)
                })
                .collect();
            v.sort();
            v.into_iter().map(|(_, n)| n).collect()
        })
        .clone()
}

/// The built-in results `check` without a RESULT may check, in order.
pub fn default_check_results() -> Result<Vec<Theory>> {
    let mut v = Vec::new();
    for name in builtin_names() {
        let t = Theory::builtin(name)?;
        if t.default_check != spec::DefaultCheck::Never {
            v.push(t);
        }
    }
    Ok(v)
}

/// Which way a quantity is a bound, so that rounding for display keeps it one: an upper bound
/// is rounded up, a lower bound down; an exact quantity is shown as its enclosure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    Exact,
    Upper,
    Lower,
}

/// A parsed expression with the text it came from and a label naming where it is.
#[derive(Clone, Debug)]
pub struct Formula {
    pub expr: Expr,
    pub text: String,
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct Parameter {
    pub name: String,
    pub symbol: String,
    pub latex: String,
    pub meaning: String,
    pub domain: Option<Formula>,
    pub integer: bool,
    /// The command-line flag (without `--`), by default the name.
    pub flag: String,
    /// Another parameter whose value this one takes when not given.
    pub default: Option<String>,
    pub origin: String,
    /// The paper's own reading, where the repaired one differs (`--literal`).
    pub literal: Option<LiteralParameter>,
}

/// A parameter as the paper prints it: its domain, whether it takes integers only, and how the
/// two readings differ.
#[derive(Clone, Debug)]
pub struct LiteralParameter {
    pub domain: Option<Formula>,
    pub integer: bool,
    pub note: String,
}

/// A definition as the paper prints it, and how the two readings differ.
#[derive(Clone, Debug)]
pub struct LiteralDefinition {
    pub formula: Formula,
    pub note: String,
}

#[derive(Clone, Debug)]
pub struct Constant {
    pub name: String,
    pub value: Rational,
    pub value_text: String,
    pub symbol: String,
    pub latex: String,
    pub meaning: String,
    pub cite: String,
    pub tunable: bool,
    pub origin: String,
}

#[derive(Clone, Debug)]
pub struct Definition {
    pub name: String,
    pub formula: Formula,
    pub symbol: String,
    pub latex: String,
    pub meaning: String,
    pub cite: String,
    pub bound: Bound,
    pub origin: String,
    /// The paper's own reading, where the repaired one differs (`--literal`).
    pub literal: Option<LiteralDefinition>,
}

/// A hypothesis or a claim.
#[derive(Clone, Debug)]
pub struct Statement {
    pub name: String,
    pub formula: Formula,
    pub cite: String,
    /// The hypotheses a claim may use (all standing hypotheses when the file does not say; for
    /// a hypothesis, only what the file says, as nothing reads it).
    pub uses: Vec<String>,
    /// A definition worth showing when the statement fails (e.g. the largest admissible η).
    pub hint: Option<String>,
    pub note: Option<String>,
    /// A proof step (claim) or a premise of steps (hypothesis), for `verify` only.
    pub step: bool,
    pub finding: Option<String>,
    pub point_only: bool,
    /// This claim's own substitutions for `verify` (see [`Theory::substitutes`]).
    pub substitutes: Vec<(String, Formula)>,
    /// This claim's own ranges for `verify`, replacing the file's: a restriction of the
    /// domain, with its reason.
    pub ranges: BTreeMap<String, Range>,
    pub restriction: Option<String>,
    pub origin: String,
}

/// A variable of `verify` only (a box coordinate or a free quantity of a proof step).
#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub symbol: String,
    pub meaning: String,
    pub origin: String,
}

/// One coordinate range of the verify box.
#[derive(Clone, Debug)]
pub struct Range {
    pub name: String,
    pub lo: Rational,
    pub hi: Rational,
    /// Split and sample in log scale (needs lo > 0).
    pub log: bool,
    /// The coordinate takes integer values only (a parameter declared `integer = true`):
    /// the ends are integers, samples are rounded to integers and cells split on integer
    /// boundaries, so a cell of one integer is a point.
    pub integer: bool,
    /// The lower end is not part of the range (`(0, 1]`): the range is `lo < x`. Cells still
    /// reach the end; positivity of such a coordinate at an open end `lo ≥ 0` is known, and
    /// no sample or witness lies on it.
    pub lo_open: bool,
    /// The upper end is not part of the range (`x < hi`).
    pub hi_open: bool,
    /// The range has no upper end (`[1, inf)`, `(0, inf):log`): `hi` is meaningless and
    /// `hi_open` is set. Such a range is never split or sampled as it is: `verify` maps it
    /// onto bounded ranges first ([`crate::verify::compactify`]).
    pub unbounded: bool,
    pub text: String,
}

impl Range {
    /// Reads `"lo..hi"` (both ends included), or interval notation with each end open or
    /// closed, `"(lo, hi]"`, `"[lo, hi)"`, `"(lo, hi)"`, `"[lo, hi]"`; either followed by
    /// `:log` (split and sample in log scale: a positive lower end, or an open lower end at 0).
    /// The upper end may be `inf` (or `∞`): the range is unbounded above, and an unbounded end
    /// is always open (`[1, inf)`; `1..inf` reads the same). Lower ends are finite.
    pub fn parse(name: &str, text: &str) -> std::result::Result<Range, String> {
        let (body, log) = match text.trim().strip_suffix(":log") {
            Some(b) => (b.trim(), true),
            None => (text.trim(), false),
        };
        let (lo, hi, lo_open, hi_open) = if body.starts_with(['(', '[']) {
            let lo_open = body.starts_with('(');
            let hi_open = body.ends_with(')');
            if !body.ends_with([')', ']']) {
                return Err(format!(
                    "range `{text}` for {name}: an interval opened with `{}` must close with `)` or `]`",
                    &body[..1]
                ));
            }
            let inner = &body[1..body.len() - 1];
            let ends: Vec<&str> = inner.split(',').collect();
            if ends.len() != 2 {
                return Err(format!(
                    "range `{text}` for {name}: an interval is (LO, HI], [LO, HI), (LO, HI) or [LO, HI], with two ends separated by one comma"
                ));
            }
            (ends[0].trim(), ends[1].trim(), lo_open, hi_open)
        } else if let Some((lo, _)) = body.split_once("..")
            && ["-inf", "-∞", "-infinity", "inf", "∞"]
                .contains(&lo.trim().to_ascii_lowercase().as_str())
        {
            return Err(format!(
                "range `{text}` for {name}: the lower end must be a finite number (only an upper end may be `inf`)"
            ));
        } else if let Some((lo, hi)) = body.rsplit_once("..")
            && ["inf", "+inf", "∞", "+∞", "infinity", "+infinity"]
                .contains(&hi.trim().to_ascii_lowercase().as_str())
        {
            // `1..inf`: unbounded above, read below
            (lo.trim(), hi.trim(), false, true)
        } else {
            let (lo, hi) = crate::arith::split_range(body).map_err(|e| {
                format!("range for {name}: {e} (or an interval such as (0, 1]; optionally followed by `:log`)")
            })?;
            (lo.trim(), hi.trim(), false, false)
        };
        let infinite = |end: &str| {
            ["inf", "+inf", "∞", "+∞", "infinity", "+infinity"]
                .contains(&end.to_ascii_lowercase().as_str())
        };
        if infinite(lo) || ["-inf", "-∞", "-infinity"].contains(&lo.to_ascii_lowercase().as_str())
        {
            return Err(format!(
                "range `{text}` for {name}: the lower end must be a finite number (only an upper end may be `inf`)"
            ));
        }
        let lo = parse_rational(lo).map_err(|e| format!("range for {name}: {e}"))?;
        if infinite(hi) {
            if body.starts_with(['(', '[']) && body.ends_with(']') {
                return Err(format!(
                    "range `{text}` for {name}: an unbounded end is never included; write `{})`",
                    &body[..body.len() - 1]
                ));
            }
            if log && (lo < 0 || (lo == 0 && !lo_open)) {
                return Err(format!(
                    "range `{text}` for {name}: a log range needs a positive lower end, or an open lower end at 0"
                ));
            }
            return Ok(Range {
                name: name.to_string(),
                hi: lo.clone(),
                lo,
                log,
                integer: false,
                lo_open,
                hi_open: true,
                unbounded: true,
                text: text.to_string(),
            });
        }
        if hi
            .to_ascii_lowercase()
            .trim_start_matches(['-', '+'])
            .starts_with("inf")
            || hi.trim_start_matches(['-', '+']).starts_with('∞')
        {
            return Err(format!(
                "range `{text}` for {name}: the upper end may be `inf` (unbounded above), not `{hi}`"
            ));
        }
        let hi = parse_rational(hi).map_err(|e| format!("range for {name}: {e}"))?;
        if lo > hi {
            return Err(format!(
                "range `{text}` for {name}: the lower end is above the upper"
            ));
        }
        if lo == hi && (lo_open || hi_open) {
            return Err(format!(
                "range `{text}` for {name}: it holds no number (an open end equal to the other end)"
            ));
        }
        if log && (lo < 0 || (lo == 0 && !lo_open)) {
            return Err(format!(
                "range `{text}` for {name}: a log range needs a positive lower end, or an open lower end at 0"
            ));
        }
        Ok(Range {
            name: name.to_string(),
            lo,
            hi,
            log,
            integer: false,
            lo_open,
            hi_open,
            unbounded: false,
            text: text.to_string(),
        })
    }

    /// The range of the one value `q`, shown as `text`.
    pub fn point(name: &str, q: Rational, text: &str) -> Range {
        Range {
            name: name.to_string(),
            hi: q.clone(),
            lo: q,
            log: false,
            integer: false,
            lo_open: false,
            hi_open: false,
            unbounded: false,
            text: text.to_string(),
        }
    }

    /// True when `q` lies in the range (open ends excluded).
    pub fn contains(&self, q: &Rational) -> bool {
        let above = if self.lo_open {
            *q > self.lo
        } else {
            *q >= self.lo
        };
        let below = if self.unbounded {
            true
        } else if self.hi_open {
            *q < self.hi
        } else {
            *q <= self.hi
        };
        above && below
    }

    /// The range as a mathematical interval: `[a, b]`, `(0, 1]`, `[1, ∞)`, …
    pub fn interval_text(&self) -> String {
        format!(
            "{}{}, {}{}",
            if self.lo_open { '(' } else { '[' },
            self.lo,
            if self.unbounded {
                "∞".to_string()
            } else {
                self.hi.to_string()
            },
            if self.hi_open { ')' } else { ']' }
        )
    }

    /// The same range over the integers in it: `[⌈lo⌉, ⌊hi⌋]`. An error when it holds none.
    pub fn integers(mut self) -> std::result::Result<Range, String> {
        // an open integer end is the next integer inward
        let lo = self.lo.clone().ceil();
        let hi = self.hi.clone().floor();
        if self.unbounded {
            self.lo = if self.lo_open && lo == self.lo {
                lo + 1u32
            } else {
                lo
            };
            self.hi = self.lo.clone();
            self.lo_open = false;
            self.integer = true;
            return Ok(self);
        }
        self.lo = if self.lo_open && lo == self.lo {
            lo + 1u32
        } else {
            lo
        };
        self.hi = if self.hi_open && hi == self.hi {
            hi - 1u32
        } else {
            hi
        };
        self.lo_open = false;
        self.hi_open = false;
        if self.lo > self.hi {
            return Err(format!(
                "range `{}` for {}: it holds no integer, and {} takes integer values only",
                self.text, self.name, self.name
            ));
        }
        self.integer = true;
        Ok(self)
    }
}

/// A fact about f that no parameter arithmetic can check; listed so the ledger is complete.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Assumption {
    pub name: String,
    pub statement: String,
    pub cite: String,
    pub origin: String,
}

/// One result of the paper, with everything it inherits (`extends`) merged in front.
#[derive(Clone, Debug)]
pub struct Theory {
    pub name: String,
    pub title: String,
    pub cite: String,
    pub note: Option<String>,
    /// The probability the statement guarantees, when the file states one ([`spec::Probability`]).
    pub probability: Option<spec::Probability>,
    pub file: String,
    /// When `check` without a RESULT checks this result (from this file's own header).
    pub default_check: spec::DefaultCheck,
    pub parameters: Vec<Parameter>,
    pub constants: Vec<Constant>,
    pub definitions: Vec<Definition>,
    pub hypotheses: Vec<Statement>,
    pub claims: Vec<Statement>,
    pub assumptions: Vec<Assumption>,
    pub example: BTreeMap<String, String>,
    pub variables: Vec<Variable>,
    /// The verify box's ranges, by coordinate name.
    pub ranges: BTreeMap<String, Range>,
    /// Parameters given, in `verify`, by an expression of the box coordinates.
    pub substitutes: Vec<(String, Formula)>,
    /// Rescalings `verify` may reduce a claim's box by, once it has proved the claim
    /// invariant under them.
    pub scalings: Vec<Scaling>,
}

/// A rescaling `x ↦ s^w·x` (`s > 0`) of the parameters and variables ([`spec::ScalingSpec`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Scaling {
    pub name: String,
    pub meaning: String,
    /// Nonzero weights by name (every other name has weight 0).
    pub weights: BTreeMap<String, i64>,
    /// The coordinate set to 1 (its weight divides every other weight).
    pub fix: String,
}

/// The largest weight of a scaling, in size.
pub const MAX_SCALING_WEIGHT: i64 = 64;

/// The most bytes a user's proofs file may have.
pub const MAX_FILE_BYTES: u64 = 4 << 20;
/// The most parameters, constants, variables, definitions, hypotheses and claims a proofs file
/// may declare (each counted with what it extends).
pub const MAX_PARAMETERS: usize = 1_000;
pub const MAX_CONSTANTS: usize = 1_000;
pub const MAX_VARIABLES: usize = 1_000;
pub const MAX_DEFINITIONS: usize = 50_000;
pub const MAX_HYPOTHESES: usize = 50_000;
pub const MAX_CLAIMS: usize = 50_000;
/// The most (claim, hypothesis it uses) pairs: a claim without a `uses` list uses every
/// standing hypothesis, and each of them is evaluated with it.
pub const MAX_USES: usize = 2_000_000;

impl Theory {
    /// Loads a built-in result by name.
    pub fn builtin(name: &str) -> Result<Theory> {
        let (_, text) =
            BUILTIN
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| Usage::UnknownResult {
                    name: name.to_string(),
                    builtins: builtin_names().iter().map(|s| s.to_string()).collect(),
                    or_file: false,
                })?;
        // each built-in file is parsed once per process; a copy is handed out
        static PARSED: std::sync::OnceLock<Vec<Option<Theory>>> = std::sync::OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(n, t)| Theory::parse(t, &format!("proofs/{n}.toml")).ok())
                .collect()
        });
        let k = BUILTIN.iter().position(|(n, _)| *n == name);
        match k.and_then(|k| parsed[k].as_ref()) {
            Some(t) => Ok(t.clone()),
            // a built-in file that does not load: parse it again for its error
            None => Theory::parse(text, &format!("proofs/{name}.toml")),
        }
    }

    /// Loads a user's proofs file.
    pub fn from_path(path: &str) -> Result<Theory> {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.to_string(),
            source,
        })?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(broken(
                path,
                format!(
                    "the file has {} bytes; at most {MAX_FILE_BYTES} (4 MiB) are accepted",
                    meta.len()
                ),
            ));
        }
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_string(),
            source,
        })?;
        Theory::parse(&text, path)
    }

    /// Parses and validates a proofs file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Theory> {
        Self::parse_depth(text, file, 0)
    }

    fn parse_depth(text: &str, file: &str, depth: usize) -> Result<Theory> {
        load::load(text, file, depth)
    }

    /// The theory a claim is proved in: the file's substitutions, overridden by the claim's.
    pub fn for_claim(&self, claim: usize) -> Theory {
        let mut t = self.clone();
        for (k, f) in &self.claims[claim].substitutes {
            t.substitutes.retain(|(n, _)| n != k);
            t.substitutes.push((k.clone(), f.clone()));
        }
        for (k, r) in &self.claims[claim].ranges {
            t.ranges.insert(k.clone(), r.clone());
        }
        t
    }

    /// The statements as the paper prints them (`--literal`): every parameter and definition
    /// with a literal reading takes it. The default reading is the repaired one.
    pub fn literal(&self) -> Theory {
        let mut t = self.clone();
        for p in &mut t.parameters {
            if let Some(l) = &p.literal {
                p.domain = l.domain.clone();
                p.integer = l.integer;
            }
        }
        for d in &mut t.definitions {
            if let Some(l) = &d.literal {
                d.formula = l.formula.clone();
            }
        }
        t
    }

    /// The differences between the two readings, one line each: the name, the repaired
    /// reading, the paper's, and the note.
    pub fn literal_differences(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in &self.parameters {
            if let Some(l) = &p.literal {
                let text =
                    |f: &Option<Formula>| f.as_ref().map_or("any".to_string(), |f| f.text.clone());
                out.push(format!(
                    "{} ({}): {} → {}{}: {}",
                    p.name,
                    p.symbol,
                    text(&p.domain),
                    text(&l.domain),
                    if l.integer == p.integer {
                        ""
                    } else if l.integer {
                        ", integers"
                    } else {
                        ", any real"
                    },
                    l.note
                ));
            }
        }
        for d in &self.definitions {
            if let Some(l) = &d.literal {
                out.push(format!(
                    "{} ({}): {} → {}: {}",
                    d.name, d.symbol, d.formula.text, l.formula.text, l.note
                ));
            }
        }
        out
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
    pub fn definition(&self, name: &str) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.name == name)
    }
}
