//! Exact algebraic normal form of a register, to tame the dependency problem of interval
//! arithmetic. The register is expanded into a sum of monomials with rational coefficients over
//! "atoms" (inputs, and registers such as logarithms, minima or sums that are divided by), with
//! rational exponents, so that `2ηc − (2ηc − η²L²)` becomes `η²L²`, and the common factor of
//! all monomials is pulled out, so that `μ²b/λ − 20b/λ` becomes `b·λ⁻¹·(μ² − 20)`. A quotient
//! by a sum `S` first pulls the common monomial `M` out of `S`: `1/S = M⁻¹·(S/M)⁻¹`.
//!
//! Square roots and constant real powers of a monomial distribute over its atoms
//! (`√(ηc) = η^{1/2}c^{1/2}`), which is valid only where those atoms are positive: every atom
//! raised to a non-integer power is returned as a positivity condition, and the rewritten
//! register may be used only on cells where the conditions hold. Elsewhere the rewriting is
//! exact algebra, so the rebuilt register equals the original wherever both are defined.

use super::tape::{Op, Origin, Reg, Tape};
use rug::{Integer, Rational};
use std::collections::{BTreeMap, BTreeSet};

/// A monomial: atom register → exponent (nonzero).
type Monomial = BTreeMap<Reg, Rational>;
/// A Laurent polynomial with rational exponents: monomial → coefficient (nonzero).
type Poly = BTreeMap<Monomial, Rational>;

/// Terms beyond this make a register an atom instead of being expanded.
const MAX_TERMS: usize = 48;
/// Integer powers of sums expanded up to this exponent.
const MAX_POWER: i64 = 6;

fn constant(q: Rational) -> Poly {
    let mut p = Poly::new();
    if q != 0 {
        p.insert(Monomial::new(), q);
    }
    p
}

fn atom_pow(r: Reg, e: Rational) -> Poly {
    let mut m = Monomial::new();
    m.insert(r, e);
    let mut p = Poly::new();
    p.insert(m, Rational::from(1));
    p
}

fn atom(r: Reg) -> Poly {
    atom_pow(r, Rational::from(1))
}

fn add(a: &Poly, b: &Poly, sign: i32) -> Poly {
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
    out
}

fn mono_mul(a: &Monomial, b: &Monomial) -> Monomial {
    let mut m = a.clone();
    for (r, e) in b {
        *m.entry(*r).or_default() += e;
    }
    m.retain(|_, e| *e != 0);
    m
}

fn mul(a: &Poly, b: &Poly) -> Option<Poly> {
    if a.len() * b.len() > MAX_TERMS * 4 {
        return None;
    }
    let mut out = Poly::new();
    for (ma, ca) in a {
        for (mb, cb) in b {
            *out.entry(mono_mul(ma, mb)).or_default() += Rational::from(ca * cb);
        }
    }
    out.retain(|_, c| *c != 0);
    (out.len() <= MAX_TERMS).then_some(out)
}

/// The single term of a one-term polynomial.
fn single(p: &Poly) -> Option<(&Monomial, &Rational)> {
    if p.len() == 1 { p.iter().next() } else { None }
}

/// The exact square root of a nonnegative rational, when it is a square.
fn exact_sqrt(q: &Rational) -> Option<Rational> {
    if *q < 0 {
        return None;
    }
    let (n, d) = (q.numer(), q.denom());
    let (sn, rn) = n.clone().sqrt_rem(Integer::new());
    let (sd, rd) = d.clone().sqrt_rem(Integer::new());
    (rn == 0 && rd == 0).then(|| Rational::from((sn, sd)))
}

/// Expands registers into polynomials over atoms; may add registers to the tape (for the
/// cofactor of a sum that is divided by, and for constants under a square root).
struct Expander<'t> {
    tape: &'t mut Tape,
    memo: BTreeMap<Reg, Poly>,
    /// Atoms raised to non-integer powers: they must be positive for the rewriting to hold.
    positive: BTreeSet<Reg>,
    /// One register per normalized sum, so that every occurrence of a sum that is divided by
    /// or taken the square root of is the same atom (and `√S·√S·S⁻¹` cancels).
    sums: BTreeMap<Poly, Reg>,
    /// Inputs `0..coords` are the coordinates the rest's terms are grouped by.
    coords: usize,
}

