//! A [`Theory`] compiled to one tape: every definition, hypothesis, claim and domain is
//! compiled once, sharing common subexpressions.

use super::Theory;
use crate::arith::{Truth, parse_rational};
use crate::error::{Error, Result, Usage};
use crate::expr::{IntervalEval, Predicate, RationalEval, Reg, Tape, decide_all};
use rug::Rational;
use std::collections::{BTreeMap, HashMap};

/// What a model is compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Evaluation at a point given by the parameters (`check`, `table`): proof steps and their
    /// premises are left out; inputs are the parameters, then the constants.
    Check,
    /// Proof over a box (`verify`, `tighten`): every statement; inputs are the box coordinates
    /// (the parameters not substituted, then the variables), then the constants.
    Verify,
    /// As `Verify`, without the box's substitutions: every parameter is a coordinate (for
    /// identity testing, where an identity in the parameters holds for any substitution).
    Free,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub theory: Theory,
    pub mode: Mode,
    pub tape: Tape,
    /// The names of the non-constant inputs, in tape order (registers `0..coords.len()`).
    pub coords: Vec<String>,
    /// Register of each parameter (an input, or in verify mode a substitution).
    pub param_regs: Vec<Reg>,
    /// Register of each definition, in the theory's order.
    pub def_regs: Vec<Reg>,
    /// Domain of each parameter, when it has one.
    pub domains: Vec<Option<Predicate>>,
    pub hypotheses: Vec<Predicate>,
    pub claims: Vec<Predicate>,
    /// The index of each definition and each hypothesis by name.
    def_index: HashMap<String, usize>,
    hyp_index: HashMap<String, usize>,
}

fn index<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    names.enumerate().map(|(i, n)| (n.to_string(), i)).collect()
}

impl Model {
    /// The same model with some inputs standing for new quantities: `replacement` appends to
    /// the tape, for each input register it maps, the expression (of the inputs) that the old
    /// input equals; every claim, hypothesis, domain, parameter and definition is rebuilt with
    /// those inputs replaced, all at once (`x ↦ s/x` as a change of variable).
    pub fn with_inputs_replaced(
        &self,
        replacement: impl FnOnce(&mut Tape) -> HashMap<Reg, Reg>,
    ) -> Model {
        let mut m = self.clone();
        let replace = replacement(&mut m.tape);
        let preds = || {
            m.claims
                .iter()
                .chain(&m.hypotheses)
                .chain(m.domains.iter().flatten())
        };
        let mut roots: Vec<Reg> = preds()
            .flat_map(|p| p.parts.iter().flat_map(|c| [c.lhs, c.rhs]))
            .collect();
        roots.extend(&m.param_regs);
        roots.extend(&m.def_regs);
        let map = m.tape.rewrite(&roots, &replace);
        let at = |r: &Reg| map.get(r).copied().unwrap_or(*r);
        m.claims = m.claims.iter().map(|p| p.remap(&map)).collect();
        m.hypotheses = m.hypotheses.iter().map(|p| p.remap(&map)).collect();
        m.domains = m
            .domains
            .iter()
            .map(|d| d.as_ref().map(|p| p.remap(&map)))
            .collect();
        m.param_regs = m.param_regs.iter().map(at).collect();
        m.def_regs = m.def_regs.iter().map(at).collect();
        m
    }

    /// Compiles for evaluation at a point (see [`Mode::Check`]).
    pub fn compile(theory: Theory) -> Result<Model> {
        Model::compile_for(theory, Mode::Check)
    }

