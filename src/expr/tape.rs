//! Compilation of expression trees to a flat tape. Register `i` holds the value of instruction
//! `i` (single assignment); the first registers are the inputs. Identical instructions are
//! shared (hash-consing), so a definition used by many claims is computed once. Every evaluator
//! runs the same tape through the one walker of [`super::walk`].

use super::ast::{BinOp, Expr, ExprKind, Func};
use crate::arith::CmpOp;
use crate::error::{Error, Source, Span};
use rug::Rational;
use std::collections::HashMap;

/// A register index.
pub type Reg = usize;

/// One instruction. Operands are registers computed earlier on the tape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Input(usize),
    Const(usize),
    Add(Reg, Reg),
    Sub(Reg, Reg),
    Mul(Reg, Reg),
    Div(Reg, Reg),
    Neg(Reg),
    /// Integer power with a literal exponent.
    PowInt(Reg, i64),
    /// Real power `a^b`.
    Pow(Reg, Reg),
    Sqrt(Reg),
    Log(Reg),
    Exp(Reg),
    Floor(Reg),
    Ceil(Reg),
    Abs(Reg),
    Sin(Reg),
    Cos(Reg),
    Min(Reg, Reg),
    Max(Reg, Reg),
    /// Derivative of `min(a, b)`: `da` where `a < b`, `db` where `b < a`, and where they may
    /// cross, the hull of both (the generalized gradient of a Lipschitz function).
    MinD(Reg, Reg, Reg, Reg),
    /// Derivative of `max(a, b)`, as [`Op::MinD`].
    MaxD(Reg, Reg, Reg, Reg),
    /// Derivative of `|a|`: `sign(a)·da`, and `[−|da|, |da|]` where `a` may be 0.
    AbsD(Reg, Reg),
    /// The derivative of a discontinuous operation (floor, ceil) of a varying argument:
    /// undefined in interval evaluation, 0 in f64.
    Undiff(Reg),
}

impl Op {
    /// True for the operations that map rationals to rationals.
    pub fn is_rational(self) -> bool {
        !matches!(
            self,
            Op::Pow(..)
                | Op::Sqrt(_)
                | Op::Log(_)
                | Op::Exp(_)
                | Op::Sin(_)
                | Op::Cos(_)
                | Op::MinD(..)
                | Op::MaxD(..)
                | Op::AbsD(..)
                | Op::Undiff(_)
        )
    }
    /// The same instruction with every operand register `a` replaced by `f(a)` (inputs and
    /// constants, which have none, are returned as they are).
    pub fn map_operands(self, mut f: impl FnMut(Reg) -> Reg) -> Op {
        match self {
            Op::Input(_) | Op::Const(_) => self,
            Op::Add(a, b) => Op::Add(f(a), f(b)),
            Op::Sub(a, b) => Op::Sub(f(a), f(b)),
            Op::Mul(a, b) => Op::Mul(f(a), f(b)),
            Op::Div(a, b) => Op::Div(f(a), f(b)),
            Op::Neg(a) => Op::Neg(f(a)),
            Op::PowInt(a, n) => Op::PowInt(f(a), n),
            Op::Pow(a, b) => Op::Pow(f(a), f(b)),
            Op::Sqrt(a) => Op::Sqrt(f(a)),
            Op::Log(a) => Op::Log(f(a)),
            Op::Exp(a) => Op::Exp(f(a)),
            Op::Floor(a) => Op::Floor(f(a)),
            Op::Ceil(a) => Op::Ceil(f(a)),
            Op::Abs(a) => Op::Abs(f(a)),
            Op::Sin(a) => Op::Sin(f(a)),
            Op::Cos(a) => Op::Cos(f(a)),
            Op::Min(a, b) => Op::Min(f(a), f(b)),
            Op::Max(a, b) => Op::Max(f(a), f(b)),
            Op::MinD(a, b, c, d) => Op::MinD(f(a), f(b), f(c), f(d)),
            Op::MaxD(a, b, c, d) => Op::MaxD(f(a), f(b), f(c), f(d)),
            Op::AbsD(a, b) => Op::AbsD(f(a), f(b)),
            Op::Undiff(a) => Op::Undiff(f(a)),
        }
    }
    /// The operand registers.
    pub fn operands(self) -> impl Iterator<Item = Reg> {
        let ops: [Option<Reg>; 4] = match self {
            Op::Input(_) | Op::Const(_) => [None; 4],
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::Pow(a, b)
            | Op::Min(a, b)
            | Op::Max(a, b)
            | Op::AbsD(a, b) => [Some(a), Some(b), None, None],
            Op::MinD(a, b, c, d) | Op::MaxD(a, b, c, d) => [Some(a), Some(b), Some(c), Some(d)],
            Op::Neg(a)
            | Op::PowInt(a, _)
            | Op::Sqrt(a)
            | Op::Log(a)
            | Op::Exp(a)
            | Op::Floor(a)
            | Op::Ceil(a)
            | Op::Abs(a)
            | Op::Sin(a)
            | Op::Cos(a)
            | Op::Undiff(a) => [Some(a), None, None, None],
        };
        ops.into_iter().flatten()
    }
}

