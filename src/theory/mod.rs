//! The paper's statements as data: loading `proofs/*.toml` (embedded in the binary, or a user's
//! file of the same form), validating it, and compiling it to one tape ([`Model`]).

pub mod model;
pub mod spec;

pub use model::{Mode, Model};

use crate::arith::parse_rational;
use crate::error::{Error, Result};
use crate::expr::{Expr, Func, parse};
use rug::Rational;
use spec::{FileSpec, StmtSpec};
use std::collections::{BTreeMap, HashSet};

/// The built-in results, embedded from `proofs/`.
pub const BUILTIN: [(&str, &str); 4] = [
    ("theorem1", include_str!("../../proofs/theorem1.toml")),
    ("lemma5", include_str!("../../proofs/lemma5.toml")),
    ("corollary2", include_str!("../../proofs/corollary2.toml")),
    ("theorem3", include_str!("../../proofs/theorem3.toml")),
];

/// The names of the built-in results.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
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
    pub text: String,
}

impl Range {
    /// Reads `"lo..hi"` or `"lo..hi:log"`.
    pub fn parse(name: &str, text: &str) -> std::result::Result<Range, String> {
        let (body, log) = match text.trim().strip_suffix(":log") {
            Some(b) => (b, true),
            None => (text.trim(), false),
        };
        let (lo, hi) = crate::arith::split_range(body)
            .map_err(|e| format!("range for {name}: {e} (optionally followed by `:log`)"))?;
        let lo = parse_rational(lo.trim()).map_err(|e| format!("range for {name}: {e}"))?;
        let hi = parse_rational(hi.trim()).map_err(|e| format!("range for {name}: {e}"))?;
        if lo > hi {
            return Err(format!(
                "range `{text}` for {name}: the lower end is above the upper"
            ));
        }
        if log && lo <= 0 {
            return Err(format!(
                "range `{text}` for {name}: a log range needs a positive lower end"
            ));
        }
        Ok(Range {
            name: name.to_string(),
            lo,
            hi,
            log,
            integer: false,
            text: text.to_string(),
        })
    }

    /// The same range over the integers in it: `[⌈lo⌉, ⌊hi⌋]`. An error when it holds none.
    pub fn integers(mut self) -> std::result::Result<Range, String> {
        self.lo = self.lo.clone().ceil();
        self.hi = self.hi.clone().floor();
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
}

fn broken(file: &str, message: impl Into<String>) -> Error {
    Error::Proofs {
        file: file.to_string(),
        message: message.into(),
    }
}

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

/// Line numbers of byte offsets in a text, by binary search over the offsets of its line ends
/// (made once per file, so that naming the line of every item stays linear in the file).
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(text.match_indices('\n').map(|(i, _)| i).collect())
    }
    /// The 1-based line of byte `offset`.
    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&i| i < offset) + 1
    }
}

/// Refuses a list longer than its limit, naming the limit.
fn check_count(file: &str, what: &str, n: usize, limit: usize) -> Result<()> {
    if n > limit {
        return Err(broken(
            file,
            format!("it has {n} {what}; at most {limit} are accepted"),
        ));
    }
    Ok(())
}

fn check_name(file: &str, lines: &Lines, name: &toml::Spanned<String>, what: &str) -> Result<()> {
    let n = name.get_ref();
    let ok = n
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok || n == "and" || Func::from_name(n).is_some() {
        return Err(broken(
            file,
            format!(
                "line {}: `{n}` is not a usable {what} name (letters, digits and `_`, not a function name or `and`)",
                lines.of(name.span().start)
            ),
        ));
    }
    Ok(())
}

