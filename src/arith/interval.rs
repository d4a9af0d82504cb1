//! Closed intervals `[lo, hi]` over `rug::Float` with outward rounding: every operation rounds
//! its lower end toward −∞ and its upper end toward +∞ (MPFR rounds each correctly in the asked
//! direction), so the result encloses every value of the operation over the operands.
//!
//! Operations write into an existing interval (`out`), so that evaluating a compiled tape at a
//! new point allocates nothing. Domain faults are errors, never NaN or infinity.
//!
//! The functions of this module fault with [`ArithError::Overflow`] when an end of the result
//! is infinite. Those of [`extended`] are the same operations over extended intervals (ends
//! may be −∞ or +∞), for domains that are unbounded: they answer infinite ends instead.

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
/// [`Interval::set_bounds_round`] was given reversed bounds, when an operation that does not
/// check for overflow (`neg`, `min`, `max`, `hull`, `abs`) was given an infinite end, or when
/// an operation of [`extended`] answered one.
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
    /// (the default operations that meet them fault with [`ArithError::Overflow`]; those of
    /// [`extended`] need [`extended::check`] to pass as well: `lo` ≠ +∞, `hi` ≠ −∞).
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

// Every operation below is written once, as a kernel generic over `EXT`, the mode: `false`
// for the default operations (the functions of this module), `true` for those of
// [`extended`]. The kernels are always inlined into their two wrappers, so that each mode is
// compiled on its own and the default one has no test of the mode at all. The modes differ
// only in the check that closes an operation ([`close`], [`close_exact`]), in the products
// 0·(±∞) of [`end_product`], and in the sine and cosine of an unbounded argument.

/// The check that closes an operation that can overflow: in the default mode, that both ends
/// are finite ([`ArithError::Overflow`] otherwise); in extended mode, [`extended::check`].
#[inline(always)]
fn close<const EXT: bool>(out: &Interval) -> Res {
    if EXT {
        extended::check(out)
    } else {
        finish(out)
    }
}

/// The check that closes an exact operation (`neg`, `min`, `max`, `hull`, `abs`, the
/// derivative helpers): none in the default mode, [`extended::check`] in extended mode.
#[inline(always)]
fn close_exact<const EXT: bool>(out: &Interval) -> Res {
    if EXT { extended::check(out) } else { Ok(()) }
}

/// `out = x·y` rounded in direction `r`, for two ends `x`, `y` of the operands of a product.
/// In extended mode a product 0·(±∞) is 0 (MPFR would answer NaN). That is the value the
/// product of intervals needs at such a corner: for a fixed `y` the product is linear in `x`,
/// so its extremes over the box are at the ends of `x` (as limits at an infinite end), and
/// then at the ends of `y`; along the edge `x = 0` (a real point of the operand) the product is
/// 0 everywhere, and along an infinite edge `x → ±∞` at `y = 0` it is 0 as well. With this
/// value the product of extended reals of fixed signs is monotone in each factor, so the case
/// analysis of [`mul`] picks the extreme corners over the extended reals as over the reals.
#[inline(always)]
fn end_product<const EXT: bool>(out: &mut Float, x: &Float, y: &Float, r: Round) {
    if EXT && ((x.is_zero() && y.is_infinite()) || (x.is_infinite() && y.is_zero())) {
        out.assign(0);
    } else {
        out.assign_round(x * y, r);
    }
}

/// `out = a + b`.
pub fn add(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    add_in::<false>(out, a, b)
}

// Over extended intervals no sum ∞ + (−∞) arises: a lower end is never +∞ and an upper end
// never −∞, and a sum or difference only meets ends of the same side.
#[inline(always)]
fn add_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo.assign_round(&a.lo + &b.lo, Round::Down);
    out.hi.assign_round(&a.hi + &b.hi, Round::Up);
    close::<EXT>(out)
}

/// `out = a − b`.
pub fn sub(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    sub_in::<false>(out, a, b)
}

#[inline(always)]
fn sub_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo.assign_round(&a.lo - &b.hi, Round::Down);
    out.hi.assign_round(&a.hi - &b.lo, Round::Up);
    close::<EXT>(out)
}

/// `out = −a` (exact).
pub fn neg(out: &mut Interval, a: &Interval) -> Res {
    neg_in::<false>(out, a)
}

#[inline(always)]
fn neg_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    out.lo.assign_round(-&a.hi, Round::Down);
    out.hi.assign_round(-&a.lo, Round::Up);
    close_exact::<EXT>(out)
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
    mul_in::<false>(out, a, b, s)
}

#[inline(always)]
fn mul_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
    let (al, ah, bl, bh) = (&a.lo, &a.hi, &b.lo, &b.hi);
    let pick = |x: &Float, y: &Float, z: &Float, w: &Float, out: &mut Interval| {
        end_product::<EXT>(&mut out.lo, x, y, Round::Down);
        end_product::<EXT>(&mut out.hi, z, w, Round::Up);
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
        // both straddle zero: no end is zero, so no product 0·∞
        let [t0, t1, t2, t3] = &mut s.t;
        end_product::<EXT>(t0, al, bh, Round::Down);
        end_product::<EXT>(t1, ah, bl, Round::Down);
        end_product::<EXT>(t2, al, bl, Round::Up);
        end_product::<EXT>(t3, ah, bh, Round::Up);
        out.lo
            .assign_round(if *t0 < *t1 { &*t0 } else { &*t1 }, Round::Down);
        out.hi
            .assign_round(if *t2 > *t3 { &*t2 } else { &*t3 }, Round::Up);
    }
    close::<EXT>(out)
}

/// `out = a ÷ b`; an error when `b` contains zero.
pub fn div(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    div_in::<false>(out, a, b)
}

