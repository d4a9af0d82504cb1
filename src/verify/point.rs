//! Evaluation of a compiled result at one point: every quantity as a certified enclosure, and
//! every hypothesis and claim as holds, fails or undecided. Comparisons whose both sides are
//! rational are decided exactly; the others by interval arithmetic, retried at doubled
//! precision while anything is undecided or too wide to print, up to a limit.

use crate::arith::{Interval, Truth, interval as iv};
use crate::expr::{Decided, Fault, IntervalEval, RationalEval, decide};
use crate::theory::Model;
use rug::Rational;

/// Working precision and the limit of the retries.
#[derive(Clone, Copy, Debug)]
pub struct Precision {
    /// Starting precision, bits.
    pub prec: u32,
    /// The highest precision tried before an undecided answer is reported.
    pub max_prec: u32,
    /// The significant digits the caller will print; an enclosure wider than that is retried.
    pub digits: usize,
}

impl Precision {
    pub fn new(prec: u32, digits: usize) -> Self {
        Precision {
            prec,
            max_prec: (prec.saturating_mul(16)).clamp(prec, crate::arith::MAX_PREC.max(prec)),
            digits,
        }
    }
}

/// A value: its enclosure (or the fault that left it undefined) and, when it is rational,
/// its exact value.
#[derive(Clone, Debug)]
pub struct Value {
    pub enclosure: Result<Interval, Fault>,
    pub exact: Option<Rational>,
    /// For an undefined value: the fault and where it arose.
    pub undefined: Option<String>,
}

impl Value {
    /// True when the value certainly does not exist at the point: no exact value, and an
    /// enclosure that faulted with a domain error that holds at the point for certain (a
    /// divisor exactly 0, a square root of a negative number, …). A fault that may be an
    /// artefact of the precision (a divisor whose enclosure merely contains 0), an overflow
    /// of the exponent range, or a stale read is not undefinedness.
    pub fn certainly_undefined(&self) -> bool {
        use crate::arith::ArithError;
        self.exact.is_none()
            && match &self.enclosure {
                Ok(_) => false,
                Err(f) => {
                    matches!(
                        f.error,
                        ArithError::DivisionByZero { .. }
                            | ArithError::SqrtOfNegative { .. }
                            | ArithError::LogOfNonPositive { .. }
                            | ArithError::PowDomain { .. }
                    ) && f.error.is_certain()
                }
            }
    }
}

/// One comparison `lhs op rhs` at the point.
#[derive(Clone, Debug)]
pub struct ComparisonValue {
    pub lhs: Value,
    pub rhs: Value,
    /// How far the comparison is from failing: rhs − lhs for `<`, `<=`, `==`; lhs − rhs for
    /// `>`, `>=`. Positive means it holds with room.
    pub slack: Value,
    pub decided: Decided,
}

#[derive(Clone, Debug)]
pub struct StatementValue {
    pub truth: Truth,
    pub parts: Vec<ComparisonValue>,
}

/// Everything known at the point.
#[derive(Clone, Debug)]
pub struct PointResult {
    /// The precision of the final evaluation.
    pub prec: u32,
    pub inputs: Vec<Rational>,
    pub quantities: Vec<Value>,
    pub hypotheses: Vec<StatementValue>,
    pub claims: Vec<StatementValue>,
}

impl PointResult {
    /// The enclosure of the definition `name` of `model` at this point (`None` when there is no
    /// such definition or it is undefined here).
    pub fn quantity(&self, model: &Model, name: &str) -> Option<&Interval> {
        let i = model
            .theory
            .definitions
            .iter()
            .position(|d| d.name == name)?;
        self.quantities.get(i)?.enclosure.as_ref().ok()
    }

    /// True when every hypothesis holds at this point.
    pub fn hypotheses_hold(&self) -> bool {
        self.hypotheses.iter().all(|h| h.truth == Truth::True)
    }

    /// Holds when every hypothesis and claim holds; fails when one fails; else undecided.
    pub fn verdict(&self) -> Truth {
        self.hypotheses
            .iter()
            .chain(&self.claims)
            .map(|s| s.truth)
            .fold(Truth::True, Truth::and)
    }
}

/// True when the enclosure is narrow enough to print `digits` significant digits.
fn resolved(x: &Interval, digits: usize) -> bool {
    if x.is_point() {
        return true;
    }
    use rug::ops::Pow;
    let mag = rug::Float::with_val(x.prec(), x.lo().abs_ref()).max(&x.hi().clone().abs());
    // width ≤ |x| · 10^-(digits+2)
    let scale = rug::Float::with_val(x.prec(), 10u32).pow(-(digits as i32 + 2));
    x.width() <= mag * scale
}

