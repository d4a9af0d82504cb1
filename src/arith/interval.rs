//! Closed intervals `[lo, hi]` over `rug::Float` with outward rounding: every operation rounds
//! its lower end toward −∞ and its upper end toward +∞ (MPFR rounds each correctly in the asked
//! direction), so the result encloses every value of the operation over the operands.
//!
//! Operations write into an existing interval (`out`), so that evaluating a compiled tape at a
//! new point allocates nothing. Domain faults are errors, never NaN or infinity.

use rug::float::Round;
use rug::ops::{AssignRound, Pow};
use rug::{Assign, Float, Rational};
use std::cmp::Ordering;
use thiserror::Error;

/// The smallest working precision accepted, in bits.
pub const MIN_PREC: u32 = 16;
/// The largest working precision accepted, in bits (about 30,000 decimal digits).
pub const MAX_PREC: u32 = 100_000;

/// A fault of interval arithmetic. `certain` says whether every point of the operands is at
/// fault (the value is truly undefined), or only part of the enclosure is (a higher precision
/// may narrow the operands and clear it).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ArithError {
    #[error("division by {}zero", if *.certain { "" } else { "a value that may be " })]
    DivisionByZero { certain: bool },
    #[error("square root of a {}negative number", if *.certain { "" } else { "possibly " })]
    SqrtOfNegative { certain: bool },
    #[error("logarithm of a {}non-positive number", if *.certain { "" } else { "possibly " })]
    LogOfNonPositive { certain: bool },
    #[error("power with a {}non-positive base and a non-integer exponent", if *.certain { "" } else { "possibly " })]
    PowDomain { certain: bool },
    #[error("overflow: the value is beyond the exponent range of the arithmetic")]
    Overflow,
    #[error("integer exponent too large ({0}); at most 2^31 − 1 in size")]
    ExponentTooLarge(String),
    #[error("exact value too large to compute (over {0} bits)")]
    TooLarge(u64),
    #[error("derivative of a discontinuous function (floor or ceil)")]
    NotDifferentiable,
    /// A register was read that was not computed for the evaluator's current inputs. The
    /// evaluators answer such a read with this fault instead of the old value; it signals a
    /// bug in the caller's choice of registers, and leaves every verdict that needs it open.
    #[error("internal error: a value was read before it was computed for the current point")]
    NotComputed,
}

impl ArithError {
    /// True when the fault holds at every point: retrying at a higher precision cannot help.
    pub fn is_certain(&self) -> bool {
        match self {
            ArithError::DivisionByZero { certain }
            | ArithError::SqrtOfNegative { certain }
            | ArithError::LogOfNonPositive { certain }
            | ArithError::PowDomain { certain } => *certain,
            ArithError::NotComputed => false,
            _ => true,
        }
    }
}

type Res = Result<(), ArithError>;

/// A closed interval `[lo, hi]` of reals.
///
/// Invariant: `lo ≤ hi`, neither end is NaN, and both ends have the same precision. The ends
/// are private so that only this module can break it: every constructor and setter below keeps
/// it, and so does every operation (`add`, `mul`, …) that returns `Ok`. An operation that
/// returns an error leaves `out` unspecified (an end may be NaN, as for ∞ − ∞); the evaluators
/// mark such a register faulty and never hand it out, and it must be written before it is read.
/// An end is infinite only when [`Interval::new`] was given one, when
/// [`Interval::set_bounds_round`] was given reversed bounds, or when an operation that does not
/// check for overflow (`neg`, `min`, `max`, `hull`, `abs`) was given an infinite end.
#[derive(Clone, Debug, PartialEq)]
pub struct Interval {
    lo: Float,
    hi: Float,
}

/// Three-valued truth of a comparison over intervals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }
}

/// The comparison operators of the expression language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CmpOp {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "==")]
    Eq,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
        }
    }
    /// Decides `a op b` for exactly known values.
    pub fn holds<T: PartialOrd>(self, a: &T, b: &T) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Eq => a == b,
        }
    }
}

fn check_finite(x: &Float) -> Res {
    if x.is_finite() {
        Ok(())
    } else {
        Err(ArithError::Overflow)
    }
}

