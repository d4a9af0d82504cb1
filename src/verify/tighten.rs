//! Tightening a constant (`tighten`): a certified bracket for the least value of a tunable
//! constant of a proofs file (the 42 of μ, the factor 20 of Markov's bound) at which the named
//! claims hold over their boxes. The upper end is a value at which every claim was **proved** by
//! [`verify_claim`]; the lower end a value at which some claim was **refuted**, with an exact
//! witness re-checked exactly or at high precision. Between them the search bisects, assuming
//! the claims get easier as the constant grows; a value neither proved nor refuted is searched
//! again for a counterexample (the falsifier alone, harder), and the search then works on the
//! parts of the bracket next to its ends. What the definitions that depend on the constant
//! become at the file's example point is reported with the upper end.

use super::batch::{load, parse_boxes};
use super::falsify::{FalsifyOptions, falsify_from};
use super::job::{Job, PointVerdict, decide_point};
use super::{ClaimOutcome, Precision, Status, Value, VerifyOptions, evaluate_point, verify_claim};
use crate::arith::{CmpOp, Interval, Truth, interval, parse_rational};
use crate::error::{Error, Result, Usage};
use crate::limits::check_precision;
use crate::limits::check_prover_memory;
use crate::theory::{Mode, Model, Range, Theory};
use rayon::prelude::*;
use rug::Rational;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The relative tolerance of the bracket when none is given.
pub const DEFAULT_TOLERANCE: f64 = 1e-3;

/// The number of values tried when none is given (enough for the default tolerance from a lower
/// end of the paper's value / 100, with room for values neither proved nor refuted).
pub const DEFAULT_STEPS: u32 = 40;

/// The search stops after this many values in a row were neither proved nor refuted.
pub const PATIENCE: usize = 6;

/// The harder refutation search at a value neither proved nor refuted: this many times the
/// falsifier's samples, with this many seeds (within one claim's budget).
const HARDER_SAMPLES: usize = 16;
const HARDER_SEEDS: u64 = 4;

/// Witnesses of earlier values kept per claim as starts of the harder search.
const HINTS: usize = 8;

/// What to tighten: the result (a built-in name or a proofs file), the tunable constant, the
/// claims that must stay proved (every claim of the file's own that is not `point_only` when
/// empty), the lower end of the search (the constant's value / 100 when `None`), the number of
/// values tried at most (the paper's value and the lower end included), the relative tolerance
/// of the bracket, the prover's budget per claim and value, box ranges replacing the file's,
/// the working precision, and the significant digits the bounds at the example are resolved
/// to.
#[derive(Clone, Debug)]
pub struct TightenRequest {
    pub file: String,
    pub constant: String,
    pub claims: Vec<String>,
    pub lo: Option<String>,
    pub steps: u32,
    /// The search stops when the bracket [a, b] has b − a ≤ tolerance·|b|; in (0, 1).
    pub tolerance: f64,
    /// Seconds per claim and value; clamped to [0.01, 10⁶].
    pub budget: f64,
    pub max_boxes: usize,
    pub boxes: Vec<String>,
    pub prec: u64,
    pub digits: usize,
    /// Reduce boxes by the file's scalings ([`super::scaling`]).
    pub scaling: bool,
}

/// Checks a relative tolerance: a number strictly between 0 and 1 (`--tolerance`).
pub fn check_tolerance(t: f64) -> Result<f64> {
    if t.is_finite() && t > 0.0 && t < 1.0 {
        Ok(t)
    } else {
        Err(Usage::invalid(
            "--tolerance",
            t.to_string(),
            "a relative tolerance must be a number strictly between 0 and 1 (say 1e-3)",
        )
        .into())
    }
}

/// Which end of a coordinate's range a witness lies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Face {
    Lower,
    Upper,
}

impl Face {
    pub fn word(self) -> &'static str {
        match self {
            Face::Lower => "lower",
            Face::Upper => "upper",
        }
    }
}

/// One coordinate of a witness: its exact value, its range in the box, whether the claim
/// depends on it, and the face of the box it lies on, if any.
#[derive(Clone, Debug)]
pub struct WitnessCoordinate {
    pub name: String,
    pub value: Rational,
    pub lo: Rational,
    /// The upper end; `None` for a range unbounded above.
    pub hi: Option<Rational>,
    pub active: bool,
    pub face: Option<Face>,
}

