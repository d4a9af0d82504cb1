//! Plain f64, for simulation and sampling speed: no guarantee. Operations round to nearest as
//! the hardware does; sine and cosine use the kernels of [`crate::expr::trig`]. Nothing faults:
//! an undefined operation gives NaN or an infinity, as f64 does, and the derivative of floor or
//! ceil is 0 (the derivative almost everywhere). The walker does no fault or freshness
//! bookkeeping for this domain ([`Domain::CHECKED`] is false).
//!
//! The derivative rules of min, max and abs in f64 ([`min_d`], [`max_d`], [`abs_d`]) are shared
//! with the lanes domain.

use crate::expr::tape::{Reg, Tape};
use crate::expr::trig;
use crate::expr::walk::{Answer, Divisor, Domain, Eval};
use rug::Rational;

/// The f64 domain.
#[derive(Clone, Copy, Debug, Default)]
pub struct F64s;

/// Evaluates a tape in f64 (no guarantee; for simulation and sampling).
pub type F64Eval = Eval<F64s>;

/// The derivative of `min(a, b)`: `da` where `a ≤ b`, else `db`.
#[inline(always)]
pub fn min_d(a: f64, b: f64, da: f64, db: f64) -> f64 {
    if a <= b { da } else { db }
}

/// The derivative of `max(a, b)`: `da` where `a ≥ b`, else `db`.
#[inline(always)]
pub fn max_d(a: f64, b: f64, da: f64, db: f64) -> f64 {
    if a >= b { da } else { db }
}

/// The derivative of `|a|`: `da` where `a ≥ 0`, else `−da`.
#[inline(always)]
pub fn abs_d(a: f64, da: f64) -> f64 {
    if a >= 0.0 { da } else { -da }
}

/// An integer exponent as `powi` takes it (saturated to the i32 range).
#[inline(always)]
pub fn powi_exponent(n: i64) -> i32 {
    n.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

impl Domain for F64s {
    type Value = f64;
    type Error = ();
    type Fault = ();
    const CHECKED: bool = false;

    fn blank(&self) -> f64 {
        0.0
    }
    /// The nearest f64 to `q`.
    fn constant(&mut self, out: &mut f64, q: &Rational) -> Result<(), ()> {
        *out = q.to_f64();
        Ok(())
    }
    fn fault(&self, _: (), _: Reg) {}
    fn stale(&self, _: Reg) {}
    fn unsupported(&self) {}

    #[inline(always)]
    fn add(&mut self, out: &mut f64, a: &f64, b: &f64) -> Answer<Self> {
        *out = a + b;
        Ok(())
    }
    #[inline(always)]
    fn sub(&mut self, out: &mut f64, a: &f64, b: &f64) -> Answer<Self> {
        *out = a - b;
        Ok(())
    }
    #[inline(always)]
    fn mul(&mut self, out: &mut f64, a: &f64, b: &f64) -> Answer<Self> {
        *out = a * b;
        Ok(())
    }
    #[inline(always)]
    fn div(&mut self, out: &mut f64, a: &f64, b: &f64, _: Divisor) -> Answer<Self> {
        *out = a / b;
        Ok(())
    }
    #[inline(always)]
    fn neg(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = -a;
        Ok(())
    }
    #[inline(always)]
    fn powi(&mut self, out: &mut f64, a: &f64, n: i64) -> Answer<Self> {
        *out = a.powi(powi_exponent(n));
        Ok(())
    }
    #[inline(always)]
    fn pow(&mut self, out: &mut f64, a: &f64, b: &f64) -> Answer<Self> {
        *out = a.powf(*b);
        Ok(())
    }
    #[inline(always)]
    fn sqrt(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = a.sqrt();
        Ok(())
    }
    #[inline(always)]
    fn log(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = a.ln();
        Ok(())
    }
    #[inline(always)]
    fn exp(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = a.exp();
        Ok(())
    }
    #[inline(always)]
    fn floor(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = a.floor();
        Ok(())
    }
    #[inline(always)]
    fn ceil(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = a.ceil();
        Ok(())
    }
    #[inline(always)]
    fn abs(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = a.abs();
        Ok(())
    }
    #[inline(always)]
    fn sin(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = trig::sin(*a);
        Ok(())
    }
    #[inline(always)]
    fn cos(&mut self, out: &mut f64, a: &f64) -> Answer<Self> {
        *out = trig::cos(*a);
        Ok(())
    }
    #[inline(always)]
    fn min(&mut self, out: &mut f64, a: &f64, b: &f64) -> Answer<Self> {
        *out = a.min(*b);
        Ok(())
    }
    #[inline(always)]
    fn max(&mut self, out: &mut f64, a: &f64, b: &f64) -> Answer<Self> {
        *out = a.max(*b);
        Ok(())
    }
    #[inline(always)]
    fn min_d(&mut self, out: &mut f64, a: &f64, b: &f64, da: &f64, db: &f64) -> Answer<Self> {
        *out = min_d(*a, *b, *da, *db);
        Ok(())
    }
    #[inline(always)]
    fn max_d(&mut self, out: &mut f64, a: &f64, b: &f64, da: &f64, db: &f64) -> Answer<Self> {
        *out = max_d(*a, *b, *da, *db);
        Ok(())
    }
    #[inline(always)]
    fn abs_d(&mut self, out: &mut f64, a: &f64, da: &f64) -> Answer<Self> {
        *out = abs_d(*a, *da);
        Ok(())
    }
    /// 0, the derivative of floor and ceil almost everywhere.
    #[inline(always)]
    fn undiff(&mut self, out: &mut f64, _: &f64) -> Answer<Self> {
        *out = 0.0;
        Ok(())
    }
}

impl Eval<F64s> {
    pub fn new(tape: &Tape) -> Self {
        Eval::with_domain(tape, F64s)
    }

    fn set_inputs(&mut self, inputs: &[f64]) {
        for (k, &x) in inputs.iter().enumerate() {
            *self.input_mut(k) = x;
        }
    }

    /// Sets the inputs and runs every instruction after them.
    pub fn run(&mut self, tape: &Tape, inputs: &[f64]) {
        self.run_range(tape, inputs, tape.len());
    }

    /// Sets the inputs and runs only the listed instructions (in increasing order).
    pub fn run_selected(&mut self, tape: &Tape, inputs: &[f64], list: &[Reg]) {
        self.set_inputs(inputs);
        self.walk_selected(tape, list);
    }

    /// Sets the inputs and runs the instructions before `to` (the base part of a tape with
    /// derivatives appended).
    pub fn run_range(&mut self, tape: &Tape, inputs: &[f64], to: usize) {
        self.set_inputs(inputs);
        self.walk_range(tape, inputs.len(), to);
    }

    #[inline(always)]
    pub fn get(&self, r: Reg) -> f64 {
        *self.raw(r)
    }
}
