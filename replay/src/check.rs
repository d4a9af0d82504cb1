//! Replaying one claim's certificate: the statement re-parsed, the reductions re-proved, the
//! pieces shown to cover the domain, the tree of cells walked, and every leaf settled again
//! with the kernel's own arithmetic.

use crate::format::{ClaimCert, Method, Node as TreeNode, PieceCert, RangeCert, rational};
use crate::forms::{Need, PieceForms};
use crate::interval::{Iv, Truth, compare};
use crate::parse::{self, Cmp};
use crate::program::{Builder, Comparison, Eval, Id, Program, degree};
use rug::Rational;
use std::collections::{BTreeMap, HashMap};

/// What a replay found for one claim.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every leaf was settled again by the kernel.
    Valid,
    /// Something in the certificate is wrong, or a leaf the kernel could not settle again.
    Invalid,
}

#[derive(Clone, Debug)]
pub struct ClaimReplay {
    pub result: String,
    pub claim: String,
    pub verdict: Verdict,
    /// The statement replayed, in words.
    pub statement: String,
    pub leaves: usize,
    /// Leaves settled again, by the kernel's method.
    pub settled: BTreeMap<&'static str, usize>,
    /// The first problem (for `Invalid`).
    pub problem: Option<String>,
}

/// The kernel's own methods for a leaf.
const BY_HYPOTHESIS: &str = "a hypothesis fails";
const BY_PLAIN: &str = "plain interval evaluation";
const BY_MONOTONE: &str = "monotonicity";
const BY_MEAN_VALUE: &str = "mean-value form";
const BY_NORMAL_FORM: &str = "normal form";
const BY_CASES: &str = "cases of the minima and maxima";
const BY_IDENTITY: &str = "identity";

/// How a coordinate of a piece stands for the claim's.
#[derive(Clone, Debug, PartialEq)]
enum Chart {
    Same,
    /// x = s/u
    Reciprocal(Rational),
}

struct Statement {
    program: Program,
    hyps: Vec<Comparison>,
    claim: Claim,
    /// The claim with its minima and maxima resolved, one case per choice of operands.
    cases: Vec<Case>,
    /// What the operands of those minima and maxima need to be defined.
    case_operands: Vec<(Id, Need)>,
    constants: HashMap<String, Rational>,
}

/// Comparisons to show on a cell.
struct Claim {
    comparisons: Vec<Comparison>,
    /// For each comparison, g = greater side − smaller side and whether g > 0 is needed (else
    /// g ≥ 0); `None` for an equation, which no margin shows.
    margins: Vec<Option<(Id, bool)>>,
    /// For each comparison, what its sides need to be defined.
    obligations: Vec<Vec<(Id, Need)>>,
    /// For each comparison, left side − right side (0 for an identity).
    differences: Vec<Id>,
}

impl Claim {
    fn new(program: &mut Program, comparisons: Vec<Comparison>) -> Result<Claim, String> {
        let mut margins = Vec::new();
        for &(l, op, r) in &comparisons {
            let (greater, smaller) = match op {
                Cmp::Lt | Cmp::Le => (r, l),
                Cmp::Gt | Cmp::Ge => (l, r),
                Cmp::Eq => {
                    margins.push(None);
                    continue;
                }
            };
            let g = program.push(crate::program::Node::Sub(greater, smaller))?;
            margins.push(Some((g, matches!(op, Cmp::Lt | Cmp::Gt))));
        }
        let obligations = comparisons
            .iter()
            .map(|&(l, _, r)| crate::forms::obligations(program, &[l, r]))
            .collect();
        let differences = comparisons
            .iter()
            .map(|&(l, _, r)| program.push(crate::program::Node::Sub(l, r)))
            .collect::<Result<_, _>>()?;
        Ok(Claim {
            comparisons,
            margins,
            obligations,
            differences,
        })
    }

    /// The nodes a normal form may stand for: margins and operands that need a sign.
    fn targets(&self) -> impl Iterator<Item = Id> + '_ {
        self.margins
            .iter()
            .flatten()
            .map(|m| m.0)
            .chain(self.obligations.iter().flatten().map(|o| o.0))
    }
}

/// One case of the claim's minima and maxima: the claim with each replaced by a chosen
/// operand, and the nodes `pick − other` (`other − pick` for a maximum), with every choice
/// made inside them, one of which shown positive on a cell puts the cell outside the case's
/// region.
struct Case {
    claim: Claim,
    misses: Vec<Id>,
}

/// A leaf's box in the claim's coordinates (`x`) and in the piece's (`u`: a chart's u), in
/// each the coordinates whose lower end 0 is not in the domain (`open`), and which of the
/// leaf's ends (lower, upper) are ends of the domain that it excludes (`ends`).
struct Leaf {
    x: Vec<Iv>,
    x_open: Vec<bool>,
    x_ends: Vec<(bool, bool)>,
    u: Vec<Iv>,
    u_open: Vec<bool>,
    u_ends: Vec<(bool, bool)>,
    prec: u32,
}

impl Leaf {
    /// Enclosures of `program`'s nodes over the leaf, in the claim's coordinates.
    fn x_eval<'p>(&self, program: &'p Program) -> Eval<'p> {
        Eval::on_domain(program, self.x.clone(), self.x_open.clone(), self.prec)
    }
}

