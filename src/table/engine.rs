//! Computing a table: the cells of each row, certified. Registers are evaluated once per row
//! only where they depend on a parameter that changed since the previous row (a grid's inner
//! axes change fastest, so what depends only on outer axes, or on axes with a single value, is
//! computed once per outer point or once per block); axis values are enclosed once.
//!
//! A row's cells are filled by one function, `Plan::fill_row`, from one of three cell
//! sources, tried in this order:
//!
//! - the double-double road (`DdSource`): a grid row where only the innermost varying axis
//!   changed is computed with double-double intervals ([`crate::arith::dd`], certified like
//!   MPFR, about 100 bits) from the registers of the outer point, which MPFR computed and handed
//!   over; each cell is rounded with exact integer arithmetic, and a rational quantity on a
//!   rounding boundary is settled from its exact value;
//! - the MPFR road (`MpfrSource`) at the precision the digits need;
//! - the exact road (`ExactSource`): exact rationals where they decide, and the working
//!   precision doubled, up to 16×.
//!
//! Whatever a source cannot settle (an operation it does not cover, a cell on a rounding
//! boundary, an undecided verdict) sends the row to the next, so the output is the same
//! whichever road a row takes.

use super::cell::{Cell, Unmet};
use super::grid::{Grid, Sweep};
use super::meta::{Head, Rounding};
use crate::arith::dd::DdInterval;
use crate::arith::decimal::{
    common_rounding, common_rounding_dd_into, decimal, rational, rational_rounding,
};
use crate::arith::{ArithError, Interval, Truth};
use crate::error::{Result, Usage};
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
    /// How the column's cells are obtained, for headers and captions.
    pub fn rounding(&self) -> Rounding {
        match &self.kind {
            ColumnKind::Parameter(_) => Rounding::Exact,
            ColumnKind::Quantity(_, Bound::Upper) => Rounding::Up,
            ColumnKind::Quantity(_, Bound::Lower) => Rounding::Down,
            ColumnKind::Quantity(_, Bound::Exact) => Rounding::Nearest,
            ColumnKind::Verdict(_) => Rounding::Verdict,
        }
    }

    /// The column's header.
    pub fn head(&self) -> Head {
        Head {
            name: self.name.clone(),
            symbol: self.symbol.clone(),
            latex: self.latex.clone(),
            rounding: self.rounding(),
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
            known.extend(
                t.hypotheses
                    .iter()
                    .filter(|h| !h.step)
                    .map(|h| h.name.as_str()),
            );
            known.extend(t.claims.iter().filter(|h| !h.step).map(|h| h.name.as_str()));
            Err(Usage::NotA {
                context: Some("--columns".into()),
                name: n.clone(),
                kind: "parameter, quantity, hypothesis or claim".into(),
                of: t.name.clone(),
                known: Some((
                    "choose from".into(),
                    known.iter().map(|k| k.to_string()).collect(),
                )),
            }
            .into())
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
                .map_err(|e| Usage::at(format!("sweep row {}", i + 1), e))?;
            out.push(inputs[..model.theory.parameters.len()].to_vec());
        }
        Ok(Rows::Sweep(out))
    }
}