    pub fn compile_for(theory: Theory, mode: Mode) -> Result<Model> {
        let substituted =
            |name: &str| mode == Mode::Verify && theory.substitutes.iter().any(|(n, _)| n == name);
        // An integer parameter takes integer values everywhere; an expression of the box's
        // real coordinates would give it others.
        if let Some(p) = theory
            .parameters
            .iter()
            .find(|p| p.integer && substituted(&p.name))
        {
            return Err(crate::error::Error::Proofs {
                file: theory.file.clone(),
                message: format!(
                    "parameter `{}` takes integer values only, so `substitute` cannot give it by an expression (its values would not all be integers); give it a range in the [verify] box instead",
                    p.name
                ),
                at: None,
            });
        }
        let mut coords: Vec<String> = theory
            .parameters
            .iter()
            .filter(|p| !substituted(&p.name))
            .map(|p| p.name.clone())
            .collect();
        if mode != Mode::Check {
            coords.extend(
                theory
                    .variables
                    .iter()
                    .filter(|v| !substituted(&v.name))
                    .map(|v| v.name.clone()),
            );
        }
        let inputs: Vec<String> = coords
            .iter()
            .cloned()
            .chain(theory.constants.iter().map(|c| c.name.clone()))
            .collect();
        let mut tape = Tape::new(inputs.clone());
        let mut env: HashMap<String, Reg> = inputs
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        if mode == Mode::Verify {
            for (name, f) in &theory.substitutes {
                let src = tape.add_source(&f.label, &f.text);
                let r = tape.compile(&f.expr, &env, src)?;
                env.insert(name.clone(), r);
            }
        }
        let param_regs = theory.parameters.iter().map(|p| env[&p.name]).collect();
        let mut domains = Vec::new();
        for p in &theory.parameters {
            domains.push(match &p.domain {
                Some(f) => {
                    let src = tape.add_source(&f.label, &f.text);
                    Some(tape.compile_predicate(&f.expr, &env, src)?)
                }
                None => None,
            });
        }
        let mut def_regs = Vec::new();
        for d in &theory.definitions {
            let src = tape.add_source(&d.formula.label, &d.formula.text);
            let r = tape.compile(&d.formula.expr, &env, src)?;
            env.insert(d.name.clone(), r);
            def_regs.push(r);
        }
        let mut stmts = |list: &[super::Statement]| -> Result<Vec<Predicate>> {
            list.iter()
                .map(|s| {
                    if s.step && mode == Mode::Check {
                        return Ok(Predicate::default());
                    }
                    let src = tape.add_source(&s.formula.label, &s.formula.text);
                    tape.compile_predicate(&s.formula.expr, &env, src)
                })
                .collect()
        };
        let hypotheses = stmts(&theory.hypotheses)?;
        let claims = stmts(&theory.claims)?;
        Ok(Model {
            def_index: index(theory.definitions.iter().map(|d| d.name.as_str())),
            hyp_index: index(theory.hypotheses.iter().map(|h| h.name.as_str())),
            theory,
            mode,
            tape,
            coords,
            param_regs,
            def_regs,
            domains,
            hypotheses,
            claims,
        })
    }

    /// The model claim `claim` is verified in, cut down to what it needs: the same inputs
    /// (coordinates and constants), every parameter and its domain, the hypotheses the claim
    /// uses, and the claim itself, which is claim 0 of the result; the tape keeps only the
    /// instructions these depend on, in their order here ([`Tape::compact`]), so evaluating,
    /// normalizing and differentiating them gives what it gives in the whole model. The cost
    /// grows with what the claim needs, not with the number of claims and definitions of the
    /// file (no definitions are kept: the claim's registers compute them).
    pub fn only_claim(&self, claim: usize) -> Model {
        let t = &self.theory;
        let st = &t.claims[claim];
        let mut hyps: Vec<usize> = st
            .uses
            .iter()
            .filter_map(|h| self.hyp_index.get(h).copied())
            .collect();
        hyps.sort_unstable();
        hyps.dedup();
        let sides = |p: &Predicate| {
            p.parts
                .iter()
                .flat_map(|c| [c.lhs, c.rhs])
                .collect::<Vec<_>>()
        };
        let mut roots: Vec<Reg> = self.param_regs.clone();
        roots.extend(self.domains.iter().flatten().flat_map(sides));
        roots.extend(hyps.iter().flat_map(|&h| sides(&self.hypotheses[h])));
        roots.extend(sides(&self.claims[claim]));
        let (tape, map) = self.tape.compact(&roots);
        let remap = |p: &Predicate| p.remap(&map);
        let theory = Theory {
            name: t.name.clone(),
            title: t.title.clone(),
            cite: t.cite.clone(),
            note: t.note.clone(),
            probability: t.probability.clone(),
            file: t.file.clone(),
            default_check: t.default_check,
            parameters: t.parameters.clone(),
            constants: t.constants.clone(),
            definitions: Vec::new(),
            hypotheses: hyps.iter().map(|&h| t.hypotheses[h].clone()).collect(),
            claims: vec![st.clone()],
            assumptions: Vec::new(),
            example: t.example.clone(),
            variables: t.variables.clone(),
            ranges: t.ranges.clone(),
            substitutes: t.substitutes.clone(),
            scalings: t.scalings.clone(),
        };
        Model {
            def_index: HashMap::new(),
            hyp_index: index(theory.hypotheses.iter().map(|h| h.name.as_str())),
            theory,
            mode: self.mode,
            coords: self.coords.clone(),
            param_regs: self.param_regs.iter().map(|r| map[r]).collect(),
            def_regs: Vec::new(),
            domains: self
                .domains
                .iter()
                .map(|d| d.as_ref().map(&remap))
                .collect(),
            hypotheses: hyps.iter().map(|&h| remap(&self.hypotheses[h])).collect(),
            claims: vec![remap(&self.claims[claim])],
            tape,
        }
    }

    /// Loads and compiles a built-in result.
    pub fn builtin(name: &str) -> Result<Model> {
        Model::compile(Theory::builtin(name)?)
    }

