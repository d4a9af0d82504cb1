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
use crate::expr::simplify::simplify_over;
use crate::expr::{IntervalEval, Predicate, Reg, Tape, differentiate};
use rug::Float;
use rug::Rational;
pub use sgdbounds_replay::format::{Method, Node as CertNode};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

/// How many undecided cells a result keeps, to look for witnesses in.
pub const MAX_UNDECIDED_CELLS: usize = 64;

#[derive(Clone, Copy, Debug)]
pub struct ProveOptions {
    pub prec: u32,
    pub max_boxes: usize,
    pub deadline: Option<Instant>,
    /// Cells deeper than this are left undecided.
    pub max_depth: u32,
    /// The claim is known to hold wherever its sides are defined (an identity of rational
    /// functions): a cell is proved once every definedness obligation of the claim's sides
    /// holds on it (or a used hypothesis certainly fails there).
    pub definedness_only: bool,
    /// Record the tree of cells ([`ProofResult::tree`]) for a certificate.
    pub record: bool,
}

/// What the prover established.
#[derive(Clone, Debug, Default)]
pub struct ProofResult {
    /// Share of the box where the claim was proved.
    pub proved: f64,
    /// Share of the box where a used hypothesis (or a domain) certainly fails.
    pub vacuous: f64,
    /// Share left undecided (budget or depth exhausted), and some such cells, the deepest
    /// first (at most [`MAX_UNDECIDED_CELLS`]).
    pub undecided: f64,
    pub undecided_cells: Vec<Cell>,
    /// A cell where the hypotheses hold and the claim fails at every point.
    pub refuted: Option<Cell>,
    pub boxes: usize,
    /// Why the prover stopped early, if it did.
    pub stopped: Option<String>,
    /// With [`ProveOptions::record`]: every cell the box was cut into, the root first.
    pub tree: Vec<TreeCell>,
    /// With [`ProveOptions::record`]: the normal forms of the claim's comparisons and
    /// definedness obligations, as text for a certificate.
    pub forms: Vec<sgdbounds_replay::format::FormCert>,
}

/// A cell of a proof's tree: split in two (by index into the tree), settled, or not yet.
#[derive(Clone, Debug)]
pub enum TreeCell {
    Open,
    Split {
        coord: usize,
        /// The lower child's upper end and the upper child's lower end (equal, except for an
        /// integer coordinate: m and m + 1).
        at: (Float, Float),
        children: [usize; 2],
    },
    Settled(Method),
}

impl TreeCell {
    /// The tree in preorder from `root`, in the certificate's form, coordinates renumbered by
    /// `index` (a coordinate the claim does not depend on is never split).
    pub fn preorder(tree: &[TreeCell], index: &[Option<usize>]) -> Option<Vec<CertNode>> {
        let mut out = Vec::with_capacity(tree.len());
        let mut stack = vec![0usize];
        while let Some(i) = stack.pop() {
            match tree.get(i)? {
                TreeCell::Open => return None,
                TreeCell::Settled(m) => out.push(CertNode::Leaf(*m)),
                TreeCell::Split {
                    coord,
                    at,
                    children,
                } => {
                    let k = index.get(*coord).copied().flatten()?;
                    out.push(if at.0 == at.1 {
                        CertNode::Split(k, dyadic(&at.0)?)
                    } else {
                        CertNode::SplitInteger(k, dyadic(&at.0)?, dyadic(&at.1)?)
                    });
                    stack.push(children[1]);
                    stack.push(children[0]);
                }
            }
        }
        Some(out)
    }
}

/// A finite float as the exact dyadic `Mp±E` (M·2^E).
pub fn dyadic(x: &Float) -> Option<String> {
    let (m, e) = x.to_integer_exp()?;
    Some(format!("{m}p{e}"))
}

/// The most bytes of one normal form's text in a certificate.
const MAX_FORM_TEXT: usize = 1 << 18;

/// The normal forms of the plans' comparisons, of their cases' region negations and of
/// their obligations that have one, as the kernel reads them
/// ([`sgdbounds_replay::format::FormCert`]): each text in the tape's input names, kept only
/// when the kernel's parser reads it, each once.
fn recorded_forms<'p>(
    plans: impl Iterator<Item = &'p Plan>,
) -> Vec<sgdbounds_replay::format::FormCert> {
    let mut out: Vec<sgdbounds_replay::format::FormCert> = Vec::new();
    for plan in plans {
        out.extend(plan_forms(plan));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert(format!("{f:?}")));
    out
}

fn plan_forms(plan: &Plan) -> Vec<sgdbounds_replay::format::FormCert> {
    let text = |r: Reg| {
        crate::expr::render::render(&plan.tape, r, MAX_FORM_TEXT)
            .filter(|t| sgdbounds_replay::parse::expr(t).is_ok())
    };
    let form = |factor: Option<Reg>, rest: Reg, variants: Vec<(Option<Reg>, Reg)>| {
        let factor = match factor {
            Some(f) => Some(text(f)?),
            None => None,
        };
        let variants = variants
            .into_iter()
            .filter_map(|(m, q)| {
                let m = match m {
                    Some(m) => text(m)?,
                    None => "1".to_string(),
                };
                Some((m, text(q)?))
            })
            .collect();
        Some(sgdbounds_replay::format::FormCert {
            factor,
            rest: text(rest)?,
            variants,
        })
    };
    let mut out: Vec<sgdbounds_replay::format::FormCert> = Vec::new();
    for p in plan.parts.iter().chain(&plan.negations) {
        let variants = p
            .nested
            .iter()
            .map(|(r, _)| (None, *r))
            .chain(p.scaled.iter().zip(&p.multipliers).map(|(s, m)| (*m, s.0)))
            .collect();
        out.extend(form(p.factor, p.rest, variants));
    }
    for o in plan.obligations.iter().filter(|o| o.normal_form) {
        out.extend(form(o.factor, o.rest, Vec::new()));
    }
    out
}

/// One comparison of the claim prepared for refinement. Its difference g = (greater side) −
/// (smaller side) is put in normal form g = factor · rest (see [`crate::expr::simplify`]); the
/// sign of g is that of the factor times that of the rest, each decided separately.
struct Part {
    op: CmpOp,
    lhs: Reg,
    rhs: Reg,
    g: Reg,
    factor: Option<Reg>,
    rest: Reg,
    /// Registers that must be positive on a cell for the normal form to equal g there.
    conditions: Vec<Reg>,
    grad_factor: Vec<Option<Reg>>,
    grad_rest: Vec<Option<Reg>>,
    /// The rest expanded as a polynomial in the coordinates and rebuilt nested, one
    /// coordinate at a time (`Σᵢ x₁ⁱ·Pᵢ(x₂, …)`), in the box's order and in the reverse order,
    /// when the rest is a polynomial of at most [`MAX_NESTED_TERMS`] terms: tried when the rest
    /// as it is fails, since coordinates fixed at a face then cancel exactly inside the
    /// coefficients (which coordinates should be inner depends on the claim). Each with its
    /// gradient.
    nested: Vec<(Reg, Vec<Option<Reg>>)>,
    /// The rest rescaled by powers of some of its atoms ([`crate::expr::simplify::NormalForm::scaled`]), with those
    /// atoms (each must be positive on the cell for the form to have the rest's sign) and the
    /// form's gradient: tried when the rest fails, for an atom unbounded on the cell (`log ζ`
    /// as T₂ → ∞) or a coordinate whose reciprocal is (`u` in the chart `s/u`).
    scaled: Vec<(Reg, Vec<Reg>, Vec<Option<Reg>>)>,
    /// For each scaled form, the rest divided by it (a monomial in its atoms; `None` for 1):
    /// written into certificates.
    multipliers: Vec<Option<Reg>>,
}

/// The most terms of a rest rebuilt as a nested polynomial.
const MAX_NESTED_TERMS: usize = 400;