/// One comparison of the failing claim at the witness: both sides (enclosures, exact where
/// rational) and its truth there.
#[derive(Clone, Debug)]
pub struct WitnessSide {
    pub lhs: Value,
    pub op: CmpOp,
    pub rhs: Value,
    pub truth: Truth,
}

/// A point of the box where the hypotheses of a claim hold and the claim fails, at one value of
/// the constant, re-checked exactly or at `precision` bits.
#[derive(Clone, Debug)]
pub struct BoxWitness {
    /// The value of the constant.
    pub value: Rational,
    pub claim: String,
    /// The claim as written.
    pub expr: String,
    /// How it was found.
    pub method: &'static str,
    pub coordinates: Vec<WitnessCoordinate>,
    /// The parameters at the point (substituted ones included).
    pub parameters: Vec<(String, Value)>,
    pub sides: Vec<WitnessSide>,
    pub precision: u32,
}

impl BoxWitness {
    /// The exact point (every coordinate, in the claim's input order).
    pub fn point(&self) -> Vec<Rational> {
        self.coordinates.iter().map(|c| c.value.clone()).collect()
    }

    /// The coordinates the claim depends on that lie on a face of the box.
    pub fn faces(&self) -> Vec<(&str, Face)> {
        self.coordinates
            .iter()
            .filter_map(|c| c.face.map(|f| (c.name.as_str(), f)))
            .collect()
    }
}

/// One value tried: the verdict over all claims (proved when every claim was proved, refuted
/// when one was refuted with a re-checked witness, else inconclusive), each claim's status,
/// whether the harder refutation search ran, the witness of a refutation, and the time taken.
#[derive(Clone, Debug)]
pub struct Trial {
    pub value: Rational,
    pub verdict: Status,
    pub claims: Vec<(String, Status)>,
    pub harder_search: bool,
    pub witness: Option<BoxWitness>,
    pub seconds: f64,
}

/// Why the search stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// The bracket is within the tolerance.
    Tolerance,
    /// The number of values allowed was reached.
    Steps,
    /// The parts of the bracket next to its ends are within the tolerance, or [`PATIENCE`]
    /// values in a row were neither proved nor refuted: what is left is held by such values.
    NoProgress,
    /// Every claim was proved at the search's lower end: the least value lies at or below it.
    LowerEndProved,
    /// A claim was refuted at the paper's value: there is nothing to tighten below it.
    PaperRefuted,
}

/// The bracket [lower, upper] of the least value of the constant. `upper` is certified when
/// every claim was proved there (else it is the paper's value, not proved); `lower` is
/// certified when a claim was refuted there (else it is the search's lower end, where nothing
/// was refuted). Under the monotonicity the search assumes, the least value lies in
/// (lower, upper] when both are certified.
#[derive(Clone, Debug)]
pub struct Bracket {
    pub lower: Rational,
    pub lower_certified: bool,
    pub upper: Rational,
    pub upper_certified: bool,
    pub tolerance: f64,
    /// Both ends certified and upper − lower ≤ tolerance·|upper|.
    pub within_tolerance: bool,
    /// The values tried in [lower, upper] that were neither proved nor refuted, ascending.
    pub inconclusive: Vec<Rational>,
    pub stop: Stop,
    /// The witness at the lower end, when it is certified.
    pub witness: Option<BoxWitness>,
}

impl Bracket {
    /// upper − lower.
    pub fn width(&self) -> Rational {
        Rational::from(&self.upper - &self.lower)
    }

    /// (upper − lower)/|upper| (infinite for an upper end of 0).
    pub fn relative_width(&self) -> f64 {
        if self.upper == 0 {
            return f64::INFINITY;
        }
        (self.width() / Rational::from(self.upper.abs_ref())).to_f64()
    }
}

/// A definition that depends on the constant, at the example point, with the paper's value of
/// the constant and with the bracket's certified upper end, and their ratio (tightened /
/// paper), each enclosed at 256 bits.
#[derive(Clone, Debug)]
pub struct TightenedBound {
    pub quantity: String,
    pub symbol: String,
    pub paper: Value,
    pub tightened: Value,
    pub ratio: Value,
}

