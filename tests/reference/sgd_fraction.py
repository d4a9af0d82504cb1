#!/usr/bin/env python3
"""An independent reference for `sgdbounds simulate`: the fraction of SGD trials that end
within 0.5 of x* = 0 on f(x) = x^2 + 0.5*(1 - cos(30x)) (f'(x) = 2x + 15 sin(30x) written out
by hand), noise uniform on [-20, 20], eta = 0.01, starts uniform in [-5, 5], computed with
NumPy's own generator (so it shares no random numbers and no code with sgdbounds). Run:

    pip install numpy==2.4.6
    python3 tests/reference/sgd_fraction.py > tests/reference/sgd_fraction.json

tests/suite/simulate.rs checks that sgdbounds' fraction on the same workload agrees with this
one within four standard errors of the difference of two independent proportions.
"""
import json
import sys

import numpy as np

trials, steps, eta, s, radius = 20_000, 3_000, 0.01, 20.0, 0.5
rng = np.random.default_rng(20181)
x = rng.uniform(-5.0, 5.0, trials)
for _ in range(steps):
    g = 2.0 * x + 15.0 * np.sin(30.0 * x)
    w = rng.uniform(-s, s, trials)
    x -= eta * (g + w)
count = int(np.sum(np.abs(x) <= radius))
json.dump(
    {
        "generator": "tests/reference/sgd_fraction.py",
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "objective": "x^2 + 0.5*(1 - cos(30*x))",
        "eta": eta,
        "s": s,
        "steps": steps,
        "trials": trials,
        "start_box": [-5.0, 5.0],
        "radius": radius,
        "count": count,
        "fraction": count / trials,
    },
    sys.stdout,
    indent=2,
)
print()
