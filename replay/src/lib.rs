//! The independent kernel of sgdbounds: it replays a certificate written by
//! `sgdbounds verify --certificate` and answers whether every cell of it is settled.
//!
//! Nothing here calls the prover: the statement is re-parsed from its text by the kernel's own
//! parser ([`parse`]), compiled by its own resolver and differentiated by its own rules
//! ([`program`]), evaluated by its own interval type over MPFR ([`interval`]), and the
//! scalings are re-proved by its own degree inference. A normal form the certificate offers
//! is only a hint: its identity with the claim's margin is checked by the kernel's own exact
//! algebra ([`normal`]), and its signs on each cell by the kernel's intervals ([`forms`]). It
//! shares with the prover only MPFR and GMP (through `rug`) and the certificate's format
//! ([`format`]).

pub mod check;
pub mod format;
pub mod forms;
pub mod interval;
pub mod normal;
pub mod parse;
pub mod program;

pub use check::{ClaimReplay, Verdict, replay_claim};
pub use format::Certificate;

/// Replays every point of a certificate (`check --certificate`).
pub fn replay_points(cert: &Certificate) -> Vec<check::PointReplay> {
    cert.points.iter().map(check::replay_point).collect()
}

/// Whether `cert` is a certificate this kernel reads (its format and version).
pub fn readable(cert: &Certificate) -> Result<(), String> {
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
    Ok(())
}

/// Replays every claim of a certificate, one after another (each claim is independent of the
/// others: a caller may replay them in parallel with [`replay_claim`]).
pub fn replay(cert: &Certificate) -> Result<Vec<ClaimReplay>, String> {
    readable(cert)?;
    Ok(cert.claims.iter().map(replay_claim).collect())
}

/// Merges the certificates of the shards of one run (`verify --shard K/N`): the claims with
/// the same result and name become one, their pieces together, once their statements (text,
/// constants, domain, scalings, precision) are shown to be the same. Replaying the merged
/// certificate then checks that the shards together cover each claim's domain.
pub fn merge(parts: Vec<Certificate>) -> Result<Certificate, String> {
    let mut out: Option<Certificate> = None;
    for (i, part) in parts.into_iter().enumerate() {
        if part.format != format::FORMAT || part.version != format::VERSION {
            return Err(format!(
                "part {}: not a version-{} sgdbounds certificate",
                i + 1,
                format::VERSION
            ));
        }
        let Some(acc) = out.as_mut() else {
            out = Some(part);
            continue;
        };
        acc.points.extend(part.points);
        for c in part.claims {
            match acc
                .claims
                .iter_mut()
                .find(|a| a.result == c.result && a.claim == c.claim)
            {
                None => acc.claims.push(c),
                Some(a) => {
                    let same = a.prec == c.prec
                        && a.coordinates == c.coordinates
                        && a.constants == c.constants
                        && a.definitions == c.definitions
                        && a.hypotheses == c.hypotheses
                        && a.statement == c.statement
                        && a.domain == c.domain
                        && a.scalings == c.scalings;
                    if !same {
                        return Err(format!(
                            "part {}: {}/{} is stated differently than in an earlier part",
                            i + 1,
                            c.result,
                            c.claim
                        ));
                    }
                    a.pieces.extend(c.pieces);
                }
            }
        }
    }
    out.ok_or_else(|| "no certificate to merge".to_string())
}
