//! Inputs that are too large: proofs files load and compile in time linear in their size and
//! refuse what is past their limits, naming the limit; a claim is verified in a model cut down
//! to what it needs; simulations and estimates are sized before they run. No wall-clock
//! assertions: sizes, counts and messages only.

use rug::Rational;
use sgdbounds::Error;
use sgdbounds::expr::{F64Eval, RationalEval};
use sgdbounds::sim::estimate::{EstimateSpec, estimate};
use sgdbounds::sim::{Noise, Objective, RunSpec, Stage, Start, run, try_run};
use sgdbounds::theory::{self, Mode, Model, Theory};
use std::fmt::Write;

const HEAD: &str = "[result]\nname = \"big\"\ntitle = \"big\"\ncite = \"test\"\n\n[[parameter]]\nname = \"x\"\nsymbol = \"x\"\nmeaning = \"x\"\ndomain = \"x > 0\"\n\n[verify]\nbox = { x = \"1..2\" }\n";

/// A chain of `n` definitions, d_i = d_{i−1} + (i + 1) (each with a literal of its own), and
/// `claims` claims on the last one.
fn chain(n: usize, claims: usize) -> String {
    let mut t = String::from(HEAD);
    for i in 0..n {
        let prev = if i == 0 {
            "x".to_string()
        } else {
            format!("d{}", i - 1)
        };
        let _ = write!(
            t,
            "\n[[definition]]\nname = \"d{i}\"\nexpr = \"{prev} + {}\"\nmeaning = \"step {i}\"\ncite = \"chain\"\n",
            i + 1
        );
    }
    for i in 0..claims {
        let _ = write!(
            t,
            "\n[[claim]]\nname = \"c{i}\"\nexpr = \"d{} + {i} >= 0\"\ncite = \"claim {i}\"\n",
            n - 1
        );
    }
    t
}