pub fn replay_claim(c: &ClaimCert) -> ClaimReplay {
    let mut out = ClaimReplay {
        result: c.result.clone(),
        claim: c.claim.clone(),
        verdict: Verdict::Invalid,
        statement: String::new(),
        leaves: 0,
        settled: BTreeMap::new(),
        problem: None,
    };
    match on_a_large_stack(|| run(c, &mut out)) {
        Ok(()) => {
            out.verdict = Verdict::Valid;
        }
        Err(e) => {
            out.verdict = Verdict::Invalid;
            out.problem = Some(e);
        }
    }
    out
}

/// The stack a replay runs on: every walk of a program is at most as deep as its deepest node
/// (bounded in [`Program::push`]), which needs more than a thread's default stack.
const STACK_BYTES: usize = 512 << 20;

/// `f` run on a thread of its own with a [`STACK_BYTES`] stack (reserved, not used, unless a
/// certificate is that deep).
fn on_a_large_stack<T: Send>(f: impl FnOnce() -> Result<T, String> + Send) -> Result<T, String> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, f)
            .map_err(|e| format!("no thread for the replay: {e}"))?
            .join()
            .unwrap_or_else(|_| Err("the replay stopped on an internal error".into()))
    })
}

/// Constants' values and definitions' parsed texts, by name.
type Names = (HashMap<String, Rational>, HashMap<String, parse::Ast>);

/// The constants' values and the definitions' parsed texts of a certificate, every name
/// given once (a definition may not reuse a coordinate's or a constant's name).
fn names(
    coords: &[String],
    constants: &BTreeMap<String, String>,
    definitions: &[(String, String)],
) -> Result<Names, String> {
    let mut values = HashMap::new();
    for (i, n) in coords.iter().enumerate() {
        if coords[..i].contains(n) {
            return Err(format!("the coordinate `{n}` is listed twice"));
        }
    }
    for (n, v) in constants {
        if coords.contains(n) {
            return Err(format!("`{n}` is both a coordinate and a constant"));
        }
        values.insert(
            n.clone(),
            rational(v).map_err(|e| format!("constant `{n}`: {e}"))?,
        );
    }
    let mut defs = HashMap::new();
    for (n, text) in definitions {
        if coords.contains(n) || values.contains_key(n) || defs.contains_key(n) {
            return Err(format!("`{n}` is defined twice"));
        }
        defs.insert(
            n.clone(),
            parse::expr(text).map_err(|e| format!("definition `{n}`: {e}"))?,
        );
    }
    Ok((values, defs))
}

fn statement(c: &ClaimCert) -> Result<Statement, String> {
    let (constants, defs) = names(&c.coordinates, &c.constants, &c.definitions)?;
    let mut b = Builder::new(c.coordinates.clone(), &constants, &defs);
    let mut hyps = Vec::new();
    for h in &c.hypotheses {
        let conj = parse::conjunction(h).map_err(|e| format!("hypothesis `{h}`: {e}"))?;
        hyps.extend(
            b.conjunction(&conj)
                .map_err(|e| format!("hypothesis `{h}`: {e}"))?,
        );
    }
    let conj = parse::conjunction(&c.statement).map_err(|e| format!("the claim: {e}"))?;
    let claim = b
        .conjunction(&conj)
        .map_err(|e| format!("the claim: {e}"))?;
    let mut program = b.program;
    let main = Claim::new(&mut program, claim)?;
    let (cases, case_operands) = cases(&mut program, &main.comparisons)?;
    Ok(Statement {
        program,
        hyps,
        claim: main,
        cases,
        case_operands,
        constants,
    })
}

/// A claim's cases and what their minima's and maxima's operands need ([`cases`]).
type Cases = (Vec<Case>, Vec<(Id, Need)>);

/// At most this many minima and maxima are resolved case by case, in at most
/// [`MAX_CASES`] cases.
const MAX_CASE_ATOMS: usize = 4;
const MAX_CASES: usize = 32;

/// The cases of the minima and maxima in the claim's sides ([`Case`]), and what their operands
/// need to be defined. On a case's region (each pick ≤ every other operand of its minimum, ≥
/// for a maximum) the case's sides equal the claim's; the regions cover every point where
/// the operands are defined.
fn cases(program: &mut Program, claim: &[Comparison]) -> Result<Cases, String> {
    use crate::program::Node;
    let roots: Vec<Id> = claim.iter().flat_map(|&(l, _, r)| [l, r]).collect();
    let atoms: Vec<Id> = crate::forms::reachable(program, &roots)
        .into_iter()
        .filter(|&id| matches!(program.nodes[id], Node::Min(_) | Node::Max(_)))
        .collect();
    let arity = |id: Id| match &program.nodes[id] {
        Node::Min(a) | Node::Max(a) => a.len(),
        _ => 1,
    };
    let count = atoms
        .iter()
        .try_fold(1usize, |n, &a| n.checked_mul(arity(a)));
    if atoms.is_empty() || atoms.len() > MAX_CASE_ATOMS || count.is_none_or(|n| n > MAX_CASES) {
        return Ok((Vec::new(), Vec::new()));
    }
    let operands: Vec<Id> = atoms
        .iter()
        .flat_map(|&a| match &program.nodes[a] {
            Node::Min(x) | Node::Max(x) => x.clone(),
            _ => Vec::new(),
        })
        .collect();
    let case_operands = crate::forms::obligations(program, &operands);
    let mut out = Vec::new();
    for mut index in 0..count.unwrap_or(1) {
        let mut pick = HashMap::new();
        let mut regions = Vec::new();
        for &a in &atoms {
            let (args, max) = match &program.nodes[a] {
                Node::Min(x) => (x.clone(), false),
                Node::Max(x) => (x.clone(), true),
                _ => unreachable!("filtered"),
            };
            let i = index % args.len();
            index /= args.len();
            pick.insert(a, args[i]);
            for (j, &o) in args.iter().enumerate() {
                if j != i {
                    regions.push(if max { (o, args[i]) } else { (args[i], o) });
                }
            }
        }
        let mut memo = HashMap::new();
        let mut comparisons = Vec::new();
        for &(l, op, r) in claim {
            let l = crate::forms::substitute(program, l, &pick, &mut memo)?;
            let r = crate::forms::substitute(program, r, &pick, &mut memo)?;
            comparisons.push((l, op, r));
        }
        let mut misses = Vec::new();
        for (x, y) in regions {
            let x = crate::forms::substitute(program, x, &pick, &mut memo)?;
            let y = crate::forms::substitute(program, y, &pick, &mut memo)?;
            misses.push(program.push(Node::Sub(x, y))?);
        }
        out.push(Case {
            claim: Claim::new(program, comparisons)?,
            misses,
        });
    }
    Ok((out, case_operands))
}

