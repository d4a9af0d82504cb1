//! The one tape walker. An instruction of a [`Tape`] is interpreted here, once, for every number
//! type: a [`Domain`] supplies the value type, its fault type and one method per instruction;
//! [`Eval`] owns the registers, walks a whole tape, a range of it or a slice of it
//! ([`Eval::walk_selected`], with lists from [`Tape::slice`]), and does the bookkeeping that
//! is the same for every number type:
//!
//! - **Faults.** Evaluation never stops at a fault: an instruction that faults (division by
//!   zero, the logarithm of a non-positive number, an instruction the domain does not cover)
//!   marks its register with the fault, and an instruction with a faulty operand carries the
//!   fault of its first faulty operand (in the order of [`Op::operands`]), so that one undefined
//!   quantity does not hide the others and the fault says where it arose.
//! - **Freshness.** A register is never read in a run before it was written for the current
//!   inputs ([`Freshness`]): an instruction with an operand that is stale (not recomputed since
//!   an input it depends on was set) answers the domain's stale fault, and so does a read of a
//!   stale register through [`Eval::value`].
//! - **Stamps**, for domains that cache something per register ([`Domain::STAMPED`]): every
//!   run, and every write from outside, has a stamp of its own, and a division is told when
//!   its divisor was written ([`Divisor`]).
//!
//! Domains without faults ([`Domain::CHECKED`] false: plain f64, f64 lanes) compile all of this
//! away: their walk is the instruction dispatch and nothing else.
//!
//! Results are written into the output register in place (operands are always earlier
//! registers), so that a run allocates nothing for values that do not allocate themselves.

use super::fresh::Freshness;
use super::tape::{Op, Reg, Tape};
use rug::Rational;
use std::fmt::Debug;

/// What a division is told about its divisor, for domains that cache per register (the
/// double-double domain inverts a divisor once when it did not change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Divisor {
    /// The divisor's register.
    pub reg: Reg,
    /// When the divisor was last written: the stamp of a run, or of a write from outside
    /// ([`Eval::write`], [`Eval::input_mut`]); 0 when never written (constants). Always 0 in
    /// domains that are not [`Domain::STAMPED`].
    pub stamp: u64,
    /// True when the divisor was written in the current run (always true in domains that are
    /// not [`Domain::STAMPED`]).
    pub this_run: bool,
}

/// A number type the walker runs a tape over. Each method computes one instruction into `out`
/// (never one of the operands); in a checked domain its operands are defined and fresh (the
/// walker has dealt with faulty and stale operands before calling it). A method the domain
/// does not implement answers [`Domain::unsupported`]. A new number type is one implementation
/// of this trait and a few inherent methods on `Eval<ItsDomain>` (how inputs are set, what a
/// read returns).
pub trait Domain: Clone + Debug {
    /// The value of a register.
    type Value: Clone + Debug;
    /// What a method answers when the instruction has no value in this domain.
    type Error;
    /// What a register that has no value holds instead (an error and, for domains that say,
    /// where it arose).
    type Fault: Clone + Debug;
    /// True when the walker tracks faults and freshness. False only for domains whose methods
    /// never fail (plain f64): their walk then does no bookkeeping at all.
    const CHECKED: bool;
    /// True when the walker stamps runs and writes for [`Divisor`].
    const STAMPED: bool = false;

    /// The value registers start with (before they are first written).
    fn blank(&self) -> Self::Value;
    /// `out =` the literal `q`, set once, when the evaluator is made.
    fn constant(&mut self, out: &mut Self::Value, q: &Rational) -> Result<(), Self::Error>;
    /// The fault of register `at`, whose instruction answered `error`.
    fn fault(&self, error: Self::Error, at: Reg) -> Self::Fault;
    /// The fault of instruction `at` when an operand is stale; a read of a stale register
    /// through [`Eval::value`] answers `stale(0)`.
    fn stale(&self, at: Reg) -> Self::Fault;
    /// The answer of an instruction this domain does not compute.
    fn unsupported(&self) -> Self::Error;
    /// False for an instruction this domain never computes, whatever its operands: it then
    /// answers [`Domain::unsupported`] without its operands' faults being looked at.
    fn computes(&self, op: Op) -> bool {
        let _ = op;
        true
    }

