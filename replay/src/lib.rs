//! The independent kernel of sgdbounds: it replays a certificate written by
//! `sgdbounds verify --certificate` and answers whether every cell of it is settled.
//!
//! Nothing here calls the prover: the statement is re-parsed from its text by the kernel's own
//! parser ([`parse`]), compiled by its own resolver and differentiated by its own rules
//! ([`program`]), evaluated by its own interval type over MPFR ([`interval`]), and the
//! scalings are re-proved by its own degree inference. It shares with the prover only MPFR
//! itself (through `rug`) and the certificate's format ([`format`]).

pub mod check;
pub mod format;
pub mod interval;
pub mod parse;
pub mod program;

pub use check::{ClaimReplay, Verdict, replay_claim};
pub use format::Certificate;

/// Replays every claim of a certificate.
pub fn replay(cert: &Certificate) -> Result<Vec<ClaimReplay>, String> {
    if cert.format != format::FORMAT {
        return Err(format!(
            "not an sgdbounds certificate (format `{}`)",
            cert.format
        ));
    }
    if cert.version != format::VERSION {
        return Err(format!(
            "certificate version {} (this kernel reads version {})",
            cert.version,
            format::VERSION
        ));
    }
    Ok(cert.claims.iter().map(replay_claim).collect())
}
