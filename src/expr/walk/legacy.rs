//! The evaluators as they were before the walker, kept as test oracles: the walker's domains
//! must give the same values, faults and freshness answers (and the double-double evaluator
//! the same answers wherever its new freshness check does not speak).

#![allow(dead_code)]

use crate::arith::dd::DdInterval;
use crate::arith::{ArithError, Interval, Scratch, exact, interval as iv};
use crate::expr::Fault;
use crate::expr::dd_eval::{CertainFault, DdMiss};
use crate::expr::fresh::Freshness;
use crate::expr::tape::{Op, Reg, Tape};
use crate::expr::trig;
use rug::Rational;

/// Evaluates a tape over intervals at a fixed precision. Registers are allocated once; running
/// at a new point reuses them, so evaluation allocates nothing.
#[derive(Clone, Debug)]
pub struct OldInterval {
    prec: u32,
    regs: Vec<Interval>,
    faults: Vec<Option<Fault>>,
    out: Interval,
    scratch: Scratch,
    fresh: Freshness,
    /// What a read of a stale register answers.
    stale: Fault,
}

impl OldInterval {
    /// Allocates the registers and encloses the tape's literal constants once.
    pub fn new(tape: &Tape, prec: u32) -> Self {
        let mut regs = vec![Interval::zero(prec); tape.len()];
        for (i, ins) in tape.instrs.iter().enumerate() {
            if let Op::Const(k) = ins.op {
                regs[i].set_rational(&tape.consts[k]);
            }
        }
        OldInterval {
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
        self.regs[k].set_bounds_round(lo, hi);
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
                    if r[a].hi() <= r[b].lo() {
                        out.assign(&r[da]);
                        Ok(())
                    } else if r[b].hi() <= r[a].lo() {
                        out.assign(&r[db]);
                        Ok(())
                    } else {
                        iv::hull(out, &r[da], &r[db])
                    }
                }
                Op::MaxD(a, b, da, db) => {
                    if r[a].lo() >= r[b].hi() {
                        out.assign(&r[da]);
                        Ok(())
                    } else if r[b].lo() >= r[a].hi() {
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
pub struct OldRational {
    regs: Vec<Option<Rational>>,
    fresh: Freshness,
}

impl OldRational {
    pub fn new(tape: &Tape) -> Self {
        OldRational {
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
#[derive(Clone, Debug)]
pub struct OldF64 {
    regs: Vec<f64>,
    consts: Vec<f64>,
}

impl OldF64 {
    pub fn new(tape: &Tape) -> Self {
        OldF64 {
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
            Op::Sin(a) => crate::expr::trig::sin(r[a]),
            Op::Cos(a) => crate::expr::trig::cos(r[a]),
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

type DdValue = Result<DdInterval, DdMiss>;

#[derive(Clone, Debug)]
pub struct OldDd {
    /// Logarithms, exponentials and real powers with double-double accuracy (slower) instead
    /// of f64 accuracy.
    pub accurate: bool,
    regs: Vec<DdValue>,
    /// Per register: the run in which it was last written (0: set from outside).
    written: Vec<u64>,
    /// Per register: its reciprocal, and the `written` stamp it was computed for. A divisor
    /// that was not recomputed in the current run (a quantity of the outer grid point divided
    /// into each inner row) is inverted once and then multiplied by.
    recips: Vec<Option<(u64, DdInterval)>>,
    run: u64,
}

impl OldDd {
    /// Encloses the tape's literal constants once; every other register starts unknown.
    pub fn new(tape: &Tape) -> Self {
        let regs = tape
            .instrs
            .iter()
            .map(|ins| match ins.op {
                Op::Const(k) => {
                    DdInterval::from_rational(&tape.consts[k]).ok_or(DdMiss::Unsupported)
                }
                _ => Err(DdMiss::Unsupported),
            })
            .collect();
        let n = tape.len();
        OldDd {
            accurate: false,
            regs,
            written: vec![0; n],
            recips: vec![None; n],
            run: 1,
        }
    }

    /// Sets register `r` (an input, or a value computed elsewhere); `None` marks it unknown.
    pub fn set(&mut self, r: Reg, v: Option<DdInterval>) {
        self.regs[r] = v.ok_or(DdMiss::Unsupported);
        self.stamp(r);
    }

    /// Sets register `r` to a certain fault.
    pub fn set_fault(&mut self, r: Reg, fault: CertainFault) {
        self.regs[r] = Err(DdMiss::Fault(fault));
        self.stamp(r);
    }

    fn stamp(&mut self, r: Reg) {
        self.run += 1;
        self.written[r] = self.run;
    }

    pub fn get(&self, r: Reg) -> Result<&DdInterval, &DdMiss> {
        self.regs[r].as_ref()
    }

    /// Runs the listed instructions, in increasing order (inputs and constants keep the values
    /// they were given).
    pub fn run_selected(&mut self, tape: &Tape, list: &[Reg]) {
        self.run += 1;
        for &i in list {
            let op = tape.instrs[i].op;
            if !matches!(op, Op::Input(_) | Op::Const(_)) {
                self.regs[i] = self.value_of(op);
                self.written[i] = self.run;
            }
        }
    }

    /// x/y, through y's cached reciprocal when y was not written in this run.
    fn divide(&mut self, x: DdInterval, b: Reg, y: DdInterval) -> Option<DdInterval> {
        if self.written[b] == self.run {
            return x.try_div(y);
        }
        let stamp = self.written[b];
        let inv = match self.recips[b] {
            Some((s, inv)) if s == stamp => inv,
            _ => {
                let inv = y.recip()?;
                self.recips[b] = Some((stamp, inv));
                inv
            }
        };
        x.try_mul(inv)
    }

    fn value_of(&mut self, op: Op) -> DdValue {
        // Operands are read left to right and the first that is not an enclosure decides: a
        // fault is then the first operand's fault, as in the MPFR evaluator, and an unsupported
        // operand (which MPFR might define, or find faulty) makes the result unsupported.
        let r = |a: Reg| self.regs[a];
        let unsupported = |v: Option<DdInterval>| v.ok_or(DdMiss::Unsupported);
        let certain = |f: CertainFault| Err(DdMiss::Fault(f));
        match op {
            Op::Input(_) | Op::Const(_) => Err(DdMiss::Unsupported),
            Op::Add(a, b) => unsupported(r(a)?.try_add(r(b)?)),
            Op::Sub(a, b) => unsupported(r(a)?.try_sub(r(b)?)),
            Op::Mul(a, b) if a == b => unsupported(r(a)?.sqr()),
            Op::Mul(a, b) => unsupported(r(a)?.try_mul(r(b)?)),
            Op::Div(a, b) => {
                let (x, y) = (r(a)?, r(b)?);
                if y.is_zero() {
                    certain(CertainFault::DivisionByZero)
                } else {
                    unsupported(self.divide(x, b, y))
                }
            }
            Op::Neg(a) => Ok(-r(a)?),
            Op::PowInt(a, n) => unsupported(r(a)?.powi(n)),
            Op::Sqrt(a) => {
                let x = r(a)?;
                if x.is_negative() {
                    certain(CertainFault::SqrtOfNegative)
                } else {
                    unsupported(x.sqrt())
                }
            }
            Op::Log(a) => {
                let x = r(a)?;
                if x.is_nonpositive() {
                    certain(CertainFault::LogOfNonPositive)
                } else if self.accurate {
                    unsupported(x.ln_accurate())
                } else {
                    unsupported(x.ln())
                }
            }
            Op::Floor(a) => unsupported(r(a)?.floor()),
            Op::Ceil(a) => unsupported(r(a)?.ceil()),
            Op::Abs(a) => Ok(r(a)?.abs()),
            Op::Min(a, b) => Ok(r(a)?.min(r(b)?)),
            Op::Max(a, b) => Ok(r(a)?.max(r(b)?)),
            Op::Exp(a) if self.accurate => unsupported(r(a)?.exp_accurate()),
            Op::Exp(a) => unsupported(r(a)?.exp()),
            // a^b = e^(b·ln a) for a > 0; elsewhere the MPFR evaluator decides the domain
            Op::Pow(a, b) => {
                let (x, y) = (r(a)?, r(b)?);
                if x.lo().hi > 0.0 && self.accurate {
                    unsupported(
                        x.ln_accurate()
                            .and_then(|l| l.try_mul(y))
                            .and_then(|v| v.exp_accurate()),
                    )
                } else if x.lo().hi > 0.0 {
                    unsupported(x.ln().and_then(|l| l.try_mul(y)).and_then(|v| v.exp()))
                } else {
                    Err(DdMiss::Unsupported)
                }
            }
            Op::Sin(_)
            | Op::Cos(_)
            | Op::MinD(..)
            | Op::MaxD(..)
            | Op::AbsD(..)
            | Op::Undiff(_) => Err(DdMiss::Unsupported),
        }
    }
}
/// Registers for `B` lanes; constants are broadcast once, at construction.
#[derive(Clone, Debug)]
pub struct OldLanes<const B: usize> {
    regs: Vec<[f64; B]>,
}

impl<const B: usize> OldLanes<B> {
    pub fn new(tape: &Tape) -> Self {
        let mut regs = vec![[0.0; B]; tape.len()];
        for (i, ins) in tape.instrs.iter().enumerate() {
            if let Op::Const(k) = ins.op {
                regs[i] = [tape.consts[k].to_f64(); B];
            }
        }
        OldLanes { regs }
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
