//! The independent kernel (`sgdbounds-replay`) on certificates `verify` writes: it accepts
//! them, settles every cell of the ones whose leaves need only interval methods, and rejects
//! every tampered or forged one with a message that names the cell.

use super::common::theory_and_claim;
use sgdbounds::theory::{Mode, Model};
use sgdbounds::verify::{Status, VerifyOptions, verify_claim};
use sgdbounds_replay::format::{ClaimCert, Method, Node};
use sgdbounds_replay::{Certificate, Verdict, replay, replay_claim};
use std::collections::BTreeMap;

fn opts() -> VerifyOptions {
    VerifyOptions {
        record: true,
        seed: 7,
        ..VerifyOptions::default()
    }
}

/// A proofs file with parameters x, y (and a constant k = 3) and the claim `expr`, over `bx`.
fn file(expr: &str, hyps: &[&str], bx: &str) -> String {
    let mut s = String::from(
        "[result]\nname = \"kern\"\ntitle = \"kernel\"\ncite = \"test\"\n\
         [[parameter]]\nname = \"x\"\nsymbol = \"x\"\nmeaning = \"x\"\n\
         [[parameter]]\nname = \"y\"\nsymbol = \"y\"\nmeaning = \"y\"\n\
         [[constant]]\nname = \"k\"\nvalue = \"3\"\nmeaning = \"k\"\ncite = \"test\"\n\
         [[definition]]\nname = \"q\"\nexpr = \"x^2 - k*x*y + y^3\"\nmeaning = \"q\"\ncite = \"test\"\n",
    );
    let mut uses = Vec::new();
    for (i, h) in hyps.iter().enumerate() {
        s += &format!("[[hypothesis]]\nname = \"h{i}\"\nexpr = \"{h}\"\ncite = \"test\"\n");
        uses.push(format!("\"h{i}\""));
    }
    s += &format!(
        "[[claim]]\nname = \"c\"\nexpr = \"{expr}\"\ncite = \"test\"\nuses = [{}]\n[verify]\nbox = {bx}\n",
        uses.join(", ")
    );
    s
}

/// The certificate `verify` writes for claim `c` of `text` (which must be proved).
fn certify(text: &str) -> ClaimCert {
    let (t, c) = theory_and_claim(text, "c");
    let m = Model::compile_for(t.for_claim(c), Mode::Verify).unwrap();
    let free = Model::compile_for(t.clone(), Mode::Free).unwrap();
    let o = verify_claim(&m, &free, c, &BTreeMap::new(), &BTreeMap::new(), &opts()).unwrap();
    assert_eq!(o.status, Status::Proved, "{:?}", o.reason);
    o.certificate.expect("a proved claim has a certificate")
}

/// A claim proved with many cells by plain evaluation and monotonicity: q(x, y) + 2 > 0 over
/// [0, 2]², where q = x² − 3xy + y³ reaches about −1.57 (q's minimum there, by calculus:
/// x = 3y/2, y³ − 9y²/4 least at y = 3/2, −27/16 = −1.6875 ≥ −2).
fn many_cells() -> ClaimCert {
    certify(&file("q + 2 > 0", &[], "{ x = \"0..2\", y = \"0..2\" }"))
}

fn invalid(c: &ClaimCert) -> String {
    let r = replay_claim(c);
    assert_eq!(r.verdict, Verdict::Invalid, "{r:?}");
    r.problem.unwrap()
}

#[test]
fn the_kernel_settles_every_cell_of_an_interval_proof() {
    let c = many_cells();
    let leaves = c.pieces[0]
        .tree
        .iter()
        .filter(|n| matches!(n, Node::Leaf(_)))
        .count();
    assert!(leaves > 4, "{leaves} leaves");
    let r = replay_claim(&c);
    assert_eq!(r.verdict, Verdict::Valid, "{r:?}");
    assert_eq!(r.leaves, leaves);
    // and the certificate round-trips through its JSON
    let cert = Certificate {
        format: sgdbounds_replay::format::FORMAT.into(),
        version: sgdbounds_replay::format::VERSION,
        tool: "test".into(),
        claims: vec![c.clone()],
        points: vec![],
    };
    let back: Certificate = serde_json::from_str(&serde_json::to_string(&cert).unwrap()).unwrap();
    assert_eq!(back, cert);
    assert_eq!(replay(&back).unwrap()[0].verdict, Verdict::Valid);
}

