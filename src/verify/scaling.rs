//! The scaling reduction: a claim invariant under a rescaling of its coordinates is proved on
//! the slice where one coordinate is 1, and that proves it for every value of that coordinate.
//!
//! A scaling ([`crate::theory::Scaling`]) maps each coordinate `x` to `s^{w_x}·x` for `s > 0`.
//! When the claim and every hypothesis it uses (the parameters' domains included) are shown
//! invariant under it — exactly, by degree inference on the tape ([`crate::expr::degree`]),
//! never by sampling — the claim holds at a point `x` if and only if it holds at the scaled
//! point with the fixed coordinate `p` equal to 1 (take `s = p^{−1/w_p}`). So the box is
//! replaced by the slice `p = 1`, each other coordinate `x` ranging over the image of the box
//! under `x ↦ x·p^{−w_x/w_p}` (computed exactly at the corners: the map is linear in `x` and
//! monotone in `p > 0`). A proof over that slice covers every point of the old box, and more:
//! every value `p > 0` with the scale-free combinations in their ranges. A claim that cannot
//! be shown invariant keeps its box, and the report says which sub-expression stopped it.

use super::job::Job;
use crate::expr::degree::invariant;
use crate::expr::render::render;
use crate::theory::Range;
use rug::Rational;

/// One scaling used on a claim's box.
#[derive(Clone, Debug, PartialEq)]
pub struct Reduction {
    pub scaling: String,
    pub meaning: String,
    /// The coordinate set to 1, and the range it stood for.
    pub fixed: String,
    pub fixed_range: String,
    /// The coordinates whose ranges changed.
    pub mapped: Vec<Mapped>,
}

/// A coordinate's range after a reduction: the range of a scale-free combination.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapped {
    pub name: String,
    /// The combination the coordinate now stands for, as text (`c/L`, `d_rel·L`).
    pub of: String,
    pub before: String,
    pub after: String,
}

/// A scaling not used on a claim's box, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unused {
    pub scaling: String,
    pub reason: String,
}

/// What the scalings did to a job's box.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reductions {
    pub used: Vec<Reduction>,
    pub unused: Vec<Unused>,
}

