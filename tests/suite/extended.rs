//! Extended interval arithmetic (ends may be ±∞) against MPFR at real points: random extended
//! intervals whose ends mix ±∞, zeros, tiny and huge magnitudes (down to 2^−10⁶, up to 2^10⁶)
//! and ordinary values; real points inside each (the finite ends, points between them, and for
//! an infinite end points far out, as far as ±2^10⁶ and beyond); each operation of
//! `interval::extended` must answer an extended interval that holds its value at every pair of
//! points, computed at a higher precision, or fault, and fault exactly where the operation is
//! undefined somewhere on its operands.
//!
//! Why a correctly rounded value at the higher precision may be compared with the ends: an end
//! of the result is a float at the lower precision, so also one at the higher, and rounding to
//! nearest is monotone; a lower end ≤ f(x) gives lower end ≤ round(f(x)), and so for the upper
//! end (beyond the exponent range too: a value that rounds to +∞ must meet an upper end +∞).

use proptest::prelude::*;
use rug::Float;
use rug::ops::Pow;
use sgdbounds::arith::interval::extended as ext;
use sgdbounds::arith::{ArithError, Interval, Scratch};

/// The precision of the operands and results.
const PREC: u32 = 64;
/// The precision of the points and of the reference values.
const REF: u32 = 256;

/// 2^k at `prec` bits.
fn two_to(prec: u32, k: i32) -> Float {
    let one = Float::with_val(prec, 1);
    if k >= 0 {
        one << k as u32
    } else {
        one >> (-k) as u32
    }
}

/// The special ends: ±∞, zeros, ±tiny, ±huge and a few ordinary values.
fn special(i: usize) -> Float {
    let v = |x: f64| Float::with_val(PREC, x);
    let mags = [
        two_to(PREC, -1_000_000),
        v(1e-300),
        v(0.5),
        v(1.0),
        v(2.0),
        v(3.25),
        v(1e300),
        two_to(PREC, 1_000_000),
    ];
    match i {
        0 => v(f64::INFINITY),
        1 => v(f64::NEG_INFINITY),
        2 => v(0.0),
        3 => v(-0.0),
        _ => {
            let m = &mags[(i - 4) / 2];
            if i.is_multiple_of(2) {
                m.clone()
            } else {
                -m.clone()
            }
        }
    }
}
const SPECIALS: usize = 4 + 2 * 8;

fn end() -> impl Strategy<Value = Float> {
    prop_oneof![
        3 => (0..SPECIALS).prop_map(special),
        1 => (-100.0f64..100.0).prop_map(|x| Float::with_val(PREC, x)),
        1 => prop::num::f64::NORMAL.prop_map(|x| Float::with_val(PREC, x)),
    ]
}

/// An extended interval: ordered ends, neither `lo` = +∞ nor `hi` = −∞.
fn extended_interval() -> impl Strategy<Value = Interval> {
    (end(), end())
        .prop_map(|(x, y)| if x <= y { (x, y) } else { (y, x) })
        .prop_filter("holds a real number", |(lo, hi)| {
            !(lo.is_infinite() && *lo > 0 || hi.is_infinite() && *hi < 0)
        })
        .prop_map(|(lo, hi)| Interval::new(lo, hi).unwrap())
}

