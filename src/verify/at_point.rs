//! What `check` computes: the results a command line chooses, each evaluated at the point its
//! flags, `--set` and `--example` give ([`super::evaluate_point`]).

use super::{PointResult, Precision, evaluate_point};
use crate::arith::Truth;
use crate::error::{Result, Usage};
use crate::theory::{Model, Theory, default_check_results, spec::DefaultCheck};
use std::collections::BTreeMap;

/// A request to check results at one point.
#[derive(Clone, Debug, Default)]
pub struct CheckRequest {
    /// A built-in result by name.
    pub result: Option<String>,
    /// A proofs file (excludes `result`).
    pub proofs: Option<String>,
    /// Parameter values by flag (without `--`), as the proofs files name them.
    pub flags: BTreeMap<String, String>,
    /// `NAME=VALUE` for any parameter or constant, by its name in the file.
    pub sets: Vec<String>,
    /// Fill the parameters not given with the file's `[example]`.
    pub example: bool,
    /// Working precision, bits (undecided answers are retried higher).
    pub prec: u32,
    /// Significant digits of printed values.
    pub digits: usize,
    /// Take the statements as the paper prints them ([`Theory::literal`]).
    pub literal: bool,
}

/// Each checked result's model and its values at the point.
pub struct Checked {
    pub models: Vec<Model>,
    pub points: Vec<PointResult>,
    pub digits: usize,
    /// With `literal`: each difference between the repaired reading and the paper's.
    pub literal_reading: Option<Vec<String>>,
}

impl Checked {
    /// The (model, point) pairs, in order, for the report.
    pub fn items(&self) -> Vec<(&Model, &PointResult)> {
        self.models.iter().zip(&self.points).collect()
    }
    /// True when every hypothesis and claim of every result holds.
    pub fn verdict(&self) -> Truth {
        self.points
            .iter()
            .map(|p| p.verdict())
            .fold(Truth::True, Truth::and)
    }
}

/// Evaluates the chosen results at the point. Every flag and `--set` must name a parameter
/// (or, for `--set`, a constant) of some result checked; a usage error otherwise.
pub fn check_at_point(req: &CheckRequest) -> Result<Checked> {
    let flags = &req.flags;
    let sets = parse_sets(&req.sets)?;
    let mut theories = chosen_results(req)?;
    let mut literal_reading = None;
    if req.literal {
        let mut lines: Vec<String> = Vec::new();
        for l in theories.iter().flat_map(Theory::literal_differences) {
            if !lines.contains(&l) {
                lines.push(l);
            }
        }
        literal_reading = Some(lines);
        theories = theories.iter().map(Theory::literal).collect();
    }
    let names = || {
        theories
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    for k in flags.keys() {
        if !theories
            .iter()
            .any(|t| t.parameters.iter().any(|p| &p.flag == k))
        {
            // a parameter of that name whose file gives it another flag
            let takes = theories
                .iter()
                .find_map(|t| t.parameter(k))
                .map(|p| p.flag.clone());
            return Err(Usage::UnknownFlag {
                name: k.clone(),
                of: names(),
                takes,
                set: false,
            }
            .into());
        }
    }
    for k in sets.keys() {
        let known = theories
            .iter()
            .any(|t| t.parameter(k).is_some() || t.constants.iter().any(|c| &c.name == k));
        if !known {
            return Err(Usage::NotA {
                context: Some(format!("--set {k}=…")),
                name: k.clone(),
                kind: "parameter".into(),
                of: names(),
                known: None,
            }
            .into());
        }
    }
    let mut checked = Checked {
        models: Vec::new(),
        points: Vec::new(),
        digits: req.digits,
        literal_reading,
    };
    for t in theories {
        let given = values_for(&t, flags, &sets, req.example);
        let model = Model::compile(t)?;
        let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
        let point = evaluate_point(&model, &inputs, Precision::new(req.prec, req.digits));
        checked.models.push(model);
        checked.points.push(point);
    }
    Ok(checked)
}

/// `NAME=VALUE` pairs by name.
fn parse_sets(sets: &[String]) -> Result<BTreeMap<String, String>> {
    let mut m = BTreeMap::new();
    for s in sets {
        let Some((k, v)) = s.split_once('=') else {
            return Err(
                Usage::malformed("--set", s, "NAME=VALUE, for example --set eta=0.01").into(),
            );
        };
        m.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(m)
}

/// The values given for `t`'s constants and parameters, by name: a parameter's flag first,
/// then `--set`, then (with `example`) the file's example value.
fn values_for(
    t: &Theory,
    flags: &BTreeMap<String, String>,
    sets: &BTreeMap<String, String>,
    example: bool,
) -> BTreeMap<String, String> {
    let mut given = BTreeMap::new();
    for c in &t.constants {
        if let Some(v) = sets.get(&c.name) {
            given.insert(c.name.clone(), v.clone());
        }
    }
    for p in &t.parameters {
        if let Some(v) = flags.get(&p.flag).or_else(|| sets.get(&p.name)) {
            given.insert(p.name.clone(), v.clone());
        } else if example && let Some(v) = t.example.get(&p.name) {
            given.insert(p.name.clone(), v.clone());
        }
    }
    given
}

/// Which results to check: the proofs file, the named result, or the built-in results whose
/// file says `check = "always"`, with those that say `"when-given"` when a flag that only they
/// take is given.
fn chosen_results(req: &CheckRequest) -> Result<Vec<Theory>> {
    if let Some(path) = &req.proofs {
        if req.result.is_some() {
            return Err(Usage::exclusive("a RESULT", "--proofs FILE").into());
        }
        return Ok(vec![Theory::from_path(path)?]);
    }
    if let Some(name) = req.result.as_deref() {
        return Ok(vec![Theory::builtin(name)?]);
    }
    let defaults = default_check_results()?;
    let always: Vec<&Theory> = defaults
        .iter()
        .filter(|t| t.default_check == DefaultCheck::Always)
        .collect();
    let own_flag_given = |t: &Theory| {
        t.parameters.iter().any(|p| {
            req.flags.contains_key(&p.flag)
                && !always
                    .iter()
                    .any(|a| a.parameters.iter().any(|q| q.flag == p.flag))
        })
    };
    Ok(defaults
        .iter()
        .filter(|t| t.default_check == DefaultCheck::Always || own_flag_given(t))
        .cloned()
        .collect())
}
