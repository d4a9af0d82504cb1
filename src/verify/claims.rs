//! Verifying one claim over its box: identities by exact random evaluation, then the falsifier,
//! then the branch-and-bound prover. The outcome is proved, refuted (with a witness re-checked
//! at higher precision) or inconclusive (with the share of the box left and why).

use super::falsify::{FalsifyOptions, falsify};
use super::identity::{identity_method, undefined_witness};
use super::job::{Job, PointVerdict, decide_point};
use super::prove::{ProveOptions, prove, refuted_point};
use crate::arith::{CmpOp, Truth};
use crate::error::Result;
use crate::theory::{Model, Range};
use rug::Rational;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How many undecided cells are probed for a witness once the claim's budget is spent.
pub(crate) const PROBES_PAST_BUDGET: usize = 2;

#[derive(Clone, Debug)]
pub struct VerifyOptions {
    pub prec: u32,
    pub max_boxes: usize,
    pub budget: Duration,
    pub samples: usize,
    pub seed: u64,
    pub identity_trials: u32,
    /// Seed of the random points of identity tests that cannot be decided exactly. `None`
    /// (the default) draws it from the operating system's entropy at run time, so that no
    /// claim can be built to vanish at the points; the seed used is reported for replay.
    pub identity_seed: Option<u64>,
    /// Reduce each claim's box by the file's scalings the claim is proved invariant under
    /// ([`super::scaling`]).
    pub scaling: bool,
    /// Keep, for a proved claim, its certificate ([`ClaimOutcome::certificate`]).
    pub record: bool,
    /// Prove only this part of each claim's domain ([`super::shard`]).
    pub shard: Option<super::shard::Shard>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            prec: 128,
            max_boxes: 100_000,
            budget: Duration::from_secs(30),
            samples: 4000,
            seed: 2018,
            identity_trials: 8,
            identity_seed: None,
            scaling: true,
            record: false,
            shard: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Proved,
    Refuted,
    Inconclusive,
}

/// A counterexample: the point (exact coordinates), the parameters there (substituted ones
/// included), and both sides of the claim.
#[derive(Clone, Debug)]
pub struct Counterexample {
    pub point: Vec<Rational>,
    pub params: Vec<(String, super::Value)>,
    pub verdict: PointVerdict,
}

/// The model's parameters at a point of the job's box (substituted ones included): exact
/// where rational, else enclosed at `prec` bits.
pub(crate) fn parameters_at(
    job: &Job,
    point: &[Rational],
    prec: u32,
) -> Vec<(String, super::Value)> {
    let model = job.model;
    let inputs = job.inputs(point);
    let mut exact = crate::expr::RationalEval::new(&model.tape);
    exact.run(&model.tape, &inputs);
    let mut ev = crate::expr::IntervalEval::new(&model.tape, prec);
    for (k, q) in inputs.iter().enumerate() {
        ev.set_input(k, q);
    }
    ev.run(&model.tape);
    model
        .theory
        .parameters
        .iter()
        .zip(&model.param_regs)
        .map(|(p, &r)| {
            (
                p.name.clone(),
                super::Value {
                    enclosure: ev.get(r).cloned().map_err(Clone::clone),
                    exact: exact.get(r).cloned(),
                    undefined: None,
                },
            )
        })
        .collect()
}

fn counterexample(job: &Job, point: Vec<Rational>, verdict: PointVerdict) -> Counterexample {
    let params = parameters_at(job, &point, verdict.prec);
    Counterexample {
        point,
        params,
        verdict,
    }
}

