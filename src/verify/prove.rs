//! The branch-and-bound prover. It bisects the box; a cell where a hypothesis certainly fails is
//! discarded (the claim says nothing there); a cell where the claim certainly holds is proved;
//! a cell where the hypotheses certainly hold and the claim certainly fails is a refutation.
//! Where plain interval evaluation is too wide, each undecided comparison is refined with the
//! enclosure of its gradient over the cell (symbolic derivatives on the tape): monotone
//! coordinates are fixed at the end where the difference is smallest, then the mean-value form
//! g(X) ⊆ g(c) + Σ ∂g/∂xᵢ(X)·(Xᵢ − cᵢ) is tried. Everything is interval arithmetic with
//! outward rounding, so a "proved" cell is proved at every one of its points.

use super::job::Job;
use super::region::Cell;
use crate::arith::{CmpOp, Interval, Truth, interval as iv};
use crate::expr::simplify::simplify;
use crate::expr::{IntervalEval, Reg, Tape, differentiate};
use rug::Float;
use rug::Rational;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

#[derive(Clone, Copy, Debug)]
pub struct ProveOptions {
    pub prec: u32,
    pub max_boxes: usize,
    pub deadline: Option<Instant>,
    /// Cells deeper than this are left undecided.
    pub max_depth: u32,
}

/// What the prover established.
#[derive(Clone, Debug, Default)]
pub struct ProofResult {
    /// Share of the box where the claim was proved.
    pub proved: f64,
    /// Share of the box where a used hypothesis (or a domain) certainly fails.
    pub vacuous: f64,
    /// Share left undecided (budget or depth exhausted), and the largest such cells.
    pub undecided: f64,
    pub undecided_cells: Vec<Cell>,
    /// A cell where the hypotheses hold and the claim fails at every point.
    pub refuted: Option<Cell>,
    pub boxes: usize,
    /// Why the prover stopped early, if it did.
    pub stopped: Option<String>,
}

/// One comparison of the claim prepared for refinement: g = (greater side) − (smaller side)
/// in exact algebraic normal form (see [`crate::expr::simplify`]), and its gradient registers.
struct Part {
    op: CmpOp,
    lhs: Reg,
    rhs: Reg,
    g: Reg,
    grad: Vec<Option<Reg>>,
}

/// The instructions `roots` depend on, in tape order, among `from..to`.
fn dependencies(tape: &Tape, roots: &[Reg], to: usize) -> Vec<Reg> {
    let mut needed = vec![false; to];
    for &r in roots {
        if r < to {
            needed[r] = true;
        }
    }
    for i in (0..to).rev() {
        if needed[i] {
            for a in tape.instrs[i].op.operands() {
                needed[a] = true;
            }
        }
    }
    (0..to).filter(|&i| needed[i]).collect()
}

struct HeapCell(Cell);
impl PartialEq for HeapCell {
    fn eq(&self, o: &Self) -> bool {
        self.0.share == o.0.share
    }
}
impl Eq for HeapCell {}
impl PartialOrd for HeapCell {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for HeapCell {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.share.total_cmp(&o.0.share)
    }
}

fn holds(op: CmpOp, g: &Interval) -> bool {
    let zero = g.lo.cmp0();
    match op {
        CmpOp::Lt | CmpOp::Gt => zero == Some(Ordering::Greater),
        CmpOp::Le | CmpOp::Ge => zero != Some(Ordering::Less) && zero.is_some(),
        CmpOp::Eq => false,
    }
}