impl Interval {
    /// The interval `[lo, hi]` with the ends exactly as given (no rounding); `None` when an end
    /// is NaN, when `lo > hi`, or when the ends differ in precision. Infinite ends are accepted
    /// (operations that meet them fault with [`ArithError::Overflow`]).
    pub fn new(lo: Float, hi: Float) -> Option<Interval> {
        // `<=` is false when either end is NaN
        (lo <= hi && lo.prec() == hi.prec()).then_some(Interval { lo, hi })
    }

    /// The lower end (a reference: reading an end never allocates).
    #[inline]
    pub fn lo(&self) -> &Float {
        &self.lo
    }

    /// The upper end.
    #[inline]
    pub fn hi(&self) -> &Float {
        &self.hi
    }

    /// Both ends, `(lo, hi)`.
    #[inline]
    pub fn bounds(&self) -> (&Float, &Float) {
        (&self.lo, &self.hi)
    }

    /// Sets the interval to `[lo, hi]` at its own precision, rounding `lo` toward −∞ and `hi`
    /// toward +∞ (so that the result contains `[lo, hi]`), in place and without allocating.
    /// Keeps the invariant: for `lo ≤ hi` the rounded ends stay ordered; reversed bounds or a
    /// NaN bound, which no caller should pass, give the whole line `[−∞, +∞]` instead, which
    /// still encloses whatever value was meant, and on which every arithmetic operation faults
    /// with [`ArithError::Overflow`] except the exact ones (`neg`, `min`, `max`, `hull`, `abs`).
    pub fn set_bounds_round(&mut self, lo: &Float, hi: &Float) {
        if lo <= hi {
            self.lo.assign_round(lo, Round::Down);
            self.hi.assign_round(hi, Round::Up);
        } else {
            self.lo.assign(rug::float::Special::NegInfinity);
            self.hi.assign(rug::float::Special::Infinity);
        }
    }

    /// The point interval `[0, 0]` at `prec` bits.
    pub fn zero(prec: u32) -> Self {
        Interval {
            lo: Float::new(prec),
            hi: Float::new(prec),
        }
    }

    /// The tightest interval at `prec` bits that contains `q`.
    pub fn from_rational(q: &Rational, prec: u32) -> Self {
        let mut iv = Interval::zero(prec);
        iv.set_rational(q);
        iv
    }

    /// Encloses `q` at this interval's precision (tightest enclosure: the lower end is `q`
    /// rounded down, the upper end `q` rounded up).
    pub fn set_rational(&mut self, q: &Rational) {
        self.lo.assign_round(q, Round::Down);
        self.hi.assign_round(q, Round::Up);
    }

    pub fn prec(&self) -> u32 {
        self.lo.prec()
    }

    /// Changes the precision. Both ends are rounded to nearest, which keeps them ordered, but
    /// the result need no longer enclose the old value: assign it before use.
    pub fn set_prec(&mut self, prec: u32) {
        self.lo.set_prec(prec);
        self.hi.set_prec(prec);
    }

    /// Sets `self` to `other` at `self`'s precision, the lower end rounded down and the upper
    /// end up (exact when the precision is at least `other`'s).
    pub fn assign(&mut self, other: &Interval) {
        self.lo.assign_round(&other.lo, Round::Down);
        self.hi.assign_round(&other.hi, Round::Up);
    }

    pub fn is_point(&self) -> bool {
        self.lo == self.hi
    }

    pub fn contains_rational(&self, q: &Rational) -> bool {
        self.lo <= *q && self.hi >= *q
    }

    /// True when every point of `self` is in `other`.
    pub fn subset_of(&self, other: &Interval) -> bool {
        other.lo <= self.lo && self.hi <= other.hi
    }

    /// Width `hi − lo`, rounded up.
    pub fn width(&self) -> Float {
        Float::with_val_round(self.prec(), &self.hi - &self.lo, Round::Up).0
    }

    /// Three-valued `self op other`: True when it holds for every pair of points,
    /// False when it fails for every pair, Unknown otherwise.
    pub fn compare(&self, op: CmpOp, other: &Interval) -> Truth {
        three_valued(
            op,
            (&self.lo, &self.hi),
            (&other.lo, &other.hi),
            &|x: &Float, y: &Float| x < y,
            &|x: &Float, y: &Float| x <= y,
        )
    }
}

