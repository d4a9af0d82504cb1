//! Claims written to make today's methods lie: the literal square roots of the normal form
//! (`√2·√3 = √6`, huge and prime radicands, nested roots, sums that cancel only exactly), the
//! file's constants folded in as literals (huge ones, ones that look like 1/7 or √2 but are
//! not), strictness from a strictly monotone open face (claims tight at an open end where the
//! derivative vanishes, strict claims at a closed end), minima and maxima proved case by case
//! (cases that overlap, a branch undefined on part of the box, shared definitions and
//! hypotheses), ranges with open ends (false only next to the open end, open upper ends,
//! integer parameters over open ranges). The truth of each claim was decided by hand, exactly:
//! a false claim must never be proved, and any witness must lie inside the ranges, satisfy the
//! hypotheses and violate the claim (exactly, where the claim is rational); a true claim must
//! never be refuted; a claim undefined somewhere in its box must never be proved.

use sgdbounds::arith::Truth;
use sgdbounds::theory::Theory;
use sgdbounds::verify::{Status, VerifyOptions};
use std::time::Duration;

fn opts() -> VerifyOptions {
    VerifyOptions {
        prec: 128,
        max_boxes: 4000,
        budget: Duration::from_secs(3),
        samples: 400,
        seed: 31,
        identity_trials: 8,
        identity_seed: None,
        scaling: true,
        record: false,
        shard: None,
    }
}

/// What the claim is over its box, decided by hand.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Is {
    True,
    False,
    /// A side is undefined at some point of the box where the hypotheses hold.
    Undefined,
}
use Is::{False as F, True as T, Undefined as U};

/// A proofs file over real parameters `x`, `y` (and integer ones `t`, `n` when `ints`), with
/// constants `(name, value)`, definitions `(name, expr)`, hypotheses and one claim `c{i}` per
/// entry of `claims`.
#[derive(Default)]
struct File<'a> {
    params: &'a [&'a str],
    ints: &'a [&'a str],
    consts: &'a [(&'a str, &'a str)],
    defs: &'a [(&'a str, &'a str)],
    hyps: &'a [&'a str],
    bx: &'a str,
}

impl File<'_> {
    fn text(&self, claims: &[(&str, Is)]) -> String {
        let mut s = String::from("[result]\nname = \"atk\"\ntitle = \"attack\"\ncite = \"t\"\n");
        for p in self.params {
            s += &format!("\n[[parameter]]\nname = \"{p}\"\nsymbol = \"{p}\"\nmeaning = \"{p}\"\n");
            if self.ints.contains(p) {
                s += "integer = true\n";
            }
        }
        for (n, v) in self.consts {
            s += &format!(
                "\n[[constant]]\nname = \"{n}\"\nsymbol = \"{n}\"\nlatex = \"{n}\"\nvalue = \"{v}\"\nmeaning = \"m\"\ncite = \"t\"\n"
            );
        }
        for (n, e) in self.defs {
            s += &format!(
                "\n[[definition]]\nname = \"{n}\"\nexpr = \"{e}\"\nmeaning = \"d\"\ncite = \"t\"\n"
            );
        }
        for (i, h) in self.hyps.iter().enumerate() {
            s += &format!("\n[[hypothesis]]\nname = \"h{i}\"\nexpr = \"{h}\"\ncite = \"t\"\n");
        }
        for (i, (c, _)) in claims.iter().enumerate() {
            s += &format!("\n[[claim]]\nname = \"c{i}\"\nexpr = \"{c}\"\ncite = \"t\"\n");
        }
        s += &format!("\n[verify]\nbox = {}\n", self.bx);
        s
    }
}

use super::common::{exact_truth, verify_claim_of as verify};

