//! Exact rationals ([`crate::arith::exact`]), for the rational registers of a tape: + − × ÷,
//! integer powers, floor, ceil, abs, min and max, with no rounding at all. Exact values decide
//! comparisons on their boundary (η = 1/(2L) exactly "fails", not "undecided").
//!
//! Faults: a register has no exact value ([`NoExact`]) when its instruction is not rational
//! (real powers, roots, logarithms, exponentials, trigonometric functions, derivative
//! operations) or depends on one that is not, when its value would be too large
//! ([`crate::arith::exact::MAX_EXACT_BITS`]), when it is undefined (division by zero), or when
//! it was not computed for the current inputs. The interval evaluator then speaks for it.

use crate::arith::{ArithError, exact};
use crate::expr::tape::{Reg, Tape};
use crate::expr::walk::{Answer, Divisor, Domain, Eval};
use rug::Rational;

/// Why a register has no exact value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoExact {
    /// Not a rational operation of rational operands.
    NotRational,
    /// Larger than [`exact::MAX_EXACT_BITS`].
    TooLarge,
    /// Undefined (division by zero).
    Undefined,
    /// Not computed for the current inputs.
    Stale,
}

impl From<ArithError> for NoExact {
    fn from(e: ArithError) -> NoExact {
        match e {
            ArithError::TooLarge(_) => NoExact::TooLarge,
            _ => NoExact::Undefined,
        }
    }
}

/// The exact rational domain.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExactRationals;

/// Evaluates the rational registers of a tape exactly. A register that is not rational, whose
/// exact value would be too large, that faults, or that was not computed for the current inputs,
/// has no value here (the interval evaluator then speaks for it).
pub type RationalEval = Eval<ExactRationals>;

impl Domain for ExactRationals {
    type Value = Rational;
    type Error = NoExact;
    type Fault = NoExact;
    const CHECKED: bool = true;

    fn blank(&self) -> Rational {
        Rational::new()
    }
    fn constant(&mut self, out: &mut Rational, q: &Rational) -> Result<(), NoExact> {
        out.clone_from(q);
        Ok(())
    }
    fn fault(&self, error: NoExact, _: Reg) -> NoExact {
        error
    }
    fn stale(&self, _: Reg) -> NoExact {
        NoExact::Stale
    }
    fn unsupported(&self) -> NoExact {
        NoExact::NotRational
    }

    fn add(&mut self, out: &mut Rational, a: &Rational, b: &Rational) -> Answer<Self> {
        *out = exact::checked(Rational::from(a + b))?;
        Ok(())
    }
    fn sub(&mut self, out: &mut Rational, a: &Rational, b: &Rational) -> Answer<Self> {
        *out = exact::checked(Rational::from(a - b))?;
        Ok(())
    }
    fn mul(&mut self, out: &mut Rational, a: &Rational, b: &Rational) -> Answer<Self> {
        *out = exact::checked(Rational::from(a * b))?;
        Ok(())
    }
    fn div(&mut self, out: &mut Rational, a: &Rational, b: &Rational, _: Divisor) -> Answer<Self> {
        *out = exact::div(a, b)?;
        Ok(())
    }
    fn neg(&mut self, out: &mut Rational, a: &Rational) -> Answer<Self> {
        *out = Rational::from(-a);
        Ok(())
    }
    fn powi(&mut self, out: &mut Rational, a: &Rational, n: i64) -> Answer<Self> {
        *out = exact::powi(a, n)?;
        Ok(())
    }
    fn floor(&mut self, out: &mut Rational, a: &Rational) -> Answer<Self> {
        out.clone_from(a);
        out.floor_mut();
        Ok(())
    }
    fn ceil(&mut self, out: &mut Rational, a: &Rational) -> Answer<Self> {
        out.clone_from(a);
        out.ceil_mut();
        Ok(())
    }
    fn abs(&mut self, out: &mut Rational, a: &Rational) -> Answer<Self> {
        out.clone_from(a);
        out.abs_mut();
        Ok(())
    }
    fn min(&mut self, out: &mut Rational, a: &Rational, b: &Rational) -> Answer<Self> {
        out.clone_from(a.min(b));
        Ok(())
    }
    fn max(&mut self, out: &mut Rational, a: &Rational, b: &Rational) -> Answer<Self> {
        out.clone_from(a.max(b));
        Ok(())
    }
}

impl Eval<ExactRationals> {
    pub fn new(tape: &Tape) -> Self {
        Eval::with_domain(tape, ExactRationals)
    }

    fn set_inputs(&mut self, inputs: &[Rational]) {
        for (i, q) in inputs.iter().enumerate() {
            self.input_mut(i).clone_from(q);
        }
    }

    /// Sets the inputs and runs every instruction after them.
    pub fn run(&mut self, tape: &Tape, inputs: &[Rational]) {
        self.set_inputs(inputs);
        self.walk_range(tape, inputs.len(), tape.len());
    }

    /// Sets the inputs and runs only the listed instructions (in increasing order; each must
    /// come after what it depends on is listed or is an input). Registers not listed have no
    /// value until computed again.
    pub fn run_selected(&mut self, tape: &Tape, inputs: &[Rational], list: &[Reg]) {
        self.set_inputs(inputs);
        self.walk_selected(tape, list);
    }

    /// The exact value of register `r`, if it has one for the current inputs.
    pub fn get(&self, r: Reg) -> Option<&Rational> {
        if r >= self.len() {
            return None;
        }
        self.value(r).ok()
    }
}
