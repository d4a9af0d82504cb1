//! A batch of claims proved or refuted over boxes (`verify`): the results to load, the box
//! ranges given on the command line, the claims asked for, and the parallel loop that runs
//! [`verify_claim`] on each, every claim in the model cut down to what it needs.

use super::{ClaimOutcome, VerifyOptions, verify_claim};
use crate::error::{Result, Usage};
use crate::limits::check_precision;
use crate::limits::check_prover_memory;
use crate::theory::{Mode, Model, Range, Theory, builtin_names};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

/// Loads a built-in result by name, or a proofs file by path (a name ending in `.toml`, or any
/// existing path).
pub fn load(spec: &str) -> Result<Theory> {
    if builtin_names().contains(&spec) {
        Theory::builtin(spec)
    } else if spec.ends_with(".toml") || std::path::Path::new(spec).exists() {
        Theory::from_path(spec)
    } else {
        Err(Usage::UnknownResult {
            name: spec.to_string(),
            builtins: builtin_names().iter().map(|s| s.to_string()).collect(),
            or_file: true,
        }
        .into())
    }
}

/// Parses `NAME=LO..HI[:log]` options (`--box`) into ranges by name, read exactly (see
/// [`Range::parse`]); a later option for a name replaces an earlier one.
pub fn parse_boxes(boxes: &[String]) -> Result<BTreeMap<String, Range>> {
    let mut out = BTreeMap::new();
    for b in boxes {
        let Some((name, range)) = b.split_once('=') else {
            return Err(Usage::malformed("--box", b, "NAME=LO..HI or NAME=LO..HI:log").into());
        };
        let r = Range::parse(name.trim(), range).map_err(|m| Usage::at("--box", m))?;
        out.insert(name.trim().to_string(), r);
    }
    Ok(out)
}

/// What a batch is asked to do: the results (built-in names or proofs files; every built-in
/// result when empty), box ranges replacing or adding to the files' own, the claims asked for
/// (every claim of each file's own that is not `point_only` when empty), and the prover's
/// settings for each claim.
#[derive(Clone, Debug)]
pub struct BatchRequest {
    pub files: Vec<String>,
    pub boxes: Vec<String>,
    pub claims: Vec<String>,
    /// Seconds per claim (falsifier and prover together), in (0, 10⁶].
    pub budget: f64,
    pub max_boxes: usize,
    pub samples: usize,
    pub seed: u64,
    pub identity_seed: Option<u64>,
    /// Working precision of the prover, bits (checked by [`check_precision`]).
    pub prec: u64,
    /// Reduce boxes by the files' scalings ([`super::scaling`]).
    pub scaling: bool,
    /// Keep each proved claim's certificate.
    pub record: bool,
    /// Prove only this part of each claim's domain.
    pub shard: Option<super::shard::Shard>,
}

/// The settings a batch ran with, as its report states them.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BatchSettings {
    pub precision_bits: u32,
    pub budget_seconds_per_claim: f64,
    pub max_cells_per_claim: usize,
    pub samples_per_claim: usize,
    pub seed: u64,
    /// Whether boxes were reduced by the files' scalings.
    pub scaling: bool,
    /// The part of each claim's domain proved (`K/N`), when sharded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// A batch's outcomes: for each result that had a claim asked for, its model (compiled for
/// `verify`) and its claims' outcomes in file order.
pub struct Batch {
    pub settings: BatchSettings,
    pub results: Vec<(Model, Vec<(usize, ClaimOutcome)>)>,
}

/// The claims of a batch, checked and compiled before anything runs; [`Plan::run`] proves them.
pub struct Plan {
    settings: BatchSettings,
    opts: VerifyOptions,
    overrides: BTreeMap<String, Range>,
    /// (verify model, free model) per result.
    models: Vec<(Model, Model)>,
    /// (result, claim) pairs to run.
    jobs: Vec<(usize, usize)>,
}