/// Three-valued `a op b` for intervals a = [a.0, a.1] and b = [b.0, b.1], given exact strict and
/// non-strict comparisons of their ends: True when it holds for every pair of points, False when
/// it fails for every pair, Unknown otherwise. Shared by every interval type.
pub fn three_valued<T>(
    op: CmpOp,
    a: (&T, &T),
    b: (&T, &T),
    lt: &dyn Fn(&T, &T) -> bool,
    le: &dyn Fn(&T, &T) -> bool,
) -> Truth {
    let decide = |yes: bool, no: bool| {
        if yes {
            Truth::True
        } else if no {
            Truth::False
        } else {
            Truth::Unknown
        }
    };
    let eq = |x: &T, y: &T| le(x, y) && le(y, x);
    match op {
        CmpOp::Lt => decide(lt(a.1, b.0), le(b.1, a.0)),
        CmpOp::Le => decide(le(a.1, b.0), lt(b.1, a.0)),
        CmpOp::Gt => three_valued(CmpOp::Lt, b, a, lt, le),
        CmpOp::Ge => three_valued(CmpOp::Le, b, a, lt, le),
        CmpOp::Eq => decide(
            eq(a.0, a.1) && eq(b.0, b.1) && eq(a.0, b.0),
            lt(a.1, b.0) || lt(b.1, a.0),
        ),
    }
}

/// Scratch space for the operations that need temporaries; allocated once per evaluator.
#[derive(Clone, Debug)]
pub struct Scratch {
    t: [Float; 4],
}

impl Scratch {
    pub fn new(prec: u32) -> Self {
        Scratch {
            t: std::array::from_fn(|_| Float::new(prec)),
        }
    }
    pub fn set_prec(&mut self, prec: u32) {
        for t in &mut self.t {
            t.set_prec(prec);
        }
    }
}

fn finish(out: &Interval) -> Res {
    check_finite(&out.lo)?;
    check_finite(&out.hi)
}

/// `out = a + b`.
pub fn add(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo.assign_round(&a.lo + &b.lo, Round::Down);
    out.hi.assign_round(&a.hi + &b.hi, Round::Up);
    finish(out)
}

/// `out = a − b`.
pub fn sub(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo.assign_round(&a.lo - &b.hi, Round::Down);
    out.hi.assign_round(&a.hi - &b.lo, Round::Up);
    finish(out)
}

/// `out = −a` (exact).
pub fn neg(out: &mut Interval, a: &Interval) -> Res {
    out.lo.assign_round(-&a.hi, Round::Down);
    out.hi.assign_round(-&a.lo, Round::Up);
    Ok(())
}

fn is_nonneg(x: &Float) -> bool {
    x.cmp0() != Some(Ordering::Less)
}
fn is_nonpos(x: &Float) -> bool {
    x.cmp0() != Some(Ordering::Greater)
}

/// `out = a × b`, by the signs of the ends (the nine cases), two products except when both
/// operands straddle zero.
pub fn mul(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
    let (al, ah, bl, bh) = (&a.lo, &a.hi, &b.lo, &b.hi);
    let pick = |x: &Float, y: &Float, z: &Float, w: &Float, out: &mut Interval| {
        out.lo.assign_round(x * y, Round::Down);
        out.hi.assign_round(z * w, Round::Up);
    };
    if is_nonneg(al) {
        if is_nonneg(bl) {
            pick(al, bl, ah, bh, out)
        } else if is_nonpos(bh) {
            pick(ah, bl, al, bh, out)
        } else {
            pick(ah, bl, ah, bh, out)
        }
    } else if is_nonpos(ah) {
        if is_nonneg(bl) {
            pick(al, bh, ah, bl, out)
        } else if is_nonpos(bh) {
            pick(ah, bh, al, bl, out)
        } else {
            pick(al, bh, al, bl, out)
        }
    } else if is_nonneg(bl) {
        pick(al, bh, ah, bh, out)
    } else if is_nonpos(bh) {
        pick(ah, bl, al, bl, out)
    } else {
        let [t0, t1, t2, t3] = &mut s.t;
        t0.assign_round(al * bh, Round::Down);
        t1.assign_round(ah * bl, Round::Down);
        t2.assign_round(al * bl, Round::Up);
        t3.assign_round(ah * bh, Round::Up);
        out.lo
            .assign_round(if *t0 < *t1 { &*t0 } else { &*t1 }, Round::Down);
        out.hi
            .assign_round(if *t2 > *t3 { &*t2 } else { &*t3 }, Round::Up);
    }
    finish(out)
}

