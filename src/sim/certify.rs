//! Theorem 1's hypotheses for a user's 1-D objective, bounded with certainty (`estimate
//! --certify`): on D = [x* − R, x* + R], by branch and bound with interval arithmetic (MPFR
//! enclosures of f, f′ and f″ from the symbolic derivatives, combined in f64 intervals rounded
//! outward one ulp per operation):
//!
//! - the Lipschitz constant of ∇f on D, sup |f″|, and Definition 1's one-sided constant,
//!   sup f″ (the proof's Step 1 needs the first);
//! - Assumption 1's constant, the infimum over x ∈ D of ⟨∇E_ω f(y − ηω), y − x*⟩/‖y − x*‖²
//!   with y = x − η∇f(x), where the expectation is exact: for noise uniform on [−s, s] it is
//!   the finite difference (f(y + ηs) − f(y − ηs))/(2ηs), for a discrete noise the finite sum
//!   Σ p_k f′(y − ηω_k). The points with |y − x*| < ρ (`--exclude`) are left out, as by the
//!   estimate: there the ratio depends on ∇E f(x*), which intervals enclose but cannot show to
//!   be 0;
//! - ∇f(x*), enclosed.
//!
//! Each quantity is a bracket [lo, hi] that holds the true supremum or infimum: one end from
//! the cells' enclosures, the other from enclosures at points (a value the supremum is at
//! least, the infimum at most).

use super::noise::Noise;
use crate::arith::Interval;
use crate::error::{Result, Usage};
use crate::expr::{IntervalEval, Reg, Tape, differentiate, parse};
use rug::Float;
use rug::float::Round;
use std::collections::{BinaryHeap, HashMap};

/// A certified bracket of a supremum or an infimum: the true value lies in [lo, hi].
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Bracket {
    pub lo: f64,
    pub hi: f64,
}

/// What `estimate --certify` proves about the objective on D.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Certified {
    /// sup over D of |f″|: the Lipschitz constant of ∇f on D.
    pub l_lipschitz: Option<Bracket>,
    /// sup over D of f″: Definition 1's one-sided smoothness constant on D.
    pub l_one_sided: Option<Bracket>,
    /// inf over x ∈ D with |y − x*| ≥ `exclude` of Assumption 1's ratio.
    pub c: Option<Bracket>,
    /// sup over D of ‖y − x*‖² (D0 for Theorem 1 from any start in D).
    pub d0: Option<Bracket>,
    /// ∇f(x*), enclosed.
    pub grad_at_x_star: Option<Bracket>,
    /// ∇E_ω f(y − ηω) at y = x*, enclosed (Assumption 1 near x* needs it to vanish).
    pub smoothed_grad_at_x_star: Option<Bracket>,
    pub exclude: f64,
    /// Cells evaluated over the three searches.
    pub cells: usize,
    /// Why a quantity is not certified (an enclosure that faults, the cell budget).
    pub notes: Vec<String>,
}

/// An f64 interval with ends rounded outward.
#[derive(Clone, Copy, Debug)]
struct Iv(f64, f64);

fn down(v: f64) -> f64 {
    if v.is_finite() { v.next_down() } else { v }
}
fn up(v: f64) -> f64 {
    if v.is_finite() { v.next_up() } else { v }
}

impl Iv {
    fn point(v: f64) -> Iv {
        Iv(v, v)
    }
    fn add(self, o: Iv) -> Iv {
        Iv(down(self.0 + o.0), up(self.1 + o.1))
    }
    fn sub(self, o: Iv) -> Iv {
        Iv(down(self.0 - o.1), up(self.1 - o.0))
    }
    fn mul(self, o: Iv) -> Iv {
        let p = [self.0 * o.0, self.0 * o.1, self.1 * o.0, self.1 * o.1];
        if p.iter().any(|v| v.is_nan()) {
            return Iv(f64::NEG_INFINITY, f64::INFINITY);
        }
        let lo = p.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Iv(down(lo), up(hi))
    }
    /// `self / o` for `o` not containing 0 (None otherwise).
    fn div(self, o: Iv) -> Option<Iv> {
        if o.0 <= 0.0 && o.1 >= 0.0 {
            return None;
        }
        let inv = Iv(down(1.0 / o.1), up(1.0 / o.0));
        Some(self.mul(inv))
    }
    /// The common part of two enclosures of one value (None if they are disjoint, which two
    /// sound enclosures never are).
    fn intersect(self, o: Iv) -> Option<Iv> {
        let (lo, hi) = (self.0.max(o.0), self.1.min(o.1));
        (lo <= hi).then_some(Iv(lo, hi))
    }
    fn hull(self, o: Iv) -> Iv {
        Iv(self.0.min(o.0), self.1.max(o.1))
    }
    fn abs(self) -> Iv {
        if self.0 >= 0.0 {
            self
        } else if self.1 <= 0.0 {
            Iv(-self.1, -self.0)
        } else {
            Iv(0.0, self.1.max(-self.0))
        }
    }
    fn is_finite(self) -> bool {
        self.0.is_finite() && self.1.is_finite()
    }
}