/// A range as exact ends: lo, hi (None for ∞), whether each is excluded. Coverage is checked
/// on closed ranges (a superset); the open ends matter to the cells that reach them.
struct Range {
    lo: Rational,
    hi: Option<Rational>,
    lo_open: bool,
    hi_open: bool,
    /// only integer values (a coordinate a scaling moves is no longer one)
    integer: bool,
}

fn range(r: &RangeCert) -> Result<Range, String> {
    let lo = rational(&r.lo).map_err(|e| format!("the range of `{}`: {e}", r.name))?;
    let hi = if r.hi == "inf" {
        None
    } else {
        Some(rational(&r.hi).map_err(|e| format!("the range of `{}`: {e}", r.name))?)
    };
    if hi.as_ref().is_some_and(|h| *h < lo) {
        return Err(format!("the range of `{}` is empty", r.name));
    }
    Ok(Range {
        lo,
        hi,
        lo_open: r.lo_open,
        hi_open: r.hi_open,
        integer: r.integer,
    })
}

fn run(c: &ClaimCert, out: &mut ClaimReplay) -> Result<(), String> {
    if !(16..=4096).contains(&c.prec) {
        return Err(format!("a precision of {} bits (16 to 4096)", c.prec));
    }
    let mut st = statement(c)?;
    out.statement = format!(
        "for every {}: {}{}",
        c.domain
            .iter()
            .map(|r| format!(
                "{}{} ∈ {}{}, {}{}",
                r.name,
                if r.integer { " (an integer)" } else { "" },
                if r.lo_open { "(" } else { "[" },
                r.lo,
                r.hi,
                if r.hi_open { ")" } else { "]" }
            ))
            .collect::<Vec<_>>()
            .join("; "),
        if c.hypotheses.is_empty() {
            String::new()
        } else {
            format!("{} ⇒ ", c.hypotheses.join(" and "))
        },
        c.statement
    );
    let n = c.coordinates.len();
    for (i, r) in c.domain.iter().enumerate() {
        if c.domain[..i].iter().any(|o| o.name == r.name) {
            return Err(format!("two domains for `{}`", r.name));
        }
    }
    let mut domain = Vec::with_capacity(n);
    for name in &c.coordinates {
        let r = c
            .domain
            .iter()
            .find(|r| &r.name == name)
            .ok_or_else(|| format!("no domain for coordinate `{name}`"))?;
        domain.push(range(r)?);
    }
    if c.domain.len() != n {
        return Err("a domain for a name that is not a coordinate".into());
    }
    let required = reduce(c, &st, domain)?;
    let charts = cover(c, &required)?;
    for (piece, charts) in c.pieces.iter().zip(charts) {
        walk(c, &mut st, piece, &charts, &required, out)?;
    }
    Ok(())
}

