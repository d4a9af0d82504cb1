//! Loading a proofs file: the TOML read by serde ([`super::spec`]), then validated and turned
//! into a [`Theory`] one section at a time (header and what it extends, the limits, then
//! parameters, constants, variables, definitions, hypotheses and claims, assumptions, the
//! example and the verify box). Every error names the file and, where there is one, the place
//! in it ([`Place`]: line and byte span of the offending value, shown with carets under it).

use super::spec::{self, FileSpec, StmtSpec};
use super::{
    Assumption, BUILTIN, Bound, Constant, Definition, Formula, MAX_CLAIMS, MAX_CONSTANTS,
    MAX_DEFINITIONS, MAX_FILE_BYTES, MAX_HYPOTHESES, MAX_PARAMETERS, MAX_SCALING_WEIGHT, MAX_USES,
    MAX_VARIABLES, Parameter, Range, Scaling, Statement, Theory, Variable, builtin_names,
};
use crate::arith::parse_rational;
use crate::error::{Error, Place, Result, Span};
use crate::expr::{Func, parse};
use std::collections::{BTreeMap, HashSet};
use toml::Spanned;

/// Loads the proofs file `text` (named `file` in errors); `depth` counts `extends` links.
pub(super) fn load(text: &str, file: &str, depth: usize) -> Result<Theory> {
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
    let theory = base(&spec, file, depth)?;
    let mut l = Loader::new(text, file, theory);
    l.check_limits(&spec)?;
    l.parameters(&spec.parameter)?;
    l.constants(&spec.constant)?;
    l.variables(&spec.variable)?;
    l.definitions(&spec.definition)?;
    l.statements(&spec.hypothesis, &spec.claim)?;
    l.assumptions(&spec.assumption);
    l.example(&spec.example)?;
    if let Some(v) = &spec.verify {
        l.verify_box(v)?;
    }
    Ok(l.theory)
}

/// An error of `file` with no particular place.
pub(super) fn broken(file: &str, message: impl Into<String>) -> Error {
    Error::Proofs {
        file: file.to_string(),
        message: message.into(),
        at: None,
    }
}

/// The theory the file starts from: what its header says, over the built-in result it
/// `extends` (without that result's claims), or over nothing.
fn base(spec: &FileSpec, file: &str, depth: usize) -> Result<Theory> {
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
            let mut t = load(base_text, &format!("proofs/{base}.toml"), depth + 1)?;
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
            default_check: spec::DefaultCheck::Never,
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
            scalings: vec![],
        },
    };
    theory.name = spec.result.name.clone();
    theory.title = spec.result.title.clone();
    theory.cite = spec.result.cite.clone();
    theory.note = spec.result.note.clone();
    theory.probability = spec.result.probability().map_err(|m| broken(file, m))?;
    theory.default_check = spec.result.check.unwrap_or_default();
    theory.file = file.to_string();
    Ok(theory)
}

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

/// The state of one file's validation: the theory built so far and the names taken.
struct Loader<'a> {
    text: &'a str,
    file: &'a str,
    lines: Lines,
    /// The result this file declares (each item records where it came from).
    origin: String,
    theory: Theory,
    /// Every name of a parameter, constant, definition or variable so far.
    names: HashSet<String>,
    /// The parameters' names so far.
    param_names: HashSet<String>,
}