/// Verifies every claim and checks each verdict against its truth.
fn check(file: &File, claims: &[(&str, Is)], opts: &VerifyOptions) {
    let text = file.text(claims);
    let t = Theory::parse(&text, "atk.toml").expect("parses");
    for (c, &(claim, is)) in claims.iter().enumerate() {
        let o = verify(&t, c, opts);
        let ctx = format!("{claim} over {} (truth {is:?})", file.bx);
        match is {
            T => assert_ne!(o.status, Status::Refuted, "{ctx}: {:?}", o.witness),
            F | U => assert_ne!(o.status, Status::Proved, "{ctx}: {:?}", o.reason),
        }
        if let Some(w) = &o.witness {
            assert_ne!(is, T, "{ctx}: a witness of a true claim");
            for (q, r) in w.point.iter().zip(&o.ranges) {
                assert!(r.contains(q), "{ctx}: witness {q} outside {}", r.text);
            }
            assert_eq!(
                w.verdict.hyps,
                Truth::True,
                "{ctx}: hypotheses at the witness"
            );
            if is == F {
                assert_eq!(
                    w.verdict.claim,
                    Truth::False,
                    "{ctx}: verdict at the witness"
                );
                if let Some(holds) = exact_truth(&t, c, &w.point) {
                    assert!(
                        !holds,
                        "{ctx}: the witness {:?} satisfies it exactly",
                        w.point
                    );
                }
            }
        }
    }
}

const XY: &[&str] = &["x", "y"];

/// Open lower end 0 of x, closed ends of y: false only next to the open end, strict claims
/// at a closed end (the open-face rule must not fire), strict claims true only because the
/// end is open, and margins whose derivative vanishes at the open face.
#[test]
fn open_lower_end_and_strictness() {
    let file = File {
        params: XY,
        bx: r#"{ x = "(0, 1]", y = "0..1" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("x >= 1e-40", F),
            ("x > 1e-40", F),
            // x²(1 − x) vanishes at the closed end 1
            ("x^2 - x^3 > 0", F),
            // y = 0 is a closed end: the derivative in y is strictly positive there
            ("x*y + y > 0", F),
            ("x^2*y > 0", F),
            ("y/x > 0", F),
            ("x^0.5*y > 0", F),
            ("x*y + x > 0", T),
            ("x^3 + y*x > 0", T),
            ("x^2 + y^2 > 0", T),
            ("y/x >= 0", T),
            ("x^0.5*y >= 0", T),
            // tight near the open end but not at it
            ("(x - 1e-20)^2 > 0", F),
            ("x*(x - 1e-30) > 0", F),
            ("x^3 - 1e-60*x > 0", F),
            ("sqrt(x) > x", F),
            ("sqrt(x) >= x", T),
            ("log(x) <= 0", T),
            ("log(x) < 0", F),
            ("x*log(x) <= 0", T),
            ("x*log(x) < 0", F),
            ("exp(-1/x) > 0", T),
            ("exp(-1/x) >= 1e-40", F),
            ("1/x >= 1", T),
            ("1/x > 1", F),
            ("x + y - 2*sqrt(x*y) >= 0", T),
            ("x + y - 2*sqrt(x*y) > 0", F),
        ],
        &opts(),
    );
}

/// Open upper ends, and both coordinates open: the margin vanishes as x → 1 (never reached),
/// or at a closed corner.
#[test]
fn open_upper_ends() {
    let file = File {
        params: XY,
        bx: r#"{ x = "[0, 1)", y = "[0, 1]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("1 - x > 1e-30", F),
            // the derivative of (1 − x)² vanishes at the open end: no strictness from it
            ("(1 - x)^2 > 0", T),
            ("(1 - x)^2 > 1e-40", F),
            ("(1 - x)*(1 + y) > 0", T),
            ("(1 - x)*y > 0", F),
            ("1 - x^2 > 0", T),
            ("1 - x^2 - y*(1 - x) > 0", F),
            ("(1-x)^3*(2-y) > 0", T),
            ("sqrt(1 - x) > 0", T),
            ("log(2 - x) > 0", T),
            ("log(2 - x) > 1e-30", F),
            ("1/(1-x) > 1 - y", F),
            ("1/(1-x) >= 1", T),
        ],
        &opts(),
    );
    let file = File {
        params: XY,
        bx: r#"{ x = "(0, 1]", y = "[0, 1)" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("(x - y)^2 > 0", F),
            // infimum 0 at the open corner (0, 1), never attained
            ("x + 1 - y > 0", T),
            ("x*(1 - y) > 0", T),
            ("(x + 1 - y)^2 > 1e-300", F),
            ("x*(1 - y) >= 1e-300", F),
            ("x^2*(1 - y)^2 > 0", T),
            ("x^3 - x^2*y + 1 - y > 0", F),
            ("log(1 + x) < x", T),
            ("exp(x) - 1 - x - x^2/2 > 0", T),
            ("x - sin(x) > x^3/7", T),
            ("x - sin(x) > x^3/6", F),
            ("1 - cos(x) > x^2/2 - x^4/25", F),
        ],
        &opts(),
    );
}

