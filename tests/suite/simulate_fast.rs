//! `simulate`'s roads: the objectives compiled to native code and the interpreter at every
//! vector width this machine has must give bit-identical results, with any number of threads;
//! forcing a road the machine or the objective does not allow is a clear usage error.

use super::common::bin;
use sgdbounds::sim::jit;
use sgdbounds::sim::{
    ExprObjective, Noise, Objective, Path, Ripple, RunSpec, Spiky, Stage, Start, TrialResult,
    run_on,
};

fn expr(text: &str, dim: usize) -> Objective {
    Objective::Expr(Box::new(ExprObjective::new(text, dim).unwrap()))
}

/// A run that exercises every part of a batch: two stages (the second without noise), the
/// fused 1-D step between records, checkpoints, a window, traced trials and a last partial
/// batch.
fn spec(objective: Objective, noise: Noise, start: Start, trials: u64) -> RunSpec {
    let d = objective.dim();
    RunSpec {
        objective,
        stages: vec![
            Stage {
                eta: 0.01,
                steps: 300,
                noise,
            },
            Stage {
                eta: 0.003,
                steps: 40,
                noise: Noise::None,
            },
        ],
        start,
        x_star: vec![0.25; d],
        trials,
        seed: 7,
        checkpoints: vec![0, 17, 150, 339],
        window: Some((100, 200)),
        trace_trials: 3,
        domain: None,
        conditional_at: None,
    }
}

/// Every number of a result, as bits (every NaN as one), for comparisons.
fn bits(rs: &[TrialResult]) -> Vec<Vec<u64>> {
    let b = |v: f64| {
        if v.is_nan() { u64::MAX } else { v.to_bits() }
    };
    rs.iter()
        .map(|r| {
            let mut v: Vec<u64> = r.x_final.iter().map(|&x| b(x)).collect();
            v.push(b(r.y0_dist2));
            v.push(b(r.at_t1));
            v.push(b(r.max_in_window));
            v.extend(r.at_checkpoints.iter().map(|&x| b(x)));
            v.extend(r.stage_end.iter().map(|&x| b(x)));
            for (si, t, x, d2) in &r.trace {
                v.push(*si as u64);
                v.push(*t);
                v.extend(x.iter().map(|&x| b(x)));
                v.push(b(*d2));
            }
            v
        })
        .collect()
}

fn interpreters() -> Vec<Path> {
    let mut p = vec![Path::Sse2];
    if std::arch::is_x86_feature_detected!("avx2") {
        p.push(Path::Avx2);
    }
    if std::arch::is_x86_feature_detected!("avx512f") {
        p.push(Path::Avx512);
    }
    p
}

fn on_threads<R: Send>(n: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(f)
}

/// Holds every road (and 1 or 2 threads on the compiled one) to the SSE2 interpreter, bit for
/// bit.
fn all_roads_agree(s: &RunSpec) {
    let name = s.objective.describe();
    let want = bits(&run_on(s, Path::Sse2, &|_| {}).unwrap());
    for p in interpreters() {
        let got = bits(&run_on(s, p, &|_| {}).unwrap());
        assert!(got == want, "{name}: {p:?} differs from SSE2");
    }
    if jit::supported() {
        for threads in [1, 2] {
            let got = on_threads(threads, || {
                bits(&run_on(s, Path::Compiled, &|_| {}).unwrap())
            });
            assert!(
                got == want,
                "{name}: the compiled road on {threads} thread(s) differs from SSE2"
            );
        }
        let auto = bits(&run_on(s, Path::Auto, &|_| {}).unwrap());
        assert!(auto == want, "{name}: the default road differs");
    }
}

#[test]
fn compiled_and_interpreted_roads_agree_bit_for_bit() {
    let box5 = || Start::Box { lo: -5.0, hi: 5.0 };
    let u = |s| Noise::Uniform { s };
    let cases: Vec<(Objective, Noise, Start)> = vec![
        (expr("x^2 + 0.5*(1 - cos(30*x))", 1), u(20.0), box5()),
        (Objective::Spiky(Spiky::FIG3), u(5.0), box5()),
        (Objective::Ripple(Ripple::BOWL), u(2.0), box5()),
        (Objective::Quadratic { a: 0.7, dim: 3 }, u(1.5), box5()),
        (
            Objective::Quadratic { a: 1.3, dim: 2 },
            Noise::Gaussian { s: 1.0, sigma: 0.5 },
            box5(),
        ),
        (
            expr("x1^4/4 + sin(x1*x2) + cos(x2)^3 - x1*x2/7", 2),
            u(0.5),
            Start::Box { lo: -2.0, hi: 2.0 },
        ),
        (
            expr("(x1^2 + x2^2)/2 + 0.3*(2 - cos(7*x1) - cos(7*x2))", 2),
            u(3.0),
            box5(),
        ),
        (
            expr(
                "x^6/6 - x^5/5 + x^3/3 + x^(-2)/100 + 1/(x^2 + 1) + x^8/1000",
                1,
            ),
            u(1.0),
            Start::Box { lo: 0.5, hi: 1.5 },
        ),
        (
            expr("sqrt(x^2 + 1) + sin(sin(3*x)) - cos(x/3)", 1),
            u(4.0),
            box5(),
        ),
        // the sine's argument leaves the fast range (and becomes NaN): vectors the kernels
        // leave to the interpreter
        (
            expr("x^2/2 + sin(1e9*x)/1e9", 1),
            u(1.0),
            Start::Box { lo: -0.5, hi: 0.5 },
        ),
        (
            expr("x^4 + cos(x^3)", 1),
            u(1.0),
            Start::Box {
                lo: -30.0,
                hi: 30.0,
            },
        ),
        (
            expr("sqrt(x) + sin(x)", 1),
            u(1.0),
            Start::Box { lo: -1.0, hi: 1.0 },
        ),
        (
            expr(
                "x1^2 + x2^2 + x3^2 + x4^2 + x5^2 + sin(x1 + x2 + x3 + x4 + x5)",
                5,
            ),
            u(0.5),
            box5(),
        ),
        (expr("x^2 + 0.5*(1 - cos(30*x))", 1), Noise::None, box5()),
    ];
    for (obj, noise, start) in cases {
        all_roads_agree(&spec(obj, noise, start, 70));
    }
}

