//! Evaluators of a compiled [`Tape`]: intervals with outward rounding, exact rationals (for the
//! rational registers), and plain f64 (for simulation speed, no guarantee).
//!
//! Evaluation never stops at a fault: a register whose operation faults (division by zero,
//! log of a non-positive number, …) is marked with the fault, and every register computed from
//! it carries the same fault, so one undefined quantity does not hide the others.
//!
//! The interval and rational evaluators never read a register that was not computed for the
//! current inputs ([`super::fresh::Freshness`]): a stale operand makes the instruction fault
//! with [`ArithError::NotComputed`], and a stale register reads as that fault (interval) or as
//! no value (rational), so a caller that runs too few instructions gets an open verdict, never
//! a wrong one.

use super::fresh::Freshness;
use super::tape::{Comparison, Op, Predicate, Reg, Tape};
use crate::arith::{ArithError, Interval, Scratch, Truth, exact, interval as iv};
use rug::Rational;

/// A fault and the instruction where it arose.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub error: ArithError,
    pub at: Reg,
}

/// Evaluates a tape over intervals at a fixed precision. Registers are allocated once; running
/// at a new point reuses them, so evaluation allocates nothing.
#[derive(Clone, Debug)]
pub struct IntervalEval {
    prec: u32,
    regs: Vec<Interval>,
    faults: Vec<Option<Fault>>,
    out: Interval,
    scratch: Scratch,
    fresh: Freshness,
    /// What a read of a stale register answers.
    stale: Fault,
}

impl IntervalEval {
    /// Allocates the registers and encloses the tape's literal constants once.
    pub fn new(tape: &Tape, prec: u32) -> Self {
        let mut regs = vec![Interval::zero(prec); tape.len()];
        for (i, ins) in tape.instrs.iter().enumerate() {
            if let Op::Const(k) = ins.op {
                regs[i].set_rational(&tape.consts[k]);
            }
        }
        IntervalEval {
            prec,
            regs,
            faults: vec![None; tape.len()],
            out: Interval::zero(prec),
            scratch: Scratch::new(prec),
            fresh: Freshness::new(tape),
            stale: Fault {
                error: ArithError::NotComputed,
                at: 0,
            },
        }
    }

    pub fn prec(&self) -> u32 {
        self.prec
    }

    /// Sets input `k` to the tightest enclosure of `q`.
    pub fn set_input(&mut self, k: usize, q: &Rational) {
        self.regs[k].set_rational(q);
        self.input_changed(k);
    }

    fn input_changed(&mut self, k: usize) {
        self.faults[k] = None;
        self.fresh.set_input(k);
    }

    /// Sets input `k` to an interval (rounded outward to the working precision).
    pub fn set_input_interval(&mut self, k: usize, x: &Interval) {
        self.regs[k].assign(x);
        self.input_changed(k);
    }

    /// Sets input `k` to `[lo, hi]` (rounded outward to the working precision).
    pub fn set_input_bounds(&mut self, k: usize, lo: &rug::Float, hi: &rug::Float) {
        use rug::ops::AssignRound;
        self.regs[k].lo.assign_round(lo, rug::float::Round::Down);
        self.regs[k].hi.assign_round(hi, rug::float::Round::Up);
        self.input_changed(k);
    }

    /// Runs every instruction after the inputs.
    pub fn run(&mut self, tape: &Tape) {
        self.run_range(tape, 0, tape.len());
    }

    /// Runs instructions `from..to` (inputs in that range are left as set). Lets a caller run
    /// the base part of a tape and the derivative part appended to it separately.
    pub fn run_range(&mut self, tape: &Tape, from: usize, to: usize) {
        let n_in = tape.inputs.len();
        for i in from.max(n_in)..to.min(tape.len()) {
            self.step(tape, i);
        }
    }

