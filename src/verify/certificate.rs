//! Certificates of proved claims, in the format the independent kernel replays
//! (`sgdbounds-replay`, README "Certificates"): the statement as the proofs file writes it
//! (definitions, hypotheses, claim, constants), the domain as written, the scalings used, and
//! for each bounded piece of the reduced domain its ranges, charts and tree of cells, each
//! leaf with the method that settled it. Nothing here is trusted by the kernel: it re-parses
//! the text, re-proves the scalings' invariance and settles every leaf again.

use super::claims::ClaimOutcome;
use super::job::Job;
use super::prove::TreeCell;
use crate::theory::Range;
use rug::Rational;
use sgdbounds_replay::format::{ClaimCert, PieceCert, RangeCert, ScalingCert};
use std::collections::BTreeMap;

/// One bounded piece a claim was proved over: its ranges (every coordinate of the job), the
/// coordinates given by a chart `x = s/u` (index, s), and the prover's tree of cells.
#[derive(Clone, Debug)]
pub struct PieceProof {
    pub ranges: Vec<Range>,
    pub charts: Vec<(usize, Rational)>,
    pub tree: Vec<TreeCell>,
    /// The normal forms the prover used on the piece, as text.
    pub forms: Vec<sgdbounds_replay::format::FormCert>,
}