impl Expander<'_> {
    fn expand(&mut self, r: Reg) -> Poly {
        if let Some(p) = self.memo.get(&r) {
            return p.clone();
        }
        let p = match self.compute(r) {
            Some(p) => self.canon(p),
            None => atom(r),
        };
        let p = if p.len() > MAX_TERMS { atom(r) } else { p };
        self.memo.insert(r, p.clone());
        p
    }

    /// Each sum atom raised to a positive integer power (a sum that was divided by, or taken
    /// the square root of, elsewhere in the expression) multiplied out again, when that leaves
    /// no more terms than before: `−S·L + L² + cL·…` with `S = L + c` cancels only once `S`
    /// is expanded. Exact algebra (`S` is its polynomial).
    fn multiply_out_sums(&mut self, p: Poly) -> Poly {
        let by_reg: BTreeMap<Reg, Poly> = self.sums.iter().map(|(q, &r)| (r, q.clone())).collect();
        let has = p.keys().any(|m| {
            m.iter()
                .any(|(a, e)| by_reg.contains_key(a) && is_positive_integer(e))
        });
        if !has {
            return p;
        }
        let mut out = Poly::new();
        for (m, c) in &p {
            let mut term = constant(c.clone());
            let mut kept = Monomial::new();
            for (a, e) in m {
                match by_reg.get(a) {
                    Some(q) if is_positive_integer(e) => {
                        for _ in 0..e.numer().to_u32().unwrap_or(0) {
                            match mul(&term, q) {
                                Some(t) => term = t,
                                None => return p,
                            }
                        }
                    }
                    _ => {
                        kept.insert(*a, e.clone());
                    }
                }
            }
            let mut k = Poly::new();
            k.insert(kept, Rational::from(1));
            match mul(&term, &k) {
                Some(t) => out = add(&out, &t, 1),
                None => return p,
            }
            if out.len() > MAX_TERMS {
                return p;
            }
        }
        let out = self.canon(out);
        if groups(self.tape, &out, self.coords).len() <= groups(self.tape, &p, self.coords).len() {
            out
        } else {
            p
        }
    }

    /// The positive rational `k` when register `r` is `√k` of a literal.
    fn root_of_literal(&self, r: Reg) -> Option<Rational> {
        let Op::Sqrt(a) = self.tape.instrs[r].op else {
            return None;
        };
        let Op::Const(k) = self.tape.instrs[a].op else {
            return None;
        };
        let q = &self.tape.consts[k];
        (*q > 0).then(|| q.clone())
    }

    /// Square roots of literals in canonical form: in each monomial, the integer powers of
    /// atoms `√k` (k a positive rational) become a rational coefficient times at most one
    /// `√n`, n an integer with its square factors (those found by trial division, and a
    /// square cofactor) taken out, so that `√2²` is 2 and `√2·√3·√(7/2)` is `√21`. Exact
    /// algebra for positive literals: `√(p/q) = √(pq)/q`, `√a·√b = √(ab)`.
    fn canon(&mut self, p: Poly) -> Poly {
        let touches = p
            .keys()
            .any(|m| m.keys().any(|&a| self.root_of_literal(a).is_some()));
        if !touches {
            return p;
        }
        self.try_canon(&p).unwrap_or(p)
    }

    /// [`Self::canon`], or `None` where a power grows past the exact limits.
    fn try_canon(&mut self, p: &Poly) -> Option<Poly> {
        let mut out = Poly::new();
        for (m, c) in p.clone() {
            let mut coef = c;
            let mut radicand = Integer::from(1);
            let mut rest = Monomial::new();
            for (a, e) in m {
                let k = match (self.root_of_literal(a), e.is_integer()) {
                    (Some(k), true) => k,
                    _ => {
                        rest.insert(a, e);
                        continue;
                    }
                };
                let Some(e) = e.numer().to_i64().filter(|e| e.abs() <= 64) else {
                    rest.insert(a, e);
                    continue;
                };
                // √(p/q)^e = (f/q)^e·u^h·√u^b with pq = f²u, e = 2h + b, b ∈ {0, 1}
                let (num, den) = k.into_numer_denom();
                let (f, u) = square_part(Integer::from(&num * &den));
                let base = Rational::from((f, den));
                let (h, b) = (e.div_euclid(2), e.rem_euclid(2));
                coef *= crate::arith::exact::powi(&base, e).ok()?;
                coef *= crate::arith::exact::powi(&Rational::from(u.clone()), h).ok()?;
                if b == 1 {
                    radicand *= u;
                }
            }
            let (f, u) = square_part(radicand);
            coef *= f;
            if u != 1 {
                let origin = Origin {
                    source: 0,
                    span: Default::default(),
                };
                let k = self.tape.constant(&Rational::from(u), origin);
                let s = self.tape.push(Op::Sqrt(k), origin);
                *rest.entry(s).or_default() += 1;
                rest.retain(|_, e| *e != 0);
            }
            *out.entry(rest).or_default() += coef;
        }
        out.retain(|_, c| *c != 0);
        Some(out)
    }

    /// `p^e` for a rational exponent: a monomial's exponents scale (non-integer scaling needs
    /// its atoms positive); a sum is expanded for small natural `e`, else it is an atom.
    fn power(&mut self, p: &Poly, e: &Rational, origin: Origin) -> Option<Poly> {
        if let Some((m, c)) = single(p) {
            let coef = if e.is_integer() {
                crate::arith::exact::powi(c, e.numer().to_i64()?).ok()?
            } else if *e == Rational::from((1, 2)) {
                match exact_sqrt(c) {
                    Some(s) => s,
                    None => {
                        // √c for a constant c > 0 becomes an atom of its own
                        if *c <= 0 {
                            return None;
                        }
                        let k = self.tape.constant(c, origin);
                        let s = self.tape.push(Op::Sqrt(k), origin);
                        let mut rest = Poly::new();
                        let mm: Monomial = m
                            .iter()
                            .map(|(x, ex)| (*x, Rational::from(ex * e)))
                            .collect();
                        rest.insert(mm, Rational::from(1));
                        self.positive.extend(m.keys().copied());
                        return mul(&rest, &atom(s));
                    }
                }
            } else if *c == 1 {
                Rational::from(1)
            } else {
                return None;
            };
            let mm: Monomial = m
                .iter()
                .map(|(x, ex)| (*x, Rational::from(ex * e)))
                .filter(|(_, ex)| *ex != 0)
                .collect();
            // (x^a)^e = x^(ae) for every x only when e is an integer.
            if !e.is_integer() {
                self.positive.extend(m.keys().copied());
            }
            let mut out = Poly::new();
            out.insert(mm, coef);
            return Some(out);
        }
        if e.is_integer() {
            let n = e.numer().to_i64()?;
            if (0..=MAX_POWER).contains(&n) {
                let mut acc = constant(Rational::from(1));
                for _ in 0..n {
                    acc = mul(&acc, p)?;
                }
                return Some(acc);
            }
            if n < 0 {
                let inv = self.inverse(p, origin)?;
                return self.power(&inv, &Rational::from(-n), origin);
            }
        }
        None
    }

    /// Splits a sum as `k·M·S`: `M` the common monomial, `k` the first positive coefficient
    /// of the remainder (the first coefficient when none is positive), and `S` the remainder
    /// divided by `k`, as one shared register. A positive `k` keeps `√(k·M·S) = √k·√M·√S`
    /// available: `2ηc − η²L²` with η = η_frac/(2c) is `η_frac·c⁻²·(c² − η_frac·L²/4)`,
    /// not `(−1/4)·η_frac·c⁻²·(η_frac·L² − 4c²)`, whose root has no real coefficient.
    fn split_sum(&mut self, p: &Poly, origin: Origin) -> (Rational, Monomial, Reg) {
        let common = common_monomial(p);
        let rest = divide_monomial(p, &common);
        let k = rest
            .values()
            .find(|c| **c > 0)
            .or_else(|| rest.values().next())
            .cloned()
            .unwrap_or_else(|| Rational::from(1));
        let normalized: Poly = rest
            .iter()
            .map(|(m, c)| (m.clone(), Rational::from(c / &k)))
            .collect();
        let s = match self.sums.get(&normalized) {
            Some(&s) => s,
            None => {
                let s = rebuild_sum(self.tape, &normalized, origin);
                self.sums.insert(normalized, s);
                s
            }
        };
        (k, common, s)
    }

    /// `1/p`: a monomial inverts its exponents; a sum `k·M·S` becomes `k⁻¹·M⁻¹·S⁻¹`.
    fn inverse(&mut self, p: &Poly, origin: Origin) -> Option<Poly> {
        if p.is_empty() {
            return None;
        }
        if let Some((m, c)) = single(p) {
            let inv: Monomial = m.iter().map(|(r, e)| (*r, Rational::from(-e))).collect();
            let mut out = Poly::new();
            out.insert(inv, Rational::from(c.recip_ref()));
            return Some(out);
        }
        let (k, common, s) = self.split_sum(p, origin);
        let mut m: Monomial = common
            .iter()
            .map(|(r, e)| (*r, Rational::from(-e)))
            .collect();
        *m.entry(s).or_default() -= 1;
        m.retain(|_, e| *e != 0);
        let mut out = Poly::new();
        out.insert(m, Rational::from(k.recip_ref()));
        Some(out)
    }

    /// `√x`, distributed over products, quotients and even powers before expanding (each
    /// factor must then be positive), and for a sum `k·M·S`, `√k·√M·S^{1/2}`.
    fn sqrt_of(&mut self, x: Reg, origin: Origin) -> Option<Poly> {
        match self.tape.instrs[x].op {
            Op::Mul(a, b) => {
                let pa = self.sqrt_of(a, origin)?;
                let pb = self.sqrt_of(b, origin)?;
                self.positive.extend([a, b]);
                return mul(&pa, &pb);
            }
            Op::Div(a, b) => {
                let pa = self.sqrt_of(a, origin)?;
                let pb = self.sqrt_of(b, origin)?;
                self.positive.extend([a, b]);
                let inv = self.inverse(&pb, origin)?;
                return mul(&pa, &inv);
            }
            Op::PowInt(a, n) if n % 2 == 0 => {
                let pa = self.expand(a);
                self.positive.insert(a);
                return self.power(&pa, &Rational::from(n / 2), origin);
            }
            _ => {}
        }
        let p = self.expand(x);
        if p.is_empty() {
            return Some(Poly::new());
        }
        if single(&p).is_some() {
            return self.power(&p, &Rational::from((1, 2)), origin);
        }
        let (k, common, s) = self.split_sum(&p, origin);
        let mut mono = Poly::new();
        mono.insert(common, k);
        let root = self.power(&mono, &Rational::from((1, 2)), origin)?;
        self.positive.insert(s);
        mul(&root, &atom_pow(s, Rational::from((1, 2))))
    }

    fn compute(&mut self, r: Reg) -> Option<Poly> {
        let origin = self.tape.instrs[r].origin;
        Some(match self.tape.instrs[r].op {
            Op::Const(k) => constant(self.tape.consts[k].clone()),
            Op::Add(a, b) => add(&self.expand(a), &self.expand(b), 1),
            Op::Sub(a, b) => add(&self.expand(a), &self.expand(b), -1),
            Op::Neg(a) => add(&Poly::new(), &self.expand(a), -1),
            Op::Mul(a, b) => mul(&self.expand(a), &self.expand(b))?,
            Op::Div(a, b) => {
                let pb = self.expand(b);
                let inv = self.inverse(&pb, origin)?;
                mul(&self.expand(a), &inv)?
            }
            Op::PowInt(a, n) => {
                // √x^(2k) = x^k wherever √x is defined
                if let Op::Sqrt(x) = self.tape.instrs[a].op
                    && n > 0
                    && n % 2 == 0
                {
                    let px = self.expand(x);
                    return self.power(&px, &Rational::from(n / 2), origin);
                }
                let pa = self.expand(a);
                self.power(&pa, &Rational::from(n), origin)?
            }
            Op::Sqrt(a) => self.sqrt_of(a, origin)?,
            Op::Pow(a, b) => {
                // a^q for a literal rational q: a monomial's exponents scale by q
                let Op::Const(k) = self.tape.instrs[b].op else {
                    return None;
                };
                let q = self.tape.consts[k].clone();
                let pa = self.expand(a);
                let (m, c) = single(&pa)?;
                // a coefficient under a half-integer power: (k·M)^(n/2) = (√(k·M))^n, with
                // √k a literal root (so 2^0.5 is √2); other fractions of a coefficient stay
                let half = *q.denom() == 2 && *c > 0;
                if *c != 1 && !q.is_integer() && !half {
                    return None;
                }
                let (m, c) = (m.clone(), c.clone());
                let mut one = Poly::new();
                one.insert(m, c.clone());
                let out = if c != 1 && half {
                    let root = self.power(&one, &Rational::from((1, 2)), origin)?;
                    self.power(&root, &Rational::from(q.numer()), origin)?
                } else {
                    self.power(&one, &q, origin)?
                };
                self.positive.insert(a);
                out
            }
            _ => return None,
        })
    }
}

