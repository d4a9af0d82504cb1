//! Double-double intervals: a fast, certified enclosure arithmetic of about 100 bits, for the
//! tables' common case (values of moderate size, + − × ÷ √ and integer powers). Every result
//! encloses the exact one, or the operation declines (`None`) and the caller falls back to MPFR.
//!
//! A double-double x = hi + lo is an unevaluated sum of two f64 with |lo| ≤ ulp(hi)/2. The
//! arithmetic on them is built from error-free transformations (TwoSum, Fast2Sum and Dekker's
//! TwoProd; no fused multiply-add, so every machine gives the same bits), following Joldes,
//! Muller and Popescu, "Tight and rigorous error bounds for basic building blocks of
//! double-word arithmetic" (ACM TOMS 44(2), 2017):
//!
//! * [`add`] is their AccurateDWPlusDW: relative error at most 3u²/(1 − 4u) (u = 2⁻⁵³);
//! * [`mul`] is their DWTimesDW1: relative error at most 7u².
//!
//! Those bounds hold when nothing overflows or underflows, which [`in_range`] enforces: every
//! operand and every result is 0 or has magnitude in [2⁻⁴⁰⁰, 2⁴⁰⁰], so that no partial product
//! of Dekker's splitting leaves the normal range. The interval operations widen each computed
//! end outward by 2⁻⁹⁹ of its magnitude (more than 128u², far above both bounds) and renormalize
//! exactly. Reciprocals and square roots are computed approximately and then *checked*: a lower
//! end s of √x is kept only if an upper bound of s² is ≤ x, and so on, so their correctness rests
//! on [`mul`] and [`add`] alone. Comparisons use the sign of an accurate difference, which is
//! exact (a relative error below 1 cannot change a sign, and a zero difference is computed as 0).
//!
//! The logarithm is certified with f64 accuracy only (about 10⁻¹⁵ relative): enough to decide an
//! integer such as Theorem 1's T1, not 20 digits of a logarithm, which then fall back to MPFR.

use std::cmp::Ordering;

/// hi + lo, with |lo| ≤ ulp(hi)/2.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dd {
    pub hi: f64,
    pub lo: f64,
}

impl std::ops::Neg for Dd {
    type Output = Dd;
    fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl std::ops::Neg for DdInterval {
    type Output = DdInterval;
    fn neg(self) -> DdInterval {
        DdInterval {
            lo: -self.hi,
            hi: -self.lo,
        }
    }
}

/// The magnitudes the error bounds are valid for.
const MIN_MAG: f64 = f64::from_bits((1023 - 400) << 52); // 2^-400
const MAX_MAG: f64 = f64::from_bits((1023 + 400) << 52); // 2^400
/// Relative widening of every computed end: 2^-99.
const WIDEN: f64 = f64::from_bits((1023 - 99) << 52);

#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// Exact when |a| ≥ |b| (or a = 0).
#[inline]
fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Veltkamp's splitting: a = h + l with h, l of at most 26 significant bits.
#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let h = c - (c - a);
    (h, a - h)
}

/// Dekker's TwoProd: a·b = p + e exactly (no overflow or underflow assumed).
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

impl Dd {
    pub const ZERO: Dd = Dd { hi: 0.0, lo: 0.0 };

    pub fn from_f64(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }

    fn is_finite(self) -> bool {
        self.hi.is_finite() && self.lo.is_finite()
    }
}

/// True when `x` is 0 or of a magnitude the error bounds cover.
#[inline]
pub fn in_range(x: Dd) -> bool {
    let m = x.hi.abs();
    x.is_finite() && (m == 0.0 || (MIN_MAG..=MAX_MAG).contains(&m))
}

/// a·b exactly, as a normalized double-double (TwoProd), when it stays in the covered range.
pub fn exact_product(a: f64, b: f64) -> Option<Dd> {
    let (hi, lo) = two_prod(a, b);
    let out = Dd { hi, lo };
    (in_range(Dd::from_f64(a)) && in_range(Dd::from_f64(b)) && in_range(out)).then_some(out)
}

/// x + y, relative error ≤ 3u²/(1 − 4u) (AccurateDWPlusDW).
#[inline]
pub fn add(x: Dd, y: Dd) -> Dd {
    let (sh, sl) = two_sum(x.hi, y.hi);
    let (th, tl) = two_sum(x.lo, y.lo);
    let c = sl + th;
    let (vh, vl) = fast_two_sum(sh, c);
    let w = tl + vl;
    let (hi, lo) = fast_two_sum(vh, w);
    Dd { hi, lo }
}

