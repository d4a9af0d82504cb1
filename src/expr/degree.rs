//! Degree inference: whether the registers of a tape are homogeneous under a rescaling of its
//! inputs, exactly.
//!
//! A scaling gives each input `x_k` a weight `w_k` and maps it to `s^{w_k}·x_k` for a number
//! `s > 0`. A register `f` is *homogeneous of degree `d`* when `f(σ_s x) = s^d·f(x)` for every
//! `s > 0` and every `x`, with `f` defined at `σ_s x` exactly where it is defined at `x`. The
//! rules below prove that, instruction by instruction, from the inputs up; they answer only
//! what follows from the rule (never a guess from sample points):
//!
//! - a literal is of degree 0, except the literal 0, which is of every degree ([`Degree::Any`]);
//! - `a ± b`, `min(a, b)` and `max(a, b)` need `a` and `b` of one degree (as `s^d > 0` keeps
//!   the order of the two); `−a` and `|a|` keep the degree;
//! - `a·b` adds the degrees, `a/b` subtracts them (a divisor of every degree is the literal 0);
//! - `a^n` multiplies by `n`; `a^q` with a literal `q` multiplies by `q` (the sign of `a` is
//!   kept by `s^d > 0`, so where the power is defined does not change); `a^b` with a varying `b`
//!   needs both of degree 0; `√a` halves the degree;
//! - `log`, `exp`, `sin`, `cos`, `floor`, `ceil` need an argument of degree 0 (and are then of
//!   degree 0: invariant);
//! - the derivative instructions are not covered.
//!
//! A comparison `lhs ⋈ rhs` whose sides are of one degree holds at `σ_s x` exactly when it holds
//! at `x`, since both sides are multiplied by the same `s^d > 0`; a conjunction of such
//! comparisons is invariant under the scaling. That is what [`invariant`] decides.

use super::tape::{Op, Predicate, Reg, Tape};
use rug::Rational;

/// The degree of a homogeneous register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Degree {
    /// Of every degree: the register is the literal 0 (or computed from it so that it is 0
    /// wherever defined).
    Any,
    /// Of this degree.
    Of(Rational),
}

impl Degree {
    fn zero() -> Degree {
        Degree::Of(Rational::new())
    }

    /// The degree both `self` and `other` are of, if any.
    fn meet(&self, other: &Degree) -> Option<Degree> {
        match (self, other) {
            (Degree::Any, d) | (d, Degree::Any) => Some(d.clone()),
            (Degree::Of(a), Degree::Of(b)) => (a == b).then(|| self.clone()),
        }
    }

    fn is_zero(&self) -> bool {
        match self {
            Degree::Any => true,
            Degree::Of(d) => *d == 0,
        }
    }
}

/// Why a set of registers is not shown homogeneous: the first register (in tape order) for
/// which no rule applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotHomogeneous {
    pub at: Reg,
}

/// The degree of every register that `roots` depend on (`None` for the others), under the
/// input weights `weights` (one per input register `0..weights.len()`; inputs past the end are
/// of degree 0). An error names the first register no rule covers.
pub fn degrees(
    tape: &Tape,
    weights: &[Rational],
    roots: &[Reg],
) -> Result<Vec<Option<Degree>>, NotHomogeneous> {
    let needed = tape.needed(roots);
    let mut deg: Vec<Option<Degree>> = vec![None; tape.len()];
    for r in 0..tape.len() {
        if !needed[r] {
            continue;
        }
        let of = |a: Reg| deg[a].clone().expect("operands come first on a tape");
        let broken = || NotHomogeneous { at: r };
        let d = match tape.instrs[r].op {
            Op::Input(k) => Degree::Of(weights.get(k).cloned().unwrap_or_default()),
            Op::Const(k) if tape.consts[k] == 0 => Degree::Any,
            Op::Const(_) => Degree::zero(),
            Op::Add(a, b) | Op::Sub(a, b) | Op::Min(a, b) | Op::Max(a, b) => {
                of(a).meet(&of(b)).ok_or_else(broken)?
            }
            Op::Neg(a) | Op::Abs(a) => of(a),
            Op::Mul(a, b) => match (of(a), of(b)) {
                (Degree::Any, _) | (_, Degree::Any) => Degree::Any,
                (Degree::Of(x), Degree::Of(y)) => Degree::Of(x + y),
            },
            Op::Div(a, b) => match (of(a), of(b)) {
                (_, Degree::Any) => return Err(broken()),
                (Degree::Any, _) => Degree::Any,
                (Degree::Of(x), Degree::Of(y)) => Degree::Of(x - y),
            },
            Op::PowInt(a, n) => match of(a) {
                Degree::Any if n > 0 => Degree::Any,
                Degree::Any => return Err(broken()),
                Degree::Of(x) => Degree::Of(x * Rational::from(n)),
            },
            Op::Pow(a, b) => match (of(a), literal(tape, b)) {
                (Degree::Of(x), Some(q)) if q != 0 => Degree::Of(x * q),
                (da, None) if da.is_zero() && of(b).is_zero() && da != Degree::Any => {
                    Degree::zero()
                }
                _ => return Err(broken()),
            },
            Op::Sqrt(a) => match of(a) {
                Degree::Any => Degree::Any,
                Degree::Of(x) => Degree::Of(x / Rational::from(2)),
            },
            Op::Log(a) | Op::Exp(a) | Op::Sin(a) | Op::Cos(a) | Op::Floor(a) | Op::Ceil(a) => {
                if of(a).is_zero() {
                    Degree::zero()
                } else {
                    return Err(broken());
                }
            }
            Op::MinD(..) | Op::MaxD(..) | Op::AbsD(..) | Op::Undiff(_) => return Err(broken()),
        };
        deg[r] = Some(d);
    }
    Ok(deg)
}

