//! The certificate format, version 2 (JSON). The README documents it field by field.
//!
//! ```json
//! { "format": "sgdbounds-certificate", "version": 2, "tool": "sgdbounds 0.1.0",
//!   "claims": [ {
//!     "result": "lemma5", "claim": "term3_within_third", "prec": 128,
//!     "coordinates": ["L", "c", "eta_frac"],
//!     "constants": { "mu_coef": "42" },
//!     "definitions": [ ["eta", "eta_frac*c/L^2"], ["lambda", "2*eta*c - eta^2*L^2"] ],
//!     "hypotheses": ["eta < c/L^2"], "statement": "lemma5_term3 <= delta2/3",
//!     "domain": [ { "name": "eta_frac", "lo": "0", "hi": "1", "lo_open": true, "hi_open": true } ],
//!     "scalings": [ { "name": "time", "weights": { "L": 1, "c": 1 }, "fix": "L" } ],
//!     "pieces": [ { "charts": { "c": "1" }, "box": [["1", "1"], ["0", "1"], ["0", "1"]],
//!                   "tree": [[2, "1p-1"], "p", "n"],
//!                   "forms": [ { "factor": "eta_frac/L^2", "rest": "1 - eta_frac/2" } ] } ] } ] }
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FORMAT: &str = "sgdbounds-certificate";
pub const VERSION: u32 = 2;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub format: String,
    pub version: u32,
    pub tool: String,
    pub claims: Vec<ClaimCert>,
    /// Verdicts at a point (`check --certificate`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<PointCert>,
}

/// The verdicts of one result at one point, as `check` gave them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PointCert {
    pub result: String,
    /// Bits of the interval arithmetic the verdicts were reached at (the kernel uses the same).
    pub prec: u32,
    /// Each parameter's exact value.
    pub point: Vec<(String, String)>,
    pub constants: BTreeMap<String, String>,
    pub definitions: Vec<(String, String)>,
    /// Each decided hypothesis and claim: its name, text and verdict.
    pub verdicts: Vec<PointVerdict>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PointVerdict {
    pub name: String,
    /// `"hypothesis"` or `"claim"`.
    pub kind: String,
    pub text: String,
    /// `true`: holds at the point; `false`: fails there.
    pub holds: bool,
}

/// One proved claim: the statement (as text, re-parsed on replay), its domain, the reductions,
/// and the cells.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClaimCert {
    pub result: String,
    pub claim: String,
    /// Bits of the interval arithmetic the cells were settled at.
    pub prec: u32,
    /// The coordinates, in the order of `box` and of split indices.
    pub coordinates: Vec<String>,
    /// Constants by name, as exact rationals.
    pub constants: BTreeMap<String, String>,
    /// Named expressions, each of earlier names, constants and coordinates. A parameter given
    /// by a chart of the file (`eta = eta_frac*c/L^2`) is one of them: the chart is the file's
    /// statement, not something the certificate proves.
    pub definitions: Vec<(String, String)>,
    /// What the claim assumes (each a comparison or several joined by `and`).
    pub hypotheses: Vec<String>,
    /// The claim.
    pub statement: String,
    /// Each coordinate's range, as written.
    pub domain: Vec<RangeCert>,
    /// The rescalings the box was reduced by (each fixed coordinate is 1 in every piece).
    pub scalings: Vec<ScalingCert>,
    pub pieces: Vec<PieceCert>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RangeCert {
    pub name: String,
    pub lo: String,
    /// `"inf"` for no upper end.
    pub hi: String,
    pub lo_open: bool,
    pub hi_open: bool,
    #[serde(default)]
    pub integer: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScalingCert {
    pub name: String,
    /// Nonzero weights by name: the rescaling is x ↦ s^w·x for every s > 0.
    pub weights: BTreeMap<String, i64>,
    pub fix: String,
}

/// A bounded piece of the reduced domain: coordinates given by a chart `x = s/u` (`charts`,
/// by name, the value of s) range over `u` in `box`, the others over `x` itself.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PieceCert {
    pub charts: BTreeMap<String, String>,
    #[serde(rename = "box")]
    pub bounds: Vec<(String, String)>,
    /// The cells in preorder: a split `[k, "a"]` (coordinate k at a: children `[lo, a]`,
    /// `[a, hi]`), an integer split `[k, "a", "b"]` (b = a + 1: `[lo, a]`, `[b, hi]`), or a leaf:
    /// the method that settled it.
    pub tree: Vec<Node>,
    /// The normal forms the prover used on this piece (for leaves settled through one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<FormCert>,
}