#[derive(Clone, Debug)]
pub struct ClaimOutcome {
    pub status: Status,
    /// How the verdict was reached.
    pub method: &'static str,
    /// Shares of the box (unit-coordinate volume).
    pub proved_share: f64,
    pub vacuous_share: f64,
    pub undecided_share: f64,
    pub boxes: usize,
    pub samples: usize,
    /// For identities decided by random evaluation: the bound on the probability of a wrong
    /// "proved" (`None` for identities decided exactly).
    pub error_probability: Option<f64>,
    /// The seed of that random evaluation, drawn from the operating system unless given.
    pub identity_seed: Option<u64>,
    pub witness: Option<Counterexample>,
    pub reason: Option<String>,
    pub ranges: Vec<Range>,
    pub coords: Vec<String>,
    /// Whether the claim depends on each coordinate.
    pub active: Vec<bool>,
    /// The scalings that reduced the box (`ranges` is the reduced box), and the ones that
    /// did not apply.
    pub reductions: super::scaling::Reductions,
    /// When the box is unbounded: the bounded pieces it was proved over, each as the changes of
    /// variable of its unbounded coordinates ([`super::compactify`]).
    pub pieces: Vec<Vec<String>>,
    /// With [`VerifyOptions::record`], when the prover settled every cell: each piece's
    /// ranges, charts and tree of cells.
    pub proof: Vec<super::certificate::PieceProof>,
    /// With [`VerifyOptions::shard`]: the part of the domain this shard proved it over.
    pub shard: Option<String>,
    /// With [`VerifyOptions::record`], for a proved claim that has one: its certificate.
    pub certificate: Option<sgdbounds_replay::format::ClaimCert>,
}

/// Runs the prover with the claim's options and records its shares and cells in `out`.
fn run_prover(
    job: &Job,
    opts: &VerifyOptions,
    deadline: Instant,
    definedness_only: bool,
    out: &mut ClaimOutcome,
) -> super::prove::ProofResult {
    let r = prove(
        job,
        ProveOptions {
            prec: opts.prec,
            max_boxes: opts.max_boxes,
            deadline: Some(deadline),
            max_depth: 200,
            definedness_only,
            record: opts.record,
        },
    );
    // the tree is recorded only for a certificate
    if !r.tree.is_empty()
        && out.status != Status::Refuted
        && r.undecided <= 0.0
        && r.stopped.is_none()
        && r.refuted.is_none()
    {
        out.proof = vec![super::certificate::PieceProof {
            ranges: job.ranges.clone(),
            charts: Vec::new(),
            tree: r.tree.clone(),
            forms: r.forms.clone(),
        }];
    }
    out.boxes = r.boxes;
    out.proved_share = r.proved;
    out.vacuous_share = r.vacuous;
    out.undecided_share = r.undecided;
    // every cell settled: the shares are a partition of the box, summed in f64 over cells as
    // small as 2⁻²⁰⁰ of it; normalized so that a complete proof reads 100%, not 99.999999%
    let settled = r.proved + r.vacuous;
    if r.undecided <= 0.0 && r.stopped.is_none() && settled > 0.0 {
        out.proved_share = r.proved / settled;
        out.vacuous_share = r.vacuous / settled;
    }
    r
}

/// Marks `out` refuted where one of `cells` holds a point of the box at which the claim's
/// hypotheses hold and a side is certainly undefined.
fn refute_if_undefined(
    job: &Job,
    cells: &[super::region::Cell],
    opts: &VerifyOptions,
    deadline: Instant,
    out: &mut ClaimOutcome,
) -> bool {
    let Some((point, verdict, why)) = undefined_witness(job, cells, opts, deadline) else {
        return false;
    };
    out.status = Status::Refuted;
    out.method = "the claim's sides are undefined at a point of the box where its hypotheses hold";
    out.reason = Some(why);
    out.witness = Some(counterexample(job, point, verdict));
    true
}

/// Verifies claim `claim` of `model` (compiled in verify mode); `free` is the same theory
/// compiled without substitutions (for identity tests).
///
/// With `opts.scaling`, the box is first reduced by the file's scalings the claim is proved
/// invariant under ([`Job::reduced`]). The reduced box covers more than the box as written (the
/// product of the scale-free combinations' ranges), so a refutation there may rest on a witness
/// outside the written box; the claim is then verified again over the box as written, so that
/// "refuted" always comes with a witness inside the box the user asked about.
pub fn verify_claim(
    model: &Model,
    free: &Model,
    claim: usize,
    overrides: &BTreeMap<String, Range>,
    constants: &BTreeMap<String, Rational>,
    opts: &VerifyOptions,
) -> Result<ClaimOutcome> {
    let mut out = verify_claim_uncertified(model, free, claim, overrides, constants, opts)?;
    if opts.record && out.status == Status::Proved {
        let written = Job::new(model, claim, overrides, constants)?;
        out.certificate = super::certificate::claim_certificate(&written, &out, opts.prec);
    }
    out.proof = Vec::new();
    Ok(out)
}

