"""sgdbounds: certified constants and proofs of Kleinberg, Li, Yuan (ICML 2018),
*An Alternative View: When Does SGD Escape Local Minima?*

The engine of the ``sgdbounds`` command line, called from Python. Each function mirrors a
subcommand and takes its options as keyword arguments; the parameters of the paper's results
are keyword arguments named as in the proofs files (``eta``, ``L``, ``c``, ``r``, ``d0``,
``t2``, ``mu_coef``...)::

    >>> import sgdbounds
    >>> r = sgdbounds.check("lemma5", eta="0.01", L=1, c="0.5", r=1, d0=1, t2=10**6)
    >>> r.verdict
    'holds'
    >>> r["delta2"].hi          # a certified upper end, as a Decimal
    Decimal('265.85497434666909684')

Numbers are read exactly: ``str``, ``int``, ``Fraction`` and ``Decimal`` as they are, a
``float`` as its exact binary value (with :class:`InexactFloatWarning` when that is not the
decimal it prints as). Results are typed objects whose ``repr()`` is the command line's text
report and whose ``.to_dict()`` is its JSON report. Bad input raises :class:`InputError` (a
``ValueError``) with the command line's message. The interpreter's lock is released while the
engine works, and Ctrl-C stops it (``KeyboardInterrupt``).
"""

from __future__ import annotations

import json as _json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _args
from ._args import InexactFloatWarning
from ._native import InputError, __version__, builtin_results
from ._native import run as _run
from ._results import (
    CheckedResult,
    CheckResult,
    ClaimVerdict,
    Enclosure,
    EstimateResult,
    ReplayResult,
    Report,
    SimulateResult,
    Statement,
    TightenResult,
    VerifyResult,
)

__all__ = [
    "check", "table", "verify", "tighten", "simulate", "estimate", "replay", "run",
    "builtin_results", "InputError", "InexactFloatWarning", "Enclosure", "Report",
    "CheckResult", "CheckedResult", "Statement", "VerifyResult", "ClaimVerdict",
    "TightenResult", "SimulateResult", "EstimateResult", "ReplayResult", "__version__",
]

Number = Union[str, int, float, "Fraction", "Decimal"]  # noqa: F821


def run(*words: str):
    """Runs ``sgdbounds WORDS...`` as the command line would and returns (exit code, text
    report, JSON report or None). For options the functions below do not name."""
    code, text, js, _notes, _kept = _run([str(w) for w in words])
    return code, text, js


def _report(cls, argv: List[str], kept: bool = False):
    code, text, js, notes, data = _run(argv + ["--json"] if "--json" not in argv else argv)
    parsed = _json.loads(js) if js else {}
    if kept:
        return cls(code, text, parsed, notes, data)
    return cls(code, text, parsed, notes)


def _choice(argv: List[str], result: Optional[str], proofs: Optional[str]) -> None:
    if result is not None:
        argv.append(str(result))
    _args.flag(argv, "proofs", proofs, text=None)


def check(result: Optional[str] = None, *, proofs: Optional[str] = None, example: bool = False,
          prec: Optional[int] = None, digits: Optional[int] = None,
          certificate: Optional[str] = None, **params: Number) -> CheckResult:
    """A result of the paper at one point (``sgdbounds check``): hypotheses with both sides,
    every quantity as a certified enclosure, every claim with its slack.

    ``result`` is a built-in result (``theorem1``, ``lemma5``, ``corollary2``, ``theorem3``;
    default: Theorem 1 and Lemma 5) or use ``proofs=FILE``. ``params`` are the result's
    parameters and constants by their names in the proofs file (``eta=\"0.01\"``,
    ``mu_coef=40``). ``example=True`` fills the ones not given with the file's example.
    ``digits`` are the significant digits of the enclosures' ends (default 20).
    """
    argv = ["check"]
    _choice(argv, result, proofs)
    _args.sets(argv, params)
    _args.switch(argv, "example", example)
    _args.count(argv, "prec", prec)
    _args.count(argv, "digits", digits)
    _args.flag(argv, "certificate", certificate, text=None)
    return _report(CheckResult, argv)