/// The polynomial `terms` (exponent vectors over the first coordinates, coefficients) as
/// registers, nested in the coordinates `vars` in order: `Σᵢ x^i·P_i` with `x = vars[0]` and
/// each `P_i` nested in the others.
fn nested_polynomial(
    tape: &mut Tape,
    terms: &[(Vec<u32>, Rational)],
    vars: &[usize],
    origin: crate::expr::Origin,
) -> Reg {
    use crate::expr::Op;
    let Some((&x, inner)) = vars.split_first() else {
        let total = terms.iter().fold(Rational::new(), |acc, (_, c)| acc + c);
        return tape.constant(&total, origin);
    };
    let mut by_power: std::collections::BTreeMap<u32, Vec<(Vec<u32>, Rational)>> =
        std::collections::BTreeMap::new();
    for t in terms {
        by_power.entry(t.0[x]).or_default().push(t.clone());
    }
    let mut sum: Option<Reg> = None;
    for (k, group) in by_power {
        let coef = nested_polynomial(tape, &group, inner, origin);
        let term = match k {
            0 => coef,
            1 => tape.push(Op::Mul(x, coef), origin),
            k => {
                let p = tape.push(Op::PowInt(x, i64::from(k)), origin);
                tape.push(Op::Mul(p, coef), origin)
            }
        };
        sum = Some(match sum {
            None => term,
            Some(s) => tape.push(Op::Add(s, term), origin),
        });
    }
    sum.unwrap_or_else(|| tape.constant(&Rational::new(), origin))
}

/// What an operation needs of its operand to be defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Need {
    /// a divisor, or the base of a negative power: nonzero
    NonZero,
    /// under a square root: nonnegative
    NonNegative,
    /// under a logarithm, an atom with a fractional exponent: positive
    Positive,
    /// the base of a real power `a^b` (the exponent's register): `a > 0`, or `a ≥ 0` where
    /// `b > 0`, as the interval power defines it
    PowBase(Reg),
}

/// A definedness obligation of the claim's sides: register `reg` must satisfy `need` on the
/// whole cell. Checked plainly first, then through its normal form `factor · rest`, which
/// equals `reg` only where the normal form's `conditions` hold; each condition is an
/// obligation of its own, checked first (a cycle of conditions is never relied on).
struct Obligation {
    reg: Reg,
    need: Need,
    /// False when no normal form was built (past [`MAX_NORMAL_FORMS`] or the deadline):
    /// only the plain check applies.
    normal_form: bool,
    factor: Option<Reg>,
    rest: Reg,
    /// The obligations (indices) that the normal form's conditions are: each atom raised to
    /// a fractional power must be positive.
    conditions: Vec<usize>,
    grad_factor: Vec<Option<Reg>>,
    grad_rest: Vec<Option<Reg>>,
}

/// Where an obligation stands on the cell being refined.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Todo,
    /// being checked: a condition that leads back to it cannot be relied on
    Busy,
    Holds,
    Fails,
}

/// The most definedness obligations brought to normal form, with gradients (each costs a
/// pass over what it depends on, so thousands of chained divisions would make the set-up
/// quadratic); the others are checked plainly.
const MAX_NORMAL_FORMS: usize = 64;

struct HeapCell(Cell, usize);
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

/// True when every value `v` of `x` satisfies `v op 0` (`neg`: `−v op 0`), op being > or ≥.
fn positive(strict: bool, x: &Interval, neg: bool) -> bool {
    let end = if neg { x.hi() } else { x.lo() };
    let s = end.cmp0();
    match (s, neg, strict) {
        (None, ..) => false,
        (Some(o), false, true) => o == Ordering::Greater,
        (Some(o), false, false) => o != Ordering::Less,
        (Some(o), true, true) => o == Ordering::Less,
        (Some(o), true, false) => o != Ordering::Greater,
    }
}

/// Evaluation state shared by the refinements of one cell.
struct Refiner<'a> {
    tape: &'a Tape,
    aux: &'a mut IntervalEval,
    value_list: &'a [Reg],
    /// What the gradients need beyond `value_list`.
    grad_list: &'a [Reg],
    /// The coordinates' ranges (their open ends).
    ranges: &'a [crate::theory::Range],
    /// Registers written from the cell, not computed ([`Job::pinned`]).
    pinned: &'a [super::job::Pinned],
    prec: u32,
    n: usize,
}

/// Writes each pinned register `s/u` from the enclosure of `u` now loaded: `[s/hi, s/lo]`
/// rounded outward, with `+∞` above when the enclosure reaches 0 (u's range is open at 0, so
/// every point of the domain has `u > 0`); a fault when it reaches below 0. Needs the
/// evaluator in extended mode.
fn write_pinned(pinned: &[super::job::Pinned], ev: &mut IntervalEval) {
    use rug::float::{Round, Special};
    for p in pinned {
        let v = match ev.get(p.coord) {
            Ok(u) if u.lo().cmp0().is_some_and(|o| o != Ordering::Less) => {
                let prec = u.lo().prec();
                let lo = Float::with_val_round(prec, &p.scale, Round::Down).0;
                let hi = Float::with_val_round(prec, &p.scale, Round::Up).0;
                let lo = Float::with_val_round(prec, &lo / u.hi(), Round::Down).0;
                let hi = if u.lo().is_zero() {
                    Float::with_val(prec, Special::Infinity)
                } else {
                    Float::with_val_round(prec, &hi / u.lo(), Round::Up).0
                };
                Interval::new(lo, hi)
                    .ok_or(crate::arith::ArithError::DivisionByZero { certain: false })
            }
            _ => Err(crate::arith::ArithError::DivisionByZero { certain: false }),
        };
        ev.write(
            p.reg,
            v.map_err(|error| crate::expr::Fault { error, at: p.reg }),
        );
    }
}

