#!/usr/bin/env python3
"""The `sgdbounds table` benchmark workload in Python, for a side-by-side timing.

A 20×20×20×20 grid, η log-spaced in [1e-4, 1e-1], L in [1, 100], c in [0.01, 10], r in [0.1, 10]
(each log-spaced, 20 points, ends included), D0 = 1, T2 = 1e6, at 256 bits; columns λ, b, T1,
20b/λ, δ², Lemma 5's verdict and the hypotheses; CSV with 20 significant digits.

    python3 benches/peers/table_grid.py flint  > /tmp/flint.csv
    python3 benches/peers/table_grid.py mpmath > /tmp/mpmath.csv

The grid points are read from the first four columns of a CSV written by
`sgdbounds table ... --columns eta,L,c,r --digits 20`, given as the second argument, so that
both tools compute on exactly the same inputs.
"""
import csv
import sys
import time


def grid_points(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return [r[:4] for r in rows[1:]]


def run_flint(points, out):
    import flint
    from flint import arb, ctx

    ctx.prec = 256
    d0 = arb(1)
    t2 = arb(10) ** 6
    zeta = 9 * t2 / 4
    mu = 42 * zeta.log().sqrt()
    mu = mu if mu > 8 else arb(8)
    w = out.write
    w("eta,L,c,r,lambda,b,T1,bound_T1,delta2,lemma5,hypotheses\n")
    for e, l, c, r in points:
        eta, L, C, R = arb(e), arb(l), arb(c), arb(r)
        lam = 2 * eta * C - eta * eta * L * L
        b = eta * eta * R * R * (1 + eta * L) ** 2
        hyps = []
        if not (eta < 1 / (2 * L)):
            hyps.append("eta_below_half_over_L")
        if not (eta < C / (L * L)):
            hyps.append("eta_below_c_over_L2")
        if not (eta < 1 / (2 * C)):
            hyps.append("eta_below_half_over_c")
        x = lam * d0 / b
        if x > 0:
            t1 = max(arb(0), (x.log() / lam).ceil())
            t1s = t1.str(20, radius=False)
        else:
            t1s = "undefined"
        bound = 20 * b / lam
        delta2 = mu * mu * b / lam
        if lam > 0:
            delta = mu * (b / lam).sqrt()
            ec = (eta * C).sqrt()
            lg = zeta.log().sqrt()
            s1 = arb(2).sqrt() * arb("3.5") * eta * eta * R * R / ec * lg
            s2 = arb(2).sqrt() * 7 * eta * R * delta / ec * lg
            s3 = 21 * b / lam
            v = "holds" if (s1 + s2 + s3 <= delta2) else "fails"
        else:
            v = "undecided"
        w(",".join([e, l, c, r, lam.str(20, radius=False), b.str(20, radius=False), t1s,
                    bound.str(20, radius=False), delta2.str(20, radius=False), v,
                    "holds" if not hyps else '"fails: ' + "; ".join(hyps) + '"']) + "\n")
    return flint.__version__


def run_mpmath(points, out):
    import mpmath
    from mpmath import mp, mpf

    mp.prec = 256
    d0 = mpf(1)
    t2 = mpf(10) ** 6
    zeta = 9 * t2 / 4
    mu = max(mpf(8), 42 * mpmath.sqrt(mpmath.log(zeta)))
    w = out.write
    n = lambda x: mpmath.nstr(x, 20)
    w("eta,L,c,r,lambda,b,T1,bound_T1,delta2,lemma5,hypotheses\n")
    for e, l, c, r in points:
        eta, L, C, R = mpf(e), mpf(l), mpf(c), mpf(r)
        lam = 2 * eta * C - eta * eta * L * L
        b = eta * eta * R * R * (1 + eta * L) ** 2
        hyps = []
        if not (eta < 1 / (2 * L)):
            hyps.append("eta_below_half_over_L")
        if not (eta < C / (L * L)):
            hyps.append("eta_below_c_over_L2")
        if not (eta < 1 / (2 * C)):
            hyps.append("eta_below_half_over_c")
        x = lam * d0 / b
        t1s = n(max(mpf(0), mpmath.ceil(mpmath.log(x) / lam))) if x > 0 else "undefined"
        bound = 20 * b / lam
        delta2 = mu * mu * b / lam
        if lam > 0:
            delta = mu * mpmath.sqrt(b / lam)
            ec = mpmath.sqrt(eta * C)
            lg = mpmath.sqrt(mpmath.log(zeta))
            s1 = mpmath.sqrt(2) * mpf("3.5") * eta * eta * R * R / ec * lg
            s2 = mpmath.sqrt(2) * 7 * eta * R * delta / ec * lg
            s3 = 21 * b / lam
            v = "holds" if s1 + s2 + s3 <= delta2 else "fails"
        else:
            v = "undecided"
        w(",".join([e, l, c, r, n(lam), n(b), t1s, n(bound), n(delta2), v,
                    "holds" if not hyps else '"fails: ' + "; ".join(hyps) + '"']) + "\n")
    return mpmath.__version__


def main():
    which, grid = sys.argv[1], sys.argv[2]
    points = grid_points(grid)
    start = time.perf_counter()
    version = (run_flint if which == "flint" else run_mpmath)(points, sys.stdout)
    took = time.perf_counter() - start
    print(f"{which} {version}: {len(points)} rows in {took:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