/// [`verify_claim`] without its certificate.
fn verify_claim_uncertified(
    model: &Model,
    free: &Model,
    claim: usize,
    overrides: &BTreeMap<String, Range>,
    constants: &BTreeMap<String, Rational>,
    opts: &VerifyOptions,
) -> Result<ClaimOutcome> {
    let written = Job::new(model, claim, overrides, constants)?;
    if !opts.scaling {
        return verify_over(written, free, claim, opts);
    }
    let ranges = written.ranges.clone();
    let out = verify_over(written.reduced(), free, claim, opts)?;
    let outside = out.witness.as_ref().is_some_and(|w| {
        !out.reductions.used.is_empty()
            && w.point
                .iter()
                .zip(&ranges)
                .zip(&out.active)
                .any(|((q, r), &a)| a && !r.contains(q))
    });
    if out.status == Status::Refuted && outside {
        // the reduced point's preimage in the box as written, by the scalings undone
        let written = Job::new(model, claim, overrides, constants)?;
        let prec = opts.prec.max(256) * 4;
        let mapped = out.witness.as_ref().and_then(|w| {
            super::scaling::preimage(model, &ranges, &out.active, &out.reductions, &w.point)
        });
        if let Some(point) = mapped {
            let verdict = decide_point(&written, &point, prec);
            if verdict.refutes(true) {
                let mut out = out;
                out.witness = Some(counterexample(&written, point, verdict));
                return Ok(out);
            }
        }
        let plain = VerifyOptions {
            scaling: false,
            ..opts.clone()
        };
        return verify_over(written, free, claim, &plain);
    }
    Ok(out)
}

/// A counterexample of a piece as one of the claim's box: mapped back (`x = s/u`), rounded
/// down and up in relaxed integer coordinates, and kept only where it refutes the claim as
/// written, checked exactly or at rising precision from `prec`.
fn in_box(
    piece: &super::compactify::Piece,
    job: &Job,
    point: &[Rational],
    prec: u32,
) -> Option<(Vec<Rational>, PointVerdict)> {
    let x = piece.to_box(point);
    piece
        .integer_witnesses(&x, &job.ranges)
        .into_iter()
        .map(|p| {
            let v = decide_point(job, &p, prec);
            (p, v)
        })
        .find(|(_, v)| v.refutes(true))
}

/// [`verify_claim`] over the box of `job`: as it is when it is bounded, else over the bounded
/// pieces of its compactification ([`super::compactify`]), one budget for them all. The claim
/// is proved when every piece is; a counterexample of a piece is mapped back to the box,
/// rounded to integers in relaxed coordinates, and kept only when it refutes the claim there,
/// re-checked on the claim as written (not on the changed variables).
fn verify_over(job: Job, free: &Model, claim: usize, opts: &VerifyOptions) -> Result<ClaimOutcome> {
    // One budget for the whole claim: identity definedness, falsifier and prover.
    let deadline = Instant::now() + opts.budget;
    let mut pieces = super::compactify::pieces(&job)
        .map_err(|m| crate::error::Usage::at(&job.model.theory.name, m))?;
    if let Some(shard) = opts.shard {
        let describe = |c: Option<usize>, r: &[Range]| {
            format!(
                "part {} of {}{}",
                shard.k,
                shard.n,
                c.map_or(String::new(), |c| format!(
                    ": {} ∈ {}",
                    job.model.coords[c],
                    r[c].interval_text()
                ))
            )
        };
        if pieces.is_empty() {
            let mut job = job;
            let slab = shard.restrict(&mut job.ranges, &job.active);
            if slab == super::shard::Slab::Empty {
                let mut out = blank_outcome(&job);
                out.status = Status::Proved;
                out.method = "the box is one point, proved in shard 1";
                out.undecided_share = 0.0;
                out.shard = Some(format!(
                    "part {} of {}: nothing (the box is one point)",
                    shard.k, shard.n
                ));
                return Ok(out);
            }
            let c = match slab {
                super::shard::Slab::Cut(c) => Some(c),
                _ => None,
            };
            let text = describe(c, &job.ranges);
            let mut out = verify_job(job, free, claim, opts, deadline, true)?;
            out.shard = Some(text);
            return Ok(out);
        }
        // the slab in each piece's own coordinate: u for a chart x = s/u
        let mut slabs: Vec<String> = Vec::new();
        for piece in &mut pieces {
            if let super::shard::Slab::Cut(c) = shard.restrict(&mut piece.ranges, &job.active) {
                let name = match &piece.charts[c] {
                    super::compactify::Chart::Reciprocal(s) => format!(
                        "u of {} = {}/u",
                        job.model.coords[c],
                        crate::arith::decimal::rational(s)
                    ),
                    super::compactify::Chart::Same => job.model.coords[c].clone(),
                };
                let slab = format!("{name} ∈ {}", piece.ranges[c].interval_text());
                if !slabs.contains(&slab) {
                    slabs.push(slab);
                }
            }
        }
        let text = format!(
            "part {} of {} of each piece: {}",
            shard.k,
            shard.n,
            slabs.join("; ")
        );
        let mut out = verify_pieces(job, pieces, free, claim, opts, deadline)?;
        out.shard = Some(text);
        return Ok(out);
    }
    if pieces.is_empty() {
        return verify_job(job, free, claim, opts, deadline, true);
    }
    verify_pieces(job, pieces, free, claim, opts, deadline)
}

