//! A certificate's statement compiled for the kernel: every name resolved (coordinates,
//! constants, definitions, in any order, cycles refused), shared definitions evaluated once per
//! cell, and derivatives built symbolically from the statement itself.

use crate::interval::{Iv, Undefined};
use crate::parse::{Ast, Cmp, Conjunction};
use rug::Rational;
use rug::ops::Pow;
use std::collections::HashMap;

pub type Id = usize;

#[derive(Clone, Debug)]
pub enum Node {
    Num(Rational),
    Coord(usize),
    Neg(Id),
    Add(Id, Id),
    Sub(Id, Id),
    Mul(Id, Id),
    Div(Id, Id),
    /// x^q, q a rational constant
    Pow(Id, Rational),
    /// x^y, y not a constant: an integer power where y is one integer on the box, else
    /// exp(y·log x) (x > 0)
    PowVar(Id, Id),
    Sqrt(Id),
    Log(Id),
    Exp(Id),
    Abs(Id),
    Min(Vec<Id>),
    Max(Vec<Id>),
    Ceil(Id),
    Floor(Id),
    /// The derivative of min/max(args) given the arguments' derivatives: the hull of the
    /// derivatives of the arguments that may be the extreme one on the cell.
    ExtremeD {
        max: bool,
        args: Vec<Id>,
        ds: Vec<Id>,
    },
    /// The derivative of |x| given dx.
    AbsD(Id, Id),
    /// A derivative that does not exist (⌈x⌉ where it jumps): no enclosure.
    NoDerivative,
}

impl Node {
    /// The nodes this one is computed from.
    pub fn operands(&self) -> Vec<Id> {
        match self {
            Node::Num(_) | Node::Coord(_) | Node::NoDerivative => Vec::new(),
            Node::Neg(x)
            | Node::Pow(x, _)
            | Node::Sqrt(x)
            | Node::Log(x)
            | Node::Exp(x)
            | Node::Abs(x)
            | Node::Ceil(x)
            | Node::Floor(x) => vec![*x],
            Node::Add(x, y)
            | Node::Sub(x, y)
            | Node::Mul(x, y)
            | Node::Div(x, y)
            | Node::PowVar(x, y)
            | Node::AbsD(x, y) => vec![*x, *y],
            Node::Min(a) | Node::Max(a) => a.clone(),
            Node::ExtremeD { args, ds, .. } => args.iter().chain(ds).copied().collect(),
        }
    }
}

/// The most nodes a program may grow to (the statement and its derivatives).
const MAX_NODES: usize = 1 << 20;

pub struct Program {
    pub nodes: Vec<Node>,
    pub coords: Vec<String>,
    derivs: HashMap<(Id, usize), Option<Id>>,
    /// Each node's depth (the longest chain of operands below it), bounded by [`MAX_DEPTH`]
    /// so that every walk over the program is bounded too.
    depth: Vec<u32>,
}

/// The deepest a node may be: definitions chain texts, and derivatives deepen what they
/// differentiate; every recursive walk of the kernel is this deep at most.
const MAX_DEPTH: u32 = 30_000;
/// The most definitions one name may open in a chain (`a` defined by `b`, by `c`, …).
const MAX_DEFINITION_CHAIN: usize = 256;

/// A comparison of two nodes.
pub type Comparison = (Id, Cmp, Id);

/// Compiles names and texts into nodes.
pub struct Builder<'a> {
    pub program: Program,
    constants: &'a HashMap<String, Rational>,
    defs: &'a HashMap<String, Ast>,
    resolved: HashMap<String, Id>,
    visiting: Vec<String>,
}

