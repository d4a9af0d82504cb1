//! The form of a proofs file, as serde reads it. Unknown keys are errors, so that a typo in a
//! proofs file is reported rather than ignored.

use crate::arith::parse_rational;
use rug::Rational;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    pub result: HeaderSpec,
    #[serde(default)]
    pub parameter: Vec<ParamSpec>,
    #[serde(default)]
    pub constant: Vec<ConstSpec>,
    #[serde(default)]
    pub definition: Vec<DefSpec>,
    #[serde(default)]
    pub hypothesis: Vec<StmtSpec>,
    #[serde(default)]
    pub claim: Vec<StmtSpec>,
    #[serde(default)]
    pub assumption: Vec<AssumptionSpec>,
    #[serde(default)]
    pub example: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    pub variable: Vec<VariableSpec>,
    #[serde(default)]
    pub verify: Option<VerifySpec>,
}

/// A variable that exists only for `verify`: a coordinate of the box (such as η as a fraction
/// of its supremum) or a free quantity of a proof step (such as μ, constrained only by the line
/// a step is derived from).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub symbol: Option<String>,
    pub meaning: String,
}

/// The box `verify` works over: a range per coordinate (`"lo..hi"` or `"lo..hi:log"`), and
/// parameters given by an expression of the coordinates instead of a range of their own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    #[serde(default, rename = "box")]
    pub ranges: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub substitute: BTreeMap<String, Spanned<String>>,
    /// Rescalings of the parameters that the claims are expected to be invariant under
    /// (`[[verify.scaling]]`); see [`ScalingSpec`].
    #[serde(default)]
    pub scaling: Vec<ScalingSpec>,
}

/// A rescaling `x ↦ s^w·x` (`s > 0`) of the parameters and variables, by integer weights `w`
/// (names not listed have weight 0), and the coordinate `fix` that `verify` sets to 1 with it.
/// `verify` proves, claim by claim, that the claim and its hypotheses are invariant (degree
/// inference on the tape: `expr::degree`) before it uses the scaling; a claim it cannot show
/// invariant keeps its box. A file that extends another adds weights to a scaling of the
/// same name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalingSpec {
    pub name: Spanned<String>,
    #[serde(default)]
    pub meaning: Option<String>,
    #[serde(default)]
    pub weights: BTreeMap<String, Spanned<i64>>,
    #[serde(default)]
    pub fix: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    pub name: String,
    /// Where the result comes in lists of the built-in results (smaller first).
    #[serde(default)]
    pub order: Option<i64>,
    /// When `check` without a RESULT checks this result: always, or when one of its own
    /// parameters is given. Not inherited by a result that extends this one.
    #[serde(default)]
    pub check: Option<DefaultCheck>,
    pub title: String,
    pub cite: String,
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The probability with which the result's statement holds (`"1/2"` for Theorem 1), read
    /// exactly: what `simulate` holds the frequency of the statement's events against.
    #[serde(default)]
    pub probability: Option<Spanned<String>>,
}

/// The probability a result's statement guarantees (`[result] probability`): the exact number
/// and the text it was written as.
#[derive(Clone, Debug, PartialEq)]
pub struct Probability {
    pub value: Rational,
    pub text: String,
}

impl Probability {
    /// As an f64, rounded toward zero (exact for dyadic values such as 1/2 and 1/4).
    pub fn to_f64(&self) -> f64 {
        self.value.to_f64()
    }
}

impl HeaderSpec {
    /// Reads `probability`: an exact number (decimal or `p/q`) in [0, 1], or none when the file
    /// states none. The error says what is wrong with the text.
    pub fn probability(&self) -> Result<Option<Probability>, String> {
        let Some(text) = &self.probability else {
            return Ok(None);
        };
        let text = text.get_ref().trim();
        let value =
            parse_rational(text).map_err(|e| format!("[result] probability = \"{text}\": {e}"))?;
        if !(0..=1).contains(&value) {
            return Err(format!(
                "[result] probability = \"{text}\": a probability lies between 0 and 1"
            ));
        }
        Ok(Some(Probability {
            value,
            text: text.to_string(),
        }))
    }
}

