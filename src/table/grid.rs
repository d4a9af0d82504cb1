//! The rows of a table: a grid (each axis a single value, a list, or a linear or log range) or a
//! sweep file (a TOML or JSON list of parameter sets). Every value is an exact rational; a
//! log-spaced point is rounded to 17 significant digits once, and that decimal is the value used
//! and printed.

use crate::arith::parse_rational;
use crate::error::{Error, Result, Usage};
use rug::float::Round;
use rug::{Float, Rational};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most rows a grid may have.
pub const MAX_ROWS: u128 = 1 << 40;

/// One axis: the values of one parameter, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub name: String,
    pub values: Vec<Rational>,
}

/// Reads an axis: `1`, `1,10,100`, `LO..HI:log:N` or `LO..HI:lin:N` (N points, ends included).
pub fn parse_axis(name: &str, spec: &str) -> Result<Axis> {
    let flag = || format!("--{name}");
    let bad = |m: String| Error::from(Usage::invalid(flag(), spec, m));
    let num = |t: &str| {
        parse_rational(t.trim()).map_err(|e| Error::Number {
            label: format!("--{name}"),
            source: e,
        })
    };
    let values = if let Some((range, rest)) = spec.split_once(':') {
        let (lo, hi) = crate::arith::split_range(range).map_err(|e| {
            bad(format!(
                "{e}; an axis range is LO..HI:log:N or LO..HI:lin:N"
            ))
        })?;
        let (kind, n) = rest.split_once(':').ok_or_else(|| {
            Usage::malformed(flag(), spec, "LO..HI:log:N or LO..HI:lin:N (N points)")
        })?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| bad(format!("`{n}` is not a number of points")))?;
        if !(1..=1_000_000).contains(&n) {
            return Err(Usage::out_of_range(
                flag(),
                spec,
                "the number of points must be between 1 and 1000000",
            )
            .into());
        }
        let (lo, hi) = (num(lo)?, num(hi)?);
        if lo > hi {
            return Err(bad("the lower end is above the upper".into()));
        }
        match kind.trim() {
            "lin" => (0..n)
                .map(|i| {
                    if n == 1 {
                        lo.clone()
                    } else {
                        &lo + Rational::from(&hi - &lo) * Rational::from((i as u64, (n - 1) as u64))
                    }
                })
                .collect(),
            "log" => {
                if lo <= 0 {
                    return Err(bad("a log range needs a positive lower end".into()));
                }
                let prec = 256;
                let l = Float::with_val(prec, &lo).ln();
                let h = Float::with_val(prec, &hi).ln();
                (0..n)
                    .map(|i| {
                        if i == 0 {
                            return lo.clone();
                        }
                        if i == n - 1 {
                            return hi.clone();
                        }
                        let t = Float::with_val(prec, i) / ((n - 1) as u32);
                        let x = (Float::with_val(prec, &h - &l) * t + &l).exp();
                        let (neg, ds, e) = x.to_sign_string_exp_round(10, Some(17), Round::Nearest);
                        let text =
                            format!("{}0.{}e{}", if neg { "-" } else { "" }, ds, e.unwrap_or(0));
                        parse_rational(&text).expect("a decimal")
                    })
                    .collect()
            }
            other => return Err(bad(format!("`{other}` is not `log` or `lin`"))),
        }
    } else {
        spec.split(',').map(num).collect::<Result<Vec<_>>>()?
    };
    Ok(Axis {
        name: name.to_string(),
        values,
    })
}

/// The rows of a grid, in order: the first axis varies slowest.
#[derive(Clone, Debug)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    pub fn len(&self) -> u128 {
        self.axes.iter().map(|a| a.values.len() as u128).product()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The index of each axis at row `i`.
    pub fn indices(&self, mut i: u128) -> Vec<usize> {
        let mut idx = vec![0; self.axes.len()];
        for (k, a) in self.axes.iter().enumerate().rev() {
            let n = a.values.len() as u128;
            idx[k] = (i % n) as usize;
            i /= n;
        }
        idx
    }
    /// Moves `idx` to the next row's indices (the last axis fastest) and returns the outermost
    /// axis that moved; the axes after it wrapped to their first value.
    pub fn advance(&self, idx: &mut [usize]) -> usize {
        for (k, a) in self.axes.iter().enumerate().rev() {
            idx[k] += 1;
            if idx[k] < a.values.len() {
                return k;
            }
            idx[k] = 0;
        }
        0
    }
}

/// A sweep file: parameter sets that authors keep next to their paper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// Each row maps parameter names to exact values written as strings ("0.01", "3/7").
    pub row: Vec<BTreeMap<String, String>>,
}

impl Sweep {
    /// Reads a `.toml` (`[[row]]` tables) or `.json` (`{"row": [...]}`) sweep file.
    pub fn read(path: &str) -> Result<Sweep> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_string(),
            source,
        })?;
        let broken = |m: String| Error::from(Usage::at(path, m));
        if path.ends_with(".json") {
            serde_json::from_str(&text).map_err(|e| broken(format!("not a sweep file: {e}")))
        } else {
            toml::from_str(&text).map_err(|e| broken(format!("not a sweep file: {e}")))
        }
    }
}
