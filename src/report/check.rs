//! The `check` report: what a result promises at one point. Built once as data (which `--json`
//! prints as is) and rendered as text from the same data.

use super::number::{value_ends, value_text};
use crate::arith::Truth;
use crate::arith::decimal::rational;
use crate::expr::Predicate;
use crate::theory::{Assumption, Model, Statement};
use crate::verify::{PointResult, StatementValue, Value};
use serde::Serialize;
use serde_json::{Map, Value as Json, json};
use std::collections::HashSet;
use std::fmt::Write;

/// The word for a verdict.
pub fn verdict_word(t: Truth) -> &'static str {
    match t {
        Truth::True => "holds",
        Truth::False => "fails",
        Truth::Unknown => "undecided",
    }
}

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub tool: &'static str,
    pub version: &'static str,
    pub verdict: &'static str,
    pub digits: usize,
    /// With `--literal`: the statements as the paper prints them, and where that reading
    /// differs from the repaired one (one line per difference).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal_reading: Option<Vec<String>>,
    pub results: Vec<ResultReport>,
}

#[derive(Debug, Serialize)]
pub struct ResultReport {
    pub result: String,
    pub title: String,
    pub cite: String,
    pub verdict: &'static str,
    pub precision_bits: u32,
    pub parameters: Map<String, Json>,
    pub hypotheses: Vec<StatementReport>,
    pub quantities: Map<String, Json>,
    pub claims: Vec<StatementReport>,
    pub assumptions: Vec<Assumption>,
    /// Text lines for the terminal (not serialized).
    #[serde(skip)]
    quantity_lines: Vec<(String, String, String, String)>,
}

#[derive(Debug, Serialize)]
pub struct StatementReport {
    pub name: String,
    pub expr: String,
    pub cite: String,
    pub verdict: &'static str,
    pub comparisons: Vec<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    text_parts: Vec<String>,
    #[serde(skip)]
    text_hint: Option<String>,
}

/// `{"lo": …, "hi": …}` (plus `"exact"` when the value is a rational), or an `"undefined"`
/// reason.
pub fn value_json(v: &Value, digits: usize) -> Json {
    match (&v.enclosure, value_ends(v, digits)) {
        (Ok(_), Some((lo, hi))) => {
            let mut m = Map::new();
            m.insert("lo".into(), json!(lo));
            m.insert("hi".into(), json!(hi));
            if let Some(q) = &v.exact {
                m.insert("exact".into(), json!(rational(q)));
            }
            Json::Object(m)
        }
        (Err(f), _) => {
            json!({ "undefined": v.undefined.clone().unwrap_or_else(|| f.error.to_string()) })
        }
        (Ok(_), None) => json!({ "undefined": "no enclosure" }),
    }
}

fn statement(
    s: &Statement,
    pred: &Predicate,
    v: &StatementValue,
    model: &Model,
    point: &PointResult,
    digits: usize,
) -> StatementReport {
    let mut comparisons = Vec::new();
    let mut text_parts = Vec::new();
    {
        for (c, cv) in pred.parts.iter().zip(&v.parts) {
            let src = &model.tape.sources[c.origin.source].text;
            let text = src
                .get(c.origin.span.start..c.origin.span.end)
                .unwrap_or("");
            let by = if cv.decided.exact {
                "exact"
            } else {
                "interval"
            };
            comparisons.push(json!({
                "expr": text,
                "op": c.op.symbol(),
                "lhs": value_json(&cv.lhs, digits),
                "rhs": value_json(&cv.rhs, digits),
                "slack": value_json(&cv.slack, digits),
                "verdict": verdict_word(cv.decided.truth),
                "decided_by": by,
            }));
            let detail = match (&cv.lhs.enclosure, &cv.rhs.enclosure) {
                (Ok(_), Ok(_)) => format!(
                    "{} {} {}   slack {}{}",
                    value_text(&cv.lhs, digits),
                    c.op.symbol(),
                    value_text(&cv.rhs, digits),
                    value_text(&cv.slack, digits),
                    if cv.decided.exact { " (exact)" } else { "" }
                ),
                (Err(_), _) => format!("undefined: {}", cv.lhs.undefined.as_deref().unwrap_or("")),
                (_, Err(_)) => format!("undefined: {}", cv.rhs.undefined.as_deref().unwrap_or("")),
            };
            text_parts.push(format!("{text}  ⇒  {detail}"));
        }
    }
    let (hint, text_hint) = match (&s.hint, v.truth) {
        (Some(h), Truth::False | Truth::Unknown) => {
            let i = model.theory.definitions.iter().position(|d| &d.name == h);
            match i {
                Some(i) => {
                    let d = &model.theory.definitions[i];
                    let q = &point.quantities[i];
                    (
                        Some(
                            json!({ "name": d.name, "meaning": d.meaning, "value": value_json(q, digits) }),
                        ),
                        Some(format!(
                            "{} = {}: {}",
                            d.symbol,
                            value_text(q, digits),
                            d.meaning
                        )),
                    )
                }
                None => (None, None),
            }
        }
        _ => (None, None),
    };
    StatementReport {
        name: s.name.clone(),
        expr: s.formula.text.clone(),
        cite: s.cite.clone(),
        verdict: verdict_word(v.truth),
        comparisons,
        hint,
        note: s.note.clone(),
        text_parts,
        text_hint,
    }
}

