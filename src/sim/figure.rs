//! The data of the figures (`figure`): each panel's curves, points and bars, computed here
//! from the simulator and the theorems; [`crate::report::figure`] draws them as SVG or PNG.

use super::run::{RunSpec, Stage, Start, try_run};
use super::stats::{histogram, quantile};
use super::theorem::{f64_text, theorem1};
use super::{Noise, Objective, Spiky};
use crate::error::{Result, Usage};
use crate::theory::Model;
use crate::verify::{Precision, evaluate_point};
use serde::Serialize;
use std::collections::BTreeMap;

/// A labelled curve: (label, points, colour index).
pub type Curve = (String, Vec<(f64, f64)>, usize);

/// One panel of a figure.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Panel {
    pub title: String,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub y_log: bool,
    /// Curves: (label, points, colour index).
    pub lines: Vec<Curve>,
    /// Scattered points (final iterates).
    pub points: Vec<(f64, f64)>,
    /// Bars: (x from, x to, height), drawn against the right half of the y range.
    pub bars: Vec<(f64, f64, f64)>,
}

/// A figure: its title and its panels, in a grid of `rows` × `cols` (row by row).
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub title: String,
    pub rows: usize,
    pub cols: usize,
    pub panels: Vec<Panel>,
}

/// What the figures are drawn with: trials per panel of runs and the seed; for the bounds
/// against η, L, c, r, D0 and T2 (exact decimal text); for the quantiles, T2 (steps).
#[derive(Clone, Debug)]
pub struct FigureRequest {
    pub trials: u64,
    pub seed: u64,
    pub l: String,
    pub c: String,
    pub r: String,
    pub d0: String,
    pub t2: String,
}

/// The most trials per panel.
pub const MAX_TRIALS: u64 = 1_000_000;

impl FigureRequest {
    /// Refuses a number of trials outside 1..=[`MAX_TRIALS`].
    pub fn check(&self) -> Result<()> {
        if self.trials == 0 || self.trials > MAX_TRIALS {
            return Err(Usage::OutOfRange {
                name: "--trials".into(),
                value: None,
                accepted: "must be between 1 and 1000000".into(),
            }
            .into());
        }
        Ok(())
    }
}

/// The final iterates (x in 1-D) of a run.
fn finals(spec: &RunSpec) -> Result<Vec<f64>> {
    Ok(try_run(spec, &|_| {})?
        .into_iter()
        .map(|t| t.x_final[0])
        .collect())
}

/// A panel of final iterates on the graph of f over [−6, 6], with their cumulative histogram
/// (48 bins).
fn scatter_panel(title: &str, f: &Spiky, xs: &[f64]) -> Panel {
    let (lo, hi) = (-6.0, 6.0);
    let counts = histogram(xs, lo, hi, 48);
    let mut cum = 0u64;
    let bars = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            cum += c;
            let a = lo + (hi - lo) * i as f64 / 48.0;
            (a, a + (hi - lo) / 48.0, cum as f64)
        })
        .collect();
    let curve: Vec<(f64, f64)> = (0..=600)
        .map(|i| lo + (hi - lo) * i as f64 / 600.0)
        .map(|x| (x, f.value(x)))
        .collect();
    Panel {
        title: title.into(),
        x_range: (lo, hi),
        y_range: (0.0, 26.0),
        lines: vec![(String::new(), curve, 5)],
        points: xs.iter().map(|&x| (x, f.value(x))).collect(),
        bars,
        ..Default::default()
    }
}

