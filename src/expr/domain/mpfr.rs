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
//!
//! **Extended mode** ([`IntervalEval::new_extended`], [`IntervalEval::set_extended`]): the
//! registers are extended intervals, whose ends may be infinite (an input `t ∈ [10⁶, +∞]`), and
//! every instruction runs the operation of [`crate::arith::interval::extended`], which answers
//! infinite ends where the default one faults with overflow. Every other fault is the same.

use crate::arith::interval::extended as ext;
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
/// powers and trigonometric functions need (allocated once), in the default or the extended
/// mode.
#[derive(Clone, Debug)]
pub struct MpfrIntervals {
    prec: u32,
    scratch: Scratch,
    /// True in extended mode: the operations of [`crate::arith::interval::extended`].
    extended: bool,
}

impl MpfrIntervals {
    /// The default mode: an infinite end faults with [`ArithError::Overflow`].
    pub fn new(prec: u32) -> Self {
        MpfrIntervals {
            prec,
            scratch: Scratch::new(prec),
            extended: false,
        }
    }

    /// The extended mode: ends may be infinite.
    pub fn new_extended(prec: u32) -> Self {
        MpfrIntervals {
            extended: true,
            ..MpfrIntervals::new(prec)
        }
    }

    /// True in extended mode.
    pub fn is_extended(&self) -> bool {
        self.extended
    }
}

/// Calls the operation `$op` of the domain's mode: [`ext`]`::$op` in extended mode, else
/// [`iv`]`::$op`. The one test of the mode per instruction.
macro_rules! by_mode {
    ($self:ident, $op:ident($($arg:expr),*)) => {
        if $self.extended {
            ext::$op($($arg),*)
        } else {
            iv::$op($($arg),*)
        }
    };
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
        by_mode!(self, add(out, a, b))
    }
    fn sub(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        by_mode!(self, sub(out, a, b))
    }
    fn mul(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        by_mode!(self, mul(out, a, b, &mut self.scratch))
    }
    fn div(&mut self, out: &mut Interval, a: &Interval, b: &Interval, _: Divisor) -> Answer<Self> {
        by_mode!(self, div(out, a, b))
    }
    fn neg(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, neg(out, a))
    }
    fn powi(&mut self, out: &mut Interval, a: &Interval, n: i64) -> Answer<Self> {
        by_mode!(self, powi(out, a, n, &mut self.scratch))
    }
    fn pow(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        by_mode!(self, pow(out, a, b, &mut self.scratch))
    }
    fn sqrt(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, sqrt(out, a))
    }
    fn log(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, ln(out, a))
    }
    fn exp(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, exp(out, a))
    }
    fn floor(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, floor(out, a))
    }
    fn ceil(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, ceil(out, a))
    }
    fn abs(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, abs(out, a))
    }
    fn sin(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, sin(out, a, &mut self.scratch))
    }
    fn cos(&mut self, out: &mut Interval, a: &Interval) -> Answer<Self> {
        by_mode!(self, cos(out, a, &mut self.scratch))
    }
    fn min(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        by_mode!(self, min(out, a, b))
    }
    fn max(&mut self, out: &mut Interval, a: &Interval, b: &Interval) -> Answer<Self> {
        by_mode!(self, max(out, a, b))
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
            self.close_exact(out)
        } else if b.hi() <= a.lo() {
            out.assign(db);
            self.close_exact(out)
        } else {
            by_mode!(self, hull(out, da, db))
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
            self.close_exact(out)
        } else if b.lo() >= a.hi() {
            out.assign(db);
            self.close_exact(out)
        } else {
            by_mode!(self, hull(out, da, db))
        }
    }
    fn abs_d(&mut self, out: &mut Interval, a: &Interval, da: &Interval) -> Answer<Self> {
        by_mode!(self, abs_deriv(out, a, da))
    }
    /// No derivative usable in a mean-value argument: [`ArithError::NotDifferentiable`].
    fn undiff(&mut self, _: &mut Interval, _: &Interval) -> Answer<Self> {
        Err(ArithError::NotDifferentiable)
    }
}

impl MpfrIntervals {
    /// The closing check of an exact copy (a derivative helper's `out = da`): none in the
    /// default mode, [`ext::check`] in extended mode.
    #[inline]
    fn close_exact(&self, out: &Interval) -> Result<(), ArithError> {
        if self.extended {
            ext::check(out)
        } else {
            Ok(())
        }
    }
}

impl Eval<MpfrIntervals> {
    /// Allocates the registers and encloses the tape's literal constants once (default mode).
    pub fn new(tape: &Tape, prec: u32) -> Self {
        Eval::with_domain(tape, MpfrIntervals::new(prec))
    }

    /// As [`IntervalEval::new`], in extended mode: inputs and registers may have infinite
    /// ends, and the instructions answer them instead of faulting with overflow.
    pub fn new_extended(tape: &Tape, prec: u32) -> Self {
        Eval::with_domain(tape, MpfrIntervals::new_extended(prec))
    }

    pub fn prec(&self) -> u32 {
        self.domain().prec
    }

    /// True in extended mode.
    pub fn is_extended(&self) -> bool {
        self.domain().extended
    }

    /// Switches extended mode on or off, for the runs that follow (registers already computed
    /// keep their values: a default-mode value is an extended interval too, and an infinite end
    /// met in the default mode faults as an infinite input does).
    pub fn set_extended(&mut self, on: bool) {
        self.domain_mut().extended = on;
    }

    /// Sets input `k` to the tightest enclosure of `q`.
    pub fn set_input(&mut self, k: usize, q: &Rational) {
        self.input_mut(k).set_rational(q);
    }

    /// Sets input `k` to an interval (rounded outward to the working precision). In extended
    /// mode an interval that holds no real number (an end +∞ below or −∞ above) leaves the
    /// input faulty ([`ArithError::Overflow`]), which every instruction that reads it carries.
    pub fn set_input_interval(&mut self, k: usize, x: &Interval) {
        self.input_mut(k).assign(x);
        self.reject_improper(k);
    }

    /// Sets input `k` to `[lo, hi]` (rounded outward to the working precision; reversed bounds
    /// give the whole line, as [`Interval::set_bounds_round`] says). In extended mode the ends
    /// may be infinite (`[10⁶, +∞]`); bounds that hold no real number (`lo` = +∞ or
    /// `hi` = −∞) leave the input faulty with [`ArithError::Overflow`]. In the default mode the
    /// input is set as given, and the instructions that meet an infinite end fault.
    pub fn set_input_bounds(&mut self, k: usize, lo: &rug::Float, hi: &rug::Float) {
        self.input_mut(k).set_bounds_round(lo, hi);
        self.reject_improper(k);
    }

    /// In extended mode, marks input `k` faulty when it is not an extended interval.
    fn reject_improper(&mut self, k: usize) {
        if self.domain().extended
            && let Ok(x) = self.value(k)
            && let Err(e) = ext::check(x)
        {
            self.write(k, Err(Fault { error: e, at: k }));
        }
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