/// Where an instruction came from: a source text and a span in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub source: usize,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Instr {
    pub op: Op,
    pub origin: Origin,
}

/// `lhs op rhs` over tape registers.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub op: CmpOp,
    pub lhs: Reg,
    pub rhs: Reg,
    pub origin: Origin,
}

/// A conjunction of comparisons (a hypothesis, a claim or a domain).
#[derive(Clone, Debug, Default)]
pub struct Predicate {
    pub parts: Vec<Comparison>,
}

impl Predicate {
    /// The same comparisons with each side's register `r` replaced by `map[r]` (a register
    /// the map lacks stays as it is).
    pub fn remap(&self, map: &HashMap<Reg, Reg>) -> Predicate {
        let at = |r: Reg| map.get(&r).copied().unwrap_or(r);
        Predicate {
            parts: self
                .parts
                .iter()
                .map(|c| Comparison {
                    lhs: at(c.lhs),
                    rhs: at(c.rhs),
                    ..c.clone()
                })
                .collect(),
        }
    }
}

/// A compiled program: instructions, literal constants, the input names and the source texts
/// that errors point into.
#[derive(Clone, Debug)]
pub struct Tape {
    pub instrs: Vec<Instr>,
    pub consts: Vec<Rational>,
    pub inputs: Vec<String>,
    pub sources: Vec<Source>,
    rational: Vec<bool>,
    shared: HashMap<Op, Reg>,
    /// The index of each literal in `consts`, so that a literal is found in constant time.
    const_index: HashMap<Rational, usize>,
}

impl Tape {
    /// A tape whose registers `0..inputs.len()` are the inputs, in order.
    pub fn new(inputs: Vec<String>) -> Tape {
        let mut t = Tape {
            instrs: Vec::new(),
            consts: Vec::new(),
            inputs: Vec::new(),
            sources: vec![Source {
                label: "inputs".into(),
                text: String::new(),
            }],
            rational: Vec::new(),
            shared: HashMap::new(),
            const_index: HashMap::new(),
        };
        for (k, name) in inputs.into_iter().enumerate() {
            t.inputs.push(name);
            t.push(
                Op::Input(k),
                Origin {
                    source: 0,
                    span: Span::default(),
                },
            );
        }
        t
    }

    pub fn len(&self) -> usize {
        self.instrs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.instrs.is_empty()
    }

    /// True when the register's value is a rational function of the inputs (no sqrt, log, exp
    /// or real power on the way), so the exact evaluator can compute it.
    pub fn is_rational(&self, r: Reg) -> bool {
        self.rational[r]
    }