impl Refiner<'_> {
    /// True when register `r` is positive at every point of the cell that lies in the
    /// claim's domain: its enclosure is, or it is a coordinate whose range is open at a lower
    /// end `0` (`(0, 1]`: every point of the range is positive though the cell reaches 0), or
    /// a product, quotient, power or root of such registers (a sum: one positive, the other
    /// nonnegative). Exact reasoning on the signs; no value is computed beyond the enclosures.
    fn domain_positive(&self, cell: &Cell, ev: &IntervalEval, r: Reg, depth: u32) -> bool {
        use crate::expr::Op;
        if ev.get(r).is_ok_and(|x| positive(true, x, false)) {
            return true;
        }
        if depth > 64 {
            return false;
        }
        let pos = |a: Reg| self.domain_positive(cell, ev, a, depth + 1);
        let enclosed_nonneg = |a: Reg| ev.get(a).is_ok_and(|x| positive(false, x, false));
        match self.tape.instrs[r].op {
            Op::Input(k) if k < self.n => {
                let range = &self.ranges[k];
                range.lo_open && range.lo == 0 && cell.lo[k].cmp0() != Some(Ordering::Less)
            }
            Op::Mul(a, b) | Op::Div(a, b) => pos(a) && pos(b),
            Op::PowInt(a, _) | Op::Sqrt(a) | Op::Pow(a, _) => pos(a),
            Op::Exp(_) => true,
            // each operand's positivity decided once (a sum of sums is walked once)
            Op::Add(a, b) => {
                let (na, nb) = (enclosed_nonneg(a), enclosed_nonneg(b));
                if na && nb {
                    // both enclosures ≥ 0: one positive operand is enough
                    pos(a) || pos(b)
                } else if na {
                    pos(b)
                } else if nb {
                    pos(a)
                } else {
                    pos(a) && pos(b)
                }
            }
            _ => false,
        }
    }

    /// True when register `r` is nonnegative at every point of the cell that lies in the
    /// claim's domain where it is defined: its enclosure is, or it is positive there
    /// ([`Refiner::domain_positive`]), or an even power, a square root, or a sum, product or
    /// quotient (by a positive divisor) of such registers. Exact reasoning on the signs.
    fn domain_nonneg(&self, cell: &Cell, ev: &IntervalEval, r: Reg, depth: u32) -> bool {
        use crate::expr::Op;
        if ev.get(r).is_ok_and(|x| positive(false, x, false)) {
            return true;
        }
        // small expressions only (normal forms' factors): the walk is a tree walk
        if depth > 16 {
            return false;
        }
        let nonneg = |a: Reg| self.domain_nonneg(cell, ev, a, depth + 1);
        match self.tape.instrs[r].op {
            Op::Mul(a, b) | Op::Add(a, b) => nonneg(a) && nonneg(b),
            Op::Div(a, b) => nonneg(a) && self.domain_positive(cell, ev, b, depth + 1),
            Op::PowInt(a, k) if k > 0 => k % 2 == 0 || nonneg(a),
            Op::Sqrt(_) | Op::Exp(_) | Op::Abs(_) => true,
            _ => self.domain_positive(cell, ev, r, depth),
        }
    }

    /// Tries to show `sign · r op 0` on the cell (op `>` when `strict`, else `≥`), given the
    /// enclosures of r and its gradient over the cell (`ev`): plainly, then with monotone
    /// coordinates fixed at the worst end, then by the mean-value form around the center.
    /// Adds the gradient's smear to `smear` when it fails.
    #[allow(clippy::too_many_arguments)]
    fn prove(
        &mut self,
        cell: &Cell,
        ev: &IntervalEval,
        r: Reg,
        grad: &[Option<Reg>],
        strict: bool,
        neg: bool,
        smear: &mut [f64],
    ) -> bool {
        if ev.get(r).is_ok_and(|x| positive(strict, x, neg))
            || (!neg && self.domain_positive(cell, ev, r, 0))
            || (!neg && !strict && self.domain_nonneg(cell, ev, r, 0))
        {
            return true;
        }
        let g: Vec<Option<Interval>> = grad
            .iter()
            .map(|d| match d {
                None => Some(Interval::zero(self.prec)),
                Some(d) => ev.get(*d).ok().cloned(),
            })
            .collect();
        for (k, gk) in g.iter().enumerate() {
            let w = (cell.hi[k].to_f64() - cell.lo[k].to_f64()).abs();
            smear[k] = smear[k].max(match gk {
                Some(gk) => gk.lo().to_f64().abs().max(gk.hi().to_f64().abs()) * w,
                None => f64::INFINITY,
            });
        }
        // Monotone coordinates: fix each at the end where sign·r is smallest; then the
        // gradient again on the cell so reduced (narrower, so tighter), until no coordinate
        // is left to fix. Each pass fixes at least one more coordinate, so at most n passes.
        // A coordinate whose partial derivative has no enclosure on the cell (∂√x/∂x at
        // x = 0) is never fixed, but the others still may be: monotonicity in x_k needs only
        // ∂r/∂x_k enclosed on the whole cell.
        let mut reduced = cell.clone();
        let mut g = g;
        // Set when a coordinate was fixed at an open end of its range with a strictly signed
        // derivative: every point of the domain then lies strictly inside that end, where
        // sign·r is strictly larger than on the face, so sign·r ≥ 0 on the face is enough
        // for sign·r > 0 on the domain.
        let mut strict_from_open_end = false;
        loop {
            let mut fixed = false;
            for (k, gk) in g.iter().enumerate() {
                if reduced.lo[k] == reduced.hi[k] {
                    continue;
                }
                let Some(gk) = gk.as_ref() else {
                    continue;
                };
                let up = gk.lo().cmp0().is_some_and(|o| o != Ordering::Less);
                let down = gk.hi().cmp0().is_some_and(|o| o != Ordering::Greater);
                let strictly = gk.lo().cmp0() == Some(Ordering::Greater)
                    || gk.hi().cmp0() == Some(Ordering::Less);
                let range = &self.ranges[k];
                if (up && !neg) || (down && neg) {
                    reduced.hi[k] = reduced.lo[k].clone();
                    fixed = true;
                    strict_from_open_end |= strictly && range.lo_open && reduced.lo[k] <= range.lo;
                } else if (down && !neg) || (up && neg) {
                    reduced.lo[k] = reduced.hi[k].clone();
                    fixed = true;
                    strict_from_open_end |= strictly && range.hi_open && reduced.hi[k] >= range.hi;
                }
            }
            reduced.load(self.aux);
            write_pinned(self.pinned, self.aux);
            self.aux.run_selected(self.tape, self.value_list);
            if self
                .aux
                .get(r)
                .is_ok_and(|x| positive(strict && !strict_from_open_end, x, neg))
            {
                return true;
            }
            if !fixed || (0..self.n).all(|k| reduced.lo[k] == reduced.hi[k]) {
                break;
            }
            self.aux.run_selected(self.tape, self.grad_list);
            let next: Vec<Option<Interval>> = grad
                .iter()
                .map(|d| match d {
                    None => Some(Interval::zero(self.prec)),
                    Some(d) => self.aux.get(*d).ok().cloned(),
                })
                .collect();
            g = next;
        }
        // Mean-value form on the reduced cell around its center: every coordinate left free
        // needs its partial derivative enclosed.
        if (0..self.n).any(|k| reduced.lo[k] != reduced.hi[k] && g[k].is_none()) {
            return false;
        }
        let center: Vec<Float> = (0..self.n)
            .map(|k| Float::with_val(self.prec, &reduced.lo[k] + &reduced.hi[k]) / 2u32)
            .collect();
        for (k, c) in center.iter().enumerate() {
            self.aux.set_input_bounds(k, c, c);
        }
        write_pinned(self.pinned, self.aux);
        self.aux.run_selected(self.tape, self.value_list);
        let Ok(gc) = self.aux.get(r) else {
            return false;
        };
        let mut acc = gc.clone();
        let mut tmp = Interval::zero(self.prec);
        let mut sum = Interval::zero(self.prec);
        let mut scratch = crate::arith::Scratch::new(self.prec);
        for k in 0..self.n {
            if reduced.lo[k] == reduced.hi[k] {
                continue;
            }
            // ordered whatever the center: lo − c rounded down ≤ hi − c rounded up
            let Some(dx) = Interval::new(
                Float::with_val_round(
                    self.prec,
                    &reduced.lo[k] - &center[k],
                    rug::float::Round::Down,
                )
                .0,
                Float::with_val_round(
                    self.prec,
                    &reduced.hi[k] - &center[k],
                    rug::float::Round::Up,
                )
                .0,
            ) else {
                return false;
            };
            let Some(gk) = g[k].as_ref() else {
                return false;
            };
            if iv::mul(&mut tmp, gk, &dx, &mut scratch).is_err()
                || iv::add(&mut sum, &acc, &tmp).is_err()
            {
                return false;
            }
            acc.assign(&sum);
        }
        positive(strict, &acc, neg)
    }
}

/// True when every obligation holds on the whole cell: plainly, or through its normal form
/// (sign of the factor, then of the rest, each refined by monotonicity and the mean-value form)
/// where the normal form's conditions hold.
/// Whether every obligation holds on the whole cell (plainly, or through its normal form), and
/// whether every one that does not is delegable to the claim's cases (`delegable`).
fn all_defined(
    obligations: &[Obligation],
    delegable: &[bool],
    cell: &Cell,
    ev: &IntervalEval,
    r: &mut Refiner,
    smear: &mut [f64],
) -> (bool, bool) {
    let mut marks = vec![Mark::Todo; obligations.len()];
    let mut all = true;
    for i in 0..obligations.len() {
        if !obligation_holds(i, obligations, &mut marks, cell, ev, r, smear) {
            all = false;
            if !delegable.get(i).copied().unwrap_or(false) {
                return (false, false);
            }
        }
    }
    (all, true)
}

