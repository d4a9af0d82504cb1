//! The kernel's own algebra: an expression expanded into a polynomial, with rational
//! coefficients and rational exponents, over atoms. Two expressions whose expansions are the
//! same polynomial are equal wherever both are defined and the expansion's conditions hold.
//! This is how the kernel checks that a normal form `factor · rest` a certificate gives is
//! the expression it stands for: exactly, with no sampling.
//!
//! Atoms are the coordinates, square-free integers under a root (`√2`), sums that are divided
//! by or taken a root of (made primitive: content and common monomial pulled out, the first
//! coefficient positive, so the same sum is always the same atom), and every other operation
//! (log, exp, |x|, min, max, ⌈x⌉, ⌊x⌋, x^y) as an opaque atom keyed by its operation and its
//! arguments' expansions. A sum atom raised to a power of at least 1 is multiplied out again
//! (`√S·√S = S`, expanded), so the form is canonical under the rules used.
//!
//! A root or non-integer power distributes over products, quotients and powers
//! (`√(a·b) = √a·√b`, `√(a²) = a`) and over the atoms of a monomial (`√(x²y) = x·√y`), which
//! holds where those are positive: the atoms whose positivity makes each such operand
//! positive (the atoms of its monomial, and its primitive sum, or the sum's negation when its
//! content is negative) are returned as *conditions*: the expansion equals the expression at
//! the points where every condition is positive. [`Algebra::materialize`] writes an atom back
//! as a node, for the kernel to show it positive on a cell.

use crate::program::{Id, Node, Program};
use rug::ops::Pow;
use rug::{Integer, Rational};
use std::collections::{BTreeMap, BTreeSet};

/// Atom index → exponent (nonzero).
pub type Mono = BTreeMap<usize, Rational>;
/// Monomial → coefficient (nonzero).
pub type Poly = BTreeMap<Mono, Rational>;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Atom {
    Coord(usize),
    /// a prime raised to a fraction (or a product of primes too large to split)
    Literal(Integer),
    /// a primitive sum (under a root, or divided by)
    Sum(Poly),
    /// an operation the algebra does not see into, by tag, with its arguments' expansions
    Opaque(u8, Vec<Poly>),
}

/// The most terms an expansion may have.
const MAX_TERMS: usize = 2000;
/// Integer powers of sums expanded up to this exponent.
const MAX_POWER: u32 = 12;
/// The most bits of a coefficient raised to a power (beyond, the expansion gives up).
const MAX_COEFFICIENT_BITS: u64 = 1 << 16;

/// Expands the nodes of several programs over one set of atoms.
#[derive(Default)]
pub struct Algebra {
    atoms: Vec<Atom>,
    index: BTreeMap<Atom, usize>,
    /// Each atom's value at a fixed point (coordinates and opaque atoms a value in [1, 2)
    /// from their index, a sum its polynomial's value): [`Algebra::fingerprint`].
    values: Vec<f64>,
}

/// The atoms that must be positive for an expansion to hold.
pub type Conditions = BTreeSet<usize>;

/// One program's expansions: each node's polynomial (or `None` past the limits), and the
/// conditions each one needs.
pub struct Expansion<'p> {
    program: &'p Program,
    /// What each coordinate stands for (a chart `x = s/u` makes x the monomial s·u⁻¹).
    coords: Vec<Poly>,
    memo: BTreeMap<Id, Option<(Poly, Conditions)>>,
    /// Roots already taken, by node and exponent (a shared sub-expression is taken once).
    roots: BTreeMap<(Id, Rational), Option<(Poly, Conditions)>>,
}

fn constant(q: Rational) -> Poly {
    let mut p = Poly::new();
    if q != 0 {
        p.insert(Mono::new(), q);
    }
    p
}

fn add(a: &Poly, b: &Poly, sign: i32) -> Option<Poly> {
    let mut out = a.clone();
    for (m, c) in b {
        let e = out.entry(m.clone()).or_default();
        if sign > 0 {
            *e += c;
        } else {
            *e -= c;
        }
    }
    out.retain(|_, c| *c != 0);
    (out.len() <= MAX_TERMS).then_some(out)
}