    /// Registers a source text for error messages; returns its index.
    pub fn add_source(&mut self, label: impl Into<String>, text: impl Into<String>) -> usize {
        self.sources.push(Source {
            label: label.into(),
            text: text.into(),
        });
        self.sources.len() - 1
    }

    /// Where instruction `r` came from: "`text` in label".
    pub fn place(&self, r: Reg) -> String {
        let o = self.instrs[r].origin;
        let src = &self.sources[o.source];
        let text = src.text.get(o.span.start..o.span.end).unwrap_or("");
        format!("`{text}` in {}", src.label)
    }

    /// Which registers `roots` depend on (themselves included): the liveness walk, written
    /// once for every caller.
    pub fn needed(&self, roots: &[Reg]) -> Vec<bool> {
        let mut needed = vec![false; self.len()];
        let mut top = 0;
        for &r in roots {
            if r < self.len() {
                needed[r] = true;
                top = top.max(r + 1);
            }
        }
        for i in (0..top).rev() {
            if needed[i] {
                for a in self.instrs[i].op.operands() {
                    needed[a] = true;
                }
            }
        }
        needed
    }

    /// The registers `roots` depend on (themselves included), in tape order: the slice of
    /// the tape an evaluator must run, in this order, for every root to be fresh.
    pub fn slice(&self, roots: &[Reg]) -> Vec<Reg> {
        let needed = self.needed(roots);
        (0..self.len()).filter(|&i| needed[i]).collect()
    }

    /// The registers `roots` depend on, rebuilt with each register `r` of `replace`
    /// replaced by (the rebuilt) `replace[r]`, an earlier register: returns the new register
    /// of every register of the slice (unchanged ones map to themselves, by hash-consing).
    pub fn rewrite(&mut self, roots: &[Reg], replace: &HashMap<Reg, Reg>) -> HashMap<Reg, Reg> {
        let mut map: HashMap<Reg, Reg> = HashMap::new();
        for r in self.slice(roots) {
            let new = match replace.get(&r) {
                Some(&to) => map.get(&to).copied().unwrap_or(to),
                None => {
                    let op = self.instrs[r]
                        .op
                        .map_operands(|a| map.get(&a).copied().unwrap_or(a));
                    if op == self.instrs[r].op {
                        r
                    } else {
                        let origin = self.instrs[r].origin;
                        self.push(op, origin)
                    }
                }
            };
            map.insert(r, new);
        }
        map
    }

    /// The register of input `name`.
    pub fn input(&self, name: &str) -> Option<Reg> {
        self.inputs.iter().position(|n| n == name)
    }

    /// Appends an instruction (or returns the register of an identical one).
    pub fn push(&mut self, op: Op, origin: Origin) -> Reg {
        if let Some(&r) = self.shared.get(&op) {
            return r;
        }
        let rational = op.is_rational() && op.operands().all(|a| self.rational[a]);
        self.instrs.push(Instr { op, origin });
        self.rational.push(rational);
        let r = self.instrs.len() - 1;
        self.shared.insert(op, r);
        r
    }

    /// The register of a literal constant (equal literals share one entry of `consts`, and
    /// so one register).
    pub fn constant(&mut self, q: &Rational, origin: Origin) -> Reg {
        let k = match self.const_index.get(q) {
            Some(&k) => k,
            None => {
                self.consts.push(q.clone());
                let k = self.consts.len() - 1;
                self.const_index.insert(q.clone(), k);
                k
            }
        };
        self.push(Op::Const(k), origin)
    }

