//! Properties of the expression engine: enclosures at low precision contain those at high
//! precision, and both contain the exact rational value where there is one; printing and
//! re-parsing a tree gives the same tree.

use proptest::prelude::*;
use quickcheck::{Arbitrary, Gen, QuickCheck};
use rug::Rational;
use sgdbounds::arith::Truth;
use sgdbounds::expr::{BinOp, Expr, ExprKind, Func, IntervalEval, RationalEval, Tape, parse};
use sgdbounds::{Model, Span};
use std::collections::HashMap;

fn node(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

/// A small non-negative decimal literal: m·10^-k.
fn literal(m: u32, k: u32) -> Expr {
    node(ExprKind::Num(Rational::from((m, 10u32.pow(k)))))
}

fn arb_expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        Just(node(ExprKind::Var("x".into()))),
        Just(node(ExprKind::Var("y".into()))),
        (0u32..2000, 0u32..4).prop_map(|(m, k)| literal(m, k)),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| node(ExprKind::Neg(Box::new(a)))),
            (inner.clone(), inner.clone(), 0usize..4).prop_map(|(a, b, op)| {
                let op = [BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div][op];
                node(ExprKind::Binary(op, Box::new(a), Box::new(b)))
            }),
            (inner.clone(), -3i32..6).prop_map(|(a, n)| {
                let exp = if n < 0 {
                    node(ExprKind::Neg(Box::new(literal((-n) as u32, 0))))
                } else {
                    literal(n as u32, 0)
                };
                node(ExprKind::Binary(BinOp::Pow, Box::new(a), Box::new(exp)))
            }),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| {
                node(ExprKind::Binary(BinOp::Pow, Box::new(a), Box::new(b)))
            }),
            (inner.clone(), 0usize..8).prop_map(|(a, f)| {
                let f = [
                    Func::Sqrt,
                    Func::Log,
                    Func::Exp,
                    Func::Ceil,
                    Func::Floor,
                    Func::Abs,
                    Func::Sin,
                    Func::Cos,
                ][f];
                node(ExprKind::Call(f, vec![a]))
            }),
            (inner.clone(), inner, any::<bool>()).prop_map(|(a, b, min)| {
                node(ExprKind::Call(
                    if min { Func::Min } else { Func::Max },
                    vec![a, b],
                ))
            }),
        ]
    })
}

fn arb_rational() -> impl Strategy<Value = Rational> {
    (-5000i64..5000, 1i64..1000).prop_map(|(p, q)| Rational::from((p, q)))
}

/// Compiles `e` over inputs x, y; returns the tape and the root register.
fn compile(e: &Expr) -> (Tape, usize) {
    let mut tape = Tape::new(vec!["x".into(), "y".into()]);
    let env: HashMap<String, usize> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
    let src = tape.add_source("generated", e.to_string());
    let r = tape.compile(e, &env, src).expect("generated trees compile");
    (tape, r)
}

fn run(tape: &Tape, prec: u32, x: &Rational, y: &Rational) -> IntervalEval {
    let mut ev = IntervalEval::new(tape, prec);
    ev.set_input(0, x);
    ev.set_input(1, y);
    ev.run(tape);
    ev
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20180710),
        ..ProptestConfig::default()
    })]

    #[test]
    fn low_precision_encloses_high_precision_and_exact(
        e in arb_expr(), x in arb_rational(), y in arb_rational()
    ) {
        let (tape, root) = compile(&e);
        let lo = run(&tape, 64, &x, &y);
        let hi = run(&tape, 1024, &x, &y);
        let mut exact = RationalEval::new(&tape);
        exact.run(&tape, &[x.clone(), y.clone()]);
        match (lo.get(root), hi.get(root)) {
            (Ok(a), Ok(b)) => {
                prop_assert!(b.subset_of(a), "{e}: 1024-bit [{}, {}] not inside 64-bit [{}, {}]", b.lo(), b.hi(), a.lo(), a.hi());
                if let Some(q) = exact.get(root) {
                    prop_assert!(a.contains_rational(q), "{e}: 64-bit misses exact {q}");
                    prop_assert!(b.contains_rational(q), "{e}: 1024-bit misses exact {q}");
                }
            }
            // Where the wide enclosure is defined, the narrow one inside it must be too.
            (Ok(_), Err(f)) => prop_assert!(false, "{e}: defined at 64 bits, fault at 1024: {:?}", f),
            (Err(f), _) => {
                // A certain fault at 64 bits means the value is undefined: no exact value.
                if f.error.is_certain() && !matches!(f.error, sgdbounds::arith::ArithError::Overflow) {
                    prop_assert!(exact.get(root).is_none() || !tape.is_rational(root),
                        "{e}: certain fault {:?} but exact value {:?}", f.error, exact.get(root));
                }
            }
        }
    }

    /// Every quantity of Theorem 1 and Lemma 5: 64-bit enclosures contain 1024-bit ones, and
    /// both contain the exact value of the rational quantities.
    #[test]
    fn theorem1_enclosures_nest(
        eta_m in 1u32..1000, l in 1u32..100, c in 1u32..100, r in 1u32..100,
        d0 in 1u32..10000, t2 in 1u64..1_000_000_000_000
    ) {
        let model = Model::builtin("lemma5").unwrap();
        let (l, c) = (Rational::from((l, 10)), Rational::from((c, 10)));
        // η strictly below the admissible supremum
        let sup = [Rational::from(1) / (Rational::from(2) * &l), Rational::from(&c / &l) / &l, Rational::from(1) / (Rational::from(2) * &c)]
            .into_iter().min().unwrap();
        let eta = sup * Rational::from((eta_m, 1001));
        let mut inputs = vec![eta, l, c, Rational::from((r, 10)), Rational::from(d0), Rational::from(t2)];
        inputs.extend(model.constant_values());
        let mut exact = RationalEval::new(&model.tape);
        exact.run(&model.tape, &inputs);
        let at = |prec| {
            let mut ev = IntervalEval::new(&model.tape, prec);
            for (k, q) in inputs.iter().enumerate() { ev.set_input(k, q); }
            ev.run(&model.tape);
            ev
        };
        let (lo, hi) = (at(64), at(1024));
        for (d, &reg) in model.theory.definitions.iter().zip(&model.def_regs) {
            let a = lo.get(reg).unwrap();
            let b = hi.get(reg).unwrap();
            prop_assert!(b.subset_of(a), "{}", d.name);
            if let Some(q) = exact.get(reg) {
                prop_assert!(a.contains_rational(q) && b.contains_rational(q), "{}", d.name);
            }
        }
        for p in model.hypotheses.iter().chain(&model.claims) {
            let t64 = sgdbounds::expr::decide_all(p, &lo, Some(&exact));
            let t1024 = sgdbounds::expr::decide_all(p, &hi, Some(&exact));
            // A decided answer never flips with precision.
            prop_assert!(t64 == Truth::Unknown || t64 == t1024);
        }
    }
}

