//! The expression language: parsing (with spans), the tree, compilation to a tape, the one
//! tape walker ([`walk`]) and the number types it runs over ([`domain`]): MPFR intervals,
//! double-double intervals, exact rationals, f64 and f64 lanes.

pub mod ast;
pub mod decide;
pub mod degree;
pub mod diff;
pub mod domain;
pub mod fresh;
pub mod parse;
pub mod ratfunc;
pub mod render;
pub mod simplify;
pub mod tape;
pub mod trig;
pub mod walk;

/// The double-double evaluator's names at the path they have always had.
pub mod dd_eval {
    pub use super::domain::dd::{CertainFault, DdEval, DdIntervals, DdMiss};
}

pub use ast::{BinOp, Expr, ExprKind, Func};
pub use decide::{Decided, decide, decide_all};
pub use diff::differentiate;
pub use domain::dd::{CertainFault, DdEval, DdMiss};
pub use domain::f64::F64Eval;
pub use domain::lanes::F64Lanes;
pub use domain::mpfr::{Fault, IntervalEval};
pub use domain::rational::RationalEval;
pub use parse::{MAX_DEPTH, MAX_SOURCE_LEN, parse};
pub use tape::{Comparison, Op, Origin, Predicate, Reg, Tape};
pub use walk::{Domain, Eval};
