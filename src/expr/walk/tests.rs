//! The walker over every domain, checked against the truth rather than against another
//! evaluator: on a tape with every instruction, each enclosure (MPFR at two precisions, double
//! doubles with and without cached reciprocals) holds the exact rational value, or the value at
//! a much higher precision, at points of its box; a certain fault means no point of the box has
//! a value; partial runs answer what a whole run answers or that a register is stale; the f64
//! lanes are the scalar f64 bit for bit and near the truth. Then what the walker adds (the
//! double-double evaluator's freshness check, the defaults of a domain that covers little).

use super::{Answer, Domain, Eval};
use crate::arith::dd::DdInterval;
use crate::arith::{ArithError, Interval};
use crate::expr::{
    DdEval, DdMiss, F64Eval, F64Lanes, Fault, IntervalEval, Op, RationalEval, Reg, Tape,
    differentiate, parse,
};
use rug::Rational;
use std::collections::{HashMap, HashSet};

/// Sources whose tape, with their derivatives in x and y, holds every instruction, faults of
/// every kind (certain and not), first-operand faults both ways round, and divisors that do and
/// do not depend on y.
const SOURCES: &[&str] = &[
    "x + y",
    "x - y",
    "x*y",
    "x*x",
    "x/y",
    "-x",
    "x^2",
    "x^3",
    "x^(-1)",
    "x^(-2)",
    "x^0",
    "x^123456789012",
    "x^y",
    "2^x",
    "sqrt(x)",
    "log(x)",
    "exp(x)",
    "exp(exp(exp(x)))",
    "floor(x)",
    "ceil(x)*y",
    "abs(x)",
    "sin(x)",
    "cos(x*y)",
    "min(x, y)",
    "max(x*x, y)",
    "abs(x - y)*y",
    "sqrt(x - 1) + log(y)",
    "log(y) + sqrt(x - 1)",
    "sin(log(x)) + cos(sqrt(y))",
    "1/(x - y)",
    "y/(x*x + 1) + (x*y + 1)/(y*y + 1) + y/x",
    "min(x*x, y) + max(x, y*y) + abs(x - y)",
];

/// The tape of [`SOURCES`] and their derivatives, and its registers that are roots.
fn tape_with_every_op() -> (Tape, Vec<Reg>) {
    let mut tape = Tape::new(vec!["x".into(), "y".into()]);
    let env: HashMap<String, Reg> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
    let src = tape.add_source("test", "");
    let mut roots: Vec<Reg> = SOURCES
        .iter()
        .map(|s| tape.compile(&parse(s, "t").unwrap(), &env, src).unwrap())
        .collect();
    let grads = differentiate(&mut tape, &roots.clone(), &[0, 1]);
    roots.extend(grads.into_iter().flatten().flatten());
    let kinds: HashSet<_> = tape
        .instrs
        .iter()
        .map(|i| std::mem::discriminant(&i.op))
        .collect();
    assert_eq!(kinds.len(), 23, "every kind of instruction is on the tape");
    (tape, roots)
}

fn q(s: &str) -> Rational {
    s.parse().unwrap()
}

/// Points (x, y): inside every domain, on the edges (0, 1, x = y) and outside.
const POINTS: &[(&str, &str)] = &[
    ("3/2", "1/3"),
    ("-2", "5/7"),
    ("0", "0"),
    ("1", "1"),
    ("1/10", "-3"),
    ("7", "2"),
    ("-1/3", "-1/3"),
    ("2", "0"),
    ("5", "-7/2"),
];

fn same_interval(a: &Interval, b: &Interval) -> bool {
    a.prec() == b.prec() && a.lo().total_cmp(b.lo()).is_eq() && a.hi().total_cmp(b.hi()).is_eq()
}

