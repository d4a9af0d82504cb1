//! Decisions of comparisons from the evaluators' registers: exactly when both sides have exact
//! rational values, else by the three-valued comparison of their interval enclosures.

use super::domain::mpfr::Fault;
use super::tape::{Comparison, Predicate};
use super::{IntervalEval, RationalEval};
use crate::arith::Truth;

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
