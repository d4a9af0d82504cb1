//! The `simulate` report: a [`Simulation`] as JSON (with the tool's name and version in front),
//! as text, and its traced trials as CSV.

use super::number::bounds_text;
use crate::sim::events::{Corollary2Event, Simulation};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

#[derive(Serialize)]
struct SimulateJson<'a> {
    tool: &'static str,
    version: &'static str,
    #[serde(flatten)]
    sim: &'a Simulation,
}

/// A number as JSON writes it (`1.0`, `0.5`, `1e20`; `null` when not finite).
fn json_number(v: f64) -> String {
    serde_json::Value::from(v).to_string()
}

/// A number as it reads back from JSON: a non-finite one as NaN (JSON writes it `null`), so
/// that the text shows what the JSON holds.
fn as_read(v: f64) -> f64 {
    if v.is_finite() { v } else { f64::NAN }
}

/// A frequency as the text report writes it: `0.4210 [0.3901, 0.4523] (421 of 1000)`, the
/// Clopper–Pearson ends rounded outward.
fn frequency(e: &crate::sim::events::Event) -> String {
    format!(
        "{:.4} {} ({} of {})",
        as_read(e.probability),
        bounds_text(e.clopper_pearson_95.0, e.clopper_pearson_95.1, 4),
        e.count,
        e.trials
    )
}

/// The report as pretty JSON (with a final newline).
pub fn json(sim: &Simulation) -> String {
    super::json_text(&SimulateJson {
        tool: "sgdbounds",
        version: env!("CARGO_PKG_VERSION"),
        sim,
    })
}