    /// The part of the tape that `roots` need, on a tape of its own: every input, then the
    /// instructions the roots depend on, in their order here (so that whatever orders
    /// registers, such as normal forms, orders them the same way), with the literals and
    /// source texts they use. Returns the new tape and the new register of each kept one.
    /// The cost grows with the part kept, not with this tape.
    pub fn compact(&self, roots: &[Reg]) -> (Tape, HashMap<Reg, Reg>) {
        let n_inputs = self.inputs.len();
        let mut seen: std::collections::HashSet<Reg> = std::collections::HashSet::new();
        let mut stack: Vec<Reg> = roots.iter().copied().filter(|&r| r >= n_inputs).collect();
        while let Some(r) = stack.pop() {
            if seen.insert(r) {
                stack.extend(
                    self.instrs[r]
                        .op
                        .operands()
                        .filter(|&a| a >= n_inputs && !seen.contains(&a)),
                );
            }
        }
        let mut keep: Vec<Reg> = seen.into_iter().collect();
        keep.sort_unstable();
        let mut out = Tape::new(self.inputs.clone());
        let mut map: HashMap<Reg, Reg> = (0..n_inputs).map(|r| (r, r)).collect();
        let mut sources: HashMap<usize, usize> = [(0, 0)].into();
        for r in keep {
            let Instr { op, origin } = self.instrs[r];
            let op = match op {
                Op::Const(k) => {
                    let q = &self.consts[k];
                    let k = match out.const_index.get(q) {
                        Some(&k) => k,
                        None => {
                            out.consts.push(q.clone());
                            out.const_index.insert(q.clone(), out.consts.len() - 1);
                            out.consts.len() - 1
                        }
                    };
                    Op::Const(k)
                }
                op => op.map_operands(|a| map[&a]),
            };
            let source = *sources.entry(origin.source).or_insert_with(|| {
                out.sources.push(self.sources[origin.source].clone());
                out.sources.len() - 1
            });
            let new = out.push(
                op,
                Origin {
                    source,
                    span: origin.span,
                },
            );
            map.insert(r, new);
        }
        (out, map)
    }

    fn error(&self, source: usize, span: Span, message: String) -> Error {
        let s = &self.sources[source];
        Error::Syntax {
            label: s.label.clone(),
            text: s.text.clone(),
            span,
            message,
        }
    }

    /// Compiles an arithmetic expression; `env` maps the names it may use to registers.
    pub fn compile(
        &mut self,
        e: &Expr,
        env: &HashMap<String, Reg>,
        source: usize,
    ) -> Result<Reg, Error> {
        let origin = Origin {
            source,
            span: e.span,
        };
        Ok(match &e.kind {
            ExprKind::Num(q) => self.constant(q, origin),
            ExprKind::Var(v) => match env.get(v) {
                Some(&r) => r,
                None => {
                    let mut known: Vec<&str> = env.keys().map(|s| s.as_str()).collect();
                    known.sort();
                    return Err(self.error(
                        source,
                        e.span,
                        format!("unknown name `{v}` (known here: {})", known.join(", ")),
                    ));
                }
            },
            ExprKind::Neg(a) => {
                let a = self.compile(a, env, source)?;
                self.push(Op::Neg(a), origin)
            }
            ExprKind::Binary(op, a, b) => {
                let ra = self.compile(a, env, source)?;
                if *op == BinOp::Pow
                    && let Some(n) = integer_literal(b)
                {
                    return Ok(self.push(Op::PowInt(ra, n), origin));
                }
                let rb = self.compile(b, env, source)?;
                let op = match op {
                    BinOp::Add => Op::Add(ra, rb),
                    BinOp::Sub => Op::Sub(ra, rb),
                    BinOp::Mul => Op::Mul(ra, rb),
                    BinOp::Div => Op::Div(ra, rb),
                    BinOp::Pow => Op::Pow(ra, rb),
                };
                self.push(op, origin)
            }
            ExprKind::Call(func, args) => {
                let mut regs = Vec::with_capacity(args.len());
                for a in args {
                    regs.push(self.compile(a, env, source)?);
                }
                let a = regs[0];
                match func {
                    Func::Min | Func::Max => {
                        let mut acc = a;
                        for &b in &regs[1..] {
                            let op = if *func == Func::Min {
                                Op::Min(acc, b)
                            } else {
                                Op::Max(acc, b)
                            };
                            acc = self.push(op, origin);
                        }
                        acc
                    }
                    Func::Sqrt => self.push(Op::Sqrt(a), origin),
                    Func::Log => self.push(Op::Log(a), origin),
                    Func::Exp => self.push(Op::Exp(a), origin),
                    Func::Ceil => self.push(Op::Ceil(a), origin),
                    Func::Floor => self.push(Op::Floor(a), origin),
                    Func::Abs => self.push(Op::Abs(a), origin),
                    Func::Sin => self.push(Op::Sin(a), origin),
                    Func::Cos => self.push(Op::Cos(a), origin),
                }
            }
            ExprKind::Compare(..) | ExprKind::And(..) => {
                return Err(self.error(
                    source,
                    e.span,
                    "a comparison cannot be used as a number".into(),
                ));
            }
        })
    }