impl<'a> Builder<'a> {
    pub fn new(
        coords: Vec<String>,
        constants: &'a HashMap<String, Rational>,
        defs: &'a HashMap<String, Ast>,
    ) -> Builder<'a> {
        Builder {
            program: Program {
                nodes: Vec::new(),
                coords,
                derivs: HashMap::new(),
                depth: Vec::new(),
            },
            constants,
            defs,
            resolved: HashMap::new(),
            visiting: Vec::new(),
        }
    }

    pub fn conjunction(&mut self, c: &Conjunction) -> Result<Vec<Comparison>, String> {
        c.iter()
            .map(|(a, op, b)| Ok((self.ast(a)?, *op, self.ast(b)?)))
            .collect()
    }

    fn name(&mut self, n: &str) -> Result<Id, String> {
        if let Some(&id) = self.resolved.get(n) {
            return Ok(id);
        }
        let id = if let Some(k) = self.program.coords.iter().position(|c| c == n) {
            self.program.push(Node::Coord(k))?
        } else if let Some(q) = self.constants.get(n) {
            self.program.push(Node::Num(q.clone()))?
        } else if let Some(a) = self.defs.get(n) {
            if self.visiting.iter().any(|v| v == n) {
                return Err(format!("the definition of `{n}` refers to itself"));
            }
            if self.visiting.len() >= MAX_DEFINITION_CHAIN {
                return Err(format!(
                    "definitions chained more than {MAX_DEFINITION_CHAIN} deep at `{n}`"
                ));
            }
            self.visiting.push(n.to_string());
            let id = self.ast(a)?;
            self.visiting.pop();
            id
        } else {
            return Err(format!("an unknown name `{n}`"));
        };
        self.resolved.insert(n.to_string(), id);
        Ok(id)
    }

    /// The exact value of a constant expression (for exponents).
    fn constant(&self, a: &Ast) -> Option<Rational> {
        match a {
            Ast::Num(q) => Some(q.clone()),
            Ast::Name(n) => self.constants.get(n).cloned(),
            Ast::Neg(x) => self.constant(x).map(|q| -q),
            Ast::Bin(c, x, y) => {
                let (x, y) = (self.constant(x)?, self.constant(y)?);
                match c {
                    '+' => Some(x + y),
                    '-' => Some(x - y),
                    '*' => Some(x * y),
                    '/' if y != 0 => Some(x / y),
                    _ => None,
                }
            }
            Ast::Call(..) => None,
        }
    }

    pub fn ast(&mut self, a: &Ast) -> Result<Id, String> {
        Ok(match a {
            Ast::Num(q) => self.program.push(Node::Num(q.clone()))?,
            Ast::Name(n) => self.name(n)?,
            Ast::Neg(x) => {
                let x = self.ast(x)?;
                self.program.push(Node::Neg(x))?
            }
            Ast::Bin('^', x, e) if self.constant(e).is_none() => {
                let (x, y) = (self.ast(x)?, self.ast(e)?);
                self.program.push(Node::PowVar(x, y))?
            }
            Ast::Bin('^', x, e) => {
                let q = self
                    .constant(e)
                    .ok_or("an exponent that is not a constant")?;
                if q.denom().significant_bits() > 32 || q.numer().significant_bits() > 32 {
                    return Err("an exponent past 32 bits".into());
                }
                let x = self.ast(x)?;
                self.program.push(Node::Pow(x, q))?
            }
            Ast::Bin(c, x, y) => {
                let (x, y) = (self.ast(x)?, self.ast(y)?);
                self.program.push(match c {
                    '+' => Node::Add(x, y),
                    '-' => Node::Sub(x, y),
                    '*' => Node::Mul(x, y),
                    '/' => Node::Div(x, y),
                    _ => return Err(format!("an unknown operator `{c}`")),
                })?
            }
            Ast::Call(f, args) => {
                let ids = args
                    .iter()
                    .map(|x| self.ast(x))
                    .collect::<Result<Vec<_>, _>>()?;
                let one = |ids: &[Id]| -> Result<Id, String> {
                    match ids {
                        [x] => Ok(*x),
                        _ => Err(format!("`{f}` takes one argument")),
                    }
                };
                let node = match f.as_str() {
                    "sqrt" => Node::Sqrt(one(&ids)?),
                    "log" => Node::Log(one(&ids)?),
                    "exp" => Node::Exp(one(&ids)?),
                    "abs" => Node::Abs(one(&ids)?),
                    "ceil" => Node::Ceil(one(&ids)?),
                    "floor" => Node::Floor(one(&ids)?),
                    "min" | "max" if !ids.is_empty() => {
                        if f == "min" {
                            Node::Min(ids)
                        } else {
                            Node::Max(ids)
                        }
                    }
                    _ => return Err(format!("an unknown function `{f}`")),
                };
                self.program.push(node)?
            }
        })
    }
}

