#!/usr/bin/env python3
"""Independent reference values for sgdbounds' Theorem 1, Lemma 5, Corollary 2 and Theorem 3.

Written from the paper's text (not from proofs/*.toml): rational quantities are computed
exactly with fractions.Fraction, the others with mpmath at 60 significant digits. Run:

    pip install mpmath==1.3.0
    python3 tests/reference/generate.py > tests/reference/reference.json

The output records the versions used. tests/reference.rs checks that every enclosure sgdbounds
prints contains these values and that its printed digits agree with them.
"""
import json
import math
import sys
from fractions import Fraction as F

import mpmath
from mpmath import mp, mpf

mp.dps = 60


def q(s):
    """Reads a decimal string exactly."""
    return F(s)


def s60(x):
    if isinstance(x, F):
        return f"{x.numerator}/{x.denominator}"
    return mpmath.nstr(x, 60, min_fixed=-1000, max_fixed=1000)


def m(x):
    return mpf(x.numerator) / mpf(x.denominator)


def theorem1(eta, L, c, r, d0, t2):
    eta, L, c, r, d0, t2 = map(q, (eta, L, c, r, d0, t2))
    lam = 2 * eta * c - eta**2 * L**2
    b = eta**2 * r**2 * (1 + eta * L) ** 2
    out = {
        "eta_sup": min(1 / (2 * L), c / L**2, 1 / (2 * c)),
        "lambda": lam,
        "b": b,
        "bound_T1": 20 * b / lam,
        "zeta": F(9) * t2 / 4,
        "probability": (1 - F(2, 20)) * (1 - t2 / (F(9) * t2 / 4)),
    }
    t1_lower = mpmath.log(m(lam * d0 / b)) / m(lam)
    out["T1_lower"] = t1_lower
    out["T1"] = F(max(0, int(mpmath.ceil(t1_lower))))
    zeta = m(out["zeta"])
    mu = max(mpf(8), 42 * mpmath.sqrt(mpmath.log(zeta)))
    out["mu"] = mu
    delta2 = mu**2 * m(b) / m(lam)
    out["delta2"] = delta2
    delta = mpmath.sqrt(delta2)
    out["delta"] = delta
    root = mpmath.sqrt(m(eta * c))
    loghalf = mpmath.sqrt(mpmath.log(zeta))
    t1 = mpmath.sqrt(2) * mpf("3.5") * m(eta**2 * r**2) / root * loghalf
    t2_ = mpmath.sqrt(2) * 7 * m(eta * r) * delta / root * loghalf
    t3 = 21 * b / lam
    out["lemma5_term1"] = t1
    out["lemma5_term2"] = t2_
    out["lemma5_term3"] = t3
    out["lemma5_lhs"] = t1 + t2_ + m(t3)
    return out


def corollary2(eta, L, c, r, d0, t2, eta2, c2, r2):
    base = theorem1(eta, L, c, r, d0, t2)
    eta2, c2, r2, L = map(q, (eta2, c2, r2, L))
    lam2 = 2 * eta2 * c2 - eta2**2 * L**2
    b2 = eta2**2 * r2**2 * (1 + eta2 * L) ** 2
    lower = mpmath.log(m(lam2 * base["bound_T1"] / b2)) / m(lam2)
    return {
        "lambda2": lam2,
        "b2": b2,
        "T2_stage_lower": lower,
        "T2_stage": F(max(0, int(mpmath.ceil(lower)))),
        "bound_final": 20 * b2 / lam2,
        "probability2": F(81, 100),
    }


def theorem3(eta, c_prime, dist2, grad2):
    eta, cp, d, g = map(q, (eta, c_prime, dist2, grad2))
    return {
        "eta_threshold": 2 * cp * d / g,
        "next_dist2_lower": (1 - 2 * eta * cp) * d + eta**2 * g,
    }


T1_SETS = {
    "example": dict(eta="0.01", L="1", c="0.5", r="1", d0="1", t2="1000000"),
    "T1_zero": dict(eta="0.1", L="1", c="1", r="10", d0="1", t2="1000"),
    "eta_at_boundary": dict(eta="0.5", L="1", c="1", r="1", d0="1", t2="1000"),
    "eta_1e-12": dict(eta="1e-12", L="1", c="1", r="1", d0="1", t2="100"),
    "T2_one": dict(eta="0.001", L="3", c="2", r="0.5", d0="4", t2="1"),
    "T2_1e15": dict(eta="0.0003", L="2.5", c="0.7", r="0.3", d0="12.5", t2="1e15"),
    "generic": dict(eta="3/7000", L="1.25", c="0.3", r="2", d0="100", t2="5000"),
}

C2_SETS = {
    "example": dict(T1_SETS["example"], eta2="0.001", c2="0.6", r2="1"),
    "generic": dict(T1_SETS["generic"], eta2="1e-4", c2="0.5", r2="1.5"),
}

T3_SETS = {
    "example": dict(eta="1", c_prime="1", dist2="1", grad2="4"),
    "boundary": dict(eta="0.5", c_prime="1", dist2="1", grad2="4"),
}


def main():
    def enc(d):
        return {k: s60(v) for k, v in d.items()}

    out = {
        "generator": "tests/reference/generate.py",
        "python": sys.version.split()[0],
        "mpmath": mpmath.__version__,
        "digits": mp.dps,
        "theorem1_lemma5": {k: {"params": v, "values": enc(theorem1(**v))} for k, v in T1_SETS.items()},
        "corollary2": {k: {"params": v, "values": enc(corollary2(**v))} for k, v in C2_SETS.items()},
        "theorem3": {k: {"params": v, "values": enc(theorem3(**v))} for k, v in T3_SETS.items()},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    print()


if __name__ == "__main__":
    main()