impl<'p> Expansion<'p> {
    /// `coords[k]`: the expansion coordinate k stands for (`None`: the coordinate itself).
    pub fn new(
        alg: &mut Algebra,
        program: &'p Program,
        charts: &[Option<(Rational, usize)>],
    ) -> Expansion<'p> {
        let coords = (0..program.coords.len())
            .map(|k| match &charts.get(k).cloned().flatten() {
                None => alg.atom_pow(Atom::Coord(k), Rational::from(1)),
                Some((s, u)) => {
                    let mut p = alg.atom_pow(Atom::Coord(*u), Rational::from(-1));
                    for c in p.values_mut() {
                        *c *= s;
                    }
                    p
                }
            })
            .collect();
        Expansion {
            program,
            coords,
            memo: BTreeMap::new(),
            roots: BTreeMap::new(),
        }
    }

    /// The expansion of node `id` and the nodes that must be positive for it to hold.
    pub fn of(&mut self, alg: &mut Algebra, id: Id) -> Option<(Poly, Conditions)> {
        if let Some(v) = self.memo.get(&id) {
            return v.clone();
        }
        let v = self.compute(alg, id);
        self.memo.insert(id, v.clone());
        v
    }

    fn compute(&mut self, alg: &mut Algebra, id: Id) -> Option<(Poly, Conditions)> {
        let node = self.program.nodes[id].clone();
        let two = |me: &mut Self, alg: &mut Algebra, x: Id, y: Id| {
            let (a, ca) = me.of(alg, x)?;
            let (b, cb) = me.of(alg, y)?;
            Some((a, b, ca.union(&cb).copied().collect::<Conditions>()))
        };
        Some(match node {
            Node::Num(q) => (constant(q), Conditions::new()),
            Node::Coord(k) => (self.coords[k].clone(), Conditions::new()),
            Node::Neg(x) => {
                let (a, c) = self.of(alg, x)?;
                (add(&Poly::new(), &a, -1)?, c)
            }
            Node::Add(x, y) | Node::Sub(x, y) => {
                let (a, b, c) = two(self, alg, x, y)?;
                let sign = if matches!(node, Node::Add(..)) { 1 } else { -1 };
                (add(&a, &b, sign)?, c)
            }
            Node::Mul(x, y) => {
                let (a, b, c) = two(self, alg, x, y)?;
                (alg.mul(&a, &b)?, c)
            }
            Node::Div(x, y) => {
                let (a, b, c) = two(self, alg, x, y)?;
                let inv = alg.power(&b, &Rational::from(-1))?;
                (alg.mul(&a, &inv)?, c)
            }
            Node::Pow(x, q) if q.is_integer() => {
                let (a, c) = self.of(alg, x)?;
                (alg.power(&a, &q)?, c)
            }
            Node::Pow(x, q) => self.root(alg, x, q)?,
            Node::Sqrt(x) => self.root(alg, x, Rational::from((1, 2)))?,
            Node::PowVar(x, y) => self.opaque(alg, 1, &[x, y])?,
            Node::Log(x) => self.opaque(alg, 2, &[x])?,
            Node::Exp(x) => self.opaque(alg, 3, &[x])?,
            Node::Abs(x) => self.opaque(alg, 4, &[x])?,
            Node::Ceil(x) => self.opaque(alg, 5, &[x])?,
            Node::Floor(x) => self.opaque(alg, 6, &[x])?,
            Node::Min(a) => self.opaque(alg, 7, &a)?,
            Node::Max(a) => self.opaque(alg, 8, &a)?,
            Node::ExtremeD { .. } | Node::AbsD(..) | Node::NoDerivative => return None,
        })
    }

    /// An opaque atom; a min's or max's arguments flattened (`min(min(a, b), c)` is
    /// `min(a, b, c)`) and sorted, since both are associative and commutative.
    fn opaque(&mut self, alg: &mut Algebra, tag: u8, args: &[Id]) -> Option<(Poly, Conditions)> {
        let mut polys = Vec::with_capacity(args.len());
        let mut conds = Conditions::new();
        for &a in args {
            let (p, c) = self.of(alg, a)?;
            conds.extend(c);
            match alg.single_atom(&p) {
                Some(Atom::Opaque(t, inner)) if (tag == 7 || tag == 8) && t == tag => {
                    polys.extend(inner)
                }
                _ => polys.push(p),
            }
        }
        if tag == 7 || tag == 8 {
            polys.sort();
            polys.dedup();
        }
        Some((
            alg.atom_pow(Atom::Opaque(tag, polys), Rational::from(1)),
            conds,
        ))
    }

    /// `x^q`, q not an integer: distributed over products, quotients, powers and roots; a
    /// polynomial's root through its coefficient and atoms, or its primitive sum as an atom.
    fn root(&mut self, alg: &mut Algebra, x: Id, q: Rational) -> Option<(Poly, Conditions)> {
        let key = (x, q.clone());
        if let Some(v) = self.roots.get(&key) {
            return v.clone();
        }
        let v = self.root_of(alg, x, q);
        self.roots.insert(key, v.clone());
        v
    }

    fn root_of(&mut self, alg: &mut Algebra, x: Id, q: Rational) -> Option<(Poly, Conditions)> {
        let node = self.program.nodes[x].clone();
        match node {
            Node::Mul(a, b) | Node::Div(a, b) => {
                let (pa, mut ca) = self.root(alg, a, q.clone())?;
                let (pb, cb) = self.root(alg, b, q)?;
                ca.extend(cb);
                let pb = if matches!(node, Node::Div(..)) {
                    alg.power(&pb, &Rational::from(-1))?
                } else {
                    pb
                };
                Some((alg.mul(&pa, &pb)?, ca))
            }
            Node::Pow(a, r) => self.root_or_power(alg, a, q * r),
            Node::Sqrt(a) => self.root_or_power(alg, a, q / 2u32),
            _ => {
                let (p, mut c) = self.of(alg, x)?;
                let (r, cr) = alg.root_of_poly(&p, &q)?;
                c.extend(cr);
                Some((r, c))
            }
        }
    }

    /// `a^e` reached through a root: an integer e needs `a > 0` as well (`√(a²) = a`).
    fn root_or_power(
        &mut self,
        alg: &mut Algebra,
        a: Id,
        e: Rational,
    ) -> Option<(Poly, Conditions)> {
        if e.is_integer() {
            let (p, mut c) = self.of(alg, a)?;
            c.extend(alg.positivity(&p)?);
            Some((alg.power(&p, &e)?, c))
        } else {
            self.root(alg, a, e)
        }
    }
}