impl Plan {
    /// Checks the request (precision, budget, box names, claim names, the prover's memory) and
    /// compiles every result, in that order of errors; an error is bad input.
    pub fn new(req: &BatchRequest) -> Result<Plan> {
        let prec = check_precision(req.prec)?;
        if !(req.budget > 0.0 && req.budget <= 1e6) {
            return Err(Usage::out_of_range(
                "--budget",
                req.budget,
                "give a number of seconds between 0 and 1000000",
            )
            .into());
        }
        let overrides = parse_boxes(&req.boxes)?;
        let specs: Vec<String> = if req.files.is_empty() {
            builtin_names().iter().map(|s| s.to_string()).collect()
        } else {
            req.files.clone()
        };
        let mut models = Vec::new();
        for s in &specs {
            let t = load(s)?;
            let free = Model::compile_for(t.clone(), Mode::Free)?;
            let m = Model::compile_for(t, Mode::Verify)?;
            models.push((m, free));
        }
        // The prover keeps up to max_boxes cells per claim, for as many claims as run at once.
        let dims = models
            .iter()
            .map(|(m, _)| m.coords.len())
            .max()
            .unwrap_or(0);
        check_prover_memory(req.max_boxes, dims, prec)?;
        for k in overrides.keys() {
            let known = models
                .iter()
                .any(|(m, _)| m.coords.contains(k) || m.theory.ranges.contains_key(k));
            if !known {
                return Err(Usage::NotA {
                    context: Some(format!("--box {k}=…")),
                    name: k.clone(),
                    kind: "coordinate".into(),
                    of: format!("the boxes of {}", specs.join(", ")),
                    known: None,
                }
                .into());
            }
        }
        for c in &req.claims {
            if !models
                .iter()
                .any(|(m, _)| m.theory.claims.iter().any(|x| &x.name == c))
            {
                return Err(Usage::NotIn {
                    flag: "--claim".into(),
                    name: c.clone(),
                    kind: "claim".into(),
                    result: specs.join(", "),
                    known: None,
                }
                .into());
            }
        }
        let mut jobs = Vec::new();
        for (mi, (m, _)) in models.iter().enumerate() {
            for (ci, c) in m.theory.claims.iter().enumerate() {
                let own = c.origin == m.theory.name;
                let asked = if req.claims.is_empty() {
                    own && !c.point_only
                } else {
                    req.claims.contains(&c.name) && own
                };
                if asked {
                    jobs.push((mi, ci));
                }
            }
        }
        if jobs.is_empty() {
            return Err(Usage::Other(format!(
                "nothing to verify: {} has no claim of its own that verify checks over boxes (claims marked point_only are checked by `check`)",
                specs.join(", ")
            ))
            .into());
        }
        let opts = VerifyOptions {
            prec,
            max_boxes: req.max_boxes,
            budget: Duration::from_secs_f64(req.budget),
            samples: req.samples,
            seed: req.seed,
            identity_trials: 8,
            identity_seed: req.identity_seed,
            scaling: req.scaling,
            record: req.record,
            shard: req.shard,
        };
        let settings = BatchSettings {
            precision_bits: prec,
            budget_seconds_per_claim: req.budget,
            max_cells_per_claim: req.max_boxes,
            samples_per_claim: req.samples,
            seed: req.seed,
            scaling: req.scaling,
            shard: req.shard.map(|s| format!("{}/{}", s.k, s.n)),
        };
        Ok(Plan {
            settings,
            opts,
            overrides,
            models,
            jobs,
        })
    }

    /// The number of claims the batch runs.
    pub fn claims(&self) -> usize {
        self.jobs.len()
    }

    /// Runs every claim, in parallel; `done` is called with a claim's name as it finishes. The
    /// falsifier of claim `i` of a file draws from a generator seeded with `seed ^ i·0x9E37_79B9`,
    /// so a claim draws the same points alone as in its whole file.
    pub fn run(self, done: &(dyn Fn(&str) + Sync)) -> Result<Batch> {
        let Plan {
            settings,
            opts,
            overrides,
            models,
            jobs,
        } = self;
        let constants = BTreeMap::new();
        let outcomes: Vec<Result<_>> = jobs
            .par_iter()
            .map(|&(mi, ci)| {
                let (m, free) = &models[mi];
                // Each claim is proved in the model cut down to what it needs, so that its cost
                // does not grow with the number of claims and definitions in the file; a claim
                // with substitutions of its own is cut from a model of its own.
                let st = &m.theory.claims[ci];
                let own = if st.substitutes.is_empty() && st.ranges.is_empty() {
                    m.only_claim(ci)
                } else {
                    Model::compile_for(m.theory.for_claim(ci), Mode::Verify)?.only_claim(ci)
                };
                let free = free.only_claim(ci);
                // The claim is claim 0 of the cut models; the falsifier draws from a generator
                // seeded with the seed and the claim's index (seed ^ index·0x9E37_79B9), so the
                // index is mixed in here to draw what it draws in the whole model. (The identity
                // test then draws other points; whether an identity holds does not depend on
                // them.)
                let opts = VerifyOptions {
                    seed: opts.seed ^ (ci as u64).wrapping_mul(0x9E37_79B9),
                    ..opts
                };
                let r = verify_claim(&own, &free, 0, &overrides, &constants, &opts).map(|mut o| {
                    if let Some(c) = &mut o.certificate {
                        c.definitions = super::certificate::definitions(&m.theory, ci);
                    }
                    o
                });
                done(&m.theory.claims[ci].name);
                r.map(|o| (mi, ci, o))
            })
            .collect();
        let mut by_model: Vec<Vec<(usize, ClaimOutcome)>> = vec![Vec::new(); models.len()];
        for o in outcomes {
            let (mi, ci, o) = o?;
            by_model[mi].push((ci, o));
        }
        let results = models
            .into_iter()
            .zip(by_model)
            .filter(|(_, list)| !list.is_empty())
            .map(|((m, _), list)| (m, list))
            .collect();
        Ok(Batch { settings, results })
    }
}
