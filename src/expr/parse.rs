//! Lexer and recursive-descent parser for the expression language:
//! numbers, variables, `+ - * / ^`, unary minus, parentheses, the functions
//! `sqrt log exp min max ceil floor abs`, comparisons `< <= > >= ==`, and `and`.
//!
//! Precedence, loosest first: `and`; comparisons (which do not chain); `+ -`; `* /`;
//! unary minus; `^` (right-associative, so `-x^2 = -(x^2)` and `2^-1 = 2^(-1)`).
//! Input longer than [`MAX_SOURCE_LEN`] bytes or nested deeper than [`MAX_DEPTH`] is refused
//! with an error, so no input can overflow the stack.

use super::ast::{BinOp, Expr, ExprKind, Func};
use crate::arith::{CmpOp, parse_rational};
use crate::error::{Error, Span};

/// The longest expression accepted, in bytes.
pub const MAX_SOURCE_LEN: usize = 100_000;
/// The deepest tree accepted (nesting of parentheses, operators and calls).
pub const MAX_DEPTH: usize = 200;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num,
    Ident,
    Op(char),
    Cmp(CmpOp),
    And,
    LParen,
    RParen,
    Comma,
    End,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Span,
}

fn describe(tok: &Tok, text: &str) -> String {
    match tok {
        Tok::End => "the end of the expression".into(),
        _ => format!("`{text}`"),
    }
}

fn lex(src: &str) -> Result<Vec<Token>, (Span, String)> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let tok = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'0'..=b'9' | b'.' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                    let mut j = i + 1;
                    if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                        j += 1;
                    }
                    if j < bytes.len() && bytes[j].is_ascii_digit() {
                        i = j;
                        while i < bytes.len() && bytes[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                if i < bytes.len() && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') {
                    return Err((
                        Span::new(start, i + 1),
                        "a number runs into a name (write `2*x`, not `2x`)".into(),
                    ));
                }
                out.push(Token {
                    tok: Tok::Num,
                    span: Span::new(start, i),
                });
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let tok = if &src[start..i] == "and" {
                    Tok::And
                } else {
                    Tok::Ident
                };
                out.push(Token {
                    tok,
                    span: Span::new(start, i),
                });
                continue;
            }
            b'+' | b'-' | b'*' | b'/' | b'^' => Tok::Op(c as char),
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b',' => Tok::Comma,
            b'<' | b'>' | b'=' => {
                let two = bytes.get(i + 1) == Some(&b'=');
                let op = match (c, two) {
                    (b'<', true) => CmpOp::Le,
                    (b'<', false) => CmpOp::Lt,
                    (b'>', true) => CmpOp::Ge,
                    (b'>', false) => CmpOp::Gt,
                    (b'=', true) => CmpOp::Eq,
                    _ => {
                        return Err((
                            Span::new(start, start + 1),
                            "a lone `=`: write `==` to compare".into(),
                        ));
                    }
                };
                i += if two { 2 } else { 1 };
                out.push(Token {
                    tok: Tok::Cmp(op),
                    span: Span::new(start, i),
                });
                continue;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return Err((
                    Span::new(i, i + ch.len_utf8()),
                    format!("unexpected character `{ch}`"),
                ));
            }
        };
        i += 1;
        out.push(Token {
            tok,
            span: Span::new(start, i),
        });
    }
    out.push(Token {
        tok: Tok::End,
        span: Span::new(src.len(), src.len()),
    });
    Ok(out)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

type PResult<T> = Result<T, (Span, String)>;

/// Parses `src`; errors name `label` (where the text came from) and point at the fault.
pub fn parse(src: &str, label: &str) -> Result<Expr, Error> {
    parse_inner(src).map_err(|(span, message)| Error::Syntax {
        label: label.to_string(),
        text: src.to_string(),
        span,
        message,
    })
}

fn parse_inner(src: &str) -> PResult<Expr> {
    if src.len() > MAX_SOURCE_LEN {
        return Err((
            Span::new(0, 0),
            format!(
                "the expression is {} bytes long; at most {MAX_SOURCE_LEN} are accepted",
                src.len()
            ),
        ));
    }
    let toks = lex(src)?;
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.formula()?;
    let t = p.peek();
    if t.tok != Tok::End {
        let msg = if t.tok == Tok::RParen {
            "unmatched `)`".to_string()
        } else {
            format!(
                "unexpected {} after a complete expression",
                describe(&t.tok, &src[t.span.start..t.span.end])
            )
        };
        return Err((t.span, msg));
    }
    Ok(e)
}