impl Algebra {
    /// The atom `p` is, when it is one atom to the power 1 with coefficient 1.
    fn single_atom(&self, p: &Poly) -> Option<Atom> {
        let (m, c) = p.iter().next().filter(|_| p.len() == 1)?;
        let (a, e) = m.iter().next().filter(|_| m.len() == 1)?;
        (*c == 1 && *e == 1).then(|| self.atoms[*a].clone())
    }

    fn intern(&mut self, a: Atom) -> usize {
        if let Some(&i) = self.index.get(&a) {
            return i;
        }
        let i = self.atoms.len();
        let value = match &a {
            // a sum whose terms cancel to far below their size has a value too uncertain to
            // tell polynomials apart by: NaN, which never does
            Atom::Sum(s) => {
                let (v, size) = self.fingerprint(s);
                if size < 1e6 * v.abs() { v } else { f64::NAN }
            }
            Atom::Literal(n) => n.to_f64(),
            // a fixed scatter of [1, 2): the golden-ratio sequence
            _ => 1.0 + (i as f64 * 0.618_033_988_749_894_9).fract(),
        };
        self.atoms.push(a.clone());
        self.index.insert(a, i);
        self.values.push(value);
        i
    }

    /// The value of `p` at the algebra's fixed point (NaN or infinite where that point is
    /// outside its domain), and the sum of its terms' magnitudes. Equal polynomials have
    /// values equal up to rounding, so values far apart show two polynomials different
    /// without [`Algebra::equal`]'s exact work.
    pub fn fingerprint(&self, p: &Poly) -> (f64, f64) {
        p.iter()
            .map(|(m, c)| {
                m.iter()
                    .map(|(a, e)| self.values[*a].powf(e.to_f64()))
                    .product::<f64>()
                    * c.to_f64()
            })
            .fold((0.0, 0.0), |(v, size), t| (v + t, size + t.abs()))
    }

