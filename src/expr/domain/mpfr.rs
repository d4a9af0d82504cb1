//! MPFR intervals ([`crate::arith::interval`]): the certified domain everything else falls back
//! to. Every operation rounds its lower end down and its upper end up at the evaluator's
//! precision, so a register encloses the instruction's value at every point of its inputs'
//! enclosures. Every instruction is covered.
//!
//! Faults: an operation that is undefined somewhere on its operands (a divisor that may be 0, a
//! square root's argument that may be negative, …) faults with the [`ArithError`] saying so and
//! whether it holds at every point (`certain`); overflow faults; the derivative of floor or
//! ceil of a varying argument ([`Op::Undiff`](crate::expr::Op::Undiff)) is
//! [`ArithError::NotDifferentiable`]. A stale operand, or a read of a stale register, is
//! [`ArithError::NotComputed`], which leaves every verdict that needs it open.

use crate::arith::{ArithError, Interval, Scratch, interval as iv};
use crate::expr::tape::{Reg, Tape};
use crate::expr::walk::{Answer, Divisor, Domain, Eval};
use rug::Rational;

/// A fault and the instruction where it arose.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub error: ArithError,
    pub at: Reg,
}

/// The MPFR interval domain at a fixed precision, with the scratch space its multiplications,
/// powers and trigonometric functions need (allocated once).
#[derive(Clone, Debug)]
pub struct MpfrIntervals {
    prec: u32,
    scratch: Scratch,
}

impl MpfrIntervals {
    pub fn new(prec: u32) -> Self {
        MpfrIntervals {
            prec,
            scratch: Scratch::new(prec),
        }
    }
}

/// Evaluates a tape over intervals at a fixed precision. Registers are allocated once; running
/// at a new point reuses them, so evaluation allocates nothing.
pub type IntervalEval = Eval<MpfrIntervals>;

impl Domain for MpfrIntervals {
    type Value = Interval;
    type Error = ArithError;
    type Fault = Fault;
    const CHECKED: bool = true;

    fn blank(&self) -> Interval {
        Interval::zero(self.prec)
    }
    /// The tightest enclosure of `q`.
    fn constant(&mut self, out: &mut Interval, q: &Rational) -> Result<(), ArithError> {
        out.set_rational(q);
        Ok(())
    }
    fn fault(&self, error: ArithError, at: Reg) -> Fault {
        Fault { error, at }
    }
    fn stale(&self, at: Reg) -> Fault {
        Fault {
            error: ArithError::NotComputed,
            at,
        }
    }
    /// Every instruction is covered; were one not, it would read as not computed (an open
    /// verdict, never a wrong one).
    fn unsupported(&self) -> ArithError {
        ArithError::NotComputed
    }

    fn add(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        iv::add(out, a, b)
    }
    fn sub(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        iv::sub(out, a, b)
    }
    fn mul(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        iv::mul(out, a, b, &mut self.scratch)
    }
    fn div(&mut self, out: &mut Interval, a: &Interval, b: &Interval, _: Divisor) -> Answer<Self> {
        iv::div(out, a, b)
    }
    fn neg(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::neg(out, a)
    }
    fn powi(&mut self, out: &mut Interval, a: &Interval, n: i64) -> Answer<Self> {
        iv::powi(out, a, n, &mut self.scratch)
    }
    fn pow(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        iv::pow(out, a, b, &mut self.scratch)
    }
    fn sqrt(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::sqrt(out, a)
    }
    fn log(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::ln(out, a)
    }
    fn exp(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::exp(out, a)
    }
    fn floor(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::floor(out, a)
    }
    fn ceil(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::ceil(out, a)
    }
    fn abs(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::abs(out, a)
    }
    fn sin(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::sin(out, a, &mut self.scratch)
    }
    fn cos(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        iv::cos(out, a, &mut self.scratch)
    }
    fn min(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        iv::min(out, a, b)
    }
    fn max(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        iv::max(out, a, b)
    }
    /// `da` where `a ≤ b` on the whole enclosure, `db` where `b ≤ a`, else the hull of both
    /// (the generalized gradient).
    fn min_d(
        &mut self,
        out: &mut Interval,
        a: &Interval,
        b: &Interval,
        da: &Interval,
        db: &Interval,
    ) -> Answer<Self> {
        if a.hi() <= b.lo() {
            out.assign(da);
            Ok(())
        } else if b.hi() <= a.lo() {
            out.assign(db);
            Ok(())
        } else {
            iv::hull(out, da, db)
        }
    }
    /// As [`MpfrIntervals::min_d`], with the order reversed.
    fn max_d(
        &mut self,
        out: &mut Interval,
        a: &Interval,
        b: &Interval,
        da: &Interval,
        db: &Interval,
    ) -> Answer<Self> {
        if a.lo() >= b.hi() {
            out.assign(da);
            Ok(())
        } else if b.lo() >= a.hi() {
            out.assign(db);
            Ok(())
        } else {
            iv::hull(out, da, db)
        }
    }
    fn abs_d(&mut self, out: &mut Interval, a: &Interval, da: &Interval) -> Answer<Self> {
        iv::abs_deriv(out, a, da)
    }
    /// No derivative usable in a mean-value argument: [`ArithError::NotDifferentiable`].
    fn undiff(&mut self, _: &mut Interval, _: &Interval) -> Answer<Self> {
        Err(ArithError::NotDifferentiable)
    }
}

impl Eval<MpfrIntervals> {
    /// Allocates the registers and encloses the tape's literal constants once.
    pub fn new(tape: &Tape, prec: u32) -> Self {
        Eval::with_domain(tape, MpfrIntervals::new(prec))
    }

    pub fn prec(&self) -> u32 {
        self.domain().prec
    }

    /// Sets input `k` to the tightest enclosure of `q`.
    pub fn set_input(&mut self, k: usize, q: &Rational) {
        self.input_mut(k).set_rational(q);
    }

    /// Sets input `k` to an interval (rounded outward to the working precision).
    pub fn set_input_interval(&mut self, k: usize, x: &Interval) {
        self.input_mut(k).assign(x);
    }

    /// Sets input `k` to `[lo, hi]` (rounded outward to the working precision; reversed bounds
    /// give the whole line, as [`Interval::set_bounds_round`] says).
    pub fn set_input_bounds(&mut self, k: usize, lo: &rug::Float, hi: &rug::Float) {
        self.input_mut(k).set_bounds_round(lo, hi);
    }

    /// Runs every instruction after the inputs.
    pub fn run(&mut self, tape: &Tape) {
        self.walk(tape);
    }

    /// Runs instructions `from..to` (inputs in that range are left as set). Lets a caller run
    /// the base part of a tape and the derivative part appended to it separately.
    pub fn run_range(&mut self, tape: &Tape, from: usize, to: usize) {
        self.walk_range(tape, from, to);
    }

    /// Runs only the listed instructions (in increasing order; inputs are left as set). A
    /// caller that needs a few registers of a large tape lists what they depend on.
    pub fn run_selected(&mut self, tape: &Tape, list: &[Reg]) {
        self.walk_selected(tape, list);
    }

    /// The enclosure in register `r`, or the fault that made it undefined.
    pub fn get(&self, r: Reg) -> Result<&Interval, &Fault> {
        self.value(r)
    }
}