/// The cells of rows `from..to`, and for each row its unmet hypotheses (empty when all hold).
pub struct Computed {
    pub cells: Vec<Vec<Cell>>,
    pub failing: Vec<Vec<Unmet>>,
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
        let order = tape
            .slice(&roots)
            .into_iter()
            .filter(|&i| i >= n_inputs)
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
        let fast_rows = self.compute_with(rows, from, to, &mut |cells, unmet| {
            cells_out.push(cells.to_vec());
            failing_out.push(unmet.to_vec());
        });
        Computed {
            cells: cells_out,
            failing: failing_out,
            fast_rows,
        }
    }

    /// Computes rows `from..to` with one evaluator, handing each row's cells and unmet
    /// hypotheses to `sink` in order (the slices are reused from row to row). Returns how many
    /// rows the double-double road settled.
    pub fn compute_with(
        &self,
        rows: &Rows,
        from: u128,
        to: u128,
        sink: &mut dyn FnMut(&[Cell], &[Unmet]),
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
        let mut cell_buf: Vec<Cell> = vec![Cell::default(); self.columns.len()];
        let mut unmet_buf: Vec<Unmet> = Vec::new();
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
                let mut src = DdSource {
                    dd: &dd,
                    exact: &mut exact,
                };
                let mut settled = self.fill_row(
                    &mut src,
                    &texts,
                    Some(&outer),
                    &mut cell_buf,
                    &mut unmet_buf,
                );
                if settled == Err(Open::Transcendental) {
                    // once more with double-double-accurate logarithms and exponentials
                    dd.accurate = true;
                    dd.run_selected(tape, &inner_list);
                    dd.accurate = false;
                    let mut src = DdSource {
                        dd: &dd,
                        exact: &mut exact,
                    };
                    settled = self.fill_row(
                        &mut src,
                        &texts,
                        Some(&outer),
                        &mut cell_buf,
                        &mut unmet_buf,
                    );
                }
                if settled.is_ok() {
                    fast_rows += 1;
                    mpfr_stale |= changed;
                    sink(&cell_buf, &unmet_buf);
                    continue;
                }
            }
            // The MPFR road: bring every register up to date.
            select(&mut list, changed | mpfr_stale, &|_| true);
            ev.run_selected(tape, &list);
            mpfr_stale = 0;
            let mut src = MpfrSource { ev: &ev };
            if self
                .fill_row(&mut src, &texts, None, &mut cell_buf, &mut unmet_buf)
                .is_err()
            {
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
                self.fill_exact(&owned, &texts, &mut cell_buf, &mut unmet_buf);
            }
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
                outer.update(self, *inner, &cell_buf, &unmet_buf);
            }
            sink(&cell_buf, &unmet_buf);
        }
        fast_rows
    }

    /// Fills `cells` and `unmet` for one row from `src`: a parameter's cell is its printed
    /// value `texts[k]`; a quantity's cell is what the source reads of its register (a decimal
    /// rounded in the direction of its bound, an enclosure, or [`Cell::undefined`]); a verdict
    /// and each hypothesis are the source's verdict of their predicate. A hypothesis that fails
    /// is [`Unmet::Fails`], one left open by an undefined side [`Unmet::Undefined`], one the
    /// source leaves undecided [`Unmet::Undecided`]. With `outer`, the cells (and the unmet
    /// hypotheses) the outer grid point already settled are copied instead. Returns why the
    /// row is open at the first cell the source cannot settle (then the buffers hold nothing
    /// useful); every cell is written otherwise.
    fn fill_row<S: CellSource>(
        &self,
        src: &mut S,
        texts: &[String],
        outer: Option<&OuterCells>,
        cells: &mut [Cell],
        unmet: &mut Vec<Unmet>,
    ) -> Result<(), Open> {
        for (j, (c, cell)) in self.columns.iter().zip(cells.iter_mut()).enumerate() {
            if let Some(known) = outer.and_then(|o| o.cells.get(j)).and_then(Option::as_ref) {
                cell.assign(known);
                continue;
            }
            match &c.kind {
                ColumnKind::Parameter(k) => cell.decimal_buffer().push_str(&texts[*k]),
                ColumnKind::Quantity(r, bound) => {
                    match src.quantity(self, j, *r, *bound, cell.decimal_buffer())? {
                        Reading::Written => {}
                        Reading::Enclosure { lo, hi } => *cell = Cell::Enclosure { lo, hi },
                        Reading::Undefined(fault) => *cell = Cell::undefined(&fault),
                    }
                }
                ColumnKind::Verdict(p) => *cell = Cell::Verdict(src.verdict(self, p)?.0),
            }
        }
        unmet.clear();
        if let Some(known) = outer.and_then(|o| o.unmet.as_ref()) {
            unmet.extend(known.iter().cloned());
            return Ok(());
        }
        for (name, p) in &self.hyps {
            match src.verdict(self, p)? {
                (Truth::True, _) => {}
                (Truth::False, _) => unmet.push(Unmet::Fails(name.clone())),
                (Truth::Unknown, true) => unmet.push(Unmet::Undefined(name.clone())),
                (Truth::Unknown, false) => unmet.push(Unmet::Undecided(name.clone())),
            }
        }
        Ok(())
    }

    /// A row recomputed from its exact parameter `values` (printed as `texts`): exact rational
    /// decisions and cells where both sides or the quantity are rational, and the working
    /// precision doubled until the row is settled, up to 16×; at 16× what is still open is
    /// given as the source leaves it ([`ExactSource`]).
    fn fill_exact(
        &self,
        values: &[Rational],
        texts: &[String],
        cells: &mut [Cell],
        unmet: &mut Vec<Unmet>,
    ) {
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
            let mut src = ExactSource {
                ev: &ev,
                exact: &exact,
                last,
            };
            if self.fill_row(&mut src, texts, None, cells, unmet).is_ok() || last {
                return;
            }
            prec = prec.saturating_mul(2);
        }
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
}

