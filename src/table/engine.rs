//! Computing a table: the cells of each row, certified. Registers are evaluated once per row
//! only where they depend on a parameter that changed since the previous row (a grid's inner
//! axes change fastest, so what depends only on outer axes, or on axes with a single value, is
//! computed once per outer point or once per block); axis values are enclosed once. A row whose cells cannot be decided at the working precision (a
//! verdict undecided, a correctly rounded digit unsettled) is recomputed at doubled precision,
//! up to 16×.
//!
//! Grids take a faster road where they can: a row where only the innermost varying axis changed
//! is computed with double-double intervals ([`crate::arith::dd`], certified like MPFR, about
//! 100 bits) from the registers of the outer point, which MPFR computed and handed over. Each
//! cell is then rounded with exact integer arithmetic; anything the fast road cannot settle (an
//! operation it does not cover, a cell on a rounding boundary, an undecided verdict) sends the
//! row down the MPFR road, so the output is the same either way.

use super::grid::{Grid, Sweep};
use crate::arith::dd::DdInterval;
use crate::arith::decimal::{
    common_rounding, common_rounding_dd_into, decimal, rational, rational_rounding,
};
use crate::arith::{Interval, Truth};
use crate::error::{Error, Result};
use crate::expr::dd_eval::CertainFault;
use crate::expr::{DdEval, DdMiss, IntervalEval, Op, Predicate, RationalEval, Reg, decide};
use crate::theory::{Bound, Model};
use rug::Rational;
use rug::float::Round;

/// What a column shows.
#[derive(Clone, Debug)]
pub enum ColumnKind {
    /// A parameter's exact value.
    Parameter(usize),
    /// A definition, rounded in the direction of its bound.
    Quantity(Reg, Bound),
    /// A hypothesis or claim: holds, fails or undecided.
    Verdict(Predicate),
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub symbol: String,
    pub latex: String,
    pub kind: ColumnKind,
}

impl Column {
    /// How the column's numbers are rounded, for headers and captions.
    pub fn rounding(&self) -> &'static str {
        match &self.kind {
            ColumnKind::Parameter(_) => "exact",
            ColumnKind::Quantity(_, Bound::Upper) => "up",
            ColumnKind::Quantity(_, Bound::Lower) => "down",
            ColumnKind::Quantity(_, Bound::Exact) => "nearest",
            ColumnKind::Verdict(_) => "verdict",
        }
    }
}

/// Resolves column names against a model: parameters, definitions, hypotheses and claims.
pub fn columns(model: &Model, names: &[String]) -> Result<Vec<Column>> {
    let t = &model.theory;
    names
        .iter()
        .map(|n| {
            if let Some(i) = t.parameters.iter().position(|p| &p.name == n) {
                let p = &t.parameters[i];
                return Ok(Column {
                    name: n.clone(),
                    symbol: p.symbol.clone(),
                    latex: p.latex.clone(),
                    kind: ColumnKind::Parameter(i),
                });
            }
            if let Some(i) = t.definitions.iter().position(|d| &d.name == n) {
                let d = &t.definitions[i];
                return Ok(Column {
                    name: n.clone(),
                    symbol: d.symbol.clone(),
                    latex: d.latex.clone(),
                    kind: ColumnKind::Quantity(model.def_regs[i], d.bound),
                });
            }
            let stmt = t
                .hypotheses
                .iter()
                .zip(&model.hypotheses)
                .chain(t.claims.iter().zip(&model.claims))
                .find(|(s, _)| &s.name == n && !s.step);
            if let Some((s, p)) = stmt {
                return Ok(Column {
                    name: n.clone(),
                    symbol: s.name.clone(),
                    latex: format!("\\text{{{}}}", s.name.replace('_', "\\_")),
                    kind: ColumnKind::Verdict(p.clone()),
                });
            }
            let mut known: Vec<&str> = t.parameters.iter().map(|p| p.name.as_str()).collect();
            known.extend(t.definitions.iter().map(|d| d.name.as_str()));
            known.extend(t.hypotheses.iter().filter(|h| !h.step).map(|h| h.name.as_str()));
            known.extend(t.claims.iter().filter(|h| !h.step).map(|h| h.name.as_str()));
            Err(Error::usage(format!(
                "--columns: `{n}` is not a parameter, quantity, hypothesis or claim of {} (choose from {})",
                t.name,
                known.join(", ")
            )))
        })
        .collect()
}