def table(result: Optional[str] = None, *, proofs: Optional[str] = None,
          columns: Optional[Sequence[str]] = None, sweep: Optional[str] = None,
          digits: Optional[int] = None, prec: Optional[int] = None,
          numbers: str = "decimal", dataframe: Optional[bool] = None, **axes: Any):
    """A certified table over a grid (``sgdbounds table``).

    Each axis is a keyword argument named as the parameter: a number, a list of numbers, or
    the command line's text of a range (``eta="1e-4..1e-1:log:10"``). ``columns`` are names
    in the proofs file. Every number is rounded at ``digits`` significant digits (default 6) in
    the direction that keeps a bound a bound.

    Returns a pandas ``DataFrame`` when pandas is installed (``dataframe=False`` for a list of
    dicts), with the table's metadata (rounding, columns' symbols) in ``df.attrs``. Numbers
    are ``Decimal`` (``numbers="decimal"``, the rounded certified text) or ``float``
    (``numbers="float"``); verdict columns are the words ``holds``/``fails``/``undecided``.
    """
    if numbers not in ("decimal", "float"):
        raise InputError(f"numbers = {numbers!r}: expected 'decimal' or 'float'")
    argv = ["table"]
    _choice(argv, result, proofs)
    for k, v in axes.items():
        if v is not None:
            argv += ["--set", f"{k}={_args.spec(v, k)}"]
    if columns is not None:
        argv += ["--columns", ",".join(columns) if not isinstance(columns, str) else columns]
    _args.flag(argv, "sweep", sweep, text=None)
    _args.count(argv, "digits", digits)
    _args.count(argv, "prec", prec)
    argv += ["--format", "json"]
    code, text, js, _notes, _kept = _run(argv)
    data = _json.loads(js)
    kinds = {c["name"]: c.get("rounding") for c in data["columns"]}
    from decimal import Decimal, InvalidOperation

    def cell(name: str, v: Any) -> Any:
        if not isinstance(v, str) or kinds.get(name) == "verdict" or name == "hypotheses":
            return v
        try:
            d = Decimal(v)
        except InvalidOperation:
            return v  # an undefined value, in words
        return float(d) if numbers == "float" else d

    rows = [{k: cell(k, v) for k, v in row.items()} for row in data["rows"]]
    meta = {k: v for k, v in data.items() if k != "rows"}
    if dataframe is None or dataframe:
        try:
            import pandas as pd
        except ImportError:
            if dataframe:
                raise
            return rows
        df = pd.DataFrame(rows, columns=[c["name"] for c in data["columns"]] + ["hypotheses"])
        df.attrs.update(meta)
        return df
    return rows


def verify(file_or_result: Union[None, str, Iterable[str]] = None,
           claim: Union[None, str, Iterable[str]] = None, *, budget: Optional[float] = None,
           max_boxes: Optional[int] = None, samples: Optional[int] = None,
           seed: Optional[int] = None, identity_seed: Optional[int] = None,
           boxes: Optional[Mapping[str, str]] = None, no_scaling: bool = False,
           certificate: Optional[str] = None, shard: Optional[str] = None,
           prec: Optional[int] = None, digits: Optional[int] = None) -> VerifyResult:
    """Prove or refute claims of the proofs files over their domains (``sgdbounds verify``).

    ``file_or_result``: a built-in result, a proofs file, or a list of them (default: every
    built-in). ``claim``: a claim's name or a list of names. ``boxes``: ranges replacing the
    file's, as ``{"t2": "[1000, inf):log"}``. ``budget`` is seconds per claim (default 30).
    ``certificate`` writes the certificate of every proved claim to that file.
    """
    argv = ["verify"]
    if file_or_result is not None:
        argv += [file_or_result] if isinstance(file_or_result, str) else list(file_or_result)
    _args.repeated(argv, "claim", claim)
    _args.boxes(argv, boxes)
    _args.flag(argv, "budget", budget, text=_args.machine)
    _args.count(argv, "max-boxes", max_boxes)
    _args.count(argv, "samples", samples)
    _args.count(argv, "seed", seed)
    _args.count(argv, "identity-seed", identity_seed)
    _args.switch(argv, "no-scaling", no_scaling)
    _args.flag(argv, "certificate", certificate, text=None)
    _args.flag(argv, "shard", shard, text=None)
    _args.count(argv, "prec", prec)
    _args.count(argv, "digits", digits)
    return _report(VerifyResult, argv)