/// Applies every scaling of the job's theory that the claim is shown invariant under, in the
/// file's order, to the job's ranges.
pub fn reduce(job: &mut Job) -> Reductions {
    let mut out = Reductions::default();
    let model = job.model;
    let coords = &model.coords;
    // what each coordinate's range stands for, as it is reduced
    let mut of: Vec<String> = coords.clone();
    for sc in &model.theory.scalings {
        let unused = |reason: String| Unused {
            scaling: sc.name.clone(),
            reason,
        };
        let weight = |name: &str| sc.weights.get(name).copied().unwrap_or(0);
        // the coordinate to fix: the file's, or when the claim does not depend on it, the
        // first other one the claim depends on whose weight divides every other weight
        let can_fix = |k: usize| {
            let w = weight(&coords[k]);
            w != 0 && job.active[k] && sc.weights.values().all(|v| v % w == 0)
        };
        let named = coords.iter().position(|c| *c == sc.fix);
        let Some(p) = named
            .filter(|&k| can_fix(k))
            .or_else(|| (0..coords.len()).find(|&k| can_fix(k)))
        else {
            if named.is_none() && sc.weights.keys().all(|n| !coords.contains(n)) {
                out.unused.push(unused(format!(
                    "`{}` is given by a substitution, not a coordinate",
                    sc.fix
                )));
            }
            continue; // the claim depends on no coordinate the scaling moves
        };
        let pr = &job.ranges[p];
        if pr.lo == pr.hi && !pr.unbounded {
            continue; // already one value
        }
        if pr.lo < 0 || (pr.lo == 0 && !pr.lo_open) {
            out.unused.push(unused(format!(
                "the range of `{}` reaches 0 or below, where the scaling to 1 is not defined",
                coords[p]
            )));
            continue;
        }
        let mut weights: Vec<Rational> = coords.iter().map(|c| Rational::from(weight(c))).collect();
        weights.resize(model.tape.inputs.len(), Rational::new());
        let mut preds = job.hyps.clone();
        preds.push(job.claim_pred());
        if let Err(e) = invariant(&model.tape, &weights, &preds) {
            let text =
                render(&model.tape, e.at, 160).unwrap_or_else(|| "a large expression".into());
            out.unused.push(unused(format!(
                "not shown invariant: no rule of degree inference covers `{text}`"
            )));
            continue;
        }
        let fix = coords[p].clone();
        let wp = weight(&fix);
        let mut mapped = Vec::new();
        let fixed = job.ranges[p].clone();
        // every image first: a scaling is used whole or not at all
        let mut images = Vec::new();
        for (k, name) in coords.iter().enumerate() {
            let wx = weight(name);
            if k == p || wx == 0 || !job.active[k] {
                continue;
            }
            match image(&job.ranges[k], &fixed, -wx / wp) {
                Some(r) => images.push((k, r)),
                None => break,
            }
        }
        let moved = (0..coords.len())
            .filter(|&k| k != p && weight(&coords[k]) != 0 && job.active[k])
            .count();
        if images.len() < moved {
            out.unused.push(unused(format!(
                "a range that reaches below 0 would be unbounded below after fixing `{}`",
                coords[p]
            )));
            continue;
        }
        let mut images = images.into_iter();
        for k in 0..coords.len() {
            let wx = weight(&coords[k]);
            if k == p || wx == 0 || !job.active[k] {
                continue;
            }
            // validated when the file was loaded: the fixed weight divides every other
            let e = -wx / wp;
            let before = job.ranges[k].clone();
            let (_, after) = images.next().expect("one image per moved coordinate");
            of[k] = times_power(&of[k], &fix, e);
            mapped.push(Mapped {
                name: coords[k].clone(),
                of: of[k].clone(),
                before: text_of(&before),
                after: text_of(&after),
            });
            job.ranges[k] = after;
        }
        job.ranges[p] = Range::point(&fixed.name, Rational::from(1), "1");
        out.used.push(Reduction {
            scaling: sc.name.clone(),
            meaning: sc.meaning.clone(),
            fixed: fix,
            fixed_range: text_of(&fixed),
            mapped,
        });
    }
    out
}

/// A point of the box as written whose reduction is `point` (a point of the reduced box), when
/// one is found: the reductions undone in reverse order, each fixed coordinate given a value
/// from a list of short candidates (1, 2, 5 times powers of ten) so that every coordinate the
/// claim depends on lands in its written range. The claim is invariant, so it fails at the
/// preimage exactly when it fails at `point`; the caller re-checks it there anyway.
pub fn preimage(
    model: &crate::theory::Model,
    written: &[Range],
    active: &[bool],
    reductions: &Reductions,
    point: &[Rational],
) -> Option<Vec<Rational>> {
    let coords = &model.coords;
    let steps: Vec<(usize, Vec<i64>)> = reductions
        .used
        .iter()
        .map(|u| {
            let sc = model.theory.scalings.iter().find(|s| s.name == u.scaling)?;
            let p = coords.iter().position(|c| *c == u.fixed)?;
            let w: Vec<i64> = coords
                .iter()
                .map(|c| sc.weights.get(c).copied().unwrap_or(0))
                .collect();
            Some((p, w))
        })
        .collect::<Option<_>>()?;
    // nearest to 1 first, so that the preimage reads short
    let exponents = (0i32..=40).flat_map(|e| if e == 0 { vec![0] } else { vec![-e, e] });
    let candidates: Vec<Rational> = exponents
        .flat_map(|e| {
            let ten = power(&Rational::from(10), i64::from(e));
            [1u32, 2, 5].map(move |m| Rational::from(&ten * m))
        })
        .collect();
    let inside = |x: &[Rational]| {
        (0..x.len())
            .all(|k| !active[k] || written[k].contains(&x[k]) || written[k].lo == written[k].hi)
    };
    // undo the reductions from the last: each choice of the fixed value, depth first
    fn undo(
        steps: &[(usize, Vec<i64>)],
        point: Vec<Rational>,
        candidates: &[Rational],
        inside: &dyn Fn(&[Rational]) -> bool,
    ) -> Option<Vec<Rational>> {
        let Some(((p, w), before)) = steps.split_last() else {
            return inside(&point).then_some(point);
        };
        for sigma in candidates {
            let mut x = point.clone();
            for k in 0..x.len() {
                if k == *p {
                    x[k] = sigma.clone();
                } else if w[k] != 0 {
                    x[k] *= power(sigma, w[k] / w[*p]);
                }
            }
            if let Some(found) = undo(before, x, candidates, inside) {
                return Some(found);
            }
        }
        None
    }
    undo(&steps, point.to_vec(), &candidates, &inside)
}