/// What a cell source reads of a quantity's register.
enum Reading {
    /// Its decimal, written into the buffer given.
    Written,
    /// Its enclosure's ends, rounded outward (a correctly rounded quantity still straddling a
    /// decimal where the source can go no further).
    Enclosure { lo: String, hi: String },
    /// Undefined, for this reason, in a way no precision changes (as the source judges it).
    Undefined(ArithError),
}

/// Where the cells of one row come from: the registers of one evaluation, read and rounded.
/// [`Plan::fill_row`] asks it for each quantity and each predicate; `Err` says the row is open
/// here, and why.
trait CellSource {
    /// Quantity column `j`, register `r`: its decimal rounded to the plan's digits in the
    /// direction of `bound` (up for an upper bound, down for a lower one, to nearest
    /// otherwise), written into the empty `out`; or another reading.
    fn quantity(
        &mut self,
        plan: &Plan,
        j: usize,
        r: Reg,
        bound: Bound,
        out: &mut String,
    ) -> Result<Reading, Open>;

    /// The verdict of `p` at the row, and whether a side of it is undefined (which no
    /// precision changes). `Ok((Unknown, false))` only from a source that settles for
    /// "undecided".
    fn verdict(&mut self, plan: &Plan, p: &Predicate) -> Result<(Truth, bool), Open>;
}

/// The MPFR road's first pass: the registers of an [`IntervalEval`] at the plan's starting
/// precision. A quantity is settled when both ends of its enclosure round to the same decimal,
/// undefined when its fault is certain; a verdict is settled when decided or when a side's
/// fault is certain. Anything else is open.
struct MpfrSource<'a> {
    ev: &'a IntervalEval,
}

impl CellSource for MpfrSource<'_> {
    fn quantity(
        &mut self,
        plan: &Plan,
        _: usize,
        r: Reg,
        bound: Bound,
        out: &mut String,
    ) -> Result<Reading, Open> {
        match self.ev.get(r) {
            Ok(x) => {
                // Both ends must round to the same decimal, so that the cell is the value's own
                // rounding (up, down or to nearest), whatever the precision.
                *out = common_rounding(x, plan.digits, bound_rounding(bound)).ok_or(Open::Other)?;
                Ok(Reading::Written)
            }
            // undefined at every point: no precision will change that
            Err(f) if f.error.is_certain() => Ok(Reading::Undefined(f.error.clone())),
            Err(_) => Err(Open::Other),
        }
    }

    fn verdict(&mut self, _: &Plan, p: &Predicate) -> Result<(Truth, bool), Open> {
        match verdict(p, self.ev, None) {
            Truth::Unknown if undefined(p, self.ev) => Ok((Truth::Unknown, true)),
            Truth::Unknown => Err(Open::Other),
            t => Ok((t, false)),
        }
    }
}

/// The double-double road: the registers of a [`DdEval`] (an inner grid row). A quantity is
/// rounded with exact integer arithmetic; one on a rounding boundary is settled from its exact
/// rational value when it has one (`exact`, by column); a register without a double-double
/// enclosure leaves the row open, as does an undecided verdict without an undefined side.
/// Faults here are certain ones.
struct DdSource<'a> {
    dd: &'a DdEval,
    exact: &'a mut dyn FnMut(usize) -> Option<String>,
}

impl DdSource<'_> {
    /// Register `r`: its enclosure, its (certain) fault, or `None` when it has none here.
    fn side(&self, r: Reg) -> Option<Result<&DdInterval, ArithError>> {
        match self.dd.get(r) {
            Ok(x) => Some(Ok(x)),
            Err(DdMiss::Fault(e)) => Some(Err(e.error())),
            Err(DdMiss::Unsupported) => None,
        }
    }
}