/// The scalings re-proved (every comparison of the claim and its hypotheses homogeneous, by
/// the kernel's own degrees) and the domain they reduce to: each fixed coordinate 1, every
/// coordinate a scaling moves over the cone its range generates.
fn reduce(c: &ClaimCert, st: &Statement, mut domain: Vec<Range>) -> Result<Vec<Range>, String> {
    let n = c.coordinates.len();
    let mut fixed: Vec<usize> = Vec::new();
    let mut weights: Vec<Vec<Rational>> = Vec::new();
    for s in &c.scalings {
        let w: Vec<Rational> = c
            .coordinates
            .iter()
            .map(|x| Rational::from(*s.weights.get(x).unwrap_or(&0)))
            .collect();
        let mut memo = HashMap::new();
        for &(l, _, r) in st.hyps.iter().chain(&st.claim.comparisons) {
            let (a, b) = (
                degree(&st.program, l, &w, &mut memo),
                degree(&st.program, r, &w, &mut memo),
            );
            // x op 0 is invariant for x homogeneous of any degree (s^d > 0)
            let zero =
                |id: Id| matches!(&st.program.nodes[id], crate::program::Node::Num(q) if *q == 0);
            let invariant = match (&a, &b) {
                (Some(_), _) if zero(r) => true,
                (_, Some(_)) if zero(l) => true,
                (Some(x), Some(y)) => x == y,
                _ => false,
            };
            if !invariant {
                return Err(format!(
                    "the scaling `{}` does not leave the claim and its hypotheses invariant",
                    s.name
                ));
            }
        }
        let k = c
            .coordinates
            .iter()
            .position(|x| *x == s.fix)
            .ok_or_else(|| {
                format!(
                    "the scaling `{}` fixes `{}`, not a coordinate",
                    s.name, s.fix
                )
            })?;
        let r = &domain[k];
        if !(r.lo == 0 && r.lo_open && r.hi.is_none()) {
            return Err(format!(
                "the scaling `{}` fixes `{}`, whose range is not (0, ∞)",
                s.name, s.fix
            ));
        }
        fixed.push(k);
        weights.push(w);
    }
    // every point reaches the slice: the weights on the fixed coordinates are invertible
    let m = fixed.len();
    let mut a: Vec<Vec<Rational>> = (0..m)
        .map(|i| fixed.iter().map(|&k| weights[i][k].clone()).collect())
        .collect();
    for col in 0..m {
        let Some(piv) = (col..m).find(|&r| a[r][col] != 0) else {
            return Err("the scalings' weights on their fixed coordinates are singular".into());
        };
        a.swap(col, piv);
        for r in 0..m {
            if r != col && a[r][col] != 0 {
                let f = Rational::from(&a[r][col] / &a[col][col]);
                let pivot = a[col].clone();
                for (x, p) in a[r].iter_mut().zip(&pivot) {
                    *x -= Rational::from(&f * p);
                }
            }
        }
    }
    for k in 0..n {
        if fixed.contains(&k) {
            domain[k] = Range {
                lo: Rational::from(1),
                hi: Some(Rational::from(1)),
                lo_open: false,
                hi_open: false,
                integer: false,
            };
        } else if weights.iter().any(|w| w[k] != 0) {
            let r = &domain[k];
            if r.lo < 0 {
                return Err(format!(
                    "a scaling moves `{}`, whose range has negative values",
                    c.coordinates[k]
                ));
            }
            let open = r.lo > 0 || r.lo_open;
            domain[k] = Range {
                lo: Rational::new(),
                hi: None,
                lo_open: open,
                hi_open: true,
                integer: false,
            };
        }
    }
    Ok(domain)
}

/// The pieces cover the reduced domain: for each coordinate the distinct ways the pieces
/// take it cover its range, and the pieces are every combination of them.
fn cover(c: &ClaimCert, required: &[Range]) -> Result<Vec<Vec<Chart>>, String> {
    let n = c.coordinates.len();
    if c.pieces.is_empty() {
        return Err("no pieces: nothing of the domain is covered".into());
    }
    let mut all = Vec::new();
    let mut options: Vec<Vec<(Chart, Rational, Rational)>> = vec![Vec::new(); n];
    let mut keys = Vec::new();
    for (i, p) in c.pieces.iter().enumerate() {
        if p.bounds.len() != n {
            return Err(format!(
                "piece {i} has {} ranges for {n} coordinates",
                p.bounds.len()
            ));
        }
        let mut charts = vec![Chart::Same; n];
        for (name, s) in &p.charts {
            let k = c
                .coordinates
                .iter()
                .position(|x| x == name)
                .ok_or_else(|| format!("piece {i} charts `{name}`, not a coordinate"))?;
            let s = rational(s)?;
            if s <= 0 {
                return Err(format!("piece {i}: the chart {name} = s/u needs s > 0"));
            }
            charts[k] = Chart::Reciprocal(s);
        }
        let mut key = Vec::new();
        for k in 0..n {
            let (lo, hi) = (rational(&p.bounds[k].0)?, rational(&p.bounds[k].1)?);
            if lo > hi {
                return Err(format!(
                    "piece {i}: an empty range for `{}`",
                    c.coordinates[k]
                ));
            }
            if matches!(charts[k], Chart::Reciprocal(_)) && (lo < 0 || hi <= 0) {
                return Err(format!(
                    "piece {i}: u of the chart of `{}` must be in (0, ∞)",
                    c.coordinates[k]
                ));
            }
            let o = (charts[k].clone(), lo, hi);
            let j = match options[k].iter().position(|x| *x == o) {
                Some(j) => j,
                None => {
                    options[k].push(o);
                    options[k].len() - 1
                }
            };
            key.push(j);
        }
        if keys.contains(&key) {
            return Err(format!("piece {i} repeats another"));
        }
        keys.push(key);
        all.push(charts);
    }
    for k in 0..n {
        // the images in x, sorted by lower end: (lo, hi or None for ∞)
        let mut images: Vec<(Rational, Option<Rational>)> = options[k]
            .iter()
            .map(|(ch, lo, hi)| match ch {
                Chart::Same => (lo.clone(), Some(hi.clone())),
                Chart::Reciprocal(s) => (
                    Rational::from(s / hi),
                    (*lo != 0).then(|| Rational::from(s / lo)),
                ),
            })
            .collect();
        images.sort_by(|a, b| a.0.cmp(&b.0));
        let r = &required[k];
        let name = &c.coordinates[k];
        let end = |x: &Option<Rational>| x.as_ref().map_or("∞".to_string(), |h| h.to_string());
        let gap = |a: &Rational, b: &Option<Rational>| {
            format!("the pieces leave {name} ∈ ({a}, {}) uncovered", end(b))
        };
        if images[0].0 > r.lo {
            return Err(gap(&r.lo, &Some(images[0].0.clone())));
        }
        // how far the images reach from the range's lower end (None: to ∞)
        let mut reach: Option<Rational> = images[0].1.clone();
        for im in &images[1..] {
            let Some(h) = &reach else { break };
            if im.0 > *h {
                return Err(gap(h, &Some(im.0.clone())));
            }
            reach = im.1.as_ref().map(|b| h.clone().max(b.clone()));
        }
        if let Some(h) = &reach
            && r.hi.as_ref().is_none_or(|rh| h < rh)
        {
            return Err(gap(h, &r.hi));
        }
    }
    let combos: usize = options.iter().map(|o| o.len().max(1)).product();
    if keys.len() != combos || c.pieces.is_empty() {
        return Err(format!(
            "the pieces are not every combination of their coordinates' ranges ({} of {combos})",
            keys.len()
        ));
    }
    Ok(all)
}