fn obligation_holds(
    i: usize,
    obligations: &[Obligation],
    marks: &mut [Mark],
    cell: &Cell,
    ev: &IntervalEval,
    r: &mut Refiner,
    smear: &mut [f64],
) -> bool {
    match marks[i] {
        Mark::Holds => return true,
        Mark::Fails | Mark::Busy => return false,
        Mark::Todo => {}
    }
    marks[i] = Mark::Busy;
    let o = &obligations[i];
    // a real power's exponent certainly positive: its base may be 0
    let exponent_positive = match o.need {
        Need::PowBase(b) => ev.get(b).is_ok_and(|x| positive(true, x, false)),
        _ => false,
    };
    let plain = ev.get(o.reg).is_ok_and(|x| match o.need {
        Need::Positive => positive(true, x, false),
        Need::NonNegative => positive(false, x, false),
        Need::NonZero => positive(true, x, false) || positive(true, x, true),
        Need::PowBase(_) => positive(!exponent_positive, x, false),
    }) || r.domain_positive(cell, ev, o.reg, 0);
    let holds = plain
        || (o.normal_form
            && o.conditions
                .iter()
                .all(|&j| obligation_holds(j, obligations, marks, cell, ev, r, smear))
            && by_normal_form(o, exponent_positive, cell, ev, r, smear));
    marks[i] = if holds { Mark::Holds } else { Mark::Fails };
    holds
}

/// The sign the obligation needs, shown for `factor · rest` (its conditions already hold).
fn by_normal_form(
    o: &Obligation,
    exponent_positive: bool,
    cell: &Cell,
    ev: &IntervalEval,
    r: &mut Refiner,
    smear: &mut [f64],
) -> bool {
    let strict = match o.need {
        Need::NonNegative => false,
        Need::PowBase(_) => !exponent_positive,
        _ => true,
    };
    let signs: &[bool] = if o.need == Need::NonZero {
        &[false, true]
    } else {
        &[false]
    };
    signs.iter().any(|&want_negative| {
        // sign(reg) = sign(factor)·sign(rest)
        let factor_neg = match o.factor {
            None => false,
            Some(f) => {
                if r.domain_positive(cell, ev, f, 0)
                    || r.prove(cell, ev, f, &o.grad_factor, strict, false, smear)
                {
                    false
                } else if r.prove(cell, ev, f, &o.grad_factor, strict, true, smear) {
                    true
                } else {
                    return false;
                }
            }
        };
        r.prove(
            cell,
            ev,
            o.rest,
            &o.grad_rest,
            strict,
            factor_neg != want_negative,
            smear,
        )
    })
}

/// Everything the branch and bound runs on, set up once per claim: a copy of the model's tape
/// with the claim's differences in normal form and their gradients appended, the
/// definedness obligations, and the registers each phase of a cell must compute.
struct Plan {
    tape: Tape,
    /// The claim on `tape` (the job's, or a case of it with minima and maxima resolved).
    claim: Predicate,
    /// The hypotheses that make a cell vacuous: the job's, and a case's conditions.
    hyps: Vec<Predicate>,
    parts: Vec<Part>,
    obligations: Vec<Obligation>,
    /// Per obligation: whether its register holds a minimum or maximum that the claim's cases
    /// resolve ([`case_plans`]) and is not itself inside one. Such an obligation may be shown
    /// by the cases instead (each case has its image among its own obligations, and on the
    /// case's region the two registers are equal); every other obligation must hold here.
    delegable: Vec<bool>,
    /// For a case of the claim's minima and maxima: the negation of each comparison of its
    /// region (`pick > other` for a minimum's region `pick ≤ other`), in normal form. Where one
    /// is shown on a cell, the region misses the cell and the case says nothing there, even
    /// when the region's own enclosure is undefined at an open end (`1/(2c)` at `c → 0`).
    negations: Vec<Part>,
    /// What deciding the hypotheses and the claim needs, in tape order.
    base_list: Vec<Reg>,
    /// What the gradients need beyond `base_list`.
    grad_list: Vec<Reg>,
}

impl Plan {
    fn new(job: &Job, opts: &ProveOptions) -> Plan {
        let hyps = job.hyps.iter().map(|&h| h.clone()).collect();
        Plan::on(
            job,
            opts,
            job.model.tape.clone(),
            job.claim_pred().clone(),
            hyps,
            Predicate::default(),
        )
    }

    /// The plan for `claim` on `tape` (the model's tape with whatever the claim needs
    /// appended), cells made vacuous by `hyps`, and by any of `negations` shown
    /// ([`Plan::negations`]).
    fn on(
        job: &Job,
        opts: &ProveOptions,
        mut tape: Tape,
        claim: Predicate,
        hyps: Vec<Predicate>,
        negations: Predicate,
    ) -> Plan {
        let claim = with_constants_as_literals(job, &mut tape, claim);
        let mut parts = claim_parts(&claim, opts, &mut tape, job.dims(), &job.constants);
        let n_claim = parts.len();
        let with_nf = ProveOptions {
            definedness_only: false,
            ..*opts
        };
        parts.extend(claim_parts(
            &negations,
            &with_nf,
            &mut tape,
            job.dims(),
            &job.constants,
        ));
        let mut obligations =
            definedness_obligations(&parts[..n_claim], opts, &mut tape, job.dims());
        attach_gradients(job.dims(), &mut tape, &mut parts, &mut obligations);
        let (mut base_list, mut grad_list) = evaluation_lists(&hyps, &tape, &parts, &obligations);
        // pinned registers are written from the cell, never computed
        let pinned = |r: &Reg| job.pinned.iter().any(|p| p.reg == *r);
        base_list.retain(|r| !pinned(r));
        grad_list.retain(|r| !pinned(r));
        let negations = parts.split_off(n_claim);
        let delegable = delegable_obligations(&tape, &claim, &obligations);
        Plan {
            tape,
            claim,
            hyps,
            parts,
            obligations,
            delegable,
            negations,
            base_list,
            grad_list,
        }
    }
}

/// The minima and maxima of the claim's sides that its cases resolve ([`case_plans`]): all of
/// them when there are at most [`MAX_CASE_ATOMS`], else none.
fn case_atoms(tape: &Tape, claim: &Predicate) -> Vec<Reg> {
    use crate::expr::Op;
    let sides: Vec<Reg> = claim.parts.iter().flat_map(|c| [c.lhs, c.rhs]).collect();
    let atoms: Vec<Reg> = tape
        .slice(&sides)
        .into_iter()
        .filter(|&r| matches!(tape.instrs[r].op, Op::Min(..) | Op::Max(..)))
        .collect();
    if atoms.len() > MAX_CASE_ATOMS {
        Vec::new()
    } else {
        atoms
    }
}

/// Which obligations the cases may show ([`Plan::delegable`]).
fn delegable_obligations(tape: &Tape, claim: &Predicate, obligations: &[Obligation]) -> Vec<bool> {
    let atoms = case_atoms(tape, claim);
    if atoms.is_empty() {
        return vec![false; obligations.len()];
    }
    let operands: Vec<Reg> = atoms
        .iter()
        .flat_map(|&a| tape.instrs[a].op.operands().collect::<Vec<_>>())
        .collect();
    let inside: std::collections::HashSet<Reg> = tape.slice(&operands).into_iter().collect();
    obligations
        .iter()
        .map(|o| !inside.contains(&o.reg) && tape.slice(&[o.reg]).iter().any(|r| atoms.contains(r)))
        .collect()
}

/// The claim with the file's constants (tape inputs after the coordinates, fixed for the
/// job) written as literals, so that the normal form folds them (`(1/6)·42 − 7` is 0, not an
/// interval around it).
fn with_constants_as_literals(job: &Job, tape: &mut Tape, claim: Predicate) -> Predicate {
    let origin = crate::expr::Origin {
        source: 0,
        span: Default::default(),
    };
    let replace: std::collections::HashMap<Reg, Reg> = job
        .constants
        .iter()
        .enumerate()
        .map(|(i, q)| (job.dims() + i, tape.constant(q, origin)))
        .collect();
    let sides: Vec<Reg> = claim.parts.iter().flat_map(|c| [c.lhs, c.rhs]).collect();
    claim.remap(&tape.rewrite(&sides, &replace))
}

