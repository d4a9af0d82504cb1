//! Double-double numbers hi + lo and their arithmetic from error-free transformations (see
//! the module above for the error bounds and the range they hold in).

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

/// The magnitudes the error bounds are valid for.
pub(super) const MIN_MAG: f64 = f64::from_bits((1023 - 400) << 52); // 2^-400
pub(super) const MAX_MAG: f64 = f64::from_bits((1023 + 400) << 52); // 2^400
/// Relative widening of every computed end: 2^-99.
pub(super) const WIDEN: f64 = f64::from_bits((1023 - 99) << 52);

#[inline]
pub(super) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// Exact when |a| ≥ |b| (or a = 0).
#[inline]
pub(super) fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Veltkamp's splitting: a = h + l with h, l of at most 26 significant bits.
#[inline]
pub(super) fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let h = c - (c - a);
    (h, a - h)
}

/// Dekker's TwoProd: a·b = p + e exactly (no overflow or underflow assumed).
#[inline]
pub(super) fn two_prod(a: f64, b: f64) -> (f64, f64) {
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

    /// True when both words are finite.
    pub fn is_finite(self) -> bool {
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
pub(super) fn down(r: Dd) -> Dd {
    if r.hi == 0.0 {
        return r;
    }
    let m = r.hi.abs() * WIDEN;
    let (hi, lo) = fast_two_sum(r.hi, (r.lo - m).next_down());
    Dd { hi, lo }
}

/// The upper counterpart of [`down`].
#[inline]
pub(super) fn up(r: Dd) -> Dd {
    if r.hi == 0.0 {
        return r;
    }
    let m = r.hi.abs() * WIDEN;
    let (hi, lo) = fast_two_sum(r.hi, (r.lo + m).next_up());
    Dd { hi, lo }
}

pub(super) const TWO_POW_100: f64 = f64::from_bits((1023 + 100) << 52);
pub(super) const TWO_POW_52: f64 = f64::from_bits((1023 + 52) << 52);

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
pub(super) fn approx_div(x: Dd, y: Dd) -> Dd {
    let q1 = x.hi / y.hi;
    let r = add(x, -mul(y, Dd::from_f64(q1)));
    let q2 = r.hi / y.hi;
    let (hi, lo) = fast_two_sum(q1, q2);
    Dd { hi, lo }
}

/// An approximation of √x for x > 0 (one Newton correction); checked by the callers.
#[inline]
pub(super) fn approx_sqrt(x: Dd) -> Dd {
    let s = x.hi.sqrt();
    let r = add(x, -mul(Dd::from_f64(s), Dd::from_f64(s)));
    let e = r.hi / (2.0 * s);
    let (hi, lo) = fast_two_sum(s, e);
    Dd { hi, lo }
}
