//! A request to stop, from outside the run: the Python package sets it when the user presses
//! Ctrl-C while the engine works with the interpreter's lock released. Every long loop (the
//! prover's cells, the falsifier's samples, identity tests, `tighten`'s values, a table's rows,
//! `simulate`'s trials, `estimate`'s points) reads it where it reads its deadline, and the
//! entry points turn a run that was stopped into [`Error::Stopped`], so that a run cut short
//! never reports a verdict as if it had finished.
//!
//! The flag is one per process: a stop asked for while two runs go on stops both.

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every run of this process to stop as soon as it can.
pub fn request() {
    STOP.store(true, Ordering::SeqCst);
}

/// Withdraws a request to stop (before a new run starts).
pub fn clear() {
    STOP.store(false, Ordering::SeqCst);
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Whether a loop with this deadline should end now: the deadline passed, or a stop was asked
/// for.
pub fn past(deadline: Option<Instant>) -> bool {
    requested() || deadline.is_some_and(|d| Instant::now() > d)
}

/// `Err(Error::Stopped)` when a stop was asked for.
pub fn check() -> Result<()> {
    if requested() {
        Err(Error::Stopped)
    } else {
        Ok(())
    }
}