fn is_positive_integer(e: &Rational) -> bool {
    e.is_integer() && *e > 0 && *e <= MAX_POWER
}

/// Primes by which [`square_part`] divides.
const SMALL_PRIMES: [u32; 25] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
];

/// `t = f²·u` with `f` the square factors of `t > 0` found by trial division by the primes
/// below 100 and, last, a cofactor that is a perfect square: `(f, u)`. Exact whatever `t`
/// (`u` may keep square factors of large primes; that only makes the form less canonical).
fn square_part(t: Integer) -> (Integer, Integer) {
    let mut f = Integer::from(1);
    let mut u = Integer::from(1);
    let mut rest = t;
    for p in SMALL_PRIMES {
        let mut k = 0u32;
        while rest.is_divisible_u(p) {
            rest /= p;
            k += 1;
        }
        f *= Integer::from(Integer::u_pow_u(p, k / 2));
        if k % 2 == 1 {
            u *= p;
        }
    }
    if rest.is_perfect_square() {
        f *= rest.sqrt();
    } else {
        u *= rest;
    }
    (f, u)
}

/// The common factor of all monomials: per atom, the least exponent (0 if absent).
fn common_monomial(p: &Poly) -> Monomial {
    let atoms: BTreeSet<Reg> = p.keys().flat_map(|m| m.keys().copied()).collect();
    let mut common = Monomial::new();
    for a in atoms {
        let zero = Rational::new();
        let e = p
            .keys()
            .map(|m| m.get(&a).unwrap_or(&zero).clone())
            .min()
            .unwrap_or_default();
        if e != 0 {
            common.insert(a, e);
        }
    }
    common
}

