//! The straight-line programs the compiler emits: one node per vector operation on 4 lanes, in
//! single assignment, with the sine and cosine kernels of [`crate::expr::trig`] and the
//! xoshiro256++ step spelled out operation by operation, in the order and with the constants
//! of the Rust code they replace, so that the results are bit-identical.

use std::collections::HashMap;

// The constants of `crate::expr::trig`'s kernels, the same ones (a test holds the compiled
// sine and cosine to the kernels bit for bit).
use crate::expr::trig::{FAST_LIMIT, PI_A, PI_B, PI_C, PI_D, ROUNDER, SIN_TAYLOR};

/// A node's result.
pub type Val = usize;

/// Where a value lives in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Home {
    /// Coordinate k of the iterates, vector u of the group.
    X(usize, usize),
    /// Word w of the generators' states, vector u of the group.
    Rng(usize, usize),
    /// Coordinate k of the gradient buffer, vector u of the group.
    G(usize, usize),
    /// Slot of the constant pool (4 equal words).
    Const(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    FAdd,
    FSub,
    FMul,
    FDiv,
    And,
    Or,
    Xor,
    /// 64-bit integer addition, wrapping.
    IAdd,
}

impl Bin {
    /// Operand order does not change the result (IEEE addition and multiplication are
    /// commutative; only which NaN's payload survives can depend on the order, and NaNs are
    /// not told apart in the output).
    pub fn commutes(self) -> bool {
        !matches!(self, Bin::FSub | Bin::FDiv)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    /// A value read from memory.
    Home(Home),
    Bin(Bin, Val, Val),
    Sqrt(Val),
    Shl(Val, u8),
    Shr(Val, u8),
    /// Marks the lanes whose `arg` is NaN or beyond `limit` in absolute value (pool slots
    /// `abs`, the mask of all bits but the sign, and `limit`).
    CheckRange {
        arg: Val,
        abs: usize,
        limit: usize,
    },
    /// Leaves the kernel, before any store of this vector, if a lane was marked.
    Escape,
    Store(Home, Val),
}

impl Node {
    pub fn operands(&self) -> impl Iterator<Item = Val> {
        let v: [Option<Val>; 2] = match *self {
            Node::Home(_) | Node::Escape => [None, None],
            Node::Bin(_, a, b) => [Some(a), Some(b)],
            Node::Sqrt(a) | Node::Shl(a, _) | Node::Shr(a, _) => [Some(a), None],
            Node::CheckRange { arg, .. } => [Some(arg), None],
            Node::Store(_, a) => [Some(a), None],
        };
        v.into_iter().flatten()
    }
    pub fn home(&self) -> Option<Home> {
        match *self {
            Node::Home(h) => Some(h),
            _ => None,
        }
    }
}

/// A program and its constant pool.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub nodes: Vec<Node>,
    /// The pool's words (each slot is broadcast to 4 lanes when the kernel is made).
    pub pool: Vec<u64>,
    consts: HashMap<u64, usize>,
    homes: HashMap<Home, Val>,
    /// The vector of the group that `x`, `rng` and `g` name (see [`Program::interleave`]).
    pub sub: usize,
}

impl Program {
    /// Coordinate k of the iterates, in the current vector of the group.
    pub fn x(&mut self, k: usize) -> Val {
        let u = self.sub;
        self.push(Node::Home(Home::X(k, u)))
    }
    /// Word w of the generators, in the current vector of the group.
    pub fn rng(&mut self, w: usize) -> Val {
        let u = self.sub;
        self.push(Node::Home(Home::Rng(w, u)))
    }
    /// Stores `v` as coordinate k of the gradient, in the current vector.
    pub fn store_g(&mut self, k: usize, v: Val) {
        let u = self.sub;
        self.push(Node::Store(Home::G(k, u), v));
    }