#[derive(Clone, Debug)]
struct ArbExpr(Expr);

fn gen_expr(g: &mut Gen, depth: u32) -> Expr {
    let pick = u32::arbitrary(g) % if depth == 0 { 3 } else { 9 };
    match pick {
        0 => node(ExprKind::Var(
            g.choose(&["x", "y", "eta", "L_2"]).unwrap().to_string(),
        )),
        1 | 2 => literal(u32::arbitrary(g) % 100_000, u32::arbitrary(g) % 6),
        3 => node(ExprKind::Neg(Box::new(gen_expr(g, depth - 1)))),
        4 | 5 => {
            let op = *g
                .choose(&[BinOp::Add, BinOp::Sub, BinOp::Mul, BinOp::Div, BinOp::Pow])
                .unwrap();
            node(ExprKind::Binary(
                op,
                Box::new(gen_expr(g, depth - 1)),
                Box::new(gen_expr(g, depth - 1)),
            ))
        }
        6 => {
            let f = *g.choose(&Func::ALL).unwrap();
            let n = if f.variadic() {
                2 + usize::arbitrary(g) % 3
            } else {
                1
            };
            node(ExprKind::Call(
                f,
                (0..n).map(|_| gen_expr(g, depth - 1)).collect(),
            ))
        }
        7 => {
            let op = *g
                .choose(&[
                    sgdbounds::arith::CmpOp::Lt,
                    sgdbounds::arith::CmpOp::Le,
                    sgdbounds::arith::CmpOp::Gt,
                    sgdbounds::arith::CmpOp::Ge,
                    sgdbounds::arith::CmpOp::Eq,
                ])
                .unwrap();
            node(ExprKind::Compare(
                op,
                Box::new(gen_expr(g, depth - 1)),
                Box::new(gen_expr(g, depth - 1)),
            ))
        }
        _ => node(ExprKind::And(
            Box::new(gen_expr(g, depth - 1)),
            Box::new(gen_expr(g, depth - 1)),
        )),
    }
}

impl Arbitrary for ArbExpr {
    fn arbitrary(g: &mut Gen) -> Self {
        let depth = (g.size() as u32 % 7) + 1;
        ArbExpr(gen_expr(g, depth))
    }
}

#[test]
fn print_then_parse_gives_the_same_tree() {
    fn prop(e: ArbExpr) -> bool {
        let printed = e.0.to_string();
        match parse(&printed, "printed") {
            Ok(back) => back == e.0,
            Err(err) => panic!("{printed} does not parse: {err}"),
        }
    }
    QuickCheck::new()
        .tests(2000)
        .quickcheck(prop as fn(ArbExpr) -> bool);
}

#[test]
fn rational_comparison_at_a_boundary_is_decided_exactly() {
    // η = 1/(2L) exactly: `eta < 1/(2*L)` must be false, not undecided.
    let model = Model::builtin("theorem1").unwrap();
    let given = [
        ("eta", "0.05"),
        ("L", "10"),
        ("c", "5"),
        ("r", "1"),
        ("d0", "1"),
        ("t2", "10"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let inputs = model.point(&given, &|p| p.name.clone()).unwrap();
    let point = sgdbounds::verify::evaluate_point(
        &model,
        &inputs,
        sgdbounds::verify::Precision::new(64, 8),
    );
    let h = model
        .theory
        .hypotheses
        .iter()
        .position(|h| h.name == "eta_below_half_over_L")
        .unwrap();
    assert_eq!(point.hypotheses[h].truth, Truth::False);
    assert!(point.hypotheses[h].parts[0].decided.exact);
}