    /// Whether `a` and `b` are certainly different by their fingerprints: finite, and apart
    /// by a millionth of their terms' sizes, far more than rounding moves them.
    pub fn apart(&self, a: &Poly, b: &Poly) -> bool {
        let ((x, sx), (y, sy)) = (self.fingerprint(a), self.fingerprint(b));
        let size = sx + sy;
        size.is_finite() && (x - y).abs() > 1e-6 * size
    }

    /// The polynomial `a^e`; a sum or a literal raised to at least 1 multiplied out again.
    fn atom_pow(&mut self, a: Atom, e: Rational) -> Poly {
        let i = self.intern(a);
        let mut m = Mono::new();
        m.insert(i, e);
        let mut p = Poly::new();
        p.insert(m, Rational::from(1));
        p
    }

    /// A term made canonical: each sum atom with exponent ≥ 1 multiplied out, each literal's
    /// exponent brought into [0, 1) (`√2⁻¹ = √2/2`).
    fn settle(&self, m: Mono, c: Rational) -> Option<Poly> {
        let mut out = Poly::new();
        let mut mono = Mono::new();
        let mut expand: Vec<(Poly, u32)> = Vec::new();
        let mut coef = c;
        for (a, e) in m {
            let whole = e.clone().floor();
            match &self.atoms[a] {
                Atom::Sum(s) if whole >= 1 => {
                    let k = whole.numer().to_u32().filter(|&k| k <= MAX_POWER)?;
                    expand.push((s.clone(), k));
                    let rest = e - whole;
                    if rest != 0 {
                        mono.insert(a, rest);
                    }
                }
                Atom::Literal(n) if whole != 0 => {
                    let k = whole.numer().to_i32().filter(|&k| k.abs() <= 64)?;
                    let v = Rational::from(n.clone().pow(k.unsigned_abs()));
                    coef *= if k > 0 { v } else { v.recip() };
                    let rest = e - whole;
                    if rest != 0 {
                        mono.insert(a, rest);
                    }
                }
                _ => {
                    mono.insert(a, e);
                }
            }
        }
        out.insert(mono, coef);
        for (s, k) in expand {
            for _ in 0..k {
                out = self.mul_raw(&out, &s)?;
            }
        }
        Some(out)
    }

    fn mul_raw(&self, a: &Poly, b: &Poly) -> Option<Poly> {
        if a.len().saturating_mul(b.len()) > MAX_TERMS * 8 {
            return None;
        }
        let mut out = Poly::new();
        for (ma, ca) in a {
            for (mb, cb) in b {
                let mut m = ma.clone();
                for (k, e) in mb {
                    *m.entry(*k).or_default() += e;
                }
                m.retain(|_, e| *e != 0);
                *out.entry(m).or_default() += Rational::from(ca * cb);
            }
        }
        out.retain(|_, c| *c != 0);
        (out.len() <= MAX_TERMS).then_some(out)
    }

    pub fn mul(&self, a: &Poly, b: &Poly) -> Option<Poly> {
        let raw = self.mul_raw(a, b)?;
        let mut out = Poly::new();
        for (m, c) in raw {
            out = add(&out, &self.settle(m, c)?, 1)?;
        }
        Some(out)
    }

    /// `p^n`, n an integer: by repeated products for a sum (n ≤ [`MAX_POWER`]), exponents
    /// times n for a single term; a negative power of a sum through its primitive part.
    fn power(&mut self, p: &Poly, n: &Rational) -> Option<Poly> {
        let k = n.numer().to_i32()?;
        if p.len() == 1 {
            let (m, c) = p.iter().next()?;
            // the coefficient's power exactly, within a bound on its size
            let bits = u64::from(c.numer().significant_bits() + c.denom().significant_bits());
            if bits.saturating_mul(u64::from(k.unsigned_abs())) > MAX_COEFFICIENT_BITS {
                return None;
            }
            let mono: Mono = m.iter().map(|(a, e)| (*a, Rational::from(e * n))).collect();
            let c = if k >= 0 {
                c.clone().pow(k.unsigned_abs())
            } else {
                c.clone().pow(k.unsigned_abs()).recip()
            };
            return self.settle(mono, c);
        }
        if p.is_empty() {
            return (k > 0).then(Poly::new);
        }
        if k >= 0 {
            let k = u32::try_from(k).ok().filter(|&k| k <= MAX_POWER)?;
            let mut out = constant(Rational::from(1));
            for _ in 0..k {
                out = self.mul(&out, p)?;
            }
            return Some(out);
        }
        // p = c·M·S with S primitive: p^k = c^k·M^k·S^k
        let (c, m, s) = primitive(p);
        let mut out = self.atom_pow(Atom::Sum(s), Rational::from(k));
        let mut front = Poly::new();
        front.insert(m, c);
        let front = self.power(&front, n)?;
        out = self.mul(&out, &front)?;
        Some(out)
    }

