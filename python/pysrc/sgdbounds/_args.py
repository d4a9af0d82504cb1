"""Python values as the exact words of the command line.

Every number the engine reads is read exactly, as a decimal or a fraction; so is every value
given here. ``str``, ``int``, :class:`fractions.Fraction` and :class:`decimal.Decimal` are
exact. A ``float`` is a binary number: it is passed as its exact binary value (``0.1`` is
0.1000000000000000055511151231257827021181583404541015625), with an
:class:`InexactFloatWarning` when that value is not the decimal it prints as.
"""

from __future__ import annotations

import math
import numbers
import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, List, Mapping, Optional

from ._native import InputError


class InexactFloatWarning(UserWarning):
    """A ``float`` was given where an exact number is read: its exact binary value is used,
    which is not the decimal it prints as (``0.1`` is not one tenth)."""


def _plain(value: Any, name: str) -> Optional[str]:
    """The text of a str or an integer as it is (a bool refused); None for other values."""
    if isinstance(value, bool):
        raise TypeError(f"{name}: a bool is not a number (got {value!r})")
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return None


def exact(value: Any, name: str) -> str:
    """The exact text of a number (see the module's documentation)."""
    plain = _plain(value, name)
    if plain is not None:
        return plain
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(f"{name} = {value}: not a finite number")
        return str(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        if not math.isfinite(x):
            raise InputError(f"{name} = {x!r}: not a finite number")
        binary = Decimal(x)
        if binary != Decimal(repr(x)):
            warnings.warn(
                f"{name} = {x!r} is a float: it is read as its exact binary value {binary}, "
                f"not as the decimal {x!r}; pass a str, int, Fraction or Decimal to give "
                "an exact decimal",
                InexactFloatWarning,
                stacklevel=4,
            )
        return str(binary)
    raise TypeError(
        f"{name}: expected a number (str, int, Fraction, Decimal or float), "
        f"got {type(value).__name__}"
    )


def machine(value: Any, name: str) -> str:
    """The text of a value the command line reads as a binary float (simulate's and
    estimate's step sizes, noise radii, start points): the shortest text that reads back as
    the same float."""
    plain = _plain(value, name)
    if plain is not None:
        return plain
    if isinstance(value, (Fraction, Decimal, numbers.Real)):
        x = float(value)
        if not math.isfinite(x):
            raise InputError(f"{name} = {value}: not a finite number")
        return repr(x)
    raise TypeError(f"{name}: expected a number, got {type(value).__name__}")


def spec(value: Any, name: str) -> str:
    """A table axis: a number, a list of numbers (``[1, 10, 100]``), or the command line's
    text of a value, a list or a range (``"1e-4..1e-1:log:4"``)."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise InputError(f"{name}: an empty list of values")
        return ",".join(exact(v, name) for v in value)
    return exact(value, name)


def flag(argv: List[str], name: str, value: Any, text=exact) -> None:
    """Appends ``--name VALUE`` when the value is given (not None)."""
    if value is None:
        return
    argv.append(f"--{name}")
    argv.append(text(value, name) if text else str(value))


def count(argv: List[str], name: str, value: Optional[int]) -> None:
    """Appends ``--name N`` for a count (an int)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    argv += [f"--{name}", str(int(value))]


def switch(argv: List[str], name: str, on: bool) -> None:
    if on:
        argv.append(f"--{name}")


def repeated(argv: List[str], name: str, values: Optional[Iterable[str] | str]) -> None:
    """Appends ``--name V`` for every value (a str alone is one value)."""
    if values is None:
        return
    if isinstance(values, str):
        values = [values]
    for v in values:
        argv += [f"--{name}", str(v)]


def boxes(argv: List[str], given: Optional[Mapping[str, str] | Iterable[str]]) -> None:
    """``--box NAME=RANGE`` for each entry of a mapping {name: range} (or of a list of
    ``"NAME=RANGE"`` texts)."""
    if given is None:
        return
    if isinstance(given, Mapping):
        items = [f"{k}={v}" for k, v in given.items()]
    else:
        items = [given] if isinstance(given, str) else list(given)
    repeated(argv, "box", items)


def sets(argv: List[str], params: Mapping[str, Any], text=exact) -> None:
    """``--set NAME=VALUE`` for every parameter given by its name in the proofs file."""
    for k, v in params.items():
        if v is None:
            continue
        argv += ["--set", f"{k}={text(v, k)}"]


def number_list(argv: List[str], name: str, values: Any) -> None:
    """Appends ``--name=V1,V2,…`` for a list of numbers, each taken exactly (as ``exact``), or
    a text as it is; nothing when None. The ``=`` form keeps a leading minus sign a value."""
    if values is None:
        return
    if isinstance(values, str):
        argv.append(f"--{name}={values}")
        return
    argv.append(f"--{name}=" + ",".join(exact(v, name) for v in values))