/// When `check` without a RESULT checks a result (`[result] check`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefaultCheck {
    /// Only when named.
    #[default]
    Never,
    /// Always.
    Always,
    /// When a parameter that no always-checked result has is given.
    WhenGiven,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    pub name: Spanned<String>,
    pub symbol: String,
    #[serde(default)]
    pub latex: Option<String>,
    pub meaning: String,
    #[serde(default)]
    pub domain: Option<Spanned<String>>,
    #[serde(default)]
    pub integer: bool,
    #[serde(default)]
    pub flag: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    /// The domain as the paper prints it, where the repaired reading differs (`--literal`).
    #[serde(default)]
    pub literal_domain: Option<Spanned<String>>,
    /// Whether the paper's own reading takes integers only (`--literal`).
    #[serde(default)]
    pub literal_integer: Option<bool>,
    /// How the two readings of the parameter differ, and why.
    #[serde(default)]
    pub literal_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstSpec {
    pub name: Spanned<String>,
    pub value: Spanned<String>,
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub latex: Option<String>,
    pub meaning: String,
    pub cite: String,
    #[serde(default)]
    pub tunable: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefSpec {
    pub name: Spanned<String>,
    pub expr: Spanned<String>,
    #[serde(default)]
    pub symbol: Option<String>,
    #[serde(default)]
    pub latex: Option<String>,
    pub meaning: String,
    pub cite: String,
    #[serde(default)]
    pub bound: Option<String>,
    /// The definition as the paper prints it, where the repaired reading differs
    /// (`--literal`).
    #[serde(default)]
    pub literal: Option<Spanned<String>>,
    /// How the two readings differ, and why.
    #[serde(default)]
    pub literal_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StmtSpec {
    pub name: Spanned<String>,
    pub expr: Spanned<String>,
    pub cite: String,
    #[serde(default)]
    pub uses: Option<Vec<String>>,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// A proof step (a claim) or the line a step is derived from (a hypothesis): checked by
    /// `verify`, not shown by `check`.
    #[serde(default)]
    pub step: bool,
    /// What the tool found wrong with the paper at this place, for the README's Findings.
    #[serde(default)]
    pub finding: Option<String>,
    /// A claim about a point only (it involves the integer T1, say): `check` evaluates it,
    /// `verify` does not try it over boxes, where proof steps stand in for it.
    #[serde(default)]
    pub point_only: bool,
    /// Parameters given, for this claim's proof over a box, by an expression of the box's
    /// coordinates (overrides the file's [verify] substitutions).
    #[serde(default)]
    pub substitute: BTreeMap<String, Spanned<String>>,
    /// Ranges replacing the file's [verify] box for this claim's proof: a restriction of the
    /// domain, written down with its reason (`restriction`, required with it).
    #[serde(default, rename = "box")]
    pub ranges: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub restriction: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumptionSpec {
    pub name: String,
    pub statement: String,
    pub cite: String,
}

#[cfg(test)]
mod tests {
    use crate::theory::Theory;

    #[test]
    fn the_stated_probabilities_are_read_exactly() {
        let p = |name: &str| Theory::builtin(name).unwrap().probability;
        let t1 = p("theorem1").unwrap();
        assert_eq!((t1.text.as_str(), t1.to_f64()), ("1/2", 0.5));
        let c2 = p("corollary2").unwrap();
        assert_eq!((c2.text.as_str(), c2.to_f64()), ("1/4", 0.25));
        // Corollary 2 extends Theorem 1 but states a probability of its own; Lemma 5 none.
        assert_eq!(p("lemma5"), None);
    }

    #[test]
    fn a_probability_outside_zero_one_or_not_a_number_is_refused() {
        let good = include_str!("../../proofs/theorem3.toml");
        for (text, needle) in [
            ("3/2", "between 0 and 1"),
            ("-0.1", "between 0 and 1"),
            ("half", "not a number"),
        ] {
            let file = good.replacen(
                "[result]\n",
                &format!("[result]\nprobability = \"{text}\"\n"),
                1,
            );
            let err = Theory::parse(&file, "mine.toml").unwrap_err().to_string();
            assert!(
                err.contains(needle) && err.contains("probability"),
                "{text}: {err}"
            );
        }
        let file = good.replacen("[result]\n", "[result]\nprobability = \"0.9\"\n", 1);
        let p = Theory::parse(&file, "mine.toml")
            .unwrap()
            .probability
            .unwrap();
        assert_eq!(p.value, rug::Rational::from((9, 10)));
    }
}
