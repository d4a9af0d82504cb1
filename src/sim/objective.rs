//! Objectives for simulated SGD, in f64: a quadratic bowl in d dimensions, a cosine-rippled
//! bowl in 1-D, our reconstruction of the paper's spiky Figure 3 function (which the paper gives
//! no formula for), and a user's expression in `x` (1-D) or `x1..xd`, differentiated
//! symbolically on the tape and run by the f64 evaluator.

use crate::error::{Result, Usage};
use crate::expr::trig::{self, cos_lanes, sin_lanes};
use crate::expr::{F64Eval, F64Lanes, Reg, Tape, differentiate, parse};
use std::collections::HashMap;

/// f(x) = a/2·x² + amp·(1 − cos(freq·x)) in 1-D. Its convolution with noise uniform on
/// [−w, w] has the closed form a/2·(x² + w²/3) + amp·(1 − cos(freq·x)·sin(freq·w)/(freq·w)).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Ripple {
    pub a: f64,
    pub amp: f64,
    pub freq: f64,
}

/// Our reconstruction of Figure 3's function (the paper gives no formula): approximately convex
/// and very spiky, f(x) = x²/2 + amp·x²·(1 − cos(freq·x)). The spikes grow with |x|, so that
/// gradient descent sticks in local minima away from x* = 0, while a small noise level already
/// makes the convolved function convex near 0 and a larger one everywhere, as the paper says of
/// its Figure 3. Its convolution with noise uniform on [−w, w] has a closed form.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Spiky {
    pub amp: f64,
    pub freq: f64,
}

impl Spiky {
    pub const FIG3: Spiky = Spiky {
        amp: 0.05,
        freq: 30.0,
    };

    fn ripple(&self, v: f64) -> f64 {
        v * v * (1.0 - (self.freq * v).cos())
    }
    /// An antiderivative of the ripple v²(1 − cos(kv)).
    fn ripple_integral(&self, v: f64) -> f64 {
        let k = self.freq;
        let (s, c) = (k * v).sin_cos();
        v * v * v / 3.0 - (v * v * s / k + 2.0 * v * c / (k * k) - 2.0 * s / (k * k * k))
    }
    pub fn value(&self, x: f64) -> f64 {
        0.5 * x * x + self.amp * self.ripple(x)
    }
    pub fn grad(&self, x: f64) -> f64 {
        let kx = self.freq * x;
        self.grad_from(x, trig::sin(kx), trig::cos(kx))
    }
    /// f'(x) given s = sin(freq·x) and c = cos(freq·x).
    #[inline(always)]
    fn grad_from(&self, x: f64, s: f64, c: f64) -> f64 {
        x + self.amp * (2.0 * x * (1.0 - c) + x * x * self.freq * s)
    }
    /// E f(x − u) for u uniform on [−w, w].
    pub fn smoothed(&self, x: f64, w: f64) -> f64 {
        if w == 0.0 {
            return self.value(x);
        }
        0.5 * x * x
            + w * w / 6.0
            + self.amp * (self.ripple_integral(x + w) - self.ripple_integral(x - w)) / (2.0 * w)
    }
    /// d/dx E f(x − u) for u uniform on [−w, w].
    pub fn smoothed_grad(&self, x: f64, w: f64) -> f64 {
        if w == 0.0 {
            return self.grad(x);
        }
        x + self.amp * (self.ripple(x + w) - self.ripple(x - w)) / (2.0 * w)
    }
}

impl Ripple {
    /// A gently rippled bowl.
    pub const BOWL: Ripple = Ripple {
        a: 1.0,
        amp: 0.1,
        freq: 5.0,
    };

    pub fn value(&self, x: f64) -> f64 {
        0.5 * self.a * x * x + self.amp * (1.0 - (self.freq * x).cos())
    }
    pub fn grad(&self, x: f64) -> f64 {
        self.grad_from(x, trig::sin(self.freq * x))
    }
    /// f'(x) given s = sin(freq·x).
    #[inline(always)]
    fn grad_from(&self, x: f64, s: f64) -> f64 {
        self.a * x + self.amp * self.freq * s
    }
    /// E f(x − u) for u uniform on [−w, w].
    pub fn smoothed(&self, x: f64, w: f64) -> f64 {
        let damp = if w == 0.0 {
            1.0
        } else {
            (self.freq * w).sin() / (self.freq * w)
        };
        0.5 * self.a * (x * x + w * w / 3.0) + self.amp * (1.0 - (self.freq * x).cos() * damp)
    }
    /// d/dx E f(x − u) for u uniform on [−w, w].
    pub fn smoothed_grad(&self, x: f64, w: f64) -> f64 {
        let damp = if w == 0.0 {
            1.0
        } else {
            (self.freq * w).sin() / (self.freq * w)
        };
        self.a * x + self.amp * self.freq * (self.freq * x).sin() * damp
    }
}

