"""Part 10: a network approximates a 1-D function in its range, not with too few points, not outside it."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mathcore import approximation, cache, config
from mathcore.cli import main
from mathcore.sections.approximation import FUNCTIONS

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_to_files


@pytest.fixture(scope="module", autouse=True)
def fresh_cache(tmp_path_factory):
    """Train once per test run (not from an old cache), then share the result within this module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.ENV_VAR, str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def cfg():
    return config.load(config.DEFAULT_CONFIG)


@pytest.fixture(scope="module")
def doc(cfg):
    return approximation.from_config(cfg)


def _case(doc, name):
    return next(c for c in doc.cases if c["name"] == name)


REFERENCE = {
    "sin": math.sin,
    "cos": math.cos,
    "sinc": lambda u: math.sin(u) / u if u else 1.0,
    "gaussian": lambda u: math.exp(-u * u),
    "tanh": math.tanh,
    "x_sin": lambda u: u * math.sin(u),
    "cubic": lambda u: u * u * u,
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_target_functions_against_math(name):
    xs = np.array([-2.3, -0.7, 0.0, 0.4, 1.9])
    got = approximation.target(name, 1.3, xs)
    assert got == pytest.approx([REFERENCE[name](1.3 * x) for x in xs], abs=1e-12)


@pytest.mark.slow
def test_data_and_grids(cfg, doc):
    s = cfg.approximation
    lo, hi = s.train_range
    fits = {f["name"]: f for f in doc.fits}
    assert fits["enough"]["points"] == len(fits["enough"]["train_x"]) == s.points
    assert fits["few"]["points"] == len(fits["few"]["train_x"]) == s.few_points
    for f in fits.values():
        x = np.asarray(f["train_x"])
        assert np.all((x >= lo) & (x <= hi))
        assert f["train_y"] == pytest.approx([REFERENCE[s.function](s.frequency * v) for v in x], abs=1e-12)
    for c in doc.cases:
        x = np.asarray(c["x"])
        span = s.eval_range if c["name"] == "outside_range" else s.train_range
        assert len(x) == s.grid_points and x[0] == span[0] and x[-1] == span[1]
        assert c["actual"] == pytest.approx([REFERENCE[s.function](s.frequency * v) for v in x], abs=1e-12)
        assert c["inside"] == [bool(lo <= v <= hi) for v in x]
        err = np.asarray(c["predicted"]) - np.asarray(c["actual"])
        inside = np.asarray(c["inside"])
        assert c["rmse_inside"] == pytest.approx(math.sqrt(np.mean(err[inside] ** 2)))


@pytest.mark.slow
def test_this_is_ok_inside_the_range(doc):
    ok = _case(doc, "ok")
    assert all(ok["inside"]) and ok["rmse_outside"] is None
    assert ok["rmse_inside"] < 0.05  # the function swings over [-1, 1]


@pytest.mark.slow
def test_problem_1_too_few_points(doc):
    ok, few = _case(doc, "ok"), _case(doc, "insufficient_data")
    assert few["rmse_inside"] > 5 * ok["rmse_inside"]
    # The network does go through the few points: it is wrong between them.
    f = next(f for f in doc.fits if f["name"] == "few")
    assert np.max(np.abs(np.asarray(f["train_predicted"]) - f["train_y"])) < 0.05
    assert few["rmse_inside"] > 0.1


@pytest.mark.slow
def test_problem_2_outside_the_training_range(doc):
    case = _case(doc, "outside_range")
    inside = np.asarray(case["inside"])
    assert inside.any() and (~inside).any()
    assert case["rmse_inside"] < 0.05
    assert case["rmse_outside"] > 20 * case["rmse_inside"]
    assert case["rmse_outside"] > 0.3


@pytest.mark.slow
def test_cached_and_keyed_by_the_config(cfg, doc, monkeypatch):
    monkeypatch.setattr(approximation, "_compute", lambda cfg: pytest.fail("retrained an unchanged config"))
    assert approximation.from_config(cfg) == doc
    changed = config.load(overrides={"approximation": {"few_points": 4, "steps": 5}})
    calls = []
    monkeypatch.setattr(approximation, "_compute", lambda cfg: calls.append(cfg) or {**doc.to_dict(), "cases": []})
    assert approximation.from_config(changed).cases == [] and len(calls) == 1


def test_a_diverging_run_is_reported(monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, "off")
    cfg = config.load(overrides={"approximation": {"steps": 20, "learning_rate": 1e300, "points": 20}})
    doc = approximation.from_config(cfg)
    for f in doc.fits:
        assert f["diverged"] and isinstance(f["diverged_at"], int) and f["final_loss"] is None
    for c in doc.cases:
        assert c["predicted"] is None and c["rmse_inside"] is None
    json.dumps(doc.to_dict(), allow_nan=False)


BAD = [
    ("[approximation]\ntrain_range = [3.0, -3.0]\n", "approximation.train_range", "low < high"),
    ("[approximation]\nfunction = \"exp\"\n", "approximation.function", "one of sin"),
    ("[approximation]\nlearning_rate = nan\n", "approximation.learning_rate", "a finite number"),
    ("[approximation]\nlearning_rate = -0.01\n", "approximation.learning_rate", "a number above 0"),
    ("[approximation]\nfew_points = 0\n", "approximation.few_points", "a whole number from 1"),
    ("[approximation]\nactivation = \"gelu\"\n", "approximation.activation", "one of relu"),
]


@pytest.mark.parametrize("text,key,expected", BAD)
def test_bad_config(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected)


def test_cli_bad_function_is_one_line_exit_2(capsys):
    assert_one_line_exit_2(capsys, ["approximation", "--function", "exp"], "approximation.function")


@pytest.mark.slow
def test_cli_json_csv_plot(capsys, tmp_path, doc):
    out, rows = run_to_files(capsys, tmp_path, ["approximation", "--json"])
    assert json.loads(out) == json.loads(json.dumps(doc.to_dict()))
    assert rows[0] == "case,x,actual,predicted,inside_training_range"
    assert len(rows) == 1 + sum(len(c["x"]) for c in doc.cases)
    with pytest.raises(SystemExit):
        main(["approximation"])
    assert "Problem #1" in capsys.readouterr().out
