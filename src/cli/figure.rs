//! `sgdbounds figure`: the paper's Figure 3 (our reconstruction), the bounds against η, and
//! quantiles of ‖y_t − x*‖² against the bounds, as SVG.

use super::simulate::theorem1;
use crate::error::{Error, Result};
use crate::report::figure::{Panel, draw};
use crate::sim::stats::{histogram, quantile};
use crate::sim::{Noise, Objective, RunSpec, Spiky, Stage, Start, try_run};
use crate::theory::Model;
use crate::verify::{Precision, evaluate_point};
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Figure 3 with our spiky function: f and its convolutions; final iterates of GD and three
    /// noise levels; multi-stage runs with shrinking noise
    Fig3,
    /// Theorem 1's 20b/λ and δ² against η for fixed L, c, r, D0, T2
    BoundVsEta,
    /// Quantiles of ‖y_t − x*‖² over time on the quadratic, against 20b/λ and δ²
    Quantiles,
}

/// Draw a figure as SVG or PNG (by the file name's extension).
///
/// Examples:
///
///   sgdbounds figure fig3 --out fig3.svg
///
///   sgdbounds figure fig3 --out fig3.png
///
///   sgdbounds figure bound-vs-eta --L 1 --c 0.5 --r 1 --out bounds.svg
///
///   sgdbounds figure quantiles --out quantiles.svg
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct FigureArgs {
    pub kind: Kind,
    /// The file to write: FILE.svg or FILE.png
    #[arg(long, value_name = "FILE")]
    pub out: String,
    /// Trials per panel
    #[arg(long, default_value_t = 100)]
    pub trials: u64,
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
    /// bound-vs-eta: L
    #[arg(long = "L", default_value = "1")]
    pub l: String,
    /// bound-vs-eta: c
    #[arg(long, default_value = "0.5")]
    pub c: String,
    /// bound-vs-eta: r
    #[arg(long, default_value = "1")]
    pub r: String,
    /// bound-vs-eta: D0
    #[arg(long, default_value = "1")]
    pub d0: String,
    /// bound-vs-eta and quantiles: T2
    #[arg(long, default_value = "1000")]
    pub t2: String,
}

fn finals(spec: &RunSpec) -> Result<Vec<f64>> {
    Ok(try_run(spec, &|_| {})?
        .into_iter()
        .map(|t| t.x_final[0])
        .collect())
}

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

fn fig3(args: &FigureArgs) -> Result<()> {
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
        trials: args.trials,
        seed: args.seed,
        checkpoints: vec![],
        window: None,
        trace_trials: 0,
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
    draw(
        &args.out,
        "Figure 3 reconstructed: SGD on a spiky function (sgdbounds)",
        3,
        4,
        &panels,
    )
}

fn bound_vs_eta(args: &FigureArgs) -> Result<()> {
    let model = Model::builtin("theorem1")?;
    let mut given: BTreeMap<String, String> = [
        ("L", &args.l),
        ("c", &args.c),
        ("r", &args.r),
        ("d0", &args.d0),
        ("t2", &args.t2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    given.insert("eta".into(), "1e-9".into());
    let probe = model.point(&given, &|p| format!("--{}", p.flag))?;
    let p = evaluate_point(&model, &probe, Precision::new(128, 6));
    let sup = p
        .quantity(&model, "eta_sup")
        .map(|x| x.lo.to_f64())
        .ok_or_else(|| Error::usage("η_max is undefined"))?;
    let mut b1 = Vec::new();
    let mut d2 = Vec::new();
    for i in 0..60 {
        let eta = sup * 10f64.powf(-5.0 + 5.0 * i as f64 / 60.0);
        given.insert("eta".into(), crate::report::number::f64_exact(eta));
        let inputs = model.point(&given, &|p| format!("--{}", p.flag))?;
        let r = evaluate_point(&model, &inputs, Precision::new(128, 6));
        let get = |n: &str| r.quantity(&model, n).map(|x| x.hi.to_f64());
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
            args.l, args.c, args.r, args.d0, args.t2
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
    draw(
        &args.out,
        "Theorem 1's bounds against the step size (sgdbounds)",
        1,
        1,
        &[panel],
    )
}

fn quantiles(args: &FigureArgs) -> Result<()> {
    let (eta, s) = (0.1, 1.0);
    let steps = 3000u64;
    let t2: u64 = args
        .t2
        .parse()
        .map_err(|_| Error::usage(format!("--t2 {}: a number of steps", args.t2)))?;
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
        trials: args.trials,
        seed: args.seed,
        checkpoints: cps.clone(),
        window: None,
        trace_trials: 0,
    };
    let res = try_run(&spec, &|_| {})?;
    let (_, b1, d2, _) = theorem1(eta, "1", "1", s, 4.5 * 4.5, t2)?;
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
        title: format!("quadratic, η = {eta}, s = {s}, {} trials", args.trials),
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
    draw(
        &args.out,
        "‖y_t − x*‖² against Theorem 1's bounds (sgdbounds)",
        1,
        1,
        &[panel],
    )
}

pub fn run_cmd(args: FigureArgs) -> Result<i32> {
    if args.trials == 0 || args.trials > 1_000_000 {
        return Err(Error::usage("--trials must be between 1 and 1000000"));
    }
    crate::report::figure::ImageFormat::of(&args.out)?;
    match args.kind {
        Kind::Fig3 => fig3(&args)?,
        Kind::BoundVsEta => bound_vs_eta(&args)?,
        Kind::Quantiles => quantiles(&args)?,
    }
    eprintln!("wrote {}", args.out);
    Ok(0)
}
