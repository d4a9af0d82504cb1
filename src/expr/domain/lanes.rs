//! f64 for `B` points at once ("lanes"): each instruction is one loop over the lanes, which the
//! compiler turns into vector instructions, so that the cost of walking the tape is shared by
//! all lanes. Sine and cosine use the branch-free kernels of [`crate::expr::trig`]; the other
//! transcendental operations call the standard library lane by lane. Like the f64 domain
//! ([`super::f64`]), no guarantee and no faults: this is for simulation speed, and the walker
//! does no bookkeeping for it. Everything on the per-instruction path is inlined, so each
//! instruction is a match arm and a vector loop.

use super::f64::{abs_d, max_d, min_d, powi_exponent};
use crate::expr::tape::{Reg, Tape};
use crate::expr::trig;
use crate::expr::walk::{Answer, Divisor, Domain, Eval};
use rug::Rational;

/// The domain of `B` f64 lanes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lanes<const B: usize>;

/// Registers for `B` lanes; constants are broadcast once, at construction.
pub type F64Lanes<const B: usize> = Eval<Lanes<B>>;

#[inline(always)]
fn map1<const B: usize>(a: &[f64; B], out: &mut [f64; B], f: impl Fn(f64) -> f64) {
    for j in 0..B {
        out[j] = f(a[j]);
    }
}

#[inline(always)]
fn map2<const B: usize>(
    a: &[f64; B],
    b: &[f64; B],
    out: &mut [f64; B],
    f: impl Fn(f64, f64) -> f64,
) {
    for j in 0..B {
        out[j] = f(a[j], b[j]);
    }
}

type L<const B: usize> = [f64; B];

impl<const B: usize> Domain for Lanes<B> {
    type Value = [f64; B];
    type Error = ();
    type Fault = ();
    const CHECKED: bool = false;

    fn blank(&self) -> L<B> {
        [0.0; B]
    }
    /// The nearest f64 to `q`, in every lane.
    fn constant(&mut self, out: &mut L<B>, q: &Rational) -> Result<(), ()> {
        *out = [q.to_f64(); B];
        Ok(())
    }
    fn fault(&self, _: (), _: Reg) {}
    fn stale(&self, _: Reg) {}
    fn unsupported(&self) {}

    #[inline(always)]
    fn add(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>) -> Answer<Self> {
        map2(a, b, out, |x, y| x + y);
        Ok(())
    }
    #[inline(always)]
    fn sub(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>) -> Answer<Self> {
        map2(a, b, out, |x, y| x - y);
        Ok(())
    }
    #[inline(always)]
    fn mul(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>) -> Answer<Self> {
        map2(a, b, out, |x, y| x * y);
        Ok(())
    }
    #[inline(always)]
    fn div(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>, _: Divisor) -> Answer<Self> {
        map2(a, b, out, |x, y| x / y);
        Ok(())
    }
    #[inline(always)]
    fn neg(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, |x| -x);
        Ok(())
    }
    /// Small exponents as products (vectorizable), the others through `powi`.
    #[inline(always)]
    fn powi(&mut self, out: &mut L<B>, a: &L<B>, n: i64) -> Answer<Self> {
        match n {
            0 => *out = [1.0; B],
            1 => *out = *a,
            2 => map1(a, out, |x| x * x),
            -1 => map1(a, out, |x| 1.0 / x),
            _ => {
                let n = powi_exponent(n);
                map1(a, out, |x| x.powi(n))
            }
        }
        Ok(())
    }
    #[inline(always)]
    fn pow(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>) -> Answer<Self> {
        map2(a, b, out, f64::powf);
        Ok(())
    }
    #[inline(always)]
    fn sqrt(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, f64::sqrt);
        Ok(())
    }
    #[inline(always)]
    fn log(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, f64::ln);
        Ok(())
    }
    #[inline(always)]
    fn exp(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, f64::exp);
        Ok(())
    }
    #[inline(always)]
    fn floor(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, f64::floor);
        Ok(())
    }
    #[inline(always)]
    fn ceil(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, f64::ceil);
        Ok(())
    }
    #[inline(always)]
    fn abs(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        map1(a, out, f64::abs);
        Ok(())
    }
    #[inline(always)]
    fn sin(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        trig::sin_lanes(a, out);
        Ok(())
    }
    #[inline(always)]
    fn cos(&mut self, out: &mut L<B>, a: &L<B>) -> Answer<Self> {
        trig::cos_lanes(a, out);
        Ok(())
    }
    #[inline(always)]
    fn min(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>) -> Answer<Self> {
        map2(a, b, out, f64::min);
        Ok(())
    }
    #[inline(always)]
    fn max(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>) -> Answer<Self> {
        map2(a, b, out, f64::max);
        Ok(())
    }
    #[inline(always)]
    fn min_d(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>, da: &L<B>, db: &L<B>) -> Answer<Self> {
        for j in 0..B {
            out[j] = min_d(a[j], b[j], da[j], db[j]);
        }
        Ok(())
    }
    #[inline(always)]
    fn max_d(&mut self, out: &mut L<B>, a: &L<B>, b: &L<B>, da: &L<B>, db: &L<B>) -> Answer<Self> {
        for j in 0..B {
            out[j] = max_d(a[j], b[j], da[j], db[j]);
        }
        Ok(())
    }
    #[inline(always)]
    fn abs_d(&mut self, out: &mut L<B>, a: &L<B>, da: &L<B>) -> Answer<Self> {
        map2(a, da, out, abs_d);
        Ok(())
    }
    /// 0, as in the f64 domain.
    #[inline(always)]
    fn undiff(&mut self, out: &mut L<B>, _: &L<B>) -> Answer<Self> {
        *out = [0.0; B];
        Ok(())
    }
}

