"""The extension module (Rust, PyO3): the engine of the command line."""

from typing import List, Optional, Tuple

__version__: str

class InputError(ValueError):
    """Bad input; the message is the command line's."""

def run(argv: List[str]) -> Tuple[int, str, Optional[str], List[str], Optional[str]]:
    """Runs ``sgdbounds ARGV...``: (exit code, text report, JSON report or None, notes on the
    files written, kept data or None). Releases the interpreter's lock; Ctrl-C stops it."""

def builtin_results() -> List[str]:
    """The names of the built-in results."""
