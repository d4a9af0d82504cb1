"""Tests of the Python package. The reference values are the command line's own JSON on the
same inputs (run here through the package's `run`, the same engine as the binary) and exact
rational arithmetic done here with `fractions`."""

import json
import os
import signal
import threading
import time
import warnings
from decimal import Decimal
from fractions import Fraction

import pytest

import sgdbounds
from sgdbounds import InexactFloatWarning, InputError

POINT = dict(eta="0.01", L=1, c="0.5", r=1, d0=1, t2=10**6)


# --- exact inputs -------------------------------------------------------------------------


def test_str_int_fraction_and_decimal_are_read_exactly():
    a = sgdbounds.check("lemma5", **POINT)
    b = sgdbounds.check("lemma5", eta=Fraction(1, 100), L=Decimal("1"), c=Fraction(1, 2),
                        r=1, d0=Decimal("1.0"), t2=1000000)
    assert a.verdict == b.verdict == "holds"
    assert a["delta2"] == b["delta2"]
    assert a.results[0].parameters["eta"] == Fraction(1, 100)


def test_lambda_is_exact_and_matches_rational_arithmetic():
    # λ = 2ηc − η²L² (proofs/theorem1.toml), computed here with fractions
    eta, L, c = Fraction(1, 100), Fraction(1), Fraction(1, 2)
    expected = 2 * eta * c - eta**2 * L**2
    r = sgdbounds.check("lemma5", **POINT)
    lam = r["lambda"]
    assert lam.exact == expected == Fraction(99, 10000)
    assert lam.lo == lam.hi == Decimal("0.0099")
    assert expected in lam


def test_a_float_is_its_exact_binary_value_with_a_warning():
    with pytest.warns(InexactFloatWarning, match="0.1000000000000000055511151231257827"):
        r = sgdbounds.check("lemma5", eta=0.1, L=1, c="0.5", r=1, d0=1, t2=10**6)
    assert r.results[0].parameters["eta"] == Fraction(0.1)
    assert r.results[0].parameters["eta"] != Fraction(1, 10)


def test_a_float_that_is_a_short_decimal_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = sgdbounds.check("lemma5", eta=0.25, L=1, c="0.5", r=1, d0=1, t2=10**6)
    assert r.results[0].parameters["eta"] == Fraction(1, 4)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")])
def test_non_finite_numbers_are_input_errors(bad):
    with pytest.raises(InputError, match="not a finite number"):
        sgdbounds.check("lemma5", **{**POINT, "eta": bad})


def test_a_bool_or_an_object_is_a_type_error():
    with pytest.raises(TypeError):
        sgdbounds.check("lemma5", **{**POINT, "eta": True})
    with pytest.raises(TypeError):
        sgdbounds.check("lemma5", **{**POINT, "eta": object()})


# --- errors -------------------------------------------------------------------------------


def test_errors_carry_the_command_lines_message():
    with pytest.raises(InputError) as e:
        sgdbounds.check("lemma5", **{**POINT, "eta": "0.0.1"})
    assert "0.0.1" in str(e.value)
    assert isinstance(e.value, ValueError)
    with pytest.raises(InputError, match="nosuch"):
        sgdbounds.check("lemma5", nosuch=1, **POINT)
    with pytest.raises(InputError, match="outside its domain"):
        sgdbounds.check("lemma5", **{**POINT, "eta": "-1"})
    with pytest.raises(InputError, match="nosuchresult"):
        sgdbounds.check("nosuchresult")


def test_input_error_is_the_packages_value_error():
    assert issubclass(InputError, ValueError)
    assert InputError.__module__ == "sgdbounds" and InputError.__name__ == "InputError"


def test_a_usage_error_of_clap_is_an_input_error_not_an_exit():
    with pytest.raises(InputError, match="unexpected argument|unrecognized|--frobnicate"):
        sgdbounds.run("check", "--frobnicate")


def test_a_huge_exponent_and_an_absurd_precision_are_errors():
    with pytest.raises(InputError):
        sgdbounds.check("lemma5", **{**POINT, "t2": "1e1000000000"})
    with pytest.raises(InputError):
        sgdbounds.check("lemma5", prec=10**12, **POINT)


# --- each result type ---------------------------------------------------------------------


def test_check_agrees_with_the_command_lines_json():
    argv = ["check", "lemma5"] + [f"--{k}={v}" for k, v in POINT.items()] + ["--json"]
    code, _text, js = sgdbounds.run(*argv)
    r = sgdbounds.check("lemma5", **POINT)
    assert r.exit_code == code == 0
    assert r.to_dict() == json.loads(js)
    assert repr(r).startswith(sgdbounds.run(*argv[:-1])[1].rstrip("\n")[:40])
    assert "delta2" in repr(r) or "δ²" in repr(r)


def test_check_failing_hypothesis_is_exit_code_1():
    r = sgdbounds.check("lemma5", **{**POINT, "eta": "0.9"})
    assert r.exit_code == 1
    assert r.verdict == "fails"
    assert not r.holds
    failed = [h.name for res in r.results for h in res.hypotheses if not h.holds]
    assert failed


