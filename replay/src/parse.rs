//! The kernel's own parser: arithmetic with `+ - * / ^`, the functions `sqrt log exp abs
//! min max ceil floor`, comparisons `< <= > >= ==` joined by `and`. Numbers are exact
//! rationals (`0.1` is one tenth, `1e-4`, `3/7` as a quotient). Names stay names here; the
//! certificate resolves them ([`crate::claim`]).

use rug::ops::Pow;
use rug::{Integer, Rational};

/// An expression as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    Num(Rational),
    Name(String),
    Neg(Box<Ast>),
    Bin(char, Box<Ast>, Box<Ast>),
    Call(String, Vec<Ast>),
}

/// A comparison `lhs op rhs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

/// Comparisons joined by `and`.
pub type Conjunction = Vec<(Ast, Cmp, Ast)>;

/// The deepest nesting accepted (a deeper text is refused, not a stack overflow).
const MAX_DEPTH: usize = 200;
/// The longest text accepted.
const MAX_LEN: usize = 1 << 20;
/// The largest decimal exponent of a number.
const MAX_EXP: i64 = 10_000;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Rational),
    Name(String),
    Op(char),
    Cmp(Cmp),
    And,
    Open,
    Close,
    Comma,
    End,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    if s.len() > MAX_LEN {
        return Err(format!("a text of {} bytes (at most {MAX_LEN})", s.len()));
    }
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || c == b'.' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let mantissa = &s[start..i];
            let mut exp: i64 = 0;
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                let mut j = i + 1;
                let neg = j < b.len() && b[j] == b'-';
                if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
                    j += 1;
                }
                let d0 = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j == d0 {
                    return Err(format!("a number with an empty exponent at byte {i}"));
                }
                let e: i64 = s[d0..j]
                    .parse()
                    .ok()
                    .filter(|e: &i64| *e <= MAX_EXP)
                    .ok_or_else(|| format!("an exponent past {MAX_EXP} at byte {i}"))?;
                exp = if neg { -e } else { e };
                i = j;
            }
            out.push(Tok::Num(decimal(mantissa, exp)?));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let w = &s[start..i];
            out.push(if w == "and" {
                Tok::And
            } else {
                Tok::Name(w.to_string())
            });
            continue;
        }
        let two = b.get(i + 1) == Some(&b'=');
        let t = match c {
            b'+' | b'-' | b'*' | b'/' | b'^' => Tok::Op(c as char),
            b'(' => Tok::Open,
            b')' => Tok::Close,
            b',' => Tok::Comma,
            b'<' if two => Tok::Cmp(Cmp::Le),
            b'<' => Tok::Cmp(Cmp::Lt),
            b'>' if two => Tok::Cmp(Cmp::Ge),
            b'>' => Tok::Cmp(Cmp::Gt),
            b'=' if two => Tok::Cmp(Cmp::Eq),
            _ => return Err(format!("an unexpected character at byte {i}")),
        };
        i += if matches!(t, Tok::Cmp(Cmp::Le | Cmp::Ge | Cmp::Eq)) {
            2
        } else {
            1
        };
        out.push(t);
    }
    out.push(Tok::End);
    Ok(out)
}

/// `digits.digits` times 10^exp, exactly.
fn decimal(m: &str, exp: i64) -> Result<Rational, String> {
    let (int, frac) = m.split_once('.').unwrap_or((m, ""));
    if int.is_empty() && frac.is_empty() || frac.contains('.') {
        return Err(format!("a malformed number `{m}`"));
    }
    let digits: Integer = format!("{int}{frac}")
        .parse()
        .map_err(|_| format!("`{m}`"))?;
    let e = exp - frac.len() as i64;
    let ten = Integer::from(10).pow(e.unsigned_abs() as u32);
    Ok(if e >= 0 {
        Rational::from(digits * ten)
    } else {
        Rational::from((digits, ten))
    })
}

struct P {
    t: Vec<Tok>,
    i: usize,
    depth: usize,
}