/// An objective given as an expression, with its gradient compiled on the same tape.
#[derive(Clone, Debug)]
pub struct ExprObjective {
    pub tape: Tape,
    pub value: Reg,
    pub grad: Vec<Option<Reg>>,
    pub dim: usize,
    pub text: String,
    /// The instructions the gradient needs (the value's own are skipped when only the gradient
    /// is asked for).
    pub grad_list: Vec<Reg>,
}

/// The largest dimension of an objective (`--dim`).
pub const MAX_DIM: usize = 1000;

/// Refuses a dimension outside 1..=[`MAX_DIM`], naming the objective.
fn check_dim(dim: usize, what: &str) -> Result<()> {
    if dim == 0 || dim > MAX_DIM {
        return Err(Usage::out_of_range(
            "--dim",
            dim,
            format!("the dimension of {what} must be between 1 and {MAX_DIM}"),
        )
        .into());
    }
    Ok(())
}

impl ExprObjective {
    /// Compiles `text` over `x` (dim 1) or `x1..xd`.
    pub fn new(text: &str, dim: usize) -> Result<ExprObjective> {
        check_dim(dim, "an expression objective")?;
        let names: Vec<String> = if dim == 1 {
            vec!["x".into()]
        } else {
            (1..=dim).map(|i| format!("x{i}")).collect()
        };
        let e = parse(text, "the objective")?;
        let mut tape = Tape::new(names.clone());
        let env: HashMap<String, Reg> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        let src = tape.add_source("the objective", text);
        let value = tape.compile(&e, &env, src)?;
        let wrt: Vec<usize> = (0..dim).collect();
        let grad = differentiate(&mut tape, &[value], &wrt).remove(0);
        let grad_roots: Vec<Reg> = grad.iter().flatten().copied().collect();
        let grad_list = tape
            .slice(&grad_roots)
            .into_iter()
            .filter(|&i| i >= dim)
            .collect();
        Ok(ExprObjective {
            tape,
            value,
            grad,
            dim,
            text: text.to_string(),
            grad_list,
        })
    }
}

/// The objectives.
#[derive(Clone, Debug)]
pub enum Objective {
    /// a/2·‖x‖² in `dim` dimensions.
    Quadratic {
        a: f64,
        dim: usize,
    },
    Ripple(Ripple),
    Spiky(Spiky),
    Expr(Box<ExprObjective>),
}

impl Objective {
    /// The objective named on the command line (`--objective`, `--dim`, `--a`): `quadratic`
    /// (a/2·‖x‖² in `dim` dimensions, a > 0), `bowl` and `spiky` (1-D), or an expression in `x`
    /// (dim 1) or `x1..xd`. A dimension outside 1..=[`MAX_DIM`], or other than 1 for a 1-D
    /// objective, is refused rather than adjusted.
    pub fn named(name: &str, dim: usize, a: f64) -> Result<Objective> {
        Ok(match name {
            "quadratic" => {
                if !(a.is_finite() && a > 0.0) {
                    return Err(Usage::out_of_range("--a", a, "must be positive").into());
                }
                check_dim(dim, "the quadratic")?;
                Objective::Quadratic { a, dim }
            }
            "bowl" | "spiky" => {
                if dim != 1 {
                    return Err(Usage::invalid(
                        "--dim",
                        dim.to_string(),
                        format!("the {name} objective is a function of one variable; give --dim 1 (or leave --dim out), or an expression in x1..xd"),
                    )
                    .into());
                }
                if name == "bowl" {
                    Objective::Ripple(Ripple::BOWL)
                } else {
                    Objective::Spiky(Spiky::FIG3)
                }
            }
            text => Objective::Expr(Box::new(ExprObjective::new(text, dim)?)),
        })
    }

    /// Operations one trial-step of SGD costs, roughly: the gradient (its instructions, for an
    /// expression), then the noise and the update in every coordinate. Used to estimate the
    /// work of a run before starting it.
    pub fn ops_per_step(&self) -> u128 {
        let d = self.dim() as u128;
        let grad = match self {
            Objective::Quadratic { dim, .. } => *dim as u128,
            Objective::Ripple(_) | Objective::Spiky(_) => 4,
            Objective::Expr(e) => e.grad_list.len().max(1) as u128,
        };
        grad + 2 * d
    }

    pub fn dim(&self) -> usize {
        match self {
            Objective::Quadratic { dim, .. } => *dim,
            Objective::Ripple(_) | Objective::Spiky(_) => 1,
            Objective::Expr(e) => e.dim,
        }
    }
    pub fn describe(&self) -> String {
        match self {
            Objective::Quadratic { a, dim } => {
                format!("quadratic a/2·‖x‖² with a = {a} in {dim} dimensions")
            }
            Objective::Ripple(r) => format!("{}/2·x² + {}·(1 − cos({}·x))", r.a, r.amp, r.freq),
            Objective::Spiky(r) => format!("x²/2 + {}·x²·(1 − cos({}·x))", r.amp, r.freq),
            Objective::Expr(e) => e.text.clone(),
        }
    }
}

