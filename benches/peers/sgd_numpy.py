#!/usr/bin/env python3
"""The `sgdbounds simulate` benchmark workload in NumPy, vectorised over trials.

f(x) = x^2 + 0.5*(1 - cos(30x)), so f'(x) = 2x + 15 sin(30x); noise uniform on [-20, 20];
eta = 0.01; 10,000 trials x 10,000 steps; starts uniform in [-5, 5]; reports the fraction of
trials ending with |x| <= 0.5.

    python3 benches/peers/sgd_numpy.py
"""
import sys
import time

import numpy as np

trials, steps, eta, s = 10_000, 10_000, 0.01, 20.0
rng = np.random.default_rng(2018)
start = time.perf_counter()
x = rng.uniform(-5.0, 5.0, trials)
for _ in range(steps):
    g = 2.0 * x + 15.0 * np.sin(30.0 * x)
    w = rng.uniform(-s, s, trials)
    x -= eta * (g + w)
took = time.perf_counter() - start
frac = np.mean(np.abs(x) <= 0.5)
print(f"numpy {np.__version__}: fraction |x| <= 0.5: {frac:.4f} in {took:.2f} s", file=sys.stderr)