/// f, f′ and f″ of a 1-D expression on one tape over its input `x`.
struct Derivatives {
    tape: Tape,
    f: Reg,
    fp: Reg,
    fpp: Option<Reg>,
    eval: IntervalEval,
}

impl Derivatives {
    fn new(text: &str) -> Result<Derivatives> {
        let e = parse(text, "the objective")?;
        let mut tape = Tape::new(vec!["x".into()]);
        let env: HashMap<String, Reg> = [("x".to_string(), 0)].into();
        let src = tape.add_source("the objective", text);
        let f = tape.compile(&e, &env, src)?;
        let fp = differentiate(&mut tape, &[f], &[0]).remove(0)[0];
        let Some(fp) = fp else {
            return Err(Usage::at("--certify", "the objective does not depend on x").into());
        };
        let fpp = differentiate(&mut tape, &[fp], &[0]).remove(0)[0];
        let eval = IntervalEval::new(&tape, 128);
        Ok(Derivatives {
            tape,
            f,
            fp,
            fpp,
            eval,
        })
    }

    /// The enclosures of f, f′ and f″ over [lo, hi] (each None where it faults).
    fn at(&mut self, x: Iv) -> [Option<Iv>; 3] {
        let prec = self.eval.prec();
        let lo = Float::with_val_round(prec, x.0, Round::Down).0;
        let hi = Float::with_val_round(prec, x.1, Round::Up).0;
        self.eval.set_input_bounds(0, &lo, &hi);
        self.eval.run(&self.tape);
        let get = |r: Reg| -> Option<Iv> {
            let v: &Interval = self.eval.get(r).ok()?;
            let iv = Iv(
                v.lo().to_f64_round(Round::Down),
                v.hi().to_f64_round(Round::Up),
            );
            iv.is_finite().then_some(iv)
        };
        [get(self.f), get(self.fp), self.fpp.and_then(get)]
    }
}

/// A cell of a search and its bound (the larger, the sooner it is split).
struct Cell {
    key: f64,
    lo: f64,
    hi: f64,
}
impl PartialEq for Cell {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cell {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.key.total_cmp(&o.key)
    }
}

/// The outcome of a search: the bracket, and whether every cell was settled within the budget.
struct Search {
    bracket: Option<Bracket>,
    cells: usize,
    note: Option<String>,
}

