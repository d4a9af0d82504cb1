//! The walker over every domain against the evaluators it replaced ([`super::legacy`]), on a
//! tape with every instruction: the same values (bit for bit), the same faults at the same
//! registers, the same freshness answers; and what the walker adds (the double-double
//! evaluator's freshness check, the defaults of a domain that covers little).

use super::legacy::{OldDd, OldF64, OldInterval, OldLanes, OldRational};
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

fn same_dd(a: &DdInterval, b: &DdInterval) -> bool {
    let bits = |x: &DdInterval| [x.lo().hi, x.lo().lo, x.hi().hi, x.hi().lo].map(f64::to_bits);
    bits(a) == bits(b)
}

fn same_f64(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn assert_same_mpfr(new: &IntervalEval, old: &OldInterval, n: usize, what: &str) {
    for r in 0..n {
        match (new.get(r), old.get(r)) {
            (Ok(a), Ok(b)) => assert!(same_interval(a, b), "{what}, register {r}: {a:?} vs {b:?}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{what}, register {r}"),
            (a, b) => panic!("{what}, register {r}: {a:?} vs {b:?}"),
        }
    }
}

fn assert_same_rational(new: &RationalEval, old: &OldRational, n: usize, what: &str) {
    for r in 0..n + 2 {
        assert_eq!(new.get(r), old.get(r), "{what}, register {r}");
    }
}

fn assert_same_dd(new: &DdEval, old: &OldDd, n: usize, what: &str) {
    for r in 0..n {
        match (new.get(r), old.get(r)) {
            (Ok(a), Ok(b)) => assert!(same_dd(a, b), "{what}, register {r}: {a:?} vs {b:?}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{what}, register {r}"),
            (a, b) => panic!("{what}, register {r}: {a:?} vs {b:?}"),
        }
    }
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

#[test]
fn mpfr_intervals_agree_with_the_old_evaluator() {
    let (tape, roots) = tape_with_every_op();
    let n = tape.len();
    let mut new = IntervalEval::new(&tape, 128);
    let mut old = OldInterval::new(&tape, 128);
    assert_same_mpfr(&new, &old, n, "before any run");
    for (x, y) in POINTS {
        let (x, y) = (q(x), q(y));
        // at a point, then over a box around it (straddling 0 and the kinks of min, max, abs)
        for w in ["0", "1/4", "3"] {
            if w == "0" {
                new.set_input(0, &x);
                new.set_input(1, &y);
                old.set_input(0, &x);
                old.set_input(1, &y);
            } else {
                let [bx, by] = boxed(&x, &y, &q(w));
                new.set_input_interval(0, &bx);
                new.set_input_interval(1, &by);
                old.set_input_interval(0, &bx);
                old.set_input_interval(1, &by);
            }
            assert_same_mpfr(&new, &old, n, "inputs set, nothing run");
            new.run(&tape);
            old.run(&tape);
            assert_same_mpfr(&new, &old, n, &format!("({x}, {y}) ± {w}, whole tape"));
        }
        // partial runs: y changes, only some roots are recomputed (the others are stale), and
        // a list that leaves out what its registers depend on (stale operands)
        new.set_input(1, &Rational::from(&y + 1u32));
        old.set_input(1, &Rational::from(&y + 1u32));
        let some = tape.slice(&roots[..roots.len() / 3]);
        new.run_selected(&tape, &some);
        old.run_selected(&tape, &some);
        assert_same_mpfr(&new, &old, n, "a slice");
        let gaps: Vec<Reg> = (0..n).filter(|r| r % 3 == 0).collect();
        new.set_input(0, &Rational::from(&x - 1u32));
        old.set_input(0, &Rational::from(&x - 1u32));
        new.run_selected(&tape, &gaps);
        old.run_selected(&tape, &gaps);
        assert_same_mpfr(&new, &old, n, "a list with gaps");
        // the base part, then the rest
        new.run_range(&tape, 0, n / 2);
        old.run_range(&tape, 0, n / 2);
        assert_same_mpfr(&new, &old, n, "the first half");
        new.run_range(&tape, n / 2, n);
        old.run_range(&tape, n / 2, n);
        assert_same_mpfr(&new, &old, n, "the second half");
    }
}

#[test]
fn exact_rationals_agree_with_the_old_evaluator() {
    let (tape, roots) = tape_with_every_op();
    let n = tape.len();
    let mut new = RationalEval::new(&tape);
    let mut old = OldRational::new(&tape);
    for (x, y) in POINTS {
        let inputs = [q(x), q(y)];
        new.run(&tape, &inputs);
        old.run(&tape, &inputs);
        assert_same_rational(&new, &old, n, &format!("({x}, {y}), whole tape"));
        let moved = [inputs[0].clone(), Rational::from(&inputs[1] + 1u32)];
        let some = tape.slice(&roots[roots.len() / 2..]);
        new.run_selected(&tape, &moved, &some);
        old.run_selected(&tape, &moved, &some);
        assert_same_rational(&new, &old, n, "a slice");
        let gaps: Vec<Reg> = (0..n).filter(|r| r % 2 == 1).collect();
        new.run_selected(&tape, &inputs, &gaps);
        old.run_selected(&tape, &inputs, &gaps);
        assert_same_rational(&new, &old, n, "a list with gaps");
    }
}

#[test]
fn f64_and_lanes_agree_with_the_old_evaluators() {
    let (tape, roots) = tape_with_every_op();
    let n = tape.len();
    let mut new = F64Eval::new(&tape);
    let mut old = OldF64::new(&tape);
    let mut lanes = F64Lanes::<4>::new(&tape);
    let mut old_lanes = OldLanes::<4>::new(&tape);
    let all: Vec<Reg> = (0..n).collect();
    let some = tape.slice(&roots[..roots.len() / 2]);
    for (k, (x, y)) in POINTS.iter().enumerate() {
        let inputs = [q(x).to_f64(), q(y).to_f64()];
        new.run(&tape, &inputs);
        old.run(&tape, &inputs);
        for r in 0..n {
            assert!(same_f64(new.get(r), old.get(r)), "({x}, {y}), register {r}");
        }
        new.run_selected(&tape, &[inputs[1], inputs[0]], &some);
        old.run_selected(&tape, &[inputs[1], inputs[0]], &some);
        new.run_range(&tape, &inputs, n / 2);
        old.run_range(&tape, &inputs, n / 2);
        for r in 0..n {
            assert!(same_f64(new.get(r), old.get(r)), "({x}, {y}), register {r}");
        }
        // four points at once: this one and its neighbours in the list
        let lane = |i: usize| {
            let (x, y) = POINTS[(k + i) % POINTS.len()];
            (q(x).to_f64(), q(y).to_f64())
        };
        let xs: [f64; 4] = std::array::from_fn(|i| lane(i).0);
        let ys: [f64; 4] = std::array::from_fn(|i| lane(i).1);
        for list in [&all, &some] {
            lanes.set_input(0, &xs);
            lanes.set_input(1, &ys);
            old_lanes.set_input(0, &xs);
            old_lanes.set_input(1, &ys);
            lanes.run_selected(&tape, list);
            old_lanes.run_selected(&tape, list);
            for r in 0..n {
                for j in 0..4 {
                    assert!(
                        same_f64(lanes.get(r)[j], old_lanes.get(r)[j]),
                        "lane {j}, register {r}"
                    );
                }
            }
        }
    }
}

/// Every register's MPFR answer handed to both double-double evaluators (as the table does for
/// what its inner rows do not recompute).
fn hand_over(new: &mut DdEval, old: &mut OldDd, ev: &IntervalEval, r: Reg) {
    use crate::expr::CertainFault;
    match ev.get(r) {
        Ok(x) => {
            new.set(r, DdInterval::from_interval(x));
            old.set(r, DdInterval::from_interval(x));
        }
        Err(f) => match CertainFault::of(&f.error) {
            Some(fault) => {
                new.set_fault(r, fault);
                old.set_fault(r, fault);
            }
            None => {
                new.set(r, None);
                old.set(r, None);
            }
        },
    }
}

#[test]
fn double_doubles_agree_with_the_old_evaluator_where_it_read_fresh_registers() {
    let (tape, _) = tape_with_every_op();
    let n = tape.len();
    let all: Vec<Reg> = (0..n).collect();
    // what depends on y (recomputed for each new y, as the table's inner rows are), and what
    // does not (handed over from MPFR, or kept from the last whole run: its divisors take the
    // cached reciprocal)
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
    let mut defined = 0;
    let mut mpfr = IntervalEval::new(&tape, 256);
    for accurate in [false, true] {
        let mut new = DdEval::new(&tape);
        let mut old = OldDd::new(&tape);
        new.accurate = accurate;
        old.accurate = accurate;
        assert_same_dd(&new, &old, n, "before any run");
        for (k, (x, y)) in POINTS.iter().enumerate() {
            let (x, y) = (q(x), q(y));
            for (r, v) in [(0, &x), (1, &y)] {
                new.set(r, DdInterval::from_rational(v));
                old.set(r, DdInterval::from_rational(v));
            }
            if k % 2 == 0 {
                new.run_selected(&tape, &all);
                old.run_selected(&tape, &all);
            } else {
                mpfr.set_input(0, &x);
                mpfr.set_input(1, &y);
                mpfr.run(&tape);
                for r in 2..n {
                    if !on_y.contains(&r) {
                        hand_over(&mut new, &mut old, &mpfr, r);
                    }
                }
                new.run_selected(&tape, &on_y);
                old.run_selected(&tape, &on_y);
            }
            assert_same_dd(&new, &old, n, &format!("({x}, {y})"));
            for dy in ["1/7", "2", "-5/3"] {
                let y = &y + q(dy);
                new.set(1, DdInterval::from_rational(&y));
                old.set(1, DdInterval::from_rational(&y));
                new.run_selected(&tape, &on_y);
                old.run_selected(&tape, &on_y);
                assert_same_dd(&new, &old, n, &format!("({x}, {y}), y moved"));
                defined += cached.iter().filter(|&&r| new.get(r).is_ok()).count();
            }
        }
    }
    assert!(
        defined > 20,
        "the cached reciprocals were used {defined} times"
    );
}

#[test]
fn double_doubles_now_answer_a_stale_read_with_ask_mpfr() {
    let mut tape = Tape::new(vec!["x".into(), "y".into()]);
    let env: HashMap<String, Reg> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
    let mut reg = |s: &str| tape.compile(&parse(s, "t").unwrap(), &env, 0).unwrap();
    let sum = reg("x + y");
    let times = reg("(x + y)*x");
    let mut dd = DdEval::new(&tape);
    let mut old = OldDd::new(&tape);
    let set = |dd: &mut DdEval, old: &mut OldDd, r: Reg, v: &str| {
        dd.set(r, DdInterval::from_rational(&q(v)));
        old.set(r, DdInterval::from_rational(&q(v)));
    };
    set(&mut dd, &mut old, 0, "1");
    set(&mut dd, &mut old, 1, "2");
    assert_eq!(dd.get(sum), Err(&DdMiss::Unsupported), "not yet computed");
    dd.run_selected(&tape, &[sum]);
    old.run_selected(&tape, &[sum]);
    assert!(same_dd(dd.get(sum).unwrap(), old.get(sum).unwrap()));
    // y changes and x + y is not recomputed: the old evaluator answered the sum for y = 2
    set(&mut dd, &mut old, 1, "5");
    assert!(old.get(sum).is_ok());
    assert_eq!(dd.get(sum), Err(&DdMiss::Unsupported));
    // an instruction reading it is not computed either (the old one multiplied 3 by 1)
    dd.run_selected(&tape, &[times]);
    old.run_selected(&tape, &[times]);
    assert!(old.get(times).is_ok_and(|v| v.lo().hi == 3.0));
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
    set(&mut dd, &mut old, 0, "3");
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