/// The box of a cell in the claim's coordinates.
fn x_box(charts: &[Chart], lo: &[Rational], hi: &[Rational], prec: u32) -> Vec<Iv> {
    (0..lo.len())
        .map(|k| match &charts[k] {
            Chart::Same => Iv::between(&lo[k], Some(&hi[k]), prec),
            Chart::Reciprocal(s) => {
                let a = Rational::from(s / &hi[k]);
                let b = (lo[k] != 0).then(|| Rational::from(s / &lo[k]));
                Iv::between(&a, b.as_ref(), prec)
            }
        })
        .collect()
}

/// The most cells a tree may have.
const MAX_TREE: usize = 50_000_000;
/// The deepest a tree may be (the prover stops at 200 splits).
const MAX_TREE_DEPTH: usize = 4096;

fn walk(
    c: &ClaimCert,
    st: &mut Statement,
    piece: &PieceCert,
    charts: &[Chart],
    required: &[Range],
    out: &mut ClaimReplay,
) -> Result<(), String> {
    let n = c.coordinates.len();
    let x_open: Vec<bool> = (0..n)
        .map(|k| charts[k] == Chart::Same && required[k].lo == 0 && required[k].lo_open)
        .collect();
    let u_open: Vec<bool> = (0..n)
        .map(|k| x_open[k] || matches!(charts[k], Chart::Reciprocal(_)))
        .collect();
    let mut targets: Vec<Id> = st.claim.targets().collect();
    for case in &st.cases {
        targets.extend(case.claim.targets());
        targets.extend(&case.misses);
        for &d in &case.misses {
            targets.extend(
                crate::forms::obligations(&st.program, &[d])
                    .iter()
                    .map(|o| o.0),
            );
        }
    }
    targets.extend(st.case_operands.iter().map(|o| o.0));
    targets.sort_unstable();
    targets.dedup();
    let scales: Vec<Option<Rational>> = charts
        .iter()
        .map(|ch| match ch {
            Chart::Same => None,
            Chart::Reciprocal(s) => Some(s.clone()),
        })
        .collect();
    let mut zeros: Vec<Id> = st.claim.differences.clone();
    for case in &st.cases {
        zeros.extend(&case.claim.differences);
    }
    let mut forms = PieceForms::new(
        &piece.forms,
        &st.program,
        &targets,
        &zeros,
        &scales,
        &st.constants,
    )?;
    let lo: Vec<Rational> = piece
        .bounds
        .iter()
        .map(|b| rational(&b.0))
        .collect::<Result<_, _>>()?;
    let hi: Vec<Rational> = piece
        .bounds
        .iter()
        .map(|b| rational(&b.1))
        .collect::<Result<_, _>>()?;
    if piece.tree.len() > MAX_TREE {
        return Err(format!(
            "a tree of {} cells (at most {MAX_TREE})",
            piece.tree.len()
        ));
    }
    // preorder: a stack of the cells still to be matched with nodes (as deep as the tree)
    let mut stack: Vec<(Vec<Rational>, Vec<Rational>, String)> = vec![(lo, hi, "root".into())];
    let mut nodes = piece.tree.iter();
    while let Some((lo, hi, path)) = stack.pop() {
        let Some(node) = nodes.next() else {
            return Err(format!("the tree ends before the cell {path} is settled"));
        };
        // a chart's u = 0 is no point of the domain (x = s/u)
        let empty = (0..n)
            .any(|k| lo[k] > hi[k] || (matches!(charts[k], Chart::Reciprocal(_)) && hi[k] <= 0));
        match node {
            TreeNode::Split(k, at) | TreeNode::SplitInteger(k, at, _) => {
                let k = *k;
                if k >= n {
                    return Err(format!("cell {path}: a split of coordinate {k} of {n}"));
                }
                let a = rational(at)?;
                let b = match node {
                    TreeNode::SplitInteger(_, _, b) => {
                        let b = rational(b)?;
                        // only where the piece's coordinate is the integer itself: not a
                        // chart's u, not a coordinate a scaling moves
                        let integer = required[k].integer && charts[k] == Chart::Same;
                        if !integer || !a.is_integer() || b != Rational::from(&a + 1u32) {
                            return Err(format!(
                                "cell {path}: an integer split of `{}` at {a}, {b}",
                                c.coordinates[k]
                            ));
                        }
                        b
                    }
                    _ => a.clone(),
                };
                if path.len() > 2 * MAX_TREE_DEPTH {
                    return Err(format!(
                        "a tree deeper than {MAX_TREE_DEPTH} splits (at cell {}…)",
                        &path[..32]
                    ));
                }
                // children clamped to the cell: a point outside makes one of them empty
                let (mut l_hi, mut r_lo) = (hi.clone(), lo.clone());
                l_hi[k] = a.min(hi[k].clone());
                r_lo[k] = b.max(lo[k].clone());
                // preorder: the lower child first
                stack.push((r_lo, hi, format!("{path}.1")));
                stack.push((lo, l_hi, format!("{path}.0")));
            }
            TreeNode::Leaf(m) => {
                out.leaves += 1;
                if empty {
                    continue;
                }
                let x_ends: Vec<(bool, bool)> = (0..n)
                    .map(|k| {
                        let r = &required[k];
                        let same = charts[k] == Chart::Same;
                        (
                            same && r.lo_open && lo[k] == r.lo,
                            same && r.hi_open && r.hi.as_ref() == Some(&hi[k]),
                        )
                    })
                    .collect();
                let u_ends = (0..n)
                    .map(|k| match charts[k] {
                        Chart::Same => x_ends[k],
                        Chart::Reciprocal(_) => (lo[k] == 0, false),
                    })
                    .collect();
                let leaf = Leaf {
                    x: x_box(charts, &lo, &hi, c.prec),
                    x_open: x_open.clone(),
                    x_ends,
                    u_ends,
                    u: (0..n)
                        .map(|k| Iv::between(&lo[k], Some(&hi[k]), c.prec))
                        .collect(),
                    u_open: u_open.clone(),
                    prec: c.prec,
                };
                match settle(st, &mut forms, *m, &leaf) {
                    Ok(how) => *out.settled.entry(how).or_default() += 1,
                    Err(why) => {
                        return Err(format!(
                            "cell {path} ({}), settled by the prover through {}, is not settled by the kernel: {why}",
                            describe_cell(c, &lo, &hi),
                            m.describe()
                        ));
                    }
                }
            }
        }
    }
    if nodes.next().is_some() {
        return Err("the tree has nodes past its last cell".into());
    }
    Ok(())
}