/// Branch and bound for sup over [a, b] of φ: `over(cell)` encloses φ on a cell (`Err` when
/// it cannot; `Ok(None)` when the cell holds no point of the domain searched), and on a point
/// cell `[x, x]` at that point. Stops when the largest upper bound is within `tol` (relative)
/// of the best point's lower bound, or after `max_cells`.
fn supremum(
    a: f64,
    b: f64,
    max_cells: usize,
    tol: f64,
    over: &mut dyn FnMut(Iv) -> std::result::Result<Option<Iv>, String>,
) -> Search {
    let mut heap = BinaryHeap::new();
    let mut cells = 0;
    let mut best = f64::NEG_INFINITY;
    let push =
        |lo: f64,
         hi: f64,
         heap: &mut BinaryHeap<Cell>,
         cells: &mut usize,
         over: &mut dyn FnMut(Iv) -> std::result::Result<Option<Iv>, String>| {
            *cells += 1;
            match over(Iv(lo, hi)) {
                Ok(Some(v)) => {
                    heap.push(Cell { key: v.1, lo, hi });
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            }
        };
    if let Err(e) = push(a, b, &mut heap, &mut cells, over) {
        return Search {
            bracket: None,
            cells,
            note: Some(e),
        };
    }
    for x in [a, b, 0.5 * (a + b)] {
        if let Ok(Some(v)) = over(Iv::point(x)) {
            best = best.max(v.0);
        }
    }
    loop {
        let Some(top) = heap.peek() else {
            // no cell holds a point of the domain searched
            return Search {
                bracket: (best > f64::NEG_INFINITY).then_some(Bracket { lo: best, hi: best }),
                cells,
                note: None,
            };
        };
        let upper = top.key;
        if upper <= best + tol * best.abs().max(1e-300) || cells >= max_cells {
            let note = (upper > best + tol * best.abs().max(1e-300)).then(|| {
                format!("the cell budget ({max_cells} cells) ran out before the bracket closed")
            });
            return Search {
                bracket: (best > f64::NEG_INFINITY).then_some(Bracket {
                    lo: best,
                    hi: upper,
                }),
                cells,
                note,
            };
        }
        let c = heap.pop().expect("peeked");
        let mid = 0.5 * (c.lo + c.hi);
        if mid <= c.lo || mid >= c.hi {
            // the cell is two adjacent f64s: it cannot be split, its bound stands
            return Search {
                bracket: Some(Bracket {
                    lo: best,
                    hi: upper,
                }),
                cells,
                note: Some("a cell could not be split further in f64".into()),
            };
        }
        if let Ok(Some(v)) = over(Iv::point(mid)) {
            best = best.max(v.0);
        }
        for (lo, hi) in [(c.lo, mid), (mid, c.hi)] {
            if let Err(e) = push(lo, hi, &mut heap, &mut cells, over) {
                return Search {
                    bracket: None,
                    cells,
                    note: Some(e),
                };
            }
        }
    }
}

/// What [`certify`] needs of the estimate's request.
pub struct CertifyRequest<'a> {
    pub objective: &'a str,
    pub eta: f64,
    pub noise: &'a Noise,
    pub x_star: f64,
    /// D = [lo, hi].
    pub lo: f64,
    pub hi: f64,
    pub exclude: f64,
    pub max_cells: usize,
    pub tolerance: f64,
}