/// Where the rows come from.
pub enum Rows {
    /// A grid over the parameters, in the model's parameter order (axis k is parameter k).
    Grid(Grid),
    /// Parameter sets (each a full list of parameter values, in the model's order).
    Sweep(Vec<Vec<Rational>>),
}

impl Rows {
    pub fn len(&self) -> u128 {
        match self {
            Rows::Grid(g) => g.len(),
            Rows::Sweep(s) => s.len() as u128,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows from a sweep file, checked against the model's parameters.
    pub fn from_sweep(model: &Model, sweep: &Sweep) -> Result<Rows> {
        let mut out = Vec::new();
        for (i, row) in sweep.row.iter().enumerate() {
            let inputs = model
                .point(row, &|p| format!("row {}: {}", i + 1, p.name))
                .map_err(|e| Error::usage(format!("sweep row {}: {e}", i + 1)))?;
            out.push(inputs[..model.theory.parameters.len()].to_vec());
        }
        Ok(Rows::Sweep(out))
    }
}

/// The cells of rows `from..to`, and for each row the names of failing hypotheses (empty when
/// all hold; "undecided: …" entries when one could not be decided).
pub struct Computed {
    pub cells: Vec<Vec<String>>,
    pub failing: Vec<Vec<String>>,
    /// How many rows the double-double road settled.
    pub fast_rows: u128,
}

/// A table's compiled evaluation plan.
pub struct Plan<'m> {
    pub model: &'m Model,
    pub columns: Vec<Column>,
    pub digits: usize,
    /// The precision a row is raised to when the first pass cannot settle it (then doubled,
    /// up to 16×).
    pub prec: u32,
    /// The first pass's precision: what `digits` need, with a margin (at most `prec`).
    pub start: u32,
    /// Take the double-double road for grid rows where it applies (on by default; off, every
    /// row goes the MPFR road, which the tests compare against).
    pub fast_road: bool,
    /// Per register: the parameters it depends on, as a bit set ([`param_bit`]); 0 for
    /// registers that depend on constants only.
    deps: Vec<u128>,
    /// Per quantity column: when its register is rational, the registers its exact value needs,
    /// in order (so that a cell on a rounding boundary can be settled exactly, alone).
    exact_lists: Vec<Option<Vec<Reg>>>,
    /// Per register: whether it depends on a logarithm, an exponential or a real power (whose
    /// double-double enclosures are f64-accurate unless asked for more).
    transcendental: Vec<bool>,
    /// The registers to run, in order.
    order: Vec<Reg>,
    hyps: Vec<(String, Predicate)>,
}

impl<'m> Plan<'m> {
    pub fn new(model: &'m Model, columns: Vec<Column>, digits: usize, prec: u32) -> Plan<'m> {
        let tape = &model.tape;
        let hyps: Vec<(String, Predicate)> = model
            .theory
            .hypotheses
            .iter()
            .zip(&model.hypotheses)
            .filter(|(h, _)| !h.step)
            .map(|(h, p)| (h.name.clone(), p.clone()))
            .collect();
        let mut roots: Vec<Reg> = Vec::new();
        for c in &columns {
            match &c.kind {
                ColumnKind::Quantity(r, _) => roots.push(*r),
                ColumnKind::Verdict(p) => roots.extend(p.parts.iter().flat_map(|c| [c.lhs, c.rhs])),
                ColumnKind::Parameter(_) => {}
            }
        }
        for (_, p) in &hyps {
            roots.extend(p.parts.iter().flat_map(|c| [c.lhs, c.rhs]));
        }
        let needed = tape.needed(&roots);
        let n_params = model.theory.parameters.len();
        let n_inputs = tape.inputs.len();
        let exact_lists = columns
            .iter()
            .map(|c| match c.kind {
                ColumnKind::Quantity(r, _) if tape.is_rational(r) => Some(
                    tape.slice(&[r])
                        .into_iter()
                        .filter(|&i| i >= n_inputs)
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        let mut transcendental = vec![false; tape.len()];
        for i in 0..tape.len() {
            let op = tape.instrs[i].op;
            transcendental[i] = matches!(op, Op::Log(_) | Op::Exp(_) | Op::Pow(..))
                || op.operands().any(|a| transcendental[a]);
        }
        let mut deps = vec![0u128; tape.len()];
        for (i, d) in deps.iter_mut().enumerate().take(n_params) {
            *d = param_bit(i);
        }
        for i in tape.inputs.len()..tape.len() {
            deps[i] = tape.instrs[i].op.operands().fold(0, |m, a| m | deps[a]);
        }
        let order = (tape.inputs.len()..tape.len())
            .filter(|&i| needed[i])
            .collect();
        let need = ((digits as f64 * std::f64::consts::LOG2_10 + 32.0) / 64.0).ceil() as u32 * 64;
        Plan {
            model,
            columns,
            digits,
            prec,
            start: need.clamp(64, prec.max(64)),
            fast_road: true,
            deps,
            exact_lists,
            transcendental,
            order,
            hyps,
        }
    }

    /// Computes rows `from..to` with one evaluator.
    pub fn compute(&self, rows: &Rows, from: u128, to: u128) -> Computed {
        let mut cells_out = Vec::with_capacity((to - from) as usize);
        let mut failing_out = Vec::with_capacity((to - from) as usize);
        let fast_rows = self.compute_with(rows, from, to, &mut |cells, failing| {
            cells_out.push(cells.to_vec());
            failing_out.push(failing.to_vec());
        });
        Computed {
            cells: cells_out,
            failing: failing_out,
            fast_rows,
        }
    }

    /// Computes rows `from..to` with one evaluator, handing each row's cells and failing
    /// hypotheses to `sink` in order (the slices are reused from row to row). Returns how many
    /// rows the double-double road settled.
    pub fn compute_with(
        &self,
        rows: &Rows,
        from: u128,
        to: u128,
        sink: &mut dyn FnMut(&[String], &[String]),
    ) -> u128 {
        let mut fast_rows = 0;
        let tape = &self.model.tape;
        let n_params = self.model.theory.parameters.len();
        let mut ev = IntervalEval::new(tape, self.start);
        for (i, c) in self.model.theory.constants.iter().enumerate() {
            ev.set_input(n_params + i, &c.value);
        }
        // Axis values enclosed once.
        let enclosed: Option<Vec<Vec<Interval>>> = match rows {
            Rows::Grid(g) => Some(
                g.axes
                    .iter()
                    .map(|a| {
                        a.values
                            .iter()
                            .map(|q| Interval::from_rational(q, self.start))
                            .collect()
                    })
                    .collect(),
            ),
            Rows::Sweep(_) => None,
        };
        // Axis values printed once.
        let printed: Option<Vec<Vec<String>>> = match rows {
            Rows::Grid(g) => Some(
                g.axes
                    .iter()
                    .map(|a| a.values.iter().map(rational).collect())
                    .collect(),
            ),
            Rows::Sweep(_) => None,
        };
        // The fast road: axis values as double-double enclosures, and the innermost axis that
        // takes more than one value.
        let fast: Option<(u128, Vec<Vec<Option<DdInterval>>>)> = match rows {
            Rows::Grid(_) if !self.fast_road => None,
            Rows::Grid(g) => g.axes.iter().rposition(|a| a.values.len() > 1).map(|k| {
                let values = g
                    .axes
                    .iter()
                    .map(|a| a.values.iter().map(DdInterval::from_rational).collect())
                    .collect();
                (param_bit(k), values)
            }),
            Rows::Sweep(_) => None,
        };
        // What an inner row recomputes: everything that depends on the inner axis (the same
        // list for every inner row of the block).
        let inner_list: Vec<Reg> = match &fast {
            Some((inner, _)) => {
                let inner = *inner;
                self.order
                    .iter()
                    .copied()
                    .filter(|&r| self.deps[r] & inner != 0)
                    .collect()
            }
            None => Vec::new(),
        };
        let mut dd = DdEval::new(tape);
        let mut rational_eval = RationalEval::new(tape);
        for (i, c) in self.model.theory.constants.iter().enumerate() {
            dd.set(n_params + i, DdInterval::from_rational(&c.value));
        }
        // True once the double-double registers hold the current outer point's values.
        let mut dd_ready = false;
        // The current outer point's cells that do not depend on the inner axis.
        let mut outer = OuterCells::default();
        // Parameters changed since the MPFR registers were last brought up to date.
        let mut mpfr_stale = 0u128;
        // Cell buffers the fast road writes into, reused from row to row.
        let mut cell_buf: Vec<String> = vec![String::new(); self.columns.len()];
        let mut failing_buf: Vec<String> = Vec::new();
        let mut idx: Vec<usize> = Vec::new();
        let mut list: Vec<Reg> = Vec::with_capacity(self.order.len());
        let mut texts: Vec<String> = vec![String::new(); n_params];
        for i in from..to {
            let values: Option<&[Rational]>;
            let changed = match rows {
                Rows::Grid(g) => {
                    // the odometer: the next row's indices from the previous row's
                    let first = if i == from {
                        idx = g.indices(i);
                        0
                    } else {
                        g.advance(&mut idx)
                    };
                    let enc = enclosed.as_ref().expect("grid");
                    let txt = printed.as_ref().expect("grid");
                    let mut changed = 0u128;
                    // the axis that moved, and after it those that wrapped (single-valued axes
                    // do not change, except at the block's first row)
                    for k in first..idx.len() {
                        if !(k == first || i == from || g.axes[k].values.len() > 1) {
                            continue;
                        }
                        let j = idx[k];
                        ev.set_input_interval(k, &enc[k][j]);
                        if let Some((_, values)) = &fast {
                            dd.set(k, values[k][j]);
                        }
                        texts[k].clone_from(&txt[k][j]);
                        changed |= param_bit(k);
                    }
                    values = None;
                    changed
                }
                Rows::Sweep(s) => {
                    let v = &s[i as usize];
                    for (k, q) in v.iter().enumerate() {
                        ev.set_input(k, q);
                        texts[k] = rational(q);
                    }
                    values = Some(v);
                    u128::MAX
                }
            };
            // Recompute what depends on a parameter that changed; what depends on no parameter,
            // only at the block's first row.
            let first_row = i == from;
            // The registers that depend on `mask` and pass `keep` (those that depend on no
            // parameter: only at the block's first row).
            let select = |list: &mut Vec<Reg>, mask: u128, keep: &dyn Fn(u128) -> bool| {
                list.clear();
                list.extend(self.order.iter().copied().filter(|&r| {
                    let d = self.deps[r];
                    (if d == 0 { first_row } else { d & mask != 0 }) && keep(d)
                }));
            };
            let outer_point = match &fast {
                Some((inner, _)) => changed & !inner != 0 || !dd_ready,
                None => false,
            };
            if fast.is_some() && !outer_point {
                // An inner row: the double-double road, with the outer point's cells reused.
                dd.run_selected(tape, &inner_list);
                // exact values of rational quantities, for cells on a rounding boundary
                let mut exact_inputs: Option<Vec<Rational>> = None;
                let mut exact = |j: usize| -> Option<String> {
                    let Rows::Grid(g) = rows else { return None };
                    let inputs = exact_inputs.get_or_insert_with(|| {
                        idx.iter()
                            .enumerate()
                            .map(|(k, &i)| g.axes[k].values[i].clone())
                            .chain(self.model.constant_values())
                            .collect()
                    });
                    rational_eval.run_selected(tape, inputs, self.exact_lists[j].as_ref()?);
                    let ColumnKind::Quantity(r, bound) = self.columns[j].kind else {
                        return None;
                    };
                    let q = rational_eval.get(r)?;
                    Some(rational_rounding(q, self.digits, bound_rounding(bound)))
                };
                let mut settled = self.row_dd(
                    &dd,
                    &texts,
                    &outer,
                    &mut cell_buf,
                    &mut failing_buf,
                    &mut exact,
                );
                if settled == Err(Open::Transcendental) {
                    // once more with double-double-accurate logarithms and exponentials
                    dd.accurate = true;
                    dd.run_selected(tape, &inner_list);
                    dd.accurate = false;
                    settled = self.row_dd(
                        &dd,
                        &texts,
                        &outer,
                        &mut cell_buf,
                        &mut failing_buf,
                        &mut exact,
                    );
                }
                if settled.is_ok() {
                    fast_rows += 1;
                    mpfr_stale |= changed;
                    sink(&cell_buf, &failing_buf);
                    continue;
                }
            }
            // The MPFR road: bring every register up to date.
            select(&mut list, changed | mpfr_stale, &|_| true);
            ev.run_selected(tape, &list);
            mpfr_stale = 0;
            let (cells, failing) = match self.row(&ev, &texts) {
                Some(r) => r,
                None => {
                    let owned: Vec<Rational> = match (values, rows) {
                        (Some(v), _) => v.to_vec(),
                        (None, Rows::Grid(g)) => g
                            .indices(i)
                            .iter()
                            .enumerate()
                            .map(|(k, &j)| g.axes[k].values[j].clone())
                            .collect(),
                        (None, Rows::Sweep(_)) => unreachable!("sweeps carry their values"),
                    };
                    self.row_slow(&owned)
                }
            };
            if let Some((inner, _)) = &fast
                && outer_point
            {
                // A new outer point: hand over what the inner rows will not recompute (so that
                // transcendental functions of outer parameters keep MPFR's precision), and keep
                // the cells that depend on the outer point only.
                for &r in list.iter().filter(|&&r| self.deps[r] & inner == 0) {
                    hand_over(&mut dd, &ev, r);
                }
                dd_ready = true;
                outer.update(self, *inner, &cells, &failing);
            }
            sink(&cells, &failing);
        }
        fast_rows
    }

    /// The cells at the current evaluation, or `None` when something is not settled at this
    /// precision.
    fn row(&self, ev: &IntervalEval, texts: &[String]) -> Option<(Vec<String>, Vec<String>)> {
        let mut cells = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            cells.push(match &c.kind {
                ColumnKind::Parameter(k) => texts[*k].clone(),
                ColumnKind::Quantity(r, bound) => {
                    let x = match ev.get(*r) {
                        Ok(x) => x,
                        // undefined at every point: no precision will change that
                        Err(f) if f.error.is_certain() => {
                            cells.push(format!("undefined ({})", f.error));
                            continue;
                        }
                        Err(_) => return None,
                    };
                    // Both ends must round to the same decimal, so that the cell is the
                    // value's own rounding (up, down or to nearest), whatever the precision.
                    common_rounding(x, self.digits, bound_rounding(*bound))?
                }
                ColumnKind::Verdict(p) => match verdict(p, ev, None) {
                    Truth::Unknown if !undefined(p, ev) => return None,
                    t => crate::report::verdict_word(t).to_string(),
                },
            });
        }
        let mut failing = Vec::new();
        for (name, p) in &self.hyps {
            match verdict(p, ev, None) {
                Truth::True => {}
                Truth::False => failing.push(name.clone()),
                Truth::Unknown if undefined(p, ev) => failing.push(format!("undefined: {name}")),
                Truth::Unknown => return None,
            }
        }
        Some((cells, failing))
    }

    /// The cells from the double-double registers, written into `cells` and `failing`; an
    /// error saying why when one is not settled there (the buffers then hold nothing useful). Mirrors
    /// [`Plan::row`]: a quantity undefined at every point prints as such, and so does a verdict
    /// left open by an undefined side.
    fn row_dd(
        &self,
        dd: &DdEval,
        texts: &[String],
        outer: &OuterCells,
        cells: &mut [String],
        failing: &mut Vec<String>,
        exact: &mut dyn FnMut(usize) -> Option<String>,
    ) -> Result<(), Open> {
        let side = |r: Reg| match dd.get(r) {
            Ok(x) => Some(Ok(x)),
            Err(DdMiss::Fault(e)) => Some(Err(e.error())),
            Err(DdMiss::Unsupported) => None,
        };
        // (truth, whether a side is undefined); `None` when a side is not available here
        let verdict = |p: &Predicate| -> Option<(Truth, bool)> {
            let mut truth = Truth::True;
            let mut undefined = false;
            for c in &p.parts {
                let t = match (side(c.lhs)?, side(c.rhs)?) {
                    (Ok(a), Ok(b)) => a.compare(c.op, b),
                    _ => {
                        undefined = true;
                        Truth::Unknown
                    }
                };
                truth = truth.and(t);
            }
            (truth != Truth::Unknown || undefined).then_some((truth, undefined))
        };
        for (j, (c, cell)) in self.columns.iter().zip(cells.iter_mut()).enumerate() {
            cell.clear();
            if let Some(Some(known)) = outer.cells.get(j) {
                cell.push_str(known);
                continue;
            }
            match &c.kind {
                ColumnKind::Parameter(k) => cell.push_str(&texts[*k]),
                ColumnKind::Quantity(r, bound) => match side(*r) {
                    None => return Err(Open::Unavailable),
                    Some(Ok(x)) => {
                        if !common_rounding_dd_into(cell, x, self.digits, bound_rounding(*bound)) {
                            // on a rounding boundary: a rational quantity is settled exactly
                            match self.exact_lists[j].as_ref().and_then(|_| exact(j)) {
                                Some(text) => cell.push_str(&text),
                                None => return Err(self.open_at(&[*r])),
                            }
                        }
                    }
                    Some(Err(e)) => {
                        use std::fmt::Write;
                        let _ = write!(cell, "undefined ({e})");
                    }
                },
                ColumnKind::Verdict(p) => match verdict(p) {
                    None => return Err(self.open_in(p)),
                    Some((t, _)) => cell.push_str(crate::report::verdict_word(t)),
                },
            }
        }
        failing.clear();
        if let Some(known) = &outer.failing {
            failing.extend(known.iter().cloned());
            return Ok(());
        }
        for (name, p) in &self.hyps {
            match verdict(p) {
                None => return Err(self.open_in(p)),
                Some((Truth::True, _)) => {}
                Some((Truth::False, _)) => failing.push(name.clone()),
                Some((Truth::Unknown, _)) => failing.push(format!("undefined: {name}")),
            }
        }
        Ok(())
    }

    /// True when a side of `p` is undefined at every point: its fault is certain, or it is
    /// only "possible" in the enclosures but the exact rational value of the operand settles it
    /// (a division by a quantity that is exactly 0, the logarithm of one exactly ≤ 0, …), which
    /// no precision would change.
    fn undefined_exactly(&self, p: &Predicate, ev: &IntervalEval, exact: &RationalEval) -> bool {
        let tape = &self.model.tape;
        let zero = |r: Reg| exact.get(r).is_some_and(|q| *q == 0);
        let sign = |r: Reg| exact.get(r).map(|q| q.cmp0());
        p.parts
            .iter()
            .flat_map(|c| [c.lhs, c.rhs])
            .any(|r| match ev.get(r) {
                Ok(_) => false,
                Err(f) if f.error.is_certain() => true,
                Err(f) => match tape.instrs[f.at].op {
                    Op::Div(_, b) => zero(b),
                    Op::PowInt(a, n) if n < 0 => zero(a),
                    Op::Log(a) => sign(a).is_some_and(|s| s != std::cmp::Ordering::Greater),
                    Op::Sqrt(a) => sign(a) == Some(std::cmp::Ordering::Less),
                    _ => false,
                },
            })
    }

    /// Why a cell of these registers is open: for want of accuracy in a transcendental
    /// function, or otherwise.
    fn open_at(&self, regs: &[Reg]) -> Open {
        if regs.iter().any(|&r| self.transcendental[r]) {
            Open::Transcendental
        } else {
            Open::Other
        }
    }

    fn open_in(&self, p: &Predicate) -> Open {
        let regs: Vec<Reg> = p.parts.iter().flat_map(|c| [c.lhs, c.rhs]).collect();
        self.open_at(&regs)
    }

    /// A row recomputed from scratch: exact rational decisions where both sides are rational,
    /// and doubled precision, up to 16×; what is still open prints as its enclosure.
    fn row_slow(&self, values: &[Rational]) -> (Vec<String>, Vec<String>) {
        let tape = &self.model.tape;
        let mut inputs: Vec<Rational> = values.to_vec();
        inputs.extend(self.model.constant_values());
        let mut exact = RationalEval::new(tape);
        exact.run_selected(tape, &inputs, &self.order);
        let mut prec = self.prec;
        loop {
            let mut ev = IntervalEval::new(tape, prec);
            for (k, q) in inputs.iter().enumerate() {
                ev.set_input(k, q);
            }
            ev.run_selected(tape, &self.order);
            let last = prec >= self.prec.saturating_mul(16);
            let mut settled = true;
            let mut cells = Vec::new();
            for c in &self.columns {
                cells.push(match &c.kind {
                    ColumnKind::Parameter(k) => rational(&values[*k]),
                    ColumnKind::Quantity(r, bound) => match (ev.get(*r), exact.get(*r)) {
                        (Err(f), _) => format!("undefined ({})", f.error),
                        (Ok(x), q) => {
                            let dir = bound_rounding(*bound);
                            if let Some(q) = q {
                                rational_rounding(q, self.digits, dir)
                            } else {
                                let a = decimal(&x.lo, self.digits, dir);
                                let b = decimal(&x.hi, self.digits, dir);
                                if a == b {
                                    a
                                } else if last {
                                    // still straddling a decimal: the end that keeps the bound
                                    match bound {
                                        Bound::Upper => b,
                                        Bound::Lower => a,
                                        Bound::Exact => format!(
                                            "[{}, {}]",
                                            decimal(&x.lo, self.digits, Round::Down),
                                            decimal(&x.hi, self.digits, Round::Up)
                                        ),
                                    }
                                } else {
                                    settled = false;
                                    String::new()
                                }
                            }
                        }
                    },
                    ColumnKind::Verdict(p) => {
                        let t = verdict(p, &ev, Some(&exact));
                        if t == Truth::Unknown && !self.undefined_exactly(p, &ev, &exact) {
                            settled = false;
                        }
                        crate::report::verdict_word(t).to_string()
                    }
                });
            }
            let mut failing = Vec::new();
            for (name, p) in &self.hyps {
                match verdict(p, &ev, Some(&exact)) {
                    Truth::True => {}
                    Truth::False => failing.push(name.clone()),
                    Truth::Unknown if self.undefined_exactly(p, &ev, &exact) => {
                        failing.push(format!("undefined: {name}"));
                    }
                    Truth::Unknown => {
                        settled = false;
                        failing.push(format!("undecided: {name}"));
                    }
                }
            }
            if settled || last {
                return (cells, failing);
            }
            prec = prec.saturating_mul(2);
        }
    }
}

/// Why the double-double road left a row open.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Open {
    /// A register it needs has no double-double enclosure.
    Unavailable,
    /// A cell or verdict depends on a logarithm, exponential or real power: more accuracy there
    /// may settle it.
    Transcendental,
    /// Anything else (a cell on a rounding boundary, a verdict at equality).
    Other,
}

/// The cells of the current outer grid point that do not depend on the inner axis, computed
/// once on the MPFR road and reused by the inner rows.
#[derive(Default)]
struct OuterCells {
    /// Per column: its cell when it does not depend on the inner axis.
    cells: Vec<Option<String>>,
    /// The failing hypotheses, when no hypothesis depends on the inner axis.
    failing: Option<Vec<String>>,
}

impl OuterCells {
    fn update(&mut self, plan: &Plan, inner: u128, cells: &[String], failing: &[String]) {
        let outer = |r: Reg| plan.deps[r] & inner == 0;
        let outer_pred = |p: &Predicate| p.parts.iter().all(|c| outer(c.lhs) && outer(c.rhs));
        self.cells = plan
            .columns
            .iter()
            .zip(cells)
            .map(|(c, cell)| {
                let is_outer = match &c.kind {
                    ColumnKind::Parameter(k) => param_bit(*k) & inner == 0,
                    ColumnKind::Quantity(r, _) => outer(*r),
                    ColumnKind::Verdict(p) => outer_pred(p),
                };
                is_outer.then(|| cell.clone())
            })
            .collect();
        self.failing = plan
            .hyps
            .iter()
            .all(|(_, p)| outer_pred(p))
            .then(|| failing.to_vec());
    }
}

/// Copies MPFR register `r` into the double-double evaluator: its enclosure, its fault when the
/// fault is certain, else "unknown".
fn hand_over(dd: &mut DdEval, ev: &IntervalEval, r: Reg) {
    match ev.get(r) {
        Ok(x) => dd.set(r, DdInterval::from_interval(x)),
        Err(f) => match CertainFault::of(&f.error) {
            Some(fault) => dd.set_fault(r, fault),
            None => dd.set(r, None),
        },
    }
}

/// The direction a quantity's cells are rounded in.
fn bound_rounding(bound: Bound) -> Round {
    match bound {
        Bound::Upper => Round::Up,
        Bound::Lower => Round::Down,
        Bound::Exact => Round::Nearest,
    }
}

/// Parameter `k`'s bit in a dependency set; parameters past the 127th share the last bit, which
/// can only cause extra recomputation.
fn param_bit(k: usize) -> u128 {
    1u128 << k.min(127)
}

/// True when an undecided predicate is so because a side is undefined at every point (a
/// certain fault), which no precision changes.
fn undefined(p: &Predicate, ev: &IntervalEval) -> bool {
    p.parts.iter().any(|c| {
        [c.lhs, c.rhs]
            .iter()
            .any(|&r| ev.get(r).is_err_and(|f| f.error.is_certain()))
    })
}

fn verdict(p: &Predicate, ev: &IntervalEval, exact: Option<&RationalEval>) -> Truth {
    p.parts
        .iter()
        .map(|c| decide(c, ev, exact).truth)
        .fold(Truth::True, Truth::and)
}