/// Integer parameters over open ranges: `(0, 3)` holds 1 and 2, `(0, 5):log` holds 1..4.
#[test]
fn integer_parameters_over_open_ranges() {
    let file = File {
        params: &["t", "n", "x"],
        ints: &["t", "n"],
        bx: r#"{ t = "(0, 3)", n = "(0, 5):log", x = "(0, 1)" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("t >= 1", T),
            ("t > 1", F),
            ("t <= 2", T),
            ("t < 2", F),
            ("(t - 1)*(t - 2) == 0", T),
            ("(t - 1)*(t - 2) >= 0", T),
            ("(t-1)*(t-2) > 0", F),
            ("n >= 1 and n <= 4", T),
            ("n*x > 0", T),
            ("n - 1 > 0", F),
            ("t*x < 2", T),
            ("t*x < 1.999999", F),
            ("(t - 1)*x > 0", F),
        ],
        &opts(),
    );
}

/// Minima and maxima by cases: overlapping cases (a = b), a branch undefined on part of the
/// box, nested atoms, and atoms whose product or sum is a plain expression.
#[test]
fn minima_and_maxima_by_cases() {
    let file = File {
        params: XY,
        bx: r#"{ x = "[-1, 1]", y = "(0, 2]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("max(1, log(x)) >= 1", U),
            ("min(y, 1/y) <= 1", T),
            ("min(y, 1/y) < 1", F),
            ("min(x, 1/x) <= 1", U),
            ("max(x, 1 - x) >= 0.5", T),
            ("max(x, 1 - x) > 0.5", F),
            ("max(x, y) >= min(x, y)", T),
            ("max(x, y) > min(x, y)", F),
            ("max(x, -x) >= 0", T),
            ("max(x, -x) > 0", F),
            ("max(max(x, -x), y) > 0", T),
            ("min(max(x, -x), y) > 0", F),
            ("max(x, y)*min(x, y) <= x*y + 1e-30", T),
            ("max(x, y)*min(x, y) < x*y", F),
            ("max(x, y) + min(x, y) == x + y", T),
            ("max(x,y) + min(x,y) + max(-x,-y) > x + y - max(x,y)", F),
            ("max(1, log(y)) >= 1", T),
            ("max(1, log(y)) > 1", F),
            ("max(x, 1/y) >= 0.5", T),
            ("max(x, 1/y) > 0.5", F),
        ],
        &opts(),
    );
}

/// Minima and maxima shared between definitions, hypotheses and the claim.
#[test]
fn minima_and_maxima_shared_with_hypotheses() {
    let file = File {
        params: XY,
        defs: &[("m", "max(x, y)"), ("n", "min(x, y)"), ("q", "x*y/(x + y)")],
        hyps: &["m >= 0.5"],
        bx: r#"{ x = "(0, 1]", y = "(0, 1]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("m >= 0.5", T),
            ("m > 0.5", F),
            ("m + n > 0.5", T),
            ("n <= m", T),
            // q = nm/(n + m) < n since m/(n + m) < 1
            ("q <= n", T),
            ("q < n", T),
            ("q < n/2", F),
            ("q <= n/2 + 1e-30", F),
            ("max(m, n) == m", T),
            ("max(q, n) >= n", T),
            ("max(q, n) > q", T),
            ("min(q, 1/x) > 0", T),
            ("max(x - 0.5, y - 0.5) >= 0", T),
            ("max(x - 0.5, y - 0.5) > 0", F),
        ],
        &opts(),
    );
}