/// The report as text.
pub fn text(sim: &Simulation) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "SGD on {} ({} trials, seed {})",
        sim.objective, sim.trials, sim.seed
    );
    for st in &sim.stages {
        let _ = writeln!(
            s,
            "  stage: η = {}, {} steps, noise {}",
            st.eta, st.steps, st.noise
        );
    }
    if sim.diverged > 0 {
        let _ = writeln!(
            s,
            "  {} trials diverged (non-finite iterates); the quantiles are over the others",
            sim.diverged
        );
    }
    let q = &sim.finals.quantiles;
    let _ = writeln!(
        s,
        "  final {}: 5% {:.4}  25% {:.4}  median {:.4}  75% {:.4}  95% {:.4}",
        sim.finals.what, q.q05, q.q25, q.q50, q.q75, q.q95
    );
    if let Some(w) = &sim.within {
        let _ = writeln!(
            s,
            "  within {} of x*: {:.4} {} ({} of {})",
            json_number(w.radius),
            as_read(w.fraction),
            bounds_text(w.clopper_pearson_95.0, w.clopper_pearson_95.1, 4),
            w.count,
            sim.trials
        );
    }
    if let Some(dx) = &sim.domain {
        let when = match &dx.first_exit {
            Some(e) => format!(
                "; first step outside: earliest {}, 5% {}, median {}, 95% {}, latest {}",
                e.earliest, e.q05, e.median, e.q95, e.latest
            ),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "  left D = [{}, {}]^d: {}{when}",
            dx.lo,
            dx.hi,
            frequency(&dx.left)
        );
    }
    if let Some(sc) = &sim.step2_conditional {
        let _ = writeln!(
            s,
            "  Step 2 as written, E[G_T1 | F_T1−1] ≤ G_0 with G_t = (1 − λ)^−t·(‖y_t − x*‖² − b/λ), T1 = {}: fails on {} of the paths, computed exactly over the noise's values",
            sc.t1,
            frequency(&sc.violated)
        );
        if let Some(w) = &sc.worst {
            let _ = writeln!(
                s,
                "    worst path: trial {}, E[G_T1 | F_T1−1] = {:.6e} > G_0 = {:.6e}",
                w.trial, w.conditional_g_t1, w.g0
            );
        }
        let _ = writeln!(
            s,
            "    unconditionally (the tower property; Monte Carlo over the trials): mean of (1 − λ)^T1·G_T1 = {:.6e} ≤ mean of (1 − λ)^T1·G_0 = {:.6e}",
            as_read(sc.mean_scaled_g_t1),
            as_read(sc.mean_scaled_g0)
        );
    }
    match &sim.corollary2 {
        Some(Corollary2Event::Event {
            bound_final,
            probability,
            clopper_pearson_95: (lo, hi),
            paper_text,
            ..
        }) => {
            let _ = writeln!(
                s,
                "  Corollary 2, ‖y − x*‖² ≤ 20b′/λ′ = {:.4e} after both stages: {:.4} {} (paper: ≥ {})",
                as_read(*bound_final),
                as_read(*probability),
                bounds_text(*lo, *hi, 4),
                paper_text.as_deref().unwrap_or("?")
            );
        }
        Some(Corollary2Event::Error { error }) => {
            let _ = writeln!(s, "  Corollary 2: {error}");
        }
        None => {}
    }
    if let (Some(ev), Some(th)) = (&sim.events, &sim.theorem1) {
        let start = if ev.t1 == th.point.steps() {
            String::new()
        } else {
            format!(", the window from step {} (--t1)", ev.t1)
        };
        let _ = writeln!(
            s,
            "  Theorem 1 (L = {}, c = {}, r = {}, T2 = {}): T1 = {}{start}, 20b/λ = {:.6e}, δ² = {:.6e}",
            th.point.l,
            th.point.c,
            th.point.r,
            th.point.t2,
            th.point.steps(),
            as_read(th.bounds.bound_t1),
            as_read(th.bounds.delta2),
        );
        let _ = writeln!(
            s,
            "  tightness (medians over the trials): ‖y_T1 − x*‖²/(20b/λ) = {:.4e}, max over the window of ‖y_t − x*‖²/δ² = {:.4e}",
            as_read(ev.tightness.median_at_t1_over_bound),
            as_read(ev.tightness.median_window_max_over_delta2),
        );
    }
    if let Some(ev) = &sim.events {
        let both = format!(
            "both (Theorem 1: ≥ {})",
            sim.theorem1_probability.as_deref().unwrap_or("?")
        );
        let at_t1 = match ev.at_t1_within_20b_over_lambda.paper {
            Some(p) => format!("‖y_T1 − x*‖² ≤ 20b/λ (Step 2: ≥ {})", json_number(p)),
            None => "‖y_T1 − x*‖² ≤ 20b/λ".to_string(),
        };
        for (e, label) in [
            (&ev.at_t1_within_20b_over_lambda, at_t1.as_str()),
            (&ev.window_within_delta2, "‖y_t − x*‖² ≤ δ² on [T1, T1+T2]"),
            (&ev.both, both.as_str()),
            (
                &ev.window_within_20b_over_lambda,
                "max over [T1, T1+T2] of ‖y_t − x*‖² ≤ 20b/λ",
            ),
        ] {
            let _ = writeln!(s, "  {label}: {}", frequency(e));
        }
    } else if let Some(th) = &sim.theorem1 {
        let _ = writeln!(
            s,
            "  Theorem 1's window [T1, T1 + T2] = [{}, {}] does not fit in the first stage's {} steps",
            json_number(th.point.t1),
            th.point.t1 as u64 + th.point.t2,
            sim.stages[0].steps
        );
    }
    s
}

/// Writes every recorded step of the traced trials as CSV: `trial,stage,t,x1..xd,dist2_y`,
/// numbers in Rust's shortest round-trip scientific form.
pub fn write_trajectories<W: Write>(w: &mut W, sim: &Simulation) -> io::Result<()> {
    let xs: Vec<String> = (1..=sim.dim).map(|i| format!("x{i}")).collect();
    writeln!(w, "trial,stage,t,{},dist2_y", xs.join(","))?;
    for (i, r) in sim.results.iter().enumerate() {
        for (s, t, x, r2) in &r.trace {
            let xs: Vec<String> = x.iter().map(|v| format!("{v:e}")).collect();
            writeln!(w, "{i},{s},{t},{},{r2:e}", xs.join(","))?;
        }
    }
    w.flush()
}