#[test]
fn a_certificate_is_deterministic() {
    assert_eq!(many_cells(), many_cells());
}

#[test]
fn a_dropped_cell_is_caught() {
    let mut c = many_cells();
    let last = c.pieces[0].tree.len() - 1;
    c.pieces[0].tree.remove(last);
    assert!(invalid(&c).contains("ends before the cell"));
}

/// Not valid, and the message names a cell.
fn rejected(c: &ClaimCert) -> String {
    let r = replay_claim(c);
    assert_ne!(r.verdict, Verdict::Valid, "{r:?}");
    let p = r.problem.unwrap();
    assert!(p.starts_with("cell root"), "{p}");
    p
}

#[test]
fn a_cell_widened_past_its_neighbour_is_caught() {
    // the leaves stretched (domain and piece together, so that coverage holds) over y down to
    // −2, where q + 2 < 0 (x = −3, y = −2: 9 − 18 − 8 + 2 = −15): the cells at y < 0 fail
    let mut c = many_cells();
    let k = c.coordinates.iter().position(|n| n == "y").unwrap();
    c.domain[k].lo = "-2".into();
    c.pieces[0].bounds[k].0 = "-2".into();
    let kx = c.coordinates.iter().position(|n| n == "x").unwrap();
    c.domain[kx].lo = "-3".into();
    c.pieces[0].bounds[kx].0 = "-3".into();
    rejected(&c);
}

#[test]
fn a_moved_domain_end_is_a_gap() {
    let mut c = many_cells();
    let k = c.coordinates.iter().position(|n| n == "y").unwrap();
    c.domain[k].hi = "3".into();
    assert!(invalid(&c).contains("uncovered"));
}

#[test]
fn a_changed_constant_is_caught() {
    let mut c = many_cells();
    // with k = 4, q + 2 < 0 at x = 2, y = 1.5... at x = 2, y = 1: 4 − 8 + 1 + 2 = −1
    c.constants.insert("k".into(), "4".into());
    rejected(&c);
}

#[test]
fn monotone_where_it_is_not_is_caught() {
    // a claim true on the box, proved; then the statement made false at one interior point
    // region while the leaves keep saying "plain" or "monotone"
    let mut c = many_cells();
    c.statement = "q + 1.6 > 0".into();
    for n in &mut c.pieces[0].tree {
        if let Node::Leaf(m) = n {
            *m = Method::Refined;
        }
    }
    let p = invalid(&c);
    assert!(
        p.contains("settled by the prover through monotonicity or the mean-value form, is not settled by the kernel"),
        "{p}"
    );
}

/// A certificate written by hand: `statement` under `hypotheses` over x, y ∈ [0, hi] (open at 0
/// and unbounded when `hi` is `"inf"`), no scaling, no pieces.
fn forged(statement: &str, hypotheses: &[&str], hi: &str) -> ClaimCert {
    let unbounded = hi == "inf";
    ClaimCert {
        result: "forged".into(),
        claim: "c".into(),
        prec: 128,
        coordinates: vec!["x".into(), "y".into()],
        constants: BTreeMap::new(),
        definitions: vec![],
        hypotheses: hypotheses.iter().map(|h| h.to_string()).collect(),
        statement: statement.into(),
        domain: ["x", "y"]
            .iter()
            .map(|n| sgdbounds_replay::format::RangeCert {
                name: n.to_string(),
                lo: "0".into(),
                hi: hi.into(),
                lo_open: unbounded,
                hi_open: unbounded,
                integer: false,
            })
            .collect(),
        scalings: vec![],
        pieces: vec![],
    }
}