/// Square roots of literals in the normal form: products, quotients, squares, huge and prime
/// radicands (a radicand with a square factor trial division does not find), nested roots,
/// real powers that are square roots in disguise, and sums that cancel only exactly.
#[test]
fn square_roots_of_literals() {
    let file = File {
        params: XY,
        bx: r#"{ x = "(0, 1]", y = "[0, 1]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("sqrt(2)*sqrt(3) == sqrt(6)", T),
            ("sqrt(2)*sqrt(3)*x == sqrt(6)*x", T),
            ("sqrt(2)*sqrt(3)*x > sqrt(6)*x", F),
            ("sqrt(2)*sqrt(3)*x >= sqrt(6)*x", T),
            ("sqrt(7/2)*x == sqrt(14)*x/2", T),
            ("sqrt(7/2)*x > sqrt(14)*x/2", F),
            ("sqrt(2*1000000007^2)*x == 1000000007*sqrt(2)*x", T),
            (
                "sqrt(2*1000000007^2*1000000009)*x == 1000000007*sqrt(2*1000000009)*x",
                T,
            ),
            (
                "sqrt(2*1000000007^2*1000000009)*x >= 1000000007*sqrt(2*1000000009)*x",
                T,
            ),
            (
                "sqrt(2*1000000007^2*1000000009)*x > 1000000007*sqrt(2*1000000009)*x",
                F,
            ),
            ("sqrt(10^40 + 1) > 10^20", T),
            // √(N² + 1) − N = 1/(√(N² + 1) + N) < 1/(2N)
            ("sqrt(10^40 + 1) - 10^20 < 5e-21", T),
            ("sqrt(10^40 + 1) - 10^20 > 4.9999e-21", T),
            ("sqrt(10^40 + 1)*x - 10^20*x >= 5e-21*x", F),
            ("x*(sqrt(10^400 + 1) - 10^200) > 0", T),
            ("x*(sqrt(10^400 + 1) - 10^200) > x*1e-200", F),
            ("x*(sqrt(10^400 + 1) - 10^200) < x*1e-200", T),
            ("x/(sqrt(10^800 + 1) - 10^400) > 0", T),
            ("x*(sqrt(2)*sqrt(10^600+3) - sqrt(2*10^600+6)) >= 0", T),
            ("x*(sqrt(2)*sqrt(10^600+3) - sqrt(2*10^600+6)) > 0", F),
            ("(sqrt(2^61 - 1))^2*x == (2^61 - 1)*x", T),
            ("sqrt(2^61-1)*sqrt(2^61-1)*x > (2^61-1)*x", F),
            ("sqrt(sqrt(2))^4*x == 2*x", T),
            ("sqrt(sqrt(2))^4*x > 2*x", F),
            // (1 + √2)² = 3 + 2√2: a denesting the normal form does not know
            ("sqrt(3 + 2*sqrt(2))*x == (1 + sqrt(2))*x", T),
            ("sqrt(3 + 2*sqrt(2))*x > (1 + sqrt(2))*x", F),
            ("(sqrt(2) + sqrt(3))^2*x - (5 + 2*sqrt(6))*x > 0", F),
            ("(sqrt(2) + sqrt(3))^2*x - (5 + 2*sqrt(6))*x >= 0", T),
            ("(sqrt(2) + sqrt(3))^2*x >= (5 + 2*sqrt(6))*x + 1e-40*x", F),
            ("x*(sqrt(2)*sqrt(8) - 4) + y*(sqrt(3)*sqrt(12) - 6) >= 0", T),
            ("x*(sqrt(2)*sqrt(8) - 4) + y*(sqrt(3)*sqrt(12) - 6) > 0", F),
            ("(x + sqrt(2))^2 - x^2 - 2*sqrt(2)*x - 2 >= 0", T),
            ("(x + sqrt(2))^2 - x^2 - 2*sqrt(2)*x - 2 > 0", F),
            ("(x + sqrt(2))^-2*(x + sqrt(2))^2 == 1", T),
            ("(x + sqrt(2))^-3*(x+sqrt(2))^3 - 1 >= 0", T),
            ("(x + sqrt(2))^-3*(x+sqrt(2))^3 - 1 > 0", F),
            ("(x + 1)^-2 * (x+1)^2*y >= y", T),
            ("(x + 1)^-2 * (x+1)^2*y > y", F),
            // a sum that vanishes inside the box, divided by and multiplied back
            ("(x - 1/3)^-1*(x - 1/3) >= 1", U),
            ("(x - 1/3)^-2*(x - 1/3)^2*y >= 0", U),
            ("sqrt(2^0.5*2^0.5)*x == sqrt(2)*x", T),
            ("2^0.5*2^0.5*x >= 2*x", T),
            ("2^0.5*2^0.5*x > 2*x", F),
            ("sqrt(1/2)*sqrt(2)*x > x", F),
            ("sqrt(1e-60)*x == 1e-30*x", T),
            // √2 = 1.41421356237309504880168…
            ("sqrt(2e-60)*x > 1.4142135623730950488e-30*x", T),
            ("sqrt(2e-60)*x < 1.4142135623730950489e-30*x", T),
            ("sqrt(2e-60)*x < 1.4142135623730950488e-30*x", F),
        ],
        &opts(),
    );
}

