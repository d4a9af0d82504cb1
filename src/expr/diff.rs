//! Symbolic differentiation on the tape (forward mode, as a source transformation): for each
//! output and each chosen input, new instructions are appended that compute the partial
//! derivative, sharing common subexpressions with the original tape. The same derivative tape
//! then runs in every evaluator: intervals (gradient enclosures over a box, for the prover's
//! monotonicity and mean-value refinements) and f64 (gradients for simulation).
//!
//! `min`, `max` and `abs` get their generalized (Clarke) gradients; `floor` and `ceil` of a
//! varying argument have no derivative usable in a mean-value argument, so theirs is marked
//! undefined for intervals (and 0 in f64, the derivative almost everywhere).

use super::tape::{Op, Origin, Reg, Tape};
use rug::Rational;

struct Builder<'t> {
    tape: &'t mut Tape,
    origin: Origin,
}

impl Builder<'_> {
    /// Appends an instruction, folding the exact identities x·1 = 1·x = x, x¹ = x and
    /// −(−x) = x.
    fn op(&mut self, op: Op) -> Reg {
        match op {
            Op::Mul(a, b) if self.is_one(b) => a,
            Op::Mul(a, b) if self.is_one(a) => b,
            Op::PowInt(a, 1) => a,
            Op::Neg(a) if matches!(self.tape.instrs[a].op, Op::Neg(_)) => {
                let Op::Neg(x) = self.tape.instrs[a].op else {
                    unreachable!("matched above")
                };
                x
            }
            op => self.tape.push(op, self.origin),
        }
    }
    fn is_one(&self, r: Reg) -> bool {
        matches!(self.tape.instrs[r].op, Op::Const(k) if self.tape.consts[k] == 1)
    }

    fn konst(&mut self, q: i64) -> Reg {
        self.tape.constant(&Rational::from(q), self.origin)
    }
    fn add(&mut self, a: Option<Reg>, b: Option<Reg>) -> Option<Reg> {
        match (a, b) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(self.op(Op::Add(a, b))),
        }
    }
    fn sub(&mut self, a: Option<Reg>, b: Option<Reg>) -> Option<Reg> {
        match (a, b) {
            (x, None) => x,
            (None, Some(b)) => Some(self.op(Op::Neg(b))),
            (Some(a), Some(b)) => Some(self.op(Op::Sub(a, b))),
        }
    }
    /// `k · d` where `k` is a register.
    fn scale(&mut self, k: Reg, d: Option<Reg>) -> Option<Reg> {
        d.map(|d| self.op(Op::Mul(k, d)))
    }
    fn div(&mut self, d: Option<Reg>, k: Reg) -> Option<Reg> {
        d.map(|d| self.op(Op::Div(d, k)))
    }
    fn zero_or(&mut self, d: Option<Reg>) -> Reg {
        match d {
            Some(d) => d,
            None => self.konst(0),
        }
    }
}

