//! Objectives compiled to native code at run time, for the SGD runner.
//!
//! The gradient of an objective (an expression's tape, or a built-in's closed form) is lowered
//! to a straight-line program of vector operations on 4 lanes ([`ir`]), which is given
//! registers and encoded as AVX2 machine code ([`asm`]), with a loop over the vectors of a
//! batch around it, [`GROUP`] vectors interleaved per pass. Two kernels per objective: one computes the gradient into a buffer (every
//! step that records something, and every noise model but 1-D uniform), the other a whole step
//! of 1-D SGD with uniform noise: the gradient, the generators' xoshiro256++ step, the noise and
//! the update, the values in registers from the loads of x and the generators' state to the
//! stores.
//!
//! Every operation is the one the interpreter ([`crate::expr::F64Lanes`] and the runner's
//! loops) performs, in the same order, with the same constants: IEEE additions,
//! multiplications, divisions and square roots, never fused, and the sine and cosine of
//! [`crate::expr::trig`]; so the results are bit-identical to the interpreter's on every
//! machine. Lanes whose sine or cosine argument is out of the kernels' fast range (or NaN) make
//! the kernel stop before it stores anything of their pass; the runner then does that pass's
//! lanes with the interpreter and calls the kernel again for the rest.
//!
//! Why not Cranelift: on x86-64 it has 128-bit vectors only, so a step would take twice the
//! vector instructions it takes here (about as many as the interpreter's 256-bit loops take).
//! What is not covered (real powers, exponentials, logarithms, floor, ceil, minimum, maximum,
//! absolute-value derivatives) leaves the objective to the interpreter.

mod asm;
pub mod ir;

use crate::expr::tape::Op;
use crate::sim::objective::{ExprObjective, Objective};
use asm::{Asm, ExecMem, Mem, R8, R9, R10, R11, RAX, RCX, RDI, RDX, RSI, Rm};
use ir::{Bin, Home, Node, Program, Val};

/// The lanes of a batch the kernels are made for (the runner's `LANES`).
pub const BATCH: usize = 64;

/// 32 bytes on a 32-byte boundary: a pool slot or a spill slot, so that no load of one
/// crosses a cache line.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(32))]
pub struct Slot(pub [u64; 4]);

/// What the kernel is passed (in `rdi`).
#[repr(C)]
struct Ctx {
    x: *mut f64,
    rng: *mut u64,
    g: *mut f64,
    pool: *const Slot,
    spill: *mut Slot,
}

type Entry = unsafe extern "sysv64" fn(*const Ctx, u64, u64) -> u64;

/// One compiled program: its code, its constant pool and the pool slots set at run time.
pub struct Kernel {
    code: ExecMem,
    pool: Vec<Slot>,
    nodes: usize,
    eta: Option<usize>,
    s: Option<usize>,
    /// Lanes per pass.
    lanes: usize,
    /// Columns of `x` and `g` the code names.
    dim: usize,
    /// Bytes of machine code in the loop's body.
    pub body_bytes: usize,
}

/// The compiled kernels of an objective.
pub struct Kernels {
    pub grad: Kernel,
    /// The fused step of 1-D SGD with uniform noise (`None` in more dimensions).
    pub step: Option<Kernel>,
    pub dim: usize,
    /// Lanes per pass of the loop (and per vector group left undone on an escape).
    pub lanes: usize,
}

/// True when this machine runs the compiled kernels (x86-64 with AVX2, on Linux).
pub fn supported() -> bool {
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
    {
        false
    }
}