/// At most this many minima and maxima in a claim are resolved by cases (2^k cases).
const MAX_CASE_ATOMS: usize = 3;

/// The cases of a claim's minima and maxima: for each choice of one operand per `min(a, b)`
/// or `max(a, b)` in the claim's sides, the claim with each replaced by the chosen operand,
/// and as hypotheses the job's and the region where the choice is right (`a ≥ b` for the
/// maximum `a`, `a ≤ b` for the minimum `a`; the regions of a choice's two sides overlap
/// where `a = b`, and together they cover every point where both are defined). On a region
/// the case equals the claim, so the claim holds on a cell where it is defined if every case
/// holds on the part of the cell in its region. Empty when the claim has none, or more than
/// [`MAX_CASE_ATOMS`].
fn case_plans(job: &Job, opts: &ProveOptions) -> Vec<Plan> {
    use crate::expr::{Comparison, Op};
    let tape = &job.model.tape;
    let claim = job.claim_pred();
    let sides: Vec<Reg> = claim.parts.iter().flat_map(|c| [c.lhs, c.rhs]).collect();
    let atoms = case_atoms(tape, claim);
    if atoms.is_empty() {
        return Vec::new();
    }
    let origin = crate::expr::Origin {
        source: 0,
        span: Default::default(),
    };
    (0..1u32 << atoms.len())
        .map(|mask| {
            let mut t = tape.clone();
            let mut replace = std::collections::HashMap::new();
            let mut region = Predicate::default();
            for (i, &m) in atoms.iter().enumerate() {
                let (a, b, op) = match t.instrs[m].op {
                    Op::Max(a, b) => (a, b, CmpOp::Ge),
                    Op::Min(a, b) => (a, b, CmpOp::Le),
                    _ => unreachable!("filtered"),
                };
                let (pick, other) = if mask >> i & 1 == 0 { (a, b) } else { (b, a) };
                replace.insert(m, pick);
                region.parts.push(Comparison {
                    op,
                    lhs: pick,
                    rhs: other,
                    origin,
                });
            }
            let case = claim.remap(&t.rewrite(&sides, &replace));
            let mut hyps: Vec<Predicate> = job.hyps.iter().map(|&h| h.clone()).collect();
            // with every atom replaced by its pick: where the other parts of the region hold,
            // a part's sides equal their rewritten form, so one rewritten part shown false on
            // a cell is enough for the region to miss it
            let region_sides: Vec<Reg> = region.parts.iter().flat_map(|c| [c.lhs, c.rhs]).collect();
            let picked = region.remap(&t.rewrite(&region_sides, &replace));
            let negations = Predicate {
                parts: picked
                    .parts
                    .iter()
                    .map(|c| Comparison {
                        op: if c.op == CmpOp::Le {
                            CmpOp::Gt
                        } else {
                            CmpOp::Lt
                        },
                        ..c.clone()
                    })
                    .collect(),
            };
            hyps.push(region);
            Plan::on(job, opts, t, case, hyps, negations)
        })
        .collect()
}

/// The claim's comparisons, each difference g = (greater side) − (smaller side) appended to
/// `tape` and put in normal form (an identity's parts are settled already: only definedness
/// is proved, and the normal form's conditions would only add obligations the claim does not
/// have).
fn claim_parts(
    claim: &Predicate,
    opts: &ProveOptions,
    tape: &mut Tape,
    n_coords: usize,
    fixed: &[Rational],
) -> Vec<Part> {
    let origin = crate::expr::Origin {
        source: 0,
        span: Default::default(),
    };
    claim
        .parts
        .iter()
        .map(|c| {
            let raw = match c.op {
                CmpOp::Gt | CmpOp::Ge => tape.push(crate::expr::Op::Sub(c.lhs, c.rhs), origin),
                _ => tape.push(crate::expr::Op::Sub(c.rhs, c.lhs), origin),
            };
            let nf = if opts.definedness_only {
                crate::expr::simplify::NormalForm {
                    whole: raw,
                    factor: None,
                    rest: raw,
                    positive: Vec::new(),
                    scaled: Vec::new(),
                }
            } else {
                simplify_over(tape, raw, n_coords)
            };
            let terms = if opts.definedness_only {
                None
            } else {
                crate::expr::ratfunc::polynomial(tape, n_coords, fixed, nf.rest, MAX_NESTED_TERMS)
                    .filter(|terms| terms.len() > 1)
            };
            let mut nested = Vec::new();
            if let Some(terms) = terms {
                let forward: Vec<usize> = (0..n_coords).collect();
                let backward: Vec<usize> = (0..n_coords).rev().collect();
                for vars in [forward, backward] {
                    let r = nested_polynomial(tape, &terms, &vars, origin);
                    if !nested.iter().any(|(x, _): &(Reg, _)| *x == r) {
                        nested.push((r, Vec::new()));
                    }
                }
            }
            Part {
                op: c.op,
                lhs: c.lhs,
                rhs: c.rhs,
                g: nf.whole,
                factor: nf.factor,
                rest: nf.rest,
                conditions: nf.positive,
                grad_factor: Vec::new(),
                grad_rest: Vec::new(),
                nested,
                scaled: nf
                    .scaled
                    .iter()
                    .map(|(form, atoms, _)| (*form, atoms.clone(), Vec::new()))
                    .collect(),
                multipliers: nf.scaled.iter().map(|s| s.2).collect(),
            }
        })
        .collect()
}

/// Definedness obligations of the claim's sides (and of the normal forms' fractional powers):
/// every divisor nonzero, every square root's argument nonnegative, every logarithm's argument
/// and real power's base positive. Each gets its normal form, and the obligations its
/// conditions add (a worklist: a condition's own normal form may have conditions in turn), at
/// most [`MAX_NORMAL_FORMS`] and not past the deadline.
fn definedness_obligations(
    parts: &[Part],
    opts: &ProveOptions,
    tape: &mut Tape,
    n_coords: usize,
) -> Vec<Obligation> {
    let sides: Vec<Reg> = parts.iter().flat_map(|p| [p.lhs, p.rhs]).collect();
    let cone = tape.slice(&sides);
    let mut needs: Vec<(Reg, Need)> = Vec::new();
    for &i in &cone {
        match tape.instrs[i].op {
            crate::expr::Op::Div(_, b) => needs.push((b, Need::NonZero)),
            crate::expr::Op::PowInt(a, k) if k < 0 => needs.push((a, Need::NonZero)),
            crate::expr::Op::Sqrt(a) => needs.push((a, Need::NonNegative)),
            crate::expr::Op::Log(a) => needs.push((a, Need::Positive)),
            crate::expr::Op::Pow(a, b) => needs.push((a, Need::PowBase(b))),
            _ => {}
        }
    }
    for p in parts {
        needs.extend(p.conditions.iter().map(|&c| (c, Need::Positive)));
    }
    needs.sort();
    needs.dedup();
    let past_deadline = || crate::stop::past(opts.deadline);
    let mut index: std::collections::HashMap<(Reg, Need), usize> = std::collections::HashMap::new();
    let mut obligations: Vec<Obligation> = Vec::new();
    let plain_only = |reg: Reg, need: Need| Obligation {
        reg,
        need,
        normal_form: false,
        factor: None,
        rest: reg,
        conditions: Vec::new(),
        grad_factor: Vec::new(),
        grad_rest: Vec::new(),
    };
    for (reg, need) in needs {
        index.insert((reg, need), obligations.len());
        obligations.push(plain_only(reg, need));
    }
    let mut next = 0;
    while next < obligations.len() {
        let i = next;
        next += 1;
        if i >= MAX_NORMAL_FORMS || past_deadline() {
            continue;
        }
        let nf = simplify_over(tape, obligations[i].reg, n_coords);
        let mut conditions = Vec::new();
        for c in nf.positive {
            let j = *index.entry((c, Need::Positive)).or_insert_with(|| {
                obligations.push(plain_only(c, Need::Positive));
                obligations.len() - 1
            });
            conditions.push(j);
        }
        let o = &mut obligations[i];
        o.normal_form = true;
        o.factor = nf.factor;
        o.rest = nf.rest;
        o.conditions = conditions;
    }
    obligations
}