    /// Runs only the listed instructions (in increasing order; inputs are left as set). A
    /// caller that needs a few registers of a large tape lists what they depend on.
    pub fn run_selected(&mut self, tape: &Tape, list: &[Reg]) {
        for &i in list {
            if i >= tape.inputs.len() {
                self.step(tape, i);
            }
        }
    }

    fn step(&mut self, tape: &Tape, i: usize) {
        {
            let op = tape.instrs[i].op;
            if let Op::Input(_) | Op::Const(_) = op {
                // inputs are set by the caller; constants were enclosed in `new`
                return;
            }
            self.fresh.wrote(i);
            if op.operands().any(|a| !self.fresh.is_fresh(a)) {
                self.faults[i] = Some(Fault {
                    error: ArithError::NotComputed,
                    at: i,
                });
                return;
            }
            if let Some(f) = op.operands().find_map(|a| self.faults[a].clone()) {
                self.faults[i] = Some(f);
                return;
            }
            let r = &self.regs;
            let out = &mut self.out;
            let s = &mut self.scratch;
            let result = match op {
                Op::Input(_) | Op::Const(_) => Ok(()),
                Op::Add(a, b) => iv::add(out, &r[a], &r[b]),
                Op::Sub(a, b) => iv::sub(out, &r[a], &r[b]),
                Op::Mul(a, b) => iv::mul(out, &r[a], &r[b], s),
                Op::Div(a, b) => iv::div(out, &r[a], &r[b]),
                Op::Neg(a) => iv::neg(out, &r[a]),
                Op::PowInt(a, n) => iv::powi(out, &r[a], n, s),
                Op::Pow(a, b) => iv::pow(out, &r[a], &r[b], s),
                Op::Sqrt(a) => iv::sqrt(out, &r[a]),
                Op::Log(a) => iv::ln(out, &r[a]),
                Op::Exp(a) => iv::exp(out, &r[a]),
                Op::Floor(a) => iv::floor(out, &r[a]),
                Op::Ceil(a) => iv::ceil(out, &r[a]),
                Op::Abs(a) => iv::abs(out, &r[a]),
                Op::Sin(a) => iv::sin(out, &r[a], s),
                Op::Cos(a) => iv::cos(out, &r[a], s),
                Op::Min(a, b) => iv::min(out, &r[a], &r[b]),
                Op::Max(a, b) => iv::max(out, &r[a], &r[b]),
                Op::MinD(a, b, da, db) => {
                    if r[a].hi <= r[b].lo {
                        out.assign(&r[da]);
                        Ok(())
                    } else if r[b].hi <= r[a].lo {
                        out.assign(&r[db]);
                        Ok(())
                    } else {
                        iv::hull(out, &r[da], &r[db])
                    }
                }
                Op::MaxD(a, b, da, db) => {
                    if r[a].lo >= r[b].hi {
                        out.assign(&r[da]);
                        Ok(())
                    } else if r[b].lo >= r[a].hi {
                        out.assign(&r[db]);
                        Ok(())
                    } else {
                        iv::hull(out, &r[da], &r[db])
                    }
                }
                Op::AbsD(a, da) => iv::abs_deriv(out, &r[a], &r[da]),
                Op::Undiff(_) => Err(crate::arith::ArithError::NotDifferentiable),
            };
            match result {
                Ok(()) => {
                    std::mem::swap(&mut self.regs[i], &mut self.out);
                    self.faults[i] = None;
                }
                Err(error) => self.faults[i] = Some(Fault { error, at: i }),
            }
        }
    }

    /// The enclosure in register `r`, or the fault that made it undefined.
    pub fn get(&self, r: Reg) -> Result<&Interval, &Fault> {
        if !self.fresh.is_fresh(r) {
            return Err(&self.stale);
        }
        match &self.faults[r] {
            Some(f) => Err(f),
            None => Ok(&self.regs[r]),
        }
    }
}