/// Evaluates `model` at `inputs` (parameters then constants, as [`Model::point`] returns).
pub fn evaluate_point(model: &Model, inputs: &[Rational], p: Precision) -> PointResult {
    let tape = &model.tape;
    let mut exact = RationalEval::new(tape);
    exact.run(tape, inputs);
    let mut prec = p.prec;
    loop {
        let mut ivs = IntervalEval::new(tape, prec);
        for (k, q) in inputs.iter().enumerate() {
            ivs.set_input(k, q);
        }
        ivs.run(tape);
        let result = collect(model, &ivs, &exact, inputs, prec);
        if prec >= p.max_prec || settled(&result, p.digits) {
            return result;
        }
        prec = (prec.saturating_mul(2)).min(p.max_prec);
    }
}

/// Register `r` as a value: its enclosure (or where it became undefined) and its exact value.
pub(crate) fn value(
    tape: &crate::expr::Tape,
    ivs: &IntervalEval,
    exact: &RationalEval,
    r: usize,
) -> Value {
    let enclosure = ivs.get(r).cloned().map_err(Clone::clone);
    let undefined = enclosure
        .as_ref()
        .err()
        .map(|f| format!("{} at {}", f.error, tape.place(f.at)));
    Value {
        enclosure,
        exact: exact.get(r).cloned(),
        undefined,
    }
}

fn collect(
    model: &Model,
    ivs: &IntervalEval,
    exact: &RationalEval,
    inputs: &[Rational],
    prec: u32,
) -> PointResult {
    let quantities = model
        .def_regs
        .iter()
        .map(|&r| value(&model.tape, ivs, exact, r))
        .collect();
    let statement = |pred: &crate::expr::Predicate| {
        let parts: Vec<ComparisonValue> = pred
            .parts
            .iter()
            .map(|c| {
                let decided = decide(c, ivs, Some(exact));
                let lhs = value(&model.tape, ivs, exact, c.lhs);
                let rhs = value(&model.tape, ivs, exact, c.rhs);
                let (hi_side, lo_side) = match c.op {
                    crate::arith::CmpOp::Gt | crate::arith::CmpOp::Ge => (&lhs, &rhs),
                    _ => (&rhs, &lhs),
                };
                let slack = difference(hi_side, lo_side, prec);
                ComparisonValue {
                    lhs,
                    rhs,
                    slack,
                    decided,
                }
            })
            .collect();
        let truth = parts
            .iter()
            .map(|c| c.decided.truth)
            .fold(Truth::True, Truth::and);
        StatementValue { truth, parts }
    };
    PointResult {
        prec,
        inputs: inputs.to_vec(),
        quantities,
        hypotheses: model.hypotheses.iter().map(statement).collect(),
        claims: model.claims.iter().map(statement).collect(),
    }
}

/// `a − b` as a value (exact when both are).
fn difference(a: &Value, b: &Value, prec: u32) -> Value {
    let exact = match (&a.exact, &b.exact) {
        (Some(x), Some(y)) => Some(Rational::from(x - y)),
        _ => None,
    };
    let enclosure = match (&a.enclosure, &b.enclosure) {
        (Ok(x), Ok(y)) => {
            let mut out = Interval::zero(prec);
            match &exact {
                Some(q) => {
                    out.set_rational(q);
                    Ok(out)
                }
                None => iv::sub(&mut out, x, y)
                    .map(|_| out)
                    .map_err(|error| Fault { error, at: 0 }),
            }
        }
        (Err(f), _) | (_, Err(f)) => Err(f.clone()),
    };
    let undefined = a.undefined.clone().or_else(|| b.undefined.clone());
    Value {
        enclosure,
        exact,
        undefined,
    }
}

fn settled(r: &PointResult, digits: usize) -> bool {
    let stmts_ok = r
        .hypotheses
        .iter()
        .chain(&r.claims)
        .flat_map(|s| &s.parts)
        .all(|c| {
            c.decided.truth != Truth::Unknown
                || c.decided
                    .fault
                    .as_ref()
                    .is_some_and(|f| f.error.is_certain())
        });
    let values_ok = r.quantities.iter().all(|q| match &q.enclosure {
        Ok(x) => q.exact.is_some() || resolved(x, digits),
        Err(f) => f.error.is_certain(),
    });
    stmts_ok && values_ok
}
