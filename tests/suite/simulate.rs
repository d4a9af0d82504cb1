//! `simulate`: determinism, Theorem 1's one-step contraction and events on the quadratic, and the
//! qualitative claims of Figure 3 on the spiky function, as assertions on seeded runs.

use super::common::{run, snapshots};
use serde_json::Value as Json;
use sgdbounds::sim::stats::quantile;
use sgdbounds::sim::{Noise, Objective, Ripple, RunSpec, Spiky, Stage, Start, run as simulate};

fn spec(objective: Objective, stages: Vec<Stage>, start: Start, trials: u64) -> RunSpec {
    let d = objective.dim();
    RunSpec {
        objective,
        stages,
        start,
        x_star: vec![0.0; d],
        trials,
        seed: 42,
        checkpoints: vec![],
        window: None,
        trace_trials: 0,
        domain: None,
        conditional_at: None,
    }
}

fn finals(s: &RunSpec) -> Vec<f64> {
    simulate(s, &|_| {}).iter().map(|r| r.x_final[0]).collect()
}

#[test]
fn same_seed_same_result_on_one_or_two_threads() {
    let s = spec(
        Objective::Quadratic { a: 1.0, dim: 3 },
        vec![Stage {
            eta: 0.1,
            steps: 200,
            noise: Noise::Uniform { s: 1.0 },
        }],
        Start::Box { lo: -5.0, hi: 5.0 },
        64,
    );
    let on = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(|| {
                simulate(&s, &|_| {})
                    .into_iter()
                    .map(|r| r.x_final)
                    .collect::<Vec<_>>()
            })
    };
    let (a, b) = (on(1), on(2));
    assert_eq!(a, b);
    // and different seeds differ
    let other = RunSpec {
        seed: 43,
        ..s.clone()
    };
    assert_ne!(simulate(&other, &|_| {})[0].x_final, a[0]);
}

#[test]
fn quadratic_one_step_contraction_holds_within_monte_carlo_error() {
    // f = a/2 x², so L = c = a; y0 is fixed by starting every trial at x0.
    let (a, eta, s) = (1.0, 0.2, 1.0);
    let x0 = 3.0;
    let y0 = x0 - eta * a * x0;
    let run = spec(
        Objective::Quadratic { a, dim: 1 },
        vec![Stage {
            eta,
            steps: 2,
            noise: Noise::Uniform { s },
        }],
        Start::Point(vec![x0]),
        40_000,
    );
    // E‖y1 − x*‖² from the runner's own record of y at step 1
    let mut run1 = run.clone();
    run1.checkpoints = vec![1];
    let y1: Vec<f64> = simulate(&run1, &|_| {})
        .iter()
        .map(|r| r.at_checkpoints[0])
        .collect();
    let n = y1.len() as f64;
    let mean = y1.iter().sum::<f64>() / n;
    let var = y1.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    let lambda = 2.0 * eta * a - eta * eta * a * a;
    let b = eta * eta * s * s * (1.0 + eta * a).powi(2);
    let bound = (1.0 - lambda) * y0 * y0 + b;
    assert!(
        mean <= bound + 4.0 * (var / n).sqrt(),
        "E‖y1‖² = {mean} > {bound}"
    );
    // and the exact expectation (1 − ηa)²(y0² + η²s²/3) is met within the error
    let exact = (1.0 - eta * a).powi(2) * (y0 * y0 + eta * eta * s * s / 3.0);
    assert!(
        (mean - exact).abs() <= 4.0 * (var / n).sqrt(),
        "{mean} vs {exact}"
    );
}

