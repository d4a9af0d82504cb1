//! Evaluates a tape in f64 for `B` points at once ("lanes"): each instruction is one loop over
//! the lanes, which the compiler turns into vector instructions, so that the cost of walking
//! the tape is shared by all lanes. Sine and cosine use the branch-free kernels of
//! [`super::trig`]; the other transcendental operations call the standard library lane by lane.
//! Like [`super::F64Eval`], no guarantee: this is for simulation speed.

use super::tape::{Op, Reg, Tape};
use super::trig;

/// Registers for `B` lanes; constants are broadcast once, at construction.
#[derive(Clone, Debug)]
pub struct F64Lanes<const B: usize> {
    regs: Vec<[f64; B]>,
}

impl<const B: usize> F64Lanes<B> {
    pub fn new(tape: &Tape) -> Self {
        let mut regs = vec![[0.0; B]; tape.len()];
        for (i, ins) in tape.instrs.iter().enumerate() {
            if let Op::Const(k) = ins.op {
                regs[i] = [tape.consts[k].to_f64(); B];
            }
        }
        F64Lanes { regs }
    }

    /// Sets input `k` (register `k`) for every lane.
    #[inline(always)]
    pub fn set_input(&mut self, k: usize, v: &[f64; B]) {
        self.regs[k] = *v;
    }

    /// The lanes of register `r`.
    #[inline(always)]
    pub fn get(&self, r: Reg) -> &[f64; B] {
        &self.regs[r]
    }

    /// Runs the listed instructions (in increasing order); inputs and constants in the list
    /// are left as set.
    #[inline(always)]
    pub fn run_selected(&mut self, tape: &Tape, list: &[Reg]) {
        for &i in list {
            let (before, rest) = self.regs.split_at_mut(i);
            lane_op(tape.instrs[i].op, before, &mut rest[0]);
        }
    }
}

#[inline(always)]
fn map1<const B: usize>(a: &[f64; B], out: &mut [f64; B], f: impl Fn(f64) -> f64) {
    for j in 0..B {
        out[j] = f(a[j]);
    }
}

#[inline(always)]
fn map2<const B: usize>(
    a: &[f64; B],
    b: &[f64; B],
    out: &mut [f64; B],
    f: impl Fn(f64, f64) -> f64,
) {
    for j in 0..B {
        out[j] = f(a[j], b[j]);
    }
}

/// One instruction over all lanes; `r` holds the registers before the output `out`.
#[inline(always)]
fn lane_op<const B: usize>(op: Op, r: &[[f64; B]], out: &mut [f64; B]) {
    match op {
        Op::Input(_) | Op::Const(_) => {}
        Op::Add(a, b) => map2(&r[a], &r[b], out, |x, y| x + y),
        Op::Sub(a, b) => map2(&r[a], &r[b], out, |x, y| x - y),
        Op::Mul(a, b) => map2(&r[a], &r[b], out, |x, y| x * y),
        Op::Div(a, b) => map2(&r[a], &r[b], out, |x, y| x / y),
        Op::Neg(a) => map1(&r[a], out, |x| -x),
        Op::PowInt(a, n) => match n {
            0 => *out = [1.0; B],
            1 => *out = r[a],
            2 => map1(&r[a], out, |x| x * x),
            -1 => map1(&r[a], out, |x| 1.0 / x),
            _ => {
                let n = n.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
                map1(&r[a], out, |x| x.powi(n))
            }
        },
        Op::Pow(a, b) => map2(&r[a], &r[b], out, f64::powf),
        Op::Sqrt(a) => map1(&r[a], out, f64::sqrt),
        Op::Log(a) => map1(&r[a], out, f64::ln),
        Op::Exp(a) => map1(&r[a], out, f64::exp),
        Op::Floor(a) => map1(&r[a], out, f64::floor),
        Op::Ceil(a) => map1(&r[a], out, f64::ceil),
        Op::Abs(a) => map1(&r[a], out, f64::abs),
        Op::Sin(a) => trig::sin_lanes(&r[a], out),
        Op::Cos(a) => trig::cos_lanes(&r[a], out),
        Op::Min(a, b) => map2(&r[a], &r[b], out, f64::min),
        Op::Max(a, b) => map2(&r[a], &r[b], out, f64::max),
        Op::MinD(a, b, da, db) => {
            for j in 0..B {
                out[j] = if r[a][j] <= r[b][j] {
                    r[da][j]
                } else {
                    r[db][j]
                };
            }
        }
        Op::MaxD(a, b, da, db) => {
            for j in 0..B {
                out[j] = if r[a][j] >= r[b][j] {
                    r[da][j]
                } else {
                    r[db][j]
                };
            }
        }
        Op::AbsD(a, da) => {
            for j in 0..B {
                out[j] = if r[a][j] >= 0.0 { r[da][j] } else { -r[da][j] };
            }
        }
        Op::Undiff(_) => *out = [0.0; B],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{F64Eval, parse};
    use std::collections::HashMap;

    #[test]
    fn lanes_agree_with_the_scalar_evaluator() {
        let src = "x^2 + 0.5*(1 - cos(30*x)) + exp(-x)/(1 + abs(x)) + min(x, 2)*max(x, -1) \
                   + sqrt(x^2 + 1) + log(2 + sin(x)) + x^3 + x^(-2) + 2^x + floor(x)";
        let e = parse(src, "test").unwrap();
        let mut tape = Tape::new(vec!["x".into()]);
        let env: HashMap<String, Reg> = [("x".to_string(), 0)].into();
        let s = tape.add_source("test", src);
        let out = tape.compile(&e, &env, s).unwrap();
        let xs: [f64; 8] = [-3.7, -1.0, -0.25, 0.5, 1.0, 2.0, 7.25, 1e3];
        let mut lanes = F64Lanes::<8>::new(&tape);
        lanes.set_input(0, &xs);
        let all: Vec<Reg> = (1..tape.len()).collect();
        lanes.run_selected(&tape, &all);
        let mut one = F64Eval::new(&tape);
        for (j, &x) in xs.iter().enumerate() {
            one.run(&tape, &[x]);
            let (a, b) = (lanes.get(out)[j], one.get(out));
            // the same operations except sine and cosine (a few ulps apart)
            assert!(
                (a - b).abs() <= 1e-13 * b.abs().max(1.0),
                "x = {x}: {a} vs {b}"
            );
        }
    }
}
