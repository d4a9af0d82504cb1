//! Exact algebraic normal form of a register, to tame the dependency problem of interval
//! arithmetic. The register is expanded into a sum of monomials with rational coefficients over
//! "atoms" (inputs and every register that is not a sum, product, quotient by a monomial, or
//! small integer power: square roots, logarithms, minima, …), with integer exponents, so that
//! `2ηc − (2ηc − η²L²)` becomes `η²L²`. The common factor of all monomials is pulled out, so
//! that `μ²b/λ − 20b/λ` becomes `b·λ⁻¹·(μ² − 20)`, whose sign intervals decide at once.
//!
//! The rebuilt register equals the original as a real function wherever the original is
//! defined (the rewriting is exact algebra); a caller must still check that the original is
//! defined on the cell before trusting the rebuilt one.

use super::tape::{Op, Origin, Reg, Tape};
use rug::Rational;
use std::collections::BTreeMap;

/// A monomial: atom register → exponent (nonzero).
type Monomial = BTreeMap<Reg, i64>;
/// A Laurent polynomial: monomial → coefficient (nonzero).
type Poly = BTreeMap<Monomial, Rational>;

/// Terms beyond this make a register an atom instead of being expanded.
const MAX_TERMS: usize = 48;
/// Integer powers expanded up to this exponent.
const MAX_POWER: i64 = 6;

fn constant(q: Rational) -> Poly {
    let mut p = Poly::new();
    if q != 0 {
        p.insert(Monomial::new(), q);
    }
    p
}

fn atom(r: Reg) -> Poly {
    let mut m = Monomial::new();
    m.insert(r, 1);
    let mut p = Poly::new();
    p.insert(m, Rational::from(1));
    p
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
        let x = m.entry(*r).or_insert(0);
        *x += e;
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
            let e = out.entry(mono_mul(ma, mb)).or_default();
            *e += Rational::from(ca * cb);
        }
    }
    out.retain(|_, c| *c != 0);
    (out.len() <= MAX_TERMS).then_some(out)
}

/// The inverse of a single-term polynomial.
fn invert(p: &Poly) -> Option<Poly> {
    if p.len() != 1 {
        return None;
    }
    let (m, c) = p.iter().next()?;
    let inv: Monomial = m.iter().map(|(r, e)| (*r, -e)).collect();
    let mut out = Poly::new();
    out.insert(inv, Rational::from(c.recip_ref()));
    Some(out)
}

/// Expands registers into Laurent polynomials over atoms.
struct Expander<'t> {
    tape: &'t Tape,
    memo: BTreeMap<Reg, Poly>,
}

impl Expander<'_> {
    fn expand(&mut self, r: Reg) -> Poly {
        if let Some(p) = self.memo.get(&r) {
            return p.clone();
        }
        let p = self.compute(r).unwrap_or_else(|| atom(r));
        let p = if p.len() > MAX_TERMS { atom(r) } else { p };
        self.memo.insert(r, p.clone());
        p
    }

    fn compute(&mut self, r: Reg) -> Option<Poly> {
        Some(match self.tape.instrs[r].op {
            Op::Const(k) => constant(self.tape.consts[k].clone()),
            Op::Add(a, b) => add(&self.expand(a), &self.expand(b), 1),
            Op::Sub(a, b) => add(&self.expand(a), &self.expand(b), -1),
            Op::Neg(a) => add(&Poly::new(), &self.expand(a), -1),
            Op::Mul(a, b) => mul(&self.expand(a), &self.expand(b))?,
            Op::Div(a, b) => {
                let inv = invert(&self.expand(b))?;
                mul(&self.expand(a), &inv)?
            }
            Op::PowInt(a, n) => {
                let base = self.expand(a);
                if base.len() == 1 {
                    let (m, c) = base.iter().next()?;
                    if n.abs() > 64 || *c == 0 {
                        return None;
                    }
                    let m: Monomial = m.iter().map(|(x, e)| (*x, e * n)).collect();
                    let c = crate::arith::exact::powi(c, n).ok()?;
                    let mut p = Poly::new();
                    p.insert(m, c);
                    p
                } else if (0..=MAX_POWER).contains(&n) {
                    let mut acc = constant(Rational::from(1));
                    for _ in 0..n {
                        acc = mul(&acc, &base)?;
                    }
                    acc
                } else {
                    return None;
                }
            }
            _ => return None,
        })
    }
}