/// The gradients (with respect to the `n` box coordinates) of every factor and rest of the
/// claim's parts and of the obligations brought to normal form, appended to `tape`.
fn attach_gradients(n: usize, tape: &mut Tape, parts: &mut [Part], obligations: &mut [Obligation]) {
    let mut outputs: Vec<Reg> = Vec::new();
    for p in parts.iter() {
        outputs.push(p.rest);
        outputs.push(p.factor.unwrap_or(p.rest));
    }
    let with_nf: Vec<usize> = (0..obligations.len())
        .filter(|&i| obligations[i].normal_form)
        .collect();
    for &i in &with_nf {
        let o = &obligations[i];
        outputs.push(o.rest);
        outputs.push(o.factor.unwrap_or(o.rest));
    }
    let k1 = outputs.len();
    let nested: Vec<(usize, usize)> = (0..parts.len())
        .flat_map(|i| (0..parts[i].nested.len()).map(move |j| (i, j)))
        .collect();
    outputs.extend(nested.iter().map(|&(i, j)| parts[i].nested[j].0));
    let k2 = outputs.len();
    let scaled: Vec<(usize, usize)> = (0..parts.len())
        .flat_map(|i| (0..parts[i].scaled.len()).map(move |j| (i, j)))
        .collect();
    outputs.extend(scaled.iter().map(|&(i, j)| parts[i].scaled[j].0));
    let wrt: Vec<usize> = (0..n).collect();
    let grads = differentiate(tape, &outputs, &wrt);
    for (i, p) in parts.iter_mut().enumerate() {
        p.grad_rest = grads[2 * i].clone();
        p.grad_factor = grads[2 * i + 1].clone();
    }
    for (m, &(i, j)) in nested.iter().enumerate() {
        parts[i].nested[j].1 = grads[k1 + m].clone();
    }
    for (m, &(i, j)) in scaled.iter().enumerate() {
        parts[i].scaled[j].2 = grads[k2 + m].clone();
    }
    let k0 = 2 * parts.len();
    for (j, &i) in with_nf.iter().enumerate() {
        obligations[i].grad_rest = grads[k0 + 2 * j].clone();
        obligations[i].grad_factor = grads[k0 + 2 * j + 1].clone();
    }
}

/// What each phase of a cell computes: first the hypotheses, the claim's sides and what the
/// refinement reads; then every register the gradients depend on that the first phase did not
/// compute (a derivative is hash-consed onto the tape, so it may reuse a register of any
/// definition, not only those appended after the claim's own).
fn evaluation_lists(
    hyps: &[Predicate],
    tape: &Tape,
    parts: &[Part],
    obligations: &[Obligation],
) -> (Vec<Reg>, Vec<Reg>) {
    let mut roots: Vec<Reg> = Vec::new();
    for h in hyps {
        for c in &h.parts {
            roots.extend([c.lhs, c.rhs]);
        }
    }
    for p in parts {
        roots.extend([p.lhs, p.rhs, p.g, p.rest]);
        roots.extend(p.factor);
        roots.extend(p.nested.iter().map(|n| n.0));
        roots.extend(p.scaled.iter().map(|s| s.0));
        roots.extend(p.scaled.iter().flat_map(|s| s.1.iter().copied()));
        roots.extend(&p.conditions);
    }
    for o in obligations {
        roots.extend([o.reg, o.rest]);
        roots.extend(o.factor);
        if let Need::PowBase(b) = o.need {
            roots.push(b);
        }
    }
    let base_list = tape.slice(&roots);
    let grad_roots: Vec<Reg> = parts
        .iter()
        .flat_map(|p| {
            p.grad_rest
                .iter()
                .chain(&p.grad_factor)
                .chain(p.nested.iter().flat_map(|n| &n.1))
                .chain(p.scaled.iter().flat_map(|s| &s.2))
                .flatten()
                .copied()
        })
        .chain(
            obligations
                .iter()
                .flat_map(|o| o.grad_rest.iter().chain(&o.grad_factor).flatten().copied()),
        )
        .collect();
    let in_base: std::collections::HashSet<Reg> = base_list.iter().copied().collect();
    let grad_list: Vec<Reg> = tape
        .slice(&grad_roots)
        .into_iter()
        .filter(|i| !in_base.contains(i))
        .collect();
    (base_list, grad_list)
}

/// Proves the job's claim over its box by branch and bound: each cell is decided by interval
/// evaluation of the hypotheses and the claim, then refined (definedness obligations, each
/// undecided comparison through its normal form with monotonicity and the mean-value form), and
/// split where it stays undecided, until the cells or the time budget run out.
pub fn prove(job: &Job, opts: ProveOptions) -> ProofResult {
    let plan = Plan::new(job, &opts);
    // pinned registers may be +∞ above: extended intervals
    let evaluator = |tape: &Tape| {
        if job.pinned.is_empty() {
            IntervalEval::new(tape, opts.prec)
        } else {
            IntervalEval::new_extended(tape, opts.prec)
        }
    };
    let mut ev = evaluator(&plan.tape);
    let mut aux = evaluator(&plan.tape);
    job.load_constants(&mut ev);
    job.load_constants(&mut aux);
    let mut cases: Vec<(Plan, IntervalEval, IntervalEval)> = {
        case_plans(job, &opts)
            .into_iter()
            .map(|p| {
                let mut ev = evaluator(&p.tape);
                let mut aux = evaluator(&p.tape);
                job.load_constants(&mut ev);
                job.load_constants(&mut aux);
                (p, ev, aux)
            })
            .collect()
    };
    let mut result = ProofResult::default();
    let mut heap = BinaryHeap::new();
    heap.push(HeapCell(Cell::root(&job.ranges, opts.prec), 0));
    let record = opts.record;
    let mut tree: Vec<TreeCell> = if record {
        vec![TreeCell::Open]
    } else {
        Vec::new()
    };
    let settle_as = |tree: &mut Vec<TreeCell>, id: usize, m: Method| {
        if record {
            tree[id] = TreeCell::Settled(m);
        }
    };
    while let Some(HeapCell(cell, id)) = heap.pop() {
        if result.boxes >= opts.max_boxes || crate::stop::past(opts.deadline) {
            stop(&mut result, cell, heap, &opts);
            break;
        }
        result.boxes += 1;
        if cell.outside(&job.ranges) {
            // a sliver of the root's outward rounding: not part of the claim's domain
            result.vacuous += cell.share;
            settle_as(&mut tree, id, Method::Hypothesis);
            continue;
        }
        let mut smear: Vec<f64> = vec![0.0; job.dims()];
        let mut decide = |cell: &Cell, smear: &mut [f64]| {
            decide_cell(
                job, &plan, &mut cases, &opts, cell, &mut ev, &mut aux, smear,
            )
        };
        match decide(&cell, &mut smear) {
            Decided::Vacuous(m) => {
                result.vacuous += cell.share;
                settle_as(&mut tree, id, m);
            }
            Decided::Proved(m) => {
                result.proved += cell.share;
                settle_as(&mut tree, id, m);
            }
            Decided::Refuted => {
                result.refuted = Some(cell);
                return result;
            }
            Decided::Open => {
                let order = split_order(&cell, &smear, job);
                match split_by_lookahead(&cell, &order, job, opts.max_depth, &mut decide) {
                    Lookahead::Refuted(c) => {
                        result.refuted = Some(c);
                        return result;
                    }
                    Lookahead::Split {
                        coord,
                        halves,
                        decided,
                    } => {
                        let ids = if record {
                            let n = tree.len();
                            tree[id] = TreeCell::Split {
                                coord,
                                at: (halves[0].hi[coord].clone(), halves[1].lo[coord].clone()),
                                children: [n, n + 1],
                            };
                            tree.push(TreeCell::Open);
                            tree.push(TreeCell::Open);
                            [n, n + 1]
                        } else {
                            [0, 0]
                        };
                        for ((half, verdict), hid) in halves.into_iter().zip(decided).zip(ids) {
                            match verdict {
                                Some(Decided::Vacuous(m)) => {
                                    result.boxes += 1;
                                    result.vacuous += half.share;
                                    settle_as(&mut tree, hid, m);
                                }
                                Some(Decided::Proved(m)) => {
                                    result.boxes += 1;
                                    result.proved += half.share;
                                    settle_as(&mut tree, hid, m);
                                }
                                _ => heap.push(HeapCell(half, hid)),
                            }
                        }
                    }
                    Lookahead::Unsplit => leave(&mut result, cell),
                }
            }
        }
    }
    result.tree = tree;
    if record {
        result.forms = recorded_forms(std::iter::once(&plan).chain(cases.iter().map(|c| &c.0)));
    }
    result
}