/// The value of register `r` when it is a literal.
fn literal(tape: &Tape, r: Reg) -> Option<Rational> {
    match tape.instrs[r].op {
        Op::Const(k) => Some(tape.consts[k].clone()),
        _ => None,
    }
}

/// Whether every comparison of `preds` is invariant under the scaling with input weights
/// `weights`: each side's register homogeneous, and both sides of one degree. An error names
/// the register where that fails (a register no rule covers, or the side whose degree differs
/// from the other side's).
pub fn invariant(
    tape: &Tape,
    weights: &[Rational],
    preds: &[&Predicate],
) -> Result<(), NotHomogeneous> {
    let roots: Vec<Reg> = preds
        .iter()
        .flat_map(|p| p.parts.iter().flat_map(|c| [c.lhs, c.rhs]))
        .collect();
    let deg = degrees(tape, weights, &roots)?;
    for p in preds {
        for c in &p.parts {
            let (l, r) = (deg[c.lhs].as_ref(), deg[c.rhs].as_ref());
            let (Some(l), Some(r)) = (l, r) else {
                unreachable!("both sides were roots")
            };
            if l.meet(r).is_none() {
                return Err(NotHomogeneous {
                    at: c.rhs.max(c.lhs),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use std::collections::HashMap;

    /// The degree of `src` over inputs x, y, z with weights `w`.
    fn degree_of(src: &str, w: [i64; 3]) -> Result<Option<Degree>, NotHomogeneous> {
        let mut tape = Tape::new(vec!["x".into(), "y".into(), "z".into()]);
        let env: HashMap<String, Reg> = [("x", 0), ("y", 1), ("z", 2)]
            .map(|(n, r)| (n.to_string(), r))
            .into();
        let r = tape.compile(&parse(src, "t").unwrap(), &env, 0).unwrap();
        let w: Vec<Rational> = w.iter().map(|&k| Rational::from(k)).collect();
        Ok(degrees(&tape, &w, &[r])?[r].clone())
    }

    fn of(n: i64, d: i64) -> Result<Option<Degree>, NotHomogeneous> {
        Ok(Some(Degree::Of(Rational::from((n, d)))))
    }

    #[test]
    fn degrees_follow_the_rules() {
        // η → η/s, L → sL, c → sc as x, y, z
        let w = [-1, 1, 1];
        assert_eq!(degree_of("x*y", w), of(0, 1));
        assert_eq!(degree_of("2*x*z - x^2*y^2", w), of(0, 1));
        assert_eq!(degree_of("min(1/(2*y), z/y^2, 1/(2*z))", w), of(-1, 1));
        assert_eq!(degree_of("x^2*(1 + x*y)^2", w), of(-2, 1));
        assert_eq!(degree_of("sqrt(x*z)", w), of(0, 1));
        assert_eq!(degree_of("sqrt(z)", w), of(1, 2));
        assert_eq!(degree_of("x^1.5/sqrt(z)", w), of(-2, 1));
        assert_eq!(degree_of("log(9*x*y/4)", w), of(0, 1));
        assert_eq!(degree_of("exp(x*y)^(x*z)", w), of(0, 1));
        assert_eq!(degree_of("0*x + y", w), of(1, 1));
        assert_eq!(degree_of("abs(y - z)", w), of(1, 1));
        assert_eq!(degree_of("floor(y/z)", w), of(0, 1));
    }

    #[test]
    fn what_no_rule_covers_is_named() {
        let w = [-1, 1, 1];
        // a sum of two degrees, a logarithm or power of a varying degree, a floor of one
        for src in [
            "x + y",
            "1 + y",
            "log(y)",
            "exp(x)",
            "sin(z)",
            "floor(y)",
            "y^x",
            "x^(y*x)",
            "min(y, 1)",
            "y/0",
        ] {
            assert!(degree_of(src, w).is_err(), "{src}");
        }
        // the whole cone counts, not only the root: 0·log(y) is 0, but log(y) is not
        // homogeneous, and where it is defined depends on y's sign
        assert!(degree_of("0*log(y) + z", w).is_err());
    }
}
