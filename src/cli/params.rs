//! Each result's parameters as command-line flags, generated at run time from its proofs file,
//! so that a built-in result, a new file in `proofs/` and a user's `--proofs FILE` all get the
//! same flags, help and errors.
//!
//! The command line is read twice: a pre-scan finds which subcommand runs and which results it
//! takes (its `RESULT`, `--result` or `--proofs`), then clap parses with one flag per parameter
//! of those results added to the fixed options. The flags of the other built-in results are
//! accepted too, hidden, so that a flag given to the wrong result is answered by the
//! subcommand's own message ("--c-prime is not a parameter of theorem1 or lemma5").

use super::Cli;
use crate::error::{Error, Result};
use crate::theory::{Theory, builtin_names, default_check_results, spec::DefaultCheck};
use clap::{Arg, ArgAction, ArgMatches, Command, CommandFactory, FromArgMatches};
use std::collections::BTreeMap;
use std::ffi::OsString;

/// The subcommands whose parameters are flags.
const TAKES_PARAMETERS: [&str; 2] = ["check", "table"];

/// The prefix of a generated argument's id (clap ids of the fixed options are field names).
const ID: &str = "parameter:";

/// What the pre-scan found of one subcommand's choice of results.
#[derive(Debug, Default)]
struct Choice {
    result: Option<String>,
    proofs: Option<String>,
}

/// Parses the command line; `--help`, `--version` and clap's usage errors exit as clap does
/// (0, or 2 with its message). An error is a proofs file that cannot be loaded.
pub fn parse_from(argv: Vec<OsString>) -> Result<Cli> {
    parse_with(argv, |e| e.exit())
}

/// [`parse_from`] without exiting: clap's message is [`Error::CommandLine`].
pub fn try_parse_from(argv: Vec<OsString>) -> Result<Cli> {
    parse_with(argv, |e| Err(Error::CommandLine(e.render().to_string())))
}

fn parse_with(argv: Vec<OsString>, on_clap: impl Fn(clap::Error) -> Result<Cli>) -> Result<Cli> {
    let cmd = command_for(&argv)?;
    let matches = match cmd.try_get_matches_from(&argv) {
        Ok(m) => m,
        Err(e) => return on_clap(e),
    };
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return on_clap(e),
    };
    if let Some((_, sub)) = matches.subcommand() {
        let given = given_parameters(sub);
        match &mut cli.command {
            super::Command::Check(a) => a.params = given,
            super::Command::Table(a) => a.params = given,
            _ => {}
        }
    }
    Ok(cli)
}

/// The full command for these arguments: the fixed options, and when `check` or `table` runs,
/// the flags of the results the arguments choose (or of the default results).
pub fn command_for(argv: &[OsString]) -> Result<Command> {
    let mut cmd = Cli::command();
    // only the subcommand that runs is parsed, so only its flags are made
    let Some(name) = running_subcommand(argv).filter(|n| TAKES_PARAMETERS.contains(&n.as_str()))
    else {
        return Ok(cmd);
    };
    let sub = cmd
        .find_subcommand(&name)
        .expect("a subcommand that takes parameters")
        .clone();
    let chosen = chosen_results(&sub, &prescan(&sub, argv))?;
    let sub = with_result_help(with_parameters(sub, &chosen)?)?;
    cmd = cmd.mut_subcommand(&name, |_| sub);
    Ok(cmd)
}

/// The values of the generated flags that were given, by flag (without `--`).
fn given_parameters(m: &ArgMatches) -> BTreeMap<String, String> {
    m.ids()
        .filter_map(|id| id.as_str().strip_prefix(ID))
        .filter_map(|flag| {
            m.get_one::<String>(&format!("{ID}{flag}"))
                .map(|v| (flag.to_string(), v.clone()))
        })
        .collect()
}

/// The subcommand the arguments run (`help SUB` counts as SUB).
fn running_subcommand(argv: &[OsString]) -> Option<String> {
    let mut words = argv.iter().skip(1).filter_map(|a| a.to_str());
    let first = words.find(|w| !w.starts_with('-'))?;
    if first == "help" {
        return words.next().map(str::to_string);
    }
    Some(first.to_string())
}

/// Finds the subcommand's RESULT (its first positional argument), `--result` and `--proofs`
/// without parsing: an option of `sub` that takes a value skips one word, and so does any other
/// `--flag` (a parameter's flag, which always takes one); `--flag=value` skips none.
fn prescan(sub: &Command, argv: &[OsString]) -> Choice {
    let takes_value = |long: &str| {
        sub.get_arguments()
            .find(|a| a.get_long() == Some(long))
            .is_none_or(|a| a.get_action().takes_values())
    };
    let mut choice = Choice::default();
    let mut words = argv
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .skip_while(|w| *w != sub.get_name())
        .skip(1);
    while let Some(w) = words.next() {
        if w == "--" {
            if let Some(v) = words.next() {
                choice.result.get_or_insert(v.to_string());
            }
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (long, inline) = match long.split_once('=') {
                Some((l, v)) => (l, Some(v.to_string())),
                None => (long, None),
            };
            let value = match inline {
                Some(v) => Some(v),
                None if takes_value(long) => words.next().map(str::to_string),
                None => None,
            };
            match long {
                "proofs" => choice.proofs = value,
                "result" => choice.result = value,
                _ => {}
            }
        } else if !w.starts_with('-') || w == "-" {
            choice.result.get_or_insert(w.to_string());
        }
    }
    choice
}