/// Lowers the gradient of `obj` into `p`; `None` when an instruction is not covered.
pub fn lower_gradient(p: &mut Program, obj: &Objective) -> Option<Vec<Option<Val>>> {
    Some(match obj {
        Objective::Quadratic { a, dim } => (0..*dim)
            .map(|k| {
                let ca = p.c(*a);
                let x = p.x(k);
                Some(p.mul(ca, x))
            })
            .collect(),
        Objective::Ripple(r) => {
            // a·x + (amp·freq)·sin(freq·x), as Ripple::grad_from
            let x = p.x(0);
            let f = p.c(r.freq);
            let arg = p.mul(f, x);
            let s = p.sin(arg);
            let ca = p.c(r.a);
            let ax = p.mul(ca, x);
            let af = p.c(r.amp * r.freq);
            let t = p.mul(af, s);
            vec![Some(p.add(ax, t))]
        }
        Objective::Spiky(r) => {
            // x + amp·(2x·(1 − cos) + x·x·freq·sin), as Spiky::grad_from
            let x = p.x(0);
            let f = p.c(r.freq);
            let arg = p.mul(f, x);
            let s = p.sin(arg);
            let c = p.cos(arg);
            let two = p.c(2.0);
            let one = p.c(1.0);
            let tx = p.mul(two, x);
            let omc = p.sub(one, c);
            let a1 = p.mul(tx, omc);
            let xx = p.mul(x, x);
            let xxf = p.mul(xx, f);
            let a2 = p.mul(xxf, s);
            let sum = p.add(a1, a2);
            let amp = p.c(r.amp);
            let m = p.mul(amp, sum);
            vec![Some(p.add(x, m))]
        }
        Objective::Expr(e) => lower_expr(p, e)?,
    })
}

fn lower_expr(p: &mut Program, e: &ExprObjective) -> Option<Vec<Option<Val>>> {
    let tape = &e.tape;
    let mut map: Vec<Option<Val>> = vec![None; tape.len()];
    fn get(p: &mut Program, e: &ExprObjective, map: &[Option<Val>], r: usize) -> Option<Val> {
        match e.tape.instrs[r].op {
            Op::Input(k) => Some(p.x(k)),
            Op::Const(i) => Some(p.c(e.tape.consts[i].to_f64())),
            _ => map[r],
        }
    }
    for &i in &e.grad_list {
        let op = tape.instrs[i].op;
        let v = match op {
            Op::Input(_) | Op::Const(_) => continue,
            Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) => {
                let (a, b) = (get(p, e, &map, a)?, get(p, e, &map, b)?);
                let k = match op {
                    Op::Add(..) => Bin::FAdd,
                    Op::Sub(..) => Bin::FSub,
                    Op::Mul(..) => Bin::FMul,
                    _ => Bin::FDiv,
                };
                p.bin(k, a, b)
            }
            Op::Neg(a) => {
                let a = get(p, e, &map, a)?;
                p.neg(a)
            }
            Op::PowInt(a, n) => {
                let a = get(p, e, &map, a)?;
                powi(p, a, n)
            }
            Op::Sqrt(a) => {
                let a = get(p, e, &map, a)?;
                p.push(Node::Sqrt(a))
            }
            Op::Abs(a) => {
                let a = get(p, e, &map, a)?;
                p.abs(a)
            }
            Op::Sin(a) => {
                let a = get(p, e, &map, a)?;
                p.sin(a)
            }
            Op::Cos(a) => {
                let a = get(p, e, &map, a)?;
                p.cos(a)
            }
            Op::Undiff(_) => p.c(0.0),
            Op::Pow(..)
            | Op::Log(_)
            | Op::Exp(_)
            | Op::Floor(_)
            | Op::Ceil(_)
            | Op::Min(..)
            | Op::Max(..)
            | Op::MinD(..)
            | Op::MaxD(..)
            | Op::AbsD(..) => return None,
        };
        map[i] = Some(v);
    }
    e.grad
        .iter()
        .map(|d| match d {
            Some(r) => get(p, e, &map, *r).map(Some),
            None => Some(None),
        })
        .collect()
}

/// `a^n` as the lanes domain computes it: products for 0, 1, 2 and −1, and otherwise the
/// repeated squaring of the runtime's `__powidf2` (which `f64::powi` calls).
fn powi(p: &mut Program, a: Val, n: i64) -> Val {
    match n {
        0 => p.c(1.0),
        1 => a,
        2 => p.mul(a, a),
        -1 => {
            let one = p.c(1.0);
            p.div(one, a)
        }
        _ => {
            let m = crate::expr::domain::f64::powi_exponent(n);
            let mut k = m.unsigned_abs();
            let mut x = a;
            let mut y = if k % 2 == 1 { Some(a) } else { None };
            loop {
                k >>= 1;
                if k == 0 {
                    break;
                }
                x = p.mul(x, x);
                if k % 2 == 1 {
                    y = Some(match y {
                        Some(y) => p.mul(y, x),
                        None => x,
                    });
                }
            }
            let y = y.unwrap_or_else(|| p.c(1.0));
            if m < 0 {
                let one = p.c(1.0);
                p.div(one, y)
            } else {
                y
            }
        }
    }
}

