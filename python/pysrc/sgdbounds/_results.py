"""Typed results: each wraps the report the command line prints. ``repr()`` is the text report,
``.to_dict()`` the JSON report (the same as ``--json``), and the attributes are views of it."""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any, Dict, List, Optional


def _fraction(text: Optional[str]) -> Optional[Fraction]:
    return None if text is None else Fraction(text)


class Enclosure:
    """A certified enclosure ``[lo, hi]`` of a real number: the engine computed it with outward
    rounding, and the ends are printed outward (at the digits asked), so the true value lies
    between ``lo`` and ``hi``. ``exact`` is the value as a Fraction when the engine knows it
    exactly."""

    __slots__ = ("lo", "hi", "exact", "symbol", "bound")

    def __init__(self, lo: str, hi: str, exact: Optional[str] = None,
                 symbol: Optional[str] = None, bound: Optional[str] = None):
        self.lo = Decimal(lo)
        self.hi = Decimal(hi)
        self.exact = _fraction(exact)
        self.symbol = symbol
        self.bound = bound

    @classmethod
    def of(cls, d: Any) -> Any:
        """An Enclosure of a JSON value ``{"lo": …, "hi": …}``; anything else unchanged."""
        if isinstance(d, dict) and "lo" in d and "hi" in d:
            return cls(d["lo"], d["hi"], d.get("exact"), d.get("symbol"), d.get("bound"))
        return d

    @property
    def mid(self) -> float:
        """The midpoint, as a float (for plotting: not certified)."""
        if self.exact is not None:
            return float(self.exact)
        return float((self.lo + self.hi) / 2)

    @property
    def width(self) -> Decimal:
        return self.hi - self.lo

    def __contains__(self, x: Any) -> bool:
        """Whether x (a number or its exact text) lies in [lo, hi], compared exactly."""
        return Fraction(self.lo) <= Fraction(x) <= Fraction(self.hi)

    def to_mpmath(self):
        """The enclosure as an ``mpmath.mpi`` (mpmath rounds the ends outward)."""
        import mpmath

        return mpmath.mpi(str(self.lo), str(self.hi))

    def to_arb(self):
        """The enclosure as a ``flint.arb`` ball containing ``[lo, hi]``."""
        import flint

        return flint.arb(str(self.lo)).union(flint.arb(str(self.hi)))

    def __float__(self) -> float:
        return self.mid

    def __eq__(self, other: Any) -> bool:
        return (isinstance(other, Enclosure) and self.lo == other.lo and self.hi == other.hi
                and self.exact == other.exact)

    def __hash__(self) -> int:
        return hash((self.lo, self.hi, self.exact))

    def __repr__(self) -> str:
        if self.lo == self.hi:
            return f"Enclosure({self.lo})"
        return f"Enclosure([{self.lo}, {self.hi}])"


def _enclosures(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: Enclosure.of(v) for k, v in d.items()}


class Report:
    """A subcommand's report: ``repr()`` prints the text report, ``to_dict()`` gives the JSON
    report, ``exit_code`` the command line's exit code (0 holds / proved / valid, 1 not)."""

    def __init__(self, exit_code: int, text: str, data: Dict[str, Any], notes: List[str]):
        self.exit_code = exit_code
        self._text = text
        self._data = data
        self.notes = notes

    def to_dict(self) -> Dict[str, Any]:
        """The report as the command line's ``--json`` prints it."""
        return copy.deepcopy(self._data)

    def __repr__(self) -> str:
        return self._text.rstrip("\n")

    def __str__(self) -> str:
        return self._text

    def _repr_pretty_(self, p, cycle):  # IPython
        p.text(repr(self))

    @property
    def ok(self) -> bool:
        """Whether the command line would exit with 0."""
        return self.exit_code == 0


class Statement:
    """A hypothesis or claim at a point: its verdict (holds, fails, undecided) and its
    comparisons' sides as enclosures."""

    def __init__(self, d: Dict[str, Any]):
        self.name: str = d["name"]
        self.expr: str = d["expr"]
        self.cite: str = d.get("cite", "")
        self.verdict: str = d["verdict"]
        self.comparisons = [
            {k: Enclosure.of(v) for k, v in c.items()} for c in d.get("comparisons", [])
        ]

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    def __repr__(self) -> str:
        return f"<{self.name}: {self.verdict} ({self.expr})>"


class CheckedResult:
    """One result of the paper at the point: parameters (exact), hypotheses, quantities
    (enclosures) and claims."""

    def __init__(self, d: Dict[str, Any]):
        self.name: str = d["result"]
        self.title: str = d["title"]
        self.verdict: str = d["verdict"]
        self.parameters: Dict[str, Fraction] = {k: Fraction(v) for k, v in d["parameters"].items()}
        self.quantities: Dict[str, Enclosure] = _enclosures(d["quantities"])
        self.hypotheses = [Statement(s) for s in d["hypotheses"]]
        self.claims = [Statement(s) for s in d["claims"]]
        self.assumptions = d.get("assumptions", [])

    def __repr__(self) -> str:
        return f"<{self.name}: {self.verdict}>"


