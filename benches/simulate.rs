//! The simulation issues' workloads, scaled down so that criterion can repeat them, each on the
//! compiled road (the objective's gradient and step compiled to AVX2 code at run time) and on
//! the interpreter at the machine's widest vector width:
//!
//! - `expression`: `x^2 + 0.5*(1 - cos(30*x))`, noise uniform on [−20, 20], η = 0.01, starts
//!   uniform in [−5, 5]; 1,000 trials × 10,000 steps per iteration (10⁷ steps);
//! - `spiky`: the closed-form spiky objective, the same run;
//! - `quadratic_d100_ball`: a/2·‖x‖² in 100 dimensions, a = 1, noise uniform in the ball of
//!   radius 1, η = 0.05; 128 trials × 200 steps (2.56·10⁴ trial-steps of 100 coordinates);
//! - `expression_2d`: `(x1^2 + x2^2)/2 + 0.3*(2 - cos(7*x1) - cos(7*x2))`, noise uniform in
//!   the disc of radius 3, η = 0.01; 256 trials × 2,000 steps.
//!
//! Run with `cargo bench --bench simulate`; the full workloads against NumPy and Numba are in
//! BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sgdbounds::sim::{
    ExprObjective, Noise, Objective, Path, RunSpec, Spiky, Stage, Start, jit, run_on,
};

fn spec(objective: Objective, eta: f64, steps: u64, noise: Noise, trials: u64) -> RunSpec {
    let d = objective.dim();
    RunSpec {
        objective,
        stages: vec![Stage { eta, steps, noise }],
        start: Start::Box { lo: -5.0, hi: 5.0 },
        x_star: vec![0.0; d],
        trials,
        seed: 2018,
        checkpoints: vec![],
        window: None,
        trace_trials: 0,
        domain: None,
        conditional_at: None,
    }
}

/// The interpreter at the widest width this machine has.
fn interpreter() -> Path {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            return Path::Avx512;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return Path::Avx2;
        }
    }
    Path::Sse2
}

fn simulate(c: &mut Criterion) {
    let expr = |t: &str, d| Objective::Expr(Box::new(ExprObjective::new(t, d).unwrap()));
    let workloads = [
        (
            "expression",
            spec(
                expr("x^2 + 0.5*(1 - cos(30*x))", 1),
                0.01,
                10_000,
                Noise::Uniform { s: 20.0 },
                1_000,
            ),
        ),
        (
            "spiky",
            spec(
                Objective::Spiky(Spiky::FIG3),
                0.01,
                10_000,
                Noise::Uniform { s: 20.0 },
                1_000,
            ),
        ),
        (
            "quadratic_d100_ball",
            spec(
                Objective::Quadratic { a: 1.0, dim: 100 },
                0.05,
                200,
                Noise::Uniform { s: 1.0 },
                128,
            ),
        ),
        (
            "expression_2d",
            spec(
                expr("(x1^2 + x2^2)/2 + 0.3*(2 - cos(7*x1) - cos(7*x2))", 2),
                0.01,
                2_000,
                Noise::Uniform { s: 3.0 },
                256,
            ),
        ),
    ];
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    let mut roads = vec![("interpreted", interpreter())];
    if jit::supported() {
        roads.insert(0, ("compiled", Path::Compiled));
    }
    for (name, s) in &workloads {
        group.throughput(Throughput::Elements(s.trials * s.stages[0].steps));
        for (road, path) in &roads {
            group.bench_function(format!("{name}/{road}"), |b| {
                b.iter(|| {
                    let r = run_on(s, *path, &|_| {}).expect("the road is available");
                    r.iter().filter(|t| t.x_final[0].abs() <= 0.5).count()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, simulate);
criterion_main!(benches);
