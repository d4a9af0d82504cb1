//! `sgdbounds table`: formats (snapshots), failing rows, agreement with the reference values,
//! properties of the bounds, sweep files, shards and `--check`.

use super::common::{run, snapshots};
use proptest::prelude::*;
use quickcheck::{Arbitrary, Gen, QuickCheck};
use rug::Rational;
use rug::ops::Pow;
use serde_json::Value as Json;
use sgdbounds::Model;
use sgdbounds::arith::parse_rational;
use sgdbounds::table::Sweep;
use sgdbounds::verify::{Precision, evaluate_point};
use std::collections::BTreeMap;

const SMALL: &[&str] = &[
    "table",
    "--eta",
    "0.001,0.01",
    "--L",
    "1,2",
    "--c",
    "0.5",
    "--r",
    "1",
    "--d0",
    "1",
    "--t2",
    "1e6",
    "--columns",
    "eta,L,lambda,b,T1,bound_T1,delta2,lemma5",
    "--digits",
    "8",
];

fn tmp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("sgdbounds-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_str().unwrap().to_string()
}

#[test]
fn every_format_snapshot() {
    for format in ["markdown", "latex", "csv", "json"] {
        let mut args = SMALL.to_vec();
        args.extend([
            "--format",
            format,
            "--caption",
            "Bounds of Theorem 1.",
            "--label",
            "tab:t1",
        ]);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        snapshots(|| insta::assert_snapshot!(format!("table_{format}"), out));
    }
}