fn divide_monomial(p: &Poly, common: &Monomial) -> Poly {
    p.iter()
        .map(|(m, c)| {
            let inv: Monomial = common
                .iter()
                .map(|(a, e)| (*a, Rational::from(-e)))
                .collect();
            (mono_mul(m, &inv), c.clone())
        })
        .collect()
}

/// A monomial as registers: positive powers times, negative powers divided; an exponent p/2
/// through a square root, other fractions through a real power.
fn rebuild_monomial(tape: &mut Tape, m: &Monomial, origin: Origin) -> Option<Reg> {
    let mut num: Option<Reg> = None;
    let mut den: Option<Reg> = None;
    for (&a, e) in m {
        let abs = e.clone().abs();
        // an exponent too large for an integer power is kept exact as a real power of a
        // constant (never replaced by another number): the rebuilt register then equals the
        // original wherever both are defined, or faults
        let small = abs.numer().to_i64();
        let f = if abs == 1 {
            a
        } else if let (true, Some(k)) = (abs.is_integer(), small) {
            tape.push(Op::PowInt(a, k), origin)
        } else if let (true, Some(k)) = (*abs.denom() == 2, small) {
            let s = tape.push(Op::Sqrt(a), origin);
            if k == 1 {
                s
            } else {
                tape.push(Op::PowInt(s, k), origin)
            }
        } else {
            let k = tape.constant(&abs, origin);
            tape.push(Op::Pow(a, k), origin)
        };
        let slot = if *e > 0 { &mut num } else { &mut den };
        *slot = Some(match *slot {
            None => f,
            Some(x) => tape.push(Op::Mul(x, f), origin),
        });
    }
    match (num, den) {
        (None, None) => None,
        (Some(a), None) => Some(a),
        (a, Some(d)) => {
            let n = a.unwrap_or_else(|| tape.constant(&Rational::from(1), origin));
            Some(tape.push(Op::Div(n, d), origin))
        }
    }
}