/// Bounds L (both constants), c and ∇f(x*) of a 1-D expression objective on
/// D = [x* − R, x* + R] with certainty (see the module's documentation). Bad input for a noise
/// whose expectation has no exact form here (the Gaussian, uniform in d > 1).
pub fn certify(req: &CertifyRequest) -> Result<Certified> {
    let mut d = Derivatives::new(req.objective)?;
    let (a, b) = (req.lo, req.hi);
    let eta = req.eta;
    // the expectation's exact form
    // the noise's numbers as f64 intervals that hold their exact values: h = η·s (the product
    // rounded), a finite law's values s·v and probabilities (rounded from the rationals given)
    enum Smoothing {
        Difference(Iv),
        Sum(Vec<(Iv, Iv)>),
    }
    let widen = |v: f64| Iv(down(down(v)), up(up(v)));
    let smoothing = match req.noise {
        Noise::Uniform { s } if *s > 0.0 => {
            Smoothing::Difference(Iv::point(eta).mul(Iv::point(*s)))
        }
        other => match other.support(1) {
            Some(sup) => Smoothing::Sum(
                sup.into_iter()
                    .map(|(w, p)| (widen(w[0]), widen(p)))
                    .collect(),
            ),
            None => {
                return Err(Usage::at(
                    "--certify",
                    format!(
                        "the expectation over {other} has no exact form here: certify with uniform or discrete noise"
                    ),
                )
                .into());
            }
        },
    };
    let mut notes = Vec::new();
    let mut cells = 0;
    // g(Y) = E f′(y − ηω) over y ∈ Y
    // E f^(k+1)(y − ηω) over y ∈ Y: k = 0 the smoothed gradient g, k = 1 its slope g′
    let smoothed = |d: &mut Derivatives, y: Iv, k: usize| -> Option<Iv> {
        match &smoothing {
            Smoothing::Difference(h) => {
                // (f^(k)(y + h) − f^(k)(y − h))/(2h)
                let hi = d.at(y.add(*h))[k]?;
                let lo = d.at(y.sub(*h))[k]?;
                let quotient = hi.sub(lo).div(Iv::point(2.0).mul(*h))?;
                if k == 0 {
                    return Some(quotient);
                }
                // the slope's quotient is the mean of f″ over [y − h, y + h]: within the hull
                // of f″ there, tight where f″ varies little
                Some(
                    d.at(y.sub(*h).hull(y.add(*h)))[2]
                        .and_then(|m| m.intersect(quotient))
                        .unwrap_or(quotient),
                )
            }
            Smoothing::Sum(sup) => {
                let mut acc = Iv::point(0.0);
                for (w, p) in sup {
                    let v = d.at(y.sub(Iv::point(eta).mul(*w)))[k + 1]?;
                    acc = acc.add(v.mul(*p));
                }
                Some(acc)
            }
        }
    };
    let g = |d: &mut Derivatives, y: Iv| smoothed(d, y, 0);
    // L: sup |f″| and sup f″
    let mut searches = Vec::new();
    for abs in [true, false] {
        let mut over = |x: Iv| -> std::result::Result<Option<Iv>, String> {
            let v = d.at(x)[2].ok_or_else(|| {
                format!(
                    "f″ has no enclosure on [{}, {}] (an operation without a second derivative there)",
                    x.0, x.1
                )
            })?;
            Ok(Some(if abs { v.abs() } else { v }))
        };
        let s = supremum(a, b, req.max_cells, req.tolerance, &mut over);
        cells += s.cells;
        if let Some(n) = s.note {
            notes.push(format!(
                "{}: {n}",
                if abs {
                    "L (Lipschitz)"
                } else {
                    "L (one-sided)"
                }
            ));
        }
        searches.push(s.bracket);
    }
    // g′(Y): the slope of the smoothed gradient, for the slope form of the ratio
    let g_slope = |d: &mut Derivatives, y: Iv| smoothed(d, y, 1);
    // c: inf of the ratio = −sup of −ratio, over the x whose y is ρ away from x*
    let rho = req.exclude;
    let xs = req.x_star;
    let g_at_star = g(&mut d, Iv::point(xs));
    let ratio = |d: &mut Derivatives, x: Iv| -> std::result::Result<Option<Iv>, String> {
        let fp = d.at(x)[1].ok_or("∇f has no enclosure on a cell of D")?;
        let y = x.sub(Iv::point(eta).mul(fp));
        let gy = g(d, y).ok_or("∇E f(y − ηω) has no enclosure on a cell of D")?;
        let e = y.sub(Iv::point(xs));
        // the slope form g(y)/(y − x*) = g(x*)/(y − x*) + g′(ξ), ξ between x* and y: tight
        // where y is near x*, where the quotient of enclosures is not
        let slope = g_at_star.and_then(|g0| {
            let span = Iv(y.0.min(xs), y.1.max(xs));
            g_slope(d, span).map(|gp| (g0, gp))
        });
        // the parts of y − x* at least ρ from 0
        let mut out: Option<Iv> = None;
        for part in [
            (e.0 <= -rho).then(|| Iv(e.0, e.1.min(-rho))),
            (e.1 >= rho).then(|| Iv(e.0.max(rho), e.1)),
        ]
        .into_iter()
        .flatten()
        {
            let mut r = gy.div(part).ok_or("a divisor holds 0")?;
            if let Some((g0, gp)) = slope
                && let Some(q) = g0.div(part)
            {
                let t = q.add(gp);
                // both enclose the ratio on this part: keep their intersection
                if let Some(both) = t.intersect(r) {
                    r = both;
                }
            }
            out = Some(match out {
                Some(o) => o.hull(r),
                None => r,
            });
        }
        Ok(out.map(|r| Iv(-r.1, -r.0)))
    };
    let c = {
        let mut over = |x: Iv| ratio(&mut d, x);
        let s = supremum(a, b, req.max_cells, req.tolerance, &mut over);
        cells += s.cells;
        if let Some(n) = s.note {
            notes.push(format!("c: {n}"));
        }
        s.bracket.map(|b| Bracket {
            lo: -b.hi,
            hi: -b.lo,
        })
    };
    // D0: sup over D of (y − x*)²
    let d0 = {
        let mut over = |x: Iv| -> std::result::Result<Option<Iv>, String> {
            let fp = d.at(x)[1].ok_or("∇f has no enclosure on a cell of D")?;
            let e = x.sub(Iv::point(eta).mul(fp)).sub(Iv::point(xs));
            Ok(Some(e.abs().mul(e.abs())))
        };
        let s = supremum(a, b, req.max_cells, req.tolerance, &mut over);
        cells += s.cells;
        if let Some(n) = s.note {
            notes.push(format!("D0: {n}"));
        }
        s.bracket
    };
    let grad_at_x_star = d.at(Iv::point(xs))[1].map(|v| Bracket { lo: v.0, hi: v.1 });
    let smoothed_grad_at_x_star = g(&mut d, Iv::point(xs)).map(|v| Bracket { lo: v.0, hi: v.1 });
    Ok(Certified {
        l_lipschitz: searches[0],
        l_one_sided: searches[1],
        c,
        d0,
        grad_at_x_star,
        smoothed_grad_at_x_star,
        exclude: rho,
        cells,
        notes,
    })
}
