//! A register of a tape written back as text in the expression language (fully
//! parenthesized where precedence needs it), so that a derived expression (a normal form, a
//! derivative, a reduced claim) can be shown to a person or re-parsed by another reader.
//! Derivative-only instructions (`MinD`, `MaxD`, `AbsD`, `Undiff`) have no surface syntax and
//! are written as calls of those names.

use super::tape::{Op, Reg, Tape};

/// Binding strength of what a register renders to: 0 a sum, 1 a product, 2 a unary minus,
/// 3 a power, 4 an atom (a name, a call, a parenthesized expression).
fn strength(op: &Op) -> u8 {
    match op {
        Op::Add(..) | Op::Sub(..) => 0,
        Op::Mul(..) | Op::Div(..) => 1,
        Op::Neg(_) => 2,
        Op::PowInt(..) | Op::Pow(..) => 3,
        _ => 4,
    }
}

/// The text of register `r` (shared sub-expressions are written out each time they occur;
/// the result is at most `limit` bytes, else `None`).
pub fn render(tape: &Tape, r: Reg, limit: usize) -> Option<String> {
    let mut out = String::new();
    write(tape, r, &mut out, limit)?;
    Some(out)
}

fn write(tape: &Tape, r: Reg, out: &mut String, limit: usize) -> Option<()> {
    if out.len() > limit {
        return None;
    }
    let op = tape.instrs[r].op;
    let wrapped = |out: &mut String, a: Reg, min: u8| -> Option<()> {
        if strength(&tape.instrs[a].op) < min || negative_literal(tape, a) && min > 0 {
            out.push('(');
            write(tape, a, out, limit)?;
            out.push(')');
            Some(())
        } else {
            write(tape, a, out, limit)
        }
    };
    let call = |out: &mut String, name: &str, args: &[Reg]| -> Option<()> {
        out.push_str(name);
        out.push('(');
        for (i, &a) in args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write(tape, a, out, limit)?;
        }
        out.push(')');
        Some(())
    };
    match op {
        Op::Input(k) => out.push_str(&tape.inputs[k]),
        Op::Const(k) => {
            let q = &tape.consts[k];
            if q.is_integer() {
                out.push_str(&q.to_string());
            } else {
                out.push('(');
                out.push_str(&q.to_string());
                out.push(')');
            }
        }
        Op::Add(a, b) | Op::Sub(a, b) => {
            wrapped(out, a, 0)?;
            out.push_str(if matches!(op, Op::Add(..)) {
                " + "
            } else {
                " - "
            });
            wrapped(out, b, 1)?;
        }
        Op::Mul(a, b) | Op::Div(a, b) => {
            wrapped(out, a, 1)?;
            out.push(if matches!(op, Op::Mul(..)) { '*' } else { '/' });
            wrapped(out, b, 2)?;
        }
        Op::Neg(a) => {
            out.push('-');
            wrapped(out, a, 2)?;
        }
        Op::PowInt(a, n) => {
            wrapped(out, a, 4)?;
            if n < 0 {
                out.push_str(&format!("^({n})"));
            } else {
                out.push_str(&format!("^{n}"));
            }
        }
        Op::Pow(a, b) => {
            wrapped(out, a, 4)?;
            out.push('^');
            wrapped(out, b, 4)?;
        }
        Op::Sqrt(a) => call(out, "sqrt", &[a])?,
        Op::Log(a) => call(out, "log", &[a])?,
        Op::Exp(a) => call(out, "exp", &[a])?,
        Op::Floor(a) => call(out, "floor", &[a])?,
        Op::Ceil(a) => call(out, "ceil", &[a])?,
        Op::Abs(a) => call(out, "abs", &[a])?,
        Op::Sin(a) => call(out, "sin", &[a])?,
        Op::Cos(a) => call(out, "cos", &[a])?,
        Op::Min(a, b) => call(out, "min", &[a, b])?,
        Op::Max(a, b) => call(out, "max", &[a, b])?,
        Op::MinD(a, b, c, d) => call(out, "min_d", &[a, b, c, d])?,
        Op::MaxD(a, b, c, d) => call(out, "max_d", &[a, b, c, d])?,
        Op::AbsD(a, b) => call(out, "abs_d", &[a, b])?,
        Op::Undiff(a) => call(out, "undiff", &[a])?,
    }
    (out.len() <= limit).then_some(())
}

/// A negative literal is written in parentheses wherever it is an operand of something
/// binding tighter than a sum, so that `x*(-2)` does not read as `x*-2`.
fn negative_literal(tape: &Tape, r: Reg) -> bool {
    matches!(tape.instrs[r].op, Op::Const(k) if tape.consts[k] < 0)
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::expr::{RationalEval, Tape, parse};
    use rug::Rational;
    use std::collections::HashMap;

    /// Compiles `src` over x, y; renders it; re-parses the text and compares exact values at
    /// a few points: the text means what the register computes.
    fn round_trip(src: &str) -> String {
        let names = vec!["x".to_string(), "y".to_string()];
        let env: HashMap<String, usize> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
        let mut tape = Tape::new(names.clone());
        let r = tape.compile(&parse(src, "t").unwrap(), &env, 0).unwrap();
        let text = render(&tape, r, 10_000).unwrap();
        let mut tape2 = Tape::new(names);
        let r2 = tape2
            .compile(&parse(&text, "t2").unwrap(), &env, 0)
            .unwrap();
        for (x, y) in [((3, 7), (5, 2)), ((-2, 3), (1, 9)), ((11, 4), (-3, 5))] {
            let inputs = [Rational::from(x), Rational::from(y)];
            let mut a = RationalEval::new(&tape);
            a.run(&tape, &inputs);
            let mut b = RationalEval::new(&tape2);
            b.run(&tape2, &inputs);
            assert_eq!(a.get(r), b.get(r2), "{src} rendered as {text}");
        }
        text
    }

    #[test]
    fn rendered_text_means_the_same() {
        for src in [
            "x - (y - x)",
            "x/(y*x)",
            "-(x + y)^2",
            "(-x)^3",
            "x^(-2) + 1",
            "x*(-3/2) - -y",
            "(x - y)/(x + y) - x/y/x",
            "min(x, y) - max(x*y, 1) + abs(x - 2)",
            "2^3^2 - x",
        ] {
            round_trip(src);
        }
    }
}
