//! The `tighten` report: the certified bracket of the least value of a constant, the witness at
//! its lower end, the values tried, and what the bounds become at the example point with the
//! upper end, as data (for `--json`) and as text.

use super::check::value_json;
use super::number::{rational, short_exact, value_text};
use crate::arith::decimal::rational_rounding;
use crate::verify::Status;
use crate::verify::tighten::{BoxWitness, Stop, Tightening};
use rug::Rational;
use rug::float::Round;
use serde::Serialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The significant digits of the decimals beside exact values.
const DECIMAL_DIGITS: usize = 20;

/// How a witness coordinate prints: the exact rational when it is short (a decimal of at most
/// 20 significant digits, or a fraction of at most 24 characters), else `≈` and its rounding to
/// 20 significant digits.
pub fn shown(q: &Rational) -> String {
    if let Some(s) = short_exact(q, DECIMAL_DIGITS) {
        return s;
    }
    if crate::arith::exact_decimal(q).is_none() {
        let f = format!("{}/{}", q.numer(), q.denom());
        if f.len() <= 24 {
            return f;
        }
    }
    format!("≈{}", rational_rounding(q, DECIMAL_DIGITS, Round::Nearest))
}

#[derive(Debug, Serialize)]
pub struct TightenReport {
    pub result: String,
    pub constant: String,
    pub paper_value: String,
    pub paper_proved: bool,
    pub claims: Vec<String>,
    pub search_lower_end: String,
    pub tolerance: f64,
    pub bracket: BracketReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Json>,
    pub example_point: BTreeMap<String, String>,
    pub bounds_at_example: Vec<BoundReport>,
    pub steps: Vec<StepReport>,
    pub seconds: f64,
    /// The text form, made with the data above.
    #[serde(skip)]
    text: String,
    #[serde(skip)]
    complete: bool,
}

#[derive(Debug, Serialize)]
pub struct BracketReport {
    pub lower: EndReport,
    pub upper: EndReport,
    /// upper − lower, exactly, and as a decimal.
    pub width: String,
    pub width_decimal: String,
    pub relative_width: f64,
    pub within_tolerance: bool,
    pub stopped: Stop,
    /// Values in the bracket neither proved nor refuted.
    pub inconclusive: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct EndReport {
    /// Exact.
    pub value: String,
    /// Rounded outward (the lower end down, the upper end up) to 20 significant digits.
    pub decimal: String,
    pub certified: bool,
    /// What was found there: proved, refuted, inconclusive, or not tried.
    pub verdict: &'static str,
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
    pub verdict: Status,
    /// Whether the harder refutation search ran (the value was neither proved nor refuted by
    /// the prover's run).
    pub harder_search: bool,
    pub seconds: f64,
    pub claims: Vec<ClaimStatus>,
}

#[derive(Debug, Serialize)]
pub struct ClaimStatus {
    pub claim: String,
    pub status: Status,
}

/// The word for a value's verdict.
pub fn verdict_word(s: Status) -> &'static str {
    match s {
        Status::Proved => "proved",
        Status::Refuted => "refuted",
        Status::Inconclusive => "inconclusive",
    }
}

/// The witness as JSON: the constant's value, the claim, every coordinate exactly (with its
/// range, whether the claim depends on it, and the face it lies on), the parameters there and
/// the claim's comparisons.
fn witness_json(w: &BoxWitness, digits: usize) -> Json {
    let point: Vec<Json> = w
        .coordinates
        .iter()
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "exact": rational(&c.value),
                "shown": shown(&c.value),
                "decimal": rational_rounding(&c.value, DECIMAL_DIGITS, Round::Nearest),
                "range": [rational(&c.lo), c.hi.as_ref().map_or_else(|| "inf".to_string(), rational)],
                "used": c.active,
                "face": c.face,
            })
        })
        .collect();
    let params: serde_json::Map<String, Json> = w
        .parameters
        .iter()
        .map(|(n, v)| (n.clone(), value_json(v, digits)))
        .collect();
    let comparisons: Vec<Json> = w
        .sides
        .iter()
        .map(|s| {
            serde_json::json!({
                "op": s.op.symbol(),
                "lhs": value_json(&s.lhs, digits),
                "rhs": value_json(&s.rhs, digits),
                "holds": s.truth,
                "text": format!("{} {} {}", value_text(&s.lhs, digits), s.op.symbol(), value_text(&s.rhs, digits)),
            })
        })
        .collect();
    serde_json::json!({
        "constant_value": rational(&w.value),
        "claim": w.claim,
        "expr": w.expr,
        "method": w.method,
        "precision_bits": w.precision,
        "point": point,
        "parameters": params,
        "comparisons": comparisons,
    })
}

