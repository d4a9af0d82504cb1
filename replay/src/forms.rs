//! Leaves settled through a normal form: the certificate's forms `factor · rest` of a piece,
//! matched by the kernel's own algebra ([`crate::normal`]) to the quantities of the claim
//! they equal (a comparison's margin, or an operand that must be nonzero, nonnegative or
//! positive for the claim to be defined), and on each leaf the signs of the factor and the
//! rest shown with the kernel's intervals, where every condition of the expansions is
//! positive.

use crate::format::FormCert;
use crate::interval::Iv;
use crate::normal::{Algebra, Conditions, Expansion, Poly};
use crate::parse;
use crate::program::{Builder, Eval, Id, Node, Program};
use rug::Rational;
use std::collections::{BTreeMap, HashMap};

/// What a quantity must be on a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Positive,
    NonNegative,
    NonZero,
}

/// One form of a piece, as nodes of the forms' program: the factor, the rest, and the
/// variants of the rest the algebra confirmed (`rest = m·q`, with `m`), each with its
/// negation (for a negative sign).
struct Form {
    factor: Option<(Id, Id)>,
    rests: Vec<(Option<Id>, Id, Id)>,
}

/// A form that equals a quantity where `conditions` (nodes of the forms' program) are
/// positive.
struct Match {
    form: usize,
    conditions: Vec<Id>,
}

/// The forms of one piece, in its coordinates, and what each equals.
pub struct PieceForms {
    pub program: Program,
    forms: Vec<Form>,
    matches: HashMap<Id, Vec<Match>>,
    /// Statement nodes the algebra finds identically 0, with the conditions that needs.
    zeros: HashMap<Id, Vec<Id>>,
}