    fn add(&mut self, out: &mut Self::Value, a: &Self::Value, b: &Self::Value) -> Answer<Self> {
        let _ = (out, a, b);
        Err(self.unsupported())
    }
    fn sub(&mut self, out: &mut Self::Value, a: &Self::Value, b: &Self::Value) -> Answer<Self> {
        let _ = (out, a, b);
        Err(self.unsupported())
    }
    fn mul(&mut self, out: &mut Self::Value, a: &Self::Value, b: &Self::Value) -> Answer<Self> {
        let _ = (out, a, b);
        Err(self.unsupported())
    }
    /// `a · a`, for a product of a register with itself; by default [`Domain::mul`].
    fn sqr(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        self.mul(out, a, a)
    }
    fn div(
        &mut self,
        out: &mut Self::Value,
        a: &Self::Value,
        b: &Self::Value,
        divisor: Divisor,
    ) -> Answer<Self> {
        let _ = (out, a, b, divisor);
        Err(self.unsupported())
    }
    fn neg(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    /// `a^n` for a literal integer `n`.
    fn powi(&mut self, out: &mut Self::Value, a: &Self::Value, n: i64) -> Answer<Self> {
        let _ = (out, a, n);
        Err(self.unsupported())
    }
    /// `a^b` for a real exponent.
    fn pow(&mut self, out: &mut Self::Value, a: &Self::Value, b: &Self::Value) -> Answer<Self> {
        let _ = (out, a, b);
        Err(self.unsupported())
    }
    fn sqrt(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    /// The natural logarithm.
    fn log(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn exp(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn floor(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn ceil(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn abs(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn sin(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn cos(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
    fn min(&mut self, out: &mut Self::Value, a: &Self::Value, b: &Self::Value) -> Answer<Self> {
        let _ = (out, a, b);
        Err(self.unsupported())
    }
    fn max(&mut self, out: &mut Self::Value, a: &Self::Value, b: &Self::Value) -> Answer<Self> {
        let _ = (out, a, b);
        Err(self.unsupported())
    }
    /// The derivative of `min(a, b)` given the derivatives `da`, `db` ([`Op::MinD`]).
    fn min_d(
        &mut self,
        out: &mut Self::Value,
        a: &Self::Value,
        b: &Self::Value,
        da: &Self::Value,
        db: &Self::Value,
    ) -> Answer<Self> {
        let _ = (out, a, b, da, db);
        Err(self.unsupported())
    }
    /// The derivative of `max(a, b)` ([`Op::MaxD`]).
    fn max_d(
        &mut self,
        out: &mut Self::Value,
        a: &Self::Value,
        b: &Self::Value,
        da: &Self::Value,
        db: &Self::Value,
    ) -> Answer<Self> {
        let _ = (out, a, b, da, db);
        Err(self.unsupported())
    }
    /// The derivative of `|a|` given the derivative `da` ([`Op::AbsD`]).
    fn abs_d(&mut self, out: &mut Self::Value, a: &Self::Value, da: &Self::Value) -> Answer<Self> {
        let _ = (out, a, da);
        Err(self.unsupported())
    }
    /// The derivative of floor or ceil of a varying argument ([`Op::Undiff`]).
    fn undiff(&mut self, out: &mut Self::Value, a: &Self::Value) -> Answer<Self> {
        let _ = (out, a);
        Err(self.unsupported())
    }
}

/// What a [`Domain`] method answers: `out` was written, or why the instruction has no value.
pub type Answer<D> = Result<(), <D as Domain>::Error>;

/// The registers of one tape in domain `D`, and the walker over them. Register `i` holds
/// instruction `i`'s value; inputs are set by the caller ([`Eval::input_mut`],
/// [`Eval::write`]), constants once, when the evaluator is made.
#[derive(Clone, Debug)]
pub struct Eval<D: Domain> {
    dom: D,
    regs: Vec<D::Value>,
    /// Per register, when [`Domain::CHECKED`]: the fault that leaves it without a value.
    faults: Vec<Option<D::Fault>>,
    /// When [`Domain::CHECKED`]: which registers hold values for the current inputs.
    fresh: Freshness,
    /// What a read of a stale register answers.
    stale: D::Fault,
    /// Per register, when [`Domain::STAMPED`]: the stamp of the run or outside write that
    /// last wrote it (0: never).
    stamps: Vec<u64>,
    /// The current stamp: advanced by every run and every outside write.
    stamp: u64,
    n_inputs: usize,
}

impl<D: Domain> Eval<D> {
    /// Registers for `tape` in domain `dom`: the literal constants set (a constant the domain
    /// cannot represent holds its fault), every other register blank and, for a checked
    /// domain, stale until written.
    pub fn with_domain(tape: &Tape, mut dom: D) -> Self {
        let n = tape.len();
        let mut regs = vec![dom.blank(); n];
        let mut faults = if D::CHECKED {
            vec![None; n]
        } else {
            Vec::new()
        };
        for (i, ins) in tape.instrs.iter().enumerate() {
            if let Op::Const(k) = ins.op
                && let Err(e) = dom.constant(&mut regs[i], &tape.consts[k])
                && D::CHECKED
            {
                faults[i] = Some(dom.fault(e, i));
            }
        }
        let fresh = if D::CHECKED {
            Freshness::new(tape)
        } else {
            Freshness::default()
        };
        let stale = dom.stale(0);
        Eval {
            dom,
            regs,
            faults,
            fresh,
            stale,
            stamps: if D::STAMPED { vec![0; n] } else { Vec::new() },
            stamp: 1,
            n_inputs: tape.inputs.len(),
        }
    }

    /// The number of registers.
    pub fn len(&self) -> usize {
        self.regs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.regs.is_empty()
    }

    /// The domain (its settings and caches).
    pub fn domain(&self) -> &D {
        &self.dom
    }
    pub fn domain_mut(&mut self) -> &mut D {
        &mut self.dom
    }

    /// Register `r`'s value, or the fault that leaves it without one: its own, or the stale
    /// fault when it was not computed for the current inputs. In an unchecked domain, the
    /// value whatever it is.
    #[inline(always)]
    pub fn value(&self, r: Reg) -> Result<&D::Value, &D::Fault> {
        if D::CHECKED {
            if !self.fresh.is_fresh(r) {
                return Err(&self.stale);
            }
            if let Some(f) = &self.faults[r] {
                return Err(f);
            }
        }
        Ok(&self.regs[r])
    }

    /// Register `r` as it is, fresh or not, faulty or not: for unchecked domains, whose
    /// registers always hold a value.
    #[inline(always)]
    pub fn raw(&self, r: Reg) -> &D::Value {
        &self.regs[r]
    }

    /// Input `k` (register `k`), to be given a new value: its fault is cleared, and every
    /// register that depends on it is stale until computed again.
    #[inline(always)]
    pub fn input_mut(&mut self, k: usize) -> &mut D::Value {
        if D::CHECKED {
            self.faults[k] = None;
            self.fresh.set_input(k);
        }
        self.restamp(k);
        &mut self.regs[k]
    }

    /// Writes register `r` from outside: an input (as [`Eval::input_mut`]), or a register
    /// whose value for the current inputs was computed elsewhere (it counts as fresh).
    pub fn write(&mut self, r: Reg, v: Result<D::Value, D::Fault>) {
        if D::CHECKED {
            if r < self.n_inputs {
                self.fresh.set_input(r);
            } else {
                self.fresh.wrote(r);
            }
        }
        self.restamp(r);
        match v {
            Ok(x) => {
                self.regs[r] = x;
                if D::CHECKED {
                    self.faults[r] = None;
                }
            }
            Err(f) => {
                if D::CHECKED {
                    self.faults[r] = Some(f);
                }
            }
        }
    }

    #[inline(always)]
    fn restamp(&mut self, r: Reg) {
        if D::STAMPED {
            self.stamp += 1;
            self.stamps[r] = self.stamp;
        }
    }

    #[inline(always)]
    fn begin_run(&mut self) {
        if D::STAMPED {
            self.stamp += 1;
        }
    }

    /// Runs every instruction after the inputs.
    pub fn walk(&mut self, tape: &Tape) {
        self.walk_range(tape, 0, tape.len());
    }

    /// Runs instructions `from..to` (inputs in that range are left as set), as one run.
    pub fn walk_range(&mut self, tape: &Tape, from: usize, to: usize) {
        self.begin_run();
        for i in from.max(self.n_inputs)..to.min(tape.len()) {
            self.step(tape, i);
        }
    }

    /// Runs the listed instructions, in the order given (increasing, each after what it
    /// depends on: [`Tape::slice`]), as one run. Inputs and constants in the list are left as
    /// they are.
    #[inline(always)]
    pub fn walk_selected(&mut self, tape: &Tape, list: &[Reg]) {
        self.begin_run();
        for &i in list {
            self.step(tape, i);
        }
    }

    /// The fault instruction `i` takes before it is computed, if any: the stale fault when an
    /// operand is stale, the domain's unsupported answer when it never computes `op`, else the
    /// first faulty operand's fault.
    #[inline(always)]
    fn operand_fault(&self, op: Op, i: Reg) -> Option<D::Fault> {
        if op.operands().any(|a| !self.fresh.is_fresh(a)) {
            return Some(self.dom.stale(i));
        }
        if !self.dom.computes(op) {
            return Some(self.dom.fault(self.dom.unsupported(), i));
        }
        op.operands().find_map(|a| self.faults[a].clone())
    }

    /// Runs instruction `i`.
    #[inline(always)]
    fn step(&mut self, tape: &Tape, i: Reg) {
        let op = tape.instrs[i].op;
        if let Op::Input(_) | Op::Const(_) = op {
            // inputs are set by the caller; constants were set when the evaluator was made
            return;
        }
        if D::STAMPED {
            self.stamps[i] = self.stamp;
        }
        if D::CHECKED {
            self.fresh.wrote(i);
            if let Some(f) = self.operand_fault(op, i) {
                self.faults[i] = Some(f);
                return;
            }
        }
        let (done, rest) = self.regs.split_at_mut(i);
        let out = &mut rest[0];
        let r = &*done;
        let d = &mut self.dom;
        let answer = match op {
            Op::Input(_) | Op::Const(_) => Ok(()),
            Op::Add(a, b) => d.add(out, &r[a], &r[b]),
            Op::Sub(a, b) => d.sub(out, &r[a], &r[b]),
            Op::Mul(a, b) if a == b => d.sqr(out, &r[a]),
            Op::Mul(a, b) => d.mul(out, &r[a], &r[b]),
            Op::Div(a, b) => {
                let divisor = if D::STAMPED {
                    Divisor {
                        reg: b,
                        stamp: self.stamps[b],
                        this_run: self.stamps[b] == self.stamp,
                    }
                } else {
                    Divisor {
                        reg: b,
                        stamp: 0,
                        this_run: true,
                    }
                };
                d.div(out, &r[a], &r[b], divisor)
            }
            Op::Neg(a) => d.neg(out, &r[a]),
            Op::PowInt(a, n) => d.powi(out, &r[a], n),
            Op::Pow(a, b) => d.pow(out, &r[a], &r[b]),
            Op::Sqrt(a) => d.sqrt(out, &r[a]),
            Op::Log(a) => d.log(out, &r[a]),
            Op::Exp(a) => d.exp(out, &r[a]),
            Op::Floor(a) => d.floor(out, &r[a]),
            Op::Ceil(a) => d.ceil(out, &r[a]),
            Op::Abs(a) => d.abs(out, &r[a]),
            Op::Sin(a) => d.sin(out, &r[a]),
            Op::Cos(a) => d.cos(out, &r[a]),
            Op::Min(a, b) => d.min(out, &r[a], &r[b]),
            Op::Max(a, b) => d.max(out, &r[a], &r[b]),
            Op::MinD(a, b, da, db) => d.min_d(out, &r[a], &r[b], &r[da], &r[db]),
            Op::MaxD(a, b, da, db) => d.max_d(out, &r[a], &r[b], &r[da], &r[db]),
            Op::AbsD(a, da) => d.abs_d(out, &r[a], &r[da]),
            Op::Undiff(a) => d.undiff(out, &r[a]),
        };
        if D::CHECKED {
            self.faults[i] = match answer {
                Ok(()) => None,
                Err(e) => Some(self.dom.fault(e, i)),
            };
        }
    }
}

#[cfg(test)]
mod tests;
