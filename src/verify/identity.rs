//! Identities (`==`, and `≤`/`≥` whose sides are the same rational function) between rational
//! expressions.
//!
//! They are decided **exactly** ([`crate::expr::ratfunc`]): both sides are expanded to canonical
//! polynomial quotients and compared, with no probability of error. Only when the expansion
//! would be too large is the identity tested by exact evaluation at random integer points
//! (Schwartz–Zippel): both sides are brought to one fraction P/Q; the claim lhs = rhs is the
//! polynomial identity P_l·Q_r − P_r·Q_l = 0 of total degree at most D. A nonzero polynomial
//! of degree D vanishes at a point drawn uniformly from Sᵏ with probability at most D/|S|, so
//! `trials` independent agreements leave a probability of at most (D/|S|)^trials that a false
//! identity is reported proved — a bound that is honest only when the points are unknown to
//! whoever wrote the claim, so their seed comes from the operating system's entropy at run
//! time (and is reported, for replay), never from a fixed or user-visible default. Points
//! where a denominator vanishes are drawn again.
//!
//! An identity holds wherever its sides are defined; the caller must still show them defined
//! on the box (the prover's definedness obligations), or find a point where they are not
//! ([`undefined_witness`]).

use super::claims::VerifyOptions;
use super::job::{Job, PointVerdict, decide_point};
use super::region::Cell;
use crate::arith::Truth;
use crate::expr::ratfunc::{self, Undecided};
use crate::expr::{IntervalEval, Op, RationalEval, Reg, Tape};
use crate::theory::Model;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rug::{Integer, Rational};

/// |S|: coordinates are drawn from the integers 1..=2^62.
const SET_BITS: u32 = 62;

/// Degrees of the numerator and denominator of a register as a fraction of polynomials in the
/// coordinates (constants and literals have degree 0). `None` for a non-rational register.
fn degrees(tape: &Tape, coords: usize) -> Vec<Option<(u64, u64)>> {
    let mut d: Vec<Option<(u64, u64)>> = Vec::with_capacity(tape.len());
    for (i, ins) in tape.instrs.iter().enumerate() {
        let g = |r: Reg| d[r];
        let v = if !tape.is_rational(i) {
            None
        } else {
            match ins.op {
                Op::Input(k) => Some((u64::from(k < coords), 0)),
                Op::Const(_) => Some((0, 0)),
                Op::Add(a, b) | Op::Sub(a, b) => match (g(a), g(b)) {
                    (Some((pa, qa)), Some((pb, qb))) => Some((
                        (pa.saturating_add(qb)).max(pb.saturating_add(qa)),
                        qa.saturating_add(qb),
                    )),
                    _ => None,
                },
                Op::Mul(a, b) => match (g(a), g(b)) {
                    (Some((pa, qa)), Some((pb, qb))) => {
                        Some((pa.saturating_add(pb), qa.saturating_add(qb)))
                    }
                    _ => None,
                },
                Op::Div(a, b) => match (g(a), g(b)) {
                    (Some((pa, qa)), Some((pb, qb))) => {
                        Some((pa.saturating_add(qb), qa.saturating_add(pb)))
                    }
                    _ => None,
                },
                Op::Neg(a) => g(a),
                Op::PowInt(a, n) => g(a).map(|(p, q)| {
                    let m = n.unsigned_abs();
                    if n >= 0 {
                        (p.saturating_mul(m), q.saturating_mul(m))
                    } else {
                        (q.saturating_mul(m), p.saturating_mul(m))
                    }
                }),
                // min, max, floor, ceil, abs are not polynomial
                _ => None,
            }
        };
        d.push(v);
    }
    d
}

/// The outcome of an identity test.
#[derive(Clone, Debug)]
pub struct IdentityResult {
    pub holds: bool,
    pub trials: u32,
    /// Upper bound on the probability that a false identity was reported as holding.
    pub error_bound: f64,
    pub degree: u64,
}