/// Real points of `x` at [`REF`] bits: its finite ends, points between them at the fractions
/// `fracs`, points near the ends, and far points toward an infinite end.
fn points(x: &Interval, fracs: &[f64], most: usize) -> Vec<Float> {
    let (lo, hi) = x.bounds();
    let r = |v: &Float| Float::with_val(REF, v);
    let mut cand: Vec<Float> = Vec::new();
    for e in [lo, hi] {
        if e.is_finite() {
            let e = r(e);
            cand.push(e.clone());
            cand.push(Float::with_val(REF, &e * 2u32));
            cand.push(Float::with_val(REF, &e / 2u32));
            cand.push(Float::with_val(REF, &e + 1u32));
            cand.push(Float::with_val(REF, &e - 1u32));
            cand.push(Float::with_val(REF, &e * &e));
        }
    }
    if lo.is_finite() && hi.is_finite() {
        let width = Float::with_val(REF, hi - lo);
        for &f in fracs {
            cand.push(Float::with_val(REF, &width * f) + r(lo));
        }
    }
    // far points: toward an infinite end they are the only points
    for k in [0, 64, 1000, 1_000_000, 1 << 24] {
        for s in [1i32, -1] {
            cand.push(two_to(REF, k) * s);
        }
    }
    for v in [1e200, 1e300, 0.25, 0.0] {
        cand.push(Float::with_val(REF, v));
        cand.push(Float::with_val(REF, -v));
    }
    let mut pts: Vec<Float> = cand
        .into_iter()
        .filter(|p| p.is_finite() && *lo <= *p && *p <= *hi)
        .collect();
    pts.sort_by(|a, b| a.partial_cmp(b).unwrap());
    pts.dedup();
    // a spread of at most `most`, always with the extremes
    if pts.len() > most {
        let n = pts.len();
        pts = (0..most)
            .map(|i| pts[i * (n - 1) / (most - 1)].clone())
            .collect();
    }
    assert!(!pts.is_empty(), "no point in {x:?}");
    pts
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Powi(i64),
    Pow,
    Sqrt,
    Ln,
    Exp,
    Min,
    Max,
    Abs,
    Neg,
    Floor,
    Ceil,
    Sin,
    Cos,
}

const OPS: [Op; 16] = [
    Op::Add,
    Op::Sub,
    Op::Mul,
    Op::Div,
    Op::Pow,
    Op::Sqrt,
    Op::Ln,
    Op::Exp,
    Op::Min,
    Op::Max,
    Op::Abs,
    Op::Neg,
    Op::Floor,
    Op::Ceil,
    Op::Sin,
    Op::Cos,
];

fn run(
    op: Op,
    out: &mut Interval,
    a: &Interval,
    b: &Interval,
    s: &mut Scratch,
) -> Result<(), ArithError> {
    match op {
        Op::Add => ext::add(out, a, b),
        Op::Sub => ext::sub(out, a, b),
        Op::Mul => ext::mul(out, a, b, s),
        Op::Div => ext::div(out, a, b),
        Op::Powi(n) => ext::powi(out, a, n, s),
        Op::Pow => ext::pow(out, a, b, s),
        Op::Sqrt => ext::sqrt(out, a),
        Op::Ln => ext::ln(out, a),
        Op::Exp => ext::exp(out, a),
        Op::Min => ext::min(out, a, b),
        Op::Max => ext::max(out, a, b),
        Op::Abs => ext::abs(out, a),
        Op::Neg => ext::neg(out, a),
        Op::Floor => ext::floor(out, a),
        Op::Ceil => ext::ceil(out, a),
        Op::Sin => ext::sin(out, a, s),
        Op::Cos => ext::cos(out, a, s),
    }
}

fn binary(op: Op) -> bool {
    matches!(
        op,
        Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Pow | Op::Min | Op::Max
    )
}