/// Vectors of 4 lanes per pass of the kernels' loop, their operations interleaved so that
/// the long dependency chains of the sine kernel overlap.
/// Four measured fastest on a 2-core AMD EPYC (AVX2): one vector leaves the pipelines waiting
/// on the sine's chain of dependent operations, eight spill too many registers.
pub const GROUP: usize = 4;

impl Kernels {
    /// Compiles `obj`'s kernels; `None` if this machine cannot run them or an instruction is
    /// not covered.
    pub fn new(obj: &Objective) -> Option<Kernels> {
        Kernels::with_group(obj, GROUP)
    }

    /// As [`Kernels::new`], `group` vectors per pass (1, 2, 4, 8 or 16).
    pub fn with_group(obj: &Objective, group: usize) -> Option<Kernels> {
        if !(supported() && group.is_power_of_two() && group <= BATCH / 4) {
            return None;
        }
        let dim = obj.dim();
        let mut p = Program::default();
        let mut ranges = Vec::new();
        for u in 0..group {
            p.sub = u;
            let start = p.nodes.len();
            let g = lower_gradient(&mut p, obj)?;
            for (k, gk) in g.iter().enumerate() {
                let v = match gk {
                    Some(v) => *v,
                    None => p.c(0.0),
                };
                p.store_g(k, v);
            }
            ranges.push(start..p.nodes.len());
        }
        p.interleave(&ranges);
        let grad = Kernel::build(&p, None, None, group, dim)?;
        let step = if dim == 1 {
            let mut p = Program::default();
            let s_slot = p.param();
            let eta_slot = p.param();
            let mut ranges = Vec::new();
            for u in 0..group {
                p.sub = u;
                let start = p.nodes.len();
                let g = lower_gradient(&mut p, obj)?.remove(0);
                let g = match g {
                    Some(v) => v,
                    None => p.c(0.0),
                };
                let words = [0, 1, 2, 3].map(|w| p.rng(w));
                let (out, new) = p.xoshiro(words);
                let uni = p.unit(out);
                // noise::centred: s·(2u − 1)
                let s = p.push(Node::Home(Home::Const(s_slot)));
                let two = p.c(2.0);
                let one = p.c(1.0);
                let tu = p.mul(two, uni);
                let m = p.sub(tu, one);
                let w = p.mul(s, m);
                // (x − η·g) − η·w
                let eta = p.push(Node::Home(Home::Const(eta_slot)));
                let x = p.x(0);
                let eg = p.mul(eta, g);
                let y = p.sub(x, eg);
                let ew = p.mul(eta, w);
                let xn = p.sub(y, ew);
                p.push(Node::Store(Home::X(0, u), xn));
                for (wi, v) in new.into_iter().enumerate() {
                    p.push(Node::Store(Home::Rng(wi, u), v));
                }
                ranges.push(start..p.nodes.len());
            }
            p.interleave(&ranges);
            Some(Kernel::build(&p, Some(eta_slot), Some(s_slot), group, dim)?)
        } else {
            None
        };
        Some(Kernels {
            grad,
            step,
            dim,
            lanes: 4 * group,
        })
    }
}