/// [`verify_over`] over the bounded pieces of an unbounded box.
fn verify_pieces(
    job: Job,
    pieces: Vec<super::compactify::Piece>,
    free: &Model,
    claim: usize,
    opts: &VerifyOptions,
    deadline: Instant,
) -> Result<ClaimOutcome> {
    let prec = opts.prec.max(256) * 4;
    let charts: Vec<Vec<String>> = pieces
        .iter()
        .map(|p| p.describe(&job.model.coords, &job.ranges))
        .collect();
    // The falsifier on every piece first (cheap), so that a counterexample in one piece is
    // not found only after the prover has spent the budget on another.
    let mut sampled = 0;
    for piece in &pieces {
        let pj = piece.job(&job);
        let (w, n) = falsify(
            &pj,
            FalsifyOptions {
                samples: opts.samples,
                seed: opts.seed,
                prec,
                deadline: Some(deadline),
            },
        );
        sampled += n;
        let found = w.and_then(|w| in_box(piece, &job, &w.point, prec));
        if let Some((point, _)) = found {
            let point = super::falsify::shrink(&job, point, prec, Some(deadline));
            let verdict = decide_point(&job, &point, prec);
            if verdict.refutes(true) {
                let mut out = blank_outcome(&job);
                out.status = Status::Refuted;
                out.method =
                    "counterexample found by sampling, re-checked exactly or at 4× precision";
                out.samples = sampled;
                out.witness = Some(counterexample(&job, point, verdict));
                out.pieces = charts;
                return Ok(out);
            }
        }
    }
    let mut outs: Vec<ClaimOutcome> = Vec::with_capacity(pieces.len());
    for piece in &pieces {
        // sampled already, above
        let mut o = verify_job(piece.job(&job), free, claim, opts, deadline, false)?;
        if o.status == Status::Refuted {
            let w = o.witness.take();
            let found = w.and_then(|w| in_box(piece, &job, &w.point, prec));
            match found {
                Some((point, verdict)) => {
                    let mut out = o;
                    out.witness = Some(counterexample(&job, point, verdict));
                    out.ranges = job.ranges.clone();
                    out.pieces = charts;
                    out.samples += sampled;
                    return Ok(out);
                }
                None => {
                    o.status = Status::Inconclusive;
                    o.reason = Some(if piece.relaxed.is_empty() {
                        "a counterexample over the changed variables did not re-check on the claim as written".into()
                    } else {
                        "a counterexample at a non-integer value of an integer coordinate (relaxed to the reals on its unbounded range) has no integer next to it that fails".into()
                    });
                }
            }
        }
        outs.push(o);
    }
    let n = outs.len() as f64;
    let proofs: Vec<super::certificate::PieceProof> = outs
        .iter()
        .zip(&pieces)
        .filter_map(|(o, piece)| {
            let mut p = o.proof.first()?.clone();
            p.charts = piece
                .charts
                .iter()
                .enumerate()
                .filter_map(|(k, c)| match c {
                    super::compactify::Chart::Reciprocal(s) => Some((k, s.clone())),
                    super::compactify::Chart::Same => None,
                })
                .collect();
            Some(p)
        })
        .collect();
    let mut out = outs[0].clone();
    out.proof = if proofs.len() == outs.len() {
        proofs
    } else {
        Vec::new()
    };
    out.ranges = job.ranges.clone();
    out.pieces = charts;
    out.proved_share = outs.iter().map(|o| o.proved_share).sum::<f64>() / n;
    out.vacuous_share = outs.iter().map(|o| o.vacuous_share).sum::<f64>() / n;
    out.undecided_share = outs.iter().map(|o| o.undecided_share).sum::<f64>() / n;
    out.boxes = outs.iter().map(|o| o.boxes).sum();
    out.samples = sampled + outs.iter().map(|o| o.samples).sum::<usize>();
    out.error_probability = outs
        .iter()
        .filter_map(|o| o.error_probability)
        .reduce(|a, b| a + b);
    if let Some(bad) = outs.iter().position(|o| o.status != Status::Proved) {
        out.status = Status::Inconclusive;
        out.method = outs[bad].method;
        out.reason = Some(format!(
            "on the piece {}: {}",
            out.pieces[bad].join(", "),
            outs[bad].reason.as_deref().unwrap_or("undecided")
        ));
    } else {
        out.status = Status::Proved;
        out.undecided_share = 0.0;
    }
    Ok(out)
}