/// `out = a ÷ b`; an error when `b` contains zero.
pub fn div(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    let (al, ah, bl, bh) = (&a.lo, &a.hi, &b.lo, &b.hi);
    let pick = |x: &Float, y: &Float, z: &Float, w: &Float, out: &mut Interval| {
        out.lo.assign_round(x / y, Round::Down);
        out.hi.assign_round(z / w, Round::Up);
    };
    if bl.cmp0() == Some(Ordering::Greater) {
        if is_nonneg(al) {
            pick(al, bh, ah, bl, out)
        } else if is_nonpos(ah) {
            pick(al, bl, ah, bh, out)
        } else {
            pick(al, bl, ah, bl, out)
        }
    } else if bh.cmp0() == Some(Ordering::Less) {
        if is_nonneg(al) {
            pick(ah, bh, al, bl, out)
        } else if is_nonpos(ah) {
            pick(ah, bl, al, bh, out)
        } else {
            pick(ah, bh, al, bh, out)
        }
    } else {
        return Err(ArithError::DivisionByZero {
            certain: bl.is_zero() && bh.is_zero(),
        });
    }
    finish(out)
}

/// `out = √a`; an error when `a` has a negative part.
pub fn sqrt(out: &mut Interval, a: &Interval) -> Res {
    if a.lo.cmp0() == Some(Ordering::Less) {
        return Err(ArithError::SqrtOfNegative {
            certain: a.hi.cmp0() == Some(Ordering::Less),
        });
    }
    out.lo.assign_round(a.lo.sqrt_ref(), Round::Down);
    out.hi.assign_round(a.hi.sqrt_ref(), Round::Up);
    finish(out)
}

/// `out = ln a` (natural logarithm); an error when `a` has a non-positive part.
pub fn ln(out: &mut Interval, a: &Interval) -> Res {
    if a.lo.cmp0() != Some(Ordering::Greater) {
        return Err(ArithError::LogOfNonPositive {
            certain: a.hi.cmp0() != Some(Ordering::Greater),
        });
    }
    out.lo.assign_round(a.lo.ln_ref(), Round::Down);
    out.hi.assign_round(a.hi.ln_ref(), Round::Up);
    finish(out)
}

/// `out = exp a`.
pub fn exp(out: &mut Interval, a: &Interval) -> Res {
    out.lo.assign_round(a.lo.exp_ref(), Round::Down);
    out.hi.assign_round(a.hi.exp_ref(), Round::Up);
    finish(out)
}

/// The largest integer exponent accepted by [`powi`] (in size).
pub const MAX_INT_EXPONENT: i64 = i32::MAX as i64;

