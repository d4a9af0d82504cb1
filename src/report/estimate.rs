//! The `estimate` report: the estimated L, r and c on the domain, and Theorem 1 with them, as
//! data (for `--json`) and as text.

use crate::sim::Noise;
use crate::sim::assess::{Assessment, Theorem1Check};
use crate::sim::estimate::Estimate;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct EstimateReport<'a> {
    pub objective: String,
    pub eta: f64,
    pub noise: Noise,
    pub domain: Domain,
    pub estimate: &'a Estimate,
    pub c_error_note: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theorem1: Option<&'a Theorem1Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certified: Option<&'a crate::sim::certify::Certified>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theorem1_certified: Option<&'a Theorem1Check>,
}

#[derive(Debug, Serialize)]
pub struct Domain {
    pub x_star: f64,
    pub radius: f64,
    /// D = [lo, hi] in every coordinate.
    pub lo: f64,
    pub hi: f64,
    pub points: usize,
    pub excluded_radius: f64,
}

impl<'a> EstimateReport<'a> {
    pub fn new(a: &'a Assessment) -> Self {
        let e = &a.estimate;
        EstimateReport {
            objective: a.spec.objective.describe(),
            eta: a.spec.eta,
            noise: a.spec.noise.clone(),
            domain: Domain {
                x_star: a.x_star,
                radius: a.spec.radius,
                lo: a.spec.center[0] - a.spec.radius,
                hi: a.spec.center[0] + a.spec.radius,
                points: e.points,
                excluded_radius: a.spec.exclude,
            },
            estimate: e,
            c_error_note: if e.closed_form {
                "closed form: no sampling error"
            } else {
                "Hoeffding: each point's mean within c_error with probability 1 − 1e-3/points; all points together with probability ≥ 0.999"
            },
            theorem1: a.theorem1.as_ref(),
            certified: a.certified.as_ref(),
            theorem1_certified: a.theorem1_certified.as_ref(),
        }
    }

    /// The report as pretty JSON (with a final newline).
    pub fn json(&self) -> String {
        super::json_text(self)
    }

    /// The report as text.
    pub fn text(&self) -> String {
        let e = self.estimate;
        let mut s = String::new();
        let on = if self.domain.lo + self.domain.radius == self.domain.x_star {
            format!("x* ± {}", self.domain.radius)
        } else {
            format!(
                "D = [{}, {}] (x* = {})",
                self.domain.lo, self.domain.hi, self.domain.x_star
            )
        };
        let _ = writeln!(
            s,
            "{} with η = {}, noise {}, on {on}",
            self.objective, self.eta, self.noise
        );
        let _ = writeln!(
            s,
            "  L ≈ {:.6} (largest secant of ∇f over {} points)",
            e.l, e.points
        );
        let _ = writeln!(s, "  r = {}", e.r);
        let _ = writeln!(
            s,
            "  c ≈ {:.6} ± {:.2e} ({}), smallest at x = {} (y = {})",
            e.c,
            e.c_error,
            if e.closed_form {
                "closed form"
            } else {
                "Monte Carlo, Hoeffding"
            },
            point(&e.c_at_x),
            point(&e.c_at_y)
        );
        let _ = writeln!(s, "  ∇f(x*) = {}", point(&e.grad_at_x_star));
        if let Some(t) = self.theorem1 {
            let _ = writeln!(s, "  Theorem 1 with the estimates: {}", theorem1_text(t));
        }
        if let Some(c) = self.certified {
            let b = |x: &Option<crate::sim::certify::Bracket>| match x {
                Some(b) => format!("∈ {}", super::number::bracket_text(b.lo, b.hi, 7)),
                None => ": not certified".into(),
            };
            let _ = writeln!(
                s,
                "  certified on D (interval branch and bound, {} cells):",
                c.cells
            );
            let _ = writeln!(
                s,
                "    L (Lipschitz constant of ∇f, sup |f″|) {}",
                b(&c.l_lipschitz)
            );
            let _ = writeln!(
                s,
                "    L (Definition 1, one-sided, sup f″) {}",
                b(&c.l_one_sided)
            );
            let _ = writeln!(
                s,
                "    c (Assumption 1, inf of the ratio over |y − x*| ≥ {}) {}",
                c.exclude,
                b(&c.c)
            );
            let _ = writeln!(s, "    D0 (sup ‖y − x*‖² on D) {}", b(&c.d0));
            let _ = writeln!(s, "    ∇f(x*) {}", b(&c.grad_at_x_star));
            let _ = writeln!(
                s,
                "    ∇E f(x* − ηω) {} (Assumption 1 near x* needs it to vanish)",
                b(&c.smoothed_grad_at_x_star)
            );
            for n in &c.notes {
                let _ = writeln!(s, "    note: {n}");
            }
        }
        if let Some(t) = self.theorem1_certified {
            let _ = writeln!(
                s,
                "  Theorem 1 with the certified bounds: {}",
                theorem1_text(t)
            );
        }
        s
    }
}

/// Theorem 1's outcome in a line: T1 and the bounds, or why it does not apply.
fn theorem1_text(t: &Theorem1Check) -> String {
    match t {
        Theorem1Check::Bounds {
            t1,
            bound_t1,
            delta2,
            inputs,
        } => format!(
            "applies with L = {}, c = {}, r = {}, D0 = {}: T1 = {t1}, 20b/λ = {bound_t1:.6e}, δ² = {delta2:.6e}",
            inputs.l, inputs.c, inputs.r, inputs.d0
        ),
        Theorem1Check::Error { error } => format!("does not apply: {error}"),
    }
}

/// A point as text: its one coordinate, or `(x1, x2, …)`.
fn point(x: &[f64]) -> String {
    match x {
        [v] => format!("{v}"),
        _ => format!(
            "({})",
            x.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