def tighten(result: str, constant: str, *, claim: Union[None, str, Iterable[str]] = None,
            lo: Optional[Number] = None, tolerance: Optional[Number] = None,
            steps: Optional[int] = None, budget: Optional[float] = None,
            max_boxes: Optional[int] = None, boxes: Optional[Mapping[str, str]] = None,
            no_scaling: bool = False, prec: Optional[int] = None,
            digits: Optional[int] = None) -> TightenResult:
    """A certified bracket for the least value of a constant (``sgdbounds tighten``): at the
    upper end every named claim is proved, at the lower end one is refuted with a witness."""
    argv = ["tighten", str(result), "--constant", str(constant)]
    _args.repeated(argv, "claim", claim)
    _args.flag(argv, "lo", lo)
    _args.flag(argv, "tolerance", tolerance)
    _args.count(argv, "steps", steps)
    _args.flag(argv, "budget", budget, text=_args.machine)
    _args.count(argv, "max-boxes", max_boxes)
    _args.boxes(argv, boxes)
    _args.switch(argv, "no-scaling", no_scaling)
    _args.count(argv, "prec", prec)
    _args.count(argv, "digits", digits)
    return _report(TightenResult, argv)


def simulate(objective: str = "quadratic", *, eta: Optional[float] = None,
             steps: Optional[int] = None, s: Optional[float] = None,
             stages: Optional[Sequence[Any]] = None, noise: Optional[str] = None,
             start: Optional[float] = None, start_box: Optional[str] = None,
             x_star: Optional[float] = None, trials: Optional[int] = None,
             seed: Optional[int] = None, L: Optional[Number] = None,
             c: Optional[Number] = None, c2: Optional[Number] = None,
             t2: Optional[int] = None, dim: Optional[int] = None, a: Optional[float] = None,
             within: Optional[float] = None, trace_trials: int = 0,
             max_work: Optional[int] = None, t1: Optional[int] = None,
             domain: Optional[str] = None,
             noise_values: Optional[Sequence[Any] | str] = None,
             noise_weights: Optional[Sequence[Any] | str] = None) -> SimulateResult:
    """SGD over many seeded trials, held against Theorem 1 (``sgdbounds simulate``).

    ``stages`` is a list of ``(eta, steps, s)`` (or ``"ETA:STEPS:S"`` texts) replacing
    ``eta``/``steps``/``s``. With ``L`` and ``c`` the theorem's events are checked. With
    ``trace_trials=N`` the first N trials' trajectories are kept in ``.trajectories`` (NumPy
    arrays). Quantiles are in ``.t`` and ``.dist2_quantiles``. ``t1`` starts Theorem 1's
    window there (at least the theorem's bound). ``noise="finite"`` takes ``noise_values`` and
    ``noise_weights`` (numbers, taken exactly; the mean must be 0). ``domain="LO..HI"`` counts
    the trials that leave D = [LO, HI]^d.
    """
    argv = ["simulate", "--objective", str(objective)]
    _args.flag(argv, "eta", eta, text=_args.machine)
    _args.count(argv, "steps", steps)
    _args.flag(argv, "s", s, text=_args.machine)
    for st in stages or []:
        if isinstance(st, str):
            argv += ["--stage", st]
        else:
            e, n, r = st
            argv += ["--stage", f"{_args.machine(e, 'eta')}:{int(n)}:{_args.machine(r, 's')}"]
    _args.flag(argv, "noise", noise, text=None)
    _args.flag(argv, "start", start, text=_args.machine)
    _args.flag(argv, "start-box", start_box, text=None)
    _args.flag(argv, "x-star", x_star, text=_args.machine)
    _args.count(argv, "trials", trials)
    _args.count(argv, "seed", seed)
    _args.flag(argv, "L", L)
    _args.flag(argv, "c", c)
    _args.flag(argv, "c2", c2)
    _args.count(argv, "t2", t2)
    _args.count(argv, "dim", dim)
    _args.flag(argv, "a", a, text=_args.machine)
    _args.flag(argv, "within", within, text=_args.machine)
    _args.count(argv, "max-work", max_work)
    _args.count(argv, "t1", t1)
    if domain is not None:
        argv.append(f"--domain={domain}")
    _args.number_list(argv, "noise-values", noise_values)
    _args.number_list(argv, "noise-weights", noise_weights)
    if trace_trials:
        argv += ["--trajectories", "-"]
        _args.count(argv, "trace-trials", trace_trials)
    return _report(SimulateResult, argv, kept=True)