/// `out = a^n` for an integer `n` (monotone pieces by sign of `n`, parity, and the sign of `a`).
/// `a^0 = 1`; a negative `n` needs `a` away from zero.
pub fn powi(out: &mut Interval, a: &Interval, n: i64, s: &mut Scratch) -> Res {
    if n.unsigned_abs() > MAX_INT_EXPONENT as u64 {
        return Err(ArithError::ExponentTooLarge(n.to_string()));
    }
    if n == 0 {
        out.lo.assign(1);
        out.hi.assign(1);
        return Ok(());
    }
    let n_int = n as i32;
    let even = n % 2 == 0;
    let pos = |x: &Float| x.cmp0() == Some(Ordering::Greater);
    let negv = |x: &Float| x.cmp0() == Some(Ordering::Less);
    if n < 0 && !(pos(&a.lo) || negv(&a.hi)) {
        return Err(ArithError::DivisionByZero {
            certain: a.lo.is_zero() && a.hi.is_zero(),
        });
    }
    // Increasing on the operand: [lo^n, hi^n]; decreasing: [hi^n, lo^n].
    let increasing = |out: &mut Interval| {
        out.lo.assign_round((&a.lo).pow(n_int), Round::Down);
        out.hi.assign_round((&a.hi).pow(n_int), Round::Up);
    };
    let decreasing = |out: &mut Interval| {
        out.lo.assign_round((&a.hi).pow(n_int), Round::Down);
        out.hi.assign_round((&a.lo).pow(n_int), Round::Up);
    };
    if n > 0 {
        if !even || is_nonneg(&a.lo) {
            increasing(out)
        } else if is_nonpos(&a.hi) {
            decreasing(out)
        } else {
            let [t0, t1, ..] = &mut s.t;
            t0.assign_round((&a.lo).pow(n_int), Round::Up);
            t1.assign_round((&a.hi).pow(n_int), Round::Up);
            out.hi
                .assign_round(if *t0 > *t1 { &*t0 } else { &*t1 }, Round::Up);
            out.lo.assign(0);
        }
    } else if pos(&a.lo) || !even {
        // x^n with n < 0 is decreasing on (0, ∞), and for odd n also on (−∞, 0).
        decreasing(out)
    } else {
        increasing(out)
    }
    finish(out)
}

/// `out = a^b` for a real exponent interval `b`. Needs `a > 0`, or `a ≥ 0` with `b > 0`.
/// x^y is monotone in each argument on that domain, so the extremes are at the corners.
pub fn pow(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
    let base_pos = a.lo.cmp0() == Some(Ordering::Greater);
    let zero_ok = is_nonneg(&a.lo) && b.lo.cmp0() == Some(Ordering::Greater);
    if !(base_pos || zero_ok) {
        return Err(ArithError::PowDomain {
            certain: a.hi.cmp0() == Some(Ordering::Less),
        });
    }
    let [t0, t1, t2, t3] = &mut s.t;
    // lower ends
    t0.assign_round((&a.lo).pow(&b.lo), Round::Down);
    t1.assign_round((&a.lo).pow(&b.hi), Round::Down);
    t2.assign_round((&a.hi).pow(&b.lo), Round::Down);
    t3.assign_round((&a.hi).pow(&b.hi), Round::Down);
    let m01 = if *t0 < *t1 { &*t0 } else { &*t1 };
    let m23 = if *t2 < *t3 { &*t2 } else { &*t3 };
    out.lo
        .assign_round(if *m01 < *m23 { m01 } else { m23 }, Round::Down);
    t0.assign_round((&a.lo).pow(&b.lo), Round::Up);
    t1.assign_round((&a.lo).pow(&b.hi), Round::Up);
    t2.assign_round((&a.hi).pow(&b.lo), Round::Up);
    t3.assign_round((&a.hi).pow(&b.hi), Round::Up);
    let m01 = if *t0 > *t1 { &*t0 } else { &*t1 };
    let m23 = if *t2 > *t3 { &*t2 } else { &*t3 };
    out.hi
        .assign_round(if *m01 > *m23 { m01 } else { m23 }, Round::Up);
    finish(out)
}

/// `out = ⌊a⌋` (exact: the floor of a float fits in its precision).
pub fn floor(out: &mut Interval, a: &Interval) -> Res {
    out.assign(a);
    out.lo.floor_mut();
    out.hi.floor_mut();
    finish(out)
}

/// `out = ⌈a⌉` (exact).
pub fn ceil(out: &mut Interval, a: &Interval) -> Res {
    out.assign(a);
    out.lo.ceil_mut();
    out.hi.ceil_mut();
    finish(out)
}

/// `out = min(a, b)`.
pub fn min(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo
        .assign_round(if a.lo < b.lo { &a.lo } else { &b.lo }, Round::Down);
    out.hi
        .assign_round(if a.hi < b.hi { &a.hi } else { &b.hi }, Round::Up);
    Ok(())
}

/// `out = max(a, b)`.
pub fn max(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo
        .assign_round(if a.lo > b.lo { &a.lo } else { &b.lo }, Round::Down);
    out.hi
        .assign_round(if a.hi > b.hi { &a.hi } else { &b.hi }, Round::Up);
    Ok(())
}

