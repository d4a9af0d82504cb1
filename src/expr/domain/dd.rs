//! Double-double intervals ([`crate::arith::dd`]): certified like MPFR intervals (each end a
//! pair of f64 with about 106 bits, rounded outward), several times faster, and partial.
//!
//! A register is [`DdMiss::Unsupported`] ("ask the MPFR evaluator", which is always safe) when
//! its operation is not covered (sine, cosine, real powers of a base that may be ≤ 0, the
//! derivative operations, whose operands are then not looked at), when an operand is out of the
//! covered range or not as narrow as needed, when an operand is itself unsupported, or when an
//! operand (or, read through [`DdEval::get`], the register itself) was not computed for the
//! current inputs. Faults that hold at every point of the enclosure (the logarithm of a
//! negative number, …) are reported as the MPFR evaluator reports them ([`CertainFault`]) and
//! carried to every register computed from them.
//!
//! Logarithms, exponentials and real powers have f64 accuracy, or double-double accuracy
//! (slower) when [`DdEval::accurate`] is set.
//!
//! A divisor that was not written in the current run (a quantity of the outer grid point
//! divided into each inner row) is inverted once and then multiplied by: its reciprocal is
//! cached with the stamp of the write it was computed for ([`Divisor`]).

use crate::arith::ArithError;
use crate::arith::dd::DdInterval;
use crate::expr::tape::{Op, Reg, Tape};
use crate::expr::walk::{Answer, Divisor, Domain, Eval};
use rug::Rational;

/// Why a register has no double-double enclosure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DdMiss {
    /// Not computed here: ask the MPFR evaluator.
    Unsupported,
    /// Undefined at every point of the enclosure, for this reason.
    Fault(CertainFault),
}

/// The faults the double-double evaluator recognizes as certain (as the MPFR evaluator reports
/// them: see [`CertainFault::error`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CertainFault {
    DivisionByZero,
    SqrtOfNegative,
    LogOfNonPositive,
}

impl CertainFault {
    pub fn error(self) -> ArithError {
        match self {
            CertainFault::DivisionByZero => ArithError::DivisionByZero { certain: true },
            CertainFault::SqrtOfNegative => ArithError::SqrtOfNegative { certain: true },
            CertainFault::LogOfNonPositive => ArithError::LogOfNonPositive { certain: true },
        }
    }

    /// The certain fault an MPFR error stands for, if it is one of these.
    pub fn of(error: &ArithError) -> Option<CertainFault> {
        match error {
            ArithError::DivisionByZero { certain: true } => Some(CertainFault::DivisionByZero),
            ArithError::SqrtOfNegative { certain: true } => Some(CertainFault::SqrtOfNegative),
            ArithError::LogOfNonPositive { certain: true } => Some(CertainFault::LogOfNonPositive),
            _ => None,
        }
    }
}

/// The double-double interval domain: the accuracy of its transcendental functions, and the
/// reciprocals of divisors.
#[derive(Clone, Debug)]
pub struct DdIntervals {
    /// Logarithms, exponentials and real powers with double-double accuracy (slower) instead
    /// of f64 accuracy.
    pub accurate: bool,
    /// Per register: its reciprocal, and the stamp of the write it was computed for.
    recips: Vec<Option<(u64, DdInterval)>>,
}

impl DdIntervals {
    /// The domain for a tape of `len` registers.
    pub fn new(len: usize) -> Self {
        DdIntervals {
            accurate: false,
            recips: vec![None; len],
        }
    }

    /// x/y, through y's cached reciprocal when y was not written in this run.
    fn divide(&mut self, x: DdInterval, y: DdInterval, d: Divisor) -> Option<DdInterval> {
        if d.this_run {
            return x.try_div(y);
        }
        let inv = match self.recips[d.reg] {
            Some((s, inv)) if s == d.stamp => inv,
            _ => {
                let inv = y.recip()?;
                self.recips[d.reg] = Some((d.stamp, inv));
                inv
            }
        };
        x.try_mul(inv)
    }
}

/// `out = v`, or unsupported when there is no `v`.
fn put(out: &mut DdInterval, v: Option<DdInterval>) -> Answer<DdIntervals> {
    *out = v.ok_or(DdMiss::Unsupported)?;
    Ok(())
}

fn certain(f: CertainFault) -> Answer<DdIntervals> {
    Err(DdMiss::Fault(f))
}

impl Domain for DdIntervals {
    type Value = DdInterval;
    type Error = DdMiss;
    type Fault = DdMiss;
    const CHECKED: bool = true;
    const STAMPED: bool = true;

    fn blank(&self) -> DdInterval {
        DdInterval::ZERO
    }
    /// The enclosure of `q`, or unsupported when it is out of range.
    fn constant(&mut self, out: &mut DdInterval, q: &Rational) -> Result<(), DdMiss> {
        put(out, DdInterval::from_rational(q))
    }
    fn fault(&self, error: DdMiss, _: Reg) -> DdMiss {
        error
    }
    fn stale(&self, _: Reg) -> DdMiss {
        DdMiss::Unsupported
    }
    fn unsupported(&self) -> DdMiss {
        DdMiss::Unsupported
    }
    fn computes(&self, op: Op) -> bool {
        !matches!(
            op,
            Op::Sin(_) | Op::Cos(_) | Op::MinD(..) | Op::MaxD(..) | Op::AbsD(..) | Op::Undiff(_)
        )
    }