/// The value at the real points `x`, `y`, rounded to nearest at [`REF`] bits; `None` where the
/// operation is undefined.
fn at(op: Op, x: &Float, y: &Float) -> Option<Float> {
    let f = |v: Float| Some(v);
    match op {
        Op::Add => f(Float::with_val(REF, x + y)),
        Op::Sub => f(Float::with_val(REF, x - y)),
        Op::Mul => f(Float::with_val(REF, x * y)),
        Op::Div => (!y.is_zero()).then(|| Float::with_val(REF, x / y)),
        Op::Powi(n) => (n >= 0 || !x.is_zero()).then(|| Float::with_val(REF, x.pow(n as i32))),
        Op::Pow => (*x > 0 || (x.is_zero() && *y > 0)).then(|| Float::with_val(REF, x.pow(y))),
        Op::Sqrt => (*x >= 0).then(|| Float::with_val(REF, x.sqrt_ref())),
        Op::Ln => (*x > 0).then(|| Float::with_val(REF, x.ln_ref())),
        Op::Exp => f(Float::with_val(REF, x.exp_ref())),
        Op::Min => Some(if x < y { x.clone() } else { y.clone() }),
        Op::Max => Some(if x > y { x.clone() } else { y.clone() }),
        Op::Abs => Some(x.clone().abs()),
        Op::Neg => Some(-x.clone()),
        Op::Floor => Some(x.clone().floor()),
        Op::Ceil => Some(x.clone().ceil()),
        Op::Sin => f(Float::with_val(REF, x.sin_ref())),
        Op::Cos => f(Float::with_val(REF, x.cos_ref())),
    }
}

/// Whether the operation is defined at every real point of the operands (the extended
/// operation must then answer, and must fault otherwise).
fn defined_everywhere(op: Op, a: &Interval, b: &Interval) -> bool {
    match op {
        Op::Div => *b.lo() > 0 || *b.hi() < 0,
        Op::Powi(n) => n >= 0 || *a.lo() > 0 || *a.hi() < 0,
        Op::Pow => *a.lo() > 0 || (*a.lo() >= 0 && *b.lo() > 0),
        Op::Sqrt => *a.lo() >= 0,
        Op::Ln => *a.lo() > 0,
        _ => true,
    }
}

/// A deliberate bug, to show that [`check`] finds one: none, or an unbounded end replaced by
/// a finite one (what an overflow that is neither answered nor faulted would give), or the
/// upper end of a bounded result moved down by one unit in the last place.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bug {
    None,
    ClampUpper,
    ClampLower,
    UpperUlp,
}

fn check(
    op: Op,
    a: &Interval,
    b: &Interval,
    fracs: &[f64],
    most: usize,
) -> Result<(), TestCaseError> {
    check_with(Bug::None, op, a, b, fracs, most)
}