// Over extended intervals the same picks are right (a ÷ b is a × [1/bh, 1/bl], with 1/±∞ = 0
// exactly), and they never form ∞/∞: in every case an end of `a` that may be infinite (al < 0
// or ah > 0) is divided by the end of `b` nearest zero, which is finite because `b` excludes
// zero and keeps the extended invariant (bl > 0 finite, or bh < 0 finite). Were a quotient
// ever NaN, the closing check would fault.
#[inline(always)]
fn div_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
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
    close::<EXT>(out)
}

/// `out = √a`; an error when `a` has a negative part.
pub fn sqrt(out: &mut Interval, a: &Interval) -> Res {
    sqrt_in::<false>(out, a)
}

#[inline(always)]
fn sqrt_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    if a.lo.cmp0() == Some(Ordering::Less) {
        return Err(ArithError::SqrtOfNegative {
            certain: a.hi.cmp0() == Some(Ordering::Less),
        });
    }
    out.lo.assign_round(a.lo.sqrt_ref(), Round::Down);
    out.hi.assign_round(a.hi.sqrt_ref(), Round::Up);
    close::<EXT>(out)
}

/// `out = ln a` (natural logarithm); an error when `a` has a non-positive part.
pub fn ln(out: &mut Interval, a: &Interval) -> Res {
    ln_in::<false>(out, a)
}

#[inline(always)]
fn ln_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    if a.lo.cmp0() != Some(Ordering::Greater) {
        return Err(ArithError::LogOfNonPositive {
            certain: a.hi.cmp0() != Some(Ordering::Greater),
        });
    }
    out.lo.assign_round(a.lo.ln_ref(), Round::Down);
    out.hi.assign_round(a.hi.ln_ref(), Round::Up);
    close::<EXT>(out)
}

/// `out = exp a`.
pub fn exp(out: &mut Interval, a: &Interval) -> Res {
    exp_in::<false>(out, a)
}

#[inline(always)]
fn exp_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    out.lo.assign_round(a.lo.exp_ref(), Round::Down);
    out.hi.assign_round(a.hi.exp_ref(), Round::Up);
    close::<EXT>(out)
}

/// The largest integer exponent accepted by [`powi`] (in size).
pub const MAX_INT_EXPONENT: i64 = i32::MAX as i64;

/// `out = a^n` for an integer `n` (monotone pieces by sign of `n`, parity, and the sign of `a`).
/// `a^0 = 1`; a negative `n` needs `a` away from zero.
pub fn powi(out: &mut Interval, a: &Interval, n: i64, s: &mut Scratch) -> Res {
    powi_in::<false>(out, a, n, s)
}

// Over extended intervals MPFR's (±∞)^n is the limit of x^n (∞ or 0 with the right sign), so
// the monotone pieces give the extremes as limits at the infinite ends.
#[inline(always)]
fn powi_in<const EXT: bool>(out: &mut Interval, a: &Interval, n: i64, s: &mut Scratch) -> Res {
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
    close::<EXT>(out)
}

/// `out = a^b` for a real exponent interval `b`. Needs `a > 0`, or `a ≥ 0` with `b > 0`.
/// x^y is monotone in each argument on that domain, so the extremes are at the corners.
pub fn pow(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
    pow_in::<false>(out, a, b, s)
}

// Over extended intervals the corners are limits, and MPFR's special values are those limits:
// x^(±∞) is ∞, 1 or 0 as x > 1, x = 1 or x < 1 (reversed for −∞), (+∞)^y is ∞, 1 or 0 as
// y > 0, y = 0 or y < 0, 0^(+∞) = 0. A corner (+∞)^0 = 1 is the limit along the edge y = 0;
// the edge x → +∞ is monotone in y (0, then 1, then ∞), so its extremes are at y's ends.
#[inline(always)]
fn pow_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
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
    close::<EXT>(out)
}

/// `out = ⌊a⌋` (exact: the floor of a float fits in its precision).
pub fn floor(out: &mut Interval, a: &Interval) -> Res {
    floor_in::<false>(out, a)
}

#[inline(always)]
fn floor_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    out.assign(a);
    out.lo.floor_mut();
    out.hi.floor_mut();
    close::<EXT>(out)
}

/// `out = ⌈a⌉` (exact).
pub fn ceil(out: &mut Interval, a: &Interval) -> Res {
    ceil_in::<false>(out, a)
}

#[inline(always)]
fn ceil_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    out.assign(a);
    out.lo.ceil_mut();
    out.hi.ceil_mut();
    close::<EXT>(out)
}

/// `out = min(a, b)`.
pub fn min(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    min_in::<false>(out, a, b)
}

#[inline(always)]
fn min_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo
        .assign_round(if a.lo < b.lo { &a.lo } else { &b.lo }, Round::Down);
    out.hi
        .assign_round(if a.hi < b.hi { &a.hi } else { &b.hi }, Round::Up);
    close_exact::<EXT>(out)
}

/// `out = max(a, b)`.
pub fn max(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    max_in::<false>(out, a, b)
}

#[inline(always)]
fn max_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo
        .assign_round(if a.lo > b.lo { &a.lo } else { &b.lo }, Round::Down);
    out.hi
        .assign_round(if a.hi > b.hi { &a.hi } else { &b.hi }, Round::Up);
    close_exact::<EXT>(out)
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