class CheckResult(Report):
    """``sgdbounds check``: what the paper's results promise at one point."""

    def __init__(self, *a):
        super().__init__(*a)
        self.verdict: str = self._data["verdict"]
        self.results = [CheckedResult(r) for r in self._data["results"]]

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    @property
    def quantities(self) -> Dict[str, Enclosure]:
        """Every result's quantities by name (the first result's where two share a name)."""
        out: Dict[str, Enclosure] = {}
        for r in self.results:
            for k, v in r.quantities.items():
                out.setdefault(k, v)
        return out

    def __getitem__(self, name: str) -> Any:
        """A result by name (``lemma5``) or a quantity by name (``delta2``)."""
        for r in self.results:
            if r.name == name:
                return r
        q = self.quantities
        if name in q:
            return q[name]
        raise KeyError(name)


class ClaimVerdict:
    """One claim of ``verify``: proved, refuted or inconclusive, with its domain and, when
    refuted, the exact witness."""

    def __init__(self, result: str, d: Dict[str, Any]):
        self.result = result
        self.name: str = d["name"]
        self.expr: str = d["expr"]
        self.status: str = d["status"]
        self.method: str = d.get("method", "")
        self.box: Dict[str, str] = d.get("box", {})
        self.domain: Dict[str, Any] = d.get("domain", {})
        self.cells: int = d.get("cells", 0)
        self.witness: Optional[Dict[str, Any]] = d.get("witness")
        self._data = d

    @property
    def proved(self) -> bool:
        return self.status == "proved"

    def __repr__(self) -> str:
        return f"<{self.result}.{self.name}: {self.status}>"


class VerifyResult(Report):
    """``sgdbounds verify``: every claim asked for, proved or refuted over its domain."""

    def __init__(self, *a):
        super().__init__(*a)
        self.all_proved: bool = self._data["all_proved"]
        self.counts: Dict[str, int] = dict(self._data["counts"])
        self.claims = [
            ClaimVerdict(r["result"], c) for r in self._data["results"] for c in r["claims"]
        ]

    def __getitem__(self, name: str) -> ClaimVerdict:
        for c in self.claims:
            if c.name == name or f"{c.result}.{c.name}" == name:
                return c
        raise KeyError(name)


class TightenResult(Report):
    """``sgdbounds tighten``: a certified bracket (lower, upper] for the least value of a
    constant at which every named claim is proved."""

    def __init__(self, *a):
        super().__init__(*a)
        b = self._data["bracket"]
        self.constant: str = self._data["constant"]
        self.lower: Optional[Fraction] = _fraction(b["lower"]["value"]) if b.get("lower") else None
        self.upper: Optional[Fraction] = _fraction(b["upper"]["value"]) if b.get("upper") else None
        self.within_tolerance: bool = b.get("within_tolerance", False)
        self.witness: Optional[Dict[str, Any]] = self._data.get("witness")
        self.steps = self._data.get("steps", [])

    @property
    def bracket(self):
        """(lower, upper) as Fractions: refuted at lower, proved at upper."""
        return (self.lower, self.upper)


class SimulateResult(Report):
    """``sgdbounds simulate``: quantiles as NumPy arrays, the theorem's events, and (with
    ``trace_trials``) the trajectories."""

    QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

    def __init__(self, exit_code, text, data, notes, kept: Optional[str]):
        super().__init__(exit_code, text, data, notes)
        import numpy as np

        over = self._data.get("dist2_over_time", [])
        #: the steps t at which ‖y_t − x*‖² was recorded
        self.t = np.array([row["t"] for row in over], dtype=np.int64)
        #: quantiles (5, 25, 50, 75, 95%) of ‖y_t − x*‖² over the trials, one row per t
        self.dist2_quantiles = np.array(
            [row["quantiles"] for row in over], dtype=float
        ).reshape(len(over), len(self.QUANTILES))
        final = self._data.get("final", {})
        #: quantiles of the final iterate (1-D) or of its distance
        self.final_quantiles = {k: float(v) for k, v in final.get("quantiles", {}).items()}
        self.trajectories = None
        if kept is not None:
            self.trajectories = _trajectories(kept)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]


def _trajectories(csv: str):
    """The kept trajectories (CSV: trial, stage, t, x1..xd, dist2_y) as a list of dicts of
    arrays, one per trial: ``t``, ``stage``, ``x`` (steps × d) and ``dist2_y``."""
    import numpy as np

    lines = csv.splitlines()
    if len(lines) <= 1:
        return []
    data = np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)
    trials = []
    for i in np.unique(data[:, 0]).astype(int):
        rows = data[data[:, 0] == i]
        trials.append({
            "t": rows[:, 2].astype(np.int64),
            "stage": rows[:, 1].astype(np.int64),
            "x": rows[:, 3:-1],
            "dist2_y": rows[:, -1],
        })
    return trials


class EstimateResult(Report):
    """``sgdbounds estimate``: L, r and c of Assumption 1, estimated over a sample of D."""

    def __init__(self, *a):
        super().__init__(*a)
        e = self._data["estimate"]
        self.L: float = e["l"]
        self.r: float = e["r"]
        self.c: float = e["c"]
        self.c_error: float = e["c_error"]
        self.grad_at_x_star = e["grad_at_x_star"]

    def __getitem__(self, key: str) -> Any:
        return self._data[key]


class ReplayResult(Report):
    """``sgdbounds replay``: a certificate re-checked by the independent kernel."""

    def __init__(self, *a):
        super().__init__(*a)
        self.all_valid: bool = self._data["all_valid"]
        self.counts: Dict[str, int] = dict(self._data["counts"])