/// The outcome before anything is known: inconclusive, nothing covered, over the job's box.
fn blank_outcome(job: &Job) -> ClaimOutcome {
    ClaimOutcome {
        status: Status::Inconclusive,
        method: "",
        proved_share: 0.0,
        vacuous_share: 0.0,
        undecided_share: 1.0,
        boxes: 0,
        samples: 0,
        error_probability: None,
        identity_seed: None,
        witness: None,
        reason: None,
        ranges: job.ranges.clone(),
        coords: job.model.coords.clone(),
        active: job.active.clone(),
        reductions: job.reductions.clone(),
        pieces: Vec::new(),
        proof: Vec::new(),
        shard: None,
        certificate: None,
    }
}

/// [`verify_claim`] over the box of `job` as it is (bounded), by `deadline`; the falsifier's
/// sampling only when `sample` (a piece of an unbounded box was sampled before).
fn verify_job(
    job: Job,
    free: &Model,
    claim: usize,
    opts: &VerifyOptions,
    deadline: Instant,
    sample: bool,
) -> Result<ClaimOutcome> {
    let model = job.model;
    if let Some(r) = job
        .ranges
        .iter()
        .zip(&job.active)
        .find(|(r, a)| **a && r.unbounded)
    {
        return Err(crate::error::Usage::at(
            &model.theory.name,
            format!(
                "internal: the unbounded range of {} reached the prover uncompactified",
                r.0.name
            ),
        )
        .into());
    }
    let mut out = blank_outcome(&job);
    let pred = job.claim_pred();
    // 0. A box of one point is decided there, exactly where the claim is rational (else by
    //    intervals at rising precision).
    if job.ranges.iter().all(|r| r.lo == r.hi) {
        let point: Vec<Rational> = job.ranges.iter().map(|r| r.lo.clone()).collect();
        let verdict = decide_point(&job, &point, opts.prec.max(256) * 4);
        match (verdict.hyps, verdict.claim) {
            (Truth::False, _) | (Truth::True, Truth::True) => {
                out.status = Status::Proved;
                out.method = "the box is one point, where the claim was decided exactly or at rising precision";
                if verdict.hyps == Truth::False {
                    out.vacuous_share = 1.0;
                } else {
                    out.proved_share = 1.0;
                }
                out.undecided_share = 0.0;
                out.samples = 1;
                return Ok(out);
            }
            (Truth::True, Truth::False) => {
                out.status = Status::Refuted;
                out.method = "the box is one point, where the claim fails (checked exactly or at rising precision)";
                out.witness = Some(counterexample(&job, point, verdict));
                return Ok(out);
            }
            _ => {}
        }
    }
    // 1. Identities between rational expressions: a claim whose every part is an identity of
    //    rational functions holds wherever it is defined (for ==, <=, >=). Decided exactly by
    //    expanding both sides; only when that is too large, by exact evaluation at random
    //    points drawn from the operating system's entropy. Then the claim's sides must be
    //    shown defined on the whole box where the hypotheses hold.
    if let Some(identity) = identity_method(&job, free, claim, opts) {
        out.method = identity.method;
        out.error_probability = identity.error_probability;
        out.identity_seed = identity.seed;
        out.samples = identity.trials;
        let r = run_prover(&job, opts, deadline, true, &mut out);
        if r.undecided <= 0.0 && r.stopped.is_none() {
            out.status = Status::Proved;
            out.undecided_share = 0.0;
            return Ok(out);
        }
        if refute_if_undefined(&job, &r.undecided_cells, opts, deadline, &mut out) {
            return Ok(out);
        }
        out.reason = Some(format!(
            "the sides agree wherever both are defined, but they could not be shown defined on {:.3e} of the box ({}); a claim is not proved where it may be undefined",
            r.undecided,
            r.stopped
                .unwrap_or_else(|| "cells near a possible pole could not be split further".into())
        ));
        return Ok(out);
    }
    // 2. Falsifier.
    let (witness, samples) = if sample {
        falsify(
            &job,
            FalsifyOptions {
                samples: opts.samples,
                seed: opts.seed,
                prec: opts.prec.max(256) * 4,
                deadline: Some(deadline),
            },
        )
    } else {
        (None, 0)
    };
    out.samples = samples;
    if let Some(w) = witness {
        let verdict = decide_point(&job, &w.point, opts.prec.max(256) * 4);
        out.status = Status::Refuted;
        out.method = "counterexample found by sampling, re-checked exactly or at 4× precision";
        out.witness = Some(counterexample(&job, w.point, verdict));
        return Ok(out);
    }
    // 3. Prover.
    if pred.parts.iter().any(|c| c.op == CmpOp::Eq) {
        let root = super::region::Cell::root(&job.ranges, opts.prec);
        if refute_if_undefined(&job, std::slice::from_ref(&root), opts, deadline, &mut out) {
            return Ok(out);
        }
        out.reason = Some(
            "an equality that is not an identity of rational functions cannot be proved by intervals"
                .into(),
        );
        out.method = "identity test not applicable; no counterexample found";
        return Ok(out);
    }
    let r = run_prover(&job, opts, deadline, false, &mut out);
    out.method = "interval branch-and-bound with monotonicity and mean-value refinement";
    if let Some(cell) = r.refuted {
        let point = refuted_point(&job, &cell);
        let prec = opts.prec.max(256) * 4;
        let verdict = decide_point(&job, &point, prec);
        if verdict.hyps == Truth::True && verdict.claim == Truth::False {
            let point = super::falsify::shrink(&job, point, prec, Some(deadline));
            let verdict = decide_point(&job, &point, prec);
            out.status = Status::Refuted;
            out.method = "interval branch-and-bound found a cell where the claim fails everywhere";
            out.witness = Some(counterexample(&job, point, verdict));
            return Ok(out);
        }
        out.reason = Some("a refuting cell was found but its center did not re-check".into());
        return Ok(out);
    }
    if r.undecided <= 0.0 && r.stopped.is_none() {
        out.status = Status::Proved;
        out.undecided_share = 0.0;
        return Ok(out);
    }
    // What the prover could not settle may hide a failure at a single point or in a tiny
    // cell: try the simplest rational point and the center of each cell left, exactly.
    let prec = opts.prec.max(256) * 4;
    for (i, cell) in r.undecided_cells.iter().enumerate() {
        // past the budget, only the deepest few
        if crate::stop::requested() || (i >= PROBES_PAST_BUDGET && Instant::now() > deadline) {
            break;
        }
        let simplest = cell.simplest(&job.ranges);
        for point in simplest.into_iter().chain([cell.center(&job.ranges)]) {
            let verdict = decide_point(&job, &point, prec);
            if verdict.hyps == Truth::True && verdict.claim == Truth::False {
                out.status = Status::Refuted;
                out.method = "a cell the prover could not settle holds a point where the claim fails, checked exactly or at 4× precision";
                out.witness = Some(counterexample(&job, point, verdict));
                return Ok(out);
            }
        }
    }
    if refute_if_undefined(&job, &r.undecided_cells, opts, deadline, &mut out) {
        return Ok(out);
    }
    {
        out.reason = Some(match r.stopped {
            Some(s) => format!("{s}; {:.3e} of the box left undecided", r.undecided),
            None => format!(
                "cells could not be split further (precision or depth); {:.3e} of the box left undecided",
                r.undecided
            ),
        });
    }
    Ok(out)
}