impl CellSource for DdSource<'_> {
    fn quantity(
        &mut self,
        plan: &Plan,
        j: usize,
        r: Reg,
        bound: Bound,
        out: &mut String,
    ) -> Result<Reading, Open> {
        match self.side(r) {
            None => Err(Open::Unavailable),
            Some(Ok(x)) => {
                if !common_rounding_dd_into(out, x, plan.digits, bound_rounding(bound)) {
                    // on a rounding boundary: a rational quantity is settled exactly
                    match plan.exact_lists[j].as_ref().and_then(|_| (self.exact)(j)) {
                        Some(text) => out.push_str(&text),
                        None => return Err(plan.open_at(&[r])),
                    }
                }
                Ok(Reading::Written)
            }
            Some(Err(e)) => Ok(Reading::Undefined(e)),
        }
    }

    fn verdict(&mut self, plan: &Plan, p: &Predicate) -> Result<(Truth, bool), Open> {
        let mut truth = Truth::True;
        let mut undefined = false;
        for c in &p.parts {
            let t = match (self.side(c.lhs), self.side(c.rhs)) {
                (Some(Ok(a)), Some(Ok(b))) => a.compare(c.op, b),
                (None, _) | (_, None) => return Err(plan.open_in(p)),
                _ => {
                    undefined = true;
                    Truth::Unknown
                }
            };
            truth = truth.and(t);
        }
        if truth == Truth::Unknown && !undefined {
            return Err(plan.open_in(p));
        }
        Ok((truth, undefined))
    }
}

/// The exact road: an [`IntervalEval`] at a raised precision with the row's exact rational
/// registers beside it. A quantity with an exact value is that value's rounding; any fault
/// makes it undefined; a verdict is decided exactly where both sides are rational, and an
/// undefined side is one [`Plan::undefined_exactly`] finds. On the `last` pass nothing is left
/// open: a quantity still straddling a decimal gives the end that keeps its bound (an upper
/// bound the upper end, a lower bound the lower end) or, rounded to nearest, both ends rounded
/// outward; a verdict still unknown is undecided.
struct ExactSource<'a> {
    ev: &'a IntervalEval,
    exact: &'a RationalEval,
    last: bool,
}

impl CellSource for ExactSource<'_> {
    fn quantity(
        &mut self,
        plan: &Plan,
        _: usize,
        r: Reg,
        bound: Bound,
        out: &mut String,
    ) -> Result<Reading, Open> {
        let x = match self.ev.get(r) {
            Ok(x) => x,
            Err(f) => return Ok(Reading::Undefined(f.error.clone())),
        };
        let dir = bound_rounding(bound);
        if let Some(q) = self.exact.get(r) {
            *out = rational_rounding(q, plan.digits, dir);
            return Ok(Reading::Written);
        }
        let a = decimal(x.lo(), plan.digits, dir);
        let b = decimal(x.hi(), plan.digits, dir);
        if a == b {
            *out = a;
        } else if !self.last {
            return Err(Open::Other);
        } else {
            // still straddling a decimal: the end that keeps the bound
            match bound {
                Bound::Upper => *out = b,
                Bound::Lower => *out = a,
                Bound::Exact => {
                    return Ok(Reading::Enclosure {
                        lo: decimal(x.lo(), plan.digits, Round::Down),
                        hi: decimal(x.hi(), plan.digits, Round::Up),
                    });
                }
            }
        }
        Ok(Reading::Written)
    }

    fn verdict(&mut self, plan: &Plan, p: &Predicate) -> Result<(Truth, bool), Open> {
        match verdict(p, self.ev, Some(self.exact)) {
            Truth::Unknown => {
                let undefined = plan.undefined_exactly(p, self.ev, self.exact);
                if !undefined && !self.last {
                    return Err(Open::Other);
                }
                Ok((Truth::Unknown, undefined))
            }
            t => Ok((t, false)),
        }
    }
}

/// Why a cell source left a row open.
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
    cells: Vec<Option<Cell>>,
    /// The unmet hypotheses, when no hypothesis depends on the inner axis.
    unmet: Option<Vec<Unmet>>,
}