/// Tests `lhs == rhs` over random integer points of the `coords` first inputs, with the
/// remaining inputs fixed at `fixed`. `None` when a side is not a rational expression.
pub fn test_identity(
    tape: &Tape,
    coords: usize,
    fixed: &[Rational],
    pairs: &[(Reg, Reg)],
    trials: u32,
    seed: u64,
) -> Option<IdentityResult> {
    let deg = degrees(tape, coords);
    let mut degree = 0u64;
    for &(l, r) in pairs {
        let (pl, ql) = deg[l]?;
        let (pr, qr) = deg[r]?;
        degree = degree.max((pl.saturating_add(qr)).max(pr.saturating_add(ql)));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut ev = RationalEval::new(tape);
    let mut done = 0;
    let mut attempts = 0;
    while done < trials {
        attempts += 1;
        if attempts > trials * 20 {
            return None; // denominators vanish too often to test
        }
        let mut inputs: Vec<Rational> = (0..coords)
            .map(|_| Rational::from(Integer::from(rng.random_range(1u64..=(1u64 << SET_BITS)))))
            .collect();
        inputs.extend(fixed.iter().cloned());
        ev.run(tape, &inputs);
        let mut defined = true;
        for &(l, r) in pairs {
            match (ev.get(l), ev.get(r)) {
                (Some(a), Some(b)) => {
                    if a != b {
                        return Some(IdentityResult {
                            holds: false,
                            trials: done + 1,
                            error_bound: 0.0,
                            degree,
                        });
                    }
                }
                _ => defined = false,
            }
        }
        if defined {
            done += 1;
        }
    }
    let per = (degree.max(1) as f64) / 2f64.powi(SET_BITS as i32);
    Some(IdentityResult {
        holds: true,
        trials,
        error_bound: per.powi(trials as i32),
        degree,
    })
}

/// How a claim's identity was established.
#[derive(Clone, Debug)]
pub struct IdentityMethod {
    pub method: &'static str,
    /// `None` when decided exactly.
    pub error_probability: Option<f64>,
    /// The seed of the random points, when random evaluation was used.
    pub seed: Option<u64>,
    pub trials: usize,
}

/// The largest error bound with which a random identity test still counts.
const MAX_ERROR_BOUND: f64 = 1e-30;

/// A seed from the operating system's entropy.
pub fn entropy_seed() -> u64 {
    use rand::TryRngCore;
    rand::rngs::OsRng
        .try_next_u64()
        .unwrap_or_else(|_| rand::random::<u64>())
}

/// Whether every part of claim `claim` is an identity of rational functions (see the module's
/// doc). `None` when a part is strict, a side is not rational, or a part is not an identity.
pub fn identity_method(
    job: &Job,
    free: &Model,
    claim: usize,
    opts: &VerifyOptions,
) -> Option<IdentityMethod> {
    let fpred = &free.claims[claim];
    let rational = |r| free.tape.is_rational(r);
    if fpred.parts.is_empty()
        || !fpred
            .parts
            .iter()
            .all(|c| rational(c.lhs) && rational(c.rhs))
        || fpred
            .parts
            .iter()
            .any(|c| matches!(c.op, crate::arith::CmpOp::Lt | crate::arith::CmpOp::Gt))
    {
        return None;
    }
    let pairs: Vec<_> = fpred.parts.iter().map(|c| (c.lhs, c.rhs)).collect();
    match ratfunc::identity(&free.tape, free.coords.len(), &job.constants, &pairs) {
        Ok(true) => Some(IdentityMethod {
            method: "identity of rational functions, decided exactly (both sides expanded to canonical polynomial quotients), with the sides shown defined on the box",
            error_probability: None,
            seed: None,
            trials: 0,
        }),
        Ok(false) | Err(Undecided::NotRational) | Err(Undecided::DefinedNowhere) => None,
        Err(Undecided::TooLarge) => {
            let seed = opts.identity_seed.unwrap_or_else(entropy_seed);
            let r = test_identity(
                &free.tape,
                free.coords.len(),
                &job.constants,
                &pairs,
                opts.identity_trials,
                seed,
            )?;
            (r.holds && r.error_bound <= MAX_ERROR_BOUND).then_some(IdentityMethod {
                method: "identity of rational functions too large to expand, tested by exact evaluation at random points from the operating system's entropy (Schwartz–Zippel), with the sides shown defined on the box",
                error_probability: Some(r.error_bound),
                seed: Some(seed),
                trials: r.trials as usize,
            })
        }
    }
}

/// A point of one of `cells` where the claim's hypotheses hold and one of its sides is
/// certainly undefined (a divisor exactly zero, a square root of a negative number, a
/// logarithm of a non-positive one), with the reason. The cells are those the definedness
/// prover could not settle; each is tried at its simplest rational point.
pub fn undefined_witness(
    job: &Job,
    cells: &[Cell],
    opts: &VerifyOptions,
    deadline: std::time::Instant,
) -> Option<(Vec<Rational>, PointVerdict, String)> {
    let tape = &job.model.tape;
    let prec = opts.prec.max(256) * 4;
    let sides: Vec<Reg> = job
        .claim_pred()
        .parts
        .iter()
        .flat_map(|c| [c.lhs, c.rhs])
        .collect();
    let cone = tape.slice(&sides);
    for (i, cell) in cells.iter().enumerate() {
        if crate::stop::requested()
            || (i >= super::claims::PROBES_PAST_BUDGET && std::time::Instant::now() > deadline)
        {
            break;
        }
        let Some(point) = cell.simplest(&job.ranges) else {
            continue;
        };
        let verdict = decide_point(job, &point, prec);
        if verdict.hyps != Truth::True {
            continue;
        }
        let inputs = job.inputs(&point);
        let mut exact = RationalEval::new(tape);
        exact.run(tape, &inputs);
        let mut ev = IntervalEval::new(tape, prec);
        for (k, q) in inputs.iter().enumerate() {
            ev.set_input(k, q);
        }
        ev.run(tape);
        // Certainly negative, certainly ≤ 0, certainly 0, certainly > 0 at the point: from the
        // exact value where there is one, else from the enclosure.
        let below = |r: Reg, strict: bool| match exact.get(r) {
            Some(q) => {
                if strict {
                    *q < 0
                } else {
                    *q <= 0
                }
            }
            None => ev
                .get(r)
                .is_ok_and(|x| if strict { *x.hi() < 0 } else { *x.hi() <= 0 }),
        };
        let zero = |r: Reg| exact.get(r).is_some_and(|q| *q == 0);
        for &i in &cone {
            let (fails, what) = match tape.instrs[i].op {
                Op::Div(_, b) => (zero(b), "division by zero"),
                Op::PowInt(a, k) if k < 0 => (zero(a), "a negative power of zero"),
                Op::Sqrt(a) => (below(a, true), "square root of a negative number"),
                Op::Log(a) => (below(a, false), "logarithm of a non-positive number"),
                // a^b is defined for a > 0, and for a = 0 when b > 0
                Op::Pow(a, b) => (
                    below(a, true) || (zero(a) && below(b, false)),
                    "real power of a negative base, or of 0 with an exponent ≤ 0",
                ),
                _ => continue,
            };
            if fails {
                return Some((
                    point,
                    verdict,
                    format!("the claim is undefined here: {what} at {}", tape.place(i)),
                ));
            }
        }
    }
    None
}
