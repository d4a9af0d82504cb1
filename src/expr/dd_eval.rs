//! Evaluates a tape over double-double intervals ([`crate::arith::dd`]): certified like the
//! MPFR evaluator, several times faster, and partial. A register is [`DdMiss::Unsupported`] when
//! its operation is not covered (sine, cosine, real powers of a base that may be ≤ 0, the
//! derivative operations), when
//! an operand is out of the covered range or not as narrow as needed, or when an operand is
//! itself unsupported; the caller then uses the MPFR evaluator for whatever needs that register.
//! Faults that hold at every point of the enclosure (the logarithm of a negative number, …) are
//! reported as the MPFR evaluator reports them, and carried to every register computed from them.

use super::tape::{Op, Reg, Tape};
use crate::arith::ArithError;
use crate::arith::dd::DdInterval;

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

type DdValue = Result<DdInterval, DdMiss>;

#[derive(Clone, Debug)]
pub struct DdEval {
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

impl DdEval {
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
        DdEval {
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
                if x.lo.hi > 0.0 && self.accurate {
                    unsupported(
                        x.ln_accurate()
                            .and_then(|l| l.try_mul(y))
                            .and_then(|v| v.exp_accurate()),
                    )
                } else if x.lo.hi > 0.0 {
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
