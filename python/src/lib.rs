//! `sgdbounds._native`: the engine of sgdbounds for Python.
//!
//! One function does the work: [`run`] takes the words of a command line (built by the Python
//! package from its keyword arguments, so that every parameter is read, checked and reported
//! exactly as the command line reads it) and gives the subcommand's exit code, its report as
//! text and as JSON, and the files it wrote. The engine runs on a thread of its own with the
//! interpreter's lock released; the calling thread wakes every 50 ms to let Python handle
//! signals, and on Ctrl-C asks the engine to stop (`sgdbounds::stop`), waits for it, and raises
//! `KeyboardInterrupt`. Bad input is `sgdbounds.InputError` (a `ValueError`) with the command
//! line's message; a panic of the engine, which would be a bug, is a `RuntimeError`, never a
//! crash of the interpreter.

use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::ffi::OsString;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

create_exception!(
    sgdbounds,
    InputError,
    PyValueError,
    "Bad input: a malformed number, a value outside its domain, an unknown parameter, a broken \
     proofs file. The message is the command line's."
);

/// The engine thread's stack: deep expressions are walked recursively in places, as on the
/// command line's main thread (address space only; pages are touched as used).
const STACK: usize = 256 << 20;

/// How often the waiting thread lets Python handle signals.
const POLL: Duration = Duration::from_millis(50);

/// What a run gives Python: exit code, text report, JSON report (if any), notes (files
/// written), kept data (simulate's trajectories as CSV, if asked).
type Ran = (i32, String, Option<String>, Vec<String>, Option<String>);

/// Runs `sgdbounds ARGV...` and returns (exit code, text, JSON or None, notes, kept data or
/// None). Tables that would go to standard output are kept in the text.
#[pyfunction]
fn run(py: Python<'_>, argv: Vec<String>) -> PyResult<Ran> {
    sgdbounds::stop::clear();
    let (tx, rx) = channel();
    let words: Vec<OsString> = std::iter::once(OsString::from("sgdbounds"))
        .chain(argv.into_iter().map(OsString::from))
        .collect();
    let worker = std::thread::Builder::new()
        .name("sgdbounds".into())
        .stack_size(STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(move || {
                sgdbounds::cli::try_parse_from(words)
                    .and_then(|cli| sgdbounds::cli::execute(cli, true))
            });
            let _ = tx.send(result);
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start the engine's thread: {e}")))?;
    // the waiting is done with the lock released, from a closure that must be `Sync`
    let rx = std::sync::Mutex::new(rx);
    let wait = |timeout: Option<Duration>| {
        let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
        match timeout {
            Some(t) => rx.recv_timeout(t),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        }
    };
    let answer = loop {
        match py.detach(|| wait(Some(POLL))) {
            Ok(answer) => break answer,
            Err(RecvTimeoutError::Timeout) => {
                if let Err(signal) = py.check_signals() {
                    sgdbounds::stop::request();
                    let _ = py.detach(|| wait(None));
                    let _ = worker.join();
                    sgdbounds::stop::clear();
                    return Err(signal);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "the engine's thread ended without an answer (a bug of sgdbounds)",
                ));
            }
        }
    };
    let _ = worker.join();
    match answer {
        Ok(Ok(o)) => Ok((o.code, o.text, o.json, o.notes, o.kept)),
        Ok(Err(sgdbounds::Error::Stopped)) => Err(PyKeyboardInterrupt::new_err("stopped")),
        Ok(Err(sgdbounds::Error::CommandLine(message))) => {
            Err(InputError::new_err(message.trim_end().to_string()))
        }
        Ok(Err(e)) => Err(InputError::new_err(e.to_string())),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(PyRuntimeError::new_err(format!(
                "sgdbounds panicked (a bug; please report it with the call): {what}"
            )))
        }
    }
}

/// The names of the built-in results (the paper's proofs files).
#[pyfunction]
fn builtin_results() -> Vec<String> {
    sgdbounds::theory::builtin_names()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(builtin_results, m)?)?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
