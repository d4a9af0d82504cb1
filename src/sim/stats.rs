//! Summaries of simulated runs: quantiles, histograms, and the Clopper–Pearson interval of a
//! binomial proportion (from the regularized incomplete beta function, inverted by bisection).

/// The q-quantile of `v` (sorted in place), by linear interpolation between order statistics.
pub fn quantile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (i, f) = (h.floor() as usize, h - h.floor());
    if i + 1 < v.len() {
        v[i] + f * (v[i + 1] - v[i])
    } else {
        v[i]
    }
}

/// Counts of `v` in `bins` equal bins over [lo, hi] (values outside go to the end bins).
pub fn histogram(v: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<u64> {
    let mut out = vec![0u64; bins.max(1)];
    let w = (hi - lo) / bins.max(1) as f64;
    for &x in v {
        let k = if w > 0.0 { ((x - lo) / w).floor() } else { 0.0 };
        let k = k.clamp(0.0, (out.len() - 1) as f64) as usize;
        out[k] += 1;
    }
    out
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.5
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction of the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta function I_x(a, b).
pub fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(b, a, 1.0 - x) / b
    }
}

/// The p-quantile of Beta(a, b), by bisection.
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (lo, hi) = beta_quantile_bracket(p, a, b);
    0.5 * (lo + hi)
}

/// The ends of the bisection for the p-quantile of Beta(a, b): `lo` where the distribution
/// function was found below `p`, `hi` where it was not (adjacent f64s once it converges).
fn beta_quantile_bracket(p: f64, a: f64, b: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_inc(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo, hi)
}

/// The Clopper–Pearson interval for `k` successes in `n` trials at confidence 1 − alpha: the
/// lower end is the bisection's lower end for its Beta quantile, the upper end its upper end,
/// so that the interval is not narrowed by where the bisection stopped.
pub fn clopper_pearson(k: u64, n: u64, alpha: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let lo = if k == 0.0 {
        0.0
    } else {
        beta_quantile_bracket(alpha / 2.0, k, n - k + 1.0).0
    };
    let hi = if k == n {
        1.0
    } else {
        beta_quantile_bracket(1.0 - alpha / 2.0, k + 1.0, n - k).1
    };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clopper_pearson_matches_known_values() {
        // Reference: mpmath 1.3.0 at 30 digits, findroot on betainc(regularized=True):
        // Beta(5, 6) 0.025-quantile 0.187086028447398534, Beta(6, 5) 0.975-quantile
        // 0.812913971552601428; 1 − 0.025^(1/20) = 0.168433470983085335.
        let (lo, hi) = clopper_pearson(5, 10, 0.05);
        assert!((lo - 0.187_086_028_447_398_5).abs() < 1e-9, "{lo}");
        assert!((hi - 0.812_913_971_552_601_4).abs() < 1e-9, "{hi}");
        let (lo, hi) = clopper_pearson(0, 20, 0.05);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.168_433_470_983_085_3).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn clopper_pearson_ends_are_not_narrowed_by_the_bisection() {
        // the lower end's distribution function is at most alpha/2, the upper end's at least
        // 1 − alpha/2; all 100000 of 100000: 0.025^(1/100000) = 0.99996311 (mpmath), which
        // prints as 0.9999 (a lower end rounds down), not 1.0000
        for (k, n) in [
            (5u64, 10u64),
            (999, 1000),
            (1, 1000),
            (99_999, 100_000),
            (100_000, 100_000),
        ] {
            let (lo, hi) = clopper_pearson(k, n, 0.05);
            let (k, n) = (k as f64, n as f64);
            if k > 0.0 {
                assert!(beta_inc(k, n - k + 1.0, lo) <= 0.025, "{k}/{n}: {lo}");
            }
            if k < n {
                assert!(beta_inc(k + 1.0, n - k, hi) >= 0.975, "{k}/{n}: {hi}");
            }
        }
        let (lo, _) = clopper_pearson(100_000, 100_000, 0.05);
        assert!((lo - 0.999_963_11).abs() < 1e-8, "{lo}");
        assert_eq!(crate::report::number::fixed_directed(lo, 4, true), "0.9999");
    }

    #[test]
    fn quantiles_and_histograms() {
        let mut v = vec![3.0, 1.0, 2.0, 4.0];
        assert_eq!(quantile(&mut v, 0.5), 2.5);
        assert_eq!(histogram(&[0.1, 0.2, 0.9, 5.0], 0.0, 1.0, 2), vec![2, 2]);
    }
}