/// The results whose parameters `sub` shows: the `--proofs` file, the named built-in result,
/// `table`'s default, or else the results `check` checks by default (their file says
/// `check = "always"` or `"when-given"`). An unknown name chooses none, so that the
/// subcommand reports it.
fn chosen_results(sub: &Command, choice: &Choice) -> Result<Vec<Theory>> {
    if let Some(path) = &choice.proofs {
        // a RESULT beside --proofs: the subcommand says they exclude each other
        if choice.result.is_some() {
            return Ok(vec![]);
        }
        return Ok(vec![Theory::from_path(path)?]);
    }
    let default =
        (sub.get_name() == "table").then(|| super::args::TABLE_DEFAULT_RESULT.to_string());
    let name = match choice.result.clone().or(default) {
        Some(n) => n,
        None => return default_check_results(),
    };
    if builtin_names().contains(&name.as_str()) {
        Ok(vec![Theory::builtin(&name)?])
    } else {
        Ok(vec![])
    }
}

/// `sub` with the help of its RESULT naming the built-in results and the default: `table`'s
/// one result, or the ones `check` checks.
fn with_result_help(sub: Command) -> Result<Command> {
    let names = builtin_names().join(", ");
    let default = if sub.get_name() == "table" {
        super::args::TABLE_DEFAULT_RESULT.to_string()
    } else {
        let always: Vec<String> = default_check_results()?
            .into_iter()
            .filter(|t| t.default_check == DefaultCheck::Always)
            .map(|t| t.name)
            .collect();
        always.join(" and ")
    };
    let help = format!("The result: {names} [default: {default}]");
    Ok(sub.mut_arg("result", |a| a.help(help)))
}

/// One line of help for a parameter: its meaning, symbol and domain from the proofs file, and
/// which of several results take it.
fn parameter_help(p: &crate::theory::Parameter, takers: &[&str], of: usize) -> String {
    let squeezed = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut help = if p.symbol != p.name && !squeezed(&p.meaning).contains(&squeezed(&p.symbol)) {
        format!("{}: {}", p.symbol, p.meaning)
    } else {
        capitalized(&p.meaning)
    };
    let mut domain = Vec::new();
    if let Some(d) = &p.domain {
        domain.push(d.text.trim().to_string());
    }
    if p.integer {
        domain.push("an integer".into());
    }
    if !domain.is_empty() {
        help.push_str(&format!("; {}", domain.join(", ")));
    }
    if of > 1 {
        help.push_str(&format!(" [{}]", takers.join(", ")));
    }
    help
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `sub` with a flag for every parameter of `chosen` (shown in `--help`) and of every built-in
/// result (hidden). A parameter whose flag is one of `sub`'s fixed options is an error naming
/// the file.
fn with_parameters(mut sub: Command, chosen: &[Theory]) -> Result<Command> {
    let fixed: Vec<String> = sub
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_string))
        .chain(["help".to_string(), "version".to_string()])
        .collect();
    let mut builtins = Vec::new();
    for name in builtin_names() {
        builtins.push(Theory::builtin(name)?);
    }
    // flag -> (the parameter it was first declared by, the chosen results taking it)
    let mut flags: BTreeMap<String, (crate::theory::Parameter, Vec<&str>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for t in chosen.iter().chain(&builtins) {
        let is_chosen = chosen.iter().any(|c| std::ptr::eq(c, t));
        for p in &t.parameters {
            if fixed.contains(&p.flag) {
                return Err(Error::Proofs {
                    file: t.file.clone(),
                    message: format!(
                        "parameter `{}`: its flag --{} is already an option of `sgdbounds {}`; \
                         give the parameter another `flag`",
                        p.name,
                        p.flag,
                        sub.get_name()
                    ),
                    at: None,
                });
            }
            let entry = flags.entry(p.flag.clone()).or_insert_with(|| {
                order.push(p.flag.clone());
                (p.clone(), Vec::new())
            });
            if is_chosen && !entry.1.contains(&t.name.as_str()) {
                entry.1.push(t.name.as_str());
            }
        }
    }
    let heading = match chosen {
        [t] => format!("Parameters of {}", t.name),
        _ => "Parameters".to_string(),
    };
    for flag in order {
        let (p, takers) = &flags[&flag];
        // a table's axis is a value, a list or a range
        let value_name = match (sub.get_name(), p.integer) {
            ("table", _) => "SPEC",
            (_, true) => "N",
            (_, false) => "X",
        };
        let arg = Arg::new(format!("{ID}{flag}"))
            .long(flag.clone())
            .value_name(value_name)
            .action(ArgAction::Set)
            .allow_hyphen_values(true)
            .help(parameter_help(p, takers, chosen.len()))
            .help_heading(heading.clone())
            .hide(takers.is_empty());
        sub = sub.arg(arg);
    }
    Ok(sub)
}