#[test]
fn the_compiled_road_covers_the_benchmark_and_the_built_in_objectives() {
    if !jit::supported() {
        return;
    }
    for obj in [
        expr("x^2 + 0.5*(1 - cos(30*x))", 1),
        expr("(x1^2 + x2^2)/2 + 0.3*(2 - cos(7*x1) - cos(7*x2))", 2),
        Objective::Spiky(Spiky::FIG3),
        Objective::Ripple(Ripple::BOWL),
        Objective::Quadratic { a: 1.0, dim: 100 },
    ] {
        let k = jit::Kernels::new(&obj).expect("compiled");
        assert_eq!(k.step.is_some(), obj.dim() == 1);
    }
    // not covered: the interpreter takes these
    for text in ["exp(x)", "x*log(1 + x^2)", "min(x, 1)^2", "2^x", "x*abs(x)"] {
        assert!(jit::Kernels::new(&expr(text, 1)).is_none(), "{text}");
    }
}

#[test]
fn uncovered_objectives_fall_back_to_the_interpreter_by_default() {
    let s = spec(
        expr("x^2 + exp(-x^2)", 1),
        Noise::Uniform { s: 1.0 },
        Start::Box { lo: -2.0, hi: 2.0 },
        10,
    );
    let want = bits(&run_on(&s, Path::Sse2, &|_| {}).unwrap());
    assert_eq!(bits(&run_on(&s, Path::Auto, &|_| {}).unwrap()), want);
    if jit::supported() {
        let e = run_on(&s, Path::Compiled, &|_| {}).unwrap_err().to_string();
        assert!(e.contains("does not cover"), "{e}");
    }
}

const BENCH: &[&str] = &[
    "simulate",
    "--objective",
    "x^2 + 0.5*(1 - cos(30*x))",
    "--eta",
    "0.01",
    "--s",
    "20",
    "--steps",
    "2000",
    "--trials",
    "300",
    "--start-box",
    "-5..5",
    "--within",
    "0.5",
    "--json",
];

fn cli(path: Option<&str>, threads: &str, args: &[&str]) -> (i32, Vec<u8>, String) {
    let mut c = bin();
    c.args(args).env("RAYON_NUM_THREADS", threads);
    match path {
        Some(p) => c.env("SGDBOUNDS_SIM_PATH", p),
        None => c.env_remove("SGDBOUNDS_SIM_PATH"),
    };
    let o = c.output().expect("the binary runs");
    (
        o.status.code().unwrap_or(-1),
        o.stdout,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn forced_roads_print_the_same_bytes_with_one_or_two_threads() {
    let (code, want, err) = cli(Some("sse2"), "1", BENCH);
    assert_eq!(code, 0, "{err}");
    let mut roads = vec![None, Some("sse2")];
    if std::arch::is_x86_feature_detected!("avx2") {
        roads.extend([Some("avx2"), Some("compiled")]);
    }
    if std::arch::is_x86_feature_detected!("avx512f") {
        roads.push(Some("avx512"));
    }
    for road in roads {
        for threads in ["1", "2"] {
            let (code, got, err) = cli(road, threads, BENCH);
            assert_eq!(code, 0, "{road:?}: {err}");
            assert!(
                got == want,
                "{road:?} on {threads} thread(s) printed other bytes"
            );
        }
    }
}

#[test]
fn a_bad_or_impossible_road_is_a_usage_error() {
    let (code, out, err) = cli(Some("fastest"), "1", BENCH);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("SGDBOUNDS_SIM_PATH") && err.contains("expected auto"),
        "{err}"
    );
    if jit::supported() {
        let mut args = BENCH.to_vec();
        args[2] = "x^2 + exp(x)";
        let (code, _, err) = cli(Some("compiled"), "1", &args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("does not cover"), "{err}");
    }
    if !std::arch::is_x86_feature_detected!("avx512f") {
        let (code, _, err) = cli(Some("avx512"), "1", BENCH);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("AVX-512"), "{err}");
    }
}