/// What one cell came to, its minima and maxima split into cases where that helps, and how.
enum Decided {
    Vacuous(Method),
    Proved(Method),
    Refuted,
    Open,
}

/// Decides one cell by [`settle`]; a cell left open whose claim's sides are defined on it (or
/// whose obligations the cases may show) is tried again case by case: the claim holds there
/// if every case of its minima and maxima holds on the part of the cell that is its region,
/// its sides defined there (in definedness mode: if every case's sides are).
#[allow(clippy::too_many_arguments)]
fn decide_cell(
    job: &Job,
    plan: &Plan,
    cases: &mut [(Plan, IntervalEval, IntervalEval)],
    opts: &ProveOptions,
    cell: &Cell,
    ev: &mut IntervalEval,
    aux: &mut IntervalEval,
    smear: &mut [f64],
) -> Decided {
    match settle(job, plan, opts, cell, ev, aux, smear) {
        Settled::Vacuous(m) => Decided::Vacuous(m),
        Settled::Proved(m) => Decided::Proved(m),
        Settled::Refuted => Decided::Refuted,
        Settled::Open { defined, by_cases } => {
            let by_cases = (defined || by_cases)
                && !cases.is_empty()
                && cases.iter_mut().all(|(p, ev, aux)| {
                    matches!(
                        settle(job, p, opts, cell, ev, aux, smear),
                        Settled::Vacuous(_) | Settled::Proved(_)
                    )
                });
            if by_cases {
                Decided::Proved(Method::Cases)
            } else {
                Decided::Open
            }
        }
    }
}

/// The budget ran out at `cell`: it and every cell still queued are left undecided, the
/// deepest kept first (where the prover struggles is where a failure hides).
fn stop(result: &mut ProofResult, cell: Cell, mut heap: BinaryHeap<HeapCell>, opts: &ProveOptions) {
    result.stopped = Some(if result.boxes >= opts.max_boxes {
        format!("box budget of {} cells used", opts.max_boxes)
    } else {
        "time budget used".into()
    });
    result.undecided += cell.share;
    result.undecided_cells.push(cell);
    for HeapCell(c, _) in heap.drain() {
        result.undecided += c.share;
        result.undecided_cells.push(c);
    }
    result
        .undecided_cells
        .sort_by_key(|c| std::cmp::Reverse(c.depth));
    result.undecided_cells.truncate(MAX_UNDECIDED_CELLS);
}

/// What one cell came to.
enum Settled {
    /// A used hypothesis certainly fails on the whole cell (or a case's region misses it).
    Vacuous(Method),
    Proved(Method),
    /// The hypotheses hold and the claim fails at every point of a cell inside the box.
    Refuted,
    /// To be split (`smear` says along which coordinate); `defined` when the claim's sides
    /// were shown defined on the whole cell; `by_cases` when every obligation not shown is one
    /// the claim's cases may show ([`Plan::delegable`]).
    Open {
        defined: bool,
        by_cases: bool,
    },
}

/// Decides one cell: the hypotheses and the claim by plain interval evaluation; then the
/// claim's sides must be defined on the whole cell (for an identity, that is all there is to
/// show); then each undecided part through its normal form.
fn settle(
    job: &Job,
    plan: &Plan,
    opts: &ProveOptions,
    cell: &Cell,
    ev: &mut IntervalEval,
    aux: &mut IntervalEval,
    smear: &mut [f64],
) -> Settled {
    let tape = &plan.tape;
    cell.load(ev);
    write_pinned(&job.pinned, ev);
    ev.run_selected(tape, &plan.base_list);
    let hyps = plan
        .hyps
        .iter()
        .map(|h| crate::expr::decide_all(h, ev, None))
        .fold(Truth::True, Truth::and);
    if hyps == Truth::False {
        return Settled::Vacuous(Method::Hypothesis);
    }
    if !opts.definedness_only {
        let claim = crate::expr::decide_all(&plan.claim, ev, None);
        if claim == Truth::True {
            return Settled::Proved(Method::Plain);
        }
        if claim == Truth::False && hyps == Truth::True && cell.inside(&job.ranges) {
            return Settled::Refuted;
        }
    }
    ev.run_selected(tape, &plan.grad_list);
    let mut refiner = Refiner {
        tape,
        aux,
        value_list: &plan.base_list,
        grad_list: &plan.grad_list,
        ranges: &job.ranges,
        pinned: &job.pinned,
        prec: opts.prec,
        n: job.dims(),
    };
    // a case whose region certainly misses the cell
    for p in &plan.negations {
        let conditions = p.conditions.iter().all(|&c| {
            ev.get(c).is_ok_and(|x| positive(true, x, false))
                || refiner.domain_positive(cell, ev, c, 0)
        });
        if conditions && part_by_normal_form(p, cell, ev, &mut refiner, smear) {
            return Settled::Vacuous(Method::Region);
        }
    }
    let (defined_everywhere, by_cases) = all_defined(
        &plan.obligations,
        &plan.delegable,
        cell,
        ev,
        &mut refiner,
        smear,
    );
    if opts.definedness_only {
        return if defined_everywhere {
            Settled::Proved(Method::Identity)
        } else {
            Settled::Open {
                defined: false,
                by_cases,
            }
        };
    }
    let mut all = true;
    let mut how = Method::Plain;
    for p in &plan.parts {
        let natural = plan
            .claim
            .parts
            .iter()
            .find(|x| x.lhs == p.lhs && x.rhs == p.rhs && x.op == p.op)
            .map(|x| crate::expr::decide(x, ev, None).truth);
        if natural == Some(Truth::True) {
            continue;
        }
        if p.op == CmpOp::Eq || !defined_everywhere {
            all = false;
            continue;
        }
        if part_by_normal_form(p, cell, ev, &mut refiner, smear) {
            how = Method::NormalForm;
        } else {
            all = false;
        }
    }
    if all {
        Settled::Proved(how)
    } else {
        Settled::Open {
            defined: defined_everywhere,
            by_cases,
        }
    }
}

/// One comparison of the claim shown through its normal form: the factor's sign (strict for a
/// strict claim; for ≥, factor ≥ 0 and rest ≥ 0, or both ≤ 0, suffice), then the rest's.
fn part_by_normal_form(
    p: &Part,
    cell: &Cell,
    ev: &IntervalEval,
    refiner: &mut Refiner,
    smear: &mut [f64],
) -> bool {
    let strict = matches!(p.op, CmpOp::Lt | CmpOp::Gt);
    let neg = match p.factor {
        None => false,
        Some(f) => {
            if refiner.domain_positive(cell, ev, f, 0)
                || refiner.prove(cell, ev, f, &p.grad_factor, strict, false, smear)
            {
                false
            } else if refiner.prove(cell, ev, f, &p.grad_factor, strict, true, smear) {
                true
            } else {
                return false;
            }
        }
    };
    refiner.prove(cell, ev, p.rest, &p.grad_rest, strict, neg, smear)
        || p.nested
            .iter()
            .any(|(r, grad)| refiner.prove(cell, ev, *r, grad, strict, neg, smear))
        || p.scaled.iter().any(|(r, atoms, grad)| {
            // the rest is the form times powers of atoms > 0: the form has the rest's sign
            atoms.iter().all(|&a| {
                ev.get(a).is_ok_and(|x| positive(true, x, false))
                    || refiner.domain_positive(cell, ev, a, 0)
            }) && refiner.prove(cell, ev, *r, grad, strict, neg, smear)
        })
}

