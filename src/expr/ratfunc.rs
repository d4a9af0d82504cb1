//! Exact rational functions of a tape's first inputs, to decide identities with certainty.
//!
//! A rational register (built from inputs and literals by `+ − × ÷` and integer powers) is a
//! quotient P/Q of polynomials with rational coefficients in the coordinates; the tape's other
//! inputs are fixed at given rational values. Polynomials are kept expanded in a canonical form
//! (a sorted map from exponent vectors to nonzero coefficients), so two polynomials are equal
//! exactly when their maps are. `a/b = c/d` holds wherever both sides are defined exactly when
//! `a·d − c·b` is the zero polynomial: this is what [`identity`] decides, with no probability of
//! error. Expansion is bounded (terms, degree, coefficient size, total work); past a bound the
//! answer is "too large", never a guess.

use super::tape::{Op, Reg, Tape};
use rug::Rational;
use std::collections::BTreeMap;

/// Most terms of one expanded polynomial.
pub const MAX_TERMS: usize = 20_000;
/// Largest total degree.
pub const MAX_DEGREE: u64 = 4096;
/// Largest coefficient, in bits of numerator plus denominator.
const MAX_COEF_BITS: u64 = 1 << 16;
/// Most coefficient multiplications in one identity decision.
const MAX_WORK: u64 = 50_000_000;

/// A polynomial: exponent vector → nonzero coefficient.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Poly(BTreeMap<Vec<u32>, Rational>);

/// P/Q with Q not the zero polynomial.
#[derive(Clone, Debug)]
struct RatFn {
    num: Poly,
    den: Poly,
}

/// Why an identity could not be decided exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undecided {
    /// A side uses an operation that is not rational (sqrt, log, min, floor, …).
    NotRational,
    /// Expansion would exceed a bound (terms, degree, coefficient size or work).
    TooLarge,
    /// A divisor is the zero polynomial: the side is defined nowhere.
    DefinedNowhere,
}