    /// Reorders the nodes for instruction-level parallelism: the memory values first, then the
    /// nodes of the group's vectors taken in turn (`ranges[u]`, the nodes made for vector u,
    /// each depending only on its own and on memory values). The one escape (if any vector
    /// checks ranges) comes right after the last check, and no store before it: the stores
    /// met earlier wait until then.
    pub fn interleave(&mut self, ranges: &[std::ops::Range<usize>]) {
        let n = self.nodes.len();
        let mut order: Vec<usize> = (0..n)
            .filter(|&i| matches!(self.nodes[i], Node::Home(_)))
            .collect();
        let lists: Vec<Vec<usize>> = ranges
            .iter()
            .map(|r| {
                r.clone()
                    .filter(|&i| !matches!(self.nodes[i], Node::Home(_) | Node::Escape))
                    .collect()
            })
            .collect();
        let mut turns = Vec::new();
        let longest = lists.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..longest {
            for l in &lists {
                if let Some(&v) = l.get(i) {
                    turns.push(v);
                }
            }
        }
        let last_check = turns
            .iter()
            .rposition(|&i| matches!(self.nodes[i], Node::CheckRange { .. }));
        let mut pending = Vec::new();
        const ESCAPE: usize = usize::MAX;
        for (t, &i) in turns.iter().enumerate() {
            let before = last_check.is_some_and(|c| t <= c);
            if before && matches!(self.nodes[i], Node::Store(..)) {
                pending.push(i);
            } else {
                order.push(i);
            }
            if last_check == Some(t) {
                order.push(ESCAPE);
                order.append(&mut pending);
            }
        }
        let mut new_of = vec![usize::MAX; n];
        for (new, &old) in order.iter().enumerate() {
            if old != ESCAPE {
                new_of[old] = new;
            }
        }
        let remap = |v: Val| new_of[v];
        let nodes: Vec<Node> = order
            .iter()
            .map(|&old| {
                if old == ESCAPE {
                    return Node::Escape;
                }
                match self.nodes[old] {
                    Node::Bin(k, a, b) => Node::Bin(k, remap(a), remap(b)),
                    Node::Sqrt(a) => Node::Sqrt(remap(a)),
                    Node::Shl(a, s) => Node::Shl(remap(a), s),
                    Node::Shr(a, s) => Node::Shr(remap(a), s),
                    Node::CheckRange { arg, abs, limit } => Node::CheckRange {
                        arg: remap(arg),
                        abs,
                        limit,
                    },
                    Node::Store(h, a) => Node::Store(h, remap(a)),
                    other => other,
                }
            })
            .collect();
        self.nodes = nodes;
        self.homes.clear();
    }

    pub fn push(&mut self, n: Node) -> Val {
        if let Node::Home(h) = n {
            if let Some(&v) = self.homes.get(&h) {
                return v;
            }
            self.homes.insert(h, self.nodes.len());
        }
        self.nodes.push(n);
        self.nodes.len() - 1
    }
    /// A pool slot holding `bits` (shared).
    pub fn slot(&mut self, bits: u64) -> usize {
        if let Some(&s) = self.consts.get(&bits) {
            return s;
        }
        self.pool.push(bits);
        let s = self.pool.len() - 1;
        self.consts.insert(bits, s);
        s
    }
    /// A slot of its own, filled at run time.
    pub fn param(&mut self) -> usize {
        self.pool.push(0);
        self.pool.len() - 1
    }
    pub fn c(&mut self, x: f64) -> Val {
        let s = self.slot(x.to_bits());
        self.push(Node::Home(Home::Const(s)))
    }
    pub fn bits(&mut self, b: u64) -> Val {
        let s = self.slot(b);
        self.push(Node::Home(Home::Const(s)))
    }
    pub fn bin(&mut self, k: Bin, a: Val, b: Val) -> Val {
        self.push(Node::Bin(k, a, b))
    }
    pub fn add(&mut self, a: Val, b: Val) -> Val {
        self.bin(Bin::FAdd, a, b)
    }
    pub fn sub(&mut self, a: Val, b: Val) -> Val {
        self.bin(Bin::FSub, a, b)
    }
    pub fn mul(&mut self, a: Val, b: Val) -> Val {
        self.bin(Bin::FMul, a, b)
    }
    pub fn div(&mut self, a: Val, b: Val) -> Val {
        self.bin(Bin::FDiv, a, b)
    }
    pub fn has_checks(&self) -> bool {
        self.nodes
            .iter()
            .any(|n| matches!(n, Node::CheckRange { .. }))
    }

    /// −a, as the Rust negation compiles: the sign bit flipped.
    pub fn neg(&mut self, a: Val) -> Val {
        let m = self.bits(1 << 63);
        self.bin(Bin::Xor, a, m)
    }
    /// |a|: the sign bit cleared.
    pub fn abs(&mut self, a: Val) -> Val {
        let m = self.bits(!(1u64 << 63));
        self.bin(Bin::And, a, m)
    }

