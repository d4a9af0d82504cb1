//! Usage errors: bad input that is not a syntax, number or domain error — a flag's value that
//! cannot be read or used, options that exclude each other, a name that is not known, an input
//! that is missing, a file that is not of the form expected. Each variant is one kind of mistake
//! and carries its pieces as fields; its `Display` is the message the user reads.

use crate::table::Format;
use thiserror::Error;

/// A usage error (exit code 2). The messages name the flag or the place, the offending value,
/// and what would be accepted.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum Usage {
    /// A flag's value that does not have the form expected: `{flag} {value}: expected …`.
    #[error("{flag} {value}: expected {expected}")]
    Malformed {
        flag: String,
        value: String,
        expected: String,
    },
    /// A flag's value (or a part of it) that cannot be read or cannot be used, and why.
    #[error("{flag} {value}: {reason}")]
    Invalid {
        flag: String,
        value: String,
        reason: String,
    },
    /// A value outside what is accepted; `accepted` says what is (`must be positive`, `give
    /// between 1 and 1000`). Without `value` the flag alone is named.
    #[error("{}", out_of_range_text(name, value.as_deref(), accepted))]
    OutOfRange {
        name: String,
        value: Option<String>,
        accepted: String,
    },
    /// A working precision (`--prec`, bits) outside `MIN_PREC..=MAX_PREC`.
    #[error(
        "--prec {prec} is out of range: the working precision must be between {} and {} bits",
        crate::arith::MIN_PREC,
        crate::arith::MAX_PREC
    )]
    Precision { prec: u64 },
    /// Two inputs that exclude each other (`either`: the message says "give either … or …").
    #[error("give {}{first} or {second}, not both", if *either { "either " } else { "" })]
    Exclusive {
        first: String,
        second: String,
        either: bool,
    },
    /// A name that is not a `kind` of `of`: `` {context}: `{name}` is not a {kind} of {of} ``,
    /// with the known names when the message lists them (`known`: the words introducing them
    /// and the names).
    #[error("{}", not_a_text(context.as_deref(), name, kind, of, known.as_ref()))]
    NotA {
        context: Option<String>,
        name: String,
        kind: String,
        of: String,
        known: Option<(String, Vec<String>)>,
    },
    /// A parameter flag `--{name}` (or `--set {name}=…` when `set`) that names no parameter of
    /// `of`; `takes` is the flag the parameter of that name takes, when it has another.
    #[error("{}", unknown_flag_text(name, of, takes.as_deref(), *set))]
    UnknownFlag {
        name: String,
        of: String,
        takes: Option<String>,
        set: bool,
    },
    /// A result that is not built in (`or_file`: nor a proofs file), with the built-in ones.
    #[error("{}", unknown_result_text(name, builtins, *or_file))]
    UnknownResult {
        name: String,
        builtins: Vec<String>,
        or_file: bool,
    },
    /// A `kind` (claim, constant) named by `flag` that `result` does not have; `known` lists
    /// the ones it has, when the message gives them.
    #[error("{}", not_in_text(flag, name, kind, result, known.as_deref()))]
    NotIn {
        flag: String,
        name: String,
        kind: String,
        result: String,
        known: Option<Vec<String>>,
    },
    /// Parameters of `result` given no value (`flags`, as the user would give them); `grid`:
    /// for a table, whose every parameter needs an axis.
    #[error("{}", missing_parameters_text(result, flags, *grid))]
    MissingParameters {
        result: String,
        flags: Vec<String>,
        grid: bool,
    },
    /// A coordinate that a claim of `result` needs and that no box gives a range for.
    #[error(
        "{result}: claim `{claim}` needs a range for `{name}`: add it to the file's [verify] box or give --box {name}=LO..HI"
    )]
    MissingRange {
        result: String,
        claim: String,
        name: String,
    },
    /// A range for `name`, which a substitution gives by an expression, so that the range would
    /// not be used: given by `--box` (`claim`: the claim being verified) or by the file's own
    /// [verify] box (`claim` is `None`).
    #[error("{}", unused_range_text(result, name, claim.as_deref()))]
    UnusedRange {
        result: String,
        name: String,
        claim: Option<String>,
    },
    /// A problem in a named place that has no line: a file (its path), a sweep row, a result,
    /// a flag.
    #[error("{place}: {problem}")]
    In { place: String, problem: String },
    /// Text that is not a table of `format` as the table writer writes it.
    #[error("not a {format:?} table written by sgdbounds: {problem}")]
    NotATable { format: Format, problem: String },
    /// An estimate (of L, c, r) that the sampled domain cannot give, and what to change.
    #[error("{problem}; give {remedy}")]
    Unestimable { problem: String, remedy: String },
    /// A message that fits no other kind.
    #[error("{0}")]
    Other(String),
}

fn out_of_range_text(name: &str, value: Option<&str>, accepted: &str) -> String {
    match value {
        Some(v) => format!("{name} {v}: {accepted}"),
        None => format!("{name} {accepted}"),
    }
}