/// Whether some `c·π/2 + 2kπ` (k an integer) may lie in `a`: the k with that point in `a` are
/// the integers in [(lo − cπ/2)/(2π), (hi − cπ/2)/(2π)], enclosed with π rounded both ways, so
/// "may" errs on the side of yes.
fn may_hit(a: &Interval, c_half_pi: i32) -> bool {
    let prec = a.prec() + 16;
    let mut s = Scratch::new(prec);
    let pi = Interval {
        lo: Float::with_val_round(prec, rug::float::Constant::Pi, Round::Down).0,
        hi: Float::with_val_round(prec, rug::float::Constant::Pi, Round::Up).0,
    };
    let point = |x: &Float| Interval {
        lo: Float::with_val(prec, x),
        hi: Float::with_val(prec, x),
    };
    let c = Interval::from_rational(&Rational::from((c_half_pi, 2)), prec);
    let two = Interval::from_rational(&Rational::from(2), prec);
    let (mut cpi, mut two_pi) = (Interval::zero(prec), Interval::zero(prec));
    let (mut num, mut u_lo, mut u_hi) = (
        Interval::zero(prec),
        Interval::zero(prec),
        Interval::zero(prec),
    );
    let ok = mul(&mut cpi, &c, &pi, &mut s).is_ok()
        && mul(&mut two_pi, &two, &pi, &mut s).is_ok()
        && sub(&mut num, &point(&a.lo), &cpi).is_ok()
        && div(&mut u_lo, &num, &two_pi).is_ok()
        && sub(&mut num, &point(&a.hi), &cpi).is_ok()
        && div(&mut u_hi, &num, &two_pi).is_ok();
    if !ok {
        return true;
    }
    u_lo.lo.clone().ceil() <= u_hi.hi.clone().floor()
}

fn extremes(out: &mut Interval, a: &Interval, s: &mut Scratch, sine: bool) -> Res {
    if !a.lo.is_finite() || !a.hi.is_finite() {
        return Err(ArithError::Overflow);
    }
    let [t0, t1, t2, t3] = &mut s.t;
    if sine {
        t0.assign_round(a.lo.sin_ref(), Round::Down);
        t1.assign_round(a.hi.sin_ref(), Round::Down);
        t2.assign_round(a.lo.sin_ref(), Round::Up);
        t3.assign_round(a.hi.sin_ref(), Round::Up);
    } else {
        t0.assign_round(a.lo.cos_ref(), Round::Down);
        t1.assign_round(a.hi.cos_ref(), Round::Down);
        t2.assign_round(a.lo.cos_ref(), Round::Up);
        t3.assign_round(a.hi.cos_ref(), Round::Up);
    }
    out.lo
        .assign_round(if *t0 < *t1 { &*t0 } else { &*t1 }, Round::Down);
    out.hi
        .assign_round(if *t2 > *t3 { &*t2 } else { &*t3 }, Round::Up);
    // sin peaks at π/2 + 2kπ and dips at −π/2 + 2kπ; cos peaks at 2kπ and dips at π + 2kπ
    let (peak, dip) = if sine { (1, -1) } else { (0, 2) };
    if may_hit(a, peak) {
        out.hi.assign(1);
    }
    if may_hit(a, dip) {
        out.lo.assign(-1);
    }
    Ok(())
}

/// `out = sin a`: both ends rounded outward, and ±1 where a peak or dip may lie inside.
pub fn sin(out: &mut Interval, a: &Interval, s: &mut Scratch) -> Res {
    extremes(out, a, s, true)
}

/// `out = cos a`.
pub fn cos(out: &mut Interval, a: &Interval, s: &mut Scratch) -> Res {
    extremes(out, a, s, false)
}

/// `out = hull(a, b)`, the smallest interval containing both.
pub fn hull(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo
        .assign_round(if a.lo < b.lo { &a.lo } else { &b.lo }, Round::Down);
    out.hi
        .assign_round(if a.hi > b.hi { &a.hi } else { &b.hi }, Round::Up);
    Ok(())
}