    /// Marks `x`'s lanes outside the sine kernels' fast range, as `trig::sin_lanes` does.
    fn check(&mut self, x: Val) {
        let abs = self.slot(!(1u64 << 63));
        let limit = self.slot(FAST_LIMIT.to_bits());
        self.push(Node::CheckRange { arg: x, abs, limit });
    }

    /// `trig::sin_reduced`.
    fn sin_reduced(&mut self, d: Val) -> Val {
        let s = self.mul(d, d);
        let mut u = self.c(SIN_TAYLOR[9]);
        for &k in SIN_TAYLOR[..9].iter().rev() {
            let us = self.mul(u, s);
            let kc = self.c(k);
            u = self.add(us, kc);
        }
        let su = self.mul(s, u);
        let dsu = self.mul(d, su);
        let r = self.add(d, dsu);
        // copysign(r, d)
        let ra = self.abs(r);
        let sign = self.bits(1 << 63);
        let ds = self.bin(Bin::And, d, sign);
        self.bin(Bin::Or, ra, ds)
    }
    /// `trig::minus_multiple_of_pi`.
    fn minus_multiple_of_pi(&mut self, x: Val, m: Val) -> Val {
        let mut d = x;
        for part in [PI_A, PI_B, PI_C, PI_D] {
            let p = self.c(part);
            let mp = self.mul(m, p);
            d = self.sub(d, mp);
        }
        d
    }
    /// `trig::flip_if_odd`.
    fn flip_if_odd(&mut self, v: Val, t: Val) -> Val {
        let bit = self.push(Node::Shl(t, 63));
        self.bin(Bin::Xor, v, bit)
    }
    /// `trig::sin_fast`, with the fast-range check of `trig::sin_lanes`.
    pub fn sin(&mut self, x: Val) -> Val {
        self.check(x);
        let ip = self.c(std::f64::consts::FRAC_1_PI);
        let rd = self.c(ROUNDER);
        let xp = self.mul(x, ip);
        let t = self.add(xp, rd);
        let q = self.sub(t, rd);
        let d = self.minus_multiple_of_pi(x, q);
        let s = self.sin_reduced(d);
        self.flip_if_odd(s, t)
    }
    /// `trig::cos_fast`, with the fast-range check of `trig::cos_lanes`.
    pub fn cos(&mut self, x: Val) -> Val {
        self.check(x);
        let ip = self.c(std::f64::consts::FRAC_1_PI);
        let half = self.c(0.5);
        let rd = self.c(ROUNDER);
        let two = self.c(2.0);
        let one = self.c(1.0);
        let xp = self.mul(x, ip);
        let xh = self.sub(xp, half);
        let t = self.add(xh, rd);
        let q = self.sub(t, rd);
        let x2 = self.mul(two, x);
        let q2 = self.mul(two, q);
        let m = self.add(q2, one);
        let r = self.minus_multiple_of_pi(x2, m);
        let d = self.mul(half, r);
        let s = self.sin_reduced(d);
        let f = self.flip_if_odd(s, t);
        self.neg(f)
    }

    /// One xoshiro256++ step of the generators' words in place (`rng::xoshiro_step`); returns
    /// the output word and the new state.
    pub fn xoshiro(&mut self, s: [Val; 4]) -> (Val, [Val; 4]) {
        let [s0, s1, s2, s3] = s;
        let a = self.bin(Bin::IAdd, s0, s3);
        let r = self.rotl(a, 23);
        let out = self.bin(Bin::IAdd, r, s0);
        let t = self.push(Node::Shl(s1, 17));
        let s2 = self.bin(Bin::Xor, s2, s0);
        let s3 = self.bin(Bin::Xor, s3, s1);
        let s1 = self.bin(Bin::Xor, s1, s2);
        let s0 = self.bin(Bin::Xor, s0, s3);
        let s2 = self.bin(Bin::Xor, s2, t);
        let s3 = self.rotl(s3, 45);
        (out, [s0, s1, s2, s3])
    }
    fn rotl(&mut self, a: Val, n: u8) -> Val {
        let l = self.push(Node::Shl(a, n));
        let r = self.push(Node::Shr(a, 64 - n));
        self.bin(Bin::Or, l, r)
    }
    /// `rng::unit_f64`.
    pub fn unit(&mut self, bits: Val) -> Val {
        let m = self.push(Node::Shr(bits, 12));
        let e = self.bits(0x3FF0_0000_0000_0000);
        let f = self.bin(Bin::Or, m, e);
        let one = self.c(1.0);
        self.sub(f, one)
    }
}
