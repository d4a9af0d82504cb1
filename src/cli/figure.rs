//! `sgdbounds figure`: the paper's Figure 3 (our reconstruction), the bounds against η, and
//! quantiles of ‖y_t − x*‖² against the bounds, as SVG.

use crate::error::Result;
use crate::report::figure::{ImageFormat, draw_figure};
use crate::sim::figure::{FigureRequest, bound_vs_eta, fig3, quantiles};
use clap::{Args, ValueEnum};

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

pub fn run_cmd(args: FigureArgs) -> Result<super::Outcome> {
    let req = FigureRequest {
        trials: args.trials,
        seed: args.seed,
        l: args.l,
        c: args.c,
        r: args.r,
        d0: args.d0,
        t2: args.t2,
    };
    req.check()?;
    ImageFormat::of(&args.out)?;
    let fig = match args.kind {
        Kind::Fig3 => fig3(&req)?,
        Kind::BoundVsEta => bound_vs_eta(&req)?,
        Kind::Quantiles => quantiles(&req)?,
    };
    draw_figure(&args.out, &fig)?;
    Ok(super::Outcome {
        notes: vec![format!("wrote {}", args.out)],
        ..Default::default()
    })
}
