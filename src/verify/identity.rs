//! Identities (`==`) between rational expressions, decided by exact evaluation at random
//! points (Schwartz–Zippel). Both sides are brought to one fraction P/Q; the claim lhs = rhs is
//! the polynomial identity P_l·Q_r − P_r·Q_l = 0 of total degree at most D. A nonzero polynomial
//! of degree D vanishes at a point drawn uniformly from Sᵏ with probability at most D/|S|, so
//! `trials` independent agreements leave a probability of at most (D/|S|)^trials that a false
//! identity is reported proved. Points where a denominator vanishes are drawn again.

use crate::expr::{Op, RationalEval, Reg, Tape};
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
                    (Some((pa, qa)), Some((pb, qb))) => Some(((pa + qb).max(pb + qa), qa + qb)),
                    _ => None,
                },
                Op::Mul(a, b) => match (g(a), g(b)) {
                    (Some((pa, qa)), Some((pb, qb))) => Some((pa + pb, qa + qb)),
                    _ => None,
                },
                Op::Div(a, b) => match (g(a), g(b)) {
                    (Some((pa, qa)), Some((pb, qb))) => Some((pa + qb, qa + pb)),
                    _ => None,
                },
                Op::Neg(a) => g(a),
                Op::PowInt(a, n) => g(a).map(|(p, q)| {
                    let m = n.unsigned_abs();
                    if n >= 0 {
                        (p * m, q * m)
                    } else {
                        (q * m, p * m)
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
        degree = degree.max((pl + qr).max(pr + ql));
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