#[test]
fn failing_rows_are_kept_and_marked() {
    let (code, out, err) = run(&[
        "table",
        "--eta",
        "0.01,0.3",
        "--L",
        "2",
        "--c",
        "1",
        "--r",
        "1",
        "--d0",
        "1",
        "--t2",
        "100",
        "--columns",
        "eta,lambda,delta2,lemma5",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| 0.")).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows[0].ends_with("| holds |"));
    assert!(
        rows[1].contains("fails: eta_below_half_over_L; eta_below_c_over_L2 †"),
        "{}",
        rows[1]
    );
    snapshots(|| insta::assert_snapshot!("table_failing_rows", out));
}

#[test]
fn help_of_table() {
    let (code, out, _) = run(&["table", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("Examples:"));
    snapshots(|| insta::assert_snapshot!("help_table", out));
}

/// The CSV cells contain the reference values of tests/reference (mpmath and fractions): an
/// upper bound is at or above, a lower bound at or below, a correctly rounded cell within half a
/// unit of its last digit.
#[test]
fn csv_agrees_with_the_reference() {
    let refs: Json = serde_json::from_str(include_str!("../reference/reference.json")).unwrap();
    let sets = refs["theorem1_lemma5"].as_object().unwrap();
    let rows: Vec<BTreeMap<String, String>> = sets
        .values()
        .map(|c| {
            c["params"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .collect();
    let path = tmp("reference_sweep.json");
    std::fs::write(
        &path,
        serde_json::to_string(&serde_json::json!({ "row": rows })).unwrap(),
    )
    .unwrap();
    let cols = ["lambda", "b", "T1", "bound_T1", "delta2", "mu", "zeta"];
    let (code, out, err) = run(&[
        "table",
        "--sweep",
        &path,
        "--columns",
        &cols.join(","),
        "--format",
        "csv",
        "--digits",
        "20",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let heads: Vec<&str> = lines[0].split(',').collect();
    for (line, case) in lines[1..].iter().zip(sets.values()) {
        let cells: Vec<&str> = line.split(',').collect();
        for (h, cell) in heads.iter().zip(&cells) {
            let (name, rounding) = h.split_once('[').unwrap_or((h, "exact]"));
            let Some(want) = case["values"][name].as_str() else {
                continue;
            };
            let r = parse_rational(want).unwrap();
            let v = parse_rational(cell).unwrap_or_else(|_| panic!("{name}: {cell}"));
            if r == 0 {
                assert_eq!(v, 0, "{name}");
                continue;
            }
            // one unit in the 20th significant digit of r (the reference has 60)
            let mag = r.to_f64().abs().log10().floor() as i32;
            let ulp = Rational::from(10).pow((mag - 19).unsigned_abs() as u32);
            let ulp = if mag - 19 < 0 { ulp.recip() } else { ulp };
            let tol = r.clone().abs() / Rational::from(10).pow(55u32);
            match rounding {
                "up]" => assert!(
                    v.clone() + &tol >= r && Rational::from(&v - &r) <= ulp,
                    "{name}: {cell} vs {want}"
                ),
                "down]" => assert!(
                    v.clone() - &tol <= r && Rational::from(&r - &v) <= ulp,
                    "{name}: {cell} vs {want}"
                ),
                _ => assert!(
                    Rational::from(&v - &r).abs() <= Rational::from(&ulp / 2u32) + &tol,
                    "{name}: {cell} vs {want}"
                ),
            }
        }
    }
}

fn point(
    model: &Model,
    p: &[(&str, Rational)],
    constants: &[(&str, &str)],
) -> sgdbounds::verify::PointResult {
    let mut given: BTreeMap<String, String> = p
        .iter()
        .map(|(k, v)| (k.to_string(), sgdbounds::report::number::rational(v)))
        .collect();
    for (k, v) in constants {
        given.insert(k.to_string(), v.to_string());
    }
    let inputs = model.point(&given, &|p| p.name.clone()).unwrap();
    evaluate_point(model, &inputs, Precision::new(256, 8))
}

fn q(model: &Model, r: &sgdbounds::verify::PointResult, name: &str) -> sgdbounds::arith::Interval {
    let i = model
        .theory
        .definitions
        .iter()
        .position(|d| d.name == name)
        .unwrap();
    r.quantities[i].enclosure.clone().unwrap()
}

/// An admissible point: η a fraction of its supremum.
fn admissible()
-> impl Strategy<Value = (Rational, Rational, Rational, Rational, Rational, Rational)> {
    (
        1u32..100,
        1u32..100,
        1u32..999,
        1u32..100,
        1u32..1000,
        1u64..1_000_000_000,
    )
        .prop_map(|(l, c, f, r, d0, t2)| {
            let l = Rational::from((l, 10));
            let c = Rational::from((c, 10));
            let sup = [
                Rational::from(1) / (Rational::from(2) * &l),
                Rational::from(&c / &l) / &l,
                Rational::from(1) / (Rational::from(2) * &c),
            ]
            .into_iter()
            .min()
            .unwrap();
            let eta = sup * Rational::from((f, 1000));
            (
                eta,
                l,
                c,
                Rational::from((r, 10)),
                Rational::from(d0),
                Rational::from(t2),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 60,
        rng_seed: proptest::test_runner::RngSeed::Fixed(5),
        ..ProptestConfig::default()
    })]

    #[test]
    fn bounds_behave_as_the_theorem_says((eta, l, c, r, d0, t2) in admissible(), k in 1u32..10) {
        let m = Model::builtin("theorem1").unwrap();
        let at = |eta: &Rational, c: &Rational, r: &Rational, t2: &Rational, consts: &[(&str, &str)]| {
            point(&m, &[("eta", eta.clone()), ("L", l.clone()), ("c", c.clone()), ("r", r.clone()), ("d0", d0.clone()), ("t2", t2.clone())], consts)
        };
        let base = at(&eta, &c, &r, &t2, &[]);
        let d2 = q(&m, &base, "delta2");
        // δ² grows with r and with T2
        let r2 = &r * Rational::from((10 + k, 10));
        prop_assert!(d2.hi() < q(&m, &at(&eta, &c, &r2, &t2, &[]), "delta2").lo());
        let t22 = &t2 * Rational::from(1 + k);
        prop_assert!(d2.hi() < q(&m, &at(&eta, &c, &r, &t22, &[]), "delta2").lo());
        // δ² falls as c grows (η fixed; the larger c keeps η admissible when it is)
        let c2 = &c * Rational::from((10 + k, 10));
        let bigger = at(&eta, &c2, &r, &t2, &[]);
        if bigger.hypotheses.iter().all(|h| h.truth == sgdbounds::arith::Truth::True) {
            prop_assert!(q(&m, &bigger, "delta2").hi() < d2.lo());
        }
        // T1 ≥ 0
        prop_assert!(*q(&m, &base, "T1").lo() >= 0);
        // shrinking η (c fixed) shrinks b/λ
        let small = at(&Rational::from(&eta / 2u32), &c, &r, &t2, &[]);
        let ratio = |p: &sgdbounds::verify::PointResult| {
            let (b, lam) = (q(&m, p, "b"), q(&m, p, "lambda"));
            (Rational::try_from(b.lo()).unwrap() / Rational::try_from(lam.hi()).unwrap(),
             Rational::try_from(b.hi()).unwrap() / Rational::try_from(lam.lo()).unwrap())
        };
        prop_assert!(ratio(&small).1 < ratio(&base).0);
        // 20b/λ < δ² exactly when μ² > 20: with the paper's μ (≥ 8), and with a μ of 4
        prop_assert!(q(&m, &base, "bound_T1").hi() < d2.lo());
        let tiny = at(&eta, &c, &r, &t2, &[("mu_floor", "4"), ("mu_coef", "1/1000")]);
        prop_assert!(q(&m, &tiny, "bound_T1").lo() > q(&m, &tiny, "delta2").hi());
    }
}

#[test]
fn csv_cells_are_the_values_own_roundings() {
    // Each cell of an upper bound is the least 20-digit decimal at or above the enclosure,
    // of a lower bound the greatest below.
    let (code, out, _) = run(&[
        "table",
        "--eta",
        "0.0001..0.01:log:5",
        "--L",
        "1",
        "--c",
        "0.5",
        "--r",
        "0.3,3",
        "--d0",
        "2",
        "--t2",
        "1000",
        "--columns",
        "eta,r,bound_T1,delta2,T1_lower,probability",
        "--format",
        "csv",
        "--digits",
        "20",
    ]);
    assert_eq!(code, 0);
    let m = Model::builtin("lemma5").unwrap();
    for line in out.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let eta = parse_rational(cells[0]).unwrap();
        let r = parse_rational(cells[1]).unwrap();
        let p = point(
            &m,
            &[
                ("eta", eta),
                ("L", 1.into()),
                ("c", Rational::from((1, 2))),
                ("r", r),
                ("d0", 2.into()),
                ("t2", 1000.into()),
            ],
            &[],
        );
        for (cell, name, up) in [
            (cells[2], "bound_T1", true),
            (cells[3], "delta2", true),
            (cells[4], "T1_lower", false),
            (cells[5], "probability", false),
        ] {
            let v = parse_rational(cell).unwrap();
            let x = q(&m, &p, name);
            let (lo, hi) = (
                Rational::try_from(x.lo()).unwrap(),
                Rational::try_from(x.hi()).unwrap(),
            );
            // the cell lies on the right side of the enclosure (of the value itself when the
            // value is a decimal of at most 20 digits) and within one unit of its last digit
            let width =
                Rational::from(&hi - &lo).abs() + hi.clone().abs() / Rational::from(10).pow(19u32);
            if up {
                assert!(
                    v >= lo && Rational::from(&v - &hi) <= width,
                    "{name}: {cell}"
                );
            } else {
                assert!(
                    v <= hi && Rational::from(&lo - &v) <= width,
                    "{name}: {cell}"
                );
            }
        }
    }
}

#[derive(Clone, Debug)]
struct ArbSweep(Sweep);

impl Arbitrary for ArbSweep {
    fn arbitrary(g: &mut Gen) -> Self {
        let n = usize::arbitrary(g) % 5;
        let row = (0..n)
            .map(|_| {
                let mut m = BTreeMap::new();
                for name in ["eta", "L", "c", "r", "d0", "t2"] {
                    if bool::arbitrary(g) {
                        let num = u32::arbitrary(g) % 100_000;
                        let den = 1 + u32::arbitrary(g) % 1000;
                        m.insert(name.to_string(), format!("{num}/{den}"));
                    }
                }
                m
            })
            .collect();
        ArbSweep(Sweep { row })
    }
}

#[test]
fn sweep_files_round_trip_through_serde() {
    fn prop(s: ArbSweep) -> bool {
        let toml_text = toml::to_string(&s.0).unwrap();
        let json_text = serde_json::to_string(&s.0).unwrap();
        toml::from_str::<Sweep>(&toml_text).unwrap() == s.0
            && serde_json::from_str::<Sweep>(&json_text).unwrap() == s.0
    }
    QuickCheck::new()
        .tests(300)
        .quickcheck(prop as fn(ArbSweep) -> bool);
}

#[test]
fn check_finds_one_changed_digit_in_a_latex_table() {
    let path = tmp("table.tex");
    let mut args = SMALL.to_vec();
    args.extend(["--format", "latex", "--out", &path]);
    assert_eq!(run(&args).0, 0);
    let mut check = SMALL.to_vec();
    check.extend(["--format", "latex", "--check", &path]);
    let (code, out, _) = run(&check);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("up to date"));
    // change one digit of one number
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find("265.85498")
        .or_else(|| text.find("0.0099"))
        .unwrap();
    let mut bytes = text.into_bytes();
    let d = at + 2;
    bytes[d] = if bytes[d] == b'9' { b'8' } else { b'9' };
    std::fs::write(&path, bytes).unwrap();
    let (code, out, _) = run(&check);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("differs") && out.contains("row ") && out.contains("file has"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.contains("file has")).count(),
        1,
        "{out}"
    );
}

#[test]
fn shards_merge_to_the_whole_table() {
    let base = [
        "table",
        "--eta",
        "1e-4..1e-2:log:7",
        "--L",
        "1,2,3",
        "--c",
        "0.5",
        "--r",
        "1",
        "--d0",
        "1",
        "--t2",
        "1e6",
        "--columns",
        "eta,L,lambda,delta2,lemma5",
    ];
    let whole = tmp("whole.csv");
    let mut a = base.to_vec();
    a.extend(["--format", "csv", "--out", &whole]);
    assert_eq!(run(&a).0, 0);
    let mut parts = Vec::new();
    for k in 1..=4 {
        let p = tmp(&format!("part{k}.csv"));
        let shard = format!("{k}/4");
        let mut a = base.to_vec();
        a.extend(["--format", "csv", "--shard", &shard, "--out", &p]);
        assert_eq!(run(&a).0, 0);
        parts.push(p);
    }
    let mut m = vec!["table", "--format", "csv", "--merge"];
    m.extend(parts.iter().map(String::as_str));
    let (code, out, err) = run(&m);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, std::fs::read_to_string(&whole).unwrap());
}

#[test]
fn table_bad_input() {
    for (args, needle) in [
        (vec!["table", "--eta", "0.1"], "needs every parameter"),
        (
            vec![
                "table",
                "--eta",
                "1..0:log:3",
                "--L",
                "1",
                "--c",
                "1",
                "--r",
                "1",
                "--d0",
                "1",
                "--t2",
                "1",
            ],
            "above the upper",
        ),
        (
            vec![
                "table",
                "--eta",
                "0..1:log:3",
                "--L",
                "1",
                "--c",
                "1",
                "--r",
                "1",
                "--d0",
                "1",
                "--t2",
                "1",
            ],
            "positive lower end",
        ),
        (
            vec![
                "table", "--eta", "-0.1", "--L", "1", "--c", "1", "--r", "1", "--d0", "1", "--t2",
                "1",
            ],
            "eta > 0",
        ),
        (
            vec![
                "table",
                "--eta",
                "0.1",
                "--L",
                "1",
                "--c",
                "1",
                "--r",
                "1",
                "--d0",
                "1",
                "--t2",
                "1",
                "--columns",
                "nope",
            ],
            "not a parameter, quantity",
        ),
        (
            vec![
                "table", "--eta", "0.1", "--L", "1", "--c", "1", "--r", "1", "--d0", "1", "--t2",
                "1", "--shard", "5/4",
            ],
            "--shard",
        ),
        (vec!["table", "--sweep", "/nonexistent.toml"], "nonexistent"),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

/// Every column of a result: its parameters, definitions, and statements.
fn all_columns(model: &Model) -> Vec<String> {
    let t = &model.theory;
    t.parameters
        .iter()
        .map(|p| p.name.clone())
        .chain(t.definitions.iter().map(|d| d.name.clone()))
        .chain(
            t.hypotheses
                .iter()
                .filter(|h| !h.step)
                .map(|h| h.name.clone()),
        )
        .chain(t.claims.iter().filter(|c| !c.step).map(|c| c.name.clone()))
        .collect()
}

/// The double-double road gives exactly the cells of the MPFR road, on grids that mix ordinary
/// values, exact short decimals (cells on rounding boundaries), failing hypotheses, undefined
/// quantities (λ ≤ 0 makes T1's logarithm undefined) and every result, at several digit counts.
#[test]
fn the_fast_road_gives_the_cells_of_the_mpfr_road() {
    use sgdbounds::table::{Grid, Plan, Rows, columns, parse_axis};
    let theorem1 = [
        ("eta", "1e-4..1e-1:log:4;0.5"),
        ("L", "1,2.5,100"),
        ("c", "0.01..10:log:3"),
        ("r", "0.1..10:log:7;3"),
        ("d0", "1"),
        ("t2", "1e6"),
    ];
    // the inner axis inside a logarithm (T2 in μ): f64-accurate logarithms settle 3 digits
    let theorem1_t2 = [
        ("eta", "1e-3;0.2"),
        ("L", "1"),
        ("c", "0.1"),
        ("r", "1"),
        ("d0", "1;1e-9"),
        ("t2", "1e4..1e8:log:6"),
    ];
    let corollary2 = [
        ("eta", "1e-3,0.01"),
        ("L", "1,3"),
        ("c", "0.1"),
        ("r", "0.5"),
        ("d0", "1"),
        ("t2", "1e4"),
        ("eta2", "1e-4,5e-4"),
        ("c2", "0.2,0.05"),
        ("r2", "0.1..1:lin:5"),
    ];
    let theorem3 = [
        ("eta", "0.01,0.3"),
        ("c_prime", "0.5,2"),
        ("dist2", "0.1..4:log:3"),
        ("grad2", "0;0.5..8:log:6"),
    ];
    // (result, grid, the least share of rows the fast road must carry at 3 and at 20 digits, so
    // that the comparison is not vacuous; 20-digit logarithms of the inner axis (T1_lower,
    // T2_stage_lower, …) exercise the double-double-accurate logarithm, and Theorem 3's exact
    // decimals the exact settling of rational cells)
    let benchmark = "eta,L,c,r,lambda,b,T1,bound_T1,delta2,lemma5";
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Option<&'a str>, f64, f64);
    let cases: [Case; 6] = [
        ("theorem1", &theorem1, None, 0.6, 0.6),
        ("lemma5", &theorem1, None, 0.6, 0.6),
        ("lemma5", &theorem1, Some(benchmark), 0.6, 0.6),
        ("theorem1", &theorem1_t2, None, 0.0, 0.0),
        ("corollary2", &corollary2, None, 0.6, 0.6),
        ("theorem3", &theorem3, None, 0.6, 0.6),
    ];
    for (result, axes, chosen, share3, share20) in cases {
        let model = Model::builtin(result).unwrap();
        let names = match chosen {
            Some(list) => list.split(',').map(String::from).collect(),
            None => all_columns(&model),
        };
        let grid = Grid {
            axes: model
                .theory
                .parameters
                .iter()
                .map(|p| {
                    // a list whose items may be ranges: "1e-4..1e-1:log:4;0.5"
                    let spec = axes.iter().find(|(n, _)| *n == p.name).unwrap().1;
                    let mut axis = parse_axis(&p.name, spec.split(';').next().unwrap()).unwrap();
                    for part in spec.split(';').skip(1) {
                        axis.values
                            .extend(parse_axis(&p.name, part).unwrap().values);
                    }
                    axis
                })
                .collect(),
        };
        let rows = Rows::Grid(grid);
        let n = rows.len();
        for digits in [3, 20, 30] {
            let cols = columns(&model, &names).unwrap();
            let fast = Plan::new(&model, cols.clone(), digits, 256);
            let mut slow = Plan::new(&model, cols, digits, 256);
            slow.fast_road = false;
            // blocks that start mid-grid too
            for (a, b) in [(0, n), (1, n.min(37)), (n / 3, n)] {
                let f = fast.compute(&rows, a, b);
                let s = slow.compute(&rows, a, b);
                assert_eq!(s.fast_rows, 0);
                // the fast road carries a real share of the rows (not at 30 digits, where
                // double-doubles are not precise enough)
                let share = f.fast_rows as f64 / (b - a) as f64;
                let least = match digits {
                    3 => share3,
                    20 => share20,
                    _ => 0.0,
                };
                if b - a > 20 {
                    assert!(
                        share >= least,
                        "{result}, {digits} digits: fast share {share}"
                    );
                }
                for (k, (fc, sc)) in f.cells.iter().zip(&s.cells).enumerate() {
                    assert_eq!(fc, sc, "{result}, {digits} digits, row {}", a + k as u128);
                }
                assert_eq!(f.failing, s.failing, "{result}, {digits} digits");
            }
        }
    }
}

/// A decimal in [10^lo, 10^hi): `m`·10^`e` with a 1- to 17-digit mantissa, as an axis value
/// (short mantissas put cells on rounding boundaries, long ones do not).
fn decimal_value(lo: i32, hi: i32) -> impl Strategy<Value = String> {
    (1u64..10, 0u64..10_000_000_000_000_000, 0usize..17, lo..hi).prop_map(|(lead, rest, len, e)| {
        let tail = format!("{rest:016}");
        format!("{lead}.{}e{e}", &tail[..len]).replace(".e", "e")
    })
}

fn axis_values(lo: i32, hi: i32) -> impl Strategy<Value = String> {
    proptest::collection::vec(decimal_value(lo, hi), 1..4).prop_map(|v| v.join(","))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 40,
        rng_seed: proptest::test_runner::RngSeed::Fixed(11),
        ..ProptestConfig::default()
    })]

    /// Random grids (values from well inside to well outside the hypotheses) give the same
    /// cells on the double-double road as on the MPFR road, for every column of Lemma 5 or the
    /// benchmark's columns.
    #[test]
    fn the_fast_road_agrees_on_random_grids(
        eta in axis_values(-5, 0), l in axis_values(-1, 3), c in axis_values(-3, 2),
        r in axis_values(-2, 2), d0 in decimal_value(-10, 3), t2 in decimal_value(0, 9),
        digits in prop_oneof![Just(3usize), Just(12), Just(20)],
        every_column in any::<bool>(),
    ) {
        use sgdbounds::table::{Grid, Plan, Rows, columns, parse_axis};
        let model = Model::builtin("lemma5").unwrap();
        let specs = [("eta", &eta), ("L", &l), ("c", &c), ("r", &r), ("d0", &d0), ("t2", &t2)];
        let grid = Grid {
            axes: specs.iter().map(|(n, s)| parse_axis(n, s).unwrap()).collect(),
        };
        let rows = Rows::Grid(grid);
        let names = if every_column {
            all_columns(&model)
        } else {
            "eta,L,c,r,lambda,b,T1,bound_T1,delta2,lemma5".split(',').map(String::from).collect()
        };
        let cols = columns(&model, &names).unwrap();
        let fast = Plan::new(&model, cols.clone(), digits, 256);
        let mut slow = Plan::new(&model, cols, digits, 256);
        slow.fast_road = false;
        let (f, s) = (fast.compute(&rows, 0, rows.len()), slow.compute(&rows, 0, rows.len()));
        prop_assert_eq!(f.cells, s.cells);
        prop_assert_eq!(f.failing, s.failing);
    }
}
