//! The prover on Lemma 5: the claims of Appendix B's first chain and the lemma's statement, over
//! the box of proofs/lemma5.toml. Run with `cargo bench --bench prover`.

use criterion::{Criterion, criterion_group, criterion_main};
use sgdbounds::theory::{Mode, Model, Theory};
use sgdbounds::verify::{Status, VerifyOptions, verify_claim};
use std::collections::BTreeMap;
use std::time::Duration;

fn lemma5(c: &mut Criterion) {
    let theory = Theory::builtin("lemma5").unwrap();
    let free = Model::compile_for(theory.clone(), Mode::Free).unwrap();
    let opts = VerifyOptions {
        budget: Duration::from_secs(60),
        max_boxes: 1_000_000,
        ..VerifyOptions::default()
    };
    let mut group = c.benchmark_group("prover_lemma5");
    group.sample_size(10);
    for name in ["B1_step3", "term1_within_third", "lemma5"] {
        let ci = theory.claims.iter().position(|x| x.name == name).unwrap();
        let model = Model::compile_for(theory.for_claim(ci), Mode::Verify).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                let o = verify_claim(&model, &free, ci, &BTreeMap::new(), &BTreeMap::new(), &opts)
                    .unwrap();
                assert_eq!(o.status, Status::Proved);
                o.boxes
            })
        });
    }
    group.finish();
}

criterion_group!(benches, lemma5);
criterion_main!(benches);