/// The range's text as interval notation, with `:log` where it is split in log scale.
pub(crate) fn text_of(r: &Range) -> String {
    use crate::arith::decimal::rational;
    format!(
        "{}{}, {}{}{}",
        if r.lo_open { '(' } else { '[' },
        rational(&r.lo),
        if r.unbounded {
            "inf".to_string()
        } else {
            rational(&r.hi)
        },
        if r.hi_open { ')' } else { ']' },
        if r.log { ":log" } else { "" }
    )
}

/// `name·fix^e` as text: `c/L`, `d0/r^2`, `d_rel·L`.
fn times_power(name: &str, fix: &str, e: i64) -> String {
    let power = |n: i64| {
        if n == 1 {
            fix.to_string()
        } else {
            format!("{fix}^{n}")
        }
    };
    match e {
        0 => name.to_string(),
        e if e > 0 => format!("{name}·{}", power(e)),
        e => format!("{name}/{}", power(-e)),
    }
}

/// An end of a range: a number, or +∞ (`None`).
type End = Option<Rational>;

/// `x·p^e` for ends `x` (finite) and `p > 0` (finite, or +∞ as `None`, or 0 as a limit of an
/// open end): +∞ where the product grows without bound; `x = 0` gives 0 whatever `p` is.
fn corner(x: &End, p: &End, e: i64) -> End {
    // x at +∞: the supremum over the rectangle is +∞ as soon as p has a positive value
    let Some(x) = x else {
        return None;
    };
    if *x == 0 {
        return Some(Rational::new());
    }
    match p {
        Some(p) if *p == 0 => {
            if e > 0 {
                Some(Rational::new())
            } else {
                None // x/p with p → 0⁺: unbounded (x > 0; x < 0 is refused before)
            }
        }
        Some(p) => Some(x.clone() * power(p, e)),
        None => {
            if e > 0 {
                None
            } else {
                Some(Rational::new())
            }
        }
    }
}