impl PieceForms {
    /// Parses the piece's forms (in the piece's coordinates `coords`; `charts[k] = Some(s)`
    /// where coordinate k of `statement` is `s/u_k`) and matches them to `targets`, nodes of
    /// `statement`.
    pub fn new(
        certs: &[FormCert],
        statement: &Program,
        targets: &[Id],
        zeros: &[Id],
        charts: &[Option<Rational>],
        constants: &HashMap<String, Rational>,
    ) -> Result<PieceForms, String> {
        let none = HashMap::new();
        let mut b = Builder::new(statement.coords.clone(), constants, &none);
        let mut parsed = Vec::with_capacity(certs.len());
        let text = |b: &mut Builder, t: &str, i: usize| -> Result<Id, String> {
            let a = parse::expr(t).map_err(|e| format!("form {i}: `{t}`: {e}"))?;
            b.ast(&a).map_err(|e| format!("form {i}: `{t}`: {e}"))
        };
        for (i, f) in certs.iter().enumerate() {
            let factor = match &f.factor {
                Some(t) => Some(text(&mut b, t, i)?),
                None => None,
            };
            let rest = text(&mut b, &f.rest, i)?;
            let mut variants = Vec::new();
            for (m, q) in &f.variants {
                variants.push((text(&mut b, m, i)?, text(&mut b, q, i)?));
            }
            parsed.push((factor, rest, variants));
        }
        let mut program = b.program;
        let mut alg = Algebra::default();
        let charted: Vec<Option<(Rational, usize)>> = charts
            .iter()
            .enumerate()
            .map(|(k, s)| s.clone().map(|s| (s, k)))
            .collect();
        // expansions, then the conditions written as nodes
        let mut found: Vec<(Id, usize, Conditions)> = Vec::new();
        let mut zero_conds: Vec<(Id, Conditions)> = Vec::new();
        let mut kept: Vec<Vec<(Option<Id>, Id, Conditions)>> = Vec::new();
        {
            let mut xs = Expansion::new(&mut alg, statement, &charted);
            let target_polys: Vec<Option<(Poly, Conditions)>> =
                targets.iter().map(|&t| xs.of(&mut alg, t)).collect();
            for &z in zeros {
                if let Some((p, c)) = xs.of(&mut alg, z)
                    && alg.equal(&p, &Poly::new())
                {
                    zero_conds.push((z, c));
                }
            }
            let mut us = Expansion::new(&mut alg, &program, &[]);
            for (i, (factor, rest, variants)) in parsed.iter().enumerate() {
                let Some((r, cr)) = us.of(&mut alg, *rest) else {
                    kept.push(Vec::new());
                    continue;
                };
                let (fr, conds) = match factor {
                    None => (Some(r.clone()), cr.clone()),
                    Some(f) => match us.of(&mut alg, *f) {
                        Some((pf, cf)) => {
                            let mut c = cr.clone();
                            c.extend(cf);
                            (alg.mul(&pf, &r), c)
                        }
                        None => (None, Conditions::new()),
                    },
                };
                let mut rests = vec![(None, *rest, Conditions::new())];
                for &(m, q) in variants {
                    if let (Some((pm, cm)), Some((pq, cq))) =
                        (us.of(&mut alg, m), us.of(&mut alg, q))
                        && alg.mul(&pm, &pq).is_some_and(|x| alg.equal(&x, &r))
                    {
                        let mut c = cm;
                        c.extend(cq);
                        rests.push((Some(m), q, c));
                    }
                }
                kept.push(rests);
                let Some(fr) = fr else { continue };
                for (t, tp) in targets.iter().zip(&target_polys) {
                    if let Some((p, ct)) = tp
                        && !alg.apart(p, &fr)
                        && alg.equal(p, &fr)
                    {
                        let mut c = conds.clone();
                        c.extend(ct.iter().copied());
                        found.push((*t, i, c));
                    }
                }
            }
        }
        let mut nodes: BTreeMap<usize, Id> = BTreeMap::new();
        let mut node_of = |a: usize, program: &mut Program| -> Result<Id, String> {
            if let Some(&id) = nodes.get(&a) {
                return Ok(id);
            }
            let id = alg.materialize(a, program)?;
            nodes.insert(a, id);
            Ok(id)
        };
        let mut forms = Vec::with_capacity(parsed.len());
        for ((factor, _, _), rests) in parsed.iter().zip(kept) {
            let factor = match factor {
                Some(f) => Some((*f, program.push(Node::Neg(*f))?)),
                None => None,
            };
            let mut rs = Vec::new();
            for (m, q, conds) in rests {
                // a variant's own conditions join its multiplier's positivity: both are
                // shown before it is used, as one condition node per atom
                let mut m_and = m;
                if !conds.is_empty() {
                    let mut acc = m.unwrap_or(program.push(Node::Num(Rational::from(1)))?);
                    for a in conds {
                        let c = node_of(a, &mut program)?;
                        acc = program.push(Node::Min(vec![acc, c]))?;
                    }
                    m_and = Some(acc);
                }
                rs.push((m_and, q, program.push(Node::Neg(q))?));
            }
            forms.push(Form { factor, rests: rs });
        }
        let mut matches: HashMap<Id, Vec<Match>> = HashMap::new();
        for (t, i, conds) in found {
            let conditions = conds
                .into_iter()
                .map(|a| node_of(a, &mut program))
                .collect::<Result<Vec<_>, _>>()?;
            matches.entry(t).or_default().push(Match {
                form: i,
                conditions,
            });
        }
        let mut zero_nodes = HashMap::new();
        for (z, conds) in zero_conds {
            let c = conds
                .into_iter()
                .map(|a| node_of(a, &mut program))
                .collect::<Result<Vec<_>, _>>()?;
            zero_nodes.insert(z, c);
        }
        Ok(PieceForms {
            program,
            forms,
            matches,
            zeros: zero_nodes,
        })
    }

    /// Whether `target` (a node of the statement) is shown to meet `need` on the cell (`cell`
    /// in the piece's coordinates, `open` those whose end 0 is excluded) through a form.
    pub fn shows(
        &mut self,
        target: Id,
        need: Need,
        cell: &[Iv],
        open: &[bool],
        ends: &[(bool, bool)],
        prec: u32,
    ) -> bool {
        let Some(ms) = self.matches.get(&target) else {
            return false;
        };
        let ms: Vec<(usize, Vec<Id>)> = ms.iter().map(|m| (m.form, m.conditions.clone())).collect();
        // first with one evaluation of the forms over the cell; then, for the forms that
        // need more, by monotonicity and the kernel's own subdivision
        let mut candidates = Vec::new();
        {
            let mut ev = on_cell(&self.program, cell, open, prec);
            for (f, conditions) in &ms {
                if !conditions
                    .iter()
                    .all(|&c| ev.get(c).is_ok() && ev.positive(c))
                {
                    continue;
                }
                let form = &self.forms[*f];
                let mut check = |c: Check| match c {
                    Check::Signed(x, strict) => {
                        ev.get(x).is_ok_and(|v| !strict && v.nonneg()) || {
                            ev.get(x).is_ok() && ev.positive(x)
                        }
                    }
                    Check::Positive(m) => ev.get(m).is_ok() && ev.positive(m),
                    Check::Defined(x) => ev.get(x).is_ok(),
                };
                if decide(form.factor, &form.rests, need, &mut check) {
                    return true;
                }
                candidates.push(*f);
            }
        }
        for f in candidates {
            let (factor, rests) = (self.forms[f].factor, self.forms[f].rests.clone());
            let mut check = |c: Check| match c {
                Check::Signed(x, strict) => self.signed(x, strict, cell, open, ends, prec),
                Check::Positive(m) => {
                    let mut ev = on_cell(&self.program, cell, open, prec);
                    ev.get(m).is_ok() && ev.positive(m)
                }
                Check::Defined(x) => {
                    let mut ev = on_cell(&self.program, cell, open, prec);
                    ev.get(x).is_ok()
                }
            };
            if decide(factor, &rests, need, &mut check) {
                return true;
            }
        }
        false
    }