def estimate(objective: str = "quadratic", *, eta: float, s: Optional[float] = None,
             noise: Optional[str] = None, x_star: Optional[float] = None,
             radius: Optional[float] = None, points: Optional[int] = None,
             draws: Optional[int] = None, exclude: Optional[float] = None,
             seed: Optional[int] = None, then_check: bool = False, t2: Optional[int] = None,
             dim: Optional[int] = None, a: Optional[float] = None,
             max_work: Optional[int] = None,
             noise_values: Optional[Sequence[Any] | str] = None,
             noise_weights: Optional[Sequence[Any] | str] = None,
             certify: bool = False, certify_cells: Optional[int] = None,
             domain: Optional[str] = None) -> EstimateResult:
    """L, r and c of Assumption 1 for an objective and a noise model, estimated on
    D = x* + [−R, R]^d (``sgdbounds estimate``); estimates over a sample, not proofs. With
    ``certify=True`` (1-D) L, c, D0 and ∇f(x*) are also bounded with certainty: in
    ``.to_dict()["certified"]``."""
    argv = ["estimate", "--objective", str(objective)]
    _args.flag(argv, "eta", eta, text=_args.machine)
    _args.flag(argv, "s", s, text=_args.machine)
    _args.flag(argv, "noise", noise, text=None)
    _args.flag(argv, "x-star", x_star, text=_args.machine)
    _args.flag(argv, "radius", radius, text=_args.machine)
    _args.count(argv, "points", points)
    _args.count(argv, "draws", draws)
    _args.flag(argv, "exclude", exclude, text=_args.machine)
    _args.count(argv, "seed", seed)
    _args.switch(argv, "then-check", then_check)
    _args.count(argv, "t2", t2)
    _args.count(argv, "dim", dim)
    _args.flag(argv, "a", a, text=_args.machine)
    _args.count(argv, "max-work", max_work)
    _args.number_list(argv, "noise-values", noise_values)
    _args.number_list(argv, "noise-weights", noise_weights)
    _args.switch(argv, "certify", certify)
    if domain is not None:
        argv.append(f"--domain={domain}")
    _args.count(argv, "certify-cells", certify_cells)
    return _report(EstimateResult, argv)


def replay(*files: str, merge: bool = False) -> ReplayResult:
    """Re-check certificates with the independent kernel (``sgdbounds replay``)."""
    argv = ["replay", *[str(f) for f in files]]
    _args.switch(argv, "merge", merge)
    return _report(ReplayResult, argv)