/// The outcome of a search.
#[derive(Clone, Debug)]
pub struct Tightening {
    pub result: String,
    pub constant: String,
    pub paper_value: Rational,
    /// Whether every claim was proved at the paper's value.
    pub paper_proved: bool,
    /// The search's lower end (`--lo`).
    pub search_lo: Rational,
    /// The names of the claims that must stay proved.
    pub claims: Vec<String>,
    /// Every value tried, in order: the paper's first, then the lower end.
    pub steps: Vec<Trial>,
    pub bracket: Bracket,
    pub example_point: BTreeMap<String, String>,
    /// The bounds at the example point with the certified upper end (none when it is not).
    pub bounds: Vec<TightenedBound>,
    pub seconds: f64,
}

impl Tightening {
    /// Whether the search delivered what it was asked for: a bracket certified at both ends and
    /// within the tolerance.
    pub fn complete(&self) -> bool {
        self.bracket.within_tolerance
    }
}

/// Rounds `q` to a short decimal inside `(lo, hi)` when one exists (nicer bisection points):
/// the shortest of the decimal renderings of `q`'s f64 with 1 to 17 significant digits that lies
/// strictly between, read exactly; else `q` itself.
pub fn short_between(q: &Rational, lo: &Rational, hi: &Rational) -> Rational {
    let v = q.to_f64();
    for digits in 1..=17 {
        if let Ok(r) = parse_rational(&format!("{v:.*e}", digits - 1))
            && r > *lo
            && r < *hi
        {
            return r;
        }
    }
    q.clone()
}

/// tol·|x|.
fn share(tol: &Rational, x: &Rational) -> Rational {
    Rational::from(x.abs_ref()) * tol
}

/// The next value to try in `(lo, hi)`: the shortest decimal (of the renderings of the
/// midpoint's f64 with 1 to 17 significant digits, read exactly) within an eighth of the width
/// of the midpoint, so that each value tried cuts the part at least to 5/8 of its width; the
/// exact midpoint when none is.
pub fn midpoint_short(lo: &Rational, hi: &Rational) -> Rational {
    let mid = Rational::from(lo + hi) / 2u32;
    let room = Rational::from(hi - lo) / 8u32;
    let v = mid.to_f64();
    for digits in 1..=17 {
        if let Ok(r) = parse_rational(&format!("{v:.*e}", digits - 1))
            && Rational::from(&r - &mid).abs() <= room
            && r > *lo
            && r < *hi
        {
            return r;
        }
    }
    mid
}

/// The claims of a search, compiled, and how each value is tried.
struct Search<'a> {
    theory: &'a Theory,
    constant: String,
    claims: Vec<usize>,
    models: Vec<Model>,
    free: Model,
    overrides: BTreeMap<String, Range>,
    opts: VerifyOptions,
}

