//! f64 intervals rounded outward by one ulp, for enclosing logarithms and exponentials with
//! f64 accuracy.

/// f64 interval arithmetic for the logarithm: each result rounded to nearest and then stepped
/// one ulp outward, which encloses the exact result (a correctly rounded operation errs by at
/// most half an ulp).
#[derive(Clone, Copy)]
pub(super) struct F64I {
    pub(super) lo: f64,
    pub(super) hi: f64,
}

impl F64I {
    pub(super) fn point(x: f64) -> F64I {
        F64I { lo: x, hi: x }
    }
    pub(super) fn around(x: f64) -> F64I {
        F64I {
            lo: x.next_down(),
            hi: x.next_up(),
        }
    }
    pub(super) fn add(self, o: F64I) -> F64I {
        F64I {
            lo: (self.lo + o.lo).next_down(),
            hi: (self.hi + o.hi).next_up(),
        }
    }
    pub(super) fn mul(self, o: F64I) -> F64I {
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
    pub(super) fn div_pos(self, o: F64I) -> F64I {
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
