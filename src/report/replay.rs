//! The report of `sgdbounds replay`.

use sgdbounds_replay::check::PointReplay;
use sgdbounds_replay::{ClaimReplay, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, serde::Serialize)]
pub struct ReplayReport {
    pub file: String,
    pub all_valid: bool,
    pub counts: BTreeMap<&'static str, usize>,
    pub claims: Vec<ClaimLine>,
    /// The points of `check --certificate`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<PointLine>,
}

#[derive(Debug, serde::Serialize)]
pub struct PointLine {
    pub result: String,
    pub verdict: &'static str,
    /// Verdicts re-decided.
    pub checked: usize,
    pub problem: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct ClaimLine {
    pub result: String,
    pub claim: String,
    pub verdict: &'static str,
    pub statement: String,
    pub leaves: usize,
    /// Leaves the kernel settled, by its method.
    pub settled: BTreeMap<&'static str, usize>,
    pub problem: Option<String>,
}

fn word(v: &Verdict) -> &'static str {
    match v {
        Verdict::Valid => "valid",
        Verdict::Invalid => "invalid",
    }
}

impl ReplayReport {
    pub fn new(file: &str, claims: &[ClaimReplay], points: &[PointReplay]) -> ReplayReport {
        let mut counts = BTreeMap::new();
        for w in ["valid", "invalid"] {
            counts.insert(w, 0);
        }
        let claims: Vec<ClaimLine> = claims
            .iter()
            .map(|c| {
                *counts.entry(word(&c.verdict)).or_default() += 1;
                ClaimLine {
                    result: c.result.clone(),
                    claim: c.claim.clone(),
                    verdict: word(&c.verdict),
                    statement: c.statement.clone(),
                    leaves: c.leaves,
                    settled: c.settled.clone(),
                    problem: c.problem.clone(),
                }
            })
            .collect();
        let points: Vec<PointLine> = points
            .iter()
            .map(|p| {
                *counts.entry(word(&p.verdict)).or_default() += 1;
                PointLine {
                    result: p.result.clone(),
                    verdict: word(&p.verdict),
                    checked: p.checked,
                    problem: p.problem.clone(),
                }
            })
            .collect();
        ReplayReport {
            file: file.to_string(),
            all_valid: claims.iter().all(|c| c.verdict == "valid")
                && points.iter().all(|p| p.verdict == "valid"),
            counts,
            claims,
            points,
        }
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.claims {
            let mark = if c.verdict == "valid" { "✓" } else { "✗" };
            let _ = writeln!(
                s,
                "  {mark} {:<10}  {}/{}  ({} cells)",
                c.verdict, c.result, c.claim, c.leaves
            );
            let by = |m: &BTreeMap<&str, usize>| {
                m.iter()
                    .map(|(k, v)| format!("{v} by {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if !c.settled.is_empty() {
                let _ = writeln!(s, "                settled again: {}", by(&c.settled));
            }
            if let Some(p) = &c.problem {
                let _ = writeln!(s, "                {p}");
            }
        }
        for p in &self.points {
            let mark = if p.verdict == "valid" { "✓" } else { "✗" };
            let _ = writeln!(
                s,
                "  {mark} {:<10}  {} at the point  ({} verdicts re-decided)",
                p.verdict, p.result, p.checked
            );
            if let Some(problem) = &p.problem {
                let _ = writeln!(s, "                {problem}");
            }
        }
        let _ = writeln!(
            s,
            "\nreplay of {}: {} valid, {} invalid",
            self.file, self.counts["valid"], self.counts["invalid"]
        );
        s
    }
}