/// x·y, relative error ≤ 7u² (DWTimesDW1).
#[inline]
pub fn mul(x: Dd, y: Dd) -> Dd {
    let (ch, cl1) = two_prod(x.hi, y.hi);
    let tl1 = x.hi * y.lo;
    let tl2 = x.lo * y.hi;
    let cl2 = tl1 + tl2;
    let cl3 = cl1 + cl2;
    let (hi, lo) = fast_two_sum(ch, cl3);
    Dd { hi, lo }
}

/// The sign of x − y, exactly (for operands in range).
#[inline]
pub fn cmp(x: Dd, y: Dd) -> Ordering {
    let d = add(x, -y);
    d.hi.partial_cmp(&0.0).unwrap_or(Ordering::Equal)
}

/// r − 2⁻⁹⁹·|r.hi| or a little less: a lower end for any exact value that `r` approximates to
/// within 8u² relative (7u²·|v| < 2⁻⁹⁹·|r.hi| whenever |r − v| ≤ 7u²·|v|). A zero stays zero:
/// [`add`] and [`mul`] return 0 only for an exact 0.
#[inline]
fn down(r: Dd) -> Dd {
    if r.hi == 0.0 {
        return r;
    }
    let m = r.hi.abs() * WIDEN;
    let (hi, lo) = fast_two_sum(r.hi, (r.lo - m).next_down());
    Dd { hi, lo }
}

/// The upper counterpart of [`down`].
#[inline]
fn up(r: Dd) -> Dd {
    if r.hi == 0.0 {
        return r;
    }
    let m = r.hi.abs() * WIDEN;
    let (hi, lo) = fast_two_sum(r.hi, (r.lo + m).next_up());
    Dd { hi, lo }
}

/// A closed interval [lo, hi] of double-doubles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DdInterval {
    pub lo: Dd,
    pub hi: Dd,
}

fn checked(lo: Dd, hi: Dd) -> Option<DdInterval> {
    (in_range(lo) && in_range(hi)).then_some(DdInterval { lo, hi })
}

fn dmin(a: Dd, b: Dd) -> Dd {
    if cmp(a, b) == Ordering::Greater { b } else { a }
}

fn dmax(a: Dd, b: Dd) -> Dd {
    if cmp(a, b) == Ordering::Less { b } else { a }
}

/// A double-double from a binary float, rounded in the direction `round` (≤ the value for
/// `Down`, ≥ for `Up`): hi is the nearest f64, lo the rest rounded in that direction (the rest
/// x − hi is exact at x's precision plus 64 bits), and Fast2Sum renormalizes without error.
fn from_float(x: &rug::Float, round: rug::float::Round) -> Option<Dd> {
    use rug::float::Round;
    let hi = x.to_f64_round(Round::Nearest);
    if !hi.is_finite() {
        return None;
    }
    let rest = rug::Float::with_val(x.prec() + 64, x - hi);
    let lo = rest.to_f64_round(round);
    let (hi, lo) = fast_two_sum(hi, lo);
    let out = Dd { hi, lo };
    in_range(out).then_some(out)
}

impl DdInterval {
    pub fn point(x: Dd) -> DdInterval {
        DdInterval { lo: x, hi: x }
    }

    /// The enclosure of an MPFR interval (outward), if in range.
    pub fn from_interval(x: &super::Interval) -> Option<DdInterval> {
        use rug::float::Round;
        if !(x.lo.is_finite() && x.hi.is_finite()) {
            return None;
        }
        let lo = from_float(&x.lo, Round::Down)?;
        let hi = from_float(&x.hi, Round::Up)?;
        Some(DdInterval { lo, hi })
    }

    /// The enclosure of a rational.
    pub fn from_rational(q: &rug::Rational) -> Option<DdInterval> {
        use rug::float::Round;
        let (lo, _) = rug::Float::with_val_round(256, q, Round::Down);
        let (hi, _) = rug::Float::with_val_round(256, q, Round::Up);
        Some(DdInterval {
            lo: from_float(&lo, Round::Down)?,
            hi: from_float(&hi, Round::Up)?,
        })
    }