impl Search<'_> {
    /// The precision witnesses are re-checked at (as `verify`: 4× at least 256 bits).
    fn check_prec(&self) -> u32 {
        self.opts.prec.max(256) * 4
    }

    fn constants(&self, v: &Rational) -> BTreeMap<String, Rational> {
        [(self.constant.clone(), v.clone())].into()
    }

    /// Claim `i`'s job for the constants `consts`, over the box `verify_claim` works on (reduced
    /// by the file's scalings when they are on), so that its witnesses lie in it.
    fn job(&self, i: usize, consts: &BTreeMap<String, Rational>) -> Result<Job<'_>> {
        let job = Job::new(&self.models[i], self.claims[i], &self.overrides, consts)?;
        Ok(if self.opts.scaling {
            job.reduced()
        } else {
            job
        })
    }

    /// The witness of claim `i` at `point` for the constant's value `v`, when the point
    /// re-checks (hypotheses true, claim false; with `allow_undefined`, a side undefined also
    /// counts, as `verify` refutes a claim whose sides are undefined where its hypotheses hold).
    fn witness(
        &self,
        job: &Job,
        i: usize,
        v: &Rational,
        point: Vec<Rational>,
        method: &'static str,
        allow_undefined: bool,
    ) -> Option<BoxWitness> {
        let prec = self.check_prec();
        let verdict = decide_point(job, &point, prec);
        if !verdict.refutes(allow_undefined) {
            return None;
        }
        Some(box_witness(
            job,
            &self.theory.claims[self.claims[i]],
            v,
            point,
            verdict,
            method,
        ))
    }

    /// Tries every claim at `v` with [`verify_claim`] (in parallel); when none is refuted and
    /// not all are proved, searches the undecided ones harder for a counterexample, starting
    /// from `hints` (witnesses of earlier values, per claim).
    fn attempt(&self, v: &Rational, hints: &[Vec<Vec<Rational>>]) -> Result<Trial> {
        let t0 = Instant::now();
        let consts = self.constants(v);
        let outs: Vec<Result<ClaimOutcome>> = (0..self.claims.len())
            .into_par_iter()
            .map(|i| {
                verify_claim(
                    &self.models[i],
                    &self.free,
                    self.claims[i],
                    &self.overrides,
                    &consts,
                    &self.opts,
                )
            })
            .collect();
        let outs: Vec<ClaimOutcome> = outs.into_iter().collect::<Result<_>>()?;
        let mut statuses: Vec<Status> = outs.iter().map(|o| o.status).collect();
        let mut witness = None;
        for (i, o) in outs.iter().enumerate() {
            if o.status != Status::Refuted {
                continue;
            }
            let w = match &o.witness {
                Some(w) => {
                    // over the box the outcome was reached on: reduced, or as written when the
                    // reduced box's witness lay outside it (see `verify_claim`)
                    let job = if o.reductions.used.is_empty() {
                        Job::new(&self.models[i], self.claims[i], &self.overrides, &consts)?
                    } else {
                        self.job(i, &consts)?
                    };
                    self.witness(&job, i, v, w.point.clone(), o.method, true)
                }
                None => None,
            };
            match w {
                Some(w) if witness.is_none() => witness = Some(w),
                Some(_) => {}
                // not re-checked: not counted as refuted
                None => statuses[i] = Status::Inconclusive,
            }
        }
        let mut harder_search = false;
        if witness.is_none() && statuses.iter().any(|s| *s != Status::Proved) {
            harder_search = true;
            let undecided: Vec<usize> = (0..statuses.len())
                .filter(|&i| statuses[i] == Status::Inconclusive)
                .collect();
            let found: Vec<Result<Option<BoxWitness>>> = undecided
                .par_iter()
                .map(|&i| self.refute_harder(i, v, &hints[i]))
                .collect();
            for (&i, w) in undecided.iter().zip(found) {
                if let Some(w) = w? {
                    statuses[i] = Status::Refuted;
                    if witness.is_none() {
                        witness = Some(w);
                    }
                }
            }
        }
        let verdict = if witness.is_some() {
            Status::Refuted
        } else if statuses.iter().all(|s| *s == Status::Proved) {
            Status::Proved
        } else {
            Status::Inconclusive
        };
        Ok(Trial {
            value: v.clone(),
            verdict,
            claims: self
                .claims
                .iter()
                .zip(statuses)
                .map(|(&c, s)| (self.theory.claims[c].name.clone(), s))
                .collect(),
            harder_search,
            witness,
            seconds: t0.elapsed().as_secs_f64(),
        })
    }

    /// The harder refutation search of claim `i` at `v`, within one claim's budget: the
    /// witnesses of earlier values checked at `v`, then the falsifier alone with
    /// [`HARDER_SAMPLES`] times the samples, from those witnesses, with [`HARDER_SEEDS`] seeds.
    fn refute_harder(
        &self,
        i: usize,
        v: &Rational,
        hints: &[Vec<Rational>],
    ) -> Result<Option<BoxWitness>> {
        let consts = self.constants(v);
        let job = self.job(i, &consts)?;
        for p in hints.iter().filter(|p| p.len() == job.dims()) {
            if let Some(w) = self.witness(
                &job,
                i,
                v,
                p.clone(),
                "a witness of a smaller value of the constant fails here too, checked exactly or at 4× precision",
                false,
            ) {
                return Ok(Some(w));
            }
        }
        let deadline = Instant::now() + self.opts.budget;
        // over the bounded pieces of an unbounded box, each searched from the hints in it
        let pieces = super::compactify::pieces(&job)
            .map_err(|m| crate::error::Usage::at(&self.theory.name, m))?;
        let targets: Vec<(Option<&super::compactify::Piece>, Job)> = if pieces.is_empty() {
            vec![(None, job.clone())]
        } else {
            pieces.iter().map(|p| (Some(p), p.job(&job))).collect()
        };
        for s in 1..=HARDER_SEEDS {
            for (piece, target) in &targets {
                if crate::stop::past(Some(deadline)) {
                    return Ok(None);
                }
                let local: Vec<Vec<Rational>> = match piece {
                    None => hints.to_vec(),
                    Some(p) => hints.iter().filter_map(|h| p.from_box(h)).collect(),
                };
                let (w, _) = falsify_from(
                    target,
                    FalsifyOptions {
                        samples: self.opts.samples * HARDER_SAMPLES,
                        seed: self
                            .opts
                            .seed
                            .wrapping_add(s.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
                        prec: self.check_prec(),
                        deadline: Some(deadline),
                    },
                    &local,
                );
                let Some(w) = w else { continue };
                let candidates = match piece {
                    None => vec![w.point],
                    Some(p) => p.integer_witnesses(&p.to_box(&w.point), &job.ranges),
                };
                for point in candidates {
                    if let Some(w) = self.witness(
                        &job,
                        i,
                        v,
                        point,
                        "counterexample found by the harder search (more samples, other seeds, along the hypotheses' boundaries), re-checked exactly or at 4× precision",
                        false,
                    ) {
                        return Ok(Some(w));
                    }
                }
            }
        }
        Ok(None)
    }
}