    /// The atoms whose positivity makes `p` positive: a single term's (its coefficient must
    /// be positive), or a sum's common monomial's and its primitive part (negated when the
    /// content is negative). `None` for 0 or a term with a negative coefficient.
    fn positivity(&mut self, p: &Poly) -> Option<Conditions> {
        if p.len() == 1 {
            let (m, c) = p.iter().next()?;
            return (*c > 0).then(|| m.keys().copied().collect());
        }
        if p.is_empty() {
            return None;
        }
        let (c, m, s) = primitive(p);
        let s = if c < 0 { add(&Poly::new(), &s, -1)? } else { s };
        let mut out: Conditions = m.keys().copied().collect();
        out.insert(self.intern(Atom::Sum(s)));
        Some(out)
    }

    /// `p^q` for a polynomial p and a non-integer q, where p > 0: a single term by its
    /// coefficient's root and its exponents times q; a sum as `|c|^q·M^q·S^q` (`S` primitive,
    /// negated with a negative content), an atom raised to q. With the conditions.
    fn root_of_poly(&mut self, p: &Poly, q: &Rational) -> Option<(Poly, Conditions)> {
        let conds = self.positivity(p)?;
        let (c, m, s) = if p.len() == 1 {
            let (m, c) = p.iter().next()?;
            (c.clone(), m.clone(), None)
        } else {
            let (c, m, s) = primitive(p);
            if c < 0 {
                (-c, m, Some(add(&Poly::new(), &s, -1)?))
            } else {
                (c, m, Some(s))
            }
        };
        let mut out = self.rational_power(&c, q)?;
        let mono: Mono = m.iter().map(|(a, e)| (*a, Rational::from(e * q))).collect();
        out = self.mul(&out, &self.settle(mono, Rational::from(1))?)?;
        if let Some(s) = s {
            let a = self.atom_pow(Atom::Sum(s), q.clone());
            out = self.mul(&out, &a)?;
        }
        Some((out, conds))
    }

    /// `c^q`, c > 0, q rational: c factored into primes (trial division below 2^16; a
    /// cofactor past that stands as one prime), each `pᵏ` raised to q as `p^⌊kq⌋` in the
    /// coefficient times the atom `p` to the fractional part, so that `√30·√2 = 2·√15` and
    /// `2^(1/4)·2^(1/4) = √2`.
    fn rational_power(&mut self, c: &Rational, q: &Rational) -> Option<Poly> {
        if *c <= 0 || c.numer().significant_bits() > 128 || c.denom().significant_bits() > 128 {
            return None;
        }
        let mut factors: BTreeMap<Integer, i64> = BTreeMap::new();
        for (n, sign) in [(c.numer().clone(), 1i64), (c.denom().clone(), -1)] {
            let mut rest = n;
            let mut k = 2u32;
            while Integer::from(k) * k <= rest && k < 1 << 16 {
                while rest.is_divisible_u(k) {
                    rest /= k;
                    *factors.entry(Integer::from(k)).or_default() += sign;
                }
                k += 1;
            }
            if rest > 1 {
                *factors.entry(rest).or_default() += sign;
            }
        }
        let mut out = constant(Rational::from(1));
        for (p, k) in factors {
            let e = Rational::from(k) * q;
            let whole = e.clone().floor();
            let w = whole.numer().to_i32().filter(|w| w.abs() <= 1 << 12)?;
            if u64::from(p.significant_bits()) * u64::from(w.unsigned_abs()) > MAX_COEFFICIENT_BITS
            {
                return None;
            }
            let v = Rational::from(p.clone().pow(w.unsigned_abs()));
            let v = if w >= 0 { v } else { v.recip() };
            out = self.mul(&out, &constant(v))?;
            let frac = e - whole;
            if frac != 0 {
                let a = self.atom_pow(Atom::Literal(p), frac);
                out = self.mul(&out, &a)?;
            }
        }
        Some(out)
    }