impl Program {
    pub fn push(&mut self, n: Node) -> Result<Id, String> {
        if self.nodes.len() >= MAX_NODES {
            return Err(format!("a statement past {MAX_NODES} nodes"));
        }
        let depth = 1 + n
            .operands()
            .iter()
            .map(|&x| self.depth[x])
            .max()
            .unwrap_or(0);
        if depth > MAX_DEPTH {
            return Err(format!("an expression nested past {MAX_DEPTH} levels"));
        }
        self.nodes.push(n);
        self.depth.push(depth);
        Ok(self.nodes.len() - 1)
    }

    /// ∂(node)/∂(coordinate k); `None` where it is identically 0.
    pub fn derivative(&mut self, id: Id, k: usize) -> Result<Option<Id>, String> {
        if let Some(d) = self.derivs.get(&(id, k)) {
            return Ok(*d);
        }
        let node = self.nodes[id].clone();
        let d = |p: &mut Program, x: Id| p.derivative(x, k);
        let out = match node {
            Node::Num(_) => None,
            Node::Coord(j) => (j == k)
                .then(|| self.push(Node::Num(Rational::from(1))))
                .transpose()?,
            Node::Neg(x) => match d(self, x)? {
                Some(dx) => Some(self.push(Node::Neg(dx))?),
                None => None,
            },
            Node::Add(x, y) | Node::Sub(x, y) => {
                let sub = matches!(node, Node::Sub(..));
                match (d(self, x)?, d(self, y)?) {
                    (None, None) => None,
                    (Some(a), None) => Some(a),
                    (None, Some(b)) => Some(if sub { self.push(Node::Neg(b))? } else { b }),
                    (Some(a), Some(b)) => Some(self.push(if sub {
                        Node::Sub(a, b)
                    } else {
                        Node::Add(a, b)
                    })?),
                }
            }
            Node::Mul(x, y) => {
                let a = match d(self, x)? {
                    Some(dx) => Some(self.push(Node::Mul(dx, y))?),
                    None => None,
                };
                let b = match d(self, y)? {
                    Some(dy) => Some(self.push(Node::Mul(x, dy))?),
                    None => None,
                };
                self.sum(a, b)?
            }
            Node::Div(x, y) => {
                // (dx − (x/y)·dy)/y
                let a = d(self, x)?;
                let b = match d(self, y)? {
                    Some(dy) => {
                        let q = self.push(Node::Div(x, y))?;
                        let t = self.push(Node::Mul(q, dy))?;
                        Some(self.push(Node::Neg(t))?)
                    }
                    None => None,
                };
                match self.sum(a, b)? {
                    Some(s) => Some(self.push(Node::Div(s, y))?),
                    None => None,
                }
            }
            Node::Pow(x, q) => match d(self, x)? {
                Some(dx) => {
                    let c = self.push(Node::Num(q.clone()))?;
                    let p = self.push(Node::Pow(x, q - 1u32))?;
                    let t = self.push(Node::Mul(c, p))?;
                    Some(self.push(Node::Mul(t, dx))?)
                }
                None => None,
            },
            Node::PowVar(x, y) => {
                // x^y·(y′·log x + y·x′/x)
                let a = match d(self, y)? {
                    Some(dy) => {
                        let l = self.push(Node::Log(x))?;
                        Some(self.push(Node::Mul(dy, l))?)
                    }
                    None => None,
                };
                let b = match d(self, x)? {
                    Some(dx) => {
                        let q = self.push(Node::Div(dx, x))?;
                        Some(self.push(Node::Mul(y, q))?)
                    }
                    None => None,
                };
                match self.sum(a, b)? {
                    Some(s) => Some(self.push(Node::Mul(id, s))?),
                    None => None,
                }
            }
            Node::Sqrt(x) => match d(self, x)? {
                Some(dx) => {
                    let two = self.push(Node::Num(Rational::from(2)))?;
                    let t = self.push(Node::Mul(two, id))?;
                    Some(self.push(Node::Div(dx, t))?)
                }
                None => None,
            },
            Node::Log(x) => match d(self, x)? {
                Some(dx) => Some(self.push(Node::Div(dx, x))?),
                None => None,
            },
            Node::Exp(x) => match d(self, x)? {
                Some(dx) => Some(self.push(Node::Mul(id, dx))?),
                None => None,
            },
            Node::Abs(x) => match d(self, x)? {
                Some(dx) => Some(self.push(Node::AbsD(x, dx))?),
                None => None,
            },
            Node::Min(ref args) | Node::Max(ref args) => {
                let max = matches!(node, Node::Max(_));
                let args = args.clone();
                let mut ds = Vec::with_capacity(args.len());
                let mut any = false;
                for &a in &args {
                    let da = d(self, a)?;
                    any |= da.is_some();
                    ds.push(match da {
                        Some(x) => x,
                        None => self.push(Node::Num(Rational::new()))?,
                    });
                }
                if any {
                    Some(self.push(Node::ExtremeD { max, args, ds })?)
                } else {
                    None
                }
            }
            Node::Ceil(x) | Node::Floor(x) => match d(self, x)? {
                Some(_) => Some(self.push(Node::NoDerivative)?),
                None => None,
            },
            Node::ExtremeD { .. } | Node::AbsD(..) | Node::NoDerivative => {
                Some(self.push(Node::NoDerivative)?)
            }
        };
        self.derivs.insert((id, k), out);
        Ok(out)
    }