/// Appends instructions computing `∂ outputs[j] / ∂ input wrt[k]` and returns their registers,
/// `None` where the derivative is identically zero. `wrt` holds tape input indices.
pub fn differentiate(tape: &mut Tape, outputs: &[Reg], wrt: &[usize]) -> Vec<Vec<Option<Reg>>> {
    let n = tape.len();
    // Only what the outputs depend on.
    let needed = tape.needed(outputs);
    let mut result = vec![vec![None; wrt.len()]; outputs.len()];
    for (k, &input) in wrt.iter().enumerate() {
        let mut d: Vec<Option<Reg>> = vec![None; n];
        for i in 0..n {
            if !needed[i] {
                continue;
            }
            let instr = tape.instrs[i].clone();
            let mut b = Builder {
                tape,
                origin: instr.origin,
            };
            d[i] = match instr.op {
                Op::Input(j) => {
                    if j == input {
                        Some(b.konst(1))
                    } else {
                        None
                    }
                }
                Op::Const(_) => None,
                Op::Add(x, y) => b.add(d[x], d[y]),
                Op::Sub(x, y) => b.sub(d[x], d[y]),
                Op::Mul(x, y) => {
                    let l = b.scale(y, d[x]);
                    let r = b.scale(x, d[y]);
                    b.add(l, r)
                }
                Op::Div(x, y) => {
                    // (dx − (x/y)·dy) / y
                    let t = b.scale(i, d[y]);
                    let num = b.sub(d[x], t);
                    b.div(num, y)
                }
                Op::Neg(x) => d[x].map(|dx| b.op(Op::Neg(dx))),
                Op::PowInt(x, m) => match (m, d[x]) {
                    (0, _) | (_, None) => None,
                    (1, dx) => dx,
                    (m, Some(dx)) => match m.checked_sub(1) {
                        // no such exponent: the derivative is left undefined
                        None => Some(b.op(Op::Undiff(x))),
                        Some(m1) => {
                            let p = b.op(Op::PowInt(x, m1));
                            let c = b.konst(m);
                            let cp = b.op(Op::Mul(c, p));
                            Some(b.op(Op::Mul(cp, dx)))
                        }
                    },
                },
                Op::Pow(x, y) => {
                    // d(x^y) = x^y · (dy·ln x + y·dx/x)
                    if d[x].is_none() && d[y].is_none() {
                        None
                    } else {
                        let l = match d[y] {
                            Some(dy) => {
                                let ln = b.op(Op::Log(x));
                                Some(b.op(Op::Mul(dy, ln)))
                            }
                            None => None,
                        };
                        let r = match d[x] {
                            Some(dx) => {
                                let q = b.op(Op::Div(dx, x));
                                Some(b.op(Op::Mul(y, q)))
                            }
                            None => None,
                        };
                        let s = b.add(l, r);
                        b.scale(i, s)
                    }
                }
                Op::Sqrt(x) => d[x].map(|dx| {
                    let two = b.konst(2);
                    let den = b.op(Op::Mul(two, i));
                    b.op(Op::Div(dx, den))
                }),
                Op::Log(x) => b.div(d[x], x),
                Op::Exp(x) => b.scale(i, d[x]),
                Op::Floor(x) | Op::Ceil(x) => d[x].map(|dx| b.op(Op::Undiff(dx))),
                Op::Abs(x) => d[x].map(|dx| b.op(Op::AbsD(x, dx))),
                Op::Sin(x) => d[x].map(|dx| {
                    let c = b.op(Op::Cos(x));
                    b.op(Op::Mul(c, dx))
                }),
                Op::Cos(x) => d[x].map(|dx| {
                    let s = b.op(Op::Sin(x));
                    let m = b.op(Op::Mul(s, dx));
                    b.op(Op::Neg(m))
                }),
                Op::Min(x, y) | Op::Max(x, y) => {
                    if d[x].is_none() && d[y].is_none() {
                        None
                    } else {
                        let dx = b.zero_or(d[x]);
                        let dy = b.zero_or(d[y]);
                        Some(if let Op::Min(..) = instr.op {
                            b.op(Op::MinD(x, y, dx, dy))
                        } else {
                            b.op(Op::MaxD(x, y, dx, dy))
                        })
                    }
                }
                // Derivative ops are not differentiated again.
                Op::MinD(..) | Op::MaxD(..) | Op::AbsD(..) | Op::Undiff(_) => {
                    Some(b.op(Op::Undiff(i)))
                }
            };
        }
        for (j, &o) in outputs.iter().enumerate() {
            result[j][k] = d[o];
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{F64Eval, parse};
    use std::collections::HashMap;

    /// Compares the derivative tape with central differences in f64.
    fn check(src: &str, x: f64, y: f64) {
        let e = parse(src, "t").unwrap();
        let mut tape = Tape::new(vec!["x".into(), "y".into()]);
        let env: HashMap<String, Reg> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
        let r = tape.compile(&e, &env, 0).unwrap();
        let g = differentiate(&mut tape, &[r], &[0, 1]);
        let mut ev = F64Eval::new(&tape);
        let f = |ev: &mut F64Eval, x: f64, y: f64| {
            ev.run(&tape, &[x, y]);
            ev.get(r)
        };
        let h = 1e-6;
        let num = [
            (f(&mut ev, x + h, y) - f(&mut ev, x - h, y)) / (2.0 * h),
            (f(&mut ev, x, y + h) - f(&mut ev, x, y - h)) / (2.0 * h),
        ];
        ev.run(&tape, &[x, y]);
        for k in 0..2 {
            let sym = g[0][k].map_or(0.0, |d| ev.get(d));
            assert!(
                (sym - num[k]).abs() <= 1e-5 * (1.0 + num[k].abs()),
                "{src} d/d{k}: symbolic {sym}, numeric {}",
                num[k]
            );
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        for src in [
            "x*y + x^3 - 2/y",
            "sqrt(x*y) + log(x) * exp(-y)",
            "x^y",
            "min(x, 2*y) + max(x^2, y)",
            "abs(x - y) * (x + 1)",
            "(1 + x*y)^2 / (2*x*y - y^2)",
            "-x^-2 + 7",
            "sin(3*x)*cos(y) + x^2",
        ] {
            check(src, 1.3, 0.7);
            check(src, 0.4, 1.9);
        }
    }
}