    fn add(&mut self, out: &mut DdInterval, a: &DdInterval, b: &DdInterval) -> Answer<Self> {
        put(out, a.try_add(*b))
    }
    fn sub(&mut self, out: &mut DdInterval, a: &DdInterval, b: &DdInterval) -> Answer<Self> {
        put(out, a.try_sub(*b))
    }
    fn mul(&mut self, out: &mut DdInterval, a: &DdInterval, b: &DdInterval) -> Answer<Self> {
        put(out, a.try_mul(*b))
    }
    fn sqr(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        put(out, a.sqr())
    }
    fn div(
        &mut self,
        out: &mut DdInterval,
        a: &DdInterval,
        b: &DdInterval,
        divisor: Divisor,
    ) -> Answer<Self> {
        if b.is_zero() {
            certain(CertainFault::DivisionByZero)
        } else {
            put(out, self.divide(*a, *b, divisor))
        }
    }
    fn neg(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        *out = -*a;
        Ok(())
    }
    fn powi(&mut self, out: &mut DdInterval, a: &DdInterval, n: i64) -> Answer<Self> {
        put(out, a.powi(n))
    }
    /// `a^b = e^(b·ln a)` for `a > 0`; elsewhere the MPFR evaluator decides the domain.
    fn pow(&mut self, out: &mut DdInterval, a: &DdInterval, b: &DdInterval) -> Answer<Self> {
        if a.lo().hi > 0.0 && self.accurate {
            put(
                out,
                a.ln_accurate()
                    .and_then(|l| l.try_mul(*b))
                    .and_then(|v| v.exp_accurate()),
            )
        } else if a.lo().hi > 0.0 {
            put(
                out,
                a.ln().and_then(|l| l.try_mul(*b)).and_then(|v| v.exp()),
            )
        } else {
            Err(DdMiss::Unsupported)
        }
    }
    fn sqrt(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        if a.is_negative() {
            certain(CertainFault::SqrtOfNegative)
        } else {
            put(out, a.sqrt())
        }
    }
    fn log(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        if a.is_nonpositive() {
            certain(CertainFault::LogOfNonPositive)
        } else if self.accurate {
            put(out, a.ln_accurate())
        } else {
            put(out, a.ln())
        }
    }
    fn exp(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        if self.accurate {
            put(out, a.exp_accurate())
        } else {
            put(out, a.exp())
        }
    }
    fn floor(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        put(out, a.floor())
    }
    fn ceil(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        put(out, a.ceil())
    }
    fn abs(&mut self, out: &mut DdInterval, a: &DdInterval) -> Answer<Self> {
        *out = a.abs();
        Ok(())
    }
    fn min(&mut self, out: &mut DdInterval, a: &DdInterval, b: &DdInterval) -> Answer<Self> {
        *out = a.min(*b);
        Ok(())
    }
    fn max(&mut self, out: &mut DdInterval, a: &DdInterval, b: &DdInterval) -> Answer<Self> {
        *out = a.max(*b);
        Ok(())
    }
}

/// Evaluates a tape over double-double intervals; see the [module](self) for what it covers.
#[derive(Clone, Debug)]
pub struct DdEval {
    /// Logarithms, exponentials and real powers with double-double accuracy (slower) instead
    /// of f64 accuracy; read at each run.
    pub accurate: bool,
    eval: Eval<DdIntervals>,
}

impl DdEval {
    /// Encloses the tape's literal constants once; every other register starts unknown.
    pub fn new(tape: &Tape) -> Self {
        DdEval {
            accurate: false,
            eval: Eval::with_domain(tape, DdIntervals::new(tape.len())),
        }
    }

    /// Sets register `r` (an input, or a value computed elsewhere for the current inputs);
    /// `None` marks it unknown.
    pub fn set(&mut self, r: Reg, v: Option<DdInterval>) {
        self.eval.write(r, v.ok_or(DdMiss::Unsupported));
    }

    /// Sets register `r` to a certain fault.
    pub fn set_fault(&mut self, r: Reg, fault: CertainFault) {
        self.eval.write(r, Err(DdMiss::Fault(fault)));
    }

    /// The enclosure in register `r`, or why there is none (unsupported when it was not
    /// computed for the current inputs).
    pub fn get(&self, r: Reg) -> Result<&DdInterval, &DdMiss> {
        self.eval.value(r)
    }

    /// Runs the listed instructions, in increasing order (inputs and constants keep the values
    /// they were given).
    pub fn run_selected(&mut self, tape: &Tape, list: &[Reg]) {
        self.eval.domain_mut().accurate = self.accurate;
        self.eval.walk_selected(tape, list);
    }
}