/// Builds the report for results evaluated at one point. Items a result inherits from one shown
/// earlier in the same report (Lemma 5 extends Theorem 1) are not repeated.
pub fn check_report(items: &[(&Model, &PointResult)], digits: usize) -> CheckReport {
    let mut shown: HashSet<String> = HashSet::new();
    let mut results = Vec::new();
    let mut overall = Truth::True;
    for (model, point) in items {
        let t = &model.theory;
        let new = |origin: &str| !shown.contains(origin);
        let mut parameters = Map::new();
        for (p, q) in t.parameters.iter().zip(&point.inputs) {
            if new(&p.origin) {
                parameters.insert(p.name.clone(), json!(rational(q)));
            }
        }
        let mut quantities = Map::new();
        let mut quantity_lines = Vec::new();
        for (d, v) in t.definitions.iter().zip(&point.quantities) {
            if !new(&d.origin) {
                continue;
            }
            let mut j = value_json(v, digits);
            if let Json::Object(m) = &mut j {
                m.insert("symbol".into(), json!(d.symbol));
                m.insert("bound".into(), json!(d.bound));
            }
            quantities.insert(d.name.clone(), j);
            quantity_lines.push((
                d.symbol.clone(),
                d.name.clone(),
                value_text(v, digits),
                d.meaning.clone(),
            ));
        }
        let stmts = |list: &[Statement], preds: &[Predicate], vals: &[StatementValue]| {
            list.iter()
                .zip(preds)
                .zip(vals)
                .filter(|((s, _), _)| new(&s.origin) && !s.step)
                .map(|((s, p), v)| statement(s, p, v, model, point, digits))
                .collect::<Vec<_>>()
        };
        let hypotheses = stmts(&t.hypotheses, &model.hypotheses, &point.hypotheses);
        let claims = stmts(&t.claims, &model.claims, &point.claims);
        let verdict = point.verdict();
        overall = overall.and(verdict);
        results.push(ResultReport {
            result: t.name.clone(),
            title: t.title.clone(),
            cite: t.cite.clone(),
            verdict: verdict_word(verdict),
            precision_bits: point.prec,
            parameters,
            hypotheses,
            quantities,
            claims,
            assumptions: t
                .assumptions
                .iter()
                .filter(|a| new(&a.origin))
                .cloned()
                .collect(),
            quantity_lines,
        });
        shown.insert(t.name.clone());
        for p in &t.parameters {
            shown.insert(p.origin.clone());
        }
    }
    CheckReport {
        tool: "sgdbounds",
        version: env!("CARGO_PKG_VERSION"),
        verdict: verdict_word(overall),
        digits,
        literal_reading: None,
        results,
    }
}

fn mark(verdict: &str) -> &'static str {
    match verdict {
        "holds" => "✓ holds    ",
        "fails" => "✗ FAILS    ",
        _ => "? undecided",
    }
}

/// Renders the report for a terminal.
pub fn check_text(r: &CheckReport) -> String {
    let mut s = String::new();
    if let Some(lines) = &r.literal_reading {
        let _ = writeln!(
            s,
            "Reading: the statements as the paper prints them (--literal); where they differ from the repaired reading:"
        );
        for l in lines {
            let _ = writeln!(s, "  · {l}");
        }
        let _ = writeln!(s);
    }
    for res in &r.results {
        let _ = writeln!(s, "{} — {}", res.title, res.cite);
        if !res.parameters.is_empty() {
            let params: Vec<String> = res
                .parameters
                .iter()
                .map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or("")))
                .collect();
            let _ = writeln!(s, "  at {}", params.join(", "));
        }
        let block = |s: &mut String, title: &str, list: &[StatementReport]| {
            if list.is_empty() {
                return;
            }
            let _ = writeln!(s, "\n  {title}");
            for st in list {
                let _ = writeln!(s, "    {}  {}: {}", mark(st.verdict), st.name, st.expr);
                for p in &st.text_parts {
                    let _ = writeln!(s, "                   {p}");
                }
                if let Some(h) = &st.text_hint {
                    let _ = writeln!(s, "                   → {h}");
                }
                let _ = writeln!(s, "                   [{}]", st.cite);
            }
        };
        block(&mut s, "hypotheses", &res.hypotheses);
        if !res.quantity_lines.is_empty() {
            let _ = writeln!(
                s,
                "\n  quantities (certified enclosures; {} significant digits, ends rounded outward)",
                r.digits
            );
            let w1 = res
                .quantity_lines
                .iter()
                .map(|l| l.0.chars().count())
                .max()
                .unwrap_or(0);
            let w2 = res
                .quantity_lines
                .iter()
                .map(|l| l.1.len())
                .max()
                .unwrap_or(0);
            let w3 = res
                .quantity_lines
                .iter()
                .map(|l| l.2.chars().count())
                .max()
                .unwrap_or(0)
                .min(50);
            for (sym, name, val, meaning) in &res.quantity_lines {
                let _ = writeln!(
                    s,
                    "    {sym}{}  {name:<w2$}  {val}{}  {meaning}",
                    " ".repeat(w1 - sym.chars().count()),
                    " ".repeat(w3.saturating_sub(val.chars().count()))
                );
            }
        }
        block(&mut s, "claims", &res.claims);
        if !res.assumptions.is_empty() {
            let _ = writeln!(
                s,
                "\n  analytic assumptions (about f; not checked by arithmetic)"
            );
            for a in &res.assumptions {
                let _ = writeln!(s, "    - {}: {} [{}]", a.name, a.statement, a.cite);
            }
        }
        let _ = writeln!(
            s,
            "\n  {}: {} (precision {} bits)\n",
            res.result, res.verdict, res.precision_bits
        );
    }
    let _ = writeln!(s, "verdict: {}", r.verdict);
    s
}