fn check_with(
    bug: Bug,
    op: Op,
    a: &Interval,
    b: &Interval,
    fracs: &[f64],
    most: usize,
) -> Result<(), TestCaseError> {
    let mut out = Interval::zero(PREC);
    let mut s = Scratch::new(PREC);
    let r = run(op, &mut out, a, b, &mut s);
    if r.is_ok() {
        let (mut lo, mut hi) = (out.lo().clone(), out.hi().clone());
        match bug {
            Bug::None => {}
            Bug::ClampUpper if hi.is_infinite() => hi = Float::with_val(PREC, 1e300),
            Bug::ClampLower if lo.is_infinite() => lo = Float::with_val(PREC, -1e300),
            Bug::UpperUlp if hi.is_finite() && lo < hi => hi.next_down(),
            _ => {}
        }
        if lo <= hi {
            out = Interval::new(lo, hi).unwrap();
        }
    }
    prop_assert_eq!(
        r.is_ok(),
        defined_everywhere(op, a, b),
        "{:?} on {:?}, {:?}: {:?}",
        op,
        a,
        b,
        r
    );
    if r.is_err() {
        return Ok(());
    }
    prop_assert_eq!(
        ext::check(&out),
        Ok(()),
        "{:?} on {:?}, {:?}: {:?}",
        op,
        a,
        b,
        out
    );
    prop_assert_eq!(out.prec(), PREC);
    let xs = points(a, fracs, most);
    let ys = if binary(op) {
        points(b, fracs, most)
    } else {
        vec![Float::new(REF)]
    };
    for x in &xs {
        // MPFR's sine of a point beyond 2^4096 needs a reduction by that many bits of π
        if matches!(op, Op::Sin | Op::Cos) && x.get_exp().is_some_and(|e| e > 4096) {
            continue;
        }
        for y in &ys {
            let v = at(op, x, y);
            prop_assert!(
                v.is_some(),
                "{:?} answered on {:?}, {:?} but is undefined at ({}, {})",
                op,
                a,
                b,
                x,
                y
            );
            let v = v.unwrap();
            prop_assert!(!v.is_nan(), "{:?} at ({}, {}) is NaN", op, x, y);
            prop_assert!(
                *out.lo() <= v && v <= *out.hi(),
                "{:?} on {:?}, {:?} answered {:?}, but at ({}, {}) it is {}",
                op,
                a,
                b,
                out,
                x,
                y,
                v
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(1_000_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn extended_operations_enclose_their_values_at_real_points(
        a in extended_interval(),
        b in extended_interval(),
        n in prop_oneof![-7i64..=7, Just(31i64), Just(-31i64), Just(1000i64)],
        fracs in proptest::collection::vec(0.0f64..1.0, 2),
    ) {
        for op in OPS {
            check(op, &a, &b, &fracs, 9)?;
        }
        check(Op::Powi(n), &a, &b, &fracs, 9)?;
    }
}

/// Every pair of intervals with ends from the special set, for the binary operations, and
/// every such interval for the powers: the corners where 0, ±∞ and the extremes of the
/// exponent range meet, which random draws reach only now and then.
#[test]
fn extended_operations_enclose_their_values_on_every_special_pair() {
    assert_eq!(special_pairs(Bug::None), 0);
}

/// The checks can fail: each deliberate bug is found, by the exhaustive pass and by the
/// random one.
#[test]
fn the_checks_find_a_wrong_enclosure() {
    for bug in [Bug::ClampUpper, Bug::ClampLower, Bug::UpperUlp] {
        assert!(special_pairs(bug) > 0, "{bug:?}");
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 300,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(17),
            ..ProptestConfig::default()
        });
        let found = runner.run(&(extended_interval(), extended_interval()), |(a, b)| {
            for op in OPS {
                check_with(bug, op, &a, &b, &[0.5], 9)?;
            }
            Ok(())
        });
        assert!(found.is_err(), "{bug:?}");
    }
}

/// How many checks fail over the special pairs with `bug` planted.
fn special_pairs(bug: Bug) -> usize {
    // ±∞, 0, −2^10⁶, −1e300, −2, −0.5, 2^−10⁶, 1e−300, 0.5, 1, 2, 2^10⁶
    let set = [0, 1, 2, 19, 17, 13, 9, 4, 6, 8, 10, 12, 18];
    let mut ivs = Vec::new();
    for &i in &set {
        for &j in &set {
            let (lo, hi) = (special(i), special(j));
            if lo <= hi && !(lo.is_infinite() && lo > 0) && !(hi.is_infinite() && hi < 0) {
                ivs.push(Interval::new(lo, hi).unwrap());
            }
        }
    }
    let fracs = [0.5];
    let mut failed = 0;
    let mut tally = |r: Result<(), TestCaseError>| {
        if let Err(e) = r {
            if bug == Bug::None {
                panic!("{e}");
            }
            failed += 1;
        }
    };
    for a in &ivs {
        for b in &ivs {
            for op in [
                Op::Add,
                Op::Sub,
                Op::Mul,
                Op::Div,
                Op::Pow,
                Op::Min,
                Op::Max,
            ] {
                tally(check_with(bug, op, a, b, &fracs, 4));
            }
        }
        for op in [
            Op::Sqrt,
            Op::Ln,
            Op::Exp,
            Op::Abs,
            Op::Neg,
            Op::Floor,
            Op::Ceil,
            Op::Powi(2),
            Op::Powi(3),
            Op::Powi(-1),
            Op::Powi(-2),
            Op::Powi(0),
        ] {
            tally(check_with(bug, op, a, a, &fracs, 6));
        }
    }
    failed
}