    pub fn try_add(self, o: DdInterval) -> Option<DdInterval> {
        checked(down(add(self.lo, o.lo)), up(add(self.hi, o.hi)))
    }

    pub fn try_sub(self, o: DdInterval) -> Option<DdInterval> {
        self.try_add(-o)
    }

    pub fn try_mul(self, o: DdInterval) -> Option<DdInterval> {
        let nonneg = |x: Dd| x.hi >= 0.0;
        if nonneg(self.lo) && nonneg(o.lo) {
            return checked(down(mul(self.lo, o.lo)), up(mul(self.hi, o.hi)));
        }
        let ps = [
            mul(self.lo, o.lo),
            mul(self.lo, o.hi),
            mul(self.hi, o.lo),
            mul(self.hi, o.hi),
        ];
        let lo = ps.iter().map(|&p| down(p)).reduce(dmin)?;
        let hi = ps.iter().map(|&p| up(p)).reduce(dmax)?;
        checked(lo, hi)
    }

    /// x², which unlike x·x knows that both factors are the same.
    pub fn sqr(self) -> Option<DdInterval> {
        let (a, b) = (self.lo, self.hi);
        if a.hi >= 0.0 {
            checked(down(mul(a, a)), up(mul(b, b)))
        } else if b.hi <= 0.0 {
            checked(down(mul(b, b)), up(mul(a, a)))
        } else {
            let m = dmax(-a, b);
            checked(Dd::ZERO, up(mul(m, m)))
        }
    }

    /// 1/x for an interval of one strict sign; `None` when it may contain 0.
    pub fn recip(self) -> Option<DdInterval> {
        DdInterval::point(Dd::from_f64(1.0)).try_div(self)
    }

    /// x/y for y of one strict sign (`None` when y may contain 0): each end is an approximate
    /// quotient of the right pair of ends, widened twice and then checked by multiplying back
    /// (q ≤ a/b ⟺ q·b ≤ a for b > 0).
    pub fn try_div(self, o: DdInterval) -> Option<DdInterval> {
        if o.hi.hi < 0.0 {
            return (-self).try_div(-o);
        }
        if o.lo.hi <= 0.0 {
            return None;
        }
        // y > 0: the lower end is lo/y.hi when lo ≥ 0, else lo/y.lo; the upper end hi/y.lo when
        // hi ≥ 0, else hi/y.hi.
        let (a, b) = (self.lo, if self.lo.hi >= 0.0 { o.hi } else { o.lo });
        let (c, d) = (self.hi, if self.hi.hi >= 0.0 { o.lo } else { o.hi });
        let q_lo = down(down(approx_div(a, b)));
        let q_hi = up(up(approx_div(c, d)));
        let ok_lo = cmp(up(mul(q_lo, b)), a) != Ordering::Greater;
        let ok_hi = cmp(down(mul(q_hi, d)), c) != Ordering::Less;
        if ok_lo && ok_hi {
            checked(q_lo, q_hi)
        } else {
            None
        }
    }

    /// √x for x ≥ 0; `None` when x may be negative.
    pub fn sqrt(self) -> Option<DdInterval> {
        if self.lo.hi < 0.0 {
            return None;
        }
        let lo = if self.lo.hi == 0.0 {
            Dd::ZERO
        } else {
            let s = down(down(approx_sqrt(self.lo)));
            (cmp(up(mul(s, s)), self.lo) != Ordering::Greater).then_some(s)?
        };
        let s = up(up(approx_sqrt(self.hi)));
        let hi = (cmp(down(mul(s, s)), self.hi) != Ordering::Less).then_some(s)?;
        checked(lo, hi)
    }

    /// x^n for an integer n (|n| ≤ 64; larger powers decline).
    pub fn powi(self, n: i64) -> Option<DdInterval> {
        if n.unsigned_abs() > 64 {
            return None;
        }
        if n < 0 {
            return self.powi(-n)?.recip();
        }
        let mut result = DdInterval::point(Dd::from_f64(1.0));
        let mut base = self;
        let mut k = n as u32;
        let mut first = true;
        // Squaring keeps even powers of sign-changing intervals non-negative.
        while k > 0 {
            if k & 1 == 1 {
                result = if first { base } else { result.try_mul(base)? };
                first = false;
            }
            k >>= 1;
            if k > 0 {
                base = base.sqr()?;
            }
        }
        Some(result)
    }