    fn sum(&mut self, a: Option<Id>, b: Option<Id>) -> Result<Option<Id>, String> {
        Ok(match (a, b) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(self.push(Node::Add(a, b))?),
        })
    }
}

/// Enclosures of a program's nodes over one box, each node computed at most once.
///
/// A coordinate may be marked *open*: its lower end 0 is not a point of the domain (`x > 0`,
/// or u of a chart `x = s/u`). Enclosures then hold at the box's points in the domain: a node
/// shown positive there ([`Eval::positive`]) may be divided by, or its logarithm taken, even
/// where its interval reaches 0 (`1/u` on `u ∈ (0, h]` is `[1/h, +∞]`).
pub struct Eval<'p> {
    program: &'p Program,
    cells: Vec<Iv>,
    open: Vec<bool>,
    /// Enclosures computed so far (a map: a program with its derivatives may be large, and
    /// a cell needs few of its nodes).
    memo: HashMap<Id, Result<Iv, Undefined>>,
    positive: HashMap<Id, bool>,
    prec: u32,
}

impl<'p> Eval<'p> {
    pub fn new(program: &'p Program, cells: Vec<Iv>, prec: u32) -> Eval<'p> {
        let open = vec![false; cells.len()];
        Eval::on_domain(program, cells, open, prec)
    }

    /// Over a box whose `open` coordinates exclude their lower end 0.
    pub fn on_domain(program: &'p Program, cells: Vec<Iv>, open: Vec<bool>, prec: u32) -> Eval<'p> {
        Eval {
            program,
            cells,
            open,
            memo: HashMap::new(),
            positive: HashMap::new(),
            prec,
        }
    }

    /// The program evaluated.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Whether node `id` is > 0 at every point of the box in the domain where it is defined:
    /// its enclosure is, or its form shows it (an open coordinate whose interval starts at 0,
    /// a product, quotient, root, power or exponential of such, a sum of such and of
    /// nonnegative terms, a min of such, a max with one such). Exact reasoning on signs.
    pub fn positive(&mut self, id: Id) -> bool {
        if let Some(&b) = self.positive.get(&id) {
            return b;
        }
        let b = self.get(id).is_ok_and(|v| v.pos()) || self.positive_by_form(id);
        self.positive.insert(id, b);
        b
    }

    fn positive_by_form(&mut self, id: Id) -> bool {
        match &self.program.nodes[id] {
            Node::Num(q) => *q > 0,
            Node::Coord(k) => self.open[*k] && self.cells[*k].nonneg(),
            Node::Mul(a, b) | Node::Div(a, b) => {
                let (a, b) = (*a, *b);
                self.positive(a) && self.positive(b)
            }
            Node::Pow(a, _) | Node::PowVar(a, _) | Node::Sqrt(a) => {
                let a = *a;
                self.positive(a)
            }
            Node::Exp(_) => true,
            Node::Add(a, b) => {
                let (a, b) = (*a, *b);
                let na = self.get(a).is_ok_and(|v| v.nonneg());
                let nb = self.get(b).is_ok_and(|v| v.nonneg());
                match (na, nb) {
                    (true, true) => self.positive(a) || self.positive(b),
                    (true, false) => self.positive(b),
                    (false, true) => self.positive(a),
                    (false, false) => self.positive(a) && self.positive(b),
                }
            }
            Node::Min(args) => args.clone().into_iter().all(|a| self.positive(a)),
            Node::Max(args) => args.clone().into_iter().any(|a| self.positive(a)),
            _ => false,
        }
    }

    /// The enclosure of `id` as an operand that must be positive (a divisor, a logarithm's
    /// argument, a power's base), and whether it stands for `(0, hi]`: shown positive on the
    /// domain while its interval reaches 0 (the interval is then cut to `[0, hi]`).
    fn operand(&mut self, id: Id) -> Result<(Iv, bool), Undefined> {
        let v = self.get(id)?;
        if v.pos() || v.neg() || !self.positive(id) {
            return Ok((v, false));
        }
        if v.hi.cmp0() != Some(std::cmp::Ordering::Greater) {
            return Err("a value shown positive whose enclosure is not");
        }
        let zero = rug::Float::new(self.prec);
        Ok((Iv { lo: zero, hi: v.hi }, true))
    }

    pub fn get(&mut self, id: Id) -> Result<Iv, Undefined> {
        if let Some(v) = self.memo.get(&id) {
            return v.clone();
        }
        let v = self.compute(id);
        self.memo.insert(id, v.clone());
        v
    }

    fn compute(&mut self, id: Id) -> Result<Iv, Undefined> {
        let p = self.prec;
        Ok(match &self.program.nodes[id] {
            Node::Num(q) => Iv::rational(q, p),
            Node::Coord(k) => self.cells[*k].clone(),
            Node::Neg(x) => self.get(*x)?.neg_(),
            Node::Add(x, y) => self.get(*x)?.add(&self.get(*y)?)?,
            Node::Sub(x, y) => self.get(*x)?.sub(&self.get(*y)?)?,
            Node::Mul(x, y) => self.get(*x)?.mul(&self.get(*y)?)?,
            Node::Div(x, y) => {
                let (x, (y, open)) = (self.get(*x)?, self.operand(*y)?);
                x.mul(&if open { y.recip_open()? } else { y.recip()? })?
            }
            Node::Pow(x, q) => {
                let (x, open) = self.operand(*x)?;
                let (n, d) = (q.numer(), q.denom());
                let n = n.to_i64().ok_or("an exponent past 64 bits")?;
                let pow = |b: Iv| -> Result<Iv, Undefined> {
                    if open && n < 0 {
                        b.powi(-n)?.recip_open()
                    } else {
                        b.powi(n)
                    }
                };
                if *d == 1 {
                    pow(x)?
                } else if *d == 2 {
                    pow(x.sqrt()?)?
                } else {
                    let l = if open { x.log_open()? } else { x.log()? };
                    l.mul(&Iv::rational(q, p))?.exp()?
                }
            }
            Node::PowVar(x, y) => {
                let ((x, _), y) = (self.operand(*x)?, self.get(*y)?);
                let n = (y.lo == y.hi)
                    .then(|| y.lo.to_integer())
                    .flatten()
                    .filter(|n| rug::Float::with_val(p, n) == y.lo)
                    .and_then(|n| n.to_i64())
                    .filter(|n| n.unsigned_abs() <= 1 << 16);
                match n {
                    Some(n) => x.powi(n)?,
                    None => x.log()?.mul(&y)?.exp()?,
                }
            }
            Node::Sqrt(x) => self.get(*x)?.sqrt()?,
            Node::Log(x) => match self.operand(*x)? {
                (x, true) => x.log_open()?,
                (x, false) => x.log()?,
            },
            Node::Exp(x) => self.get(*x)?.exp()?,
            Node::Abs(x) => self.get(*x)?.abs()?,
            Node::Min(a) | Node::Max(a) => {
                let max = matches!(self.program.nodes[id], Node::Max(_));
                let a = a.clone();
                let mut acc = self.get(a[0])?;
                for &x in &a[1..] {
                    let v = self.get(x)?;
                    acc = if max { acc.max(&v)? } else { acc.min(&v)? };
                }
                acc
            }
            Node::Ceil(x) => self.get(*x)?.round_int(true)?,
            Node::Floor(x) => self.get(*x)?.round_int(false)?,
            Node::ExtremeD { max, args, ds } => {
                let (max, args, ds) = (*max, args.clone(), ds.clone());
                let vals = args
                    .iter()
                    .map(|&a| self.get(a))
                    .collect::<Result<Vec<_>, _>>()?;
                // the arguments that may be the extreme one somewhere on the box
                let bound = vals
                    .iter()
                    .map(|v| if max { v.lo.clone() } else { v.hi.clone() })
                    .reduce(|a, b| {
                        if max {
                            crate::interval::greatest(&a, &b)
                        } else {
                            crate::interval::least(&a, &b)
                        }
                    })
                    .ok_or("an empty min or max")?;
                let mut acc: Option<Iv> = None;
                for (v, &dv) in vals.iter().zip(&ds) {
                    let candidate = if max { v.hi >= bound } else { v.lo <= bound };
                    if candidate {
                        let d = self.get(dv)?;
                        acc = Some(match acc {
                            None => d,
                            Some(a) => a.hull(&d)?,
                        });
                    }
                }
                acc.ok_or("an empty min or max")?
            }
            Node::AbsD(x, dx) => {
                let (x, d) = (self.get(*x)?, self.get(*dx)?);
                if x.pos() {
                    d
                } else if x.neg() {
                    d.neg_()
                } else {
                    d.hull(&d.neg_())?
                }
            }
            Node::NoDerivative => return Err("a derivative that does not exist (a jump)"),
        })
    }
}

/// The exact value of a node at a point of exact rationals, where every operation on the way
/// is rational (`None` past √, log, exp, a non-integer power, or a division by 0).
pub fn exact(
    p: &Program,
    id: Id,
    point: &[Rational],
    memo: &mut HashMap<Id, Option<Rational>>,
) -> Option<Rational> {
    if let Some(v) = memo.get(&id) {
        return v.clone();
    }
    let mut ex = |x: Id| exact(p, x, point, memo);
    let out = match &p.nodes[id] {
        Node::Num(q) => Some(q.clone()),
        Node::Coord(k) => Some(point[*k].clone()),
        Node::Neg(x) => ex(*x).map(|v| -v),
        Node::Add(x, y) => Some(ex(*x)? + ex(*y)?),
        Node::Sub(x, y) => Some(ex(*x)? - ex(*y)?),
        Node::Mul(x, y) => Some(ex(*x)? * ex(*y)?),
        Node::Div(x, y) => {
            let (a, b) = (ex(*x)?, ex(*y)?);
            if b == 0 { None } else { Some(a / b) }
        }
        Node::Pow(x, q) if *q.denom() == 1 => power(ex(*x)?, q.numer().to_i64()?),
        Node::PowVar(x, y) => {
            let (a, n) = (ex(*x)?, ex(*y)?);
            if *n.denom() != 1 {
                return None;
            }
            power(a, n.numer().to_i64()?)
        }
        Node::Abs(x) => ex(*x).map(|v| v.abs()),
        Node::Min(a) | Node::Max(a) => {
            let max = matches!(p.nodes[id], Node::Max(_));
            let a = a.clone();
            let mut acc = ex(a[0])?;
            for &x in &a[1..] {
                let v = ex(x)?;
                acc = if max { acc.max(v) } else { acc.min(v) };
            }
            Some(acc)
        }
        Node::Ceil(x) => ex(*x).map(|v| v.ceil()),
        Node::Floor(x) => ex(*x).map(|v| v.floor()),
        _ => None,
    };
    memo.insert(id, out.clone());
    out
}

/// q^n exactly, for |n| ≤ 2^16, q ≠ 0 when n < 0, and a result of at most 2^20 bits (past
/// that, `None`: the caller falls back to intervals).
fn power(q: Rational, n: i64) -> Option<Rational> {
    if n.unsigned_abs() > 1 << 16 || (n < 0 && q == 0) {
        return None;
    }
    let bits = u64::from(q.numer().significant_bits() + q.denom().significant_bits());
    if bits.saturating_mul(n.unsigned_abs()) > 1 << 20 {
        return None;
    }
    let m = n.unsigned_abs() as u32;
    let v = Rational::from((q.numer().clone().pow(m), q.denom().clone().pow(m)));
    Some(if n < 0 { v.recip() } else { v })
}

/// The homogeneity degree of a node under weights of the coordinates (x_k ↦ s^{w_k}·x_k):
/// `None` when it is not homogeneous.
pub fn degree(
    p: &Program,
    id: Id,
    w: &[Rational],
    memo: &mut HashMap<Id, Option<Rational>>,
) -> Option<Rational> {
    if let Some(d) = memo.get(&id) {
        return d.clone();
    }
    let mut deg = |x: Id| degree(p, x, w, memo);
    let zero = Rational::new();
    let out = match &p.nodes[id] {
        Node::Num(_) => Some(zero),
        Node::Coord(k) => Some(w[*k].clone()),
        Node::Neg(x) | Node::Abs(x) => deg(*x),
        Node::Add(x, y) | Node::Sub(x, y) => {
            let (a, b) = (deg(*x), deg(*y));
            // a constant 0 term would be homogeneous of any degree; the files have none
            if a.is_some() && a == b { a } else { None }
        }
        Node::Mul(x, y) => Some(deg(*x)? + deg(*y)?),
        Node::Div(x, y) => Some(deg(*x)? - deg(*y)?),
        Node::Pow(x, q) => Some(deg(*x)? * q.clone()),
        Node::PowVar(x, y) => {
            if deg(*x)? == 0 && deg(*y)? == 0 {
                Some(zero)
            } else {
                None
            }
        }
        Node::Sqrt(x) => Some(deg(*x)? / 2u32),
        Node::Log(x) | Node::Exp(x) | Node::Ceil(x) | Node::Floor(x) => {
            if deg(*x)? == 0 {
                Some(zero)
            } else {
                None
            }
        }
        Node::Min(a) | Node::Max(a) => {
            let a = a.clone();
            let first = deg(a[0])?;
            if a[1..].iter().all(|&x| deg(x).as_ref() == Some(&first)) {
                Some(first)
            } else {
                None
            }
        }
        Node::ExtremeD { .. } | Node::AbsD(..) | Node::NoDerivative => None,
    };
    memo.insert(id, out.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    /// The derivative the kernel builds agrees with a central difference at 256 bits.
    #[test]
    fn derivatives_agree_with_differences() {
        let consts = HashMap::new();
        let defs: HashMap<String, Ast> = [(
            "d".to_string(),
            parse::expr("sqrt(x*y) + log(1 + x^2)/y").unwrap(),
        )]
        .into();
        let mut b = Builder::new(vec!["x".into(), "y".into()], &consts, &defs);
        let e = b
            .ast(&parse::expr("d*exp(-x) + min(x, y^2) + abs(x - 2*y) + x^(3/2)").unwrap())
            .unwrap();
        let mut p = b.program;
        let (x0, y0) = (Rational::from((7, 10)), Rational::from((13, 10)));
        for k in 0..2 {
            let d = p.derivative(e, k).unwrap().unwrap();
            let at = |dx: &Rational| {
                let mut pt = [x0.clone(), y0.clone()];
                pt[k] += dx;
                let cells = pt.iter().map(|q| Iv::rational(q, 256)).collect();
                Eval::new(&p, cells, 256).get(e).unwrap().lo.to_f64()
            };
            let h = Rational::from((1, 1_000_000));
            let diff = (at(&h) - at(&-h.clone())) / 2e-6;
            let cells = [&x0, &y0].iter().map(|q| Iv::rational(q, 256)).collect();
            let exact = Eval::new(&p, cells, 256).get(d).unwrap().lo.to_f64();
            assert!((diff - exact).abs() < 1e-6, "∂/∂x{k}: {diff} vs {exact}");
        }
    }

    #[test]
    fn degrees_follow_the_weights() {
        let consts = HashMap::new();
        let defs = HashMap::new();
        let mut b = Builder::new(vec!["a".into(), "b".into()], &consts, &defs);
        let w = [Rational::from(1), Rational::from(2)];
        let mut memo = HashMap::new();
        let e = b
            .ast(&parse::expr("sqrt(b)*a/(a + sqrt(b)) + log(b/a^2)*a").unwrap())
            .unwrap();
        assert_eq!(
            degree(&b.program, e, &w, &mut memo),
            Some(Rational::from(1))
        );
        let f = b.ast(&parse::expr("a + b").unwrap()).unwrap();
        assert_eq!(degree(&b.program, f, &w, &mut memo), None);
        let g = b.ast(&parse::expr("exp(a)").unwrap()).unwrap();
        assert_eq!(degree(&b.program, g, &w, &mut memo), None);
    }
}