#[test]
fn a_forged_plain_leaf_on_a_false_claim_is_rejected() {
    // x·y ≥ 1 over [0, 1]²: false at 0. One leaf claiming plain interval evaluation.
    let mut c = forged("x*y >= 1", &[], "1");
    c.pieces = vec![sgdbounds_replay::format::PieceCert {
        charts: BTreeMap::new(),
        bounds: vec![("0".into(), "1".into()), ("0".into(), "1".into())],
        tree: vec![Node::Leaf(Method::Plain)],
        forms: vec![],
    }];
    assert!(invalid(&c).contains(
        "settled by the prover through plain interval evaluation, is not settled by the kernel"
    ));
    // nor as a vacuous cell, nor split into leaves that each claim it
    let mut h = c.clone();
    h.pieces[0].tree = vec![Node::Leaf(Method::Hypothesis)];
    assert!(invalid(&h).contains("no hypothesis certainly fails"));
    let mut s = c.clone();
    s.pieces[0].tree = vec![
        Node::Split(0, "1p-1".into()),
        Node::Leaf(Method::Plain),
        Node::Leaf(Method::Plain),
    ];
    assert!(invalid(&s).contains("cell root.0"));
    // nor by a normal form it does not have, nor case by case, nor as an identity
    for m in [
        Method::NormalForm,
        Method::Cases,
        Method::Identity,
        Method::Region,
    ] {
        let mut n = c.clone();
        n.pieces[0].tree = vec![Node::Leaf(m)];
        assert!(invalid(&n).contains("cell root"));
    }
}

#[test]
fn a_forged_scaling_is_rejected() {
    // x + y ≥ 1 is not invariant under x, y ↦ s·x, s·y: a certificate fixing x = 1 is refused
    let mut c = forged("x + y >= 1", &["x >= 1", "y > 0"], "inf");
    c.scalings = vec![sgdbounds_replay::format::ScalingCert {
        name: "both".into(),
        weights: [("x".to_string(), 1), ("y".to_string(), 1)].into(),
        fix: "x".into(),
    }];
    assert!(invalid(&c).contains("does not leave the claim and its hypotheses invariant"));
}

#[test]
fn a_hypothesis_dropped_from_the_statement_is_caught() {
    // x ≥ y over [0, 1]² under the hypothesis y ≤ x/2: proved with vacuous cells; without the
    // hypothesis those cells do not settle
    let mut c = certify(&file(
        "x >= y + 0.1",
        &["y <= x/2 - 0.2"],
        "{ x = \"0..1\", y = \"0..1\" }",
    ));
    assert_eq!(replay_claim(&c).verdict, Verdict::Valid);
    c.hypotheses.clear();
    rejected(&c);
}

/// `verify` of the built-in `files` (every file when empty) with `verify`'s defaults, recording
/// certificates, on `shard` when given.
fn built_in_batch(
    files: &[&str],
    shard: Option<sgdbounds::verify::shard::Shard>,
) -> sgdbounds::verify::batch::Batch {
    use sgdbounds::verify::batch::{BatchRequest, Plan};
    Plan::new(&BatchRequest {
        files: files.iter().map(|f| f.to_string()).collect(),
        boxes: vec![],
        claims: vec![],
        budget: 30.0,
        max_boxes: 100_000,
        samples: 4000,
        seed: 2018,
        identity_seed: Some(1),
        prec: 128,
        scaling: true,
        record: true,
        shard,
    })
    .unwrap()
    .run(&|_| {})
    .unwrap()
}