fn same_f64(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// The MPFR enclosures of `(x, y)` widened by `w` on each side.
fn boxed(x: &Rational, y: &Rational, w: &Rational) -> [Interval; 2] {
    use rug::Float;
    use rug::float::Round;
    [x, y].map(|v| {
        Interval::new(
            Float::with_val_round(128, Rational::from(v - w), Round::Down).0,
            Float::with_val_round(128, Rational::from(v + w), Round::Up).0,
        )
        .unwrap()
    })
}

/// Points of the box `(x, y) ± w`: its corners, its centre, the middles of its edges and two
/// points off every grid (exact rationals, all inside the box).
fn points_of(x: &Rational, y: &Rational, w: &Rational) -> Vec<[Rational; 2]> {
    let steps = ["-1", "-1/2", "0", "1/2", "1", "-5/7", "3/11"];
    let mut out = Vec::new();
    for (i, a) in steps.iter().enumerate() {
        for (j, b) in steps.iter().enumerate() {
            // the 3×3 lattice and the diagonal of the two off-grid steps
            if (i < 5 && j < 5 && i % 2 == 0 && j % 2 == 0) || (i >= 5 && j >= 5) || i == j {
                out.push([(x + (w * q(a))), (y + (w * q(b)))]);
            }
        }
    }
    out
}

/// Whether the double-double interval `v` holds `t` (its ends read exactly).
fn dd_holds(v: &DdInterval, t: &Rational) -> bool {
    let exact =
        |d: crate::arith::dd::Dd| Some(Rational::from_f64(d.hi)? + Rational::from_f64(d.lo)?);
    let (lo, hi) = (v.lo(), v.hi());
    let above = lo.hi == f64::NEG_INFINITY || exact(lo).is_some_and(|l| l <= *t);
    let below = hi.hi == f64::INFINITY || exact(hi).is_some_and(|h| *t <= h);
    above && below
}

/// Whether two MPFR enclosures share a point (each holds the same true value).
fn meet(a: &Interval, b: &Interval) -> bool {
    a.lo() <= b.hi() && b.lo() <= a.hi()
}

/// The truth at one point of a register: its exact rational value where the tape is rational
/// there, else an MPFR enclosure at 1024 bits; `None` where it has no value.
enum Truth {
    Exact(Rational),
    Close(Interval),
    Undefined,
}

/// Whether `e` says the value does not exist (rather than that it could not be computed:
/// overflow, an exponent too large, the derivative of floor).
fn no_value(e: &ArithError) -> bool {
    matches!(
        e,
        ArithError::DivisionByZero { certain: true }
            | ArithError::SqrtOfNegative { certain: true }
            | ArithError::LogOfNonPositive { certain: true }
            | ArithError::PowDomain { certain: true }
    )
}

/// The truth at `p` for every register of `tape` (the rational evaluator first, then MPFR at
/// 1024 bits for what is irrational there; a register neither answers is left `Undefined`
/// only if MPFR faults with certainty at the point).
fn truth_at(tape: &Tape, p: &[Rational; 2]) -> Vec<Option<Truth>> {
    let mut exact = RationalEval::new(tape);
    exact.run(tape, p);
    let mut fine = IntervalEval::new(tape, 1024);
    fine.set_input(0, &p[0]);
    fine.set_input(1, &p[1]);
    fine.run(tape);
    (0..tape.len())
        .map(|r| match (exact.get(r), fine.get(r)) {
            (Some(v), _) => Some(Truth::Exact(v.clone())),
            (None, Ok(v)) => Some(Truth::Close(v.clone())),
            (None, Err(f)) if no_value(&f.error) => Some(Truth::Undefined),
            // not computed at 1024 bits (overflow, a kink met exactly): no claim either way
            (None, Err(_)) => None,
        })
        .collect()
}

/// The MPFR enclosure of every register over the box `(x, y) ± w`, at 128 bits, against the
/// truth at points of the box: an answer holds the value at every point; a certain fault
/// means the register has a value at none of them.
#[test]
fn mpfr_enclosures_hold_the_truth_at_every_point_of_their_box() {
    let (tape, _) = tape_with_every_op();
    let mut ev = IntervalEval::new(&tape, 128);
    let (mut held, mut faulted) = (0, 0);
    for (x, y) in POINTS {
        let (x, y) = (q(x), q(y));
        for w in ["0", "1/4", "3"] {
            let w = q(w);
            let [bx, by] = boxed(&x, &y, &w);
            ev.set_input_interval(0, &bx);
            ev.set_input_interval(1, &by);
            ev.run(&tape);
            for p in points_of(&x, &y, &w) {
                for (r, truth) in truth_at(&tape, &p).into_iter().enumerate() {
                    let what = || format!("register {r} over ({x}, {y}) ± {w} at {p:?}");
                    match (ev.get(r), truth) {
                        (Ok(v), Some(Truth::Exact(t))) => {
                            assert!(v.contains_rational(&t), "{}: {v:?} ∌ {t}", what());
                            held += 1;
                        }
                        (Ok(v), Some(Truth::Close(t))) => {
                            assert!(meet(v, &t), "{}: {v:?} misses {t:?}", what());
                            held += 1;
                        }
                        (Err(f), Some(Truth::Exact(_) | Truth::Close(_))) => {
                            assert!(!no_value(&f.error), "{}: {f:?}", what());
                        }
                        (Err(f), _) if no_value(&f.error) => faulted += 1,
                        _ => {}
                    }
                }
            }
        }
    }
    assert!(
        held > 10_000 && faulted > 100,
        "{held} values held, {faulted} faults"
    );
}

/// Partial runs answer, for each register they compute, what a whole run from scratch
/// answers (bit for bit), and for a register whose operands were not recomputed after an
/// input changed, that it is stale; registers left out keep the answer of the inputs they
/// were computed for, or say they are stale.
#[test]
fn partial_runs_answer_a_whole_run_or_stale() {
    let (tape, roots) = tape_with_every_op();
    let n = tape.len();
    let depends_on = |r: Reg, input: usize| tape.needed(&[r])[input];
    for (x, y) in POINTS {
        let (x, y) = (q(x), q(y));
        let moved = Rational::from(&y + 1u32);
        let mut ev = IntervalEval::new(&tape, 128);
        ev.set_input(0, &x);
        ev.set_input(1, &y);
        ev.run(&tape);
        let before: Vec<_> = (0..n)
            .map(|r| ev.get(r).cloned().map_err(Clone::clone))
            .collect();
        ev.set_input(1, &moved);
        let some = tape.slice(&roots[..roots.len() / 3]);
        ev.run_selected(&tape, &some);
        let mut whole = IntervalEval::new(&tape, 128);
        whole.set_input(0, &x);
        whole.set_input(1, &moved);
        whole.run(&tape);
        for (r, kept) in before.iter().enumerate() {
            let now = ev.get(r);
            if some.contains(&r) || r < 2 {
                match (now, whole.get(r)) {
                    (Ok(a), Ok(b)) => assert!(same_interval(a, b), "register {r}"),
                    (Err(a), Err(b)) => assert_eq!(a, b, "register {r}"),
                    (a, b) => panic!("register {r}: {a:?} vs {b:?}"),
                }
            } else if depends_on(r, 1) {
                assert_eq!(
                    now.unwrap_err().error,
                    ArithError::NotComputed,
                    "register {r}"
                );
            } else {
                match (now, kept) {
                    (Ok(a), Ok(b)) => assert!(same_interval(a, b), "register {r} kept"),
                    (Err(a), Err(b)) => assert_eq!(a, b, "register {r} kept"),
                    (a, b) => panic!("register {r} kept: {a:?} vs {b:?}"),
                }
            }
        }
        // a list with gaps: what reads a register outside it is stale, nothing else is
        ev.set_input(0, &Rational::from(&x - 1u32));
        let gaps: Vec<Reg> = (2..n).filter(|r| r % 3 == 0).collect();
        ev.run_selected(&tape, &gaps);
        for &r in &gaps {
            let reads_stale = tape.instrs[r]
                .op
                .operands()
                .any(|a| a >= 2 && !gaps.contains(&a) && depends_on(a, 0));
            if reads_stale {
                assert!(ev.get(r).is_err(), "register {r} read a stale operand");
            }
        }
        // the base part, then the rest: a whole run
        ev.run_range(&tape, 0, n / 2);
        ev.run_range(&tape, n / 2, n);
        whole.set_input(0, &Rational::from(&x - 1u32));
        whole.run(&tape);
        for r in 0..n {
            match (ev.get(r), whole.get(r)) {
                (Ok(a), Ok(b)) => assert!(same_interval(a, b), "register {r}"),
                (Err(a), Err(b)) => assert_eq!(a, b, "register {r}"),
                (a, b) => panic!("register {r}: {a:?} vs {b:?}"),
            }
        }
        // the exact evaluator alike
        let mut exact = RationalEval::new(&tape);
        let mut fresh = RationalEval::new(&tape);
        exact.run(&tape, &[x.clone(), y.clone()]);
        let half = tape.slice(&roots[roots.len() / 2..]);
        exact.run_selected(&tape, &[x.clone(), moved.clone()], &half);
        fresh.run(&tape, &[x.clone(), moved.clone()]);
        for &r in &half {
            assert_eq!(exact.get(r), fresh.get(r), "register {r}");
        }
    }
}

/// The exact evaluator answers only true values: where it answers, the value satisfies its
/// instruction (checked against MPFR at 1024 bits at the point), and it answers every
/// register of a rational cone where MPFR finds no fault.
#[test]
fn exact_rationals_are_the_values_mpfr_encloses() {
    let (tape, _) = tape_with_every_op();
    let mut exact = RationalEval::new(&tape);
    let mut fine = IntervalEval::new(&tape, 1024);
    let mut answered = 0;
    for (x, y) in POINTS {
        let inputs = [q(x), q(y)];
        exact.run(&tape, &inputs);
        fine.set_input(0, &inputs[0]);
        fine.set_input(1, &inputs[1]);
        fine.run(&tape);
        for r in 0..tape.len() {
            if let Some(v) = exact.get(r) {
                match fine.get(r) {
                    Ok(e) => {
                        assert!(
                            e.contains_rational(v),
                            "register {r} at ({x}, {y}): {v} ∉ {e:?}"
                        );
                        answered += 1;
                    }
                    Err(f) => assert!(!no_value(&f.error), "register {r}: {v} but {f:?}"),
                }
            }
        }
    }
    assert!(answered > 500, "{answered}");
}

/// The scalar f64 evaluator and the four f64 lanes agree bit for bit, over whole runs and
/// slices, and both are near the truth where it is of a moderate size.
#[test]
fn f64_lanes_are_the_scalar_f64_bit_for_bit_and_near_the_truth() {
    let (tape, roots) = tape_with_every_op();
    let n = tape.len();
    let mut scalar = F64Eval::new(&tape);
    let mut lanes = F64Lanes::<4>::new(&tape);
    let all: Vec<Reg> = (0..n).collect();
    let some = tape.slice(&roots[..roots.len() / 2]);
    let mut near = 0;
    for k in 0..POINTS.len() {
        let lane = |i: usize| {
            let (x, y) = POINTS[(k + i) % POINTS.len()];
            [q(x), q(y)]
        };
        let xs: [f64; 4] = std::array::from_fn(|i| lane(i)[0].to_f64());
        let ys: [f64; 4] = std::array::from_fn(|i| lane(i)[1].to_f64());
        for list in [&all, &some] {
            lanes.set_input(0, &xs);
            lanes.set_input(1, &ys);
            lanes.run_selected(&tape, list);
            for j in 0..4 {
                scalar.run(&tape, &[xs[j], ys[j]]);
                for &r in list.iter() {
                    assert!(
                        same_f64(lanes.get(r)[j], scalar.get(r)),
                        "lane {j}, register {r}"
                    );
                }
            }
        }
        // the inputs are read as f64 (1/10 and 1/3 are not exact): the truth at those values
        let p = [
            Rational::from_f64(xs[0]).unwrap(),
            Rational::from_f64(ys[0]).unwrap(),
        ];
        scalar.run(&tape, &[xs[0], ys[0]]);
        for (r, truth) in truth_at(&tape, &p).into_iter().enumerate() {
            let v = scalar.get(r);
            let t = match truth {
                Some(Truth::Exact(t)) => t.to_f64(),
                Some(Truth::Close(t)) => t.lo().to_f64(),
                Some(Truth::Undefined) => {
                    assert!(!v.is_finite(), "register {r}: {v} where undefined");
                    continue;
                }
                None => continue,
            };
            if t.is_finite() && (t == 0.0 || (1e-100..1e100).contains(&t.abs())) {
                assert!(
                    (v - t).abs() <= 1e-9 * t.abs().max(1.0),
                    "register {r} at {p:?}: {v} vs {t}"
                );
                near += 1;
            }
        }
    }
    assert!(near > 500, "{near}");
}

/// Every register's MPFR answer handed to the double-double evaluator (as the table does for
/// what its inner rows do not recompute).
fn hand_over(dd: &mut DdEval, ev: &IntervalEval, r: Reg) {
    use crate::expr::CertainFault;
    match ev.get(r) {
        Ok(x) => dd.set(r, DdInterval::from_interval(x)),
        Err(f) => match CertainFault::of(&f.error) {
            Some(fault) => dd.set_fault(r, fault),
            None => dd.set(r, None),
        },
    }
}

/// Double-double enclosures hold the truth, computed whole or with the registers that do not
/// depend on y handed over from MPFR and y moved (so that divisions by them take the cached
/// reciprocal), in both accuracies; a certain fault means no value.
#[test]
fn double_doubles_hold_the_truth_with_and_without_cached_reciprocals() {
    let (tape, _) = tape_with_every_op();
    let n = tape.len();
    let all: Vec<Reg> = (0..n).collect();
    let on_y: Vec<Reg> = (2..n)
        .filter(|&r| {
            let mut cone = tape.needed(&[r]);
            std::mem::take(&mut cone[1])
        })
        .collect();
    // divisions in the recomputed part by a divisor that is not (the cached reciprocal)
    let cached: Vec<Reg> = on_y
        .iter()
        .copied()
        .filter(|&r| matches!(tape.instrs[r].op, Op::Div(_, b) if b > 1 && !on_y.contains(&b)))
        .collect();
    assert!(cached.len() >= 2, "{cached:?}");
    let (mut defined, mut held) = (0, 0);
    let mut mpfr = IntervalEval::new(&tape, 256);
    let check = |dd: &DdEval, p: &[Rational; 2], held: &mut usize| {
        for (r, truth) in truth_at(&tape, p).into_iter().enumerate() {
            match (dd.get(r), truth) {
                (Ok(v), Some(Truth::Exact(t))) => {
                    assert!(dd_holds(v, &t), "register {r} at {p:?}: {v:?} ∌ {t}");
                    *held += 1;
                }
                (Ok(v), Some(Truth::Close(t))) => {
                    let (lo, hi) = (v.lo(), v.hi());
                    let lo =
                        Rational::from_f64(lo.hi).map(|a| a + Rational::from_f64(lo.lo).unwrap());
                    let hi =
                        Rational::from_f64(hi.hi).map(|a| a + Rational::from_f64(hi.lo).unwrap());
                    assert!(
                        lo.is_none_or(|l| *t.hi() >= l) && hi.is_none_or(|h| *t.lo() <= h),
                        "register {r} at {p:?}: {v:?} misses {t:?}"
                    );
                    *held += 1;
                }
                (Ok(v), Some(Truth::Undefined)) => panic!("register {r} at {p:?}: {v:?}"),
                (Err(DdMiss::Fault(f)), Some(Truth::Exact(_) | Truth::Close(_))) => {
                    panic!("register {r} at {p:?}: {f:?} where it has a value")
                }
                _ => {}
            }
        }
    };
    for accurate in [false, true] {
        let mut dd = DdEval::new(&tape);
        dd.accurate = accurate;
        for (k, (x, y)) in POINTS.iter().enumerate() {
            let (x, y) = (q(x), q(y));
            dd.set(0, DdInterval::from_rational(&x));
            dd.set(1, DdInterval::from_rational(&y));
            if k % 2 == 0 {
                dd.run_selected(&tape, &all);
            } else {
                mpfr.set_input(0, &x);
                mpfr.set_input(1, &y);
                mpfr.run(&tape);
                for r in 2..n {
                    if !on_y.contains(&r) {
                        hand_over(&mut dd, &mpfr, r);
                    }
                }
                dd.run_selected(&tape, &on_y);
            }
            check(&dd, &[x.clone(), y.clone()], &mut held);
            for dy in ["1/7", "2", "-5/3"] {
                let y = &y + q(dy);
                dd.set(1, DdInterval::from_rational(&y));
                dd.run_selected(&tape, &on_y);
                check(&dd, &[x.clone(), y.clone()], &mut held);
                defined += cached.iter().filter(|&&r| dd.get(r).is_ok()).count();
            }
        }
    }
    assert!(
        defined > 20,
        "the cached reciprocals were used {defined} times"
    );
    assert!(held > 2000, "{held}");
}

#[test]
fn double_doubles_answer_a_stale_read_with_ask_mpfr() {
    let mut tape = Tape::new(vec!["x".into(), "y".into()]);
    let env: HashMap<String, Reg> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
    let mut reg = |s: &str| tape.compile(&parse(s, "t").unwrap(), &env, 0).unwrap();
    let sum = reg("x + y");
    let times = reg("(x + y)*x");
    let mut dd = DdEval::new(&tape);
    let set = |dd: &mut DdEval, r: Reg, v: &str| dd.set(r, DdInterval::from_rational(&q(v)));
    set(&mut dd, 0, "1");
    set(&mut dd, 1, "2");
    assert_eq!(dd.get(sum), Err(&DdMiss::Unsupported), "not yet computed");
    dd.run_selected(&tape, &[sum]);
    assert!(
        dd.get(sum)
            .is_ok_and(|v| v.lo().hi == 3.0 && v.hi().hi == 3.0)
    );
    // y changes and x + y is not recomputed: it is stale (the evaluator this walker replaced
    // answered the sum for y = 2)
    set(&mut dd, 1, "5");
    assert_eq!(dd.get(sum), Err(&DdMiss::Unsupported));
    // an instruction reading it is not computed either (the old one multiplied 3 by 1)
    dd.run_selected(&tape, &[times]);
    assert_eq!(dd.get(times), Err(&DdMiss::Unsupported));
    // recomputed, both are fresh again
    dd.run_selected(&tape, &[sum, times]);
    assert!(
        dd.get(times)
            .is_ok_and(|v| v.lo().hi == 6.0 && v.hi().hi == 6.0)
    );
    // a register written from outside is fresh until an input it depends on changes
    dd.set(sum, DdInterval::from_rational(&q("10")));
    dd.run_selected(&tape, &[times]);
    assert!(dd.get(times).is_ok_and(|v| v.lo().hi == 10.0));
    set(&mut dd, 0, "3");
    assert_eq!(dd.get(sum), Err(&DdMiss::Unsupported));
}

#[test]
fn a_fault_comes_from_the_first_faulty_operand_and_a_stale_read_says_so() {
    let mut tape = Tape::new(vec!["x".into(), "y".into()]);
    let env: HashMap<String, Reg> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
    let mut reg = |s: &str| tape.compile(&parse(s, "t").unwrap(), &env, 0).unwrap();
    let root = reg("sqrt(x)");
    let log = reg("log(y)");
    let ab = reg("sqrt(x) + log(y)");
    let ba = reg("log(y) + sqrt(x)");
    let mut ev = IntervalEval::new(&tape, 64);
    let stale = Fault {
        error: ArithError::NotComputed,
        at: 0,
    };
    assert_eq!(ev.get(ab), Err(&stale));
    ev.set_input(0, &q("-1"));
    ev.set_input(1, &q("-1"));
    ev.run(&tape);
    let sqrt_fault = Fault {
        error: ArithError::SqrtOfNegative { certain: true },
        at: root,
    };
    let log_fault = Fault {
        error: ArithError::LogOfNonPositive { certain: true },
        at: log,
    };
    assert_eq!(ev.get(ab), Err(&sqrt_fault));
    assert_eq!(ev.get(ba), Err(&log_fault));
    // y changes; only the sums run: their operand log(y) is stale
    ev.set_input(1, &q("2"));
    ev.run_selected(&tape, &[ab, ba]);
    for r in [ab, ba] {
        let at_r = Fault {
            error: ArithError::NotComputed,
            at: r,
        };
        assert_eq!(ev.get(r), Err(&at_r));
    }
    assert_eq!(ev.get(log), Err(&stale));
    assert_eq!(ev.get(root), Err(&sqrt_fault), "x did not change");
    // the exact evaluator: no value for either
    let mut exact = RationalEval::new(&tape);
    exact.run(&tape, &[q("4"), q("1")]);
    assert_eq!(exact.get(ab), None, "a square root is not rational");
    assert_eq!(exact.get(0), Some(&q("4")));
}

/// A domain of integers that adds and multiplies and nothing else.
#[derive(Clone, Debug)]
struct Integers;

#[derive(Clone, Debug, PartialEq)]
enum Miss {
    Unsupported(Reg),
    NotInteger(Reg),
    Stale(Reg),
}

impl Domain for Integers {
    type Value = i64;
    type Error = Option<()>;
    type Fault = Miss;
    const CHECKED: bool = true;

    fn blank(&self) -> i64 {
        0
    }
    fn constant(&mut self, out: &mut i64, q: &Rational) -> Result<(), Option<()>> {
        *out = q
            .is_integer()
            .then(|| q.numer().to_i64())
            .flatten()
            .ok_or(Some(()))?;
        Ok(())
    }
    fn fault(&self, error: Option<()>, at: Reg) -> Miss {
        match error {
            None => Miss::Unsupported(at),
            Some(()) => Miss::NotInteger(at),
        }
    }
    fn stale(&self, at: Reg) -> Miss {
        Miss::Stale(at)
    }
    fn unsupported(&self) -> Option<()> {
        None
    }
    fn add(&mut self, out: &mut i64, a: &i64, b: &i64) -> Answer<Self> {
        *out = a.checked_add(*b).ok_or(Some(()))?;
        Ok(())
    }
    fn mul(&mut self, out: &mut i64, a: &i64, b: &i64) -> Answer<Self> {
        *out = a.checked_mul(*b).ok_or(Some(()))?;
        Ok(())
    }
}

#[test]
fn a_domain_that_covers_little_answers_unsupported_and_carries_faults() {
    let mut tape = Tape::new(vec!["x".into()]);
    let env: HashMap<String, Reg> = [("x".to_string(), 0)].into();
    let mut reg = |s: &str| tape.compile(&parse(s, "t").unwrap(), &env, 0).unwrap();
    let poly = reg("3*x*x + 2*x + 1");
    let half = reg("x + 0.5");
    let root = reg("sqrt(x)");
    let both = reg("(x + 0.5) + sqrt(x)*2");
    let mut ev = Eval::with_domain(&tape, Integers);
    *ev.input_mut(0) = 5;
    ev.walk(&tape);
    assert_eq!(ev.value(poly), Ok(&86));
    let Op::Add(_, k) = tape.instrs[half].op else {
        panic!()
    };
    assert_eq!(ev.value(half), Err(&Miss::NotInteger(k)), "the literal 0.5");
    assert_eq!(ev.value(root), Err(&Miss::Unsupported(root)));
    assert_eq!(
        ev.value(both),
        Err(&Miss::NotInteger(k)),
        "the first operand's"
    );
    *ev.input_mut(0) = 6;
    assert_eq!(ev.value(poly), Err(&Miss::Stale(0)));
    ev.walk_selected(&tape, &[poly]);
    assert!(matches!(ev.value(poly), Err(Miss::Stale(r)) if *r == poly));
    ev.walk_selected(&tape, &tape.slice(&[poly]));
    assert_eq!(ev.value(poly), Ok(&121));
}

/// Extended mode agrees with the default mode wherever the default mode answers (bit for
/// bit), faults alike where the default faults for a reason other than overflow, and answers
/// where the default overflows; over inputs with infinite ends it answers extended intervals
/// and never faults with overflow.
#[test]
fn extended_mode_agrees_with_the_default_mode_and_answers_infinite_ends() {
    use crate::arith::interval::extended;
    use rug::Float;
    let (tape, _) = tape_with_every_op();
    let n = tape.len();
    let mut def = IntervalEval::new(&tape, 128);
    let mut ext = IntervalEval::new_extended(&tape, 128);
    assert!(!def.is_extended() && ext.is_extended());
    let mut overflows = 0;
    for (x, y) in POINTS
        .iter()
        .chain(&[("40", "1"), ("1000000000000000000000000000000", "3")])
    {
        let (x, y) = (q(x), q(y));
        for w in ["1/4", "3"] {
            let [bx, by] = boxed(&x, &y, &q(w));
            for ev in [&mut def, &mut ext] {
                ev.set_input_interval(0, &bx);
                ev.set_input_interval(1, &by);
                ev.run(&tape);
            }
            for r in 0..n {
                match (def.get(r), ext.get(r)) {
                    (Ok(a), Ok(b)) => assert!(same_interval(a, b), "register {r}: {a:?} {b:?}"),
                    (Err(f), Ok(b)) => {
                        assert_eq!(f.error, ArithError::Overflow, "register {r}");
                        assert_eq!(extended::check(b), Ok(()), "register {r}");
                        overflows += 1;
                    }
                    (Err(f), Err(g)) => {
                        assert_ne!(g.error, ArithError::Overflow, "register {r}");
                        // an operand the default mode lost to overflow may fault otherwise
                        if f.error != ArithError::Overflow {
                            assert_eq!(f, g, "register {r}");
                        }
                    }
                    (Ok(a), Err(g)) => panic!("register {r}: {a:?} but extended {g:?}"),
                }
            }
        }
    }
    assert!(overflows > 0, "exp(exp(exp(x))) overflows somewhere");
    // inputs with infinite ends
    let f = |v: f64| Float::with_val(128, v);
    let (inf, ninf) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut answered = 0;
    for (xl, xh) in [
        (1.0, inf),
        (ninf, -2.0),
        (ninf, inf),
        (0.0, inf),
        (1e6, inf),
    ] {
        for (yl, yh) in [(2.0, inf), (ninf, 0.5), (-1.0, 1.0), (ninf, inf)] {
            ext.set_input_bounds(0, &f(xl), &f(xh));
            ext.set_input_bounds(1, &f(yl), &f(yh));
            ext.run(&tape);
            def.set_input_bounds(0, &f(xl), &f(xh));
            def.set_input_bounds(1, &f(yl), &f(yh));
            def.run(&tape);
            assert!(
                ext.get(0)
                    .is_ok_and(|v| v.lo() == &f(xl) && v.hi() == &f(xh))
            );
            for r in 0..n {
                match ext.get(r) {
                    Ok(v) => {
                        assert_eq!(extended::check(v), Ok(()), "register {r}");
                        answered += 1;
                    }
                    Err(g) => assert_ne!(g.error, ArithError::Overflow, "register {r}"),
                }
                if let Ok(d) = def.get(r) {
                    // what the default mode answers, extended mode answers alike
                    assert!(
                        ext.get(r).is_ok_and(|e| same_interval(d, e)),
                        "register {r}"
                    );
                }
            }
        }
    }
    assert!(answered > 0);
    // the default mode faults with overflow on x + 1 over x ∈ [1, +∞]; extended answers
    let mut t = Tape::new(vec!["x".into()]);
    let env: HashMap<String, Reg> = [("x".to_string(), 0)].into();
    let mut reg = |s: &str| t.compile(&parse(s, "t").unwrap(), &env, 0).unwrap();
    let sum = reg("x + 1");
    let decay = reg("exp(-x)*x^2");
    let recip = reg("1/x");
    let mut ev = IntervalEval::new(&t, 64);
    ev.set_input_bounds(0, &f(1.0), &f(inf));
    ev.run(&t);
    assert_eq!(ev.get(sum).unwrap_err().error, ArithError::Overflow);
    assert_eq!(ev.get(decay).unwrap_err().error, ArithError::Overflow);
    ev.set_extended(true);
    assert!(ev.is_extended());
    ev.set_input_bounds(0, &f(1.0), &f(inf));
    ev.run(&t);
    let v = ev.get(sum).unwrap();
    assert!(*v.lo() == 2 && v.hi().is_infinite());
    // exp(−x)·x² is bounded for each x, but the enclosure is [0, e⁻¹]·[1, +∞] = [0, +∞]
    let v = ev.get(decay).unwrap();
    assert!(v.lo().is_zero() && v.hi().is_infinite());
    let v = ev.get(recip).unwrap();
    assert!(v.lo().is_zero() && *v.hi() == 1);
    // bounds that hold no real number fault at the input in extended mode
    ev.set_input_bounds(0, &f(inf), &f(inf));
    ev.run(&t);
    let at_input = Fault {
        error: ArithError::Overflow,
        at: 0,
    };
    assert_eq!(ev.get(0), Err(&at_input));
    assert_eq!(ev.get(sum), Err(&at_input));
    ev.set_input_interval(0, &Interval::new(f(ninf), f(ninf)).unwrap());
    ev.run(&t);
    assert_eq!(ev.get(recip), Err(&at_input));
    // and a new input clears the fault
    ev.set_input_bounds(0, &f(ninf), &f(-1.0));
    ev.run(&t);
    let v = ev.get(recip).unwrap();
    assert!(*v.lo() == -1 && v.hi().is_zero());
    // back to the default mode: the same input is set as given, and x + 1 overflows again
    ev.set_extended(false);
    ev.set_input_bounds(0, &f(inf), &f(inf));
    ev.run(&t);
    assert!(ev.get(0).is_ok());
    assert_eq!(ev.get(sum).unwrap_err().error, ArithError::Overflow);
}