fn not_a_text(
    context: Option<&str>,
    name: &str,
    kind: &str,
    of: &str,
    known: Option<&(String, Vec<String>)>,
) -> String {
    let context = context.map(|c| format!("{c}: ")).unwrap_or_default();
    let known = known
        .map(|(intro, names)| format!(" ({intro} {})", names.join(", ")))
        .unwrap_or_default();
    format!("{context}`{name}` is not a {kind} of {of}{known}")
}

fn unknown_flag_text(name: &str, of: &str, takes: Option<&str>, set: bool) -> String {
    if set {
        return format!("--set {name}: not a parameter of {of}");
    }
    let takes = takes
        .map(|f| format!(" (its parameter `{name}` takes --{f})"))
        .unwrap_or_default();
    format!("--{name} is not a parameter of {of}{takes}")
}

fn unknown_result_text(name: &str, builtins: &[String], or_file: bool) -> String {
    let list = builtins.join(", ");
    if or_file {
        format!("`{name}` is neither a built-in result ({list}) nor a proofs file")
    } else {
        format!("unknown result `{name}`; the built-in results are {list}")
    }
}

fn not_in_text(
    flag: &str,
    name: &str,
    kind: &str,
    result: &str,
    known: Option<&[String]>,
) -> String {
    match known {
        Some(k) => format!("{flag} {name}: {result} has the {kind}s {}", k.join(", ")),
        None => format!("{flag} {name}: no such {kind} in {result}"),
    }
}

fn missing_parameters_text(result: &str, flags: &[String], grid: bool) -> String {
    let flags = flags.join(", ");
    if grid {
        format!(
            "{result} needs every parameter: give {flags} (a value, a list or a range), or --sweep FILE"
        )
    } else {
        format!(
            "{result} needs a value for {flags} (or use --example for the paper's example values)"
        )
    }
}

fn unused_range_text(result: &str, name: &str, claim: Option<&str>) -> String {
    match claim {
        Some(claim) => format!(
            "--box {name}=…: in {result}, claim `{claim}` gives `{name}` by a substitution, so a range for it would not be used; give ranges for the coordinates of the substitution instead"
        ),
        None => format!(
            "{result}: the [verify] box gives a range for `{name}`, but the file's `substitute` gives `{name}` by an expression, so that range would not be used; remove one of the two"
        ),
    }
}

