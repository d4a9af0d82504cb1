#!/usr/bin/env bash
# Builds and installs the Python package into a fresh virtual environment and runs its tests:
#   bash python/test.sh            (from the repository's top; the venv is target/python-venv)
# MATURIN_PEP517_ARGS="--profile dev" builds with the optimized dev profile that `cargo test`
# uses, so that after `cargo test` only the extension module itself is compiled; without it
# (a plain `pip install ./python`) the build is a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/python-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
MATURIN_PEP517_ARGS="${MATURIN_PEP517_ARGS---profile dev}" "$venv/bin/python" -m pip install --quiet ./python
"$venv/bin/python" -m pip install --quiet pytest pandas mpmath python-flint
cd python && "../$venv/bin/python" -m pytest -q tests