fn describe_cell(c: &ClaimCert, lo: &[Rational], hi: &[Rational]) -> String {
    (0..lo.len())
        .filter(|&k| lo[k] != hi[k])
        .map(|k| {
            format!(
                "{} ∈ [{:.6e}, {:.6e}]",
                c.coordinates[k],
                lo[k].to_f64(),
                hi[k].to_f64()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Settles one leaf with the kernel's methods: a hypothesis certainly false; or the claim
/// ([`holds`]); or else each case of its minima and maxima ([`by_cases`]).
fn settle(
    st: &mut Statement,
    forms: &mut PieceForms,
    m: Method,
    leaf: &Leaf,
) -> Result<&'static str, String> {
    if m == Method::Hypothesis {
        let mut ev = leaf.x_eval(&st.program);
        for &(l, op, r) in &st.hyps {
            if let (Ok(a), Ok(b)) = (ev.get(l), ev.get(r))
                && compare(&a, op, &b) == Truth::False
            {
                return Ok(BY_HYPOTHESIS);
            }
        }
        return Err("no hypothesis certainly fails".into());
    }
    // the prover's method says which to try first; either settles the leaf
    if m == Method::Cases && !st.cases.is_empty() {
        return by_cases(st, forms, leaf).or_else(|c| {
            holds(&mut st.program, &st.claim, forms, leaf)
                .map_err(|e| format!("case by case: {c}; as a whole: {e}"))
        });
    }
    match holds(&mut st.program, &st.claim, forms, leaf) {
        Ok(how) => Ok(how),
        Err(e) if st.cases.is_empty() => Err(e),
        Err(e) => by_cases(st, forms, leaf).map_err(|c| format!("{e}; case by case: {c}")),
    }
}

/// Each comparison of `claim` certainly true on the leaf: plainly, or (its sides shown
/// defined) after fixing monotone coordinates at their worst ends, by the mean-value form,
/// or through a normal form of its margin.
fn holds(
    program: &mut Program,
    claim: &Claim,
    forms: &mut PieceForms,
    leaf: &Leaf,
) -> Result<&'static str, String> {
    let prec = leaf.prec;
    let mut how = BY_PLAIN;
    for (i, &(l, op, r)) in claim.comparisons.iter().enumerate() {
        let mut ev = leaf.x_eval(program);
        let plain = match (ev.get(l), ev.get(r)) {
            (Ok(a), Ok(b)) => compare(&a, op, &b) == Truth::True,
            _ => false,
        };
        drop(ev);
        if plain {
            continue;
        }
        let defined = defined(program, claim, i, forms, leaf);
        if defined
            && op != Cmp::Lt
            && op != Cmp::Gt
            && forms.zero(claim.differences[i], &leaf.u, &leaf.u_open, prec)
        {
            how = BY_IDENTITY;
            continue;
        }
        if !defined {
            return Err("the claim is not shown defined on the cell".into());
        }
        let Some((g, strict)) = claim.margins[i] else {
            return Err("an equation whose sides the kernel's algebra does not find equal".into());
        };
        let k = match refine(
            program,
            g,
            strict,
            &leaf.x,
            &leaf.x_open,
            &leaf.x_ends,
            prec,
        ) {
            Ok(k) => k,
            Err(e) => {
                let need = if strict {
                    Need::Positive
                } else {
                    Need::NonNegative
                };
                if forms.shows(g, need, &leaf.u, &leaf.u_open, &leaf.u_ends, prec) {
                    BY_NORMAL_FORM
                } else {
                    return Err(e);
                }
            }
        };
        if k != BY_MONOTONE || how == BY_PLAIN {
            how = k;
        }
    }
    Ok(how)
}

/// The claim case by case: the operands of its minima and maxima defined on the leaf, and
/// each case's region missing the leaf (a node of [`Case::misses`] shown positive) or the
/// case holding on it ([`holds`]). At a point of the leaf, some case's region holds, where
/// that case's sides are the claim's.
fn by_cases(
    st: &mut Statement,
    forms: &mut PieceForms,
    leaf: &Leaf,
) -> Result<&'static str, String> {
    {
        let mut ev = leaf.x_eval(&st.program);
        for &(y, need) in &st.case_operands {
            if !shown(&mut ev, y, need, forms, leaf) {
                return Err("an operand of a minimum or maximum is not shown defined".into());
            }
        }
    }
    for (i, case) in st.cases.iter().enumerate() {
        let missed = {
            let mut ev = leaf.x_eval(&st.program);
            case.misses.iter().any(|&d| {
                shown(&mut ev, d, Need::Positive, forms, leaf)
                    && defined_node(&mut ev, d, forms, leaf)
            })
        };
        if !missed {
            holds(&mut st.program, &case.claim, forms, leaf)
                .map_err(|e| format!("case {i}: {e}"))?;
        }
    }
    Ok(BY_CASES)
}

/// Whether `y` meets `need` at every point of the leaf in the domain where it is defined:
/// plainly (`ev` is the leaf's evaluation in the claim's coordinates), or through a normal
/// form.
fn shown(ev: &mut Eval, y: Id, need: Need, forms: &mut PieceForms, leaf: &Leaf) -> bool {
    let plain = ev.positive(y)
        || match need {
            Need::Positive => false,
            Need::NonNegative => ev.get(y).is_ok_and(|v| v.nonneg()),
            Need::NonZero => ev.get(y).is_ok_and(|v| v.pos() || v.neg()),
        };
    plain || forms.shows(y, need, &leaf.u, &leaf.u_open, &leaf.u_ends, leaf.prec)
}

/// Whether node `y` is defined at every point of the leaf in the domain: its enclosure
/// exists, or every operand below it meets its need.
fn defined_node(ev: &mut Eval, y: Id, forms: &mut PieceForms, leaf: &Leaf) -> bool {
    if ev.get(y).is_ok() {
        return true;
    }
    crate::forms::obligations(ev.program(), &[y])
        .into_iter()
        .all(|(o, need)| shown(ev, o, need, forms, leaf))
}

/// Whether comparison `i`'s sides are defined at every point of the leaf in the domain:
/// their enclosures exist, or every operand they need meets its need.
fn defined(
    program: &Program,
    claim: &Claim,
    i: usize,
    forms: &mut PieceForms,
    leaf: &Leaf,
) -> bool {
    let mut ev = leaf.x_eval(program);
    let (l, _, r) = claim.comparisons[i];
    if ev.get(l).is_ok() && ev.get(r).is_ok() {
        return true;
    }
    claim.obligations[i]
        .iter()
        .all(|&(y, need)| shown(&mut ev, y, need, forms, leaf))
}

fn positive(x: &Iv, strict: bool) -> bool {
    if strict { x.pos() } else { x.nonneg() }
}

/// g > 0 (`strict`) or g ≥ 0 at the box's points in the domain (`open`: the coordinates
/// whose end 0 is excluded) by monotonicity, then the mean-value form. A coordinate fixed at
/// its end is a point of the closed box there (g's value at the end, not a limit), so that
/// nothing is shown vacuously of a face outside the domain. Fixed at an end the domain
/// excludes (`ends`, lower and upper) with a strictly signed derivative, every point of the
/// domain lies strictly inside, where g exceeds its value at the end: g ≥ 0 there is enough
/// for g > 0.
#[allow(clippy::too_many_arguments)]
pub(crate) fn refine(
    p: &mut Program,
    g: Id,
    strict: bool,
    cell: &[Iv],
    open: &[bool],
    ends: &[(bool, bool)],
    prec: u32,
) -> Result<&'static str, String> {
    let mut open = open.to_vec();
    let mut strictly_inside = false;
    let n = cell.len();
    let mut grads = Vec::with_capacity(n);
    for k in 0..n {
        grads.push(p.derivative(g, k)?);
    }
    let mut reduced = cell.to_vec();
    let mut last = String::from("the claim's margin is not certainly positive");
    for _ in 0..=n {
        let mut ev = Eval::on_domain(p, reduced.clone(), open.clone(), prec);
        match ev.get(g) {
            Ok(v) if positive(&v, strict && !strictly_inside) => return Ok(BY_MONOTONE),
            Ok(_) => {}
            Err(e) => last = e.to_string(),
        }
        let mut fixed = false;
        for k in 0..n {
            if reduced[k].lo == reduced[k].hi {
                continue;
            }
            let Some(dk) = grads[k] else {
                continue;
            };
            let Ok(d) = ev.get(dk) else {
                continue;
            };
            // nondecreasing: the least value is at the lower end (if it is finite)
            let (end, strictly, excluded) = if d.nonneg() {
                (reduced[k].lo.clone(), d.pos(), ends[k].0)
            } else if d.nonpos() {
                (reduced[k].hi.clone(), d.neg(), ends[k].1)
            } else {
                continue;
            };
            if !end.is_finite() {
                continue;
            }
            strictly_inside |= strictly && excluded;
            reduced[k] = Iv {
                lo: end.clone(),
                hi: end,
            };
            open[k] = false;
            fixed = true;
        }
        if !fixed {
            break;
        }
    }
    // mean-value form on the reduced box around its center: g(x) ∈ g(m) + Σ ∂g/∂x_k(box)·(x_k − m_k)
    if reduced.iter().all(|x| x.is_finite()) {
        let mid: Vec<Iv> = reduced
            .iter()
            .map(|x| {
                let m = x.midpoint();
                Iv {
                    lo: m.clone(),
                    hi: m,
                }
            })
            .collect();
        let mut at_mid = Eval::new(p, mid.clone(), prec);
        let mut on_box = Eval::on_domain(p, reduced.clone(), open.clone(), prec);
        if let Ok(mut acc) = at_mid.get(g) {
            let mut ok = true;
            for k in 0..n {
                if reduced[k].lo == reduced[k].hi {
                    continue;
                }
                let Some(dk) = grads[k] else { continue };
                let (Ok(d), Ok(dx)) = (on_box.get(dk), reduced[k].sub(&mid[k])) else {
                    ok = false;
                    break;
                };
                match d.mul(&dx).and_then(|t| acc.add(&t)) {
                    Ok(s) => acc = s,
                    Err(_) => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && positive(&acc, strict) {
                return Ok(BY_MEAN_VALUE);
            }
        }
    }
    Err(last)
}

/// What a replay found for one result at one point.
#[derive(Clone, Debug)]
pub struct PointReplay {
    pub result: String,
    pub verdict: Verdict,
    /// Verdicts re-decided.
    pub checked: usize,
    pub problem: Option<String>,
}

/// Re-decides every verdict of a point certificate at its point, with the kernel's parser and
/// interval arithmetic at the certificate's precision: "holds" needs every comparison certainly
/// true there, "fails" one certainly false.
pub fn replay_point(p: &crate::format::PointCert) -> PointReplay {
    let mut out = PointReplay {
        result: p.result.clone(),
        verdict: Verdict::Invalid,
        checked: 0,
        problem: None,
    };
    match on_a_large_stack(|| run_point(p, &mut out)) {
        Ok(()) => out.verdict = Verdict::Valid,
        Err(e) => out.problem = Some(e),
    }
    out
}

fn run_point(p: &crate::format::PointCert, out: &mut PointReplay) -> Result<(), String> {
    if !(16..=1 << 17).contains(&p.prec) {
        return Err(format!("a precision of {} bits", p.prec));
    }
    let coords: Vec<String> = p.point.iter().map(|(n, _)| n.clone()).collect();
    let values: Vec<Rational> = p
        .point
        .iter()
        .map(|(_, v)| rational(v))
        .collect::<Result<_, _>>()?;
    let (constants, defs) = names(&coords, &p.constants, &p.definitions)?;
    let mut b = Builder::new(coords, &constants, &defs);
    let mut items = Vec::new();
    for v in &p.verdicts {
        let conj =
            parse::conjunction(&v.text).map_err(|e| format!("{} `{}`: {e}", v.kind, v.name))?;
        items.push((
            v,
            b.conjunction(&conj)
                .map_err(|e| format!("{} `{}`: {e}", v.kind, v.name))?,
        ));
    }
    let cells = values.iter().map(|q| Iv::rational(q, p.prec)).collect();
    let mut ev = Eval::new(&b.program, cells, p.prec);
    let mut memo = HashMap::new();
    for (v, comparisons) in items {
        let mut all = true;
        let mut any_false = false;
        for &(l, op, r) in &comparisons {
            // exactly where both sides are rational at the point, else by intervals
            let exact = (
                crate::program::exact(&b.program, l, &values, &mut memo),
                crate::program::exact(&b.program, r, &values, &mut memo),
            );
            let t = match exact {
                (Some(a), Some(c)) => {
                    let holds = match op {
                        Cmp::Lt => a < c,
                        Cmp::Le => a <= c,
                        Cmp::Gt => a > c,
                        Cmp::Ge => a >= c,
                        Cmp::Eq => a == c,
                    };
                    if holds { Truth::True } else { Truth::False }
                }
                _ => match (ev.get(l), ev.get(r)) {
                    (Ok(a), Ok(b)) => compare(&a, op, &b),
                    _ => Truth::Unknown,
                },
            };
            all &= t == Truth::True;
            any_false |= t == Truth::False;
        }
        let ok = if v.holds { all } else { any_false };
        if !ok {
            return Err(format!(
                "the {} `{}` ({}) is said to {} at the point, which the kernel does not find at {} bits",
                v.kind,
                v.name,
                v.text,
                if v.holds { "hold" } else { "fail" },
                p.prec
            ));
        }
        out.checked += 1;
    }
    Ok(())
}
