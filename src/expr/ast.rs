//! The expression tree. Spans are byte ranges into the source text; equality ignores them, so
//! that a printed and re-parsed tree compares equal to the original.

use crate::arith::CmpOp;
use crate::error::Span;
use rug::Rational;
use std::fmt;

/// Binary arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
        }
    }
}

/// The built-in functions; `log` is the natural logarithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    Sqrt,
    Log,
    Exp,
    Min,
    Max,
    Ceil,
    Floor,
    Abs,
    Sin,
    Cos,
}

impl Func {
    pub const ALL: [Func; 10] = [
        Func::Sqrt,
        Func::Log,
        Func::Exp,
        Func::Min,
        Func::Max,
        Func::Ceil,
        Func::Floor,
        Func::Abs,
        Func::Sin,
        Func::Cos,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Func::Sqrt => "sqrt",
            Func::Log => "log",
            Func::Exp => "exp",
            Func::Min => "min",
            Func::Max => "max",
            Func::Ceil => "ceil",
            Func::Floor => "floor",
            Func::Abs => "abs",
            Func::Sin => "sin",
            Func::Cos => "cos",
        }
    }
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }
    /// min and max take two or more arguments; the others exactly one.
    pub fn variadic(self) -> bool {
        matches!(self, Func::Min | Func::Max)
    }
}

/// An expression node.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal, read exactly (the text was a decimal, so the value has a finite expansion).
    Num(Rational),
    Var(String),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// The variables the expression mentions, in order of first appearance.
    pub fn variables(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.visit(&mut |e| {
            if let ExprKind::Var(v) = &e.kind
                && !out.contains(v)
            {
                out.push(v.clone());
            }
        });
        out
    }

    /// Calls `f` on every node, parents before children.
    pub fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Num(_) | ExprKind::Var(_) => {}
            ExprKind::Neg(a) => a.visit(f),
            ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::And(a, b) => {
                a.visit(f);
                b.visit(f);
            }
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.visit(f)),
        }
    }

    /// True when the node is a comparison or a conjunction of comparisons.
    pub fn is_formula(&self) -> bool {
        matches!(self.kind, ExprKind::Compare(..) | ExprKind::And(..))
    }
}

/// Prints the tree fully parenthesized, in a form the parser reads back to the same tree.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Num(q) => match crate::arith::exact_decimal(q) {
                Some(s) if !s.starts_with('-') => write!(f, "{s}"),
                Some(s) => write!(f, "({s})"),
                None => write!(f, "({}/{})", q.numer(), q.denom()),
            },
            ExprKind::Var(v) => write!(f, "{v}"),
            ExprKind::Neg(a) => write!(f, "(-{a})"),
            ExprKind::Binary(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            ExprKind::Call(func, args) => {
                write!(f, "{}(", func.name())?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{a}")?;
                }
                write!(f, ")")
            }
            ExprKind::Compare(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            ExprKind::And(a, b) => write!(f, "({a} and {b})"),
        }
    }
}
