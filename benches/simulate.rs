//! The simulation issue's workload, scaled down so that criterion can repeat it: the expression
//! objective `x^2 + 0.5*(1 - cos(30*x))`, noise uniform on [−20, 20], η = 0.01, starts uniform
//! in [−5, 5]; 1,000 trials × 10,000 steps per iteration (10⁷ steps), on all cores, plus the
//! closed-form spiky objective for comparison. Run with `cargo bench --bench simulate`; the
//! full workload against NumPy is in BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sgdbounds::sim::{ExprObjective, Noise, Objective, RunSpec, Spiky, Stage, Start, run};

fn spec(objective: Objective) -> RunSpec {
    RunSpec {
        objective,
        stages: vec![Stage {
            eta: 0.01,
            steps: 10_000,
            noise: Noise::Uniform { s: 20.0 },
        }],
        start: Start::Box { lo: -5.0, hi: 5.0 },
        x_star: vec![0.0],
        trials: 1_000,
        seed: 2018,
        checkpoints: vec![],
        window: None,
        trace_trials: 0,
    }
}

fn simulate(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulate");
    group.sample_size(20);
    group.throughput(Throughput::Elements(10_000_000));
    let expr = ExprObjective::new("x^2 + 0.5*(1 - cos(30*x))", 1).unwrap();
    for (name, objective) in [
        ("expression", Objective::Expr(Box::new(expr))),
        ("spiky", Objective::Spiky(Spiky::FIG3)),
    ] {
        let s = spec(objective);
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = run(&s, &|_| {});
                r.iter().filter(|t| t.x_final[0].abs() <= 0.5).count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, simulate);
criterion_main!(benches);