    /// Whether statement node `z` is 0 on the cell's points in the domain where it is
    /// defined: the algebra found it identically 0, and its conditions are positive there.
    pub fn zero(&self, z: Id, cell: &[Iv], open: &[bool], prec: u32) -> bool {
        let Some(conditions) = self.zeros.get(&z) else {
            return false;
        };
        let mut ev = on_cell(&self.program, cell, open, prec);
        conditions
            .iter()
            .all(|&c| ev.get(c).is_ok() && ev.positive(c))
    }

    /// `x > 0` (`strict`) or `x ≥ 0` on the cell's points in the domain, x defined at all of
    /// them: by its enclosure, its form, or monotonicity and the mean-value form.
    fn signed(
        &mut self,
        x: Id,
        strict: bool,
        cell: &[Iv],
        open: &[bool],
        ends: &[(bool, bool)],
        prec: u32,
    ) -> bool {
        // defined on the whole cell first: a sign "where defined" says nothing elsewhere
        on_cell(&self.program, cell, open, prec).get(x).is_ok()
            && self.signed_on_parts(x, strict, cell, open, ends, prec, 0)
    }

    /// [`PieceForms::signed`] on `cell` by monotonicity and the mean-value form, or else on
    /// each half of its widest coordinate, down to [`MAX_SIGN_DEPTH`] halvings: the kernel's
    /// own subdivision, so that it does not depend on the prover's way of reducing a box.
    #[allow(clippy::too_many_arguments)]
    fn signed_on_parts(
        &mut self,
        x: Id,
        strict: bool,
        cell: &[Iv],
        open: &[bool],
        ends: &[(bool, bool)],
        prec: u32,
        depth: u32,
    ) -> bool {
        {
            let mut ev = on_cell(&self.program, cell, open, prec);
            if ev.positive(x) || (!strict && ev.get(x).is_ok_and(|v| v.nonneg())) {
                return true;
            }
        }
        if crate::check::refine(&mut self.program, x, strict, cell, open, ends, prec).is_ok() {
            return true;
        }
        if depth >= MAX_SIGN_DEPTH {
            return false;
        }
        let width = |v: &Iv| rug::Float::with_val(prec, &v.hi - &v.lo);
        let Some(k) = (0..cell.len())
            .filter(|&k| cell[k].is_finite() && cell[k].lo < cell[k].hi)
            .max_by(|&a, &b| width(&cell[a]).total_cmp(&width(&cell[b])))
        else {
            return false;
        };
        let mid = cell[k].midpoint();
        let (mut lower, mut upper) = (cell.to_vec(), cell.to_vec());
        lower[k].hi = mid.clone();
        upper[k].lo = mid;
        let (mut ends_lo, mut ends_hi) = (ends.to_vec(), ends.to_vec());
        ends_lo[k].1 = false;
        ends_hi[k].0 = false;
        self.signed_on_parts(x, strict, &lower, open, &ends_lo, prec, depth + 1)
            && self.signed_on_parts(x, strict, &upper, open, &ends_hi, prec, depth + 1)
    }
}

/// How many times the kernel halves a cell to show a factor's or a rest's sign.
const MAX_SIGN_DEPTH: u32 = 6;

/// Every node `roots` depend on (themselves included), each once.
pub fn reachable(p: &Program, roots: &[Id]) -> Vec<Id> {
    let mut seen = vec![false; p.nodes.len()];
    let mut stack: Vec<Id> = roots.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen[id] {
            seen[id] = true;
            out.push(id);
            stack.extend(p.nodes[id].operands());
        }
    }
    out
}