/// Figure 3 of the paper, reconstructed with our spiky function f = x²/2 + 0.05x²(1 − cos 30x)
/// (Section 5): the first row f and its convolutions with uniform noise of three levels at
/// η = 0.02 (closed forms, [`Spiky::smoothed`]); the second the final iterates of GD (η =
/// 0.002, which settles in the local minima) and of SGD at the three noise levels, 2000 steps
/// from uniform starts in [−5, 5]; the third multi-stage runs with shrinking noise. Each panel
/// of iterates shows their cumulative histogram. Seeded: the same request gives the same
/// figure.
pub fn fig3(req: &FigureRequest) -> Result<Figure> {
    let f = Spiky::FIG3;
    let eta = 0.02;
    let levels = [1.5, 5.0, 20.0];
    let (lo, hi) = (-6.0, 6.0);
    let grid: Vec<f64> = (0..=1200)
        .map(|i| lo + (hi - lo) * i as f64 / 1200.0)
        .collect();
    let mut panels = vec![Panel {
        title: "F1,1: f = x²/2 + 0.05x²(1 − cos 30x)".into(),
        x_range: (lo, hi),
        y_range: (0.0, 26.0),
        lines: vec![(
            String::new(),
            grid.iter().map(|&x| (x, f.value(x))).collect(),
            0,
        )],
        ..Default::default()
    }];
    for (k, s) in levels.iter().enumerate() {
        let w = eta * s;
        panels.push(Panel {
            title: format!("F1,{}: f convolved, noise {s} (w = ηs = {w})", k + 2),
            x_range: (lo, hi),
            y_range: (0.0, 26.0),
            lines: vec![(
                String::new(),
                grid.iter().map(|&x| (x, f.smoothed(x, w))).collect(),
                0,
            )],
            ..Default::default()
        });
    }
    let spec = |stages: Vec<Stage>, start: Start| RunSpec {
        objective: Objective::Spiky(f),
        stages,
        start,
        x_star: vec![0.0],
        trials: req.trials,
        seed: req.seed,
        checkpoints: vec![],
        window: None,
        trace_trials: 0,
        domain: None,
        conditional_at: None,
    };
    let stage = |s: f64| Stage {
        eta,
        steps: 2000,
        noise: if s == 0.0 {
            Noise::None
        } else {
            Noise::Uniform { s }
        },
    };
    let wide = Start::Box { lo: -5.0, hi: 5.0 };
    // GD at a step size small enough to settle in the local minima (η = 0.02 is unstable there)
    let gd = Stage {
        eta: 0.002,
        steps: 5000,
        noise: Noise::None,
    };
    panels.push(scatter_panel(
        "F2,1: GD (η = 0.002)",
        &f,
        &finals(&spec(vec![gd], wide.clone()))?,
    ));
    for (k, s) in levels.iter().enumerate() {
        let xs = finals(&spec(vec![stage(*s)], wide.clone()))?;
        panels.push(scatter_panel(
            &format!("F2,{}: SGD, η = {eta}, noise {s}", k + 2),
            &f,
            &xs,
        ));
    }
    let schedule = [
        vec![5.0],
        vec![5.0, 2.0],
        vec![5.0, 2.0, 1.0],
        vec![5.0, 2.0, 1.0, 0.5],
    ];
    for (k, sch) in schedule.iter().enumerate() {
        let xs = finals(&spec(sch.iter().map(|&s| stage(s)).collect(), wide.clone()))?;
        let label = sch
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(" → ");
        panels.push(scatter_panel(
            &format!("F3,{}: stages, noise {label}", k + 1),
            &f,
            &xs,
        ));
    }
    Ok(Figure {
        title: "Figure 3 reconstructed: SGD on a spiky function (sgdbounds)".into(),
        rows: 3,
        cols: 4,
        panels,
    })
}