/// The witness record of `point` for `claim`: coordinates with their ranges and faces, the
/// parameters there (exact where rational, else enclosed at the verdict's precision), and the
/// claim's sides.
fn box_witness(
    job: &Job,
    claim: &crate::theory::Statement,
    v: &Rational,
    point: Vec<Rational>,
    verdict: PointVerdict,
    method: &'static str,
) -> BoxWitness {
    let parameters = super::claims::parameters_at(job, &point, verdict.prec);
    let coordinates = point
        .into_iter()
        .enumerate()
        .map(|(k, q)| {
            let r = &job.ranges[k];
            let active = job.active[k];
            let face = if !active || (!r.unbounded && r.lo >= r.hi) {
                None
            } else if q == r.lo {
                Some(Face::Lower)
            } else if !r.unbounded && q == r.hi {
                Some(Face::Upper)
            } else {
                None
            };
            WitnessCoordinate {
                name: job.model.coords[k].clone(),
                value: q,
                lo: r.lo.clone(),
                hi: (!r.unbounded).then(|| r.hi.clone()),
                active,
                face,
            }
        })
        .collect();
    let sides = verdict
        .parts
        .iter()
        .zip(&job.claim_pred().parts)
        .map(|(s, c)| WitnessSide {
            lhs: s.lhs.clone(),
            op: c.op,
            rhs: s.rhs.clone(),
            truth: s.truth,
        })
        .collect();
    BoxWitness {
        value: v.clone(),
        claim: claim.name.clone(),
        expr: claim.formula.text.clone(),
        method,
        coordinates,
        parameters,
        sides,
        precision: verdict.prec,
    }
}

/// [`tighten_with`] without progress reports.
pub fn tighten(req: &TightenRequest) -> Result<Tightening> {
    tighten_with(req, &|_| {})
}

