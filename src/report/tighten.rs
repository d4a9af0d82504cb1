//! The `tighten` report: the smallest proved value of a constant, the value below it, and what
//! the bounds become at the example point, as data (for `--json`) and as text.

use super::number::{rational, value_text};
use crate::verify::Status;
use crate::verify::tighten::{Below, Tightening};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The message of a search that could not start.
const NOT_AT_PAPER: &str = "the claims are not all proved at the paper's value; nothing to tighten";

#[derive(Debug, Serialize)]
pub struct TightenReport {
    pub constant: String,
    pub paper_value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smallest_proved: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub below: Option<BelowReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example_point: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounds_at_example: Option<Vec<BoundReport>>,
    pub steps: Vec<StepReport>,
    /// The result's name, and the text of the status below the smallest proved value.
    #[serde(skip)]
    result: String,
    #[serde(skip)]
    below_text: &'static str,
    #[serde(skip)]
    at_paper: Vec<(String, Status)>,
}

#[derive(Debug, Serialize)]
pub struct BelowReport {
    pub value: String,
    pub status: &'static str,
}

#[derive(Debug, Serialize)]
pub struct BoundReport {
    pub quantity: String,
    pub symbol: String,
    pub paper: String,
    pub tightened: String,
    pub ratio: String,
}

#[derive(Debug, Serialize)]
pub struct StepReport {
    pub value: String,
    pub proved: bool,
    pub claims: Vec<ClaimStatus>,
}

#[derive(Debug, Serialize)]
pub struct ClaimStatus {
    pub claim: String,
    pub status: Status,
}

impl TightenReport {
    /// The report of a search, values printed at `digits` significant digits.
    pub fn new(t: &Tightening, digits: usize) -> Self {
        let steps = t
            .steps
            .iter()
            .map(|s| StepReport {
                value: rational(&s.value),
                proved: s.proved,
                claims: s
                    .claims
                    .iter()
                    .map(|(n, st)| ClaimStatus {
                        claim: n.clone(),
                        status: *st,
                    })
                    .collect(),
            })
            .collect();
        let mut r = TightenReport {
            constant: t.constant.clone(),
            paper_value: rational(&t.paper_value),
            error: None,
            smallest_proved: None,
            below: None,
            claims: None,
            example_point: None,
            bounds_at_example: None,
            steps,
            result: t.result.clone(),
            below_text: "",
            at_paper: t
                .steps
                .first()
                .map(|s| s.claims.clone())
                .unwrap_or_default(),
        };
        let Some(f) = &t.found else {
            r.error = Some(NOT_AT_PAPER);
            return r;
        };
        let (status, text) = match f.below_status {
            Below::Refuted => ("refuted", "refuted"),
            Below::NotProved => (
                "not proved within the budget",
                "not proved within the budget",
            ),
            Below::NotTried => ("not tried (search range)", "the lower end of the search"),
        };
        r.below_text = text;
        r.smallest_proved = Some(rational(&f.smallest_proved));
        r.below = Some(BelowReport {
            value: rational(&f.below),
            status,
        });
        r.claims = Some(t.claims.clone());
        r.example_point = Some(f.example_point.clone());
        r.bounds_at_example = Some(
            f.bounds
                .iter()
                .map(|b| BoundReport {
                    quantity: b.quantity.clone(),
                    symbol: b.symbol.clone(),
                    paper: value_text(&b.paper, digits),
                    tightened: value_text(&b.tightened, digits),
                    ratio: value_text(&b.ratio, digits),
                })
                .collect(),
        );
        r
    }

    /// Whether the search found a value (exit code 0), rather than failing at the paper's.
    pub fn found(&self) -> bool {
        self.error.is_none()
    }

    /// The report as pretty JSON (with a final newline).
    pub fn json(&self) -> String {
        super::json_text(self)
    }

    /// The report as text.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let (Some(hi), Some(below), Some(claims), Some(example), Some(bounds)) = (
            &self.smallest_proved,
            &self.below,
            &self.claims,
            &self.example_point,
            &self.bounds_at_example,
        ) else {
            let _ = writeln!(
                s,
                "{} = {}: {NOT_AT_PAPER}",
                self.constant, self.paper_value
            );
            for (n, st) in &self.at_paper {
                let _ = writeln!(s, "  {n}: {st:?}");
            }
            return s;
        };
        let _ = writeln!(
            s,
            "{}: {} = {} (paper: {}) keeps proved: {}",
            self.result,
            self.constant,
            hi,
            self.paper_value,
            claims.join(", ")
        );
        let _ = writeln!(
            s,
            "  at {} = {}: {}",
            self.constant, below.value, self.below_text
        );
        if !bounds.is_empty() {
            let _ = writeln!(
                s,
                "  at the example point ({}):",
                example
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for b in bounds {
                let _ = writeln!(
                    s,
                    "    {:<8} {:<14} paper {}  →  {}  (ratio {})",
                    b.symbol, b.quantity, b.paper, b.tightened, b.ratio
                );
            }
        }
        s
    }
}