#[test]
fn theorem1_events_hold_with_probability_at_least_half_on_the_quadratic() {
    let (code, out, err) = run(&[
        "simulate",
        "--objective",
        "quadratic",
        "--eta",
        "0.1",
        "--s",
        "1",
        "--steps",
        "1500",
        "--start",
        "5",
        "--L",
        "1",
        "--c",
        "1",
        "--t2",
        "500",
        "--trials",
        "400",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let both = &j["events"]["both"];
    assert!(
        both["clopper_pearson_95"][0].as_f64().unwrap() >= 0.5,
        "{both}"
    );
    assert!(
        j["events"]["tightness"]["median_window_max_over_delta2"]
            .as_f64()
            .unwrap()
            < 1.0
    );
}

#[test]
fn figure3_qualitative_claims() {
    let spiky = Objective::Spiky(Spiky::FIG3);
    let start = Start::Box { lo: -5.0, hi: 5.0 };
    let stage = |eta, steps, noise| Stage { eta, steps, noise };
    let med_abs = |v: &[f64]| {
        let mut a: Vec<f64> = v.iter().map(|x| x.abs()).collect();
        quantile(&mut a, 0.5)
    };
    // GD gets stuck at many distinct local minima, spread far from 0
    let mut gd = finals(&spec(
        spiky.clone(),
        vec![stage(0.002, 5000, Noise::None)],
        start.clone(),
        200,
    ));
    let mut distinct: Vec<i64> = gd.iter().map(|x| (x * 100.0).round() as i64).collect();
    distinct.sort();
    distinct.dedup();
    assert!(
        distinct.len() >= 20,
        "{} distinct end points",
        distinct.len()
    );
    assert!(med_abs(&gd) > 1.0, "median |x| = {}", med_abs(&gd));
    assert!(quantile(&mut gd, 0.95) - quantile(&mut gd, 0.05) > 6.0);
    // a suitable noise level puts nearly every trial near 0
    let good = finals(&spec(
        spiky.clone(),
        vec![stage(0.02, 3000, Noise::Uniform { s: 5.0 })],
        start.clone(),
        200,
    ));
    let near = good.iter().filter(|x| x.abs() <= 1.0).count();
    assert!(near >= 190, "{near} of 200 within 1 of 0");
    // a very large one spreads them out
    let mut wild = finals(&spec(
        spiky.clone(),
        vec![stage(0.02, 3000, Noise::Uniform { s: 20.0 })],
        start.clone(),
        200,
    ));
    assert!(wild.iter().all(|x| x.is_finite()));
    assert!(quantile(&mut wild, 0.95) - quantile(&mut wild, 0.05) > 3.0);
    // shrinking stages end closer to 0 than the single stage
    let staged = finals(&spec(
        spiky,
        vec![
            stage(0.02, 3000, Noise::Uniform { s: 5.0 }),
            stage(0.02, 3000, Noise::Uniform { s: 1.0 }),
        ],
        start,
        200,
    ));
    assert!(
        med_abs(&staged) < 0.5 * med_abs(&good),
        "{} vs {}",
        med_abs(&staged),
        med_abs(&good)
    );
}

#[test]
fn spiky_smoothed_closed_form_matches_quadrature() {
    let f = Spiky::FIG3;
    for (x, w) in [(0.3, 0.1), (2.7, 0.6), (-1.1, 0.03)] {
        let n = 200_000;
        let mid = |i: usize| -w + 2.0 * w * (i as f64 + 0.5) / n as f64;
        let g: f64 = (0..n).map(|i| f.grad(x - mid(i))).sum::<f64>() / n as f64;
        let v: f64 = (0..n).map(|i| f.value(x - mid(i))).sum::<f64>() / n as f64;
        assert!(
            (g - f.smoothed_grad(x, w)).abs() < 1e-6,
            "{x} {w}: {g} vs {}",
            f.smoothed_grad(x, w)
        );
        assert!(
            (v - f.smoothed(x, w)).abs() < 1e-6,
            "{x} {w}: {v} vs {}",
            f.smoothed(x, w)
        );
    }
}

#[test]
fn bowl_smoothed_gradient_matches_monte_carlo() {
    // The closed form of the convolution with uniform noise, against an average of f'(x − u).
    let r = Ripple::BOWL;
    for (x, w) in [(0.3, 0.2), (1.7, 0.9), (-2.2, 0.05)] {
        let n = 200_000;
        let mc: f64 = (0..n)
            .map(|i| {
                let u = -w + 2.0 * w * (i as f64 + 0.5) / n as f64;
                r.grad(x - u)
            })
            .sum::<f64>()
            / n as f64;
        assert!(
            (mc - r.smoothed_grad(x, w)).abs() < 1e-6,
            "{x} {w}: {mc} vs {}",
            r.smoothed_grad(x, w)
        );
    }
}

#[test]
fn simulate_json_snapshot_and_bad_input() {
    let (code, out, err) = run(&[
        "simulate",
        "--objective",
        "x^2 + 0.5*(1 - cos(30*x))",
        "--stage",
        "0.01:200:20",
        "--stage",
        "0.001:200:2",
        "--start-box",
        "-5..5",
        "--trials",
        "50",
        "--seed",
        "7",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["seed"], 7);
    snapshots(|| insta::assert_snapshot!("simulate_json", out));
    for (args, needle) in [
        (vec!["simulate", "--eta=-1"], "positive"),
        (
            vec!["simulate", "--eta", "0.1", "--objective", "x +"],
            "objective",
        ),
        (vec!["simulate", "--stage", "0.1:x:1"], "--stage"),
        (
            vec!["simulate", "--eta", "0.1", "--start-box", "5..-5"],
            "--start-box",
        ),
        (
            vec!["simulate", "--eta", "0.1", "--noise", "pink"],
            "--noise",
        ),
        (
            vec!["simulate", "--eta", "0.6", "--L", "1", "--c", "1"],
            "hypotheses",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn estimate_on_the_rippled_bowl_agrees_with_the_closed_form() {
    let closed = run(&[
        "estimate",
        "--objective",
        "bowl",
        "--eta",
        "0.05",
        "--s",
        "2",
        "--radius",
        "3",
        "--points",
        "401",
        "--json",
    ]);
    let mc = run(&[
        "estimate",
        "--objective",
        "0.5*x^2 + 0.1*(1 - cos(5*x))",
        "--eta",
        "0.05",
        "--s",
        "2",
        "--radius",
        "3",
        "--points",
        "401",
        "--draws",
        "4000",
        "--json",
    ]);
    assert_eq!((closed.0, mc.0), (0, 0), "{} {}", closed.2, mc.2);
    let (a, b): (Json, Json) = (
        serde_json::from_str(&closed.1).unwrap(),
        serde_json::from_str(&mc.1).unwrap(),
    );
    let (ca, cb) = (
        a["estimate"]["c"].as_f64().unwrap(),
        b["estimate"]["c"].as_f64().unwrap(),
    );
    let err = b["estimate"]["c_error"].as_f64().unwrap();
    assert_eq!(a["estimate"]["c_error"].as_f64().unwrap(), 0.0);
    assert!(
        err > 0.0 && (ca - cb).abs() <= err,
        "closed {ca}, Monte Carlo {cb} ± {err}"
    );
    // L of the bowl: max f'' = 1 + 0.1·25 = 3.5
    assert!((a["estimate"]["l"].as_f64().unwrap() - 3.5).abs() < 1e-3);
    // ∇f(x*) = 0
    assert_eq!(a["estimate"]["grad_at_x_star"][0].as_f64().unwrap(), 0.0);
    // --then-check passes the estimates to Theorem 1
    let (code, out, err) = run(&[
        "estimate",
        "--objective",
        "quadratic",
        "--eta",
        "0.1",
        "--radius",
        "5",
        "--then-check",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert!(j["theorem1"]["T1"].as_u64().unwrap() > 0);
}

/// The figures' SVG structure: panels, points, curves and labels (the counts, not the bytes).
#[test]
fn figure_svg_structure_snapshot() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-fig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut summary = String::new();
    for kind in ["fig3", "bound-vs-eta", "quantiles"] {
        let path = dir.join(format!("{kind}.svg"));
        let p = path.to_str().unwrap();
        let (code, _, err) = run(&["figure", kind, "--out", p, "--trials", "20", "--seed", "3"]);
        assert_eq!(code, 0, "{err}");
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        let count = |tag: &str| svg.matches(&format!("<{tag}")).count();
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.split('>').nth(1)?.split('<').next().map(str::trim))
            .filter(|t| {
                t.starts_with('F')
                    || t.contains("bound")
                    || t.contains("quantile")
                    || t.contains('δ')
            })
            .collect();
        summary.push_str(&format!(
            "{kind}: circle {} polyline {} rect {} text {}\n  {}\n",
            count("circle"),
            count("polyline"),
            count("rect"),
            count("text"),
            texts.join(" | ")
        ));
    }
    std::fs::remove_dir_all(&dir).ok();
    snapshots(|| insta::assert_snapshot!("figure_svg_structure", summary));
    let (code, _, err) = run(&["figure", "fig3", "--out", "/nonexistent/dir/x.svg"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn corollary2_event_holds_with_probability_at_least_a_quarter() {
    // f = x²/2 satisfies Assumption 1 with any c ≤ 1, in both stages.
    let (code, out, err) = run(&[
        "simulate",
        "--objective",
        "quadratic",
        "--stage",
        "0.1:500:1",
        "--stage",
        "0.01:3000:1",
        "--start",
        "5",
        "--L",
        "1",
        "--c",
        "0.9",
        "--c2",
        "0.95",
        "--trials",
        "300",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let c = &j["corollary2"];
    assert!(c["clopper_pearson_95"][0].as_f64().unwrap() >= 0.25, "{c}");
    assert!(
        c["bound_final"].as_f64().unwrap() < j["theorem1"]["bounds"]["bound_T1"].as_f64().unwrap()
    );
}

/// The benchmark's workload, shortened, against NumPy's fraction (tests/reference/
/// sgd_fraction.py, a hand-written gradient and NumPy's own generator): the two fractions of
/// trials ending within 0.5 of x* agree within four standard errors of their difference.
#[test]
fn expression_objective_agrees_with_an_independent_numpy_run() {
    let reference: Json = serde_json::from_str(
        &std::fs::read_to_string("tests/reference/sgd_fraction.json").unwrap(),
    )
    .unwrap();
    let steps = reference["steps"].as_u64().unwrap().to_string();
    let trials = reference["trials"].as_u64().unwrap();
    let (code, out, err) = run(&[
        "simulate",
        "--objective",
        reference["objective"].as_str().unwrap(),
        "--eta",
        "0.01",
        "--s",
        "20",
        "--steps",
        &steps,
        "--trials",
        &trials.to_string(),
        "--start-box",
        "-5..5",
        "--within",
        "0.5",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let ours = j["within"]["fraction"].as_f64().unwrap();
    let theirs = reference["fraction"].as_f64().unwrap();
    let p = (ours + theirs) / 2.0;
    let se = (p * (1.0 - p) * 2.0 / trials as f64).sqrt();
    assert!(
        (ours - theirs).abs() <= 4.0 * se,
        "sgdbounds {ours} vs NumPy {theirs} (standard error {se:.4})"
    );
}

/// PNG output: a real image of the figure's size, with ink on it (text, curves), from the
/// embedded font; a file name with another extension is refused before any work.
#[test]
fn figure_png_and_bad_extensions() {
    let dir = std::env::temp_dir().join(format!("sgdbounds-png-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bounds.PNG");
    let p = path.to_str().unwrap();
    let (code, _, err) = run(&["figure", "bound-vs-eta", "--out", p]);
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(&path).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, at bytes 16..24
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (900, 600));
    // a blank white image compresses to a few kilobytes; curves and text do not
    assert!(png.len() > 20_000, "{} bytes", png.len());
    std::fs::remove_dir_all(&dir).ok();
    for out in ["fig.pdf", "fig", "fig.svg.txt"] {
        let (code, _, err) = run(&["figure", "fig3", "--out", out]);
        assert_eq!(code, 2);
        assert!(err.contains(".svg or .png"), "{err}");
        assert!(!std::path::Path::new(out).exists());
    }
}

/// Theorem 1's events at a T1 the user picks (`--t1`, at least the theorem's bound), the event
/// over the whole window against 20b/λ, the paper's probability beside each event (0.9 at T1
/// by Markov, 1/2 for both, none for the window alone), and two-point and finite noise with the
/// theorem's r read off each.
#[test]
fn events_at_a_chosen_t1_with_discrete_noise() {
    let base = [
        "simulate",
        "--objective",
        "quadratic",
        "--eta",
        "0.1",
        "--s",
        "1",
        "--steps",
        "1500",
        "--start",
        "5",
        "--L",
        "1",
        "--c",
        "1",
        "--t2",
        "500",
        "--trials",
        "400",
    ];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        run(&a)
    };
    let (code, out, err) = with(&["--noise", "two-point", "--t1", "800", "--json"]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let ev = &j["events"];
    assert_eq!(ev["T1"], 800);
    assert_eq!(j["stages"][0]["noise"]["kind"], "two_point");
    assert_eq!(j["theorem1"]["r"], 1.0);
    assert_eq!(ev["at_T1_within_20b_over_lambda"]["paper"], 0.9);
    assert!(ev["window_within_delta2"]["paper"].is_null());
    assert_eq!(ev["both"]["paper"], 0.5);
    let count = |k: &str| ev[k]["count"].as_u64().unwrap();
    // the window starts at T1, so the bound over it implies the bound at T1
    assert!(count("window_within_20b_over_lambda") <= count("at_T1_within_20b_over_lambda"));
    assert_eq!(ev["window_within_20b_over_lambda"]["trials"], 400);
    // the text names T1, the bounds and the window's start
    let (code, text, _) = with(&["--noise", "two-point", "--t1", "800"]);
    assert_eq!(code, 0);
    assert!(text.contains("the window from step 800 (--t1)"), "{text}");
    assert!(text.contains("20b/λ = ") && text.contains("δ² = ") && text.contains("tightness"));
    assert!(text.contains("Step 2: ≥ 0.9") && text.contains("max over [T1, T1+T2]"));
    // finite noise: r is s times the largest |value|
    let (code, out, err) = with(&[
        "--noise",
        "finite",
        "--noise-values=-2,1",
        "--noise-weights",
        "1/3,2/3",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["theorem1"]["r"], 2.0);
    assert_eq!(j["stages"][0]["noise"]["law"]["values"][0], -2.0);
    // bad input: exit 2 naming the flag and the reason
    for (extra, says) in [
        (vec!["--t1", "10"], "at least the bound"),
        (vec!["--t1", "1400"], "must end inside"),
        (vec!["--noise", "finite", "--noise-values=-2,1"], "mean 0"),
        (vec!["--noise", "finite"], "--noise-values"),
        (vec!["--noise-values", "1,-1"], "for --noise finite"),
        (
            vec!["--noise", "two-point", "--dim", "2"],
            "one-dimensional",
        ),
    ] {
        let (code, _, err) = with(&extra);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.contains(says), "{extra:?}: {err}");
    }
}

/// `--domain`: the first step at which each trial's iterate leaves D = [lo, hi] equals the one
/// read off its traced trajectory (every step recorded), and the report counts them.
#[test]
fn exits_from_the_domain_match_the_trajectories() {
    let mut s = spec(
        Objective::Quadratic { a: 1.0, dim: 1 },
        vec![Stage {
            eta: 0.1,
            steps: 300,
            noise: Noise::TwoPoint { s: 2.0 },
        }],
        Start::Box { lo: -0.5, hi: 0.5 },
        130,
    );
    s.domain = Some((-1.2, 1.2));
    s.trace_trials = 130;
    let results = simulate(&s, &|_| {});
    let mut left = 0;
    for r in &results {
        let from_trace = r
            .trace
            .iter()
            .find(|(_, _, x, _)| x[0].abs() > 1.2)
            .map(|(_, t, _, _)| *t)
            .or_else(|| (r.x_final[0].abs() > 1.2).then_some(300));
        assert_eq!(r.left_domain, from_trace);
        left += r.left_domain.is_some() as usize;
    }
    assert!(left > 10 && left < 130, "{left}");
    // the command line reports the count, and a start outside D leaves at step 0
    let (code, out, err) = run(&[
        "simulate",
        "--objective",
        "quadratic",
        "--noise",
        "none",
        "--eta",
        "0.1",
        "--steps",
        "50",
        "--start",
        "5",
        "--trials",
        "8",
        "--domain=-1..1",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["domain"]["left"]["count"], 8);
    assert_eq!(j["domain"]["first_exit"]["latest"], 0);
    let (code, _, err) = run(&["simulate", "--eta", "0.1", "--domain", "1..-1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--domain"), "{err}");
}

/// `--step2-conditional`: E[‖y_T1 − x*‖² | F_{T1−1}] along each path equals the closed form
/// on the quadratic with two-point noise, (1 − ηa)²·(y_{T1−1}² + η²s²), read off the traced
/// trajectory; and the paper's "E[G_T1 | F_{T1−1}] ≤ G_0" fails on some paths while the
/// unconditional inequality holds in the mean.
#[test]
fn step2_s_conditional_bound_fails_on_some_paths() {
    let (eta, a, s, t1) = (0.1, 1.0, 1.0, 10u64);
    let mut sp = spec(
        Objective::Quadratic { a, dim: 1 },
        vec![Stage {
            eta,
            steps: 50,
            noise: Noise::TwoPoint { s },
        }],
        Start::Point(vec![0.5]),
        64,
    );
    let noise = Noise::TwoPoint { s };
    sp.conditional_at = Some((t1, noise.support(1).unwrap()));
    sp.trace_trials = 64;
    for r in simulate(&sp, &|_| {}) {
        let x_prev = r.trace.iter().find(|(_, t, _, _)| *t == t1 - 1).unwrap().2[0];
        let y_prev = (1.0 - eta * a) * x_prev;
        let want = (1.0 - eta * a) * (1.0 - eta * a) * (y_prev * y_prev + eta * eta * s * s);
        assert!(
            (r.conditional - want).abs() <= 1e-12 * want,
            "{} vs {want}",
            r.conditional
        );
    }
    let base = [
        "simulate",
        "--objective",
        "quadratic",
        "--noise",
        "two-point",
        "--eta",
        "0.1",
        "--s",
        "1",
        "--steps",
        "300",
        "--start",
        "0",
        "--L",
        "1",
        "--c",
        "1",
        "--t2",
        "100",
        "--t1",
        "10",
        "--step2-conditional",
    ];
    let mut args = base.to_vec();
    args.push("--json");
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let sc = &j["step2_conditional"];
    assert_eq!(sc["T1"], 10);
    let violated = sc["violated"]["count"].as_u64().unwrap();
    assert!(violated > 50 && violated < 1000, "{sc}");
    let w = &sc["worst"];
    assert!(w["conditional_G_T1"].as_f64().unwrap() > w["G0"].as_f64().unwrap());
    assert!(sc["mean_scaled_g_t1"].as_f64().unwrap() <= sc["mean_scaled_g0"].as_f64().unwrap());
    let (_, text, _) = run(&base);
    assert!(
        text.contains("Step 2 as written") && text.contains("worst path"),
        "{text}"
    );
    // continuous noise has no finite support; the theorem's constants are needed
    let mut uniform = base.to_vec();
    uniform[4] = "uniform";
    let (code, _, err) = run(&uniform);
    assert_eq!(code, 2);
    assert!(err.contains("discrete noise"), "{err}");
    let (code, _, err) = run(&[
        "simulate",
        "--eta",
        "0.1",
        "--noise",
        "two-point",
        "--step2-conditional",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--L and --c"), "{err}");
}

/// Theorem 1 when Assumption 1 holds only on D = [−1, 1] (README, Findings 11): f has a
/// 1-Lipschitz gradient (f′ piecewise linear with slopes ±1) and a second basin at |x| = 4;
/// with two-point noise ±2 and η = 0.1, `estimate` finds c = 0.8889 on D (the exact sum over
/// the noise's two values), so L = 1, c = 0.8 satisfy the theorem's hypotheses there; yet
/// P(‖y_T1 − x*‖² ≤ 20b/λ), ≥ 0.9 by Step 2, falls far below 0.9 as T1 grows, every trial
/// having left D.
#[test]
fn theorem1_fails_when_assumption1_holds_only_on_a_domain() {
    let f = "x^2/2 - max(0, abs(x) - 1)^2 + max(0, abs(x) - 3)^2";
    let (code, out, err) = run(&[
        "estimate",
        "--objective",
        f,
        "--eta",
        "0.1",
        "--s",
        "2",
        "--noise",
        "two-point",
        "--radius",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let e: Json = serde_json::from_str(&out).unwrap();
    let est = &e["estimate"];
    let c = est["c"].as_f64().unwrap();
    assert!((c - 8.0 / 9.0).abs() < 1e-9, "{est}");
    assert!((est["l"].as_f64().unwrap() - 1.0).abs() < 1e-9, "{est}");
    let at = |t1: &str, steps: &str| -> Json {
        let (code, out, err) = run(&[
            "simulate",
            "--objective",
            f,
            "--noise",
            "two-point",
            "--eta",
            "0.1",
            "--s",
            "2",
            "--steps",
            steps,
            "--start",
            "0",
            "--L",
            "1",
            "--c",
            "0.8",
            "--t2",
            "100",
            "--t1",
            t1,
            "--domain=-1..1",
            "--trials",
            "1000",
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let j = at("10000", "10200");
    let ev = &j["events"]["at_T1_within_20b_over_lambda"];
    assert_eq!(ev["paper"], 0.9);
    // the upper end of the Clopper–Pearson interval is far below the paper's 0.9
    assert!(ev["clopper_pearson_95"][1].as_f64().unwrap() < 0.6, "{ev}");
    assert_eq!(j["domain"]["left"]["count"], 1000);
}

/// `estimate --certify`: each certified bracket holds the true constant, from an independent
/// computation: the quadratic a/2·x² (L = c = a exactly; D0 = ((1 − ηa)R)²), the rippled bowl
/// (sup |f″| = 1 + 2.5 = 3.5 at x = 0; inf of Assumption 1's ratio 0.4792632539594493 at
/// x = −0.91983, mpmath at 30 digits by a 30001-point grid and findroot on its derivative, with
/// |y| ≥ 0.003 as the estimate excludes), and the function of Findings 11 under two-point noise
/// (c = 8/9, and L not certified: f″ of max(0, |x| − 1)² has no enclosure). Bad input: a noise
/// with no exact expectation, and d > 1.
#[test]
fn certified_bounds_hold_the_true_constants() {
    let est = |args: &[&str]| -> Json {
        let mut a = vec!["estimate"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--certify", "--json"]);
        let (code, out, err) = run(&a);
        assert!(code == 0 || code == 1, "{args:?}: {err}");
        serde_json::from_str(&out).unwrap()
    };
    let holds = |b: &Json, v: f64| b["lo"].as_f64().unwrap() <= v && v <= b["hi"].as_f64().unwrap();
    let j = est(&[
        "--objective",
        "quadratic",
        "--a",
        "0.7",
        "--eta",
        "0.1",
        "--s",
        "1",
        "--radius",
        "2",
        "--then-check",
    ]);
    let c = &j["certified"];
    for k in ["l_lipschitz", "l_one_sided", "c"] {
        assert!(holds(&c[k], 0.7), "{k}: {c}");
    }
    assert!(
        c["c"]["hi"].as_f64().unwrap() - c["c"]["lo"].as_f64().unwrap() < 1e-6,
        "{c}"
    );
    assert!(holds(&c["d0"], (2.0f64 * 0.93).powi(2)), "{c}");
    assert_eq!(j["theorem1_certified"]["T1"], 28);
    let j = est(&[
        "--objective",
        "bowl",
        "--eta",
        "0.05",
        "--s",
        "2",
        "--radius",
        "3",
        "--certify-cells",
        "30000",
    ]);
    let c = &j["certified"];
    assert!(
        holds(&c["l_lipschitz"], 3.5) && holds(&c["l_one_sided"], 3.5),
        "{c}"
    );
    assert!(holds(&c["c"], 0.479_263_253_959_449_3), "{c}");
    // the sampled estimate is a value of the ratio, so at least the infimum
    assert!(c["c"]["lo"].as_f64().unwrap() <= j["estimate"]["c"].as_f64().unwrap());
    let f = "x^2/2 - max(0, abs(x) - 1)^2 + max(0, abs(x) - 3)^2";
    let j = est(&[
        "--objective",
        f,
        "--eta",
        "0.1",
        "--s",
        "2",
        "--noise",
        "two-point",
        "--radius",
        "1",
    ]);
    let c = &j["certified"];
    assert!(holds(&c["c"], 8.0 / 9.0), "{c}");
    assert!(c["l_lipschitz"].is_null());
    assert!(
        c["notes"][0]
            .as_str()
            .unwrap()
            .contains("f″ has no enclosure"),
        "{c}"
    );
    for (extra, says) in [
        (vec!["--noise", "gaussian"], "no exact form"),
        (vec!["--dim", "2"], "1-D objectives"),
    ] {
        let mut a = vec![
            "estimate",
            "--objective",
            "quadratic",
            "--eta",
            "0.1",
            "--certify",
        ];
        a.extend_from_slice(&extra);
        let (code, _, err) = run(&a);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.contains(says), "{extra:?}: {err}");
    }
}

/// `estimate --domain LO..HI`: D need not be centred at x*; the sample and the certified
/// bounds are over [LO, HI] (on the quadratic c = 1, attained at the end nearest x*'s other
/// side, x = −0.5), and a reversed or malformed domain, or one beside --radius, is refused.
#[test]
fn estimates_over_a_domain_not_centred_at_x_star() {
    let (code, out, err) = run(&[
        "estimate",
        "--objective",
        "quadratic",
        "--eta",
        "0.1",
        "--s",
        "1",
        "--domain=-0.5..2",
        "--certify",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(j["domain"]["lo"], -0.5);
    assert_eq!(j["domain"]["hi"], 2.0);
    let c = &j["certified"]["c"];
    assert!(
        c["lo"].as_f64().unwrap() <= 1.0 && 1.0 <= c["hi"].as_f64().unwrap(),
        "{c}"
    );
    // D0 = sup (0.9x)² over [−0.5, 2] = 1.8² = 3.24
    let d0 = &j["certified"]["d0"];
    assert!(
        d0["lo"].as_f64().unwrap() <= 3.24 && 3.24 <= d0["hi"].as_f64().unwrap(),
        "{d0}"
    );
    for bad in [["--domain", "2..1"], ["--domain", "0..x"]] {
        let (code, _, err) = run(&["estimate", "--eta", "0.1", bad[0], bad[1]]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--domain"), "{err}");
    }
    let (code, _, _) = run(&["estimate", "--eta", "0.1", "--domain=0..1", "--radius", "3"]);
    assert_eq!(code, 2);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]
    /// A hostile check of `estimate --certify` on random objectives
    /// f = x²/2 + a·cos(kx) + b·x⁴ under uniform noise: the certified lower end of c is never
    /// above Assumption 1's ratio at any point of a 4001-point grid of D (evaluated in f64,
    /// 1e-9 relative slack for its rounding), and the certified upper end of sup |f″| never
    /// below |f″| at any grid point; each bracket is ordered.
    #[test]
    fn certified_brackets_are_never_beaten_by_a_grid(
        a in 0.0f64..0.3, k in 1.0f64..8.0, b in 0.0f64..0.1, eta in 0.01f64..0.1,
        s in 0.1f64..2.0, radius in 0.5f64..3.0,
    ) {
        use sgdbounds::sim::certify::{CertifyRequest, certify};
        let text = format!("x^2/2 + {a}*cos({k}*x) + {b}*x^4");
        let noise = Noise::Uniform { s };
        let c = certify(&CertifyRequest {
            objective: &text, eta, noise: &noise, x_star: 0.0, lo: -radius, hi: radius,
            exclude: radius / 1000.0, max_cells: 4_000, tolerance: 1e-6,
        }).unwrap();
        let f = |x: f64| x * x / 2.0 + a * (k * x).cos() + b * x.powi(4);
        let fp = |x: f64| x - a * k * (k * x).sin() + 4.0 * b * x.powi(3);
        let fpp = |x: f64| 1.0 - a * k * k * (k * x).cos() + 12.0 * b * x * x;
        let h = eta * s;
        let mut min_ratio = f64::INFINITY;
        let mut max_fpp: f64 = 0.0;
        for i in 0..=4000 {
            let x = -radius + 2.0 * radius * i as f64 / 4000.0;
            max_fpp = max_fpp.max(fpp(x).abs());
            let y = x - eta * fp(x);
            if y.abs() < radius / 1000.0 {
                continue;
            }
            let g = (f(y + h) - f(y - h)) / (2.0 * h);
            min_ratio = min_ratio.min(g / y);
        }
        if let Some(cb) = c.c {
            proptest::prop_assert!(cb.lo <= cb.hi);
            proptest::prop_assert!(cb.lo <= min_ratio + 1e-9 * min_ratio.abs().max(1.0),
                "{text} η={eta} s={s} R={radius}: certified c ≥ {} but the grid has {min_ratio}", cb.lo);
        }
        let l = c.l_lipschitz.expect("f″ is smooth here");
        proptest::prop_assert!(l.lo <= l.hi && max_fpp <= l.hi * (1.0 + 1e-9),
            "{text}: certified sup|f″| ≤ {} but the grid has {max_fpp}", l.hi);
    }
}