impl P {
    fn peek(&self) -> &Tok {
        &self.t[self.i]
    }
    fn next(&mut self) -> Tok {
        let t = self.t[self.i].clone();
        if self.i + 1 < self.t.len() {
            self.i += 1;
        }
        t
    }
    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH}"));
        }
        Ok(())
    }
    fn sum(&mut self) -> Result<Ast, String> {
        let mut a = self.product()?;
        while let Tok::Op(c @ ('+' | '-')) = *self.peek() {
            self.next();
            a = Ast::Bin(c, Box::new(a), Box::new(self.product()?));
        }
        Ok(a)
    }
    fn product(&mut self) -> Result<Ast, String> {
        let mut a = self.unary()?;
        while let Tok::Op(c @ ('*' | '/')) = *self.peek() {
            self.next();
            a = Ast::Bin(c, Box::new(a), Box::new(self.unary()?));
        }
        Ok(a)
    }
    fn unary(&mut self) -> Result<Ast, String> {
        if *self.peek() == Tok::Op('-') {
            self.next();
            self.deeper()?;
            let a = Ast::Neg(Box::new(self.unary()?));
            self.depth -= 1;
            return Ok(a);
        }
        if *self.peek() == Tok::Op('+') {
            self.next();
        }
        self.power()
    }
    fn power(&mut self) -> Result<Ast, String> {
        let base = self.atom()?;
        if *self.peek() == Tok::Op('^') {
            self.next();
            self.deeper()?;
            let e = self.unary()?;
            self.depth -= 1;
            return Ok(Ast::Bin('^', Box::new(base), Box::new(e)));
        }
        Ok(base)
    }
    fn atom(&mut self) -> Result<Ast, String> {
        match self.next() {
            Tok::Num(q) => Ok(Ast::Num(q)),
            Tok::Name(n) => {
                if *self.peek() != Tok::Open {
                    return Ok(Ast::Name(n));
                }
                self.next();
                self.deeper()?;
                let mut args = vec![self.sum()?];
                while *self.peek() == Tok::Comma {
                    self.next();
                    args.push(self.sum()?);
                }
                self.depth -= 1;
                if self.next() != Tok::Close {
                    return Err(format!("`{n}(` without its `)`"));
                }
                Ok(Ast::Call(n, args))
            }
            Tok::Open => {
                self.deeper()?;
                let a = self.sum()?;
                self.depth -= 1;
                if self.next() != Tok::Close {
                    return Err("a `(` without its `)`".into());
                }
                Ok(a)
            }
            t => Err(format!("an expression expected, found {t:?}")),
        }
    }
}

/// Parses an expression.
pub fn expr(s: &str) -> Result<Ast, String> {
    let mut p = P {
        t: lex(s)?,
        i: 0,
        depth: 0,
    };
    let a = p.sum()?;
    if *p.peek() != Tok::End {
        return Err(format!(
            "unexpected {:?} after a complete expression",
            p.peek()
        ));
    }
    Ok(a)
}

/// Parses comparisons joined by `and` (a chain `a < b <= c` is refused).
pub fn conjunction(s: &str) -> Result<Conjunction, String> {
    let mut p = P {
        t: lex(s)?,
        i: 0,
        depth: 0,
    };
    let mut out = Vec::new();
    loop {
        let lhs = p.sum()?;
        let Tok::Cmp(op) = p.next() else {
            return Err("a comparison expected".into());
        };
        let rhs = p.sum()?;
        out.push((lhs, op, rhs));
        match p.next() {
            Tok::And => continue,
            Tok::End => return Ok(out),
            t => return Err(format!("unexpected {t:?} after a comparison")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_exact_and_precedence_is_usual() {
        assert_eq!(expr("0.1").unwrap(), Ast::Num(Rational::from((1, 10))));
        assert_eq!(expr("25e-2").unwrap(), Ast::Num(Rational::from((1, 4))));
        let a = expr("-x^2").unwrap();
        assert!(matches!(a, Ast::Neg(_)));
        let c = conjunction("a < b and b <= 2*c").unwrap();
        assert_eq!(c.len(), 2);
        assert!(expr("((((x").is_err());
        assert!(expr(&"(".repeat(100_000)).is_err());
        assert!(expr("1e99999").is_err());
        assert!(expr("1..2").is_err());
    }
}
