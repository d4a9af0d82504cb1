#!/usr/bin/env python3
"""The `sgdbounds simulate` benchmark workload in Numba: one compiled loop per trial, trials
spread over the cores with `prange`.

f(x) = x^2 + 0.5*(1 - cos(30x)), so f'(x) = 2x + 15 sin(30x); noise uniform on [-20, 20];
eta = 0.01; 10,000 trials x 10,000 steps; starts uniform in [-5, 5]; reports the fraction of
trials ending with |x| <= 0.5. The function is compiled (and run once on a small input) before
the clock starts, so the time excludes compilation. Each trial draws from NumPy's generator
inside the compiled loop (Numba gives every thread its own stream).

    python3 benches/peers/sgd_numba.py            # all cores (NUMBA_NUM_THREADS to change)
"""
import sys
import time

import numba
import numpy as np
from numba import njit, prange

trials, steps, eta, s = 10_000, 10_000, 0.01, 20.0


@njit(parallel=True, fastmath=False)
def run(x, steps, eta, s):
    n = x.shape[0]
    for i in prange(n):
        xi = x[i]
        for _ in range(steps):
            g = 2.0 * xi + 15.0 * np.sin(30.0 * xi)
            w = np.random.uniform(-s, s)
            xi -= eta * (g + w)
        x[i] = xi
    return x


np.random.seed(2018)
run(np.zeros(64), 10, eta, s)  # compile before timing
rng = np.random.default_rng(2018)
x = rng.uniform(-5.0, 5.0, trials)
start = time.perf_counter()
run(x, steps, eta, s)
took = time.perf_counter() - start
frac = np.mean(np.abs(x) <= 0.5)
print(
    f"numba {numba.__version__} ({numba.get_num_threads()} threads): "
    f"fraction |x| <= 0.5: {frac:.4f} in {took:.2f} s",
    file=sys.stderr,
)
