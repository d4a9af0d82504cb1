#!/usr/bin/env python3
"""Checks that two CSV tables of the `table` benchmark agree: every numeric cell to
`digits` significant digits (relative difference below 10^(1-digits)), and every verdict.
Columns are matched by name (sgdbounds' headers carry a rounding suffix, `lambda[nearest]`).

    python3 benches/peers/compare_tables.py grid.csv flint.csv [digits]
"""
import csv
import sys
from decimal import Decimal, InvalidOperation


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    heads = [h.split("[")[0] for h in rows[0]]
    return heads, rows[1:]


def main():
    a_path, b_path = sys.argv[1], sys.argv[2]
    digits = int(sys.argv[3]) if len(sys.argv) > 3 else 18
    ha, ra = load(a_path)
    hb, rb = load(b_path)
    assert len(ra) == len(rb), f"{len(ra)} rows against {len(rb)}"
    common = [h for h in ha if h in hb and h != "hypotheses"]
    tol = Decimal(10) ** (1 - digits)
    numeric = verdicts = 0
    bad = []
    for i, (x, y) in enumerate(zip(ra, rb)):
        for h in common:
            u, v = x[ha.index(h)], y[hb.index(h)]
            try:
                du, dv = Decimal(u), Decimal(v)
            except InvalidOperation:
                verdicts += 1
                if u != v and not (u.startswith("undefined") and v in ("undefined", "undecided")):
                    bad.append((i, h, u, v))
                continue
            numeric += 1
            scale = max(abs(du), abs(dv))
            if scale != 0 and abs(du - dv) / scale > tol:
                bad.append((i, h, u, v))
    print(f"{numeric} numeric cells, {verdicts} other cells compared; {len(bad)} differ")
    for b in bad[:10]:
        print("  row {}: {}: {} vs {}".format(*b))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