impl<'a> Loader<'a> {
    fn new(text: &'a str, file: &'a str, theory: Theory) -> Loader<'a> {
        let names = theory
            .parameters
            .iter()
            .map(|p| p.name.clone())
            .chain(theory.constants.iter().map(|c| c.name.clone()))
            .chain(theory.definitions.iter().map(|d| d.name.clone()))
            .chain(theory.variables.iter().map(|v| v.name.clone()))
            .collect();
        let param_names = theory.parameters.iter().map(|p| p.name.clone()).collect();
        Loader {
            text,
            file,
            lines: Lines::new(text),
            origin: theory.name.clone(),
            theory,
            names,
            param_names,
        }
    }

    /// An error at the value whose span is `span`.
    fn at(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Error {
        Error::Proofs {
            file: self.file.to_string(),
            message: message.into(),
            at: Some(Place::new(self.text, Span::new(span.start, span.end))),
        }
    }

    fn broken(&self, message: impl Into<String>) -> Error {
        broken(self.file, message)
    }

    /// Refuses more items of each kind than the limits (counted with what the file extends).
    fn check_limits(&self, spec: &FileSpec) -> Result<()> {
        let t = &self.theory;
        for (what, n, limit) in [
            (
                "parameters",
                t.parameters.len() + spec.parameter.len(),
                MAX_PARAMETERS,
            ),
            (
                "constants",
                t.constants.len() + spec.constant.len(),
                MAX_CONSTANTS,
            ),
            (
                "variables",
                t.variables.len() + spec.variable.len(),
                MAX_VARIABLES,
            ),
            (
                "definitions",
                t.definitions.len() + spec.definition.len(),
                MAX_DEFINITIONS,
            ),
            (
                "hypotheses",
                t.hypotheses.len() + spec.hypothesis.len(),
                MAX_HYPOTHESES,
            ),
            ("claims", spec.claim.len(), MAX_CLAIMS),
        ] {
            if n > limit {
                return Err(self.broken(format!("it has {n} {what}; at most {limit} are accepted")));
            }
        }
        Ok(())
    }

    /// Refuses a name that the expression language cannot use.
    fn check_name(&self, name: &Spanned<String>, what: &str) -> Result<()> {
        let n = name.get_ref();
        let ok = n
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok || n == "and" || Func::from_name(n).is_some() {
            return Err(self.at(
                name.span(),
                format!(
                    "`{n}` is not a usable {what} name (letters, digits and `_`, not a function name or `and`)"
                ),
            ));
        }
        Ok(())
    }

    /// Takes a new name for a parameter, constant, variable or definition.
    fn claim_name(&mut self, n: &Spanned<String>, what: &str) -> Result<()> {
        self.check_name(n, what)?;
        if !self.names.insert(n.get_ref().clone()) {
            return Err(self.at(
                n.span(),
                format!("the name `{}` is defined twice", n.get_ref()),
            ));
        }
        Ok(())
    }

    /// Parses an expression of the file, labelled with what it is and its line.
    fn formula(&self, s: &Spanned<String>, what: &str, name: &str) -> Result<Formula> {
        let label = format!(
            "{what} `{name}` ({}, line {})",
            self.file,
            self.lines.of(s.span().start)
        );
        Ok(Formula {
            expr: parse(s.get_ref(), &label)?,
            text: s.get_ref().clone(),
            label,
        })
    }

    fn parameters(&mut self, specs: &[spec::ParamSpec]) -> Result<()> {
        for p in specs {
            self.claim_name(&p.name, "parameter")?;
            let name = p.name.get_ref().clone();
            if let Some(d) = &p.default
                && !self.param_names.contains(d)
            {
                return Err(self.broken(format!(
                    "parameter `{name}`: its default `{d}` is not an earlier parameter"
                )));
            }
            let domain = p
                .domain
                .as_ref()
                .map(|d| self.formula(d, "domain of parameter", &name))
                .transpose()?;
            let literal = if p.literal_domain.is_some() || p.literal_integer.is_some() {
                Some(super::LiteralParameter {
                    domain: match &p.literal_domain {
                        Some(d) => Some(self.formula(d, "literal domain of parameter", &name)?),
                        None => domain.clone(),
                    },
                    integer: p.literal_integer.unwrap_or(p.integer),
                    note: p.literal_note.clone().unwrap_or_default(),
                })
            } else {
                None
            };
            self.theory.parameters.push(Parameter {
                domain,
                flag: p.flag.clone().unwrap_or_else(|| name.clone()),
                symbol: p.symbol.clone(),
                latex: p.latex.clone().unwrap_or_else(|| name.clone()),
                meaning: p.meaning.clone(),
                integer: p.integer,
                default: p.default.clone(),
                name: name.clone(),
                origin: self.origin.clone(),
                literal,
            });
            self.param_names.insert(name);
        }
        Ok(())
    }

    fn constants(&mut self, specs: &[spec::ConstSpec]) -> Result<()> {
        for c in specs {
            self.claim_name(&c.name, "constant")?;
            let name = c.name.get_ref().clone();
            let value = parse_rational(c.value.get_ref())
                .map_err(|e| self.at(c.value.span(), format!("constant `{name}`: {e}")))?;
            self.theory.constants.push(Constant {
                value,
                value_text: c.value.get_ref().clone(),
                symbol: c.symbol.clone().unwrap_or_else(|| name.clone()),
                latex: c.latex.clone().unwrap_or_else(|| name.clone()),
                meaning: c.meaning.clone(),
                cite: c.cite.clone(),
                tunable: c.tunable,
                name,
                origin: self.origin.clone(),
            });
        }
        Ok(())
    }

    fn variables(&mut self, specs: &[spec::VariableSpec]) -> Result<()> {
        for v in specs {
            self.claim_name(&v.name, "variable")?;
            let name = v.name.get_ref().clone();
            self.theory.variables.push(Variable {
                symbol: v.symbol.clone().unwrap_or_else(|| name.clone()),
                meaning: v.meaning.clone(),
                name,
                origin: self.origin.clone(),
            });
        }
        Ok(())
    }

    fn definitions(&mut self, specs: &[spec::DefSpec]) -> Result<()> {
        for d in specs {
            self.claim_name(&d.name, "definition")?;
            let name = d.name.get_ref().clone();
            let bound = match d.bound.as_deref() {
                None | Some("exact") => Bound::Exact,
                Some("upper") => Bound::Upper,
                Some("lower") => Bound::Lower,
                Some(other) => {
                    return Err(self.broken(format!(
                        "definition `{name}`: bound = \"{other}\" must be \"exact\", \"upper\" or \"lower\""
                    )));
                }
            };
            let formula = self.formula(&d.expr, "definition", &name)?;
            let literal = d
                .literal
                .as_ref()
                .map(|l| -> Result<super::LiteralDefinition> {
                    Ok(super::LiteralDefinition {
                        formula: self.formula(l, "literal reading of definition", &name)?,
                        note: d.literal_note.clone().unwrap_or_default(),
                    })
                })
                .transpose()?;
            self.theory.definitions.push(Definition {
                formula,
                symbol: d.symbol.clone().unwrap_or_else(|| name.clone()),
                latex: d.latex.clone().unwrap_or_else(|| name.clone()),
                meaning: d.meaning.clone(),
                cite: d.cite.clone(),
                bound,
                name,
                origin: self.origin.clone(),
                literal,
            });
        }
        Ok(())
    }

    /// Hypotheses, then claims: each with its `uses` list (a claim without one uses every
    /// standing hypothesis), hint and substitutions checked.
    fn statements(&mut self, hyps: &[StmtSpec], claims: &[StmtSpec]) -> Result<()> {
        let t = &self.theory;
        let hyp_names: HashSet<String> = t
            .hypotheses
            .iter()
            .map(|h| h.name.clone())
            .chain(hyps.iter().map(|h| h.name.get_ref().clone()))
            .collect();
        let standing: Vec<String> = t
            .hypotheses
            .iter()
            .filter(|h| !h.step)
            .map(|h| h.name.clone())
            .chain(
                hyps.iter()
                    .filter(|h| !h.step)
                    .map(|h| h.name.get_ref().clone()),
            )
            .collect();
        let uses: usize = hyps
            .iter()
            .map(|s| s.uses.as_ref().map_or(0, Vec::len))
            .chain(
                claims
                    .iter()
                    .map(|s| s.uses.as_ref().map_or(standing.len(), Vec::len)),
            )
            .fold(0usize, usize::saturating_add);
        if uses > MAX_USES {
            return Err(self.broken(format!(
                "its claims use {uses} hypotheses in all (a claim without `uses = [...]` uses each of the {} standing hypotheses); at most {MAX_USES} are accepted: give the claims `uses` lists of the hypotheses they need",
                standing.len()
            )));
        }
        let mut stmt_names: HashSet<String> = t.hypotheses.iter().map(|h| h.name.clone()).collect();
        let scope = Scope {
            hyp_names: &hyp_names,
            standing: &standing,
            definitions: t.definitions.iter().map(|d| d.name.as_str()).collect(),
            parameters: t.parameters.iter().map(|p| p.name.as_str()).collect(),
            variables: t.variables.iter().map(|p| p.name.as_str()).collect(),
        };
        let mut new_hyps = Vec::with_capacity(hyps.len());
        for h in hyps {
            new_hyps.push(self.statement(h, "hypothesis", &scope, &mut stmt_names)?);
        }
        let mut new_claims = Vec::with_capacity(claims.len());
        for c in claims {
            new_claims.push(self.statement(c, "claim", &scope, &mut stmt_names)?);
        }
        self.theory.hypotheses.extend(new_hyps);
        self.theory.claims.extend(new_claims);
        Ok(())
    }

    fn statement(
        &self,
        s: &StmtSpec,
        what: &str,
        scope: &Scope,
        stmt_names: &mut HashSet<String>,
    ) -> Result<Statement> {
        self.check_name(&s.name, what)?;
        let name = s.name.get_ref().clone();
        if !stmt_names.insert(name.clone()) {
            return Err(self.at(
                s.name.span(),
                format!("two hypotheses or claims are named `{name}`"),
            ));
        }
        let uses = match &s.uses {
            Some(u) => {
                if let Some(h) = u.iter().find(|h| !scope.hyp_names.contains(*h)) {
                    return Err(self.broken(format!(
                        "{what} `{name}` uses `{h}`, which is not a hypothesis"
                    )));
                }
                u.clone()
            }
            // A claim uses every standing hypothesis unless it says; a hypothesis uses
            // nothing (its list is never read).
            None if what == "claim" => scope.standing.to_vec(),
            None => Vec::new(),
        };
        if let Some(h) = &s.hint
            && !scope.definitions.contains(h.as_str())
        {
            return Err(self.broken(format!("{what} `{name}`: hint `{h}` is not a definition")));
        }
        let formula = self.formula(&s.expr, what, &name)?;
        let mut substitutes = Vec::with_capacity(s.substitute.len());
        for (k, e) in &s.substitute {
            if !scope.parameters.contains(k.as_str()) && !scope.variables.contains(k.as_str()) {
                return Err(self.broken(format!(
                    "{what} `{name}` substitutes `{k}`, which is neither a parameter nor a variable"
                )));
            }
            substitutes.push((k.clone(), self.formula(e, "substitution in", &name)?));
        }
        let mut ranges = BTreeMap::new();
        for (k, r) in &s.ranges {
            if !scope.parameters.contains(k.as_str()) && !scope.variables.contains(k.as_str()) {
                return Err(self.at(
                    r.span(),
                    format!("{what} `{name}` gives a range for `{k}`, which is neither a parameter nor a variable"),
                ));
            }
            ranges.insert(
                k.clone(),
                Range::parse(k, r.get_ref()).map_err(|m| self.at(r.span(), m))?,
            );
        }
        if !ranges.is_empty() && s.restriction.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(self.broken(format!(
                "{what} `{name}` has its own box, a restriction of the domain: say why in `restriction`"
            )));
        }
        Ok(Statement {
            ranges,
            restriction: s.restriction.clone(),
            formula,
            cite: s.cite.clone(),
            uses,
            hint: s.hint.clone(),
            note: s.note.clone(),
            step: s.step,
            finding: s.finding.clone(),
            point_only: s.point_only,
            substitutes,
            name,
            origin: self.origin.clone(),
        })
    }

    fn assumptions(&mut self, specs: &[spec::AssumptionSpec]) {
        for a in specs {
            self.theory.assumptions.push(Assumption {
                name: a.name.clone(),
                statement: a.statement.clone(),
                cite: a.cite.clone(),
                origin: self.origin.clone(),
            });
        }
    }

    /// `[example]`: a value for parameters, as a string (read exactly) or an integer.
    fn example(&mut self, example: &BTreeMap<String, Spanned<toml::Value>>) -> Result<()> {
        for (k, v) in example {
            if !self.param_names.contains(k) {
                return Err(self.broken(format!("[example] sets `{k}`, which is not a parameter")));
            }
            let s = match v.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                _ => {
                    return Err(self.at(
                        v.span(),
                        format!(
                            "[example] `{k}` must be a string such as \"0.1\" (so that it is read exactly) or an integer"
                        ),
                    ));
                }
            };
            self.theory.example.insert(k.clone(), s);
        }
        Ok(())
    }

    /// `[verify]`: the box's ranges and the parameters given by expressions of its coordinates.
    fn verify_box(&mut self, v: &spec::VerifySpec) -> Result<()> {
        let var_names: HashSet<String> = self
            .theory
            .variables
            .iter()
            .map(|v| v.name.clone())
            .collect();
        for (k, r) in &v.ranges {
            if !self.param_names.contains(k) && !var_names.contains(k) {
                return Err(self.broken(format!(
                    "[verify] box gives a range for `{k}`, which is neither a parameter nor a variable"
                )));
            }
            let range = Range::parse(k, r.get_ref()).map_err(|m| self.at(r.span(), m))?;
            self.theory.ranges.insert(k.clone(), range);
        }
        for (k, e) in &v.substitute {
            if !self.param_names.contains(k) && !var_names.contains(k) {
                return Err(self.broken(format!(
                    "[verify] substitutes `{k}`, which is not a parameter"
                )));
            }
            let f = self.formula(e, "verify substitution for", k)?;
            self.theory.substitutes.retain(|(n, _)| n != k);
            self.theory.substitutes.push((k.clone(), f));
        }
        for sc in &v.scaling {
            self.scaling(sc, &var_names)?;
        }
        Ok(())
    }

    /// One `[[verify.scaling]]`: its weights name parameters or variables, are integers of
    /// at most [`MAX_SCALING_WEIGHT`] in size and 0 for integer parameters, and the weight of
    /// `fix` divides every other; a scaling the extended file declares gains the weights.
    fn scaling(&mut self, sc: &spec::ScalingSpec, var_names: &HashSet<String>) -> Result<()> {
        let name = sc.name.get_ref().trim().to_string();
        if name.is_empty() {
            return Err(self.at(sc.name.span(), "a scaling needs a name"));
        }
        let i = match self.theory.scalings.iter().position(|x| x.name == name) {
            Some(i) => i,
            None => {
                self.theory.scalings.push(Scaling {
                    name: name.clone(),
                    meaning: String::new(),
                    weights: BTreeMap::new(),
                    fix: String::new(),
                });
                self.theory.scalings.len() - 1
            }
        };
        for (k, w) in &sc.weights {
            let at = |m: String| self.at(w.span(), m);
            if !self.param_names.contains(k) && !var_names.contains(k) {
                return Err(at(format!(
                    "scaling `{name}` gives a weight to `{k}`, which is neither a parameter nor a variable"
                )));
            }
            let w = *w.get_ref();
            if w.abs() > MAX_SCALING_WEIGHT {
                return Err(at(format!(
                    "scaling `{name}`: the weight {w} of `{k}` is too large; at most {MAX_SCALING_WEIGHT} in size"
                )));
            }
            let integer = self
                .theory
                .parameters
                .iter()
                .any(|p| &p.name == k && p.integer);
            if integer && w != 0 {
                return Err(at(format!(
                    "scaling `{name}`: `{k}` takes integer values, which a scaling does not keep; its weight must be 0"
                )));
            }
            let weights = &mut self.theory.scalings[i].weights;
            if w == 0 {
                weights.remove(k);
            } else {
                weights.insert(k.clone(), w);
            }
        }
        if let Some(m) = &sc.meaning {
            self.theory.scalings[i].meaning = m.trim().to_string();
        }
        if let Some(f) = &sc.fix {
            self.theory.scalings[i].fix = f.get_ref().trim().to_string();
        }
        let s = &self.theory.scalings[i];
        let fix_span = sc.fix.as_ref().map_or(sc.name.span(), |f| f.span());
        if s.fix.is_empty() {
            return Err(self.at(
                sc.name.span(),
                format!("scaling `{name}` needs `fix`: the coordinate verify sets to 1"),
            ));
        }
        let Some(&wf) = s.weights.get(&s.fix) else {
            return Err(self.at(
                fix_span,
                format!("scaling `{name}` fixes `{}`, whose weight is 0", s.fix),
            ));
        };
        if let Some((k, w)) = s.weights.iter().find(|(_, w)| **w % wf != 0) {
            return Err(self.at(
                fix_span,
                format!(
                    "scaling `{name}`: the weight {w} of `{k}` is not a multiple of the weight {wf} of `{}`, the coordinate it fixes",
                    s.fix
                ),
            ));
        }
        Ok(())
    }
}

