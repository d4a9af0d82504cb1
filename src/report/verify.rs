//! The `verify` report: each claim's verdict over its box, as data (for `--json`) and as text.

use super::number::value_text;
use crate::arith::decimal::{rational, rational_short};
use crate::theory::Model;
use crate::verify::batch::{Batch, BatchSettings};
use crate::verify::{ClaimOutcome, Status};
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub tool: &'static str,
    pub version: &'static str,
    pub all_proved: bool,
    pub counts: Counts,
    pub settings: BatchSettings,
    pub results: Vec<ResultClaims>,
}

#[derive(Debug, Default, Serialize)]
pub struct Counts {
    pub proved: usize,
    pub refuted: usize,
    pub inconclusive: usize,
}

#[derive(Debug, Serialize)]
pub struct ResultClaims {
    pub result: String,
    pub file: String,
    pub claims: Vec<Json>,
    #[serde(skip)]
    text: Vec<String>,
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p == 100.0 || p == 0.0 {
        format!("{p:.0}%")
    } else if p < 0.001 {
        format!("{p:.1e}%")
    } else if p > 99.999 {
        format!("{:.6}%", p.min(99.999999))
    } else {
        format!("{p:.3}%")
    }
}

/// One claim's entry, JSON and text.
pub fn claim_entry(model: &Model, claim: usize, o: &ClaimOutcome, digits: usize) -> (Json, String) {
    let st = &model.theory.claims[claim];
    let mut j = json!({
        "name": st.name,
        "expr": st.formula.text,
        "cite": st.cite,
        "step": st.step,
        "uses": st.uses,
        "status": o.status,
        "method": o.method,
        "box": o.coords.iter().zip(&o.ranges).zip(&o.active).filter(|(_, a)| **a).map(|((c, r), _)| (c.clone(), json!(r.text))).collect::<serde_json::Map<_, _>>(),
        "proved_share": o.proved_share,
        "vacuous_share": o.vacuous_share,
        "undecided_share": o.undecided_share,
        "cells": o.boxes,
        "samples": o.samples,
    });
    let mut text = String::new();
    let mark = match o.status {
        Status::Proved => "✓ proved      ",
        Status::Refuted => "✗ REFUTED     ",
        Status::Inconclusive => "? inconclusive",
    };
    let _ = writeln!(text, "  {mark}  {}: {}", st.name, st.formula.text);
    match o.status {
        Status::Proved => {
            if let Some(seed) = o.identity_seed {
                j["identity_seed"] = json!(seed);
            }
            let defined = format!(
                "proved on {}, hypotheses fail on {} ({} cell{}",
                pct(o.proved_share),
                pct(o.vacuous_share),
                o.boxes,
                if o.boxes == 1 { "" } else { "s" },
            );
            if let Some(p) = o.error_probability {
                j["error_probability"] = json!(p);
                let _ = writeln!(
                    text,
                    "                    identity of rational functions too large to expand; P(wrong) ≤ {p:.1e} ({} random exact evaluations, seed {}); sides defined on 100% of the box: {defined})",
                    o.samples,
                    o.identity_seed.unwrap_or_default()
                );
            } else if o.method.starts_with("the box is one point") {
                let _ = writeln!(
                    text,
                    "                    the box is one point, decided there ({})",
                    if o.vacuous_share > 0.0 {
                        "its hypotheses fail"
                    } else {
                        "the claim holds"
                    }
                );
            } else if o.method.starts_with("identity") {
                let _ = writeln!(
                    text,
                    "                    identity of rational functions, decided exactly; sides defined on 100% of the box: {defined})"
                );
            } else {
                let _ = writeln!(
                    text,
                    "                    100% of the box: {defined}; no counterexample in {} samples)",
                    o.samples
                );
            }
        }
        Status::Refuted => {
            if let Some(w) = &o.witness {
                let coords: serde_json::Map<String, Json> = o
                    .coords
                    .iter()
                    .zip(&w.point)
                    .zip(&o.active)
                    .filter(|(_, a)| **a)
                    .map(|((c, q), _)| (c.clone(), json!(rational_short(q))))
                    .collect();
                let params: serde_json::Map<String, Json> = w
                    .params
                    .iter()
                    .map(|(n, v)| (n.clone(), super::check::value_json(v, digits)))
                    .collect();
                let parts: Vec<Json> = w
                    .verdict
                    .parts
                    .iter()
                    .zip(&model.claims[claim].parts)
                    .map(|(s, c)| {
                        let side = |v: &crate::verify::Value| {
                            (super::check::value_json(v, digits), value_text(v, digits))
                        };
                        let (lj, lt) = side(&s.lhs);
                        let (rj, rt) = side(&s.rhs);
                        json!({"op": c.op.symbol(), "lhs": lj, "rhs": rj, "holds": s.truth, "text": format!("{lt} {} {rt}", c.op.symbol())})
                    })
                    .collect();
                if let Some(why) = &o.reason {
                    let _ = writeln!(text, "                    {why}");
                }
                let _ = writeln!(
                    text,
                    "                    counterexample (exact): {}",
                    coords
                        .iter()
                        .map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let derived: Vec<String> = w
                    .params
                    .iter()
                    .filter(|(n, _)| {
                        !o.coords.contains(n)
                            && model.theory.claims[claim]
                                .formula
                                .expr
                                .variables()
                                .iter()
                                .chain(std::iter::once(n))
                                .count()
                                > 0
                    })
                    .map(|(n, v)| format!("{n} = {}", value_text(v, digits)))
                    .collect();
                if !derived.is_empty() {
                    let _ = writeln!(text, "                    where {}", derived.join(", "));
                }
                for p in &parts {
                    let _ = writeln!(
                        text,
                        "                    {}   [{}]",
                        p["text"].as_str().unwrap_or(""),
                        match p["holds"].as_str() {
                            Some("false") => "fails",
                            Some("true") => "holds",
                            _ => "undefined or undecided",
                        }
                    );
                }
                j["witness"] = json!({"point": coords, "parameters": params, "comparisons": parts, "precision_bits": w.verdict.prec});
            }
        }
        Status::Inconclusive => {
            let _ = writeln!(
                text,
                "                    covered {} (proved {}, hypotheses fail {}), left {}: {}",
                pct(o.proved_share + o.vacuous_share),
                pct(o.proved_share),
                pct(o.vacuous_share),
                pct(o.undecided_share),
                o.reason.as_deref().unwrap_or("")
            );
        }
    }
    if let Some(r) = &o.reason {
        j["reason"] = json!(r);
    }
    domain_entry(o, &mut j, &mut text);
    if let Some(why) = &st.restriction {
        j["restriction"] = json!(why);
        let _ = writeln!(text, "                    restricted: {why}");
    }
    scaling_entry(o, &mut j, &mut text);
    if let Some(n) = &st.note {
        j["note"] = json!(n);
    }
    if let Some(f) = &st.finding {
        j["finding"] = json!(f);
    }
    let _ = writeln!(text, "                    [{}]", st.cite);
    (j, text)
}

/// The domain the verdict is over, coordinate by coordinate, in the variables the proof ran on
/// (the file's, or the scale-free combinations the scalings left, such as `c/L`): in JSON each
/// with its exact ends (`null` for an unbounded one), which ends are open and whether it takes
/// integers only, and the bounded pieces of an unbounded box; in text, one line.
fn domain_entry(o: &ClaimOutcome, j: &mut Json, text: &mut String) {
    let of = |name: &str| {
        o.reductions
            .used
            .iter()
            .rev()
            .find_map(|u| {
                u.mapped
                    .iter()
                    .find(|m| m.name == name)
                    .map(|m| m.of.clone())
            })
            .unwrap_or_else(|| name.to_string())
    };
    let fixed = |name: &str| o.reductions.used.iter().any(|u| u.fixed == name);
    let mut entries = serde_json::Map::new();
    let mut shown = Vec::new();
    for ((c, r), _) in o
        .coords
        .iter()
        .zip(&o.ranges)
        .zip(&o.active)
        .filter(|(_, a)| **a)
    {
        if fixed(c) {
            continue;
        }
        let name = of(c);
        let hi = if r.unbounded {
            "∞".to_string()
        } else {
            rational_short(&r.hi)
        };
        let range = if r.lo == r.hi && !r.unbounded {
            format!("= {}", rational_short(&r.lo))
        } else {
            format!(
                "∈ {}{}, {hi}{}{}",
                if r.lo_open { '(' } else { '[' },
                rational_short(&r.lo),
                if r.hi_open { ')' } else { ']' },
                if r.integer { " integers" } else { "" }
            )
        };
        shown.push(format!("{name} {range}"));
        entries.insert(
            c.clone(),
            json!({
                "of": name,
                "lo": rational(&r.lo),
                "hi": (!r.unbounded).then(|| rational(&r.hi)),
                "lo_open": r.lo_open,
                "hi_open": r.hi_open,
                "integer": r.integer,
            }),
        );
    }
    j["domain"] = Json::Object(entries);
    if !shown.is_empty() {
        let _ = writeln!(text, "                    over {}", shown.join(", "));
    }
    if let Some(shard) = &o.shard {
        j["shard"] = json!(shard);
        let _ = writeln!(text, "                    shard: {shard}");
    }
    if !o.pieces.is_empty() {
        j["pieces"] = json!(o.pieces);
        let pieces: Vec<String> = o.pieces.iter().map(|p| p.join(", ")).collect();
        let _ = writeln!(
            text,
            "                    unbounded ranges by change of variable, {} piece{}: {}",
            pieces.len(),
            if pieces.len() == 1 { "" } else { "s" },
            pieces.join("; ")
        );
    }
}

/// The scalings that reduced the claim's box: in JSON, each with the coordinate it fixed, the
/// range that coordinate had, and the scale-free combinations the other coordinates now range
/// over (and the scalings not used, with why); in text, one line.
fn scaling_entry(o: &ClaimOutcome, j: &mut Json, text: &mut String) {
    let r = &o.reductions;
    if !r.used.is_empty() {
        j["reductions"] = json!(r.used.iter().map(|u| json!({
            "scaling": u.scaling,
            "meaning": u.meaning,
            "invariance": "proved by degree inference",
            "fixed": u.fixed,
            "fixed_range": u.fixed_range,
            "covers": format!("every {} > 0", u.fixed),
            "mapped": u.mapped.iter().map(|m| json!({"name": m.name, "of": m.of, "before": m.before, "after": m.after})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>());
        let fixed: Vec<String> = r
            .used
            .iter()
            .map(|u| {
                format!(
                    "{} = 1 stands for every {} > 0 ({})",
                    u.fixed, u.fixed, u.scaling
                )
            })
            .collect();
        let _ = writeln!(
            text,
            "                    by scaling, invariance proved: {}",
            fixed.join("; ")
        );
    }
    if !r.unused.is_empty() {
        j["scalings_not_used"] = json!(
            r.unused
                .iter()
                .map(|u| json!({"scaling": u.scaling, "reason": u.reason}))
                .collect::<Vec<_>>()
        );
    }
}

impl VerifyReport {
    /// The report of a batch: its settings, and each result's claims at `digits` significant
    /// digits.
    pub fn of_batch(batch: &Batch, digits: usize) -> Self {
        let mut report = VerifyReport::new(batch.settings.clone());
        for (model, outcomes) in &batch.results {
            report.add(model, outcomes, digits);
        }
        report
    }

    pub fn new(settings: BatchSettings) -> Self {
        VerifyReport {
            tool: "sgdbounds",
            version: env!("CARGO_PKG_VERSION"),
            all_proved: true,
            counts: Counts::default(),
            settings,
            results: Vec::new(),
        }
    }

    /// Adds one result's claims (outcomes in the order given).
    pub fn add(&mut self, model: &Model, outcomes: &[(usize, ClaimOutcome)], digits: usize) {
        let mut claims = Vec::new();
        let mut text = Vec::new();
        for (i, o) in outcomes {
            match o.status {
                Status::Proved => self.counts.proved += 1,
                Status::Refuted => self.counts.refuted += 1,
                Status::Inconclusive => self.counts.inconclusive += 1,
            }
            if o.status != Status::Proved {
                self.all_proved = false;
            }
            let (j, t) = claim_entry(model, *i, o, digits);
            claims.push(j);
            text.push(t);
        }
        self.results.push(ResultClaims {
            result: model.theory.name.clone(),
            file: model.theory.file.clone(),
            claims,
            text,
        });
    }

    /// The report as pretty JSON (with a final newline).
    pub fn json(&self) -> String {
        super::json_text(self)
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        for r in &self.results {
            let _ = writeln!(s, "{} ({})", r.result, r.file);
            for t in &r.text {
                s.push_str(t);
            }
            s.push('\n');
        }
        let _ = writeln!(
            s,
            "verify{}: {} proved, {} refuted, {} inconclusive",
            self.settings
                .shard
                .as_ref()
                .map_or(String::new(), |k| format!(
                    " (shard {k}: each claim over its part only)"
                )),
            self.counts.proved,
            self.counts.refuted,
            self.counts.inconclusive
        );
        s
    }
}