/// Evaluates the rational registers of a tape exactly. A register that is not rational, whose
/// exact value would be too large, that faults, or that was not computed for the current inputs,
/// has no value here (the interval evaluator then speaks for it).
#[derive(Clone, Debug)]
pub struct RationalEval {
    regs: Vec<Option<Rational>>,
    fresh: Freshness,
}

impl RationalEval {
    pub fn new(tape: &Tape) -> Self {
        RationalEval {
            regs: vec![None; tape.len()],
            fresh: Freshness::new(tape),
        }
    }

    fn set_inputs(&mut self, inputs: &[Rational]) {
        for (i, q) in inputs.iter().enumerate() {
            self.regs[i] = Some(q.clone());
            self.fresh.set_input(i);
        }
    }

    pub fn run(&mut self, tape: &Tape, inputs: &[Rational]) {
        self.set_inputs(inputs);
        for i in inputs.len()..tape.len() {
            self.regs[i] = self.value(tape, i);
            self.fresh.wrote(i);
        }
    }

    /// Sets the inputs and runs only the listed instructions (in increasing order; each must
    /// come after what it depends on is listed or is an input). Registers not listed have no
    /// value until computed again.
    pub fn run_selected(&mut self, tape: &Tape, inputs: &[Rational], list: &[Reg]) {
        self.set_inputs(inputs);
        for &i in list.iter().filter(|&&i| i >= inputs.len()) {
            self.regs[i] = self.value(tape, i);
            self.fresh.wrote(i);
        }
    }

    fn value(&self, tape: &Tape, i: Reg) -> Option<Rational> {
        if tape.is_rational(i) {
            self.step(tape.instrs[i].op, tape)
        } else {
            None
        }
    }

    fn step(&self, op: Op, tape: &Tape) -> Option<Rational> {
        let g = |a: Reg| self.get(a);
        let r = match op {
            Op::Input(_) => return None,
            Op::Const(k) => Ok(tape.consts[k].clone()),
            Op::Add(a, b) => exact::checked(Rational::from(g(a)? + g(b)?)),
            Op::Sub(a, b) => exact::checked(Rational::from(g(a)? - g(b)?)),
            Op::Mul(a, b) => exact::checked(Rational::from(g(a)? * g(b)?)),
            Op::Div(a, b) => exact::div(g(a)?, g(b)?),
            Op::Neg(a) => Ok(Rational::from(-g(a)?)),
            Op::PowInt(a, n) => exact::powi(g(a)?, n),
            Op::Floor(a) => Ok(g(a)?.clone().floor()),
            Op::Ceil(a) => Ok(g(a)?.clone().ceil()),
            Op::Abs(a) => Ok(g(a)?.clone().abs()),
            Op::Min(a, b) => Ok(g(a)?.min(g(b)?).clone()),
            Op::Max(a, b) => Ok(g(a)?.max(g(b)?).clone()),
            _ => return None,
        };
        r.ok()
    }

    pub fn get(&self, r: Reg) -> Option<&Rational> {
        if r >= self.regs.len() || !self.fresh.is_fresh(r) {
            return None;
        }
        self.regs[r].as_ref()
    }
}

/// Evaluates a tape in f64 (no guarantee; for simulation and sampling).
#[derive(Clone, Debug, Default)]
pub struct F64Eval {
    regs: Vec<f64>,
    consts: Vec<f64>,
}

impl F64Eval {
    pub fn new(tape: &Tape) -> Self {
        F64Eval {
            regs: vec![0.0; tape.len()],
            consts: tape.consts.iter().map(|q| q.to_f64()).collect(),
        }
    }

    pub fn run(&mut self, tape: &Tape, inputs: &[f64]) {
        self.run_range(tape, inputs, tape.len());
    }

    /// Sets the inputs and runs only the listed instructions (in increasing order).
    pub fn run_selected(&mut self, tape: &Tape, inputs: &[f64], list: &[Reg]) {
        self.regs[..inputs.len()].copy_from_slice(inputs);
        for &i in list {
            self.regs[i] = self.value_of(tape, i, inputs);
        }
    }

