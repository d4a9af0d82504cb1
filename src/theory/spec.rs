//! The form of a proofs file, as serde reads it. Unknown keys are errors, so that a typo in a
//! proofs file is reported rather than ignored.

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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    pub name: String,
    pub title: String,
    pub cite: String,
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumptionSpec {
    pub name: String,
    pub statement: String,
    pub cite: String,
}