/// The certificate of claim `claim` of the job's model, proved as `out` says (with its
/// pieces' proofs recorded); `None` when the claim was not proved cell by cell (an identity,
/// a box of one point) or a tree is incomplete.
pub fn claim_certificate(written: &Job, out: &ClaimOutcome, prec: u32) -> Option<ClaimCert> {
    if out.proof.is_empty() {
        return None;
    }
    let model = written.model;
    let t = &model.theory;
    let st = &t.claims[written.claim];
    let active: Vec<usize> = (0..model.coords.len())
        .filter(|&k| written.active[k])
        .collect();
    let mut index = vec![None; model.coords.len()];
    for (i, &k) in active.iter().enumerate() {
        index[k] = Some(i);
    }
    let coordinates: Vec<String> = active.iter().map(|&k| model.coords[k].clone()).collect();
    let constants: BTreeMap<String, String> = t
        .constants
        .iter()
        .zip(&written.constants)
        .map(|(c, v)| (c.name.clone(), v.to_string()))
        .collect();
    let definitions = definitions(t, written.claim);
    let range_cert = |r: &Range, name: &str| RangeCert {
        name: name.to_string(),
        lo: r.lo.to_string(),
        hi: if r.unbounded {
            "inf".into()
        } else {
            r.hi.to_string()
        },
        lo_open: r.lo_open,
        hi_open: r.hi_open,
        integer: r.integer,
    };
    let domain = active
        .iter()
        .map(|&k| range_cert(&written.ranges[k], &model.coords[k]))
        .collect();
    let scalings = out
        .reductions
        .used
        .iter()
        .map(|r| {
            let sc = t.scalings.iter().find(|s| s.name == r.scaling)?;
            Some(ScalingCert {
                name: sc.name.clone(),
                weights: sc.weights.clone(),
                fix: r.fixed.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let pieces = out
        .proof
        .iter()
        .map(|p| {
            Some(PieceCert {
                charts: p
                    .charts
                    .iter()
                    .filter(|(k, _)| written.active[*k])
                    .map(|(k, s)| (model.coords[*k].clone(), s.to_string()))
                    .collect(),
                bounds: active
                    .iter()
                    .map(|&k| (p.ranges[k].lo.to_string(), p.ranges[k].hi.to_string()))
                    .collect(),
                tree: TreeCell::preorder(&p.tree, &index)?,
                forms: p.forms.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ClaimCert {
        result: t.name.clone(),
        claim: st.name.clone(),
        prec,
        coordinates,
        constants,
        definitions,
        hypotheses: written.hyp_texts.clone(),
        statement: st.formula.text.clone(),
        domain,
        scalings,
        pieces,
    })
}

/// The named expressions of claim `claim`'s statement, as the file writes them: its charts
/// (a claim's own replaces the file's for the same parameter) and every definition. A model
/// cut down to one claim has no definitions left (they are on its tape): pass the whole file's
/// theory.
pub fn definitions(t: &crate::theory::Theory, claim: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, f) in t.claims[claim].substitutes.iter().chain(&t.substitutes) {
        if !out.iter().any(|(n, _)| n == name) {
            out.push((name.clone(), f.text.clone()));
        }
    }
    for d in &t.definitions {
        out.push((d.name.clone(), d.formula.text.clone()));
    }
    out
}

/// The certificate of a batch: every proved claim that has one, in the batch's order, and the
/// proved claims that have none (`result/claim`: identities and boxes of one point, proved
/// otherwise than cell by cell).
pub fn batch_certificate(
    batch: &super::batch::Batch,
) -> (sgdbounds_replay::Certificate, Vec<String>) {
    let mut claims = Vec::new();
    let mut without = Vec::new();
    for (model, outcomes) in &batch.results {
        for (ci, o) in outcomes {
            match &o.certificate {
                Some(c) => claims.push(c.clone()),
                None if o.status == super::claims::Status::Proved => {
                    without.push(format!(
                        "{}/{}",
                        model.theory.name, model.theory.claims[*ci].name
                    ));
                }
                None => {}
            }
        }
    }
    (
        sgdbounds_replay::Certificate {
            format: sgdbounds_replay::format::FORMAT.into(),
            version: sgdbounds_replay::format::VERSION,
            tool: format!("sgdbounds {}", env!("CARGO_PKG_VERSION")),
            claims,
            points: Vec::new(),
        },
        without,
    )
}

/// The certificate of `check`'s verdicts: for each result, the point (every parameter's exact
/// value), the constants, the definitions, and each hypothesis and claim decided there (holds
/// or fails; an undecided one is left out), at the precision it was decided at.
pub fn point_certificate(checked: &super::at_point::Checked) -> sgdbounds_replay::Certificate {
    use crate::arith::Truth;
    use sgdbounds_replay::format::{PointCert, PointVerdict};
    let points = checked
        .items()
        .into_iter()
        .map(|(model, p)| {
            let t = &model.theory;
            let n = model.coords.len();
            let mut verdicts = Vec::new();
            let kinds = [
                ("hypothesis", &t.hypotheses, &p.hypotheses),
                ("claim", &t.claims, &p.claims),
            ];
            for (kind, statements, values) in kinds {
                for (st, v) in statements.iter().zip(values) {
                    // a proof step is not evaluated at a point (its predicate is empty there)
                    if v.truth != Truth::Unknown && !st.step {
                        verdicts.push(PointVerdict {
                            name: st.name.clone(),
                            kind: kind.into(),
                            text: st.formula.text.clone(),
                            holds: v.truth == Truth::True,
                        });
                    }
                }
            }
            PointCert {
                result: t.name.clone(),
                prec: p.prec,
                point: model
                    .coords
                    .iter()
                    .zip(&p.inputs)
                    .map(|(c, q)| (c.clone(), q.to_string()))
                    .collect(),
                constants: t
                    .constants
                    .iter()
                    .zip(&p.inputs[n..])
                    .map(|(c, q)| (c.name.clone(), q.to_string()))
                    .collect(),
                definitions: t
                    .definitions
                    .iter()
                    .map(|d| (d.name.clone(), d.formula.text.clone()))
                    .collect(),
                verdicts,
            }
        })
        .collect();
    sgdbounds_replay::Certificate {
        format: sgdbounds_replay::format::FORMAT.into(),
        version: sgdbounds_replay::format::VERSION,
        tool: format!("sgdbounds {}", env!("CARGO_PKG_VERSION")),
        claims: Vec::new(),
        points,
    }
}