impl TightenReport {
    /// The report of a search, values printed at `digits` significant digits.
    pub fn new(t: &Tightening, digits: usize) -> Self {
        let b = &t.bracket;
        let verdict_at = |v: &Rational| {
            t.steps
                .iter()
                .find(|s| s.value == *v)
                .map_or("not tried", |s| verdict_word(s.verdict))
        };
        let steps = t
            .steps
            .iter()
            .map(|s| StepReport {
                value: rational(&s.value),
                verdict: s.verdict,
                harder_search: s.harder_search,
                seconds: s.seconds,
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
        let bounds_at_example = t
            .bounds
            .iter()
            .map(|b| BoundReport {
                quantity: b.quantity.clone(),
                symbol: b.symbol.clone(),
                paper: value_text(&b.paper, digits),
                tightened: value_text(&b.tightened, digits),
                ratio: value_text(&b.ratio, digits),
            })
            .collect();
        let mut r = TightenReport {
            result: t.result.clone(),
            constant: t.constant.clone(),
            paper_value: rational(&t.paper_value),
            paper_proved: t.paper_proved,
            claims: t.claims.clone(),
            search_lower_end: rational(&t.search_lo),
            tolerance: b.tolerance,
            bracket: BracketReport {
                lower: EndReport {
                    value: rational(&b.lower),
                    decimal: rational_rounding(&b.lower, DECIMAL_DIGITS, Round::Down),
                    certified: b.lower_certified,
                    verdict: verdict_at(&b.lower),
                },
                upper: EndReport {
                    value: rational(&b.upper),
                    decimal: rational_rounding(&b.upper, DECIMAL_DIGITS, Round::Up),
                    certified: b.upper_certified,
                    verdict: verdict_at(&b.upper),
                },
                width: rational(&b.width()),
                width_decimal: rational_rounding(&b.width(), DECIMAL_DIGITS, Round::Up),
                relative_width: b.relative_width(),
                within_tolerance: b.within_tolerance,
                stopped: b.stop,
                inconclusive: b.inconclusive.iter().map(rational).collect(),
            },
            witness: b.witness.as_ref().map(|w| witness_json(w, digits)),
            example_point: t.example_point.clone(),
            bounds_at_example,
            steps,
            seconds: t.seconds,
            text: String::new(),
            complete: t.complete(),
        };
        r.text = text(t, &r, digits);
        r
    }

    /// Whether the search delivered a bracket certified at both ends within the tolerance
    /// (exit code 0).
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// The report as pretty JSON (with a final newline).
    pub fn json(&self) -> String {
        super::json_text(self)
    }

    /// The report as text.
    pub fn text(&self) -> String {
        self.text.clone()
    }
}

/// The number `x` as it prints in the text: exactly when short, else at 20 digits with `≈`.
fn num(x: &Rational) -> String {
    shown(x)
}

fn stop_text(s: Stop) -> &'static str {
    match s {
        Stop::Tolerance => "the bracket is within the tolerance",
        Stop::Steps => "the number of values allowed (--steps) was reached",
        Stop::NoProgress => {
            "no progress: the values left next to the ends were neither proved nor refuted"
        }
        Stop::LowerEndProved => "every claim is proved already at the search's lower end",
        Stop::PaperRefuted => "a claim is refuted at the paper's value",
    }
}

fn text(t: &Tightening, r: &TightenReport, digits: usize) -> String {
    let b = &t.bracket;
    let c = &t.constant;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: the least {c} at which {} {} proved over the box (paper: {c} = {})",
        t.result,
        t.claims.join(", "),
        if t.claims.len() == 1 { "is" } else { "are" },
        num(&t.paper_value)
    );
    if !t.paper_proved {
        let _ = writeln!(
            s,
            "  {c} = {}: the claims are not all proved at the paper's value, so no value above is certified",
            num(&t.paper_value)
        );
        if let Some(first) = t.steps.first() {
            for (n, st) in &first.claims {
                let _ = writeln!(s, "    {n}: {}", verdict_word(*st));
            }
        }
    }
    // The bracket.
    let lower = if b.lower_certified {
        num(&b.lower)
    } else {
        "?".into()
    };
    let upper = if b.upper_certified {
        num(&b.upper)
    } else {
        "?".into()
    };
    let _ = writeln!(s, "  bracket: {lower} < least {c} ≤ {upper}");
    if b.upper_certified {
        let _ = writeln!(
            s,
            "    upper end {}: every claim proved by the prover over the box (certified)",
            num(&b.upper)
        );
    } else {
        let _ = writeln!(
            s,
            "    upper end not certified: nothing proved at or below the paper's value {}",
            num(&t.paper_value)
        );
    }
    if b.lower_certified {
        let claim = b.witness.as_ref().map_or("a claim", |w| w.claim.as_str());
        let _ = writeln!(
            s,
            "    lower end {}: {claim} refuted at the exact witness below (certified)",
            num(&b.lower)
        );
    } else if b.stop == Stop::LowerEndProved {
        let _ = writeln!(
            s,
            "    lower end not certified: every claim is proved at the search's lower end {} (--lo), so the least value is at most {}; no value tried was refuted",
            num(&t.search_lo),
            num(&t.search_lo)
        );
    } else {
        let _ = writeln!(
            s,
            "    lower end not certified: no value tried was refuted (the search's lower end {} is {})",
            num(&t.search_lo),
            r.bracket.lower.verdict
        );
    }
    if b.lower_certified && b.upper_certified {
        let _ = writeln!(
            s,
            "    width {} = {:.3e} of the upper end; tolerance {:e}: {}",
            shown(&b.width()),
            b.relative_width(),
            b.tolerance,
            if b.within_tolerance {
                "reached"
            } else {
                "not reached"
            }
        );
    }
    let stopped = if b.stop == Stop::Tolerance && !b.within_tolerance {
        let which = match (b.lower_certified, b.upper_certified) {
            (true, _) => "the upper end is",
            (false, true) => "the lower end is",
            (false, false) => "neither end is",
        };
        format!("the ends are within the tolerance of each other, but {which} not certified")
    } else {
        stop_text(b.stop).to_string()
    };
    let _ = writeln!(s, "    stopped: {stopped}");
    if !b.inconclusive.is_empty() {
        let _ = writeln!(
            s,
            "    neither proved nor refuted (within the budget, after a harder search for a counterexample): {}",
            b.inconclusive
                .iter()
                .map(num)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(w) = &b.witness {
        witness_text(&mut s, w, c, digits);
    }
    if !r.bounds_at_example.is_empty() {
        let _ = writeln!(
            s,
            "  at the example point ({}), with {c} = {}:",
            r.example_point
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            num(&b.upper)
        );
        for b in &r.bounds_at_example {
            let _ = writeln!(
                s,
                "    {:<8} {:<14} paper {}  →  {}  (ratio {})",
                b.symbol, b.quantity, b.paper, b.tightened, b.ratio
            );
        }
    }
    let _ = writeln!(
        s,
        "  values tried ({}): {}",
        t.steps.len(),
        t.steps
            .iter()
            .map(|st| format!("{} {}", num(&st.value), verdict_word(st.verdict)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s
}

fn witness_text(s: &mut String, w: &BoxWitness, c: &str, digits: usize) {
    let _ = writeln!(
        s,
        "  witness at {c} = {}: {} fails ({}), checked at {} bits:",
        num(&w.value),
        w.claim,
        w.expr,
        w.precision
    );
    for k in w.coordinates.iter().filter(|k| k.active) {
        let face = match k.face {
            Some(f) => format!("   (at the box's {} end of {})", f.word(), k.name),
            None => String::new(),
        };
        let _ = writeln!(s, "    {} = {}{face}", k.name, shown(&k.value));
    }
    let coords: Vec<&str> = w.coordinates.iter().map(|k| k.name.as_str()).collect();
    let derived: Vec<String> = w
        .parameters
        .iter()
        .filter(|(n, _)| !coords.contains(&n.as_str()))
        .map(|(n, v)| format!("{n} = {}", value_text(v, digits)))
        .collect();
    if !derived.is_empty() {
        let _ = writeln!(s, "    where {}", derived.join(", "));
    }
    for side in &w.sides {
        let _ = writeln!(
            s,
            "    {} {} {}   [{}]",
            value_text(&side.lhs, digits),
            side.op.symbol(),
            value_text(&side.rhs, digits),
            match side.truth {
                crate::arith::Truth::False => "fails",
                crate::arith::Truth::True => "holds",
                crate::arith::Truth::Unknown => "undefined or undecided",
            }
        );
    }
    let faces = w.faces();
    if !faces.is_empty() {
        let _ = writeln!(
            s,
            "    the witness lies on a face of the box ({}): the claim's worst case may lie beyond the box, approached only in a limit outside it, so over a larger domain the least value may be larger",
            faces
                .iter()
                .map(|(n, f)| format!("{} end of {n}", f.word()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