/// Searches a certified bracket for the least value of the constant at which every named claim
/// is proved over its box: the paper's value first (the upper end when proved), then the lower
/// end of the search, then bisection. At each value every claim goes through [`verify_claim`]
/// (in parallel); a value neither proved nor refuted gets a harder refutation search. Proved →
/// the upper end moves down; refuted → the lower end moves up; neither → the value is recorded,
/// and the next value is the midpoint of the larger of the two parts of the bracket between an
/// end and the nearest such value. Stops when the bracket is within the tolerance, after
/// `steps` values, or when no progress is possible (see [`Stop`]). Assumes the claims get
/// easier as the constant grows; a value is reported proved or refuted only when it was.
/// `progress` is called after each value tried. Errors are bad input (an unknown constant or
/// claim, a constant not marked tunable, a bad `lo`, tolerance or box) or the prover's.
pub fn tighten_with(req: &TightenRequest, progress: &dyn Fn(&Trial)) -> Result<Tightening> {
    let t0 = Instant::now();
    let tolerance = check_tolerance(req.tolerance)?;
    let prec = check_precision(req.prec)?;
    let theory = load(&req.file)?;
    let constant = theory
        .constants
        .iter()
        .find(|c| c.name == req.constant)
        .ok_or_else(|| Usage::NotIn {
            flag: "--constant".into(),
            name: req.constant.clone(),
            kind: "constant".into(),
            result: theory.name.clone(),
            known: Some(theory.constants.iter().map(|c| c.name.clone()).collect()),
        })?
        .clone();
    if !constant.tunable {
        return Err(Usage::invalid(
            "--constant",
            &constant.name,
            "the proofs file does not mark it tunable",
        )
        .into());
    }
    let paper = constant.value.clone();
    let search_lo = match &req.lo {
        Some(t) => {
            let q = parse_rational(t).map_err(|source| Error::Number {
                label: "--lo".into(),
                source,
            })?;
            if q >= paper {
                return Err(Usage::invalid(
                    "--lo",
                    t,
                    format!(
                        "the lower end of the search must lie below {}'s value {}",
                        constant.name, constant.value_text
                    ),
                )
                .into());
            }
            q
        }
        None => {
            if paper <= 0 {
                return Err(Usage::invalid(
                    "--constant",
                    &constant.name,
                    "its value is not positive, so the default lower end (value / 100) does not lie below it; give --lo",
                )
                .into());
            }
            Rational::from(&paper / 100u32)
        }
    };
    let claims: Vec<usize> = if req.claims.is_empty() {
        (0..theory.claims.len())
            .filter(|&i| theory.claims[i].origin == theory.name && !theory.claims[i].point_only)
            .collect()
    } else {
        req.claims
            .iter()
            .map(|c| {
                theory
                    .claims
                    .iter()
                    .position(|x| &x.name == c)
                    .ok_or_else(|| {
                        Error::from(Usage::NotIn {
                            flag: "--claim".into(),
                            name: c.clone(),
                            kind: "claim".into(),
                            result: theory.name.clone(),
                            known: None,
                        })
                    })
            })
            .collect::<Result<_>>()?
    };
    let overrides = parse_boxes(&req.boxes)?;
    let free = Model::compile_for(theory.clone(), Mode::Free)?;
    let models: Vec<Model> = claims
        .iter()
        .map(|&c| Model::compile_for(theory.for_claim(c), Mode::Verify))
        .collect::<Result<_>>()?;
    let dims = models.iter().map(|m| m.coords.len()).max().unwrap_or(0);
    check_prover_memory(req.max_boxes, dims, prec)?;
    // Every claim's box is checked before any work.
    for (i, &c) in claims.iter().enumerate() {
        Job::new(&models[i], c, &overrides, &BTreeMap::new())?;
    }
    let search = Search {
        theory: &theory,
        constant: constant.name.clone(),
        claims: claims.clone(),
        models,
        free,
        overrides,
        opts: VerifyOptions {
            prec,
            max_boxes: req.max_boxes,
            budget: Duration::from_secs_f64(req.budget.clamp(0.01, 1e6)),
            scaling: req.scaling,
            ..VerifyOptions::default()
        },
    };
    let tol = Rational::from_f64(tolerance).expect("finite");
    let steps = req.steps.max(1) as usize;
    let mut hints: Vec<Vec<Vec<Rational>>> = vec![Vec::new(); claims.len()];
    let mut trials: Vec<Trial> = Vec::new();
    // Runs one value, records it, and keeps its witness as a start for later searches.
    let mut run = |v: &Rational, trials: &mut Vec<Trial>| -> Result<Trial> {
        let t = search.attempt(v, &hints)?;
        if let Some(w) = &t.witness
            && let Some(i) = search
                .claims
                .iter()
                .position(|&c| theory.claims[c].name == w.claim)
        {
            hints[i].insert(0, w.point());
            hints[i].truncate(HINTS);
        }
        progress(&t);
        trials.push(t.clone());
        Ok(t)
    };
    let first = run(&paper, &mut trials)?;
    let paper_proved = first.verdict == Status::Proved;
    let mut upper = (paper.clone(), paper_proved);
    let mut lower = (search_lo.clone(), false);
    let mut witness: Option<BoxWitness> = None;
    let mut inconclusive: Vec<Rational> = Vec::new();
    if first.verdict == Status::Inconclusive {
        inconclusive.push(paper.clone());
    }
    let stop = 'search: {
        if first.verdict == Status::Refuted {
            lower = (paper.clone(), true);
            witness = first.witness;
            break 'search Stop::PaperRefuted;
        }
        if trials.len() >= steps {
            break 'search Stop::Steps;
        }
        let t = run(&search_lo, &mut trials)?;
        match t.verdict {
            Status::Proved => {
                upper = (search_lo.clone(), true);
                break 'search Stop::LowerEndProved;
            }
            Status::Refuted => {
                lower = (search_lo.clone(), true);
                witness = t.witness;
            }
            Status::Inconclusive => inconclusive.push(search_lo.clone()),
        }
        let mut in_a_row = 0usize;
        loop {
            let tol_abs = share(&tol, &upper.0);
            let width = Rational::from(&upper.0 - &lower.0);
            if width <= tol_abs {
                break 'search Stop::Tolerance;
            }
            if trials.len() >= steps {
                break 'search Stop::Steps;
            }
            if in_a_row >= PATIENCE {
                break 'search Stop::NoProgress;
            }
            // The parts of the bracket between an end and the nearest value neither proved
            // nor refuted: only a value there can move an end.
            let inner: Vec<&Rational> = inconclusive
                .iter()
                .filter(|x| **x > lower.0 && **x < upper.0)
                .collect();
            let below = (
                lower.0.clone(),
                inner.iter().copied().min().unwrap_or(&upper.0).clone(),
            );
            let above = (
                inner.iter().copied().max().unwrap_or(&lower.0).clone(),
                upper.0.clone(),
            );
            let len = |p: &(Rational, Rational)| Rational::from(&p.1 - &p.0);
            let (la, lb) = (len(&above), len(&below));
            let part = if la >= lb { above } else { below };
            if len(&part) <= tol_abs {
                break 'search Stop::NoProgress;
            }
            let mid = midpoint_short(&part.0, &part.1);
            if mid <= part.0 || mid >= part.1 {
                break 'search Stop::NoProgress;
            }
            let t = run(&mid, &mut trials)?;
            match t.verdict {
                Status::Proved => {
                    upper = (mid, true);
                    in_a_row = 0;
                }
                Status::Refuted => {
                    lower = (mid, true);
                    witness = t.witness;
                    in_a_row = 0;
                }
                Status::Inconclusive => {
                    inconclusive.push(mid);
                    in_a_row += 1;
                }
            }
        }
    };
    inconclusive.retain(|x| *x >= lower.0 && *x <= upper.0);
    inconclusive.sort();
    inconclusive.dedup();
    let within_tolerance =
        lower.1 && upper.1 && Rational::from(&upper.0 - &lower.0) <= share(&tol, &upper.0);
    let bounds = if upper.1 {
        bounds_at_example(&theory, &constant.name, &upper.0, req.digits)?
    } else {
        Vec::new()
    };
    Ok(Tightening {
        result: theory.name.clone(),
        constant: constant.name.clone(),
        paper_value: paper,
        paper_proved,
        search_lo,
        claims: claims
            .iter()
            .map(|&c| theory.claims[c].name.clone())
            .collect(),
        steps: trials,
        bracket: Bracket {
            lower: lower.0,
            lower_certified: lower.1,
            upper: upper.0,
            upper_certified: upper.1,
            tolerance,
            within_tolerance,
            inconclusive,
            stop,
            witness: if lower.1 { witness } else { None },
        },
        example_point: theory.example.clone(),
        bounds,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// Every definition whose value at the file's example point changes when the constant is `hi`
/// instead of the paper's value: both values and their ratio, enclosed at 256 bits (outward
/// rounding) and resolved to `digits` significant digits where the evaluator can. Definitions
/// undefined at either value, or whose ratio is undefined, are left out; none without an
/// example point.
fn bounds_at_example(
    theory: &Theory,
    constant: &str,
    hi: &Rational,
    digits: usize,
) -> Result<Vec<TightenedBound>> {
    let mut bounds = Vec::new();
    if theory.example.is_empty() {
        return Ok(bounds);
    }
    let check_model = Model::compile(theory.clone())?;
    let inputs = check_model.point(&theory.example, &|p| p.name.clone())?;
    let k = check_model.theory.parameters.len()
        + check_model
            .theory
            .constants
            .iter()
            .position(|c| c.name == constant)
            .expect("found");
    let mut tuned = inputs.clone();
    tuned[k] = hi.clone();
    let p = Precision::new(256, digits);
    let a = evaluate_point(&check_model, &inputs, p);
    let b = evaluate_point(&check_model, &tuned, p);
    for (i, d) in check_model.theory.definitions.iter().enumerate() {
        let (va, vb) = (&a.quantities[i], &b.quantities[i]);
        let (Ok(xa), Ok(xb)) = (&va.enclosure, &vb.enclosure) else {
            continue;
        };
        if xa == xb {
            continue;
        }
        let mut ratio = Interval::zero(256);
        if interval::div(&mut ratio, xb, xa).is_err() {
            continue;
        }
        bounds.push(TightenedBound {
            quantity: d.name.clone(),
            symbol: d.symbol.clone(),
            paper: va.clone(),
            tightened: vb.clone(),
            ratio: Value {
                enclosure: Ok(ratio),
                exact: None,
                undefined: None,
            },
        });
    }
    Ok(bounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        parse_rational(s).unwrap()
    }

    #[test]
    fn bisection_points_are_short_decimals_strictly_inside() {
        assert_eq!(short_between(&q("10.1"), &q("0.2"), &q("20")), q("10"));
        assert_eq!(short_between(&q("1/3"), &q("0.3"), &q("0.34")), q("0.33"));
        // No short decimal strictly between: the midpoint itself.
        let (lo, hi) = (q("1"), Rational::from(1) + Rational::from((1, 1u64 << 62)));
        let mid = Rational::from(&lo + &hi) / 2u32;
        assert_eq!(short_between(&mid, &lo, &hi), mid);
    }

    #[test]
    fn values_tried_are_short_decimals_near_the_midpoint() {
        assert_eq!(midpoint_short(&q("0.2"), &q("0.25")), q("0.22"));
        assert_eq!(midpoint_short(&q("0.42"), &q("42")), q("20"));
        assert_eq!(midpoint_short(&q("15.9"), &q("16")), q("15.95"));
        // within an eighth of the width of the midpoint, strictly inside
        for (a, b) in [("1", "1.0001"), ("-3", "7"), ("1/3", "1/2"), ("0", "1e-30")] {
            let (a, b) = (q(a), q(b));
            let m = midpoint_short(&a, &b);
            let mid = Rational::from(&a + &b) / 2u32;
            assert!(m > a && m < b);
            assert!(Rational::from(&m - &mid).abs() * 8u32 <= Rational::from(&b - &a));
        }
        // too narrow for an f64: the exact midpoint
        let (lo, hi) = (q("1"), Rational::from(1) + Rational::from((1, 1u64 << 62)));
        assert_eq!(midpoint_short(&lo, &hi), Rational::from(&lo + &hi) / 2u32);
    }

    #[test]
    fn tolerances_must_lie_strictly_between_0_and_1() {
        for t in [1e-3, 0.5, 1e-12, 0.999] {
            assert_eq!(check_tolerance(t).unwrap(), t);
        }
        for t in [0.0, -1.0, 1.0, 2.0, f64::NAN, f64::INFINITY, -0.0] {
            let e = check_tolerance(t).unwrap_err().to_string();
            assert!(e.contains("--tolerance"), "{t}: {e}");
        }
    }
}