/// A normal form `factor · rest` of some quantity of the claim: a comparison's margin, or an
/// operand that must be nonzero, nonnegative or positive for the claim to be defined. Written
/// in the piece's coordinates (a charted coordinate's name stands for its u). The kernel is
/// not told which quantity it is: it finds those equal to `factor · rest` by its own algebra.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FormCert {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    pub rest: String,
    /// Other forms of the rest, `[m, q]` with rest = m·q: q has the rest's sign where m > 0.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Node {
    Split(usize, String),
    SplitInteger(usize, String, String),
    Leaf(Method),
}

/// How a cell was settled.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub enum Method {
    /// a hypothesis certainly fails on the whole cell
    #[serde(rename = "h")]
    Hypothesis,
    /// plain interval evaluation of the claim
    #[serde(rename = "p")]
    Plain,
    /// monotonicity in some coordinates (fixed at their worst end), or the mean-value form
    #[serde(rename = "m")]
    Refined,
    /// the claim's normal form (a factor, a rest, a rescaled or nested rest)
    #[serde(rename = "n")]
    NormalForm,
    /// the claim's minima and maxima resolved case by case
    #[serde(rename = "c")]
    Cases,
    /// a case's region certainly misses the cell
    #[serde(rename = "r")]
    Region,
    /// the claim's sides are one expression (an identity), defined on the cell
    #[serde(rename = "i")]
    Identity,
}

impl Method {
    pub fn describe(self) -> &'static str {
        match self {
            Method::Hypothesis => "a hypothesis fails on the whole cell",
            Method::Plain => "plain interval evaluation",
            Method::Refined => "monotonicity or the mean-value form",
            Method::NormalForm => "the normal form",
            Method::Cases => "the claim's minima and maxima case by case",
            Method::Region => "a case's region misses the cell",
            Method::Identity => "an identity, its sides defined on the cell",
        }
    }
}

/// An exact rational from a certificate: `p`, `p/q`, a decimal, or a dyadic `Mp±E` (M·2^E).
pub fn rational(s: &str) -> Result<rug::Rational, String> {
    if let Some((m, e)) = s.split_once('p') {
        let m: rug::Integer = m.parse().map_err(|_| format!("a malformed dyadic `{s}`"))?;
        let e: i32 = e.parse().map_err(|_| format!("a malformed dyadic `{s}`"))?;
        if e.unsigned_abs() > 1 << 20 {
            return Err(format!("a dyadic exponent past 2^20 in `{s}`"));
        }
        let two = rug::Integer::from(1) << e.unsigned_abs();
        return Ok(if e >= 0 {
            rug::Rational::from(m * two)
        } else {
            rug::Rational::from((m, two))
        });
    }
    if let Some((p, q)) = s.split_once('/') {
        let p: rug::Integer = p
            .trim()
            .parse()
            .map_err(|_| format!("a malformed number `{s}`"))?;
        let q: rug::Integer = q
            .trim()
            .parse()
            .map_err(|_| format!("a malformed number `{s}`"))?;
        if q == 0 {
            return Err(format!("a zero denominator in `{s}`"));
        }
        return Ok(rug::Rational::from((p, q)));
    }
    match crate::parse::expr(s)? {
        crate::parse::Ast::Num(q) => Ok(q),
        crate::parse::Ast::Neg(a) => match *a {
            crate::parse::Ast::Num(q) => Ok(-q),
            _ => Err(format!("not a number: `{s}`")),
        },
        _ => Err(format!("not a number: `{s}`")),
    }
}
