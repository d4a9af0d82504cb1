//! The expression language: parsing (with spans), the tree, compilation to a tape, and the
//! interval, exact rational and f64 evaluators.

pub mod ast;
pub mod dd_eval;
pub mod diff;
pub mod eval;
pub mod fresh;
pub mod lanes;
pub mod parse;
pub mod ratfunc;
pub mod simplify;
pub mod tape;
pub mod trig;

pub use ast::{BinOp, Expr, ExprKind, Func};
pub use dd_eval::{DdEval, DdMiss};
pub use diff::differentiate;
pub use eval::{Decided, F64Eval, Fault, IntervalEval, RationalEval, decide, decide_all};
pub use lanes::F64Lanes;
pub use parse::{MAX_DEPTH, MAX_SOURCE_LEN, parse};
pub use tape::{Comparison, Op, Origin, Predicate, Reg, Tape};