/// Evaluates gradients of an objective; holds the f64 registers of an expression objective.
pub struct Gradient<'o> {
    obj: &'o Objective,
    ev: Option<F64Eval>,
}

impl<'o> Gradient<'o> {
    pub fn new(obj: &'o Objective) -> Self {
        let ev = match obj {
            Objective::Expr(e) => Some(F64Eval::new(&e.tape)),
            _ => None,
        };
        Gradient { obj, ev }
    }

    /// Writes ∇f(x) into `g`.
    #[inline]
    pub fn grad(&mut self, x: &[f64], g: &mut [f64]) {
        match self.obj {
            Objective::Quadratic { a, .. } => {
                for (gi, xi) in g.iter_mut().zip(x) {
                    *gi = a * xi;
                }
            }
            Objective::Ripple(r) => g[0] = r.grad(x[0]),
            Objective::Spiky(r) => g[0] = r.grad(x[0]),
            Objective::Expr(e) => {
                let ev = self.ev.as_mut().expect("made in new");
                ev.run_selected(&e.tape, x, &e.grad_list);
                for (gi, d) in g.iter_mut().zip(&e.grad) {
                    *gi = d.map_or(0.0, |d| ev.get(d));
                }
            }
        }
    }

    pub fn value(&mut self, x: &[f64]) -> f64 {
        match self.obj {
            Objective::Quadratic { a, .. } => 0.5 * a * x.iter().map(|v| v * v).sum::<f64>(),
            Objective::Ripple(r) => r.value(x[0]),
            Objective::Spiky(r) => r.value(x[0]),
            Objective::Expr(e) => {
                let ev = self.ev.as_mut().expect("made in new");
                ev.run(&e.tape, x);
                ev.get(e.value)
            }
        }
    }
}

/// Evaluates gradients of an objective at `B` points at once (one per lane); `x[k]` holds
/// coordinate k of every lane, and [`GradientLanes::component`] gives coordinate k of the
/// gradients, read in place. Lane j's gradient equals [`Gradient::grad`]'s at lane j's point for
/// the closed-form objectives, and the f64 tape's for expressions.
pub struct GradientLanes<'o, const B: usize> {
    obj: &'o Objective,
    ev: Option<F64Lanes<B>>,
    arg: [f64; B],
    sin: [f64; B],
    cos: [f64; B],
    /// The gradients of the closed-form objectives.
    g: Vec<[f64; B]>,
    zero: [f64; B],
}

impl<'o, const B: usize> GradientLanes<'o, B> {
    pub fn new(obj: &'o Objective) -> Self {
        let ev = match obj {
            Objective::Expr(e) => Some(F64Lanes::new(&e.tape)),
            _ => None,
        };
        GradientLanes {
            obj,
            ev,
            arg: [0.0; B],
            sin: [0.0; B],
            cos: [0.0; B],
            g: vec![[0.0; B]; obj.dim()],
            zero: [0.0; B],
        }
    }

    /// Evaluates ∇f at every lane's point.
    #[inline(always)]
    pub fn eval(&mut self, x: &[[f64; B]]) {
        let g = &mut self.g;
        match self.obj {
            Objective::Quadratic { a, .. } => {
                for (gk, xk) in g.iter_mut().zip(x) {
                    for j in 0..B {
                        gk[j] = a * xk[j];
                    }
                }
            }
            Objective::Ripple(r) => {
                for (a, &xj) in self.arg.iter_mut().zip(&x[0]) {
                    *a = r.freq * xj;
                }
                sin_lanes(&self.arg, &mut self.sin);
                for j in 0..B {
                    g[0][j] = r.grad_from(x[0][j], self.sin[j]);
                }
            }
            Objective::Spiky(r) => {
                for (a, &xj) in self.arg.iter_mut().zip(&x[0]) {
                    *a = r.freq * xj;
                }
                sin_lanes(&self.arg, &mut self.sin);
                cos_lanes(&self.arg, &mut self.cos);
                for j in 0..B {
                    g[0][j] = r.grad_from(x[0][j], self.sin[j], self.cos[j]);
                }
            }
            Objective::Expr(e) => {
                let ev = self.ev.as_mut().expect("made in new");
                for (k, xk) in x.iter().enumerate() {
                    ev.set_input(k, xk);
                }
                ev.run_selected(&e.tape, &e.grad_list);
            }
        }
    }

    /// Coordinate `k` of the gradients [`GradientLanes::eval`] computed.
    #[inline(always)]
    pub fn component(&self, k: usize) -> &[f64; B] {
        match self.obj {
            Objective::Expr(e) => match e.grad[k] {
                Some(r) => self.ev.as_ref().expect("made in new").get(r),
                None => &self.zero,
            },
            _ => &self.g[k],
        }
    }
}