    pub fn min(self, o: DdInterval) -> DdInterval {
        DdInterval {
            lo: dmin(self.lo, o.lo),
            hi: dmin(self.hi, o.hi),
        }
    }

    pub fn max(self, o: DdInterval) -> DdInterval {
        DdInterval {
            lo: dmax(self.lo, o.lo),
            hi: dmax(self.hi, o.hi),
        }
    }

    pub fn abs(self) -> DdInterval {
        if self.lo.hi >= 0.0 {
            self
        } else if self.hi.hi <= 0.0 {
            -self
        } else {
            DdInterval {
                lo: Dd::ZERO,
                hi: dmax(-self.lo, self.hi),
            }
        }
    }

    /// True when every point is < 0.
    pub fn is_negative(&self) -> bool {
        self.hi.hi < 0.0
    }

    /// True when every point is ≤ 0.
    pub fn is_nonpositive(&self) -> bool {
        self.hi.hi <= 0.0
    }

    /// True when the interval is exactly {0}.
    pub fn is_zero(&self) -> bool {
        self.lo.hi == 0.0 && self.hi.hi == 0.0
    }

    /// ⌈x⌉ (exact at both ends), when the ends are below 2¹⁰⁰ in magnitude.
    pub fn ceil(self) -> Option<DdInterval> {
        let c = |x: Dd| Some(-floor(-x)?);
        checked(c(self.lo)?, c(self.hi)?)
    }

    /// ⌊x⌋ (exact at both ends), when the ends are below 2¹⁰⁰ in magnitude.
    pub fn floor(self) -> Option<DdInterval> {
        let f = |x: Dd| floor(x);
        checked(f(self.lo)?, f(self.hi)?)
    }

    /// ln x with f64 accuracy (about 10⁻¹⁵ relative), certified; `None` unless x > 0.
    pub fn ln(self) -> Option<DdInterval> {
        if self.lo.hi <= 0.0 {
            return None;
        }
        // f64 bounds of the ends: below lo and above hi.
        let below = if self.lo.lo < 0.0 {
            self.lo.hi.next_down()
        } else {
            self.lo.hi
        };
        let above = if self.hi.lo > 0.0 {
            self.hi.hi.next_up()
        } else {
            self.hi.hi
        };
        let (a, _) = ln_f64_enclosure(below)?;
        let (_, b) = ln_f64_enclosure(above)?;
        checked(Dd::from_f64(a), Dd::from_f64(b))
    }

    /// eˣ with f64 accuracy (about 10⁻¹⁵ relative), certified; `None` when it would leave the
    /// covered range.
    pub fn exp(self) -> Option<DdInterval> {
        // f64 bounds of the ends: below lo and above hi (a double-double end lies within one
        // ulp of its hi part)
        let below = self.lo.hi.next_down();
        let above = self.hi.hi.next_up();
        let (a, _) = exp_f64_enclosure(below)?;
        let (_, b) = exp_f64_enclosure(above)?;
        checked(Dd::from_f64(a), Dd::from_f64(b))
    }

    /// Three-valued comparison, as [`super::Interval::compare`].
    pub fn compare(&self, op: super::CmpOp, other: &DdInterval) -> super::Truth {
        super::interval::three_valued(
            op,
            (&self.lo, &self.hi),
            (&other.lo, &other.hi),
            &|a: &Dd, b: &Dd| cmp(*a, *b) == Ordering::Less,
            &|a: &Dd, b: &Dd| cmp(*a, *b) != Ordering::Greater,
        )
    }
}

const TWO_POW_100: f64 = f64::from_bits((1023 + 100) << 52);
const TWO_POW_52: f64 = f64::from_bits((1023 + 52) << 52);

/// ⌊x⌋ exactly, for |x| < 2¹⁰⁰ (as a normalized double-double). When hi is not an integer
/// (so |hi| < 2⁵²), hi lies at least ulp(hi) ≥ 2|lo| from every integer and ⌊x⌋ = ⌊hi⌋; when hi
/// is an integer, ⌊x⌋ = hi + ⌊lo⌋, with ⌊lo⌋ exact and the sum renormalized without error.
pub fn floor(x: Dd) -> Option<Dd> {
    if x.hi.abs() >= TWO_POW_100 || !x.hi.is_finite() || !x.lo.is_finite() {
        return None;
    }
    let f = x.hi.floor();
    if f != x.hi {
        return Some(Dd::from_f64(f));
    }
    let (hi, lo) = fast_two_sum(x.hi, x.lo.floor());
    Some(Dd { hi, lo })
}