    /// Whether `a` and `b` are equal: their difference divided by the monomial its terms have
    /// in common (so that no sum is left divided by) and multiplied out is 0.
    pub fn equal(&self, a: &Poly, b: &Poly) -> bool {
        let Some(h) = add(a, b, -1) else {
            return false;
        };
        if h.is_empty() {
            return true;
        }
        let (_, common, _) = primitive(&h);
        let mut out = Poly::new();
        for (m, c) in &h {
            let mut m = m.clone();
            for (x, e) in &common {
                *m.entry(*x).or_default() -= e;
            }
            m.retain(|_, e| *e != 0);
            let Some(t) = self.settle(m, c.clone()) else {
                return false;
            };
            match add(&out, &t, 1) {
                Some(x) => out = x,
                None => return false,
            }
        }
        out.is_empty()
    }
}

impl Algebra {
    /// Atom `a` written as a node of `program` (whose coordinates are the atoms' coordinates).
    pub fn materialize(&self, a: usize, program: &mut Program) -> Result<Id, String> {
        match &self.atoms[a] {
            Atom::Coord(k) => program.push(Node::Coord(*k)),
            Atom::Literal(n) => program.push(Node::Num(Rational::from(n))),
            Atom::Sum(s) => self.poly_node(s, program),
            Atom::Opaque(tag, args) => {
                let ids = args
                    .iter()
                    .map(|p| self.poly_node(p, program))
                    .collect::<Result<Vec<_>, _>>()?;
                let one = ids
                    .first()
                    .copied()
                    .ok_or("an opaque atom without arguments")?;
                program.push(match tag {
                    1 => Node::PowVar(one, *ids.get(1).ok_or("x^y without y")?),
                    2 => Node::Log(one),
                    3 => Node::Exp(one),
                    4 => Node::Abs(one),
                    5 => Node::Ceil(one),
                    6 => Node::Floor(one),
                    7 => Node::Min(ids),
                    _ => Node::Max(ids),
                })
            }
        }
    }

    /// A polynomial written as a node: Σ c·∏ aᵉ.
    pub fn poly_node(&self, p: &Poly, program: &mut Program) -> Result<Id, String> {
        let mut sum: Option<Id> = None;
        for (m, c) in p {
            let mut term = program.push(Node::Num(c.clone()))?;
            for (a, e) in m {
                let x = self.materialize(*a, program)?;
                let x = if *e == 1 {
                    x
                } else {
                    program.push(Node::Pow(x, e.clone()))?
                };
                term = program.push(Node::Mul(term, x))?;
            }
            sum = Some(match sum {
                None => term,
                Some(s) => program.push(Node::Add(s, term))?,
            });
        }
        match sum {
            Some(s) => Ok(s),
            None => program.push(Node::Num(Rational::new())),
        }
    }
}