impl Theory {
    /// Loads a built-in result by name.
    pub fn builtin(name: &str) -> Result<Theory> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            Error::usage(format!(
                "unknown result `{name}`; the built-in results are {}",
                builtin_names().join(", ")
            ))
        })?;
        Theory::parse(text, &format!("proofs/{name}.toml"))
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
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(broken(
                file,
                format!(
                    "the text has {} bytes; at most {MAX_FILE_BYTES} (4 MiB) are accepted",
                    text.len()
                ),
            ));
        }
        let spec: FileSpec = toml::from_str(text).map_err(|e| broken(file, e.to_string()))?;
        let lines = Lines::new(text);
        let line_of = |_: &str, offset: usize| lines.of(offset);
        let origin = spec.result.name.clone();
        let mut theory = match &spec.result.extends {
            Some(base) if depth < 4 => {
                let (_, base_text) = BUILTIN.iter().find(|(n, _)| n == base).ok_or_else(|| {
                    broken(
                        file,
                        format!(
                            "`extends = \"{base}\"` names no built-in result ({})",
                            builtin_names().join(", ")
                        ),
                    )
                })?;
                let mut t =
                    Self::parse_depth(base_text, &format!("proofs/{base}.toml"), depth + 1)?;
                t.claims.clear();
                t
            }
            Some(_) => return Err(broken(file, "`extends` chains more than 4 deep")),
            None => Theory {
                name: String::new(),
                title: String::new(),
                cite: String::new(),
                note: None,
                probability: None,
                file: String::new(),
                parameters: vec![],
                constants: vec![],
                definitions: vec![],
                hypotheses: vec![],
                claims: vec![],
                assumptions: vec![],
                example: BTreeMap::new(),
                variables: vec![],
                ranges: BTreeMap::new(),
                substitutes: vec![],
            },
        };
        theory.name = spec.result.name.clone();
        theory.title = spec.result.title.clone();
        theory.cite = spec.result.cite.clone();
        theory.note = spec.result.note.clone();
        theory.probability = spec.result.probability().map_err(|m| broken(file, m))?;
        theory.file = file.to_string();

        let mut names: HashSet<String> = theory
            .parameters
            .iter()
            .map(|p| p.name.clone())
            .chain(theory.constants.iter().map(|c| c.name.clone()))
            .chain(theory.definitions.iter().map(|d| d.name.clone()))
            .chain(theory.variables.iter().map(|v| v.name.clone()))
            .collect();
        for (what, n, limit) in [
            (
                "parameters",
                theory.parameters.len() + spec.parameter.len(),
                MAX_PARAMETERS,
            ),
            (
                "constants",
                theory.constants.len() + spec.constant.len(),
                MAX_CONSTANTS,
            ),
            (
                "variables",
                theory.variables.len() + spec.variable.len(),
                MAX_VARIABLES,
            ),
            (
                "definitions",
                theory.definitions.len() + spec.definition.len(),
                MAX_DEFINITIONS,
            ),
            (
                "hypotheses",
                theory.hypotheses.len() + spec.hypothesis.len(),
                MAX_HYPOTHESES,
            ),
            ("claims", spec.claim.len(), MAX_CLAIMS),
        ] {
            check_count(file, what, n, limit)?;
        }
        let mut claim_name = |n: &toml::Spanned<String>, what: &str| -> Result<()> {
            check_name(file, &lines, n, what)?;
            if !names.insert(n.get_ref().clone()) {
                return Err(broken(
                    file,
                    format!(
                        "line {}: the name `{}` is defined twice",
                        line_of(text, n.span().start),
                        n.get_ref()
                    ),
                ));
            }
            Ok(())
        };
        let formula = |s: &toml::Spanned<String>, what: &str, name: &str| -> Result<Formula> {
            let label = format!(
                "{what} `{name}` ({file}, line {})",
                line_of(text, s.span().start)
            );
            Ok(Formula {
                expr: parse(s.get_ref(), &label)?,
                text: s.get_ref().clone(),
                label,
            })
        };

        let mut param_names: HashSet<String> =
            theory.parameters.iter().map(|p| p.name.clone()).collect();
        for p in &spec.parameter {
            claim_name(&p.name, "parameter")?;
            let name = p.name.get_ref().clone();
            if let Some(d) = &p.default
                && !param_names.contains(d)
            {
                return Err(broken(
                    file,
                    format!("parameter `{name}`: its default `{d}` is not an earlier parameter"),
                ));
            }
            theory.parameters.push(Parameter {
                domain: p
                    .domain
                    .as_ref()
                    .map(|d| formula(d, "domain of parameter", &name))
                    .transpose()?,
                flag: p.flag.clone().unwrap_or_else(|| name.clone()),
                symbol: p.symbol.clone(),
                latex: p.latex.clone().unwrap_or_else(|| name.clone()),
                meaning: p.meaning.clone(),
                integer: p.integer,
                default: p.default.clone(),
                name: name.clone(),
                origin: origin.clone(),
            });
            param_names.insert(name);
        }
        for c in &spec.constant {
            claim_name(&c.name, "constant")?;
            let name = c.name.get_ref().clone();
            let value = parse_rational(c.value.get_ref()).map_err(|e| {
                broken(
                    file,
                    format!(
                        "line {}: constant `{name}`: {e}",
                        line_of(text, c.value.span().start)
                    ),
                )
            })?;
            theory.constants.push(Constant {
                value,
                value_text: c.value.get_ref().clone(),
                symbol: c.symbol.clone().unwrap_or_else(|| name.clone()),
                latex: c.latex.clone().unwrap_or_else(|| name.clone()),
                meaning: c.meaning.clone(),
                cite: c.cite.clone(),
                tunable: c.tunable,
                name,
                origin: origin.clone(),
            });
        }
        for v in &spec.variable {
            claim_name(&v.name, "variable")?;
            let name = v.name.get_ref().clone();
            theory.variables.push(Variable {
                symbol: v.symbol.clone().unwrap_or_else(|| name.clone()),
                meaning: v.meaning.clone(),
                name,
                origin: origin.clone(),
            });
        }
        for d in &spec.definition {
            claim_name(&d.name, "definition")?;
            let name = d.name.get_ref().clone();
            let bound = match d.bound.as_deref() {
                None | Some("exact") => Bound::Exact,
                Some("upper") => Bound::Upper,
                Some("lower") => Bound::Lower,
                Some(other) => {
                    return Err(broken(
                        file,
                        format!(
                            "definition `{name}`: bound = \"{other}\" must be \"exact\", \"upper\" or \"lower\""
                        ),
                    ));
                }
            };
            theory.definitions.push(Definition {
                formula: formula(&d.expr, "definition", &name)?,
                symbol: d.symbol.clone().unwrap_or_else(|| name.clone()),
                latex: d.latex.clone().unwrap_or_else(|| name.clone()),
                meaning: d.meaning.clone(),
                cite: d.cite.clone(),
                bound,
                name,
                origin: origin.clone(),
            });
        }
        let mut stmt_names: HashSet<String> =
            theory.hypotheses.iter().map(|h| h.name.clone()).collect();
        let hyp_names: HashSet<String> = theory
            .hypotheses
            .iter()
            .map(|h| h.name.clone())
            .chain(spec.hypothesis.iter().map(|h| h.name.get_ref().clone()))
            .collect();
        let standing: Vec<String> = theory
            .hypotheses
            .iter()
            .filter(|h| !h.step)
            .map(|h| h.name.clone())
            .chain(
                spec.hypothesis
                    .iter()
                    .filter(|h| !h.step)
                    .map(|h| h.name.get_ref().clone()),
            )
            .collect();
        // Every claim without a `uses` list uses every standing hypothesis.
        let uses: usize = spec
            .hypothesis
            .iter()
            .map(|s| s.uses.as_ref().map_or(0, Vec::len))
            .chain(
                spec.claim
                    .iter()
                    .map(|s| s.uses.as_ref().map_or(standing.len(), Vec::len)),
            )
            .fold(0usize, usize::saturating_add);
        if uses > MAX_USES {
            return Err(broken(
                file,
                format!(
                    "its claims use {uses} hypotheses in all (a claim without `uses = [...]` uses each of the {} standing hypotheses); at most {MAX_USES} are accepted: give the claims `uses` lists of the hypotheses they need",
                    standing.len()
                ),
            ));
        }
        let def_names: HashSet<&str> = theory.definitions.iter().map(|d| d.name.as_str()).collect();
        let all_params: HashSet<&str> = theory.parameters.iter().map(|p| p.name.as_str()).collect();
        let all_vars: HashSet<&str> = theory.variables.iter().map(|p| p.name.as_str()).collect();
        let mut statement = |s: &StmtSpec, what: &str| -> Result<Statement> {
            check_name(file, &lines, &s.name, what)?;
            let name = s.name.get_ref().clone();
            if !stmt_names.insert(name.clone()) {
                return Err(broken(
                    file,
                    format!(
                        "line {}: two hypotheses or claims are named `{name}`",
                        line_of(text, s.name.span().start)
                    ),
                ));
            }
            let uses = match &s.uses {
                Some(u) => {
                    for h in u {
                        if !hyp_names.contains(h) {
                            return Err(broken(
                                file,
                                format!("{what} `{name}` uses `{h}`, which is not a hypothesis"),
                            ));
                        }
                    }
                    u.clone()
                }
                // A claim uses every standing hypothesis unless it says; a hypothesis uses
                // nothing (its list is never read).
                None if what == "claim" => standing.clone(),
                None => Vec::new(),
            };
            if let Some(h) = &s.hint
                && !def_names.contains(h.as_str())
            {
                return Err(broken(
                    file,
                    format!("{what} `{name}`: hint `{h}` is not a definition"),
                ));
            }
            Ok(Statement {
                formula: formula(&s.expr, what, &name)?,
                cite: s.cite.clone(),
                uses,
                hint: s.hint.clone(),
                note: s.note.clone(),
                step: s.step,
                finding: s.finding.clone(),
                point_only: s.point_only,
                substitutes: s
                    .substitute
                    .iter()
                    .map(|(k, e)| {
                        if !all_params.contains(k.as_str()) && !all_vars.contains(k.as_str()) {
                            return Err(broken(
                                file,
                                format!("{what} `{name}` substitutes `{k}`, which is neither a parameter nor a variable"),
                            ));
                        }
                        Ok((k.clone(), formula(e, "substitution in", &name)?))
                    })
                    .collect::<Result<Vec<_>>>()?,
                name,
                origin: origin.clone(),
            })
        };
        for h in &spec.hypothesis {
            let st = statement(h, "hypothesis")?;
            theory.hypotheses.push(st);
        }
        for c in &spec.claim {
            let st = statement(c, "claim")?;
            theory.claims.push(st);
        }
        for a in &spec.assumption {
            theory.assumptions.push(Assumption {
                name: a.name.clone(),
                statement: a.statement.clone(),
                cite: a.cite.clone(),
                origin: origin.clone(),
            });
        }
        for (k, v) in &spec.example {
            if !param_names.contains(k) {
                return Err(broken(
                    file,
                    format!("[example] sets `{k}`, which is not a parameter"),
                ));
            }
            let s = match v.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                _ => {
                    return Err(broken(
                        file,
                        format!(
                            "line {}: [example] `{k}` must be a string such as \"0.1\" (so that it is read exactly) or an integer",
                            line_of(text, v.span().start)
                        ),
                    ));
                }
            };
            theory.example.insert(k.clone(), s);
        }
        if let Some(v) = &spec.verify {
            let var_names: HashSet<&str> =
                theory.variables.iter().map(|v| v.name.as_str()).collect();
            for (k, r) in &v.ranges {
                let known = param_names.contains(k) || var_names.contains(k.as_str());
                if !known {
                    return Err(broken(
                        file,
                        format!(
                            "[verify] box gives a range for `{k}`, which is neither a parameter nor a variable"
                        ),
                    ));
                }
                let range = Range::parse(k, r.get_ref()).map_err(|m| {
                    broken(file, format!("line {}: {m}", line_of(text, r.span().start)))
                })?;
                theory.ranges.insert(k.clone(), range);
            }
            for (k, e) in &v.substitute {
                if !param_names.contains(k) && !var_names.contains(k.as_str()) {
                    return Err(broken(
                        file,
                        format!("[verify] substitutes `{k}`, which is not a parameter"),
                    ));
                }
                let f = formula(e, "verify substitution for", k)?;
                theory.substitutes.retain(|(n, _)| n != k);
                theory.substitutes.push((k.clone(), f));
            }
        }
        Ok(theory)
    }

    /// The theory a claim is proved in: the file's substitutions, overridden by the claim's.
    pub fn for_claim(&self, claim: usize) -> Theory {
        let mut t = self.clone();
        for (k, f) in &self.claims[claim].substitutes {
            t.substitutes.retain(|(n, _)| n != k);
            t.substitutes.push((k.clone(), f.clone()));
        }
        t
    }

    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
    pub fn definition(&self, name: &str) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.name == name)
    }
}