#[test]
fn every_certificate_of_the_built_in_files_replays_valid() {
    let batch = built_in_batch(&[], None);
    let (cert, without) = sgdbounds::verify::certificate::batch_certificate(&batch);
    // every proved claim has a certificate: identities and case splits included
    assert!(
        without.is_empty(),
        "proved without a certificate: {without:?}"
    );
    let proved = batch
        .results
        .iter()
        .flat_map(|(_, o)| o.iter())
        .filter(|(_, o)| o.status == sgdbounds::verify::claims::Status::Proved)
        .count();
    assert_eq!(cert.claims.len(), proved);
    assert!(proved >= 44, "{proved} proved");
    let r = replay(&cert).unwrap();
    for c in &r {
        assert_eq!(
            c.verdict,
            Verdict::Valid,
            "{}/{}: {:?}",
            c.result,
            c.claim,
            c.problem
        );
    }
    // every method of the prover is among those replayed
    let methods: std::collections::BTreeSet<&str> =
        r.iter().flat_map(|c| c.settled.keys().copied()).collect();
    for m in [
        "normal form",
        "cases of the minima and maxima",
        "identity",
        "plain interval evaluation",
    ] {
        assert!(methods.contains(m), "{m} not among {methods:?}");
    }
}

/// The built-in certificate of `claim`, as JSON.
fn built_in_claim(file: &str, claim: &str) -> ClaimCert {
    let batch = built_in_batch(&[file], None);
    let (cert, _) = sgdbounds::verify::certificate::batch_certificate(&batch);
    cert.claims.into_iter().find(|c| c.claim == claim).unwrap()
}

#[test]
fn a_tampered_normal_form_is_caught() {
    // λ > ηc and ηc > 0 with η = η_frac·c/L²: its margin is (c²η_frac/L²)·(1 − η_frac), which
    // the kernel settles only through that form (at η_frac → 0 plain evaluation fails)
    let c = built_in_claim("theorem1", "step2_lambda_above_eta_c");
    let r = replay_claim(&c);
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.problem);
    assert!(r.settled.contains_key("normal form"), "{r:?}");
    // a rest that is not the margin's: the kernel's algebra matches no form to the margin
    let mut t = c.clone();
    for p in &mut t.pieces {
        for f in &mut p.forms {
            f.rest = f.rest.replace("eta_frac", "(eta_frac/2)");
            for v in &mut f.variants {
                v.1 = v.1.replace("eta_frac", "(eta_frac/2)");
            }
        }
    }
    assert!(rejected(&t).contains("cell root"));
    // no forms at all
    let mut none = c.clone();
    for p in &mut none.pieces {
        p.forms.clear();
    }
    assert!(rejected(&none).contains("cell root"));
    // a factor with the wrong sign: the identity then fails, never a proof of the negation
    let mut neg = c.clone();
    for p in &mut neg.pieces {
        for f in &mut p.forms {
            f.factor = Some(format!("-1*({})", f.factor.clone().unwrap_or("1".into())));
        }
    }
    assert!(rejected(&neg).contains("cell root"));
    // the forms of a true claim do not prove a false one: λ > 2ηc fails everywhere
    let mut false_claim = c.clone();
    false_claim.statement = "lambda > 2*eta*c and eta*c > 0".into();
    assert!(rejected(&false_claim).contains("cell root"));
}