/// The height of a tree, counted as the parser builds it.
fn height(e: &Expr) -> usize {
    // Trees are built bottom-up, each node checked, so this recursion is bounded by MAX_DEPTH.
    1 + match &e.kind {
        ExprKind::Num(_) | ExprKind::Var(_) => 0,
        ExprKind::Neg(a) => height(a),
        ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::And(a, b) => {
            height(a).max(height(b))
        }
        ExprKind::Call(_, args) => args.iter().map(height).max().unwrap_or(0),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos]
    }
    fn next(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if t.tok != Tok::End {
            self.pos += 1;
        }
        t
    }
    fn text(&self, span: Span) -> &'a str {
        &self.src[span.start..span.end]
    }

    fn enter(&mut self, span: Span) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err((
                span,
                format!("the expression is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }
    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Builds a node, refusing one whose tree would be deeper than MAX_DEPTH (a long chain
    /// such as `1+1+…+1` is deep even without parentheses).
    fn node(&self, kind: ExprKind, span: Span) -> PResult<Expr> {
        let e = Expr::new(kind, span);
        let h = match &e.kind {
            ExprKind::Neg(a) => 1 + height(a),
            ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::And(a, b) => {
                1 + height(a).max(height(b))
            }
            ExprKind::Call(_, args) => 1 + args.iter().map(height).max().unwrap_or(0),
            _ => 1,
        };
        if h > MAX_DEPTH {
            return Err((
                span,
                format!("the expression is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(e)
    }

    fn formula(&mut self) -> PResult<Expr> {
        let mut left = self.comparison()?;
        while self.peek().tok == Tok::And {
            self.next();
            let right = self.comparison()?;
            let span = left.span.to(right.span);
            left = self.node(ExprKind::And(Box::new(left), Box::new(right)), span)?;
        }
        Ok(left)
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let left = self.sum()?;
        if let Tok::Cmp(op) = self.peek().tok {
            self.next();
            let right = self.sum()?;
            if let Tok::Cmp(_) = self.peek().tok {
                return Err((
                    self.peek().span,
                    "comparisons do not chain: write `a < b and b < c`".into(),
                ));
            }
            let span = left.span.to(right.span);
            return self.node(ExprKind::Compare(op, Box::new(left), Box::new(right)), span);
        }
        Ok(left)
    }

    fn sum(&mut self) -> PResult<Expr> {
        let mut left = self.term()?;
        while let Tok::Op(c @ ('+' | '-')) = self.peek().tok {
            self.next();
            let right = self.term()?;
            let op = if c == '+' { BinOp::Add } else { BinOp::Sub };
            let span = left.span.to(right.span);
            left = self.node(ExprKind::Binary(op, Box::new(left), Box::new(right)), span)?;
        }
        Ok(left)
    }

    fn term(&mut self) -> PResult<Expr> {
        let mut left = self.unary()?;
        while let Tok::Op(c @ ('*' | '/')) = self.peek().tok {
            self.next();
            let right = self.unary()?;
            let op = if c == '*' { BinOp::Mul } else { BinOp::Div };
            let span = left.span.to(right.span);
            left = self.node(ExprKind::Binary(op, Box::new(left), Box::new(right)), span)?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> PResult<Expr> {
        if self.peek().tok == Tok::Op('-') {
            let t = self.next();
            self.enter(t.span)?;
            let inner = self.unary()?;
            self.leave();
            let span = t.span.to(inner.span);
            return self.node(ExprKind::Neg(Box::new(inner)), span);
        }
        if self.peek().tok == Tok::Op('+') {
            let t = self.peek().clone();
            return Err((t.span, "a unary `+` is not part of the language".into()));
        }
        self.power()
    }

    fn power(&mut self) -> PResult<Expr> {
        let base = self.atom()?;
        if self.peek().tok == Tok::Op('^') {
            let t = self.next();
            self.enter(t.span)?;
            let exp = self.unary()?;
            self.leave();
            let span = base.span.to(exp.span);
            return self.node(
                ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)),
                span,
            );
        }
        Ok(base)
    }

    fn atom(&mut self) -> PResult<Expr> {
        let t = self.next();
        match t.tok {
            Tok::Num => {
                let text = self.text(t.span);
                let q = parse_rational(text).map_err(|e| (t.span, e.to_string()))?;
                Ok(Expr::new(ExprKind::Num(q), t.span))
            }
            Tok::Ident => {
                let name = self.text(t.span);
                if self.peek().tok == Tok::LParen {
                    let Some(func) = Func::from_name(name) else {
                        let known: Vec<_> = Func::ALL.iter().map(|f| f.name()).collect();
                        return Err((
                            t.span,
                            format!(
                                "unknown function `{name}` (the functions are {})",
                                known.join(", ")
                            ),
                        ));
                    };
                    let open = self.next();
                    self.enter(open.span)?;
                    let mut args = Vec::new();
                    if self.peek().tok != Tok::RParen {
                        loop {
                            args.push(self.formula()?);
                            if self.peek().tok == Tok::Comma {
                                self.next();
                            } else {
                                break;
                            }
                        }
                    }
                    let close = self.next();
                    if close.tok != Tok::RParen {
                        return Err((
                            close.span,
                            format!(
                                "expected `,` or `)` in the call of `{name}`, found {}",
                                describe(&close.tok, self.text(close.span))
                            ),
                        ));
                    }
                    self.leave();
                    let ok = if func.variadic() {
                        args.len() >= 2
                    } else {
                        args.len() == 1
                    };
                    if !ok {
                        let want = if func.variadic() {
                            "two or more arguments"
                        } else {
                            "one argument"
                        };
                        return Err((
                            t.span.to(close.span),
                            format!("`{name}` takes {want}, not {}", args.len()),
                        ));
                    }
                    self.node(ExprKind::Call(func, args), t.span.to(close.span))
                } else if Func::from_name(name).is_some() {
                    Err((t.span, format!("`{name}` is a function: write `{name}(…)`")))
                } else {
                    Ok(Expr::new(ExprKind::Var(name.to_string()), t.span))
                }
            }
            Tok::LParen => {
                self.enter(t.span)?;
                let inner = self.formula()?;
                let close = self.next();
                if close.tok != Tok::RParen {
                    return Err((
                        close.span,
                        format!(
                            "expected `)` to close the `(` at byte {}, found {}",
                            t.span.start,
                            describe(&close.tok, self.text(close.span))
                        ),
                    ));
                }
                self.leave();
                // The node keeps its kind; its span now covers the parentheses, so that a
                // quoted sub-expression reads as written.
                Ok(Expr::new(inner.kind, t.span.to(close.span)))
            }
            Tok::End => Err((
                t.span,
                "the expression ends where a value was expected".into(),
            )),
            other => Err((
                t.span,
                format!(
                    "expected a number, a name or `(`, found {}",
                    describe(&other, self.text(t.span))
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s, "test").unwrap()
    }

    #[test]
    fn precedence() {
        assert_eq!(p("-x^2").to_string(), "(-(x ^ 2))");
        assert_eq!(p("2^-1").to_string(), "(2 ^ (-1))");
        assert_eq!(p("a-b-c").to_string(), "((a - b) - c)");
        assert_eq!(p("2^3^2").to_string(), "(2 ^ (3 ^ 2))");
        assert_eq!(
            p("x < 1 and y >= 2*x").to_string(),
            "((x < 1) and (y >= (2 * x)))"
        );
        assert_eq!(p("min(a, b, c)").to_string(), "min(a, b, c)");
    }

    #[test]
    fn errors_point_at_fault() {
        for (src, at) in [
            ("1 + ", 4),
            ("(1 + 2", 6),
            ("1 + 2)", 5),
            ("foo(1)", 0),
            ("2x", 0),
            ("a < b < c", 6),
            ("sqrt(1, 2)", 0),
            ("1 = 2", 2),
            ("1 $ 2", 2),
        ] {
            match parse(src, "t") {
                Err(Error::Syntax { span, .. }) => assert_eq!(span.start, at, "{src}"),
                other => panic!("{src}: {other:?}"),
            }
        }
    }

    #[test]
    fn deep_input_is_an_error_not_a_crash() {
        let deep = format!("{}1{}", "(".repeat(1_000_000), ")".repeat(1_000_000));
        assert!(parse(&deep, "t").is_err());
        let deep = format!("{}1", "-".repeat(50_000));
        assert!(parse(&deep, "t").is_err());
        let long = vec!["1"; 20_000].join("+");
        assert!(parse(&long, "t").is_err());
        let pow = vec!["2"; 20_000].join("^");
        assert!(parse(&pow, "t").is_err());
    }
}