/// The coordinates of an undecided cell in the order to try splitting them: where the
/// failing quantity varies most over it (its smear, relative to the other coordinates) first,
/// every third depth the widest first. A coordinate nothing undecided depends on (smear
/// exactly 0: its derivative is 0 symbolically) is left out while another is not; a
/// coordinate whose derivative has no enclosure (smear ∞: ∂√x/∂x at x = 0, ∂ log(1/u)/∂u at
/// u = 0) says nothing about how much the quantity varies and goes after the measured ones.
fn split_order(cell: &Cell, smear: &[f64], job: &Job) -> Vec<usize> {
    let n = cell.dims();
    let mut order: Vec<usize> = (0..n).filter(|&k| cell.lo[k] < cell.hi[k]).collect();
    if order.iter().any(|&k| smear[k] > 0.0) {
        order.retain(|&k| smear[k] > 0.0);
    }
    let width = |k: usize| cell.unit_width(k, &job.ranges[k]);
    if widest_turn(cell) {
        order.sort_by(|&a, &b| width(b).total_cmp(&width(a)));
    } else {
        let measured = |k: usize| if smear[k].is_finite() { smear[k] } else { -1.0 };
        order.sort_by(|&a, &b| {
            measured(b)
                .total_cmp(&measured(a))
                .then(width(b).total_cmp(&width(a)))
        });
    }
    order
}

/// Whether `cell` is split along its widest coordinate (in unit coordinates): every third
/// depth.
fn widest_turn(cell: &Cell) -> bool {
    cell.depth % 3 == 2
}

/// How an undecided cell was split.
enum Lookahead {
    /// The two halves along `coord`, each with its verdict when the lookahead decided it.
    Split {
        coord: usize,
        halves: [Cell; 2],
        decided: [Option<Decided>; 2],
    },
    /// A half on which the claim fails everywhere.
    Refuted(Cell),
    /// At the depth limit, or no coordinate can be split.
    Unsplit,
}

/// Coordinates tried by the lookahead at most.
const LOOKAHEAD: usize = 4;

/// Splits an undecided cell along the coordinate, among the first [`LOOKAHEAD`] of `order`,
/// whose halves are decided the most (both, then one, then the first of `order`): each
/// candidate split's halves are decided on the spot. The smear of a cell is a guess (an
/// interval derivative, maximized over every form the prover tried); the lookahead is the
/// measurement, and it matters where one coordinate's smear is large on a form that was never
/// going to settle the cell (log(1/u) as u → 0 before the rest is rescaled by log ζ).
fn split_by_lookahead(
    cell: &Cell,
    order: &[usize],
    job: &Job,
    max_depth: u32,
    decide: &mut impl FnMut(&Cell, &mut [f64]) -> Decided,
) -> Lookahead {
    if cell.depth >= max_depth {
        return Lookahead::Unsplit;
    }
    let splits = order
        .iter()
        .filter_map(|&k| Some((k, cell.split(k, &job.ranges[k])?)));
    // (coordinate, halves, their verdicts, how many were decided)
    type Candidate = (usize, [Cell; 2], [Option<Decided>; 2], usize);
    let mut best: Option<Candidate> = None;
    let mut scratch = vec![0.0; cell.dims()];
    // every third depth the widest coordinate is split whatever the lookahead would say, so
    // that no coordinate is left wide while another is cut ever finer
    let tries = if widest_turn(cell) { 1 } else { LOOKAHEAD };
    for (tried, (k, (a, b))) in splits.enumerate() {
        if tried >= tries {
            break;
        }
        let mut verdicts = [None, None];
        for (v, half) in verdicts.iter_mut().zip([&a, &b]) {
            *v = Some(match decide(half, &mut scratch) {
                Decided::Refuted => return Lookahead::Refuted(half.clone()),
                Decided::Open => continue,
                d => d,
            });
        }
        let mut score = verdicts.iter().filter(|v| v.is_some()).count();
        // a split toward an open end at 0 that decides only the far half leaves the cell at
        // the end as hard as it was: no progress, however often repeated
        if score == 1 && cell.at_open_zero(k, &job.ranges[k]) {
            score = 0;
        }
        if best.as_ref().is_none_or(|(_, _, _, s)| score > *s) {
            best = Some((k, [a, b], verdicts, score));
        }
        if score == 2 {
            break;
        }
    }
    match best {
        Some((coord, halves, decided, _)) => Lookahead::Split {
            coord,
            halves,
            decided,
        },
        None => Lookahead::Unsplit,
    }
}

/// A cell at the depth limit, or that cannot be split, is left undecided.
fn leave(result: &mut ProofResult, cell: Cell) {
    result.undecided += cell.share;
    if result.undecided_cells.len() < MAX_UNDECIDED_CELLS {
        result.undecided_cells.push(cell);
    }
}

/// The center of a refuted cell, as the witness to re-check.
pub fn refuted_point(job: &Job, cell: &Cell) -> Vec<Rational> {
    cell.center(&job.ranges)
}

#[cfg(test)]
mod nested_tests {
    use super::*;
    use crate::expr::{RationalEval, parse};
    use std::collections::HashMap;

    /// `src` on a tape over x, y, z, and its register.
    fn compiled(src: &str) -> (Tape, Reg) {
        let names = ["x", "y", "z"];
        let mut tape = Tape::new(names.map(String::from).to_vec());
        let env: HashMap<String, Reg> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i))
            .collect();
        let r = tape.compile(&parse(src, "t").unwrap(), &env, 0).unwrap();
        (tape, r)
    }

    /// A rest rebuilt as a nested polynomial is the rest, exactly, at every point (exact
    /// rational evaluation of both), and what is not a polynomial is not rebuilt.
    #[test]
    fn nested_polynomials_are_the_expression_exactly() {
        let origin = crate::expr::Origin {
            source: 0,
            span: Default::default(),
        };
        for src in [
            "(1 + x*y)^2*(2 - z) - 3*(x - y/2)*(z + 1)^3",
            "x*y*z - z*y*x + 7",
            "(x + y + z)^4/6 - x^4/6",
            "20*y*z^2*(1 - x/2) + 10*(x*z - 2*y)",
            "((x - 1)^3 + (y + 2)^2)*z/3",
        ] {
            let (mut tape, r) = compiled(src);
            let terms = crate::expr::ratfunc::polynomial(&tape, 3, &[], r, MAX_NESTED_TERMS)
                .unwrap_or_else(|| panic!("{src} is a polynomial"));
            let n = nested_polynomial(&mut tape, &terms, &[0, 1, 2], origin);
            let mut ev = RationalEval::new(&tape);
            for p in [[3, -2, 5], [0, 1, -1], [7, 11, 13], [-4, 0, 2]] {
                for d in [1, 3, 10] {
                    let point: Vec<Rational> = p.iter().map(|&v| Rational::from((v, d))).collect();
                    ev.run(&tape, &point);
                    assert_eq!(ev.get(r), ev.get(n), "{src} at {point:?}");
                    assert!(ev.get(n).is_some());
                }
            }
        }
        for src in ["x/y", "sqrt(x)*y", "x/(1 + y^2)", "log(x) + 1"] {
            let (tape, r) = compiled(src);
            assert!(
                crate::expr::ratfunc::polynomial(&tape, 3, &[], r, MAX_NESTED_TERMS).is_none(),
                "{src}"
            );
        }
    }
}