/// Theorem 1's bounds 20b/λ (at T1) and δ² (on [T1, T1 + T2]) against η, for the request's L,
/// c, r, D0 and T2 (exact decimal text): 60 step sizes spread log-uniformly over five decades
/// below η_max (the supremum of admissible η), each evaluated at 128 bits (upper ends, to f64).
/// Bad input when a parameter cannot be read or η_max is undefined.
pub fn bound_vs_eta(req: &FigureRequest) -> Result<Figure> {
    let model = Model::builtin("theorem1")?;
    let mut given: BTreeMap<String, String> = [
        ("L", &req.l),
        ("c", &req.c),
        ("r", &req.r),
        ("d0", &req.d0),
        ("t2", &req.t2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    given.insert("eta".into(), "1e-9".into());
    let probe = model.point(&given, &|p| format!("--{}", p.flag))?;
    let p = evaluate_point(&model, &probe, Precision::new(128, 6));
    let sup = p
        .quantity(&model, "eta_sup")
        .map(|x| x.lo().to_f64())
        .ok_or_else(|| Usage::Other("η_max is undefined".into()))?;
    let mut b1 = Vec::new();
    let mut d2 = Vec::new();
    for i in 0..60 {
        let eta = sup * 10f64.powf(-5.0 + 5.0 * i as f64 / 60.0);
        given.insert("eta".into(), f64_text(eta));
        let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
        let r = evaluate_point(&model, &inputs, Precision::new(128, 6));
        let get = |n: &str| r.quantity(&model, n).map(|x| x.hi().to_f64());
        if let (Some(a), Some(b)) = (get("bound_T1"), get("delta2")) {
            b1.push((eta.log10(), a));
            d2.push((eta.log10(), b));
        }
    }
    let ymax = d2.iter().map(|p| p.1).fold(0.0, f64::max) * 2.0;
    let ymin = b1.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) / 2.0;
    let panel = Panel {
        title: format!(
            "L = {}, c = {}, r = {}, D0 = {}, T2 = {} (x: log10 η; η_max = {sup:.4})",
            req.l, req.c, req.r, req.d0, req.t2
        ),
        x_range: (sup.log10() - 5.0, sup.log10()),
        y_range: (ymin, ymax),
        y_log: true,
        lines: vec![
            ("20b/λ (bound at T1)".into(), b1, 0),
            ("δ² (bound on [T1, T1+T2])".into(), d2, 1),
        ],
        ..Default::default()
    };
    Ok(Figure {
        title: "Theorem 1's bounds against the step size (sgdbounds)".into(),
        rows: 1,
        cols: 1,
        panels: vec![panel],
    })
}

/// Quantiles (5%, 50%, 95%) of ‖y_t − x*‖² over time for SGD on the quadratic x²/2 (η = 0.1,
/// uniform noise s = 1, 3000 steps from x = 5, 200 checkpoints), against Theorem 1's 20b/λ and
/// δ² for L = c = 1 and D0 = 4.5² (the T2 of the request). Seeded.
pub fn quantiles(req: &FigureRequest) -> Result<Figure> {
    let (eta, s) = (0.1, 1.0);
    let steps = 3000u64;
    let t2: u64 = req
        .t2
        .parse()
        .map_err(|_| Usage::invalid("--t2", &req.t2, "a number of steps"))?;
    let cps: Vec<u64> = (0..200).map(|i| i * (steps - 1) / 199).collect();
    let spec = RunSpec {
        objective: Objective::Quadratic { a: 1.0, dim: 1 },
        stages: vec![Stage {
            eta,
            steps,
            noise: Noise::Uniform { s },
        }],
        start: Start::Point(vec![5.0]),
        x_star: vec![0.0],
        trials: req.trials,
        seed: req.seed,
        checkpoints: cps.clone(),
        window: None,
        trace_trials: 0,
        domain: None,
        conditional_at: None,
    };
    let res = try_run(&spec, &|_| {})?;
    let th = theorem1(eta, "1", "1", s, 4.5 * 4.5, t2)?;
    let (b1, d2) = (th.bound_t1, th.delta2);
    let q = |p: f64| -> Vec<(f64, f64)> {
        cps.iter()
            .enumerate()
            .map(|(k, &t)| {
                let mut v: Vec<f64> = res.iter().map(|r| r.at_checkpoints[k]).collect();
                (t as f64, quantile(&mut v, p).max(1e-12))
            })
            .collect()
    };
    let flat = |y: f64| vec![(0.0, y), (steps as f64, y)];
    let panel = Panel {
        title: format!("quadratic, η = {eta}, s = {s}, {} trials", req.trials),
        x_range: (0.0, steps as f64),
        y_range: (1e-6, (2.0 * d2).max(100.0)),
        y_log: true,
        lines: vec![
            ("5% quantile".into(), q(0.05), 2),
            ("median".into(), q(0.5), 0),
            ("95% quantile".into(), q(0.95), 3),
            ("20b/λ".into(), flat(b1), 1),
            ("δ²".into(), flat(d2), 5),
        ],
        ..Default::default()
    };
    Ok(Figure {
        title: "‖y_t − x*‖² against Theorem 1's bounds (sgdbounds)".into(),
        rows: 1,
        cols: 1,
        panels: vec![panel],
    })
}
