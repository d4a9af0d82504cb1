//! `sgdbounds check`: a result of the paper at one point.

use crate::arith::Truth;
use crate::error::{Result, Usage};
use crate::limits::check_precision;
use crate::report::{check_report, check_text};
use crate::theory::{Model, Theory, spec::DefaultCheck};
use crate::verify::{Precision, evaluate_point};
use clap::Args;
use std::collections::BTreeMap;

/// Evaluate a result of the paper at one point: hypotheses with both sides, every quantity as a
/// certified enclosure, every claim with its slack.
///
/// With no RESULT, checks Theorem 1 and Lemma 5 (add --eta2/--c2 for Corollary 2). Each
/// parameter is a flag named by its proofs file: `sgdbounds check RESULT --help` (or
/// `--proofs FILE --help`) lists the result's own.
///
/// Numbers are read exactly (0.1, 1e-4, -2.5E+3, 3/7), never through binary floating point.
///
/// Examples:
///
///   sgdbounds check --example
///
///   sgdbounds check --eta 0.01 --L 1 --c 0.5 --r 1 --d0 1 --t2 1e6
///
///   sgdbounds check --example --eta2 0.001 --c2 0.6 --json
///
///   sgdbounds check theorem3 --eta 1 --c-prime 1 --dist2 1 --grad2 4
///
/// Exit code: 0 when every hypothesis and claim holds, 1 when one fails or is undecided,
/// 2 on bad input.
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {
    /// The result: theorem1, lemma5, corollary2, theorem3 [default: theorem1 and lemma5]
    pub result: Option<String>,
    /// Any parameter or constant by its name in the proofs file (repeatable), e.g. --set mu_coef=40
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Fill every parameter not given with the example values of the proofs file
    #[arg(long)]
    pub example: bool,
    /// Check a proofs file of your own (same form as the built-in proofs/*.toml)
    #[arg(long, value_name = "FILE")]
    pub proofs: Option<String>,
    /// Working precision in bits (16 to 100000); undecided answers are retried up to 16× higher
    #[arg(long, value_name = "BITS", default_value_t = 256)]
    pub prec: u64,
    /// Significant digits printed [default: 8 in text, 20 in JSON]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub digits: Option<u32>,
    /// Print the report as JSON (every quantity as {"lo": "...", "hi": "..."} strings)
    #[arg(long)]
    pub json: bool,
    /// The parameters given by their flags (generated from the proofs files), by flag.
    #[arg(skip)]
    pub params: BTreeMap<String, String>,
}

impl CheckArgs {
    fn sets(&self) -> Result<BTreeMap<String, String>> {
        let mut m = BTreeMap::new();
        for s in &self.set {
            let Some((k, v)) = s.split_once('=') else {
                return Err(
                    Usage::malformed("--set", s, "NAME=VALUE, for example --set eta=0.01").into(),
                );
            };
            m.insert(k.trim().to_string(), v.trim().to_string());
        }
        Ok(m)
    }
}

/// Which results to check: the --proofs file, the named result, or the built-in results whose
/// file says `check = "always"`, with those that say `"when-given"` when a flag that only they
/// take is given.
fn theories(args: &CheckArgs, flags: &BTreeMap<String, String>) -> Result<Vec<Theory>> {
    if let Some(path) = &args.proofs {
        if args.result.is_some() {
            return Err(Usage::exclusive("a RESULT", "--proofs FILE").into());
        }
        return Ok(vec![Theory::from_path(path)?]);
    }
    if let Some(name) = args.result.as_deref() {
        return Ok(vec![Theory::builtin(name)?]);
    }
    let defaults = super::params::default_check_results()?;
    let always: Vec<&Theory> = defaults
        .iter()
        .filter(|t| t.default_check == DefaultCheck::Always)
        .collect();
    let own_flag_given = |t: &Theory| {
        t.parameters.iter().any(|p| {
            flags.contains_key(&p.flag)
                && !always
                    .iter()
                    .any(|a| a.parameters.iter().any(|q| q.flag == p.flag))
        })
    };
    let chosen = defaults
        .iter()
        .filter(|t| t.default_check == DefaultCheck::Always || own_flag_given(t))
        .cloned()
        .collect();
    Ok(chosen)
}

pub fn run(args: CheckArgs) -> Result<i32> {
    let prec = check_precision(args.prec)?;
    let digits = args.digits.unwrap_or(if args.json { 20 } else { 8 }) as usize;
    let flags = &args.params;
    let sets = args.sets()?;
    let theories = theories(&args, flags)?;
    // Every flag and --set must be a parameter of some result checked.
    for k in flags.keys() {
        if !theories
            .iter()
            .any(|t| t.parameters.iter().any(|p| &p.flag == k))
        {
            // a parameter of that name whose file gives it another flag
            let hint = theories
                .iter()
                .find_map(|t| t.parameter(k))
                .map(|p| p.flag.clone());
            return Err(Usage::UnknownFlag {
                name: k.clone(),
                of: theories
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" or "),
                takes: hint,
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
                of: theories
                    .iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" or "),
                known: None,
            }
            .into());
        }
    }
    let mut models = Vec::new();
    let mut points = Vec::new();
    for t in theories {
        let mut given = BTreeMap::new();
        for c in &t.constants {
            if let Some(v) = sets.get(&c.name) {
                given.insert(c.name.clone(), v.clone());
            }
        }
        for p in &t.parameters {
            if let Some(v) = flags.get(&p.flag).or_else(|| sets.get(&p.name)) {
                given.insert(p.name.clone(), v.clone());
            } else if args.example
                && let Some(v) = t.example.get(&p.name)
            {
                given.insert(p.name.clone(), v.clone());
            }
        }
        let model = Model::compile(t)?;
        let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
        let point = evaluate_point(&model, &inputs, Precision::new(prec, digits));
        models.push(model);
        points.push(point);
    }
    let items: Vec<_> = models.iter().zip(&points).collect();
    let report = check_report(&items, digits);
    if args.json {
        super::print_json(&report);
    } else {
        print!("{}", check_text(&report));
    }
    let all = points
        .iter()
        .map(|p| p.verdict())
        .fold(Truth::True, Truth::and);
    Ok(if all == Truth::True { 0 } else { 1 })
}