def test_enclosures_convert_to_mpmath_and_arb():
    r = sgdbounds.check("lemma5", **POINT)
    d2 = r["delta2"]
    assert d2.lo <= d2.hi and isinstance(d2.lo, Decimal)
    assert isinstance(d2.mid, float) and float(d2.lo) <= d2.mid <= float(d2.hi)
    mpmath = pytest.importorskip("mpmath")
    iv = d2.to_mpmath()
    assert mpmath.mpf(str(d2.lo)) in iv and mpmath.mpf(str(d2.hi)) in iv
    flint = pytest.importorskip("flint")
    ball = d2.to_arb()
    assert ball.contains(flint.arb(str(d2.lo))) and ball.contains(flint.arb(str(d2.hi)))


def test_verify_a_claim_and_its_domain():
    v = sgdbounds.verify("theorem3", budget=10)
    assert v.all_proved and v.exit_code == 0
    c = v["moves_away"]
    assert c.proved and c.domain
    refuted = sgdbounds.verify("lemma5", claim="B1_step2", budget=10)
    assert refuted.exit_code == 1 and refuted["B1_step2"].status == "refuted"
    assert refuted["B1_step2"].witness is not None


def test_verify_writes_a_certificate_that_replay_finds_valid(tmp_path):
    cert = tmp_path / "t3.cert.json"
    v = sgdbounds.verify("theorem3", certificate=str(cert))
    assert cert.exists() and any("certificate" in n for n in v.notes)
    rep = sgdbounds.replay(str(cert))
    assert rep.all_valid and rep.exit_code == 0


def test_tighten_gives_a_bracket_around_42():
    t = sgdbounds.tighten("lemma5", "mu_coef", claim=["term1_within_third",
                          "term2_within_third", "term3_within_third"], tolerance="1e-3")
    lo, hi = t.bracket
    assert hi == 42 and lo < 42 and (hi - lo) / hi <= Fraction(1, 1000)
    assert t.exit_code == 0


def test_simulate_gives_numpy_arrays_and_trajectories():
    np = pytest.importorskip("numpy")
    s = sgdbounds.simulate("quadratic", eta=0.1, s=1, steps=200, start=5, L=1, c=1, t2=50,
                           trials=64, trace_trials=3)
    assert s.dist2_quantiles.shape == (len(s.t), 5)
    assert np.all(np.diff(s.dist2_quantiles, axis=1) >= 0)  # quantiles in order
    assert s.t[0] == 0 and s.dist2_quantiles[0, 0] == pytest.approx((5 - 0.1 * 5) ** 2)
    assert len(s.trajectories) == 3
    tr = s.trajectories[0]
    assert tr["x"].shape[1] == 1 and len(tr["t"]) == len(tr["dist2_y"])
    # the same seed gives the same run
    s2 = sgdbounds.simulate("quadratic", eta=0.1, s=1, steps=200, start=5, L=1, c=1, t2=50,
                            trials=64)
    assert np.array_equal(s.dist2_quantiles, s2.dist2_quantiles)
    assert s2.trajectories is None


def test_simulate_to_dict_is_the_json_report():
    code, _t, js = sgdbounds.run("simulate", "--eta", "0.1", "--steps", "100", "--trials",
                                 "16", "--json")
    s = sgdbounds.simulate(eta=0.1, steps=100, trials=16)
    assert s.to_dict() == json.loads(js)


def test_simulate_finite_noise_and_a_chosen_t1():
    s = sgdbounds.simulate("quadratic", eta=0.1, s=1, steps=1500, start=5, L=1, c=1, t2=500,
                           trials=64, noise="finite", noise_values=[-2, 1],
                           noise_weights=[Fraction(1, 3), Fraction(2, 3)], t1=800)
    d = s.to_dict()
    assert d["events"]["T1"] == 800 and d["theorem1"]["r"] == 2.0
    assert d["stages"][0]["noise"]["law"]["values"] == [-2.0, 1.0]
    assert d["events"]["at_T1_within_20b_over_lambda"]["paper"] == 0.9
    g = sgdbounds.simulate("quadratic", eta=0.1, noise="none", steps=50, start=5, trials=8,
                           domain="-1..1").to_dict()
    assert g["domain"]["left"]["count"] == 8
    with pytest.raises(sgdbounds.InputError, match="mean 0"):
        sgdbounds.simulate("quadratic", eta=0.1, steps=10, noise="finite", noise_values=[-2, 1])


def test_estimate_bowl():
    e = sgdbounds.estimate("bowl", eta=0.05, s=2, radius=3)
    assert e.r == 2.0 and 3.4 < e.L < 3.6 and 0.4 < e.c < 0.6


def test_estimate_certified_on_the_quadratic():
    c = sgdbounds.estimate("quadratic", a="0.5", eta=0.1, s=1, radius=2,
                           certify=True).to_dict()["certified"]
    assert c["c"]["lo"] <= 0.5 <= c["c"]["hi"] and c["l_lipschitz"]["hi"] >= 0.5
    d = sgdbounds.estimate("quadratic", eta=0.1, s=1, domain="-0.5..2").to_dict()["domain"]
    assert (d["lo"], d["hi"]) == (-0.5, 2.0)