#[test]
fn a_forged_normal_form_for_a_false_claim_is_rejected() {
    // x/(x + x·y) ≤ 1/2 over x ∈ (0, 1], y ∈ [0, 1]: false (it is 1/(1 + y) ≥ 1/2). A leaf
    // claiming the normal form, with forms that are true algebra but prove nothing, and with
    // forms that prove the claim but are not its margin.
    let mut c = forged("x/(x + x*y) <= 1/2", &[], "1");
    c.domain[0].lo_open = true;
    let piece = |forms: Vec<(Option<&str>, &str)>| sgdbounds_replay::format::PieceCert {
        charts: BTreeMap::new(),
        bounds: vec![("0".into(), "1".into()), ("0".into(), "1".into())],
        tree: vec![Node::Leaf(Method::NormalForm)],
        forms: forms
            .into_iter()
            .map(|(f, r)| sgdbounds_replay::format::FormCert {
                factor: f.map(String::from),
                rest: r.into(),
                variants: vec![],
            })
            .collect(),
    };
    // the true margin, 1/2 − 1/(1 + y) = (y − 1)/(2(1 + y)): negative, so nothing is shown
    c.pieces = vec![piece(vec![(Some("1/(2*(1 + y))"), "y - 1")])];
    assert!(invalid(&c).contains("cell root"));
    // a positive form that is not the margin
    c.pieces = vec![piece(vec![(Some("1/(2*(1 + y))"), "y + 1")])];
    assert!(invalid(&c).contains("cell root"));
    // √((x − 1)²) expands to x − 1 only where x − 1 > 0: −√((x − 1)²) ≥ 1/2 − x has the
    // margin 1/2 there, but on [0, 1] it is false for x < 3/4; the condition is not shown
    let mut d = forged("-sqrt((x - 1)^2) >= 1 - x - 1/2", &[], "1");
    d.pieces = vec![piece(vec![(None, "1/2")])];
    assert!(invalid(&d).contains("cell root"));
    // where the condition holds, the same form proves it: x ∈ [2, 3]
    let mut e = forged("-sqrt((x - 1)^2) >= 1 - x - 1/2", &[], "3");
    e.domain[0].lo = "2".into();
    e.pieces = vec![piece(vec![(None, "1/2")])];
    e.pieces[0].bounds[0] = ("2".into(), "3".into());
    e.pieces[0].bounds[1] = ("0".into(), "3".into());
    assert_eq!(
        replay_claim(&e).verdict,
        Verdict::Valid,
        "{:?}",
        replay_claim(&e).problem
    );
}

/// Claim `c` of `text` proved on shard `k` of `n`: its certificate.
fn certify_shard(text: &str, k: u32, n: u32) -> ClaimCert {
    let (t, c) = theory_and_claim(text, "c");
    let m = Model::compile_for(t.for_claim(c), Mode::Verify).unwrap();
    let free = Model::compile_for(t.clone(), Mode::Free).unwrap();
    let o = VerifyOptions {
        shard: Some(sgdbounds::verify::shard::Shard { k, n }),
        ..opts()
    };
    let o = verify_claim(&m, &free, c, &BTreeMap::new(), &BTreeMap::new(), &o).unwrap();
    assert_eq!(o.status, Status::Proved, "{:?}", o.reason);
    assert!(o.shard.unwrap().starts_with(&format!("part {k} of {n}")));
    o.certificate.unwrap()
}

fn as_certificate(claims: Vec<ClaimCert>) -> Certificate {
    Certificate {
        format: sgdbounds_replay::format::FORMAT.into(),
        version: sgdbounds_replay::format::VERSION,
        tool: "test".into(),
        claims,
        points: vec![],
    }
}

#[test]
fn four_shards_merge_into_the_whole_domain_and_a_missing_one_is_a_gap() {
    // over x ∈ (0, 4]:log (cut toward its open end 0), y ∈ [0, 2]
    let text = file("q + 2 > 0", &[], "{ x = \"(0, 4]:log\", y = \"0..2\" }");
    let parts: Vec<Certificate> = (1..=4)
        .map(|k| as_certificate(vec![certify_shard(&text, k, 4)]))
        .collect();
    let merged = sgdbounds_replay::merge(parts.clone()).unwrap();
    assert_eq!(merged.claims.len(), 1);
    assert_eq!(replay(&merged).unwrap()[0].verdict, Verdict::Valid);
    // each part alone leaves the rest of the domain uncovered
    let alone = replay_claim(&parts[1].claims[0]);
    assert_eq!(alone.verdict, Verdict::Invalid);
    // without shard 3: the gap, with the part of the domain left
    let mut three = parts.clone();
    three.remove(2);
    let r = replay(&sgdbounds_replay::merge(three).unwrap()).unwrap();
    let p = r[0].problem.clone().unwrap();
    assert_eq!(r[0].verdict, Verdict::Invalid);
    // x ∈ (0, 4] cut at 4/16³, 4/16², 4/16: shard 3 is [1/64, 1/4]
    assert!(
        p.contains("the pieces leave x ∈ (1/64, 1/4) uncovered"),
        "{p}"
    );
    // a part stated differently is refused
    let mut other = parts.clone();
    other[3].claims[0].constants.insert("k".into(), "2".into());
    assert!(
        sgdbounds_replay::merge(other)
            .unwrap_err()
            .contains("stated differently")
    );
}