/// n + 1 for an integer-valued double-double n with |n| < 2¹⁰⁰, exactly (lo is an integer of
/// magnitude ≤ 2⁴⁷, so lo + 1 is exact, and Fast2Sum renormalizes without error).
pub fn plus_one(n: Dd) -> Dd {
    if n.hi.abs() < TWO_POW_52 && n.lo == 0.0 {
        return Dd::from_f64(n.hi + 1.0);
    }
    let (hi, lo) = fast_two_sum(n.hi, n.lo + 1.0);
    Dd { hi, lo }
}

/// 2n + 1 for an integer-valued double-double n with |n| < 2¹⁰⁰, exactly.
pub fn twice_plus_one(n: Dd) -> Dd {
    plus_one(Dd {
        hi: 2.0 * n.hi,
        lo: 2.0 * n.lo,
    })
}

/// The integer-valued double-double n (|n| < 2¹⁰⁰) as an i128.
pub fn to_i128(n: Dd) -> i128 {
    n.hi as i128 + n.lo as i128
}

/// An approximation of x/y to a few u² (a quotient and one correction); checked by the callers.
#[inline]
fn approx_div(x: Dd, y: Dd) -> Dd {
    let q1 = x.hi / y.hi;
    let r = add(x, -mul(y, Dd::from_f64(q1)));
    let q2 = r.hi / y.hi;
    let (hi, lo) = fast_two_sum(q1, q2);
    Dd { hi, lo }
}

/// An approximation of √x for x > 0 (one Newton correction); checked by the callers.
#[inline]
fn approx_sqrt(x: Dd) -> Dd {
    let s = x.hi.sqrt();
    let r = add(x, -mul(Dd::from_f64(s), Dd::from_f64(s)));
    let e = r.hi / (2.0 * s);
    let (hi, lo) = fast_two_sum(s, e);
    Dd { hi, lo }
}

/// f64 interval arithmetic for the logarithm: each result rounded to nearest and then stepped
/// one ulp outward, which encloses the exact result (a correctly rounded operation errs by at
/// most half an ulp).
#[derive(Clone, Copy)]
struct F64I {
    lo: f64,
    hi: f64,
}

impl F64I {
    fn point(x: f64) -> F64I {
        F64I { lo: x, hi: x }
    }
    fn around(x: f64) -> F64I {
        F64I {
            lo: x.next_down(),
            hi: x.next_up(),
        }
    }
    fn add(self, o: F64I) -> F64I {
        F64I {
            lo: (self.lo + o.lo).next_down(),
            hi: (self.hi + o.hi).next_up(),
        }
    }
    fn mul(self, o: F64I) -> F64I {
        let ps = [
            self.lo * o.lo,
            self.lo * o.hi,
            self.hi * o.lo,
            self.hi * o.hi,
        ];
        F64I {
            lo: ps.iter().copied().fold(f64::INFINITY, f64::min).next_down(),
            hi: ps
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max)
                .next_up(),
        }
    }
    /// self / o for o > 0.
    fn div_pos(self, o: F64I) -> F64I {
        let qs = [
            self.lo / o.lo,
            self.lo / o.hi,
            self.hi / o.lo,
            self.hi / o.hi,
        ];
        F64I {
            lo: qs.iter().copied().fold(f64::INFINITY, f64::min).next_down(),
            hi: qs
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max)
                .next_up(),
        }
    }
}