/// The terms of `p` grouped by their part in the tape's inputs: input monomial → the sum of
/// the coefficients times the other atoms' part (`7L − 7L·R` → `L ↦ 7 − 7R`).
fn groups(tape: &Tape, p: &Poly, coords: usize) -> BTreeMap<Monomial, Poly> {
    let mut out: BTreeMap<Monomial, Poly> = BTreeMap::new();
    for (m, c) in p {
        let (inputs, other): (Monomial, Monomial) = m
            .iter()
            .map(|(a, e)| (*a, e.clone()))
            .partition(|(a, _)| matches!(tape.instrs[*a].op, Op::Input(k) if k < coords));
        *out.entry(inputs).or_default().entry(other).or_default() += c;
    }
    for q in out.values_mut() {
        q.retain(|_, c| *c != 0);
    }
    out.retain(|_, q| !q.is_empty());
    out
}

/// A sum of monomials as registers, its terms grouped by their part in the inputs
/// ([`groups`]): `L·(7 − 7R) + L²·7`, so that an interval evaluation meets each input
/// monomial once, with the other atoms' coefficient as one interval (less dependency).
/// Exact regrouping: the register equals [`rebuild_sum`]'s wherever both are defined.
fn rebuild_grouped(tape: &mut Tape, p: &Poly, coords: usize, origin: Origin) -> Reg {
    let grouped = groups(tape, p, coords);
    if grouped.len() == p.len() {
        return rebuild_sum(tape, p, origin);
    }
    let mut sum: Option<Reg> = None;
    for (m, q) in grouped {
        let coef = rebuild_sum(tape, &q, origin);
        let term = match rebuild_monomial(tape, &m, origin) {
            None => coef,
            Some(x) => tape.push(Op::Mul(coef, x), origin),
        };
        sum = Some(match sum {
            None => term,
            Some(s) => tape.push(Op::Add(s, term), origin),
        });
    }
    sum.unwrap_or_else(|| tape.constant(&Rational::new(), origin))
}