/// The file's constants written as literals before the normal form: huge ones that cancel,
/// and ones that look like 1/7, √2 or 1/3 but are not.
#[test]
fn constants_as_literals() {
    let file = File {
        params: XY,
        consts: &[
            ("K", "1e40"),
            ("c7", "0.1428571428571428571"),
            ("s2", "1.4142135623730950488"),
            ("tiny", "1e-50"),
            ("third", "0.3333333333333333333333333333333333333333"),
        ],
        bx: r#"{ x = "(0, 1]", y = "[0, 1]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("K*x - K*x + tiny*x > 0", T),
            ("K*x + 1 - K*x > 0", T),
            ("(K + 1)*x - K*x - x >= 0", T),
            ("(K + 1)*x - K*x - x > 0", F),
            // 7·c7 = 1 − 3·10⁻¹⁹
            ("7*c7*x < x", T),
            ("7*c7*x >= x", F),
            ("7*c7*x > x - 1e-18*x", T),
            ("7*c7*x > x - 1e-19*x", F),
            ("s2^2*x < 2*x", T),
            ("sqrt(2)*x > s2*x", T),
            // √2 − s2 = 1.6887…·10⁻²¹
            ("sqrt(2)*x - s2*x < 8e-20*x", T),
            ("sqrt(2)*x - s2*x < 1.6e-21*x", F),
            // 3·third = 1 − 10⁻⁴⁰ exactly
            ("3*third*x < x", T),
            ("3*third*x - x + 1e-40*x > 0", F),
            ("3*third*x - x + 1e-40*x >= 0", T),
            ("sqrt(K)*x == 1e20*x", T),
            ("sqrt(K*x) >= 1e20*x", T),
            ("sqrt(K*x) > 1e20*x", F),
            ("sqrt(tiny)*x*sqrt(2) > 1e-25*x", T),
            ("sqrt(tiny*2)*x < 1.4142135623730950488e-25*x", F),
        ],
        &opts(),
    );
}

/// Strictness with the sign of the normal form's factor negative, open ends away from 0
/// (`(1, 2]:log`, `(-1, 0)`), and the same claims with the end closed.
#[test]
fn open_ends_away_from_zero_and_negative_factors() {
    let file = File {
        params: XY,
        bx: r#"{ x = "(0, 1]", y = "[0, 1)" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("x*(y - 1) < 0", T),
            ("(x - 1)*(y - 1) >= 0", T),
            ("(x-2)*(y-1) > 0", T),
            ("-(x*(1-y)) < 0", T),
            ("-(x*(1-y)) < -1e-300", F),
            ("(y - 1)/x < 0", T),
            ("(y - 1)*x^2 < 0", T),
            ("(y - 1)^3*x < 0", T),
        ],
        &opts(),
    );
    let file = File {
        params: XY,
        bx: r#"{ x = "(0, 1]", y = "[0, 1]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("x*(y - 1) < 0", F),
            ("(x-2)*(y-1) > 0", F),
            ("(y - 1)/x < 0", F),
        ],
        &opts(),
    );
    let file = File {
        params: XY,
        bx: r#"{ x = "(1, 2]:log", y = "(-1, 0)" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("log(x) > 0", T),
            ("log(x) > 1e-30", F),
            ("x - 1 > 0", T),
            ("(x-1)^2 > 0", T),
            ("(x-1)^2 > 1e-40", F),
            ("y*y < 1", T),
            ("y^2 < 1 - 1e-30", F),
            ("y < 0", T),
            ("y^3 < 0", T),
            ("y*(y+1) < 0", T),
            ("y*(y+1) < -1e-40", F),
            ("(x - 1)*(y + 1) > 0", T),
            ("(x - 1)*(y + 1) > 1e-300", F),
            ("log(x)*y < 0", T),
            ("x*(-y) > 0", T),
            ("(x - 1)*y*(y+1) < 0", T),
        ],
        &opts(),
    );
}