fn broken(text: &str) -> String {
    match Theory::parse(text, "big.toml") {
        Err(e @ Error::Proofs { .. }) => e.to_string(),
        Err(e) => panic!("not a proofs-file error: {e}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn a_chain_of_20000_definitions_loads_and_compiles() {
    let text = chain(20_000, 3);
    assert!(text.len() > 1_500_000, "{}", text.len());
    let t = Theory::parse(&text, "big.toml").unwrap();
    assert_eq!(t.definitions.len(), 20_000);
    let m = Model::compile(t).unwrap();
    // One literal per definition (1..=20000) and the claims' 0, each found again rather than
    // added twice; about one instruction per definition and literal.
    assert_eq!(m.tape.consts.len(), 20_001);
    assert!(m.tape.len() < 3 * 20_000 + 100, "{}", m.tape.len());
    // d_{n−1} = x + n(n+1)/2, exactly.
    let mut ev = RationalEval::new(&m.tape);
    ev.run(&m.tape, &[Rational::from(1)]);
    let last = m.def_regs[19_999];
    assert_eq!(ev.get(last), Some(&Rational::from(1 + 20_000 * 20_001 / 2)));
    assert_eq!(m.definition_index("d12345"), Some(12_345));
}

#[test]
fn errors_deep_in_a_large_file_name_their_line() {
    let mut text = chain(5_000, 0);
    let line = text.lines().count() + 3;
    text.push_str(
        "\n[[definition]]\nname = \"9bad\"\nexpr = \"x\"\nmeaning = \"m\"\ncite = \"c\"\n",
    );
    let e = broken(&text);
    assert!(e.contains(&format!("\n{line} | name = \"9bad\"\n")), "{e}");
    let mut text = chain(5_000, 0);
    let line = text.lines().count() + 4;
    text.push_str("\n[[definition]]\nname = \"late\"\nexpr = \"d4999 + nosuch\"\nmeaning = \"m\"\ncite = \"c\"\n");
    let e = Theory::parse(&text, "big.toml")
        .and_then(Model::compile)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("nosuch") && e.contains(&format!("line {line})")),
        "{e}"
    );
}

#[test]
fn proofs_files_past_their_limits_are_refused_with_the_limit() {
    // parameters
    let mut t = String::from("[result]\nname = \"p\"\ntitle = \"p\"\ncite = \"c\"\n");
    for i in 0..=theory::MAX_PARAMETERS {
        let _ = write!(
            t,
            "\n[[parameter]]\nname = \"p{i}\"\nsymbol = \"p\"\nmeaning = \"m\"\n"
        );
    }
    let e = broken(&t);
    assert!(e.contains("1001 parameters; at most 1000"), "{e}");
    // claims
    let mut t = String::from(HEAD);
    for i in 0..=theory::MAX_CLAIMS {
        let _ = write!(
            t,
            "\n[[claim]]\nname = \"c{i}\"\nexpr = \"x>0\"\ncite = \"\"\n"
        );
    }
    let e = broken(&t);
    assert!(e.contains("50001 claims; at most 50000"), "{e}");
    // claims × the standing hypotheses they use without a `uses` list
    let mut t = String::from(HEAD);
    for i in 0..2_001 {
        let _ = write!(
            t,
            "\n[[hypothesis]]\nname = \"h{i}\"\nexpr = \"x>0\"\ncite = \"\"\n"
        );
    }
    for i in 0..1_000 {
        let _ = write!(
            t,
            "\n[[claim]]\nname = \"c{i}\"\nexpr = \"x>0\"\ncite = \"\"\n"
        );
    }
    let e = broken(&t);
    assert!(e.contains("at most 2000000") && e.contains("`uses`"), "{e}");
    // the same with short `uses` lists is accepted
    let t = t.replace(
        "expr = \"x>0\"\ncite = \"\"\n\n[[claim]]",
        "expr = \"x>0\"\ncite = \"\"\nuses = [\"h0\"]\n\n[[claim]]",
    );
    let t = format!("{t}uses = [\"h0\"]\n");
    if let Err(e) = Theory::parse(&t, "big.toml") {
        panic!("{e}");
    }
    // the size of the text
    let t = format!("{HEAD}#{}\n", "x".repeat(4 << 20));
    let e = broken(&t);
    assert!(e.contains("at most 4194304 (4 MiB)"), "{e}");
}

#[test]
fn a_claim_is_verified_in_a_model_of_what_it_needs() {
    // 2000 claims on one chain: each claim's model holds its own claim and the chain, not the
    // other claims.
    let t = Theory::parse(&chain(50, 2_000), "big.toml").unwrap();
    let m = Model::compile_for(t, Mode::Verify).unwrap();
    assert!(m.tape.len() > 4_000, "{}", m.tape.len());
    for c in [0, 999, 1_999] {
        let cut = m.only_claim(c);
        assert!(cut.tape.len() < 120, "claim {c}: {}", cut.tape.len());
        assert_eq!(cut.claims.len(), 1);
        assert_eq!(cut.theory.claims[0].name, format!("c{c}"));
        assert_eq!(cut.coords, m.coords);
    }
    // On the built-in results, both sides of every claim and every hypothesis it uses have the
    // same value in the cut model as in the whole one.
    for name in theory::builtin_names() {
        let m = Model::compile_for(Theory::builtin(name).unwrap(), Mode::Verify).unwrap();
        let inputs: Vec<f64> = (0..m.tape.inputs.len())
            .map(|k| {
                m.theory
                    .constants
                    .iter()
                    .position(|c| m.tape.inputs[k] == c.name)
                    .map_or(0.37 + 0.01 * k as f64, |i| {
                        m.theory.constants[i].value.to_f64()
                    })
            })
            .collect();
        let mut whole = F64Eval::new(&m.tape);
        whole.run(&m.tape, &inputs);
        for c in 0..m.claims.len() {
            let cut = m.only_claim(c);
            let mut ev = F64Eval::new(&cut.tape);
            ev.run(&cut.tape, &inputs);
            let pairs = m.claims[c].parts.iter().zip(&cut.claims[0].parts);
            let uses = &m.theory.claims[c].uses;
            let hyps = uses.iter().filter_map(|h| {
                let i = m.hypothesis_index(h)?;
                let j = cut.hypothesis_index(h)?;
                Some((&m.hypotheses[i], &cut.hypotheses[j]))
            });
            let hyp_pairs = hyps.flat_map(|(a, b)| a.parts.iter().zip(&b.parts));
            for (a, b) in pairs.chain(hyp_pairs) {
                for (x, y) in [(a.lhs, b.lhs), (a.rhs, b.rhs)] {
                    let (x, y) = (whole.get(x), ev.get(y));
                    assert!(
                        x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                        "{name}/{c}: {x} vs {y}"
                    );
                }
            }
            assert_eq!(cut.hypotheses.len(), uses.len(), "{name}/{c}");
        }
    }
}

fn spec(trials: u64, steps: u64, dim: usize, trace: u64) -> RunSpec {
    RunSpec {
        objective: Objective::Quadratic { a: 1.0, dim },
        stages: vec![Stage {
            eta: 0.1,
            steps,
            noise: Noise::Uniform { s: 1.0 },
        }],
        start: Start::Point(vec![1.0; dim]),
        x_star: vec![0.0; dim],
        trials,
        seed: 1,
        checkpoints: vec![0, steps / 2],
        window: None,
        trace_trials: trace,
        domain: None,
        conditional_at: None,
    }
}

#[test]
fn simulations_are_sized_before_they_run() {
    // 2^32 trials need terabytes: refused before anything is allocated.
    let big = spec(1 << 32, 1000, 1, 0);
    let need = big.memory().get().unwrap();
    assert!(need > 1 << 40, "{need}");
    let e = try_run(&big, &|_| {}).unwrap_err();
    assert!(matches!(e, Error::Memory { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("4294967296 trials (--trials)") && msg.contains("available"),
        "{msg}"
    );
    // Every step of traced trials counts, and overflow is "too much", not a wrap-around.
    let traced = spec(1, 1 << 40, 1, 1);
    assert!(traced.memory().get().unwrap() > 1 << 45);
    let mut huge = spec(1 << 32, u64::MAX, 1000, 1 << 32);
    huge.stages.push(huge.stages[0].clone());
    assert_eq!(huge.total_steps(), None);
    assert_eq!(huge.memory().get(), None);
    assert_eq!(huge.work(), None);
    // The work: trials × steps × operations per step.
    let s = spec(100, 1000, 3, 0);
    assert_eq!(s.objective.ops_per_step(), 3 + 2 * 3);
    assert_eq!(s.work(), Some(100 * 1000 * 9));
    // A small run goes through, and progress adds up to trials × steps.
    let s = spec(70, 20_000, 1, 2);
    let done = std::sync::atomic::AtomicU64::new(0);
    let r = try_run(&s, &|n| {
        done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(r.len(), 70);
    assert_eq!(r[1].trace.len(), 20_000);
    assert_eq!(done.into_inner(), 70 * 20_000);
    assert_eq!(run(&s, &|_| {})[69].x_final, r[69].x_final);
}

fn estimate_spec(radius: f64, x_star: f64) -> EstimateSpec {
    EstimateSpec {
        objective: Objective::Quadratic { a: 1.0, dim: 1 },
        eta: 0.1,
        noise: Noise::Uniform { s: 1.0 },
        x_star: vec![x_star],
        center: vec![x_star],
        radius,
        points: 2001,
        draws: 10,
        exclude: radius / 1000.0,
        delta: 1e-6,
        seed: 1,
    }
}

#[test]
fn estimates_refuse_radii_that_overflow_or_vanish() {
    // R = 1e308: 2R overflowed to infinity, every secant was NaN, and L came out as 0.
    for r in [1e308, 1e200, f64::MAX] {
        let e = estimate(&estimate_spec(r, 0.0), &|_| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("--radius") && e.contains("too large"), "{e}");
    }
    let e = estimate(&estimate_spec(1e-300, 1.0), &|_| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("too small"), "{e}");
    // The largest radius accepted gives numbers: L = c = a = 1 for the quadratic.
    let r = 1e150;
    let est = estimate(&estimate_spec(r, 0.0), &|_| {}).unwrap();
    assert!(
        (est.l - 1.0).abs() < 1e-9 && (est.c - 1.0).abs() < 1e-9,
        "{est:?}"
    );
    assert!(est.max_dist2.is_finite());
    // An objective whose gradient overflows on D is an error, not ∞ or 0.
    let mut s = estimate_spec(1e120, 0.0);
    s.objective = Objective::named("x^4", 1, 1.0).unwrap();
    let e = estimate(&s, &|_| {}).unwrap_err().to_string();
    assert!(
        e.contains("not be a number") && e.contains("smaller --radius"),
        "{e}"
    );
    // Every point excluded: no infimum to report.
    let mut s = estimate_spec(1.0, 0.0);
    s.exclude = 10.0;
    let e = estimate(&s, &|_| {}).unwrap_err().to_string();
    assert!(e.contains("--exclude"), "{e}");
}

#[test]
fn dimensions_out_of_range_are_refused_not_clamped() {
    for (name, dim) in [
        ("quadratic", 0),
        ("quadratic", 1_000_000_000),
        ("x1 + x2", 0),
    ] {
        let e = Objective::named(name, dim, 1.0).unwrap_err().to_string();
        assert!(e.contains("between 1 and 1000"), "{name} {dim}: {e}");
    }
    let e = Objective::named("bowl", 3, 1.0).unwrap_err().to_string();
    assert!(e.contains("one variable"), "{e}");
    assert_eq!(
        Objective::named("quadratic", 1000, 1.0).unwrap().dim(),
        1000
    );
}