/// A sum of monomials as registers.
fn rebuild_sum(tape: &mut Tape, p: &Poly, origin: Origin) -> Reg {
    let mut sum: Option<Reg> = None;
    for (m, c) in p {
        let term = match rebuild_monomial(tape, m, origin) {
            None => tape.constant(c, origin),
            Some(x) if *c == 1 => x,
            Some(x) => {
                let k = tape.constant(c, origin);
                tape.push(Op::Mul(k, x), origin)
            }
        };
        sum = Some(match sum {
            None => term,
            Some(s) => tape.push(Op::Add(s, term), origin),
        });
    }
    sum.unwrap_or_else(|| tape.constant(&Rational::new(), origin))
}

/// The normal form of a register: `whole = factor · rest`, where `factor` is the common
/// monomial of all terms (absent when it is 1) and `rest` the sum of the remaining terms.
/// `positive` lists the atoms that must be positive on a cell for `whole` to equal the
/// original register there.
#[derive(Clone, Debug)]
pub struct NormalForm {
    pub whole: Reg,
    pub factor: Option<Reg>,
    pub rest: Reg,
    pub positive: Vec<Reg>,
    /// The rest rescaled by a power of some of its atoms ([`scaled_by_atom`]), for cells
    /// where an atom or its reciprocal may be unbounded: `(form, atoms)` with the rest equal
    /// to the form times a power of each atom wherever both are defined and every atom of
    /// `atoms` is positive; the third member is that product of powers (the multiplier, for
    /// a certificate; `None` for 1).
    pub scaled: Vec<(Reg, Vec<Reg>, Option<Reg>)>,
}