/// The image of `x ∈ xr` under `x·p^e` for `p ∈ pr` (`pr` positive; either may be unbounded
/// above, and `pr` may be open at 0): the hull of the four corners, each end included when a
/// corner reaching it has both its ends included (or its `x` end is an included 0, which the
/// product keeps whatever `p` is). `None` when the image would be unbounded below (a range of
/// `x` reaching below 0 with `p` reaching 0 or +∞ where the corner diverges).
fn image(xr: &Range, pr: &Range, e: i64) -> Option<Range> {
    let x_hi: End = (!xr.unbounded).then(|| xr.hi.clone());
    let p_hi: End = (!pr.unbounded).then(|| pr.hi.clone());
    let mut corners: Vec<(End, bool)> = Vec::with_capacity(4);
    for (x, x_in) in [(Some(xr.lo.clone()), !xr.lo_open), (x_hi, !xr.hi_open)] {
        for (p, p_in) in [
            (Some(pr.lo.clone()), !pr.lo_open),
            (p_hi.clone(), !pr.hi_open),
        ] {
            let v = corner(&x, &p, e);
            let x_zero = x.as_ref().is_some_and(|x| *x == 0);
            let included = v.is_some() && x_in && (p_in || x_zero);
            // a negative x end with a diverging power: unbounded below
            if v.is_none() && x.as_ref().is_some_and(|x| *x < 0) {
                return None;
            }
            corners.push((v, included));
        }
    }
    let finite = || corners.iter().filter_map(|c| c.0.as_ref());
    let lo = finite().min().expect("the lower x end is finite").clone();
    let hi = if corners.iter().any(|c| c.0.is_none()) {
        None
    } else {
        finite().max().cloned()
    };
    let included = |v: &Rational| corners.iter().any(|(w, i)| w.as_ref() == Some(v) && *i);
    let lo_open = !included(&lo);
    let hi_open = hi.as_ref().is_none_or(|h| !included(h));
    let log = xr.log && (lo > 0 || (lo == 0 && lo_open));
    let mut r = Range {
        name: xr.name.clone(),
        hi: hi.clone().unwrap_or_else(|| lo.clone()),
        lo,
        log,
        integer: false,
        lo_open,
        hi_open,
        unbounded: hi.is_none(),
        text: String::new(),
    };
    r.text = text_of(&r);
    Some(r)
}

/// `p^e` exactly, for `p > 0`.
fn power(p: &Rational, e: i64) -> Rational {
    let mut out = Rational::from(1);
    for _ in 0..e.unsigned_abs() {
        out *= p;
    }
    if e < 0 { out.recip() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> Range {
        Range::parse("x", text).unwrap()
    }

    #[test]
    fn images_are_the_hull_of_the_corners_with_their_open_ends() {
        let l = range("0.01..100:log");
        let image = |x: &Range, p: &Range, e| super::image(x, p, e).unwrap();
        let img = image(&range("0.01..100:log"), &l, -1);
        assert_eq!(text_of(&img), "[0.0001, 10000]:log");
        // an open end stays open; an included 0 stays included whatever p is
        let img = image(&range("(0, 1]:log"), &l, 2);
        assert_eq!(text_of(&img), "(0, 10000]:log");
        let img = image(&range("0..1e6"), &l, -2);
        assert_eq!(text_of(&img), "[0, 10000000000]");
        // a range straddling 0
        let img = image(&range("-2..3"), &l, 1);
        assert_eq!(text_of(&img), "[-200, 300]");
        // an open end of p opens the image's end it reaches
        let img = image(&range("1..2"), &range("(1, 2]"), 1);
        assert_eq!(text_of(&img), "(1, 4]");
        // unbounded ranges: c/L over (0, ∞) × (0, ∞) is (0, ∞); d0/r² likewise; an included 0
        // stays included; a range below 0 with p unbounded is refused
        let all = range("(0, inf):log");
        assert_eq!(text_of(&image(&all, &all, -1)), "(0, inf):log");
        assert_eq!(text_of(&image(&all, &all, -2)), "(0, inf):log");
        assert_eq!(text_of(&image(&range("[0, inf)"), &all, 1)), "[0, inf)");
        assert_eq!(text_of(&image(&range("[1, inf)"), &l, -1)), "[0.01, inf)");
        assert_eq!(
            text_of(&image(&range("(0, 1]"), &range("[1, inf)"), -1)),
            "(0, 1]"
        );
        assert_eq!(text_of(&image(&range("[0, 1]"), &all, 1)), "[0, inf)");
        assert!(super::image(&range("-1..1"), &all, 1).is_none());
        assert!(super::image(&range("-1..1"), &l, 1).is_some());
    }

    #[test]
    fn combinations_read_as_text() {
        assert_eq!(times_power("c", "L", -1), "c/L");
        assert_eq!(times_power("d0", "r", -2), "d0/r^2");
        assert_eq!(times_power("d_rel", "L", 1), "d_rel·L");
        assert_eq!(times_power("c/L", "r", 0), "c/L");
    }
}