    /// Compiles a comparison or a conjunction of comparisons.
    pub fn compile_predicate(
        &mut self,
        e: &Expr,
        env: &HashMap<String, Reg>,
        source: usize,
    ) -> Result<Predicate, Error> {
        let mut p = Predicate::default();
        self.collect(e, env, source, &mut p)?;
        Ok(p)
    }

    fn collect(
        &mut self,
        e: &Expr,
        env: &HashMap<String, Reg>,
        source: usize,
        p: &mut Predicate,
    ) -> Result<(), Error> {
        match &e.kind {
            ExprKind::And(a, b) => {
                self.collect(a, env, source, p)?;
                self.collect(b, env, source, p)
            }
            ExprKind::Compare(op, a, b) => {
                let lhs = self.compile(a, env, source)?;
                let rhs = self.compile(b, env, source)?;
                p.parts.push(Comparison {
                    op: *op,
                    lhs,
                    rhs,
                    origin: Origin {
                        source,
                        span: e.span,
                    },
                });
                Ok(())
            }
            _ => Err(self.error(
                source,
                e.span,
                "expected a comparison (`<`, `<=`, `>`, `>=`, `==`), possibly joined with `and`"
                    .into(),
            )),
        }
    }
}

/// The value of an integer literal exponent (`2`, `-3`), if the node is one.
fn integer_literal(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Num(q) if q.is_integer() => q.numer().to_i64(),
        ExprKind::Neg(a) => integer_literal(a).map(|n| -n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    #[test]
    fn equal_literals_share_one_constant_and_one_register() {
        let mut tape = Tape::new(vec!["x".into()]);
        let env: HashMap<String, Reg> = [("x".to_string(), 0)].into();
        let src = tape.add_source("test", "");
        let a = tape
            .compile(&parse("x + 0.5", "a").unwrap(), &env, src)
            .unwrap();
        let b = tape
            .compile(&parse("x + 5e-1", "b").unwrap(), &env, src)
            .unwrap();
        let c = tape
            .compile(&parse("x*0.50 + 3", "c").unwrap(), &env, src)
            .unwrap();
        assert_eq!(a, b, "identical instructions are shared");
        assert_eq!(tape.consts.len(), 2, "{:?}", tape.consts);
        assert_ne!(a, c);
        // Many distinct literals: each gets its own entry, found again afterwards.
        let n = 5000;
        let regs: Vec<Reg> = (0..n)
            .map(|i| {
                let q = Rational::from((i, 7));
                tape.constant(
                    &q,
                    Origin {
                        source: src,
                        span: Span::default(),
                    },
                )
            })
            .collect();
        for (i, &r) in regs.iter().enumerate() {
            let q = Rational::from((i as i64, 7));
            assert_eq!(
                tape.constant(
                    &q,
                    Origin {
                        source: src,
                        span: Span::default()
                    }
                ),
                r
            );
            assert!(matches!(tape.instrs[r].op, Op::Const(k) if tape.consts[k] == q));
        }
    }
}