/// `out = sign(a)·da`, the derivative of `|a|`: `da` where `a ≥ 0`, `−da` where `a ≤ 0`, and
/// `[−m, m]` with `m = max|da|` where `a` may be zero (the generalized gradient).
pub fn abs_deriv(out: &mut Interval, a: &Interval, da: &Interval) -> Res {
    if is_nonneg(&a.lo) {
        out.assign(da);
    } else if is_nonpos(&a.hi) {
        neg(out, da)?;
    } else {
        if *da.lo.as_neg() > da.hi {
            out.hi.assign_round(&*da.lo.as_neg(), Round::Up);
        } else {
            out.hi.assign_round(&da.hi, Round::Up);
        }
        out.lo.assign_round(&*out.hi.as_neg(), Round::Down);
    }
    Ok(())
}

/// `out = |a|`.
pub fn abs(out: &mut Interval, a: &Interval) -> Res {
    if is_nonneg(&a.lo) {
        out.assign(a);
    } else if is_nonpos(&a.hi) {
        neg(out, a)?;
    } else {
        if *a.lo.as_neg() > a.hi {
            out.hi.assign_round(&*a.lo.as_neg(), Round::Up);
        } else {
            out.hi.assign_round(&a.hi, Round::Up);
        }
        out.lo.assign(0);
    }
    Ok(())
}

#[cfg(test)]
mod trig_tests {
    use super::*;

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval {
            lo: Float::with_val(64, lo),
            hi: Float::with_val(64, hi),
        }
    }

    #[test]
    fn sine_and_cosine_enclose_their_range() {
        let mut s = Scratch::new(64);
        let mut out = Interval::zero(64);
        // a sample of intervals, checked against dense f64 sampling (with a margin for f64)
        let mut x = -40.0;
        while x < 40.0 {
            for w in [0.0, 0.01, 0.5, 1.7, 3.2, 7.0] {
                let a = iv(x, x + w);
                for sine in [true, false] {
                    if sine {
                        sin(&mut out, &a, &mut s).unwrap()
                    } else {
                        cos(&mut out, &a, &mut s).unwrap()
                    }
                    for i in 0..=200 {
                        let t = x + w * i as f64 / 200.0;
                        let v = if sine { t.sin() } else { t.cos() };
                        assert!(
                            out.lo.to_f64() <= v + 1e-12 && v - 1e-12 <= out.hi.to_f64(),
                            "{sine} {x} {w}: {v}"
                        );
                    }
                    assert!(out.lo >= -1 && out.hi <= 1);
                }
            }
            x += 0.37;
        }
        // a narrow interval away from extrema stays narrow
        sin(&mut out, &iv(0.5, 0.5), &mut s).unwrap();
        assert!(out.hi.to_f64() - out.lo.to_f64() < 1e-15);
        // one containing π/2 reaches 1
        sin(&mut out, &iv(1.5, 1.6), &mut s).unwrap();
        assert_eq!(out.hi, 1);
    }
}

#[cfg(test)]
mod ends_tests {
    use super::*;

    /// The type's invariant: ordered ends, no NaN, one precision.
    fn keeps_invariant(x: &Interval) -> bool {
        let (lo, hi) = x.bounds();
        !lo.is_nan() && !hi.is_nan() && lo <= hi && lo.prec() == hi.prec()
    }

    fn f(prec: u32, v: f64) -> Float {
        Float::with_val(prec, v)
    }

    #[test]
    fn new_accepts_ordered_and_point_intervals_exactly() {
        let x = Interval::new(f(64, 1.5), f(64, 2.25)).unwrap();
        assert!(*x.lo() == 1.5 && *x.hi() == 2.25);
        assert_eq!(x.bounds(), (&f(64, 1.5), &f(64, 2.25)));
        assert_eq!(x.prec(), 64);
        let p = Interval::new(f(64, -3.0), f(64, -3.0)).unwrap();
        assert!(p.is_point() && *p.lo() == -3.0);
        // signed zeros are equal, so [0, −0] is a point
        assert!(Interval::new(f(64, 0.0), f(64, -0.0)).is_some());
        // infinite ends are ordered like any others
        let whole = Interval::new(f(64, f64::NEG_INFINITY), f(64, f64::INFINITY)).unwrap();
        assert!(keeps_invariant(&whole));
        assert!(Interval::new(f(64, f64::INFINITY), f(64, f64::INFINITY)).is_some());
    }