impl Kernel {
    fn build(
        p: &Program,
        eta: Option<usize>,
        s: Option<usize>,
        group: usize,
        dim: usize,
    ) -> Option<Kernel> {
        let mut a = Asm::default();
        let field = |i: i32| Mem {
            base: RDI,
            index: None,
            disp: 8 * i,
        };
        a.mov_load64(R9, field(0));
        a.mov_load64(R10, field(1));
        a.mov_load64(R11, field(2));
        a.mov_load64(RCX, field(3));
        a.mov_load64(R8, field(4));
        a.mov64(RAX, RSI);
        a.cmp64(RAX, RDX);
        let to_done = a.jcc(asm::CC_AE);
        let top = a.code.len();
        if p.has_checks() {
            a.bin(Bin::Xor, 15, 15, Rm::Reg(15));
        }
        let body_start = a.code.len();
        let escapes = asm::emit_body(&mut a, p);
        let body_bytes = a.code.len() - body_start;
        a.add_imm8(
            RAX,
            i8::try_from(4 * group).expect("at most 16 vectors a pass"),
        );
        a.cmp64(RAX, RDX);
        let back = a.jcc(asm::CC_B);
        a.patch(back, top);
        let done = a.code.len();
        a.patch(to_done, done);
        for e in escapes {
            a.patch(e, done);
        }
        a.vzeroupper();
        a.ret();
        let code = ExecMem::new(&a.code)?;
        Some(Kernel {
            code,
            pool: p.pool.iter().map(|&w| Slot([w; 4])).collect(),
            nodes: p.nodes.len(),
            eta,
            s,
            lanes: 4 * group,
            dim,
            body_bytes,
        })
    }
}

/// The per-batch state of a kernel: its constant pool (with the stage's parameters) and its
/// spill area.
pub struct Bound<'k> {
    k: &'k Kernel,
    pool: Vec<Slot>,
    spill: Vec<Slot>,
}