impl OuterCells {
    fn update(&mut self, plan: &Plan, inner: u128, cells: &[Cell], unmet: &[Unmet]) {
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
        self.unmet = plan
            .hyps
            .iter()
            .all(|(_, p)| outer_pred(p))
            .then(|| unmet.to_vec());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::grid::parse_axis;
    use crate::theory::Theory;

    const EDGE: &str = r#"
[result]
name = "edge"
title = "Edge cases of the cell sources"
cite = "tests"

[[parameter]]
name = "x"
symbol = "x"
meaning = "a positive number"
domain = "x > 0"

[[definition]]
name = "root"
expr = "sqrt(x)"
meaning = "irrational for most x"
cite = "tests"

[[definition]]
name = "root_up"
expr = "sqrt(x)"
bound = "upper"
meaning = "the same, as an upper bound"
cite = "tests"

[[definition]]
name = "bad_log"
expr = "log(x - 1)"
meaning = "undefined for x ≤ 1"
cite = "tests"

[[hypothesis]]
name = "squares_back"
expr = "sqrt(x)^2 == x"
cite = "tests"

[[claim]]
name = "logged"
expr = "bad_log < 1"
cite = "tests"

[example]
x = "2"
"#;

    fn plan_rows<'m>(model: &'m Model, x: &str, digits: usize, prec: u32) -> (Plan<'m>, Rows) {
        let names: Vec<String> = ["x", "root", "root_up", "bad_log", "logged"]
            .map(String::from)
            .to_vec();
        let plan = Plan::new(model, columns(model, &names).unwrap(), digits, prec);
        let grid = Grid {
            axes: vec![parse_axis("x", x).unwrap()],
        };
        (plan, Rows::Grid(grid))
    }

    /// Every road gives an undefined quantity the one typed cell, and the MPFR road's cells
    /// are those of the double-double road.
    #[test]
    fn undefined_cells_are_one_value_on_every_road() {
        // a hypothesis the double-double road decides (it leaves equalities to the others)
        let text = EDGE.replace("sqrt(x)^2 == x", "x <= 10");
        let model = Model::compile(Theory::parse(&text, "edge.toml").unwrap()).unwrap();
        let (fast, rows) = plan_rows(&model, "0.5,0.25,0.75,2", 6, 256);
        let (mut slow, _) = plan_rows(&model, "0.5,0.25,0.75,2", 6, 256);
        slow.fast_road = false;
        let f = fast.compute(&rows, 0, 4);
        let s = slow.compute(&rows, 0, 4);
        assert!(f.fast_rows >= 1, "{}", f.fast_rows);
        assert_eq!(f.cells, s.cells);
        assert_eq!(f.failing, s.failing);
        let log = ArithError::LogOfNonPositive { certain: true };
        for row in &f.cells[..3] {
            assert_eq!(row[3], Cell::undefined(&log));
            assert_eq!(row[4], Cell::Verdict(Truth::Unknown));
        }
        assert_eq!(f.cells[0][1], Cell::Decimal("0.707107".into()));
        assert_eq!(f.cells[0][2], Cell::Decimal("0.707107".into()));
        assert_eq!(f.cells[3][3], Cell::Decimal("0".into()));
        assert_eq!(f.cells[3][4], Cell::Verdict(Truth::True));
    }

    /// At the last precision the exact road settles for what it has: the end that keeps an
    /// upper bound, the enclosure of a correctly rounded quantity, an undecided hypothesis.
    #[test]
    fn the_last_pass_leaves_nothing_open() {
        let model = Model::compile(Theory::parse(EDGE, "edge.toml").unwrap()).unwrap();
        // 100 digits need about 333 bits; 16 bits raised 16× are 256
        let (plan, rows) = plan_rows(&model, "2", 100, 16);
        let c = plan.compute(&rows, 0, 1);
        let Cell::Enclosure { lo, hi } = &c.cells[0][1] else {
            panic!("{:?}", c.cells[0][1])
        };
        assert!(lo.starts_with("1.41421356") && hi.starts_with("1.41421356") && lo < hi);
        let Cell::Decimal(up) = &c.cells[0][2] else {
            panic!("{:?}", c.cells[0][2])
        };
        assert!(up.starts_with("1.41421356") && up.as_str() > lo.as_str());
        assert_eq!(c.failing[0], [Unmet::Undecided("squares_back".into())]);
    }
}