    #[test]
    fn new_refuses_reversed_nan_and_mixed_precision_ends() {
        assert!(Interval::new(f(64, 2.0), f(64, 1.0)).is_none());
        let tiny = Float::with_val(64, 1) + Float::with_val(64, 2f64.powi(-60));
        assert!(Interval::new(tiny, f(64, 1.0)).is_none());
        assert!(Interval::new(f(64, f64::INFINITY), f(64, f64::NEG_INFINITY)).is_none());
        assert!(Interval::new(f(64, f64::NAN), f(64, 1.0)).is_none());
        assert!(Interval::new(f(64, 1.0), f(64, f64::NAN)).is_none());
        assert!(Interval::new(f(64, f64::NAN), f(64, f64::NAN)).is_none());
        assert!(Interval::new(f(64, 1.0), f(128, 2.0)).is_none());
    }

    #[test]
    fn set_bounds_round_rounds_outward_and_keeps_the_invariant() {
        // a third at 200 bits into a 16-bit interval: lo rounded down, hi up
        let third = Float::with_val(200, Rational::from((1, 3)));
        let mut x = Interval::zero(16);
        x.set_bounds_round(&third, &third);
        assert!(keeps_invariant(&x));
        assert_eq!(x.prec(), 16);
        assert!(*x.lo() < third && third < *x.hi());
        assert!(x.contains_rational(&Rational::from((1, 3))));
        // representable ends are kept exactly
        x.set_bounds_round(&f(16, -1.0), &f(16, 0.5));
        assert!(*x.lo() == -1.0 && *x.hi() == 0.5);
        // a wider pair at a higher precision
        let (a, b) = (
            Float::with_val(200, -&third),
            Float::with_val(200, &third * 2u32),
        );
        x.set_bounds_round(&a, &b);
        assert!(keeps_invariant(&x) && *x.lo() <= a && b <= *x.hi());
    }

    #[test]
    fn set_bounds_round_answers_reversed_or_nan_bounds_with_the_whole_line() {
        let mut x = Interval::from_rational(&Rational::from(7), 64);
        for (lo, hi) in [
            (2.0, 1.0),
            (f64::NAN, 1.0),
            (1.0, f64::NAN),
            (f64::NAN, f64::NAN),
        ] {
            x.set_bounds_round(&f(64, lo), &f(64, hi));
            assert!(keeps_invariant(&x), "{lo} {hi}");
            assert!(x.lo().is_infinite() && *x.lo() < 0, "{lo} {hi}");
            assert!(x.hi().is_infinite() && *x.hi() > 0, "{lo} {hi}");
            // and arithmetic on it faults
            let mut out = Interval::zero(64);
            assert_eq!(add(&mut out, &x, &x), Err(ArithError::Overflow));
        }
    }

    #[test]
    fn the_other_mutators_keep_the_invariant() {
        let q = Rational::from((-22, 7));
        let mut x = Interval::zero(53);
        assert!(keeps_invariant(&x) && x.is_point());
        x.set_rational(&q);
        assert!(keeps_invariant(&x) && x.contains_rational(&q) && !x.is_point());
        // assign from a higher precision rounds outward
        let wide = Interval::from_rational(&q, 300);
        x.assign(&wide);
        assert!(keeps_invariant(&x) && wide.subset_of(&x));
        // set_prec rounds both ends to nearest, which keeps them ordered
        let mut y = wide.clone();
        y.set_prec(16);
        assert!(keeps_invariant(&y) && y.prec() == 16);
        y.set_prec(400);
        assert!(keeps_invariant(&y) && y.prec() == 400);
        // operations that succeed leave an ordered result
        let mut s = Scratch::new(53);
        let mut out = Interval::zero(53);
        let b = Interval::new(f(53, -0.5), f(53, 2.0)).unwrap();
        for op in 0..6 {
            let r = match op {
                0 => mul(&mut out, &x, &b, &mut s),
                1 => sub(&mut out, &x, &b),
                2 => div(&mut out, &b, &x),
                3 => sin(&mut out, &b, &mut s),
                4 => abs(&mut out, &b),
                _ => powi(&mut out, &b, 2, &mut s),
            };
            assert!(r.is_ok() && keeps_invariant(&out), "op {op}");
        }
    }
}