/// The most scaled forms of a rest ([`NormalForm::scaled`]).
const MAX_SCALED: usize = 4;

/// The rest rescaled by powers of its atoms, each form with the atoms it is rescaled by
/// ([`NormalForm::scaled`]):
/// - divided by the highest power `a^k` of each atom `a` (not a coordinate, not a literal's
///   root) that it holds only to nonnegative powers, in at least two different ones:
///   `1764·ℓ·√c − 294·ℓ·√S − (21/2)·√c` with `ℓ = log ζ` becomes `1764·√c − 294·√S −
///   (21/2)·√c·ℓ⁻¹`; where `ℓ` is unbounded on a cell (ζ → ∞) the rest's interval is ∞ − ∞,
///   the form's is bounded;
/// - multiplied by `x^k` for a coordinate `x` it holds to negative powers down to `x^{−k}`
///   (`s/u`, the chart of an unbounded coordinate, as `u → 0`): `(1 + f/u)²·A − (1 + g/u)²·B`
///   becomes `(u + f)²·A − (u + g)²·B`; and by every such coordinate at once, when there are
///   several (the form then lists them all).
///
/// Exact algebra: the rest is the form times a power of its atoms wherever those are positive
/// (for several coordinates, all of them), and has the form's sign there.
fn scaled_by_atom(ex: &Expander, rest: &Poly, coords: usize) -> Vec<(Poly, Vec<Reg>, Monomial)> {
    let atoms: BTreeSet<Reg> = rest.keys().flat_map(|m| m.keys().copied()).collect();
    let mut out = Vec::new();
    let mut reciprocal = Monomial::new();
    let zero = Rational::new();
    for a in atoms {
        if ex.root_of_literal(a).is_some() {
            continue;
        }
        let coordinate = matches!(ex.tape.instrs[a].op, Op::Input(k) if k < coords);
        let exps: BTreeSet<Rational> = rest
            .keys()
            .map(|m| m.get(&a).unwrap_or(&zero).clone())
            .collect();
        let (Some(lo), Some(hi)) = (exps.first(), exps.last()) else {
            continue;
        };
        if exps.len() < 2 {
            continue;
        }
        let mut by = Monomial::new();
        if coordinate && *lo < 0 {
            by.insert(a, lo.clone());
            reciprocal.insert(a, lo.clone());
        } else if !coordinate && *lo >= 0 && *hi > 0 {
            by.insert(a, hi.clone());
        } else {
            continue;
        }
        if out.len() < MAX_SCALED {
            out.push((divide_monomial(rest, &by), vec![a], by));
        }
    }
    if reciprocal.len() > 1 && out.len() < MAX_SCALED {
        let regs = reciprocal.keys().copied().collect();
        out.push((divide_monomial(rest, &reciprocal), regs, reciprocal));
    }
    out
}

/// The normal form of `r` (see the module's doc). When nothing changes, `whole` and `rest`
/// are `r` itself.
pub fn simplify(tape: &mut Tape, r: Reg) -> NormalForm {
    let coords = tape.inputs.len();
    simplify_over(tape, r, coords)
}