/// Nested minima and maxima, four atoms (past the case limit), and operands that never cross.
#[test]
fn nested_and_many_minima_and_maxima() {
    let file = File {
        params: XY,
        bx: r#"{ x = "[-1, 1]", y = "(0, 1]" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("max(x, 0) + max(-x, 0) >= max(x, -x)", T),
            ("max(x, 0) + max(-x, 0) > max(x, -x)", F),
            ("max(x,0)+max(-x,0)+min(y,1)+min(y,2) > max(x,-x)+2*y", F),
            ("max(x,0)+max(-x,0)+min(y,1)+min(y,2) >= max(x,-x)+2*y", T),
            ("min(max(x, y), max(-x, y)) >= y", T),
            ("min(max(x, y), max(-x, y)) > y", F),
            ("max(min(x, y), min(-x, y)) <= y", T),
            ("max(min(x, y), min(-x, y)) < y", F),
            ("max(sqrt(y), log(y)) >= sqrt(y)", T),
            ("max(sqrt(y), log(y)) > sqrt(y)", F),
            ("min(x/y, 1) <= 1", T),
            ("min(x/y, 1) < 1", F),
            ("max(x^2, y^2) >= x*y", T),
            ("max(x^2, y^2) > x*y", F),
        ],
        &opts(),
    );
}

/// Non-smooth and discontinuous operations and real powers with a varying exponent next to
/// the open ends (positivity on the open domain must reach through them only where exact).
#[test]
fn non_smooth_operations_at_open_ends() {
    let file = File {
        params: XY,
        bx: r#"{ x = "(0, 1]", y = "[0, 1)" }"#,
        ..File::default()
    };
    check(
        &file,
        &[
            ("abs(x) > 0", T),
            ("abs(x - 1e-30) > 0", F),
            ("abs(x - y) > 0", F),
            ("floor(x) >= 0", T),
            ("floor(y) == 0", T),
            ("floor(y) < 0.5", T),
            ("ceil(x) == 1", T),
            ("ceil(x) > 1", F),
            ("ceil(y) <= 1", T),
            ("ceil(y) < 1", F),
            ("x^x > 0", T),
            ("x^x <= 1", T),
            ("x^x < 1", F),
            ("x^y > 0", T),
            ("x^y <= 1", T),
            ("x^y < 1", F),
            ("x^(1 - y) > 0", T),
            ("x^(1-y) < 1", F),
        ],
        &opts(),
    );
}

/// Verifies every claim as [`check`] does, and asserts that those marked `true` in `proved`
/// are proved (the method they exercise works, not only stays sound).
fn check_and_prove(file: &File, claims: &[(&str, Is, bool)], opts: &VerifyOptions) {
    let plain: Vec<(&str, Is)> = claims.iter().map(|&(c, is, _)| (c, is)).collect();
    check(file, &plain, opts);
    let t = Theory::parse(&file.text(&plain), "atk.toml").expect("parses");
    for (c, &(claim, is, must)) in claims.iter().enumerate() {
        if must {
            assert_eq!(is, T, "{claim}: only a true claim can be expected proved");
            let o = verify(&t, c, opts);
            assert_eq!(
                o.status,
                Status::Proved,
                "{claim} over {}: {:?}",
                file.bx,
                o.reason
            );
        }
    }
}

/// A rest that is ∞ − ∞ where an atom is unbounded (log t as t → ∞) and is proved through the
/// rest divided by the atom's highest power; the same with a term that makes it fail only far
/// out, or only where the atom is small, must never be proved.
#[test]
fn rests_rescaled_by_an_unbounded_atom() {
    let file = File {
        params: &["x", "t"],
        bx: r#"{ x = "(0, 1]", t = "[1, inf):log" }"#,
        ..File::default()
    };
    check_and_prove(
        &file,
        &[
            // (log t − 5)² + 1 > 0: ∞ − ∞ as t → ∞
            ("log(t)^2 - 10*log(t) + 26 > 0", T, true),
            ("x*(log(t)^2 - 10*log(t) + 26) > 0", T, true),
            ("x*log(t)^2 + x - 1.9*x*log(t) >= 0", T, true),
            ("x*log(t)^2 + x - 2*x*log(t) >= 0", T, false),
            ("log(t)^3 - 40*log(t)^2 + 500*log(t) + 1 > 0", T, true),
            ("log(t)^3 - 40*log(t)^2 + 500*log(t) - 1e4 > 0", F, false),
            // fails for log t > 12.65 (t > 3.2·10⁵)
            ("10*log(t) - log(t)^2 + 30 >= 0", F, false),
            // fails for log t > 10⁶ only: never provable, a witness only far out
            ("x*log(t) - 1e-6*x*log(t)^2 >= 0", F, false),
            // fails near t = e⁵ only (the atom bounded there)
            ("log(t)^2 - 10*log(t) + 24.9 > 0", F, false),
            // the top coefficient vanishes: 0·log² is no help
            ("(x - x)*log(t)^2 + log(t) - 1e-3 > 0", F, false),
        ],
        &opts(),
    );
}