pub fn prove(job: &Job, opts: ProveOptions) -> ProofResult {
    let model = job.model;
    let n = job.dims();
    // The claim's differences and their gradients, appended to a copy of the tape.
    let mut tape: Tape = model.tape.clone();
    let origin = crate::expr::Origin {
        source: 0,
        span: Default::default(),
    };
    let mut parts: Vec<Part> = job
        .claim_pred()
        .parts
        .iter()
        .map(|c| {
            let raw = match c.op {
                CmpOp::Gt | CmpOp::Ge => tape.push(crate::expr::Op::Sub(c.lhs, c.rhs), origin),
                _ => tape.push(crate::expr::Op::Sub(c.rhs, c.lhs), origin),
            };
            Part {
                op: c.op,
                lhs: c.lhs,
                rhs: c.rhs,
                g: simplify(&mut tape, raw),
                grad: Vec::new(),
            }
        })
        .collect();
    let base_len = tape.len();
    let outputs: Vec<Reg> = parts.iter().map(|p| p.g).collect();
    let wrt: Vec<usize> = (0..n).collect();
    let grads = differentiate(&mut tape, &outputs, &wrt);
    for (p, g) in parts.iter_mut().zip(grads) {
        p.grad = g;
    }
    // What each phase needs: the hypotheses and the claim's sides; then the gradients.
    let mut roots: Vec<Reg> = Vec::new();
    for h in &job.hyps {
        for c in &h.parts {
            roots.extend([c.lhs, c.rhs]);
        }
    }
    for p in &parts {
        roots.extend([p.lhs, p.rhs, p.g]);
    }
    let base_list = dependencies(&tape, &roots, base_len);
    let value_list = dependencies(&tape, &outputs, base_len);
    let grad_roots: Vec<Reg> = parts.iter().flat_map(|p| p.grad.iter().flatten().copied()).collect();
    let grad_list: Vec<Reg> = dependencies(&tape, &grad_roots, tape.len())
        .into_iter()
        .filter(|&i| i >= base_len)
        .collect();
    let mut ev = IntervalEval::new(&tape, opts.prec);
    let mut aux = IntervalEval::new(&tape, opts.prec);
    job.load_constants(&mut ev);
    job.load_constants(&mut aux);
    let mut result = ProofResult::default();
    let mut heap = BinaryHeap::new();
    heap.push(HeapCell(Cell::root(&job.ranges, opts.prec)));
    let mut tmp = Interval::zero(opts.prec);
    let mut tmp2 = Interval::zero(opts.prec);
    while let Some(HeapCell(cell)) = heap.pop() {
        if result.boxes >= opts.max_boxes || opts.deadline.is_some_and(|d| Instant::now() > d) {
            result.stopped = Some(if result.boxes >= opts.max_boxes {
                format!("box budget of {} cells used", opts.max_boxes)
            } else {
                "time budget used".into()
            });
            result.undecided += cell.share;
            result.undecided_cells.push(cell);
            for HeapCell(c) in heap.drain() {
                result.undecided += c.share;
                if result.undecided_cells.len() < 8 {
                    result.undecided_cells.push(c);
                }
            }
            break;
        }
        result.boxes += 1;
        cell.load(&mut ev);
        ev.run_selected(&tape, &base_list);
        let hyps = job
            .hyps
            .iter()
            .map(|h| crate::expr::decide_all(h, &ev, None))
            .fold(Truth::True, Truth::and);
        if hyps == Truth::False {
            result.vacuous += cell.share;
            continue;
        }
        let claim = crate::expr::decide_all(job.claim_pred(), &ev, None);
        if claim == Truth::True {
            result.proved += cell.share;
            continue;
        }
        if claim == Truth::False && hyps == Truth::True {
            result.refuted = Some(cell);
            return result;
        }
        // Refine each undecided part: its normal form, then its gradient over the cell. A part
        // counts only where both of its sides are defined on the whole cell.
        ev.run_selected(&tape, &grad_list);
        let mut all = true;
        let mut smear: Vec<f64> = vec![0.0; n];
        for p in &parts {
            let defined = ev.get(p.lhs).is_ok() && ev.get(p.rhs).is_ok();
            if !defined {
                all = false;
                continue;
            }
            if ev.get(p.g).is_ok_and(|g| holds(p.op, g)) {
                continue;
            }
            let grad: Vec<Option<Interval>> = p
                .grad
                .iter()
                .map(|r| match r {
                    None => Some(Interval::zero(opts.prec)),
                    Some(r) => ev.get(*r).ok().cloned(),
                })
                .collect();
            for (k, gk) in grad.iter().enumerate() {
                if let Some(gk) = gk {
                    let m = gk.lo.to_f64().abs().max(gk.hi.to_f64().abs());
                    let w = (cell.hi[k].to_f64() - cell.lo[k].to_f64()).abs();
                    smear[k] = smear[k].max(m * w);
                } else {
                    smear[k] = f64::INFINITY;
                }
            }
            if p.op == CmpOp::Eq || grad.iter().any(Option::is_none) {
                all = false;
                continue;
            }
            // Monotone coordinates: fix them at the end where g is smallest.
            let mut reduced = cell.clone();
            for (k, gk) in grad.iter().enumerate() {
                let gk = gk.as_ref().expect("checked");
                if gk.lo.cmp0() != Some(Ordering::Less) && gk.lo.cmp0().is_some() {
                    reduced.hi[k] = reduced.lo[k].clone();
                } else if gk.hi.cmp0() != Some(Ordering::Greater) && gk.hi.cmp0().is_some() {
                    reduced.lo[k] = reduced.hi[k].clone();
                }
            }
            reduced.load(&mut aux);
            aux.run_selected(&tape, &value_list);
            if aux.get(p.g).is_ok_and(|g| holds(p.op, g)) {
                continue;
            }
            // Mean-value form on the reduced cell around its center.
            let center: Vec<Float> = (0..n)
                .map(|k| {
                    Float::with_val(opts.prec, &reduced.lo[k] + &reduced.hi[k]) / 2u32
                })
                .collect();
            for k in 0..n {
                aux.set_input_bounds(k, &center[k], &center[k]);
            }
            aux.run_selected(&tape, &value_list);
            let Ok(gc) = aux.get(p.g) else {
                all = false;
                continue;
            };
            let mut acc = gc.clone();
            let mut ok = true;
            for k in 0..n {
                let Some(gk) = grad[k].as_ref() else { continue };
                if reduced.lo[k] == reduced.hi[k] {
                    continue;
                }
                let dx = Interval {
                    lo: Float::with_val_round(opts.prec, &reduced.lo[k] - &center[k], rug::float::Round::Down).0,
                    hi: Float::with_val_round(opts.prec, &reduced.hi[k] - &center[k], rug::float::Round::Up).0,
                };
                let mut s = crate::arith::Scratch::new(opts.prec);
                if iv::mul(&mut tmp, gk, &dx, &mut s).is_err() || iv::add(&mut tmp2, &acc, &tmp).is_err() {
                    ok = false;
                    break;
                }
                acc.assign(&tmp2);
            }
            if !(ok && holds(p.op, &acc)) {
                all = false;
            }
        }
        if all && hyps != Truth::False {
            result.proved += cell.share;
            continue;
        }
        if cell.depth >= opts.max_depth {
            result.undecided += cell.share;
            if result.undecided_cells.len() < 8 {
                result.undecided_cells.push(cell);
            }
            continue;
        }
        // Split where the claim varies most over the cell (the smear), else the widest.
        let mut order: Vec<usize> = (0..n).filter(|&k| cell.lo[k] < cell.hi[k]).collect();
        order.sort_by(|&a, &b| {
            let wa = cell.unit_width(a, &job.ranges[a]);
            let wb = cell.unit_width(b, &job.ranges[b]);
            smear[b]
                .total_cmp(&smear[a])
                .then(wb.total_cmp(&wa))
        });
        // Alternate with the widest coordinate so no coordinate is starved.
        if cell.depth % 3 == 2 {
            order.sort_by(|&a, &b| {
                cell.unit_width(b, &job.ranges[b])
                    .total_cmp(&cell.unit_width(a, &job.ranges[a]))
            });
        }
        let split = order
            .iter()
            .find_map(|&k| cell.split(k, job.ranges[k].log));
        match split {
            Some((a, b)) => {
                heap.push(HeapCell(a));
                heap.push(HeapCell(b));
            }
            None => {
                result.undecided += cell.share;
                if result.undecided_cells.len() < 8 {
                    result.undecided_cells.push(cell);
                }
            }
        }
    }
    result
}

/// The center of a refuted cell, as the witness to re-check.
pub fn refuted_point(job: &Job, cell: &Cell) -> Vec<Rational> {
    cell.center(&job.ranges)
}