#[inline(always)]
fn extremes<const EXT: bool>(out: &mut Interval, a: &Interval, s: &mut Scratch, sine: bool) -> Res {
    if !a.lo.is_finite() || !a.hi.is_finite() {
        if EXT {
            // an unbounded interval holds a whole period
            out.lo.assign(-1);
            out.hi.assign(1);
            return close_exact::<EXT>(out);
        }
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
    close_exact::<EXT>(out)
}

/// `out = sin a`: both ends rounded outward, and ±1 where a peak or dip may lie inside.
pub fn sin(out: &mut Interval, a: &Interval, s: &mut Scratch) -> Res {
    extremes::<false>(out, a, s, true)
}

/// `out = cos a`.
pub fn cos(out: &mut Interval, a: &Interval, s: &mut Scratch) -> Res {
    extremes::<false>(out, a, s, false)
}

/// `out = hull(a, b)`, the smallest interval containing both.
pub fn hull(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    hull_in::<false>(out, a, b)
}

#[inline(always)]
fn hull_in<const EXT: bool>(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
    out.lo
        .assign_round(if a.lo < b.lo { &a.lo } else { &b.lo }, Round::Down);
    out.hi
        .assign_round(if a.hi > b.hi { &a.hi } else { &b.hi }, Round::Up);
    close_exact::<EXT>(out)
}

/// `out = sign(a)·da`, the derivative of `|a|`: `da` where `a ≥ 0`, `−da` where `a ≤ 0`, and
/// `[−m, m]` with `m = max|da|` where `a` may be zero (the generalized gradient).
pub fn abs_deriv(out: &mut Interval, a: &Interval, da: &Interval) -> Res {
    abs_deriv_in::<false>(out, a, da)
}

#[inline(always)]
fn abs_deriv_in<const EXT: bool>(out: &mut Interval, a: &Interval, da: &Interval) -> Res {
    if is_nonneg(&a.lo) {
        out.assign(da);
    } else if is_nonpos(&a.hi) {
        neg_in::<EXT>(out, da)?;
    } else {
        if *da.lo.as_neg() > da.hi {
            out.hi.assign_round(&*da.lo.as_neg(), Round::Up);
        } else {
            out.hi.assign_round(&da.hi, Round::Up);
        }
        out.lo.assign_round(&*out.hi.as_neg(), Round::Down);
    }
    close_exact::<EXT>(out)
}

/// `out = |a|`.
pub fn abs(out: &mut Interval, a: &Interval) -> Res {
    abs_in::<false>(out, a)
}

#[inline(always)]
fn abs_in<const EXT: bool>(out: &mut Interval, a: &Interval) -> Res {
    if is_nonneg(&a.lo) {
        out.assign(a);
    } else if is_nonpos(&a.hi) {
        neg_in::<EXT>(out, a)?;
    } else {
        if *a.lo.as_neg() > a.hi {
            out.hi.assign_round(&*a.lo.as_neg(), Round::Up);
        } else {
            out.hi.assign_round(&a.hi, Round::Up);
        }
        out.lo.assign(0);
    }
    close_exact::<EXT>(out)
}

/// The operations over **extended intervals**: closed intervals of reals whose ends may be
/// infinite, `lo` = −∞ or `hi` = +∞ (never `lo` = +∞ nor `hi` = −∞: an extended interval is a
/// non-empty set of real numbers, and ±∞ are only bounds). Each operation answers an enclosure
/// of { f(x) : x real, in the operands }, with infinite ends where that set is unbounded, and
/// faults only where the default operation of the same name faults for a reason other than
/// overflow: where the operation is undefined somewhere on the operands (division by a divisor
/// that may be zero, the square root of a possibly negative number, …), with the same errors.
/// Overflow of finite operands (exp of 10³⁰) becomes an infinite end, which is sound here.
///
/// They are the default operations (one implementation of each) with these differences: the
/// result is closed by [`extended::check`] instead of the test that both ends are finite; a
/// product of ends 0·(±∞) is 0 (see [`extended::mul`]); the sine and cosine of an unbounded
/// interval are [−1, 1]. Every other special value is MPFR's, which is the limit of the
/// function at that end: (±∞)^n, x^(±∞), (+∞)^y, √∞, ln ∞, exp(±∞), x/±∞ = ±0, ⌊∞⌋.
///
/// The operands must be extended intervals ([`extended::check`] passes on them); the
/// operations keep that, and an operation whose result would break it (an end NaN, `lo` = +∞,
/// `hi` = −∞, or `lo > hi`, which none should give) faults with [`ArithError::Overflow`].
pub mod extended {
    use super::{ArithError, Interval, Res, Scratch};

    /// `Ok` when `x` is an extended interval: no end NaN, `lo ≤ hi`, `lo` ≠ +∞, `hi` ≠ −∞;
    /// else [`ArithError::Overflow`]. Closes every operation of this module.
    #[inline]
    pub fn check(x: &Interval) -> Res {
        // `<=` is false when either end is NaN
        let ordered = x.lo <= x.hi;
        let lo_real = !(x.lo.is_infinite() && x.lo.is_sign_positive());
        let hi_real = !(x.hi.is_infinite() && x.hi.is_sign_negative());
        if ordered && lo_real && hi_real {
            Ok(())
        } else {
            Err(ArithError::Overflow)
        }
    }

    /// `out = a + b`.
    pub fn add(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
        super::add_in::<true>(out, a, b)
    }

    /// `out = a − b`.
    pub fn sub(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
        super::sub_in::<true>(out, a, b)
    }

    /// `out = −a`.
    pub fn neg(out: &mut Interval, a: &Interval) -> Res {
        super::neg_in::<true>(out, a)
    }

    /// `out = a × b`, with 0·(±∞) = 0 at the ends: [0, 0]·[1, +∞] = [0, 0],
    /// [0, 2]·[1, +∞] = [0, +∞], [−1, 2]·[3, +∞] = [−∞, +∞].
    pub fn mul(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
        super::mul_in::<true>(out, a, b, s)
    }

    /// `out = a ÷ b`; an error when `b` contains zero. [1, 2] ÷ [1, +∞] = [0, 2],
    /// [1, +∞] ÷ [1, +∞] = [0, +∞].
    pub fn div(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
        super::div_in::<true>(out, a, b)
    }

    /// `out = √a`; an error when `a` has a negative part.
    pub fn sqrt(out: &mut Interval, a: &Interval) -> Res {
        super::sqrt_in::<true>(out, a)
    }

    /// `out = ln a`; an error when `a` has a non-positive part (0 included, as in the default
    /// mode). ln [1, +∞] = [0, +∞].
    pub fn ln(out: &mut Interval, a: &Interval) -> Res {
        super::ln_in::<true>(out, a)
    }

    /// `out = exp a`. exp [−∞, 0] = [0, 1].
    pub fn exp(out: &mut Interval, a: &Interval) -> Res {
        super::exp_in::<true>(out, a)
    }

    /// `out = a^n` for an integer `n`, with the default mode's domain rules.
    pub fn powi(out: &mut Interval, a: &Interval, n: i64, s: &mut Scratch) -> Res {
        super::powi_in::<true>(out, a, n, s)
    }

    /// `out = a^b`; needs `a > 0`, or `a ≥ 0` with `b > 0`, as in the default mode.
    pub fn pow(out: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
        super::pow_in::<true>(out, a, b, s)
    }

    /// `out = ⌊a⌋`. ⌊[1.5, +∞]⌋ = [1, +∞].
    pub fn floor(out: &mut Interval, a: &Interval) -> Res {
        super::floor_in::<true>(out, a)
    }

    /// `out = ⌈a⌉`.
    pub fn ceil(out: &mut Interval, a: &Interval) -> Res {
        super::ceil_in::<true>(out, a)
    }

    /// `out = min(a, b)`.
    pub fn min(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
        super::min_in::<true>(out, a, b)
    }

    /// `out = max(a, b)`.
    pub fn max(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
        super::max_in::<true>(out, a, b)
    }

    /// `out = sin a`; [−1, 1] when an end of `a` is infinite.
    pub fn sin(out: &mut Interval, a: &Interval, s: &mut Scratch) -> Res {
        super::extremes::<true>(out, a, s, true)
    }

    /// `out = cos a`; [−1, 1] when an end of `a` is infinite.
    pub fn cos(out: &mut Interval, a: &Interval, s: &mut Scratch) -> Res {
        super::extremes::<true>(out, a, s, false)
    }

    /// `out = hull(a, b)`.
    pub fn hull(out: &mut Interval, a: &Interval, b: &Interval) -> Res {
        super::hull_in::<true>(out, a, b)
    }

    /// `out = sign(a)·da`, the derivative of `|a|` (see [`super::abs_deriv`]).
    pub fn abs_deriv(out: &mut Interval, a: &Interval, da: &Interval) -> Res {
        super::abs_deriv_in::<true>(out, a, da)
    }

    /// `out = |a|`.
    pub fn abs(out: &mut Interval, a: &Interval) -> Res {
        super::abs_in::<true>(out, a)
    }
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

#[cfg(test)]
mod extended_tests {
    use super::*;

    /// The ends of an interval, as f64.
    type Ends = (f64, f64);
    /// Two operands and the answer.
    type Case = (Ends, Ends, Ends);
    /// A named unary operation, its operand and its answer.
    type UnaryCase = (&'static str, Unary, Ends, Ends);

    const INF: f64 = f64::INFINITY;
    const NINF: f64 = f64::NEG_INFINITY;

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval::new(Float::with_val(64, lo), Float::with_val(64, hi)).unwrap()
    }

    /// The ends as f64 (exact for the cases below), after checking the invariant.
    fn ends(r: Res, out: &Interval) -> Ends {
        r.unwrap();
        extended::check(out).unwrap();
        (out.lo.to_f64(), out.hi.to_f64())
    }

    type Binary = fn(&mut Interval, &Interval, &Interval, &mut Scratch) -> Res;
    type Unary = fn(&mut Interval, &Interval, &mut Scratch) -> Res;

    fn binary(op: Binary, a: Ends, b: Ends) -> Result<Ends, ArithError> {
        let mut out = Interval::zero(64);
        let r = op(
            &mut out,
            &iv(a.0, a.1),
            &iv(b.0, b.1),
            &mut Scratch::new(64),
        );
        r.map(|()| ends(Ok(()), &out))
    }

    fn unary(op: Unary, a: Ends) -> Result<Ends, ArithError> {
        let mut out = Interval::zero(64);
        let r = op(&mut out, &iv(a.0, a.1), &mut Scratch::new(64));
        r.map(|()| ends(Ok(()), &out))
    }

    fn e_add(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::add(o, a, b)
    }
    fn e_sub(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::sub(o, a, b)
    }
    fn e_div(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::div(o, a, b)
    }
    fn e_min(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::min(o, a, b)
    }
    fn e_max(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::max(o, a, b)
    }
    fn e_hull(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::hull(o, a, b)
    }
    fn e_abs_deriv(o: &mut Interval, a: &Interval, b: &Interval, _: &mut Scratch) -> Res {
        extended::abs_deriv(o, a, b)
    }
    fn e_neg(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::neg(o, a)
    }
    fn e_sqrt(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::sqrt(o, a)
    }
    fn e_ln(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::ln(o, a)
    }
    fn e_exp(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::exp(o, a)
    }
    fn e_floor(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::floor(o, a)
    }
    fn e_ceil(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::ceil(o, a)
    }
    fn e_abs(o: &mut Interval, a: &Interval, _: &mut Scratch) -> Res {
        extended::abs(o, a)
    }

    fn check_table(name: &str, op: Binary, cases: &[Case]) {
        for &(a, b, want) in cases {
            assert_eq!(binary(op, a, b), Ok(want), "{name} {a:?} {b:?}");
        }
    }

    #[test]
    fn check_accepts_extended_intervals_only() {
        for (lo, hi) in [
            (NINF, INF),
            (NINF, 0.0),
            (1.0, INF),
            (-1.0, 1.0),
            (0.0, 0.0),
        ] {
            assert_eq!(extended::check(&iv(lo, hi)), Ok(()), "{lo} {hi}");
        }
        for (lo, hi) in [(INF, INF), (NINF, NINF)] {
            assert_eq!(
                extended::check(&iv(lo, hi)),
                Err(ArithError::Overflow),
                "{lo} {hi}"
            );
        }
        let nan = Interval {
            lo: Float::with_val(64, f64::NAN),
            hi: Float::with_val(64, 1.0),
        };
        assert_eq!(extended::check(&nan), Err(ArithError::Overflow));
        let reversed = Interval {
            lo: Float::with_val(64, 2.0),
            hi: Float::with_val(64, 1.0),
        };
        assert_eq!(extended::check(&reversed), Err(ArithError::Overflow));
    }

    #[test]
    fn sums_and_differences_with_infinite_ends() {
        check_table(
            "add",
            e_add,
            &[
                ((NINF, 1.0), (2.0, 3.0), (NINF, 4.0)),
                ((1.0, INF), (NINF, 0.0), (NINF, INF)),
                ((1.0, INF), (2.0, INF), (3.0, INF)),
                ((NINF, INF), (NINF, INF), (NINF, INF)),
                ((NINF, -1.0), (NINF, -2.0), (NINF, -3.0)),
                ((0.0, 0.0), (1.0, INF), (1.0, INF)),
            ],
        );
        check_table(
            "sub",
            e_sub,
            &[
                ((1.0, INF), (1.0, INF), (NINF, INF)),
                ((1.0, 2.0), (NINF, 0.0), (1.0, INF)),
                ((NINF, 0.0), (1.0, INF), (NINF, -1.0)),
                ((NINF, 0.0), (NINF, 0.0), (NINF, INF)),
                ((5.0, 6.0), (1.0, 2.0), (3.0, 5.0)),
            ],
        );
    }

    #[test]
    fn products_with_infinite_and_zero_ends() {
        check_table(
            "mul",
            mul_ext,
            &[
                // the brief's cases
                ((0.0, 0.0), (1.0, INF), (0.0, 0.0)),
                ((0.0, 2.0), (1.0, INF), (0.0, INF)),
                ((-1.0, 2.0), (3.0, INF), (NINF, INF)),
                // a ≥ 0
                ((1.0, INF), (1.0, INF), (1.0, INF)),
                ((0.0, INF), (0.0, INF), (0.0, INF)),
                ((0.0, INF), (0.0, 0.0), (0.0, 0.0)),
                ((1.0, INF), (NINF, -1.0), (NINF, -1.0)),
                ((0.0, INF), (NINF, 0.0), (NINF, 0.0)),
                ((1.0, 2.0), (NINF, 3.0), (NINF, 6.0)),
                ((0.0, 2.0), (NINF, INF), (NINF, INF)),
                ((0.0, 0.0), (NINF, INF), (0.0, 0.0)),
                ((2.0, INF), (-3.0, 1.0), (NINF, INF)),
                // a ≤ 0
                ((NINF, -1.0), (1.0, INF), (NINF, -1.0)),
                ((NINF, -1.0), (NINF, -1.0), (1.0, INF)),
                ((NINF, 0.0), (0.0, INF), (NINF, 0.0)),
                ((NINF, 0.0), (NINF, 0.0), (0.0, INF)),
                ((-2.0, -1.0), (0.0, INF), (NINF, 0.0)),
                ((-3.0, -1.0), (NINF, 2.0), (-6.0, INF)),
                ((NINF, 0.0), (0.0, 0.0), (0.0, 0.0)),
                ((NINF, -2.0), (-1.0, 3.0), (NINF, INF)),
                // a straddles zero
                ((-1.0, 2.0), (NINF, -3.0), (NINF, INF)),
                ((NINF, 5.0), (0.0, 2.0), (NINF, 10.0)),
                ((-5.0, INF), (-2.0, 0.0), (NINF, 10.0)),
                ((NINF, INF), (1.0, 2.0), (NINF, INF)),
                ((NINF, INF), (0.0, 0.0), (0.0, 0.0)),
                ((NINF, INF), (NINF, INF), (NINF, INF)),
                ((-1.0, 1.0), (-2.0, INF), (NINF, INF)),
                ((-1.0, 1.0), (-2.0, 2.0), (-2.0, 2.0)),
            ],
        );
    }

    fn mul_ext(o: &mut Interval, a: &Interval, b: &Interval, s: &mut Scratch) -> Res {
        extended::mul(o, a, b, s)
    }

    #[test]
    fn products_are_symmetric_and_squares_are_nonnegative() {
        let vals = [NINF, -2.0, -1.0, 0.0, 0.5, 3.0, INF];
        let mut ivs = Vec::new();
        for (i, &lo) in vals.iter().enumerate() {
            for &hi in &vals[i..] {
                if !(lo == INF || hi == NINF) {
                    ivs.push((lo, hi));
                }
            }
        }
        for &a in &ivs {
            for &b in &ivs {
                assert_eq!(binary(mul_ext, a, b), binary(mul_ext, b, a), "{a:?} {b:?}");
            }
            let sq = binary(mul_ext, a, a).unwrap();
            let p = unary(|o, x, s| extended::powi(o, x, 2, s), a).unwrap();
            // a·a over an interval is wider than a² only where a straddles zero
            assert!(sq.0 <= p.0 && p.1 <= sq.1, "{a:?}: {sq:?} {p:?}");
        }
    }

    #[test]
    fn quotients_with_infinite_ends() {
        check_table(
            "div",
            e_div,
            &[
                ((1.0, 2.0), (1.0, INF), (0.0, 2.0)),
                ((1.0, INF), (1.0, INF), (0.0, INF)),
                ((NINF, -1.0), (1.0, INF), (NINF, 0.0)),
                ((NINF, -1.0), (NINF, -1.0), (0.0, INF)),
                ((1.0, INF), (NINF, -1.0), (NINF, 0.0)),
                ((NINF, INF), (1.0, 2.0), (NINF, INF)),
                ((NINF, INF), (NINF, -1.0), (NINF, INF)),
                ((-1.0, 2.0), (1.0, INF), (-1.0, 2.0)),
                ((-1.0, 2.0), (NINF, -1.0), (-2.0, 1.0)),
                ((0.0, 0.0), (1.0, INF), (0.0, 0.0)),
                ((0.0, INF), (2.0, 4.0), (0.0, INF)),
                ((NINF, 0.0), (2.0, INF), (NINF, 0.0)),
                ((-4.0, -2.0), (NINF, -2.0), (0.0, 2.0)),
                ((2.0, 4.0), (NINF, -2.0), (-2.0, 0.0)),
            ],
        );
        // a divisor that holds zero faults as in the default mode
        for (b, certain) in [
            ((0.0, INF), false),
            ((NINF, 0.0), false),
            ((NINF, INF), false),
            ((0.0, 0.0), true),
        ] {
            assert_eq!(
                binary(e_div, (1.0, 2.0), b),
                Err(ArithError::DivisionByZero { certain }),
                "{b:?}"
            );
        }
    }

    #[test]
    fn integer_powers_with_infinite_ends() {
        let p = |n: i64, a: Ends| {
            let mut out = Interval::zero(64);
            let r = extended::powi(&mut out, &iv(a.0, a.1), n, &mut Scratch::new(64));
            r.map(|()| ends(Ok(()), &out))
        };
        let cases: &[(i64, Ends, Ends)] = &[
            (2, (2.0, INF), (4.0, INF)),
            (2, (NINF, -2.0), (4.0, INF)),
            (3, (NINF, -2.0), (NINF, -8.0)),
            (2, (NINF, INF), (0.0, INF)),
            (3, (NINF, INF), (NINF, INF)),
            (4, (-1.0, INF), (0.0, INF)),
            (4, (NINF, 1.0), (0.0, INF)),
            (1, (NINF, 3.0), (NINF, 3.0)),
            (-1, (2.0, INF), (0.0, 0.5)),
            (-1, (NINF, -2.0), (-0.5, 0.0)),
            (-2, (NINF, -2.0), (0.0, 0.25)),
            (-2, (2.0, INF), (0.0, 0.25)),
            (-3, (NINF, -1.0), (-1.0, 0.0)),
            (0, (1.0, INF), (1.0, 1.0)),
            (0, (NINF, INF), (1.0, 1.0)),
        ];
        for &(n, a, want) in cases {
            assert_eq!(p(n, a), Ok(want), "{a:?}^{n}");
        }
        for (a, certain) in [
            ((NINF, INF), false),
            ((0.0, INF), false),
            ((NINF, 0.0), false),
        ] {
            assert_eq!(
                p(-2, a),
                Err(ArithError::DivisionByZero { certain }),
                "{a:?}"
            );
        }
        assert!(matches!(
            p(1 << 40, (1.0, INF)),
            Err(ArithError::ExponentTooLarge(_))
        ));
    }

    #[test]
    fn real_powers_with_infinite_ends() {
        let p = |a: Ends, b: Ends| binary(extended::pow, a, b);
        let cases: &[Case] = &[
            ((2.0, INF), (1.0, 2.0), (2.0, INF)),
            ((0.5, 2.0), (1.0, INF), (0.0, INF)),
            ((2.0, INF), (NINF, -1.0), (0.0, 0.5)),
            ((1.0, 1.0), (NINF, INF), (1.0, 1.0)),
            ((1.0, INF), (0.0, 1.0), (1.0, INF)),
            ((0.0, INF), (1.0, INF), (0.0, INF)),
            ((0.0, 1.0), (1.0, INF), (0.0, 1.0)),
            ((2.0, INF), (NINF, INF), (0.0, INF)),
            ((0.25, 0.5), (NINF, 1.0), (0.25, INF)),
            ((0.25, 0.5), (NINF, -1.0), (2.0, INF)),
            ((4.0, INF), (0.5, 0.5), (2.0, INF)),
            ((4.0, INF), (-0.5, -0.5), (0.0, 0.5)),
        ];
        for &(a, b, want) in cases {
            assert_eq!(p(a, b), Ok(want), "{a:?}^{b:?}");
        }
        // the domain rules of the default mode
        assert_eq!(
            p((0.0, 1.0), (NINF, 1.0)),
            Err(ArithError::PowDomain { certain: false })
        );
        assert_eq!(
            p((NINF, 1.0), (1.0, 2.0)),
            Err(ArithError::PowDomain { certain: false })
        );
        assert_eq!(
            p((NINF, -1.0), (1.0, INF)),
            Err(ArithError::PowDomain { certain: true })
        );
    }

    #[test]
    fn elementary_functions_with_infinite_ends() {
        let cases: &[UnaryCase] = &[
            ("sqrt", e_sqrt, (4.0, INF), (2.0, INF)),
            ("sqrt", e_sqrt, (0.0, INF), (0.0, INF)),
            ("ln", e_ln, (1.0, INF), (0.0, INF)),
            ("exp", e_exp, (NINF, 0.0), (0.0, 1.0)),
            ("exp", e_exp, (NINF, INF), (0.0, INF)),
            ("exp", e_exp, (0.0, INF), (1.0, INF)),
            ("exp", e_exp, (NINF, NINF.max(-1e300)), (0.0, 0.0)),
            ("floor", e_floor, (1.5, INF), (1.0, INF)),
            ("floor", e_floor, (NINF, -1.5), (NINF, -2.0)),
            ("ceil", e_ceil, (NINF, 1.5), (NINF, 2.0)),
            ("ceil", e_ceil, (1.5, INF), (2.0, INF)),
            ("neg", e_neg, (1.0, INF), (NINF, -1.0)),
            ("neg", e_neg, (NINF, INF), (NINF, INF)),
            ("abs", e_abs, (NINF, -1.0), (1.0, INF)),
            ("abs", e_abs, (NINF, 2.0), (0.0, INF)),
            ("abs", e_abs, (-1.0, INF), (0.0, INF)),
            ("abs", e_abs, (NINF, INF), (0.0, INF)),
            ("sin", extended::sin, (1.0, INF), (-1.0, 1.0)),
            ("sin", extended::sin, (NINF, INF), (-1.0, 1.0)),
            ("cos", extended::cos, (NINF, 0.0), (-1.0, 1.0)),
            ("cos", extended::cos, (1e300, INF), (-1.0, 1.0)),
        ];
        for &(name, op, a, want) in cases {
            assert_eq!(unary(op, a), Ok(want), "{name} {a:?}");
        }
        // ln of [tiny, ∞]: a finite lower end
        let r = unary(e_ln, (1e-300, INF)).unwrap();
        assert!(r.0 < -690.0 && r.0 > -691.0 && r.1 == INF);
        // the domain faults of the default mode
        assert_eq!(
            unary(e_sqrt, (NINF, 4.0)),
            Err(ArithError::SqrtOfNegative { certain: false })
        );
        assert_eq!(
            unary(e_sqrt, (NINF, -1.0)),
            Err(ArithError::SqrtOfNegative { certain: true })
        );
        assert_eq!(
            unary(e_ln, (0.0, INF)),
            Err(ArithError::LogOfNonPositive { certain: false })
        );
        assert_eq!(
            unary(e_ln, (NINF, 0.0)),
            Err(ArithError::LogOfNonPositive { certain: true })
        );
    }

    #[test]
    fn overflow_of_finite_operands_is_an_infinite_end() {
        let mut out = Interval::zero(64);
        let big = iv(1e30, 1e30);
        assert_eq!(extended::exp(&mut out, &big), Ok(()));
        // e^(10³⁰) is beyond the exponent range: the largest float below, +∞ above
        assert!(out.lo.is_finite() && out.lo > 1e300 && out.hi.is_infinite() && out.hi > 0);
        assert_eq!(exp(&mut out, &big), Err(ArithError::Overflow));
        let x = Float::with_val(64, 1) << (1u32 << 29);
        let huge = Interval::new(x.clone(), x).unwrap();
        assert_eq!(
            extended::mul(&mut out, &huge, &huge, &mut Scratch::new(64)),
            Ok(())
        );
        assert!(out.lo.is_finite() && out.hi.is_infinite() && out.hi > 0);
        let mut x = Interval::zero(64);
        let two_big = Float::with_val(64, 1) << (1u32 << 29);
        x.set_bounds_round(&two_big, &two_big);
        assert_eq!(
            extended::powi(&mut out, &x, 4, &mut Scratch::new(64)),
            Ok(())
        );
        assert!(out.lo.is_finite() && out.hi.is_infinite() && out.hi > 0);
        assert_eq!(
            powi(&mut out, &x, 4, &mut Scratch::new(64)),
            Err(ArithError::Overflow)
        );
    }

    #[test]
    fn min_max_hull_and_the_derivative_helpers_with_infinite_ends() {
        check_table(
            "min",
            e_min,
            &[
                ((NINF, 1.0), (0.0, INF), (NINF, 1.0)),
                ((1.0, INF), (2.0, INF), (1.0, INF)),
                ((NINF, INF), (0.0, 0.0), (NINF, 0.0)),
            ],
        );
        check_table(
            "max",
            e_max,
            &[
                ((NINF, 1.0), (0.0, INF), (0.0, INF)),
                ((NINF, -1.0), (NINF, -2.0), (NINF, -1.0)),
                ((NINF, INF), (0.0, 0.0), (0.0, INF)),
            ],
        );
        check_table(
            "hull",
            e_hull,
            &[
                ((NINF, 0.0), (1.0, INF), (NINF, INF)),
                ((1.0, 2.0), (3.0, INF), (1.0, INF)),
            ],
        );
        // abs_deriv(a, da): da, −da, or [−m, m]
        check_table(
            "abs_deriv",
            e_abs_deriv,
            &[
                ((1.0, INF), (NINF, 0.0), (NINF, 0.0)),
                ((NINF, -1.0), (1.0, INF), (NINF, -1.0)),
                ((-1.0, 1.0), (NINF, 2.0), (NINF, INF)),
                ((-1.0, 1.0), (-3.0, 2.0), (-3.0, 3.0)),
                ((NINF, INF), (1.0, 2.0), (-2.0, 2.0)),
            ],
        );
    }

    /// Each operation in both modes, by number: `(out, a, b, scratch, extended)`.
    fn run(
        op: usize,
        o: &mut Interval,
        a: &Interval,
        b: &Interval,
        s: &mut Scratch,
        x: bool,
    ) -> Res {
        match (op, x) {
            (0, false) => add(o, a, b),
            (0, true) => extended::add(o, a, b),
            (1, false) => sub(o, a, b),
            (1, true) => extended::sub(o, a, b),
            (2, false) => mul(o, a, b, s),
            (2, true) => extended::mul(o, a, b, s),
            (3, false) => div(o, a, b),
            (3, true) => extended::div(o, a, b),
            (4, false) => pow(o, a, b, s),
            (4, true) => extended::pow(o, a, b, s),
            (5, false) => powi(o, a, -3, s),
            (5, true) => extended::powi(o, a, -3, s),
            (6, false) => powi(o, a, 4, s),
            (6, true) => extended::powi(o, a, 4, s),
            (7, false) => sqrt(o, a),
            (7, true) => extended::sqrt(o, a),
            (8, false) => ln(o, a),
            (8, true) => extended::ln(o, a),
            (9, false) => exp(o, a),
            (9, true) => extended::exp(o, a),
            (10, false) => sin(o, a, s),
            (10, true) => extended::sin(o, a, s),
            (11, false) => cos(o, a, s),
            (11, true) => extended::cos(o, a, s),
            (12, false) => abs_deriv(o, a, b),
            (12, true) => extended::abs_deriv(o, a, b),
            (13, false) => min(o, a, b),
            (13, true) => extended::min(o, a, b),
            (14, false) => max(o, a, b),
            (14, true) => extended::max(o, a, b),
            (15, false) => hull(o, a, b),
            (15, true) => extended::hull(o, a, b),
            (16, false) => abs(o, a),
            (16, true) => extended::abs(o, a),
            (17, false) => neg(o, a),
            (17, true) => extended::neg(o, a),
            (18, false) => floor(o, a),
            (18, true) => extended::floor(o, a),
            (19, false) => ceil(o, a),
            (19, true) => extended::ceil(o, a),
            _ => unreachable!(),
        }
    }
    const OPS: usize = 20;

    #[test]
    fn extended_results_equal_default_results_on_finite_operands() {
        let vals = [-3.5, -1.0, -0.25, 0.0, 0.5, 2.0, 7.0, 1e300];
        let mut s = Scratch::new(64);
        let (mut d, mut e) = (Interval::zero(64), Interval::zero(64));
        let same = |x: &Interval, y: &Interval| {
            x.lo.total_cmp(&y.lo).is_eq() && x.hi.total_cmp(&y.hi).is_eq()
        };
        for (i, &al) in vals.iter().enumerate() {
            for &ah in &vals[i..] {
                for (j, &bl) in vals.iter().enumerate() {
                    for &bh in &vals[j..] {
                        let (a, b) = (iv(al, ah), iv(bl, bh));
                        for op in 0..OPS {
                            let rd = run(op, &mut d, &a, &b, &mut s, false);
                            let re = run(op, &mut e, &a, &b, &mut s, true);
                            match rd {
                                Ok(()) => assert!(
                                    re.is_ok() && same(&d, &e),
                                    "op {op} {a:?} {b:?}: {d:?} vs {re:?} {e:?}"
                                ),
                                // overflow of finite operands: an infinite end instead
                                Err(ArithError::Overflow) => {
                                    assert_eq!(re, Ok(()), "op {op} {a:?} {b:?}");
                                    assert!(e.lo.is_infinite() || e.hi.is_infinite());
                                }
                                Err(err) => assert_eq!(re, Err(err), "op {op} {a:?} {b:?}"),
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_default_mode_still_faults_on_infinite_ends() {
        let mut s = Scratch::new(64);
        let mut out = Interval::zero(64);
        let up = iv(1.0, INF);
        let b = iv(2.0, 3.0);
        // an infinite end of the result, or a NaN one, is an overflow
        for op in [0, 1, 2, 4, 6, 7, 8, 9, 10, 11, 18, 19] {
            assert_eq!(
                run(op, &mut out, &up, &b, &mut s, false),
                Err(ArithError::Overflow),
                "op {op}"
            );
            // and the same operation over the extended reals answers an unbounded interval
            assert_eq!(run(op, &mut out, &up, &b, &mut s, true), Ok(()), "op {op}");
            assert_eq!(extended::check(&out), Ok(()), "op {op}");
        }
        // 0·∞ is NaN in the default mode: a fault there, 0 over the extended reals
        assert_eq!(
            mul(&mut out, &iv(0.0, 0.0), &up, &mut s),
            Err(ArithError::Overflow)
        );
        assert_eq!(binary(mul_ext, (0.0, 0.0), (1.0, INF)), Ok((0.0, 0.0)));
        // what was finite in the default mode stays so: [1, 2] ÷ [1, ∞] and exp[−∞, 0]
        assert_eq!(div(&mut out, &iv(1.0, 2.0), &up), Ok(()));
        assert!(*out.lo() == 0 && *out.hi() == 2);
        assert_eq!(exp(&mut out, &iv(NINF, 0.0)), Ok(()));
        assert!(*out.lo() == 0 && *out.hi() == 1);
        // the exact operations never checked, and still do not
        for op in [13, 14, 15, 16, 17] {
            assert_eq!(run(op, &mut out, &up, &b, &mut s, false), Ok(()), "op {op}");
        }
        // and neither mode accepts an interval that holds no real number, in the extended mode
        // because the closing check refuses it
        let top = iv(INF, INF);
        assert_eq!(extended::neg(&mut out, &top), Err(ArithError::Overflow));
        assert_eq!(extended::add(&mut out, &top, &b), Err(ArithError::Overflow));
        assert_eq!(add(&mut out, &top, &b), Err(ArithError::Overflow));
    }
}