# --- table --------------------------------------------------------------------------------


def test_table_as_a_dataframe_with_decimals():
    pd = pytest.importorskip("pandas")
    df = sgdbounds.table("lemma5", eta=["1e-3", "1e-2"], L=1, c="0.5", r=1, d0=1, t2=10**6)
    assert isinstance(df, pd.DataFrame) and len(df) == 2
    assert df["delta2"][1] == Decimal("265.855")  # rounded up at 6 digits
    assert df["lemma5"].tolist() == ["holds", "holds"]
    assert "rounding" in df.attrs
    f = sgdbounds.table("lemma5", eta="1e-3..1e-1:log:3", L=1, c="0.5", r=1, d0=1, t2=10**6,
                        numbers="float")
    assert f["eta"].dtype == float and len(f) == 3


def test_table_as_a_list_of_dicts():
    rows = sgdbounds.table("lemma5", eta="0.01", L=1, c="0.5", r=1, d0=1, t2=10**6,
                           columns=["eta", "delta2"], dataframe=False)
    assert rows == [{"eta": Decimal("0.01"), "delta2": Decimal("265.855"),
                     "hypotheses": "holds"}]


def test_table_missing_axis_is_an_input_error():
    with pytest.raises(InputError, match="--t2"):
        sgdbounds.table("lemma5", eta="0.01", L=1, c="0.5", r=1, d0=1)


# --- interruption -------------------------------------------------------------------------


@pytest.fixture(autouse=False)
def ctrl_c():
    """Python's own SIGINT handler, whatever the test runner inherited: a process started in
    the background by a non-interactive shell inherits SIGINT ignored, and Python then leaves
    it ignored."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


def _ctrl_c_after(seconds):
    """Sends this process SIGINT (Ctrl-C) from another thread after `seconds`."""

    def interrupt():
        time.sleep(seconds)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()


def test_a_long_run_is_stopped_by_ctrl_c(ctrl_c):
    # 10^12 trial-steps of SGD with Gaussian noise: many minutes on any machine
    _ctrl_c_after(1.5)
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        sgdbounds.simulate("quadratic", eta=0.001, steps=10**9, trials=1000, noise="gaussian",
                           max_work=10**16)
    assert time.monotonic() - t0 < 60
    # the engine is usable again afterwards
    assert sgdbounds.check("lemma5", **POINT).holds


HARD = """
[result]
name = "hard"
title = "a true claim with no room anywhere: intervals never prove it, samples never refute it"
cite = "test"

[[parameter]]
name = "x"
symbol = "x"
meaning = "a number"

[[claim]]
name = "pythagoras"
expr = "sin(x)^2 + cos(x)^2 >= 1"
cite = "test"

[verify]
box = { x = "0..1" }
"""


def test_a_long_verify_is_stopped_by_ctrl_c(tmp_path, ctrl_c):
    f = tmp_path / "hard.toml"
    f.write_text(HARD)
    # with a budget of 1 s it runs its budget and ends inconclusive, not refuted
    v = sgdbounds.verify(str(f), budget=1)
    assert v.exit_code == 1 and v["pythagoras"].status == "inconclusive"

    _ctrl_c_after(1.0)
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        sgdbounds.verify(str(f), budget=600)
    assert time.monotonic() - t0 < 30


def _binary():
    """The command line built by `cargo test` or `cargo build` in this repository, if any."""
    import shutil

    top = os.path.join(os.path.dirname(__file__), "..", "..", "target")
    for p in [os.environ.get("SGDBOUNDS_BIN"), os.path.join(top, "debug", "sgdbounds"),
              os.path.join(top, "release", "sgdbounds"), shutil.which("sgdbounds")]:
        if p and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def test_check_agrees_with_the_binarys_json():
    import subprocess

    exe = _binary()
    if exe is None:
        pytest.skip("no sgdbounds binary built in target/ (set SGDBOUNDS_BIN)")
    args = ["check", "lemma5"] + [f"--{k}={v}" for k, v in POINT.items()]
    out = subprocess.run([exe, *args, "--json"], capture_output=True, check=False)
    assert out.returncode == 0
    r = sgdbounds.check("lemma5", **POINT)
    assert r.to_dict() == json.loads(out.stdout)
    bad = subprocess.run([exe, "check", "lemma5", "--eta=0.0.1"], capture_output=True)
    assert bad.returncode == 2
    with pytest.raises(InputError) as e:
        sgdbounds.check("lemma5", **{**POINT, "eta": "0.0.1"})
    assert str(e.value) in bad.stderr.decode()


def test_the_lock_is_released_while_the_engine_works():
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    th = threading.Thread(target=ticker)
    th.start()
    t0 = time.monotonic()
    sgdbounds.simulate(eta=0.01, steps=200000, trials=4000)
    elapsed = time.monotonic() - t0
    stop.set()
    th.join()
    # the other thread kept running: at least a fifth of the ticks it would have had alone
    assert elapsed > 0.2 and len(ticks) >= elapsed / 0.01 / 5