/// Node `id` with each node of `pick` replaced by its value there (inside the replacement
/// too), new nodes pushed only where something changed.
pub fn substitute(
    p: &mut Program,
    id: Id,
    pick: &HashMap<Id, Id>,
    memo: &mut HashMap<Id, Id>,
) -> Result<Id, String> {
    if let Some(&x) = memo.get(&id) {
        return Ok(x);
    }
    let out = if let Some(&to) = pick.get(&id) {
        substitute(p, to, pick, memo)?
    } else {
        let node = p.nodes[id].clone();
        let old = node.operands();
        let mut new = Vec::with_capacity(old.len());
        for &c in &old {
            new.push(substitute(p, c, pick, memo)?);
        }
        if new == old {
            id
        } else {
            let mut it = new.into_iter();
            let mut next = || it.next().unwrap_or_default();
            let rebuilt = match node {
                Node::Neg(_) => Node::Neg(next()),
                Node::Pow(_, q) => Node::Pow(next(), q),
                Node::Sqrt(_) => Node::Sqrt(next()),
                Node::Log(_) => Node::Log(next()),
                Node::Exp(_) => Node::Exp(next()),
                Node::Abs(_) => Node::Abs(next()),
                Node::Ceil(_) => Node::Ceil(next()),
                Node::Floor(_) => Node::Floor(next()),
                Node::Add(..) => Node::Add(next(), next()),
                Node::Sub(..) => Node::Sub(next(), next()),
                Node::Mul(..) => Node::Mul(next(), next()),
                Node::Div(..) => Node::Div(next(), next()),
                Node::PowVar(..) => Node::PowVar(next(), next()),
                Node::Min(a) => Node::Min(a.iter().map(|_| next()).collect()),
                Node::Max(a) => Node::Max(a.iter().map(|_| next()).collect()),
                // derivative nodes are never below a claim's sides
                other => other,
            };
            p.push(rebuilt)?
        }
    };
    memo.insert(id, out);
    Ok(out)
}

/// Enclosures of `program`'s nodes over `cell`, its `open` coordinates excluding their end 0.
fn on_cell<'p>(program: &'p Program, cell: &[Iv], open: &[bool], prec: u32) -> Eval<'p> {
    Eval::on_domain(program, cell.to_vec(), open.to_vec(), prec)
}

/// What [`decide`] asks of a cell.
enum Check {
    /// the node > 0 (strict) or ≥ 0, and defined, on the cell
    Signed(Id, bool),
    /// the node > 0 and defined on the cell
    Positive(Id),
    /// the node defined on the cell
    Defined(Id),
}

/// Whether `factor · rest` meets `need` on a cell, by the checks `check` answers: the factor's
/// sign (strictly, unless the need is ≥ 0), then the rest's, or a variant's whose multiplier
/// is positive there.
fn decide(
    factor: Option<(Id, Id)>,
    rests: &[(Option<Id>, Id, Id)],
    need: Need,
    check: &mut dyn FnMut(Check) -> bool,
) -> bool {
    let strict = need != Need::NonNegative;
    let sign = match factor {
        None => 1,
        Some((x, neg)) => {
            if check(Check::Signed(x, strict)) {
                1
            } else if check(Check::Signed(neg, strict)) {
                -1
            } else {
                return false;
            }
        }
    };
    // a variant stands for the rest only where the rest is defined too (rest = m·q was shown
    // where both sides are): the rest must be defined on the cell
    let rest = rests.first().map(|r| r.1);
    rests.iter().any(|&(m, q, neg_q)| {
        m.is_none_or(|m| {
            check(Check::Positive(m)) && rest.is_some_and(|r| check(Check::Defined(r)))
        }) && match need {
            Need::NonZero => check(Check::Signed(q, true)) || check(Check::Signed(neg_q, true)),
            _ if sign > 0 => check(Check::Signed(q, strict)),
            _ => check(Check::Signed(neg_q, strict)),
        }
    })
}

/// The operands a node needs for the claim to be defined, below `roots`: each divisor
/// nonzero, each logarithm's argument and real power's base positive, each square root's
/// argument nonnegative (as the kernel's intervals define them).
pub fn obligations(p: &Program, roots: &[Id]) -> Vec<(Id, Need)> {
    let mut seen = vec![false; p.nodes.len()];
    let mut stack: Vec<Id> = roots.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if seen[id] {
            continue;
        }
        seen[id] = true;
        let node = &p.nodes[id];
        match node {
            Node::Div(_, y) => out.push((*y, Need::NonZero)),
            Node::Log(x) | Node::PowVar(x, _) => out.push((*x, Need::Positive)),
            Node::Sqrt(x) => out.push((*x, Need::NonNegative)),
            Node::Pow(x, q) => {
                let need = if q.is_integer() {
                    Need::NonZero
                } else if *q.denom() == 2 && *q > 0 {
                    Need::NonNegative
                } else {
                    Need::Positive
                };
                if !(q.is_integer() && *q >= 0) {
                    out.push((*x, need));
                }
            }
            _ => {}
        }
        stack.extend(node.operands());
    }
    out
}