impl Usage {
    /// [`Usage::Malformed`] from its pieces.
    pub fn malformed(
        flag: impl Into<String>,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Usage {
        Usage::Malformed {
            flag: flag.into(),
            value: value.into(),
            expected: expected.into(),
        }
    }

    /// [`Usage::Invalid`] from its pieces.
    pub fn invalid(
        flag: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Usage {
        Usage::Invalid {
            flag: flag.into(),
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// [`Usage::OutOfRange`] naming `name` and its value.
    pub fn out_of_range(
        name: impl Into<String>,
        value: impl ToString,
        accepted: impl Into<String>,
    ) -> Usage {
        Usage::OutOfRange {
            name: name.into(),
            value: Some(value.to_string()),
            accepted: accepted.into(),
        }
    }

    /// [`Usage::Exclusive`]: "give either `first` or `second`, not both".
    pub fn exclusive(first: impl Into<String>, second: impl Into<String>) -> Usage {
        Usage::Exclusive {
            first: first.into(),
            second: second.into(),
            either: true,
        }
    }

    /// [`Usage::In`]: `problem` at `place`.
    pub fn at(place: impl Into<String>, problem: impl ToString) -> Usage {
        Usage::In {
            place: place.into(),
            problem: problem.to_string(),
        }
    }

    /// [`Usage::Unestimable`] from its pieces.
    pub fn unestimable(problem: impl Into<String>, remedy: impl Into<String>) -> Usage {
        Usage::Unestimable {
            problem: problem.into(),
            remedy: remedy.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn text(u: Usage) -> String {
        u.to_string()
    }

    #[test]
    fn flag_values_render_as_before() {
        assert_eq!(
            text(Usage::malformed(
                "--shard",
                "4/3",
                "K/N with 1 ≤ K ≤ N, e.g. 3/8"
            )),
            "--shard 4/3: expected K/N with 1 ≤ K ≤ N, e.g. 3/8"
        );
        assert_eq!(
            text(Usage::invalid("--stage", "0.1:x:1", "bad number of steps")),
            "--stage 0.1:x:1: bad number of steps"
        );
        assert_eq!(
            text(Usage::out_of_range("--a", -1.0, "must be positive")),
            "--a -1: must be positive"
        );
        assert_eq!(
            text(Usage::OutOfRange {
                name: "--trials".into(),
                value: None,
                accepted: "must be between 1 and 1000000".into(),
            }),
            "--trials must be between 1 and 1000000"
        );
        assert_eq!(
            text(Usage::Precision { prec: 3 }),
            "--prec 3 is out of range: the working precision must be between 16 and 100000 bits"
        );
    }

    #[test]
    fn conflicts_and_missing_inputs_render_as_before() {
        assert_eq!(
            text(Usage::exclusive("a RESULT", "--proofs FILE")),
            "give either a RESULT or --proofs FILE, not both"
        );
        assert_eq!(
            text(Usage::Exclusive {
                first: "--start".into(),
                second: "--start-box".into(),
                either: false,
            }),
            "give --start or --start-box, not both"
        );
        let flags = vec!["--eta".to_string(), "--L".to_string()];
        assert_eq!(
            text(Usage::MissingParameters {
                result: "theorem1".into(),
                flags: flags.clone(),
                grid: false,
            }),
            "theorem1 needs a value for --eta, --L (or use --example for the paper's example values)"
        );
        assert_eq!(
            text(Usage::MissingParameters {
                result: "theorem1".into(),
                flags,
                grid: true,
            }),
            "theorem1 needs every parameter: give --eta, --L (a value, a list or a range), or --sweep FILE"
        );
        assert_eq!(
            text(Usage::MissingRange {
                result: "lemma5".into(),
                claim: "descent".into(),
                name: "u".into(),
            }),
            "lemma5: claim `descent` needs a range for `u`: add it to the file's [verify] box or give --box u=LO..HI"
        );
        assert_eq!(
            text(Usage::UnusedRange {
                result: "lemma5".into(),
                name: "u".into(),
                claim: None,
            }),
            "lemma5: the [verify] box gives a range for `u`, but the file's `substitute` gives `u` by an expression, so that range would not be used; remove one of the two"
        );
    }

    #[test]
    fn unknown_names_render_as_before() {
        assert_eq!(
            text(Usage::NotA {
                context: None,
                name: "mu".into(),
                kind: "parameter or constant".into(),
                of: "theorem1".into(),
                known: Some(("its parameters are".into(), vec!["eta".into(), "L".into()])),
            }),
            "`mu` is not a parameter or constant of theorem1 (its parameters are eta, L)"
        );
        assert_eq!(
            text(Usage::NotA {
                context: Some("--set mu=…".into()),
                name: "mu".into(),
                kind: "parameter".into(),
                of: "theorem1 or lemma5".into(),
                known: None,
            }),
            "--set mu=…: `mu` is not a parameter of theorem1 or lemma5"
        );
        assert_eq!(
            text(Usage::UnknownFlag {
                name: "eta".into(),
                of: "lemma5".into(),
                takes: Some("step".into()),
                set: false,
            }),
            "--eta is not a parameter of lemma5 (its parameter `eta` takes --step)"
        );
        assert_eq!(
            text(Usage::UnknownFlag {
                name: "mu".into(),
                of: "theorem1".into(),
                takes: None,
                set: true,
            }),
            "--set mu: not a parameter of theorem1"
        );
        let builtins = vec!["theorem1".to_string(), "lemma5".to_string()];
        assert_eq!(
            text(Usage::UnknownResult {
                name: "theorem9".into(),
                builtins: builtins.clone(),
                or_file: false,
            }),
            "unknown result `theorem9`; the built-in results are theorem1, lemma5"
        );
        assert_eq!(
            text(Usage::UnknownResult {
                name: "theorem9".into(),
                builtins,
                or_file: true,
            }),
            "`theorem9` is neither a built-in result (theorem1, lemma5) nor a proofs file"
        );
        assert_eq!(
            text(Usage::NotIn {
                flag: "--claim".into(),
                name: "x".into(),
                kind: "claim".into(),
                result: "theorem1".into(),
                known: None,
            }),
            "--claim x: no such claim in theorem1"
        );
        assert_eq!(
            text(Usage::NotIn {
                flag: "--constant".into(),
                name: "x".into(),
                kind: "constant".into(),
                result: "theorem1".into(),
                known: Some(vec!["mu_coef".into(), "b_coef".into()]),
            }),
            "--constant x: theorem1 has the constants mu_coef, b_coef"
        );
    }

    #[test]
    fn files_and_estimates_render_as_before() {
        assert_eq!(
            text(Usage::NotATable {
                format: Format::Csv,
                problem: "empty".into(),
            }),
            "not a Csv table written by sgdbounds: empty"
        );
        assert_eq!(
            text(Usage::at(
                "a.csv",
                "its columns differ from the first part's"
            )),
            "a.csv: its columns differ from the first part's"
        );
        assert_eq!(
            text(Usage::unestimable(
                "no two points of D differ: L cannot be estimated",
                "a larger --radius than 0.5"
            )),
            "no two points of D differ: L cannot be estimated; give a larger --radius than 0.5"
        );
    }

    #[test]
    fn the_error_wraps_a_usage_error_transparently() {
        use std::error::Error as _;
        let e = Error::from(Usage::Other("η_max is undefined".into()));
        assert_eq!(e.to_string(), "η_max is undefined");
        assert!(e.source().is_none());
        assert!(matches!(e, Error::Usage(u) if matches!(*u, Usage::Other(_))));
    }
}