impl<const B: usize> Eval<Lanes<B>> {
    pub fn new(tape: &Tape) -> Self {
        Eval::with_domain(tape, Lanes)
    }

    /// Sets input `k` (register `k`) for every lane.
    #[inline(always)]
    pub fn set_input(&mut self, k: usize, v: &[f64; B]) {
        *self.input_mut(k) = *v;
    }

    /// The lanes of register `r`.
    #[inline(always)]
    pub fn get(&self, r: Reg) -> &[f64; B] {
        self.raw(r)
    }

    /// Runs the listed instructions (in increasing order); inputs and constants in the list
    /// are left as set.
    #[inline(always)]
    pub fn run_selected(&mut self, tape: &Tape, list: &[Reg]) {
        self.walk_selected(tape, list);
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::{F64Eval, F64Lanes, Reg, Tape, parse};
    use std::collections::HashMap;

    #[test]
    fn lanes_agree_with_the_scalar_evaluator() {
        let src = "x^2 + 0.5*(1 - cos(30*x)) + exp(-x)/(1 + abs(x)) + min(x, 2)*max(x, -1) \
                   + sqrt(x^2 + 1) + log(2 + sin(x)) + x^3 + x^(-2) + 2^x + floor(x)";
        let e = parse(src, "test").unwrap();
        let mut tape = Tape::new(vec!["x".into()]);
        let env: HashMap<String, Reg> = [("x".to_string(), 0)].into();
        let s = tape.add_source("test", src);
        let out = tape.compile(&e, &env, s).unwrap();
        let xs: [f64; 8] = [-3.7, -1.0, -0.25, 0.5, 1.0, 2.0, 7.25, 1e3];
        let mut lanes = F64Lanes::<8>::new(&tape);
        lanes.set_input(0, &xs);
        let all: Vec<Reg> = (1..tape.len()).collect();
        lanes.run_selected(&tape, &all);
        let mut one = F64Eval::new(&tape);
        for (j, &x) in xs.iter().enumerate() {
            one.run(&tape, &[x]);
            let (a, b) = (lanes.get(out)[j], one.get(out));
            // the same operations except sine and cosine (a few ulps apart)
            assert!(
                (a - b).abs() <= 1e-13 * b.abs().max(1.0),
                "x = {x}: {a} vs {b}"
            );
        }
    }
}