    /// Runs the instructions before `to` (the base part of a tape with derivatives appended).
    pub fn run_range(&mut self, tape: &Tape, inputs: &[f64], to: usize) {
        self.regs[..inputs.len()].copy_from_slice(inputs);
        for i in inputs.len()..to.min(tape.len()) {
            self.regs[i] = self.value_of(tape, i, inputs);
        }
    }

    /// The value of instruction `i` from the registers computed so far.
    #[inline]
    fn value_of(&self, tape: &Tape, i: Reg, inputs: &[f64]) -> f64 {
        let r = &self.regs;
        match tape.instrs[i].op {
            Op::Input(k) => inputs[k],
            Op::Const(k) => self.consts[k],
            Op::Add(a, b) => r[a] + r[b],
            Op::Sub(a, b) => r[a] - r[b],
            Op::Mul(a, b) => r[a] * r[b],
            Op::Div(a, b) => r[a] / r[b],
            Op::Neg(a) => -r[a],
            Op::PowInt(a, n) => r[a].powi(n.clamp(i32::MIN as i64, i32::MAX as i64) as i32),
            Op::Pow(a, b) => r[a].powf(r[b]),
            Op::Sqrt(a) => r[a].sqrt(),
            Op::Log(a) => r[a].ln(),
            Op::Exp(a) => r[a].exp(),
            Op::Floor(a) => r[a].floor(),
            Op::Ceil(a) => r[a].ceil(),
            Op::Abs(a) => r[a].abs(),
            Op::Sin(a) => super::trig::sin(r[a]),
            Op::Cos(a) => super::trig::cos(r[a]),
            Op::Min(a, b) => r[a].min(r[b]),
            Op::Max(a, b) => r[a].max(r[b]),
            Op::MinD(a, b, da, db) => {
                if r[a] <= r[b] {
                    r[da]
                } else {
                    r[db]
                }
            }
            Op::MaxD(a, b, da, db) => {
                if r[a] >= r[b] {
                    r[da]
                } else {
                    r[db]
                }
            }
            Op::AbsD(a, da) => {
                if r[a] >= 0.0 {
                    r[da]
                } else {
                    -r[da]
                }
            }
            Op::Undiff(_) => 0.0,
        }
    }

    pub fn get(&self, r: Reg) -> f64 {
        self.regs[r]
    }
}

/// The outcome of one comparison at a point.
#[derive(Clone, Debug)]
pub struct Decided {
    pub truth: Truth,
    /// True when decided by exact rational evaluation.
    pub exact: bool,
    /// The fault that left a side undefined, if any.
    pub fault: Option<Fault>,
}

/// Decides one comparison: exactly when both sides have exact rational values, else by the
/// three-valued interval comparison.
pub fn decide(c: &Comparison, ivs: &IntervalEval, exact: Option<&RationalEval>) -> Decided {
    if let Some(q) = exact
        && let (Some(a), Some(b)) = (q.get(c.lhs), q.get(c.rhs))
    {
        return Decided {
            truth: Truth::from_bool(c.op.holds(a, b)),
            exact: true,
            fault: None,
        };
    }
    match (ivs.get(c.lhs), ivs.get(c.rhs)) {
        (Ok(a), Ok(b)) => Decided {
            truth: a.compare(c.op, b),
            exact: false,
            fault: None,
        },
        (Err(f), _) | (_, Err(f)) => Decided {
            truth: Truth::Unknown,
            exact: false,
            fault: Some(f.clone()),
        },
    }
}

/// Decides a conjunction.
pub fn decide_all(p: &Predicate, ivs: &IntervalEval, exact: Option<&RationalEval>) -> Truth {
    p.parts
        .iter()
        .map(|c| decide(c, ivs, exact).truth)
        .fold(Truth::True, Truth::and)
}