    /// The register holding a parameter, variable, constant or definition.
    pub fn reg(&self, name: &str) -> Option<Reg> {
        if let Some(i) = self.theory.parameters.iter().position(|p| p.name == name) {
            return Some(self.param_regs[i]);
        }
        self.tape
            .input(name)
            .or_else(|| self.definition_index(name).map(|i| self.def_regs[i]))
    }

    /// The index of definition `name` in the theory's list.
    pub fn definition_index(&self, name: &str) -> Option<usize> {
        self.def_index.get(name).copied()
    }

    /// The index of hypothesis `name` in the theory's list.
    pub fn hypothesis_index(&self, name: &str) -> Option<usize> {
        self.hyp_index.get(name).copied()
    }

    pub fn n_params(&self) -> usize {
        self.theory.parameters.len()
    }

    /// The constants' values, in input order after the parameters.
    pub fn constant_values(&self) -> Vec<Rational> {
        self.theory
            .constants
            .iter()
            .map(|c| c.value.clone())
            .collect()
    }

    /// Reads parameter values given as text (keyed by parameter name), applies defaults,
    /// and checks integrality and each parameter's domain. `flag` names a parameter the way the
    /// user gave it (for messages). Returns every tape input: parameters, then constants.
    pub fn point(
        &self,
        given: &BTreeMap<String, String>,
        flag: &dyn Fn(&super::Parameter) -> String,
    ) -> Result<Vec<Rational>> {
        for k in given.keys() {
            let constant = self.theory.constants.iter().any(|c| &c.name == k);
            if self.theory.parameter(k).is_none() && !constant {
                return Err(Usage::NotA {
                    context: None,
                    name: k.clone(),
                    kind: "parameter or constant".into(),
                    of: self.theory.name.clone(),
                    known: Some((
                        "its parameters are".into(),
                        self.theory
                            .parameters
                            .iter()
                            .map(|p| p.name.clone())
                            .collect(),
                    )),
                }
                .into());
            }
        }
        let mut values: Vec<Rational> = Vec::new();
        let mut missing = Vec::new();
        for p in &self.theory.parameters {
            let text = given.get(&p.name);
            let v = match (text, &p.default) {
                (Some(t), _) => parse_rational(t).map_err(|source| Error::Number {
                    label: flag(p),
                    source,
                })?,
                (None, Some(d)) => {
                    let i = self.theory.parameters.iter().position(|q| &q.name == d);
                    match i.and_then(|i| values.get(i)) {
                        Some(v) => v.clone(),
                        None => {
                            missing.push(flag(p));
                            Rational::new()
                        }
                    }
                }
                (None, None) => {
                    missing.push(flag(p));
                    Rational::new()
                }
            };
            if p.integer && !v.is_integer() {
                return Err(Error::Domain {
                    name: flag(p),
                    value: text.cloned().unwrap_or_default(),
                    domain: "it must be an integer".into(),
                    meaning: p.meaning.clone(),
                });
            }
            values.push(v);
        }
        if !missing.is_empty() {
            return Err(Usage::MissingParameters {
                result: self.theory.name.clone(),
                flags: missing,
                grid: false,
            }
            .into());
        }
        // Constants take the file's values unless given (`--set mu_coef=40`).
        for c in &self.theory.constants {
            values.push(match given.get(&c.name) {
                Some(t) => parse_rational(t).map_err(|source| Error::Number {
                    label: format!("--set {}", c.name),
                    source,
                })?,
                None => c.value.clone(),
            });
        }
        self.check_domains(&values, given, flag)?;
        Ok(values)
    }

    fn check_domains(
        &self,
        values: &[Rational],
        given: &BTreeMap<String, String>,
        flag: &dyn Fn(&super::Parameter) -> String,
    ) -> Result<()> {
        if self.domains.iter().all(Option::is_none) {
            return Ok(());
        }
        let mut exact = RationalEval::new(&self.tape);
        exact.run(&self.tape, values);
        let mut ivs = IntervalEval::new(&self.tape, 256);
        for (k, q) in values.iter().enumerate() {
            ivs.set_input(k, q);
        }
        ivs.run(&self.tape);
        for (p, dom) in self.theory.parameters.iter().zip(&self.domains) {
            let Some(dom) = dom else { continue };
            if decide_all(dom, &ivs, Some(&exact)) != Truth::True {
                return Err(Error::Domain {
                    name: flag(p),
                    value: given
                        .get(&p.name)
                        .cloned()
                        .unwrap_or_else(|| "its default".into()),
                    domain: format!(
                        "it must satisfy `{}`",
                        p.domain
                            .as_ref()
                            .map(|d| d.text.as_str())
                            .unwrap_or_default()
                    ),
                    meaning: p.meaning.clone(),
                });
            }
        }
        Ok(())
    }
}
