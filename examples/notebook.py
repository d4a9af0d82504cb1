"""A notebook's worth of sgdbounds from Python: check a point, plot δ² against η from a
table, run a simulation. Run with `python examples/notebook.py` after `pip install ./python`
(and `pip install matplotlib pandas` for the plot); it writes delta2_vs_eta.png only when
given `--plot FILE`."""

import sys
from fractions import Fraction

import sgdbounds

# 1. Lemma 5 at one point: every number a certified enclosure, read exactly
r = sgdbounds.check("lemma5", eta="0.01", L=1, c=Fraction(1, 2), r=1, d0=1, t2=10**6)
print(r.verdict, "δ² ≤", r["delta2"].hi, " T₁ =", r["T1"].lo)

# 2. δ² against η: a table as a DataFrame (floats for plotting)
df = sgdbounds.table("lemma5", eta="1e-4..1e-1:log:20", L=1, c="0.5", r=1, d0=1, t2=10**6,
                     columns=["eta", "delta2", "bound_T1"], numbers="float")
print(df.head())
if "--plot" in sys.argv:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.loglog(df["eta"], df["delta2"], label="δ² (Lemma 5)")
    ax.loglog(df["eta"], df["bound_T1"], label="20b/λ (Theorem 1)")
    ax.set_xlabel("step size η")
    ax.set_ylabel("bound on ‖y − x*‖²")
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[sys.argv.index("--plot") + 1], dpi=150)

# 3. SGD on the quadratic, held against Theorem 1
s = sgdbounds.simulate("quadratic", eta=0.1, s=1, steps=2000, start=5, L=1, c=1, t2=500,
                       trials=1000, trace_trials=2)
print("median ‖y_t − x*‖² at the last recorded t:", s.dist2_quantiles[-1, 2])
print("a trajectory of", len(s.trajectories[0]["t"]), "steps")