/// An enclosure [a, b] of ln v for a positive normal f64 v, of relative width about 10⁻¹⁵.
///
/// v = 2^e·m with m ∈ [√2/2, √2); ln v = e·ln 2 + 2·atanh(s) with s = (m − 1)/(m + 1),
/// |s| ≤ 0.1716, and 2·atanh(s) = 2(s + s³/3 + … + s²¹/21) + R with |R| ≤ 2|s|²³/(23(1 − s²))
/// < 2.3·10⁻¹⁹, enclosed as ±10⁻¹⁸. ln 2 lies in [LN_2, next_up(LN_2)] (the f64 nearest to ln 2
/// is below it: ln 2 = 0.693147180559945309…, LN_2 = 0.693147180559945286…).
pub fn ln_f64_enclosure(v: f64) -> Option<(f64, f64)> {
    if !(v.is_normal() && v > 0.0) {
        return None;
    }
    let bits = v.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m >= std::f64::consts::SQRT_2 {
        m *= 0.5; // exact
        e += 1;
    }
    // m − 1 is exact for m ∈ [1/2, 2] (Sterbenz); m + 1 is rounded.
    let num = F64I::point(m - 1.0);
    let den = F64I::around(m + 1.0);
    let s = num.div_pos(den);
    if s.lo.abs().max(s.hi.abs()) > 0.172 {
        return None;
    }
    let s2 = s.mul(s);
    let inv = |k: f64| F64I::around(1.0 / k);
    let mut u = inv(21.0);
    for k in [19.0, 17.0, 15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0] {
        u = u.mul(s2).add(inv(k));
    }
    u = u.mul(s2).add(F64I::point(1.0));
    let series = s.mul(u).mul(F64I::point(2.0)).add(F64I {
        lo: -1e-18,
        hi: 1e-18,
    });
    let ln2 = F64I {
        lo: std::f64::consts::LN_2,
        hi: std::f64::consts::LN_2.next_up(),
    };
    let r = ln2.mul(F64I::point(e as f64)).add(series);
    Some((r.lo, r.hi))
}