/// [`simplify`], the rest's terms grouped by their part in the inputs `0..coords` only (the
/// others, such as constants, count as coefficients).
pub fn simplify_over(tape: &mut Tape, r: Reg, coords: usize) -> NormalForm {
    let mut ex = Expander {
        tape,
        memo: BTreeMap::new(),
        positive: BTreeSet::new(),
        sums: BTreeMap::new(),
        coords,
    };
    let p = ex.expand(r);
    // the common monomial out, then sums multiplied out in what is left (a sum divided by in
    // every term is part of the common factor, and may appear to a positive power only in the
    // rest), and what they then have in common out too
    let common = common_monomial(&p);
    let rest = ex.multiply_out_sums(divide_monomial(&p, &common));
    let common2 = common_monomial(&rest);
    let rest = divide_monomial(&rest, &common2);
    let common = mono_mul(&common, &common2);
    let positive: Vec<Reg> = std::mem::take(&mut ex.positive).into_iter().collect();
    if let Some((m, c)) = single(&p)
        && *c == 1
        && m.len() == 1
        && m.get(&r) == Some(&Rational::from(1))
    {
        return NormalForm {
            whole: r,
            factor: None,
            rest: r,
            positive: vec![],
            scaled: vec![],
        };
    }
    let origin = ex.tape.instrs[r].origin;
    let scaled_polys = scaled_by_atom(&ex, &rest, coords);
    let tape = ex.tape;
    let sum = rebuild_grouped(tape, &rest, coords, origin);
    let scaled = scaled_polys
        .iter()
        .map(|(q, a, by)| {
            (
                rebuild_grouped(tape, q, coords, origin),
                a.clone(),
                rebuild_monomial(tape, by, origin),
            )
        })
        .collect();
    let factor = rebuild_monomial(tape, &common, origin);
    let whole = match factor {
        None => sum,
        Some(f) => tape.push(Op::Mul(f, sum), origin),
    };
    NormalForm {
        whole,
        factor,
        rest: sum,
        positive,
        scaled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{F64Eval, IntervalEval, parse};
    use std::collections::HashMap;

    fn build(src: &str) -> (Tape, Reg) {
        let e = parse(src, "t").unwrap();
        let mut tape = Tape::new(vec!["x".into(), "y".into(), "z".into()]);
        let env: HashMap<String, Reg> = [
            ("x".to_string(), 0),
            ("y".to_string(), 1),
            ("z".to_string(), 2),
        ]
        .into();
        let r = tape.compile(&e, &env, 0).unwrap();
        (tape, r)
    }

    #[test]
    fn normal_form_agrees_and_is_tighter() {
        for src in [
            "2*x*y - (2*x*y - x^2*z^2)",
            "sqrt(y)^2*z/x - 20*z/x + 3*z/x*sqrt(y)^2 - 4*z/x*sqrt(y)^2",
            "30*sqrt(x*y)*sqrt(x)/(2*x*y - x^2*z^2) - 15/sqrt(y)",
            "x^0.5*y^1.5/sqrt(x*y) - y",
            "1/(x*y) - 1/(2*x*y - x*y*z/3)",
        ] {
            let (mut tape, r) = build(src);
            let nf = simplify(&mut tape, r);
            let (s, pos) = (nf.whole, nf.positive);
            for (x, y, z) in [(1.5, 1.25, 1.75), (1.0, 2.0, 1.0), (1.9, 1.1, 1.3)] {
                let mut f = F64Eval::new(&tape);
                f.run(&tape, &[x, y, z]);
                let (a, b) = (f.get(r), f.get(s));
                assert!((a - b).abs() <= 1e-9 * (1.0 + a.abs()), "{src}: {a} vs {b}");
                for &p in &pos {
                    assert!(f.get(p) > 0.0);
                }
            }
            let mut ev = IntervalEval::new(&tape, 128);
            for k in 0..3 {
                let iv = crate::arith::Interval::new(
                    rug::Float::with_val(128, 1),
                    rug::Float::with_val(128, 2),
                )
                .unwrap();
                ev.set_input_interval(k, &iv);
            }
            ev.run(&tape);
            if let (Ok(a), Ok(b)) = (ev.get(r), ev.get(s)) {
                assert!(b.width() <= a.width(), "{src}");
            }
        }
    }

    #[test]
    fn square_root_of_a_square_needs_a_positive_atom() {
        // √(x²) = |x|: the normal form x is valid only where x > 0, which it reports.
        let (mut tape, r) = build("sqrt(x^2)");
        let nf = simplify(&mut tape, r);
        assert_ne!(nf.whole, r);
        assert_eq!(nf.positive, vec![0]);
    }
}