/// Rebuilds `p` on the tape as (common monomial) × (sum of the remaining monomials), each
/// monomial as a product of atom powers times its coefficient.
fn rebuild(tape: &mut Tape, p: &Poly, origin: Origin) -> Reg {
    if p.is_empty() {
        return tape.constant(&Rational::new(), origin);
    }
    // The common factor: for each atom, the least exponent over all terms (0 if absent).
    let mut common = Monomial::new();
    let atoms: std::collections::BTreeSet<Reg> = p.keys().flat_map(|m| m.keys().copied()).collect();
    for a in atoms {
        let e = p.keys().map(|m| m.get(&a).copied().unwrap_or(0)).min().unwrap_or(0);
        if e != 0 {
            common.insert(a, e);
        }
    }
    let monomial = |tape: &mut Tape, m: &Monomial| -> Option<Reg> {
        let mut acc: Option<Reg> = None;
        let mut den: Option<Reg> = None;
        for (&a, &e) in m {
            let f = if e.abs() == 1 { a } else { tape.push(Op::PowInt(a, e.abs()), origin) };
            if e > 0 {
                acc = Some(match acc {
                    None => f,
                    Some(x) => tape.push(Op::Mul(x, f), origin),
                });
            } else {
                den = Some(match den {
                    None => f,
                    Some(x) => tape.push(Op::Mul(x, f), origin),
                });
            }
        }
        match (acc, den) {
            (None, None) => None,
            (Some(a), None) => Some(a),
            (a, Some(d)) => {
                let num = a.unwrap_or_else(|| tape.constant(&Rational::from(1), origin));
                Some(tape.push(Op::Div(num, d), origin))
            }
        }
    };
    let mut sum: Option<Reg> = None;
    for (m, c) in p {
        let rest: Monomial = m
            .iter()
            .filter_map(|(a, e)| {
                let e2 = e - common.get(a).copied().unwrap_or(0);
                (e2 != 0).then_some((*a, e2))
            })
            .collect();
        let term = match monomial(tape, &rest) {
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
    let sum = sum.expect("nonempty");
    match monomial(tape, &common) {
        None => sum,
        Some(f) => tape.push(Op::Mul(f, sum), origin),
    }
}

/// Appends to the tape a register equal to `r` in normal form (see the module's doc), and
/// returns it; returns `r` itself when nothing would change.
pub fn simplify(tape: &mut Tape, r: Reg) -> Reg {
    let mut ex = Expander {
        tape,
        memo: BTreeMap::new(),
    };
    let p = ex.expand(r);
    if p.len() == 1 && p.values().all(|c| *c == 1) && p.keys().all(|m| m.len() == 1 && m.contains_key(&r)) {
        return r;
    }
    let origin = tape.instrs[r].origin;
    rebuild(tape, &p, origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{IntervalEval, parse};
    use std::collections::HashMap;

    fn build(src: &str) -> (Tape, Reg) {
        let e = parse(src, "t").unwrap();
        let mut tape = Tape::new(vec!["x".into(), "y".into(), "z".into()]);
        let env: HashMap<String, Reg> =
            [("x".to_string(), 0), ("y".to_string(), 1), ("z".to_string(), 2)].into();
        let r = tape.compile(&e, &env, 0).unwrap();
        (tape, r)
    }

    #[test]
    fn cancels_and_factors() {
        // Equal as functions, and the simplified form is much tighter over a box.
        for (src, lo_after) in [
            ("2*x*y - (2*x*y - x^2*z^2)", 1.0),
            ("sqrt(y)^2*z/x - 20*z/x + 3*z/x*sqrt(y)^2 - 4*z/x*sqrt(y)^2", 0.0),
        ] {
            let (mut tape, r) = build(src);
            let s = simplify(&mut tape, r);
            let mut ev = IntervalEval::new(&tape, 128);
            let one = Rational::from(1);
            let two = Rational::from(2);
            for (k, (lo, hi)) in [(&one, &two), (&one, &two), (&one, &two)].iter().enumerate() {
                let iv = crate::arith::Interval {
                    lo: rug::Float::with_val(128, *lo),
                    hi: rug::Float::with_val(128, *hi),
                };
                ev.set_input_interval(k, &iv);
            }
            ev.run(&tape);
            let a = ev.get(r).unwrap().clone();
            let b = ev.get(s).unwrap().clone();
            assert!(b.width() < a.width(), "{src}");
            let _ = lo_after;
            // Same value at points.
            for (x, y, z) in [(1.5, 1.25, 1.75), (1.0, 2.0, 1.0)] {
                let mut f = crate::expr::F64Eval::new(&tape);
                f.run(&tape, &[x, y, z]);
                assert!((f.get(r) - f.get(s)).abs() < 1e-12, "{src}");
            }
        }
    }
}