/// What a statement may refer to.
struct Scope<'s> {
    hyp_names: &'s HashSet<String>,
    standing: &'s [String],
    definitions: HashSet<&'s str>,
    parameters: HashSet<&'s str>,
    variables: HashSet<&'s str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[result]\nname = \"t\"\ntitle = \"t\"\ncite = \"t\"\n";

    fn error_of(body: &str) -> Error {
        load(&format!("{HEAD}{body}"), "t.toml", 0).unwrap_err()
    }

    #[test]
    fn errors_carry_the_place_of_the_offending_value() {
        let e = error_of(
            "[[parameter]]\nname = \"x\"\nsymbol = \"x\"\nmeaning = \"m\"\n[[constant]]\nname = \"x\"\nvalue = \"1\"\nmeaning = \"m\"\ncite = \"c\"\n",
        );
        let Error::Proofs { at: Some(p), .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!((p.line, p.column, p.width), (10, 8, 3));
        assert_eq!(
            e.to_string(),
            "the proofs file t.toml is broken: the name `x` is defined twice\n   |\n10 | name = \"x\"\n   |        ^^^"
        );
        let text = format!(
            "{HEAD}[[constant]]\nname = \"k\"\nvalue = \"1/0\"\nmeaning = \"m\"\ncite = \"c\"\n"
        );
        let e = load(&text, "t.toml", 0).unwrap_err();
        let Error::Proofs {
            at: Some(p),
            message,
            ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(&text[p.span.start..p.span.end], "\"1/0\"");
        assert!(!message.contains("line"), "{message}");
    }

    #[test]
    fn errors_without_a_place_name_the_file() {
        let e = error_of(
            "[[claim]]\nname = \"c\"\nexpr = \"1 < 2\"\ncite = \"c\"\nuses = [\"nosuch\"]\n",
        );
        assert!(matches!(e, Error::Proofs { at: None, .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "the proofs file t.toml is broken: claim `c` uses `nosuch`, which is not a hypothesis"
        );
    }

    /// The error's text: the message, then the line with carets under the offending value.
    fn shown(body: &str) -> String {
        error_of(body).to_string()
    }

    #[test]
    fn the_caret_sits_under_a_span_in_the_middle_of_a_line() {
        let e = shown(
            "[[constant]]\nname = \"k\"\nvalue = \"1/0\"  # a comment\nmeaning = \"m\"\ncite = \"c\"\n",
        );
        let (first, rest) = e.split_once('\n').unwrap();
        assert!(
            first.starts_with("the proofs file t.toml is broken: constant `k`: "),
            "{e}"
        );
        assert!(!first.contains("line"), "{e}");
        assert_eq!(
            rest,
            "  |\n7 | value = \"1/0\"  # a comment\n  |         ^^^^^"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // η, · and μ are two bytes each: the carets must stand under the value `"1/0"`, 51
        // characters (but 54 bytes) into its line. (A table array written inline, before the
        // header, so that other values come before the faulty one on its line.)
        let line =
            "constant = [{ name = \"k\", meaning = \"η·μ\", value = \"1/0\", cite = \"c\" }]";
        let e = load(&format!("{line}\n{HEAD}"), "t.toml", 0)
            .unwrap_err()
            .to_string();
        let rest = e.split_once('\n').unwrap().1;
        assert_eq!(
            rest,
            format!("  |\n1 | {line}\n  | {}^^^^^", " ".repeat(51))
        );
        let lines: Vec<&str> = rest.lines().collect();
        let col = lines[2].find('^').unwrap();
        assert_eq!(lines[1].chars().nth(col), Some('"'));
        assert_eq!(
            lines[1].chars().skip(col).take(5).collect::<String>(),
            "\"1/0\""
        );
    }

    #[test]
    fn a_span_over_several_lines_is_careted_on_its_first() {
        let e = error_of(
            "[[parameter]]\nname = \"eta\"\nsymbol = \"η\"\nmeaning = \"m\"\n[example]\neta = [1,\n  2]\n",
        );
        let Error::Proofs { at: Some(p), .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!((p.line, p.column, p.width), (10, 7, 3));
        assert_eq!(
            e.to_string().split_once('\n').unwrap().1,
            "   |\n10 | eta = [1,\n   |       ^^^"
        );
    }

    #[test]
    fn tabs_before_the_span_are_kept_in_the_caret_line() {
        let e = shown(
            "[[variable]]\nname = \"v\"\nmeaning = \"m\"\n[[variable]]\nname\t=\t\"v\"\nmeaning = \"m\"\n",
        );
        assert_eq!(
            e.split_once('\n').unwrap().1,
            "  |\n9 | name\t=\t\"v\"\n  |     \t \t^^^"
        );
    }
}