impl<'k> Bound<'k> {
    pub fn new(k: &'k Kernel) -> Self {
        Bound {
            k,
            pool: k.pool.clone(),
            spill: vec![Slot::default(); k.nodes],
        }
    }
    /// Sets the step size and the noise radius of the fused step.
    pub fn set_stage(&mut self, eta: f64, s: f64) {
        if let Some(i) = self.k.eta {
            self.pool[i] = Slot([eta.to_bits(); 4]);
        }
        if let Some(i) = self.k.s {
            self.pool[i] = Slot([s.to_bits(); 4]);
        }
    }
    /// Runs the kernel over lanes `from..BATCH` (`from` a multiple of the lanes per pass);
    /// returns where it stopped: `BATCH`, or the first lane of a pass it left undone (nothing
    /// of it stored) because a sine or cosine argument was out of the fast range.
    ///
    /// `x` and `g` are `dim` columns of `BATCH` lanes, `rng` the generators' 4 columns.
    pub fn run(
        &mut self,
        x: &mut [[f64; BATCH]],
        rng: &mut [[u64; BATCH]; 4],
        g: &mut [[f64; BATCH]],
        from: usize,
    ) -> usize {
        assert!(from.is_multiple_of(self.k.lanes) && from <= BATCH);
        assert!(x.len() >= self.k.dim && g.len() >= self.k.dim);
        let ctx = Ctx {
            x: x.as_mut_ptr() as *mut f64,
            rng: rng.as_mut_ptr() as *mut u64,
            g: g.as_mut_ptr() as *mut f64,
            pool: self.pool.as_ptr(),
            spill: self.spill.as_mut_ptr(),
        };
        // SAFETY: the code was made by `Kernel::build` for this machine (AVX2 checked in
        // `Kernels::new`); it reads and writes lanes `from..BATCH` of the `dim` columns of `x`
        // and `g` and the 4 columns of `rng` (the lowering only names columns below `dim`, and
        // the callers pass `dim` columns), the pool and the spill area (one slot per node).
        let f: Entry = unsafe { std::mem::transmute(self.k.code.ptr()) };
        let end = unsafe { f(&ctx, from as u64, BATCH as u64) };
        end as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::trig;

    /// The compiled sine and cosine against the kernels they copy, bit for bit, on every lane
    /// the fast range serves (the others make the kernel stop, which is checked too).
    #[test]
    fn compiled_sine_and_cosine_are_the_kernels_bit_for_bit() {
        if !supported() {
            return;
        }
        for (which, f) in [("sin", trig::sin as fn(f64) -> f64), ("cos", trig::cos)] {
            let mut p = Program::default();
            let x = p.x(0);
            let v = if which == "sin" { p.sin(x) } else { p.cos(x) };
            p.push(Node::Escape);
            p.store_g(0, v);
            let k = Kernel::build(&p, None, None, 1, 1).expect("compiled");
            let mut b = Bound::new(&k);
            let mut rng = [[0u64; BATCH]; 4];
            let mut seed = 0x9E37_79B9_7F4A_7C15u64;
            for span in [1e-300, 1.0, 3.2, 100.0, 1e4, 1e7, trig::FAST_LIMIT] {
                for _ in 0..200 {
                    let mut x = [[0.0; BATCH]];
                    for v in x[0].iter_mut() {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        *v = span * ((seed >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0);
                    }
                    let mut g = [[0.0; BATCH]];
                    assert_eq!(b.run(&mut x, &mut rng, &mut g, 0), BATCH);
                    for j in 0..BATCH {
                        let want = f(x[0][j]);
                        assert_eq!(g[0][j].to_bits(), want.to_bits(), "{which}({:e})", x[0][j]);
                    }
                }
            }
            // out of range or NaN: the pass stops before storing anything of it
            for bad in [f64::NAN, 2e8, -1e300, f64::INFINITY] {
                let mut x = [[0.5; BATCH]];
                x[0][37] = bad;
                let mut g = [[-7.0; BATCH]];
                assert_eq!(b.run(&mut x, &mut rng, &mut g, 0), 36);
                assert!(g[0][36..].iter().all(|&v| v == -7.0));
                assert_eq!(g[0][35].to_bits(), f(0.5).to_bits());
                assert_eq!(b.run(&mut x, &mut rng, &mut g, 40), BATCH);
            }
        }
    }

    /// The grouping of vectors changes the order of the operations between lanes, never within
    /// one: every group size gives the same bits.
    #[test]
    fn every_group_size_gives_the_same_bits() {
        if !supported() {
            return;
        }
        let obj = Objective::Expr(Box::new(
            ExprObjective::new("x^2 + 0.5*(1 - cos(30*x)) + x^3/3", 1).unwrap(),
        ));
        let mut outs = Vec::new();
        for group in [1, 2, 4, 8, 16] {
            let k = Kernels::with_group(&obj, group).expect("compiled");
            let mut b = Bound::new(k.step.as_ref().expect("1-D"));
            b.set_stage(0.01, 20.0);
            let mut x = [[0.0; BATCH]];
            for (j, v) in x[0].iter_mut().enumerate() {
                *v = (j as f64 - 30.0) * 0.037;
            }
            let mut rng = [[0u64; BATCH]; 4];
            for (w, col) in rng.iter_mut().enumerate() {
                for (j, v) in col.iter_mut().enumerate() {
                    *v = (w as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ j as u64;
                }
            }
            let mut g = [[0.0; BATCH]];
            for _ in 0..50 {
                assert_eq!(b.run(&mut x, &mut rng, &mut g, 0), BATCH);
            }
            outs.push((x[0].map(f64::to_bits), rng));
        }
        for o in &outs[1..] {
            assert!(*o == outs[0]);
        }
    }

    /// Integer powers against `f64::powi`, which the interpreter calls.
    #[test]
    fn compiled_integer_powers_are_powi_bit_for_bit() {
        if !supported() {
            return;
        }
        for n in [-9i64, -5, -3, -2, 3, 4, 5, 6, 7, 8, 13, 31, 64, 1000] {
            let mut p = Program::default();
            let x = p.x(0);
            let v = powi(&mut p, x, n);
            p.store_g(0, v);
            let k = Kernel::build(&p, None, None, 1, 1).expect("compiled");
            let mut b = Bound::new(&k);
            let mut rng = [[0u64; BATCH]; 4];
            let mut x = [[0.0; BATCH]];
            for (j, v) in x[0].iter_mut().enumerate() {
                *v = (j as f64 - 31.5) * 0.0731 + 1e-3;
            }
            let mut g = [[0.0; BATCH]];
            b.run(&mut x, &mut rng, &mut g, 0);
            for j in 0..BATCH {
                let want = x[0][j].powi(n as i32);
                assert_eq!(g[0][j].to_bits(), want.to_bits(), "{}^{n}", x[0][j]);
            }
        }
    }
}