/// A rest with negative powers of a coordinate charted as `s/u` (c = 1/u as c → ∞), proved
/// through the rest times the lowest power; failing only far out must never be proved.
#[test]
fn rests_rescaled_by_a_reciprocal_coordinate() {
    let file = File {
        params: XY,
        bx: r#"{ x = "[1, inf):log", y = "(0, 1)" }"#,
        ..File::default()
    };
    check_and_prove(
        &file,
        &[
            ("(1 + x*y)^2*(2 - y) - (1 + x*y^2)^2*(2 - y) > 0", T, true),
            ("(1 + x*y)^2 > (1 + x*y*y)^2", T, true),
            ("(1 + x)^2*(1 - 1e-12*x) >= 0", F, false),
            ("(1 + x*y)^2 - (1 + x*y)^2*(1 + 1e-9*y) + 1 > 0", F, false),
        ],
        &opts(),
    );
}

/// Monotonicity in the coordinates whose partial derivative is enclosed, while another one's
/// is not (∂√f/∂f at f = 0): s is fixed at its best end, f left free; with too little margin
/// the claim fails next to f = 0 and must not be proved.
#[test]
fn monotone_coordinates_beside_an_unbounded_derivative() {
    let file = File {
        params: &["f", "s"],
        bx: r#"{ f = "(0, 1]:log", s = "[0, 1000]" }"#,
        ..File::default()
    };
    check_and_prove(
        &file,
        &[
            ("sqrt(f) + s^2 + 3*s + 0.01 > 0", T, true),
            ("sqrt(f)*(1 + s) - s + s^2 + 0.3 > 0", T, true),
            ("sqrt(f) + 2*s - 1e-3*s^2 + 0.01 > 0", T, true),
            ("sqrt(f) + 2*s - 1e-3*s^2 - 0.01 > 0", F, false),
            ("sqrt(f) + s^2 - s + 0.2 >= 0", F, false),
            ("sqrt(f) - 1e-20*s >= 0", F, false),
        ],
        &opts(),
    );
}

/// Square roots of sums whose first coefficient is negative (`√(c² − f/4)` written as
/// `√(−f/4 + c²)`): the root is distributed with a positive coefficient, and a claim false
/// next to the face f → 0 is not proved.
#[test]
fn square_roots_of_sums_led_by_a_negative_term() {
    let file = File {
        params: &["f", "c"],
        bx: r#"{ f = "(0, 1):log", c = "[1, 2]" }"#,
        ..File::default()
    };
    check_and_prove(
        &file,
        &[
            ("sqrt(f - f^2/(4*c^2)) <= 2*sqrt(f)", T, true),
            ("sqrt(2*(f/(2*c))*c - (f/(2*c))^2) < 1.5*sqrt(f)", T, true),
            ("sqrt(c^2*f - f^2/4) <= 2*c*sqrt(f)", T, true),
            ("sqrt(-f^2/4 + c^2*f) <= 2*c*sqrt(f)", T, true),
            // tight as f → 0 (c − √(c² − f/4) → 0): true, not yet provable, never refuted
            ("sqrt(2*(f/(2*c))*c - (f/(2*c))^2) <= sqrt(f)", T, false),
            ("sqrt(f - f^2/(4*c^2)) <= sqrt(f) - 1e-12", F, false),
            ("sqrt(f - f^2/(4*c^2)) < sqrt(f)*(1 - 1e-9)", F, false),
        ],
        &opts(),
    );
}