/// An enclosure [a, b] of eᵛ for |v| ≤ 700, of relative width about 10⁻¹⁵.
///
/// v = k·ln 2 + t with k = round(v/ln 2), so that |t| ≤ 0.35; t = (v − k·LN2_HI) − k·LN2_LO,
/// where LN2_HI has 32 significant bits (so k·LN2_HI is exact and the subtraction exact by
/// Sterbenz's lemma) and ln 2 − LN2_HI lies within one ulp of LN2_LO (1.2·10⁻²⁶ off); eᵗ = Σ_{j≤17} tʲ/j! + R with |R| ≤ 2·0.35¹⁸/18! < 10⁻²² (the tail is dominated by
/// a geometric series of ratio 0.35/19); and eᵛ = 2ᵏ·eᵗ, an exact scaling.
pub fn exp_f64_enclosure(v: f64) -> Option<(f64, f64)> {
    if v.is_nan() || v.abs() > 700.0 {
        return None;
    }
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let k = (v / std::f64::consts::LN_2).round();
    let ln2_lo = F64I::around(LN2_LO);
    let t = F64I::point(v - k * LN2_HI).add(ln2_lo.mul(F64I::point(-k)));
    if t.lo.abs().max(t.hi.abs()) > 0.35 {
        return None;
    }
    // Horner: 1 + t(1 + t/2(1 + t/3(… (1 + t/17))))
    let mut u = F64I::point(1.0);
    for j in (1..=17).rev() {
        let inv = F64I::around(1.0 / j as f64);
        u = t.mul(inv).mul(u).add(F64I::point(1.0));
    }
    let u = u.add(F64I {
        lo: -1e-22,
        hi: 1e-22,
    });
    let scale = 2f64.powi(k as i32); // exact: |k| ≤ 1010
    Some((u.lo * scale, u.hi * scale))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rug::{Float, Rational};

    fn exact(x: Dd) -> Rational {
        Rational::from_f64(x.hi).unwrap() + Rational::from_f64(x.lo).unwrap()
    }

    fn contains(iv: &DdInterval, q: &Rational) -> bool {
        exact(iv.lo) <= *q && *q <= exact(iv.hi)
    }

    /// Random rationals of moderate size: a 60-bit numerator over a 60-bit denominator, times
    /// a power of two.
    fn rational() -> impl Strategy<Value = Rational> {
        (1u64..(1 << 60), 1u64..(1 << 60), -80i32..80, any::<bool>()).prop_map(|(n, d, e, neg)| {
            let mut q = Rational::from((n, d));
            if e >= 0 {
                q <<= e as u32;
            } else {
                q >>= (-e) as u32;
            }
            if neg { -q } else { q }
        })
    }

    /// Relative error of a double-double against the exact value, in units of u².
    fn rel_err_u2(got: Dd, want: &Rational) -> f64 {
        let err = (exact(got) - want).abs();
        let rel = err / want.clone().abs();
        rel.to_f64() * 2f64.powi(106)
    }

    fn dd_of(q: &Rational) -> Dd {
        let f = Float::with_val(200, q);
        let hi = f.to_f64();
        let lo = Float::with_val(400, &f - hi).to_f64();
        let (hi, lo) = fast_two_sum(hi, lo);
        Dd { hi, lo }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn add_and_mul_keep_their_published_error_bounds(a in rational(), b in rational()) {
            let (x, y) = (dd_of(&a), dd_of(&b));
            let (qa, qb) = (exact(x), exact(y));
            let sum = Rational::from(&qa + &qb);
            if sum != 0 {
                prop_assert!(rel_err_u2(add(x, y), &sum) <= 3.01, "add");
            } else {
                prop_assert_eq!(add(x, y).hi, 0.0);
            }
            let prod = Rational::from(&qa * &qb);
            prop_assert!(rel_err_u2(mul(x, y), &prod) <= 7.0, "mul");
        }

        #[test]
        fn add_keeps_its_bound_under_cancellation(a in rational(), k in 1u32..120, t in rational()) {
            // b ≈ −a(1 + 2^-k) + t·2^-k·|a|-ish: sums that cancel most of their bits
            let x = dd_of(&a);
            let qa = exact(x);
            let near = -(&qa + Rational::from(&qa >> k));
            let wiggle = Rational::from(&t * &qa).abs() >> (k + 30);
            let b = near + wiggle;
            let y = dd_of(&b);
            let sum = Rational::from(&qa + &exact(y));
            if sum != 0 {
                prop_assert!(rel_err_u2(add(x, y), &sum) <= 3.01);
            } else {
                prop_assert_eq!(add(x, y).hi, 0.0);
            }
        }

        #[test]
        fn interval_operations_enclose_the_exact_results(a in rational(), b in rational(), w in 0u32..3) {
            // intervals [a, a + a·2^-(60+20w)] around each operand
            let widen = |q: &Rational| {
                let d = q.clone().abs() >> (60 + 20 * w);
                (q.clone(), Rational::from(q + &d))
            };
            let (a0, a1) = widen(&a);
            let (b0, b1) = widen(&b);
            let x = DdInterval { lo: DdInterval::from_rational(&a0).unwrap().lo, hi: DdInterval::from_rational(&a1).unwrap().hi };
            let y = DdInterval { lo: DdInterval::from_rational(&b0).unwrap().lo, hi: DdInterval::from_rational(&b1).unwrap().hi };
            for (qa, qb) in [(&a0, &b0), (&a1, &b1), (&a0, &b1), (&a1, &b0)] {
                prop_assert!(contains(&x.try_add(y).unwrap(), &Rational::from(qa + qb)));
                prop_assert!(contains(&x.try_sub(y).unwrap(), &Rational::from(qa - qb)));
                prop_assert!(contains(&x.try_mul(y).unwrap(), &Rational::from(qa * qb)));
                prop_assert!(contains(&x.try_div(y).unwrap(), &Rational::from(qa / qb)));
                prop_assert!(contains(&x.sqr().unwrap(), &Rational::from(qa * qa)));
                prop_assert!(contains(&x.powi(3).unwrap(), &(Rational::from(qa * qa) * qa.clone())));
                prop_assert!(contains(&x.powi(-2).unwrap(), &Rational::from(qa * qa).recip()));
            }
            // √ exactly (s.lo² ≤ lo and s.hi² ≥ hi), and narrow
            let xa = x.abs();
            let s = xa.sqrt().unwrap();
            prop_assert!(Rational::from(exact(s.lo).square_ref()) <= exact(xa.lo));
            prop_assert!(Rational::from(exact(s.hi).square_ref()) >= exact(xa.hi));
            let ws = ((exact(s.hi) - exact(s.lo)) / exact(s.hi)).to_f64();
            prop_assert!(ws <= 2f64.powi(-60 - 20 * w as i32) + 2f64.powi(-95), "√ width {ws:e}");
            // ln against 300-bit MPFR values of the ends
            let l = xa.ln().unwrap();
            let ln_lo = Float::with_val(300, &exact(xa.lo)).ln();
            let ln_hi = Float::with_val(300, &exact(xa.hi)).ln();
            prop_assert!(Float::with_val(300, &exact(l.lo)) <= ln_lo);
            prop_assert!(Float::with_val(300, &exact(l.hi)) >= ln_hi);
            // exp of ln x gives back an enclosure of x
            if let Some(e) = l.exp() {
                prop_assert!(exact(e.lo) <= exact(xa.lo) && exact(xa.hi) <= exact(e.hi));
            }
            // f64 accuracy: the enclosure is narrow
            let width = (l.hi.hi - l.lo.hi).abs();
            prop_assert!(width <= 1e-14 * l.hi.hi.abs().max(1.0));
        }

        #[test]
        fn floor_and_ceil_are_exact(a in rational()) {
            let x = DdInterval::from_rational(&a).unwrap();
            let f = x.floor().unwrap();
            let c = x.ceil().unwrap();
            prop_assert!(contains(&f, &a.clone().floor()));
            prop_assert!(contains(&c, &a.clone().ceil()));
            if x.lo == x.hi {
                prop_assert_eq!(exact(f.lo), a.clone().floor());
                prop_assert_eq!(exact(c.hi), a.clone().ceil());
            }
            let n = f.lo;
            prop_assert_eq!(exact(plus_one(n)), exact(n) + 1u32);
            prop_assert_eq!(exact(twice_plus_one(n)), exact(n) * 2u32 + 1u32);
        }
    }

    #[test]
    fn ln_encloses_at_awkward_points() {
        for v in [
            1.0,
            1.0f64.next_up(),
            1.0f64.next_down(),
            std::f64::consts::SQRT_2,
            std::f64::consts::SQRT_2.next_down(),
            0.5,
            2.0,
            f64::MIN_POSITIVE,
            1e300,
            std::f64::consts::E,
        ] {
            let (a, b) = ln_f64_enclosure(v).unwrap();
            let t = Float::with_val(300, v).ln();
            assert!(
                Float::with_val(300, a) <= t && t <= Float::with_val(300, b),
                "ln {v}"
            );
            assert!(b - a <= 1e-14 * a.abs().max(1.0), "ln {v}: [{a}, {b}]");
        }
        assert_eq!(ln_f64_enclosure(0.0), None);
        assert_eq!(ln_f64_enclosure(-1.0), None);
        assert_eq!(ln_f64_enclosure(f64::NAN), None);
    }

    #[test]
    fn the_split_of_ln2_is_as_stated() {
        let hi = 0.693_147_180_369_123_8f64;
        let lo = 1.908_214_929_270_587_7e-10f64;
        let bits = (hi.to_bits() & ((1 << 52) - 1)) | (1 << 52);
        assert!(
            53 - bits.trailing_zeros() <= 32,
            "LN2_HI has at most 32 significant bits"
        );
        let ln2 = Float::with_val(300, rug::float::Constant::Log2);
        let rest = Float::with_val(300, &ln2 - hi);
        assert!(Float::with_val(300, lo.next_down()) < rest && rest < lo.next_up());
    }

    #[test]
    fn exp_encloses_and_is_narrow() {
        for v in [
            0.0,
            1e-300,
            -1e-300,
            0.5,
            -0.5,
            0.3465,
            0.3466,
            1.0,
            -1.0,
            10.0,
            -10.0,
            100.5,
            -100.5,
            699.9,
            -699.9,
            std::f64::consts::LN_2,
            1e-9,
        ] {
            let (a, b) = exp_f64_enclosure(v).unwrap();
            let t = Float::with_val(300, v).exp();
            assert!(
                Float::with_val(300, a) <= t && t <= Float::with_val(300, b),
                "exp {v}"
            );
            assert!(b - a <= 4e-15 * a, "exp {v}: [{a}, {b}]");
        }
        assert_eq!(exp_f64_enclosure(800.0), None);
        assert_eq!(exp_f64_enclosure(f64::NAN), None);
    }

    #[test]
    fn out_of_range_and_zero_crossing_decline() {
        let big = DdInterval::point(Dd::from_f64(1e100));
        assert!(big.try_mul(big).is_none());
        let around0 = DdInterval {
            lo: Dd::from_f64(-1.0),
            hi: Dd::from_f64(1.0),
        };
        assert!(around0.recip().is_none());
        assert!(around0.sqrt().is_none());
        assert!(around0.ln().is_none());
        assert_eq!(around0.sqr().unwrap().lo, Dd::ZERO);
    }
}