/// The answer for a list of pairs: `true` when every `lhs = rhs` is an identity of rational
/// functions (equal wherever both sides are defined), `false` when one is not.
pub fn identity(
    tape: &Tape,
    coords: usize,
    fixed: &[Rational],
    pairs: &[(Reg, Reg)],
) -> Result<bool, Undecided> {
    let mut b = Builder::new(tape, coords, fixed, MAX_TERMS);
    for &(l, r) in pairs {
        let a = b.of(l)?;
        let c = b.of(r)?;
        let left = b.mul(&a.num, &c.den)?;
        let right = b.mul(&c.num, &a.den)?;
        if left != right {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Register `r` as an expanded polynomial in the first `coords` inputs (the other inputs fixed
/// at `fixed`), when it is one: rational, its denominator a constant (so that it equals the
/// polynomial wherever it is defined, and it is defined everywhere), with at most `max_terms`
/// terms. Each term is its exponent vector and its nonzero coefficient.
pub fn polynomial(
    tape: &Tape,
    coords: usize,
    fixed: &[Rational],
    r: Reg,
    max_terms: usize,
) -> Option<Vec<(Vec<u32>, Rational)>> {
    let mut b = Builder::new(tape, coords, fixed, max_terms.min(MAX_TERMS));
    let f = b.of(r).ok()?;
    let den = f.den.as_constant()?;
    if den == 0 || f.num.0.len() > max_terms {
        return None;
    }
    let inv = den.recip();
    Some(f.num.0.into_iter().map(|(e, c)| (e, c * &inv)).collect())
}

struct Builder<'t> {
    tape: &'t Tape,
    coords: usize,
    fixed: &'t [Rational],
    memo: BTreeMap<Reg, RatFn>,
    work: u64,
    /// Most terms of any polynomial met on the way (at most [`MAX_TERMS`]).
    max_terms: usize,
}

fn degree(p: &Poly) -> u64 {
    p.0.keys()
        .map(|e| e.iter().map(|&x| u64::from(x)).sum::<u64>())
        .max()
        .unwrap_or(0)
}

fn bits(q: &Rational) -> u64 {
    q.numer().significant_bits() as u64 + q.denom().significant_bits() as u64
}

impl Poly {
    fn constant(n: usize, q: Rational) -> Poly {
        let mut m = BTreeMap::new();
        if q != 0 {
            m.insert(vec![0; n], q);
        }
        Poly(m)
    }
    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
    /// The value when the polynomial is a constant.
    fn as_constant(&self) -> Option<Rational> {
        match self.0.len() {
            0 => Some(Rational::new()),
            1 => {
                let (e, c) = self.0.iter().next()?;
                e.iter().all(|&x| x == 0).then(|| c.clone())
            }
            _ => None,
        }
    }
    fn scale(&self, q: &Rational) -> Poly {
        if *q == 0 {
            return Poly(BTreeMap::new());
        }
        Poly(
            self.0
                .iter()
                .map(|(e, c)| (e.clone(), Rational::from(c * q)))
                .collect(),
        )
    }
}

impl<'t> Builder<'t> {
    fn new(tape: &'t Tape, coords: usize, fixed: &'t [Rational], max_terms: usize) -> Self {
        Builder {
            tape,
            coords,
            fixed,
            memo: BTreeMap::new(),
            work: 0,
            max_terms,
        }
    }

    fn check(&self, p: &Poly) -> Result<(), Undecided> {
        if p.0.len() > self.max_terms
            || degree(p) > MAX_DEGREE
            || p.0.values().any(|c| bits(c) > MAX_COEF_BITS)
        {
            return Err(Undecided::TooLarge);
        }
        Ok(())
    }

    fn add(&mut self, a: &Poly, b: &Poly, sign: i32) -> Result<Poly, Undecided> {
        self.work += (a.0.len() + b.0.len()) as u64;
        if self.work > MAX_WORK {
            return Err(Undecided::TooLarge);
        }
        let mut out = a.0.clone();
        for (e, c) in &b.0 {
            let slot = out.entry(e.clone()).or_default();
            if sign > 0 {
                *slot += c;
            } else {
                *slot -= c;
            }
        }
        out.retain(|_, c| *c != 0);
        let p = Poly(out);
        self.check(&p)?;
        Ok(p)
    }

    fn mul(&mut self, a: &Poly, b: &Poly) -> Result<Poly, Undecided> {
        let n = (a.0.len() as u64).saturating_mul(b.0.len() as u64);
        self.work = self.work.saturating_add(n);
        if self.work > MAX_WORK {
            return Err(Undecided::TooLarge);
        }
        let mut out: BTreeMap<Vec<u32>, Rational> = BTreeMap::new();
        for (ea, ca) in &a.0 {
            for (eb, cb) in &b.0 {
                let e: Vec<u32> = ea.iter().zip(eb).map(|(x, y)| x + y).collect();
                *out.entry(e).or_default() += Rational::from(ca * cb);
            }
        }
        out.retain(|_, c| *c != 0);
        let p = Poly(out);
        self.check(&p)?;
        Ok(p)
    }

    fn pow(&mut self, a: &Poly, n: u64) -> Result<Poly, Undecided> {
        if n > MAX_DEGREE {
            return match a.as_constant() {
                Some(c) if c == 0 || c == 1 || c == -1 => {
                    let v = if c < 0 && n % 2 == 1 { c } else { c.abs() };
                    Ok(Poly::constant(self.coords, v))
                }
                _ => Err(Undecided::TooLarge),
            };
        }
        let mut acc = Poly::constant(self.coords, Rational::from(1));
        let mut base = a.clone();
        let mut k = n;
        while k > 0 {
            if k & 1 == 1 {
                acc = self.mul(&acc, &base)?;
            }
            k >>= 1;
            if k > 0 {
                base = self.mul(&base, &base)?;
            }
        }
        Ok(acc)
    }

    /// P/Q with a constant Q folded into P.
    fn normalized(&self, f: RatFn) -> Result<RatFn, Undecided> {
        if f.den.is_zero() {
            return Err(Undecided::DefinedNowhere);
        }
        Ok(match f.den.as_constant() {
            Some(c) if c != 1 => RatFn {
                num: f.num.scale(&c.recip()),
                den: Poly::constant(self.coords, Rational::from(1)),
            },
            _ => f,
        })
    }

    fn of(&mut self, r: Reg) -> Result<RatFn, Undecided> {
        // iteratively: operands first (a deep tape must not overflow the stack)
        let mut stack = vec![r];
        while let Some(&top) = stack.last() {
            if self.memo.contains_key(&top) {
                stack.pop();
                continue;
            }
            let pending: Vec<Reg> = self.tape.instrs[top]
                .op
                .operands()
                .filter(|a| !self.memo.contains_key(a))
                .collect();
            if pending.is_empty() {
                let f = self.compute(top)?;
                self.memo.insert(top, f);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
        Ok(self.memo[&r].clone())
    }

    fn compute(&mut self, r: Reg) -> Result<RatFn, Undecided> {
        let n = self.coords;
        let one = || Poly::constant(n, Rational::from(1));
        let get = |b: &Self, a: Reg| b.memo[&a].clone();
        let f = match self.tape.instrs[r].op {
            Op::Input(k) if k < n => {
                let mut e = vec![0u32; n];
                e[k] = 1;
                let mut m = BTreeMap::new();
                m.insert(e, Rational::from(1));
                RatFn {
                    num: Poly(m),
                    den: one(),
                }
            }
            Op::Input(k) => {
                let q = self
                    .fixed
                    .get(k - n)
                    .cloned()
                    .ok_or(Undecided::NotRational)?;
                RatFn {
                    num: Poly::constant(n, q),
                    den: one(),
                }
            }
            Op::Const(k) => RatFn {
                num: Poly::constant(n, self.tape.consts[k].clone()),
                den: one(),
            },
            Op::Add(a, b) | Op::Sub(a, b) => {
                let sign = if matches!(self.tape.instrs[r].op, Op::Add(..)) {
                    1
                } else {
                    -1
                };
                let (x, y) = (get(self, a), get(self, b));
                if x.den == y.den {
                    RatFn {
                        num: self.add(&x.num, &y.num, sign)?,
                        den: x.den,
                    }
                } else {
                    let p = self.mul(&x.num, &y.den)?;
                    let q = self.mul(&y.num, &x.den)?;
                    RatFn {
                        num: self.add(&p, &q, sign)?,
                        den: self.mul(&x.den, &y.den)?,
                    }
                }
            }
            Op::Mul(a, b) => {
                let (x, y) = (get(self, a), get(self, b));
                RatFn {
                    num: self.mul(&x.num, &y.num)?,
                    den: self.mul(&x.den, &y.den)?,
                }
            }
            Op::Div(a, b) => {
                let (x, y) = (get(self, a), get(self, b));
                if y.num.is_zero() {
                    return Err(Undecided::DefinedNowhere);
                }
                RatFn {
                    num: self.mul(&x.num, &y.den)?,
                    den: self.mul(&x.den, &y.num)?,
                }
            }
            Op::Neg(a) => {
                let x = get(self, a);
                RatFn {
                    num: x.num.scale(&Rational::from(-1)),
                    den: x.den,
                }
            }
            Op::PowInt(a, k) => {
                let x = get(self, a);
                let m = k.unsigned_abs();
                if k < 0 && x.num.is_zero() {
                    return Err(Undecided::DefinedNowhere);
                }
                let (p, q) = (self.pow(&x.num, m)?, self.pow(&x.den, m)?);
                if k >= 0 {
                    RatFn { num: p, den: q }
                } else {
                    RatFn { num: q, den: p }
                }
            }
            _ => return Err(Undecided::NotRational),
        };
        self.normalized(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use std::collections::HashMap;

    fn decide(lhs: &str, rhs: &str) -> Result<bool, Undecided> {
        let mut tape = Tape::new(vec!["x".into(), "y".into(), "k".into()]);
        let env: HashMap<String, Reg> = [
            ("x".to_string(), 0),
            ("y".to_string(), 1),
            ("k".to_string(), 2),
        ]
        .into();
        let l = tape.compile(&parse(lhs, "l").unwrap(), &env, 0).unwrap();
        let r = tape.compile(&parse(rhs, "r").unwrap(), &env, 0).unwrap();
        identity(&tape, 2, &[Rational::from(3)], &[(l, r)])
    }

    #[test]
    fn true_identities_are_decided_exactly() {
        assert_eq!(decide("(x+y)^2", "x^2 + 2*x*y + y^2"), Ok(true));
        assert_eq!(decide("(x^2 - 1/9)/(x - 1/3)", "x + 1/3"), Ok(true));
        assert_eq!(decide("1/(x - 0.3) + 1/(0.3 - x)", "0"), Ok(true));
        assert_eq!(decide("x/x", "1"), Ok(true));
        assert_eq!(decide("k*x", "3*x"), Ok(true));
        assert_eq!(decide("(x - y)^-2", "1/(y^2 - 2*x*y + x^2)"), Ok(true));
    }

    #[test]
    fn false_identities_are_refused_whatever_points_they_vanish_at() {
        // x = x + (x − a1)…(x − a8) for any a_i: a nonzero polynomial, never an identity
        let prod = (1..=8)
            .map(|i| format!("(x - {})", 1_234_567_u64 * i))
            .collect::<Vec<_>>()
            .join("*");
        assert_eq!(decide("x", &format!("x + {prod}")), Ok(false));
        assert_eq!(decide("(x+y)^2", "x^2 + y^2"), Ok(false));
        assert_eq!(decide("k*x", "2*x"), Ok(false));
        assert_eq!(decide("x + 1e-300", "x"), Ok(false));
    }

    #[test]
    fn what_cannot_be_expanded_is_said() {
        assert_eq!(decide("sqrt(x)^2", "x"), Err(Undecided::NotRational));
        assert_eq!(decide("min(x, y)", "x"), Err(Undecided::NotRational));
        assert_eq!(decide("1/(x - x)", "1"), Err(Undecided::DefinedNowhere));
        assert_eq!(decide("(x + y + 1)^5000", "x"), Err(Undecided::TooLarge));
    }
}