#[test]
fn sharded_built_in_runs_agree_with_the_whole_run() {
    let run = |shard| built_in_batch(&["theorem3", "corollary2"], shard);
    let whole = run(None);
    let verdicts = |c: &Certificate| -> Vec<(String, Verdict)> {
        replay(c)
            .unwrap()
            .into_iter()
            .map(|r| (r.claim, r.verdict))
            .collect()
    };
    let (cert, _) = sgdbounds::verify::certificate::batch_certificate(&whole);
    let mut parts = Vec::new();
    for k in 1..=4 {
        let b = run(Some(sgdbounds::verify::shard::Shard { k, n: 4 }));
        // every claim has the status it has in the whole run
        for ((_, w), (_, s)) in whole.results.iter().zip(&b.results) {
            for ((_, a), (_, b)) in w.iter().zip(s) {
                assert_eq!(a.status, b.status);
            }
        }
        parts.push(sgdbounds::verify::certificate::batch_certificate(&b).0);
    }
    let merged = sgdbounds_replay::merge(parts).unwrap();
    assert_eq!(verdicts(&merged), verdicts(&cert));
}

/// Certificates written by a hostile review of the kernel (2026-12-02), in
/// `tests/data/kernel/`: each claim false at a point of its domain (checked with exact
/// rationals when they were written), or a certificate built to crash or stall the kernel,
/// must be invalid, with the reason given; the true ones among them (identities that hold on
/// their domain, roots of large primes) must stay valid.
#[test]
fn the_hostile_review_of_the_kernel_stays_rejected() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kernel");
    let read = |name: &str| -> Certificate {
        let text = std::fs::read_to_string(format!("{dir}/{name}.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    // file, the false point, what the kernel now says
    let rejected = [
        // a constant named like a coordinate read in an exponent: 2^x ≤ 4, false at x = 3
        ("const_shadow", "is both a coordinate and a constant"),
        // a scaling fixing L over [0, ∞) closed at 0: L > 0 false at L = 0
        ("fix_closed_zero", "whose range is not (0, ∞)"),
        // an integer split of a coordinate a scaling moves: t ≥ L false at L = 2, t = 1
        ("int_split_scaled", "an integer split"),
        // an integer split in u of a chart t = 3/u: (t − 2)² > 0 false at t = 2
        ("int_split_chart", "an integer split"),
        // a coordinate listed twice, one entry integer: (x − 1/2)² > 0 false at x = 1/2
        ("dup_coord_integer", "listed twice"),
        // no pieces at all (once an index out of bounds)
        ("no_pieces", "no pieces"),
        // (10^100·x)^(2^31 − 1): once a GMP overflow abort
        ("huge_power", "an integer power past 65536"),
        // √ and powers of squares where the base is negative on the cell
        ("id_sqrt_sq_neg", ""),
        ("id_sqrt_xx_neg", ""),
        ("id_sqrt_prod_neg", ""),
        ("id_sqrt_neg_neg", ""),
        ("id_sqrt_div", ""),
        ("id_sqrtsqrt", ""),
        ("id_pow_2_3", ""),
        ("id_pow_2_3b", ""),
        ("id_pow_neg_sum", ""),
        ("id_sqrt_sum_sq", ""),
        ("id_sqrt_sum_sq3", ""),
        ("id_sq_over_cells", ""),
        ("id_cbrt_neg", ""),
        // opaque functions are not rewritten: |x − y| = |y − x|, log xy = log x + log y,
        // max(x, y) = min(y, x) are not the algebra's identities
        ("id_abs_swap", ""),
        ("id_log_opaque", ""),
        ("id_minmax", ""),
        // x/x = 1 on [0, 1]: undefined at 0
        ("id_div_cancel_zero", "not shown defined"),
        // x < x through an identity leaf
        ("id_strict_ident", ""),
        ("short_tree", "cell root.0"),
        // a cell halved at a midpoint finer than its ends: −x once rounded inward at the
        // coarser end's precision; max(9x/4 − 5/2 − 4u, 2 + 3u) ≥ x with u = 2⁻³⁰ is false
        // at x = 2 + 3.1u
        ("mixprec_neg", "not settled by the kernel"),
        ("ctl_mixprec_m", "not settled by the kernel"),
    ];
    for (name, why) in rejected {
        let r = replay(&read(name)).unwrap();
        let c = &r[0];
        assert_eq!(c.verdict, Verdict::Invalid, "{name}: accepted");
        let p = c.problem.clone().unwrap_or_default();
        assert!(p.contains(why), "{name}: {p}");
    }
    // true on their domains: √((y − x)²) = y − x where y > x, roots of primes past 2^32, a
    // split at u = 0 of a chart (the cell u = 0 is no point of the domain), √ of a 60-level
    // chain of squares (once 2^59 recursive calls)
    for name in [
        "id_sqrt_sum_sq2",
        "id_lit_bigprime",
        "id_lit_bigprod",
        "chart_zero_cell",
        "root_dag",
        // 300 terms x^(65536 − i) at 4096 bits (powers once taken by 65535 products each)
        "claim_powi",
    ] {
        let r = replay(&read(name)).unwrap();
        assert_eq!(r[0].verdict, Verdict::Valid, "{name}: {:?}", r[0].problem);
    }
    // points: ((x^65536)^65536)^65536 > 0 at x = 3 (once an exact power of 2^48 digits, a
    // GMP abort) holds by intervals; a precision of 2^20 bits is refused
    let tower = sgdbounds_replay::replay_points(&read("pt_exact_tower"));
    assert_eq!(tower[0].verdict, Verdict::Valid, "{:?}", tower[0].problem);
    let prec = sgdbounds_replay::replay_points(&read("pt_powi_prec"));
    assert_eq!(prec[0].verdict, Verdict::Invalid);
    assert!(prec[0].problem.as_ref().unwrap().contains("precision"));
}

#[test]
fn a_tree_sixty_thousand_splits_deep_is_refused_without_exhausting_memory() {
    // once 4 GB of cell names and an abort
    let mut c = forged("x + y >= 0", &[], "1");
    let mut tree: Vec<Node> = (0..60_000).map(|_| Node::Split(0, "1p-1".into())).collect();
    tree.extend((0..60_001).map(|_| Node::Leaf(Method::Plain)));
    c.pieces = vec![sgdbounds_replay::format::PieceCert {
        charts: BTreeMap::new(),
        bounds: vec![("0".into(), "1".into()), ("0".into(), "1".into())],
        tree,
        forms: vec![],
    }];
    assert!(invalid(&c).contains("a tree deeper than 4096 splits"));
}

#[test]
fn a_chain_of_a_hundred_thousand_definitions_is_refused_not_a_stack_overflow() {
    let mut c = forged("d99999 >= 0", &[], "1");
    c.definitions = (0..100_000)
        .map(|i| {
            let text = if i == 0 {
                "x".to_string()
            } else {
                format!("d{} + 1", i - 1)
            };
            (format!("d{i}"), text)
        })
        .collect();
    c.pieces = vec![sgdbounds_replay::format::PieceCert {
        charts: BTreeMap::new(),
        bounds: vec![("0".into(), "1".into()), ("0".into(), "1".into())],
        tree: vec![Node::Leaf(Method::Plain)],
        forms: vec![],
    }];
    assert!(invalid(&c).contains("definitions chained more than 256 deep"));
    // a long chain within the limit is fine
    c.definitions.truncate(200);
    c.statement = "d199 >= 0".into();
    assert_eq!(replay_claim(&c).verdict, Verdict::Valid);
}