/// `p = c·M·S`: c the content (positive, or negative so that S's first coefficient is
/// positive), M the monomial common to every term (each atom's least exponent), S primitive.
fn primitive(p: &Poly) -> (Rational, Mono, Poly) {
    let mut common: Option<Mono> = None;
    for m in p.keys() {
        common = Some(match common {
            None => m.clone(),
            Some(c) => {
                let atoms: BTreeSet<usize> = c.keys().chain(m.keys()).copied().collect();
                let zero = Rational::new();
                atoms
                    .into_iter()
                    .map(|a| {
                        let x = c.get(&a).unwrap_or(&zero).clone();
                        let y = m.get(&a).unwrap_or(&zero).clone();
                        (a, x.min(y))
                    })
                    .filter(|(_, e)| *e != 0)
                    .collect()
            }
        });
    }
    let common = common.unwrap_or_default();
    let (mut g, mut l) = (Integer::new(), Integer::from(1));
    for c in p.values() {
        g = g.gcd(c.numer());
        l = l.lcm(c.denom());
    }
    let mut content = Rational::from((g, l));
    if p.values().next().is_some_and(|c| *c < 0) {
        content = -content;
    }
    let s: Poly = p
        .iter()
        .map(|(m, c)| {
            let mut m = m.clone();
            for (a, e) in &common {
                *m.entry(*a).or_default() -= e;
            }
            m.retain(|_, e| *e != 0);
            (m, Rational::from(c / &content))
        })
        .collect();
    (content, common, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use crate::program::Builder;
    use std::collections::HashMap;

    /// Whether `a ≡ b` by expansion over coordinates x, y, and the conditions (as text).
    fn expand_both(a: &str, b: &str) -> Option<(bool, usize)> {
        let (c, d) = (HashMap::new(), HashMap::new());
        let mut bld = Builder::new(vec!["x".into(), "y".into()], &c, &d);
        let ia = bld.ast(&parse::expr(a).unwrap()).unwrap();
        let ib = bld.ast(&parse::expr(b).unwrap()).unwrap();
        let p = bld.program;
        let mut alg = Algebra::default();
        let mut ex = Expansion::new(&mut alg, &p, &[]);
        let ((pa, ca), (pb, cb)) = (ex.of(&mut alg, ia)?, ex.of(&mut alg, ib)?);
        Some((alg.equal(&pa, &pb), ca.union(&cb).count()))
    }

    fn same_text(a: &str, b: &str) -> bool {
        expand_both(a, b).is_some_and(|(s, _)| s)
    }

    #[test]
    fn equal_expressions_expand_alike() {
        assert!(same_text("(x + y)^2", "x^2 + 2*x*y + y^2"));
        assert!(same_text("sqrt(x*y)", "sqrt(x)*sqrt(y)"));
        assert!(same_text("sqrt(x^2*y)", "x*sqrt(y)"));
        assert!(same_text("x^(3/2)", "x*sqrt(x)"));
        assert!(same_text("sqrt(x + y)*sqrt(x + y)", "x + y"));
        assert!(same_text("sqrt(2*x + 2*y)", "sqrt(2)*sqrt(x + y)"));
        assert!(same_text("sqrt(8)", "2*sqrt(2)"));
        assert!(same_text("sqrt(1/2)", "sqrt(2)/2"));
        assert!(same_text("sqrt(30)/sqrt(2)", "sqrt(15)"));
        assert!(same_text("sqrt(sqrt(2))^2", "sqrt(2)"));
        assert!(same_text("(3/4)^(1/3)*6^(1/3)", "(9/2)^(1/3)"));
        assert!(same_text("1/x - 1/(2*x - x^2)", "(1 - x)/(x*(2 - x))"));
        assert!(same_text("1/(x + y) + 1/(x - y)", "2*x/(x^2 - y^2)"));
        assert!(same_text("(x + y)/(x + y)", "1"));
        assert!(same_text("1/(2*x + 2*x*y)", "1/(2*x)/(1 + y)"));
        assert!(same_text(
            "log(x + 1)*(x - y)/(x*y)",
            "log(1 + x)/y - log(x + 1)/x"
        ));
        assert!(same_text(
            "max(x, y)^2 - 1",
            "(max(x, y) - 1)*(max(x, y) + 1)"
        ));
        assert!(same_text("min(min(x, 1/y), x*y)", "min(x*y, x, 1/y, x)"));
    }

    #[test]
    fn different_expressions_expand_differently() {
        assert!(!same_text("(x + y)^2", "x^2 + y^2"));
        assert!(!same_text("log(x*y)", "log(x) + log(y)"), "log is opaque");
        assert!(!same_text("max(x, y)", "min(y, x)"));
        assert!(!same_text("max(min(x, y), 1)", "min(max(x, y), 1)"));
        assert!(!same_text("x/y", "x/y + 1/10^30"));
        assert!(!same_text("sqrt(x + y)", "sqrt(x) + sqrt(y)"));
        assert!(!same_text("1/(x + y) + 1/(x - y)", "2*y/(x^2 - y^2)"));
        assert!(!same_text("sqrt(30)/sqrt(2)", "sqrt(14)"));
        // √((x − y)²) is |x − y|: x − y only where x − y > 0, a condition
        assert_eq!(expand_both("sqrt((x - y)^2)", "x - y"), Some((true, 1)));
        // √(x²y) is |x|·√y: x·√y only where x > 0 and y > 0
        assert_eq!(
            expand_both("sqrt(2*x^2*y - x^2*y)", "x*sqrt(y)"),
            Some((true, 2))
        );
        assert!(!same_text("sqrt(x^2 - 2*x*y + y^2)", "x - y"));
        assert!(!same_text("sqrt(9)", "-3"));
    }
}
