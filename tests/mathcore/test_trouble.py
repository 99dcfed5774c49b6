"""Part 5: diagnose(costs) on the real torch runs and on synthetic histories made here."""
from __future__ import annotations

import math

import numpy as np
import pytest

from mathcore import config, minima, trouble
from mathcore.cli import main

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_json, run_to_files


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MATHCORE_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def runs():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MATHCORE_CACHE", "off")
        return {r["name"]: r for r in trouble.runs(config.load(config.DEFAULT_CONFIG))}


def test_each_real_run_is_diagnosed_as_the_sign_it_shows(runs):
    assert set(runs) == {"fine", "stuck", "slow", "sign_bug", "too_large_lr"}
    for run in runs.values():
        assert run["diagnosis"] == run["shows"], run["name"]
    assert runs["sign_bug"]["diagnosis"] == runs["too_large_lr"]["diagnosis"] == "increasing"


def test_the_runs_are_what_they_claim(runs):
    cfg = config.load(config.DEFAULT_CONFIG)
    found = minima.from_config(cfg, runs=False).minima
    worst = max(found, key=lambda m: m["errors"])
    best = min(found, key=lambda m: m["errors"])
    # stuck: it ends at the 5-error minimum, far above the best cost
    assert worst["errors"] == 5
    assert runs["stuck"]["w"][-1] == pytest.approx(worst["w1"], abs=1e-6)
    assert runs["stuck"]["cost"][-1] > best["cost"] + 0.3
    # fine: it reaches the 2-error minimum
    assert runs["fine"]["w"][-1] == pytest.approx(best["w1"], abs=1e-6)
    # slow: every step moves w1 by little, since dC/dw1 is tiny out there, yet C keeps falling
    w = np.asarray(runs["slow"]["w"])
    lr = cfg.trouble.learning_rate
    data = minima.load(cfg)
    assert np.all(np.abs(minima.slope(w, data)) * lr < 0.03)
    assert np.all(np.diff(runs["slow"]["cost"]) < 0)
    # sign bug: every step goes uphill
    assert np.all(np.diff(runs["sign_bug"]["cost"]) >= -1e-15)
    # too large a learning rate: η C''(w*) > 2 makes every step land further from w*
    sec = cfg.gd
    assert cfg.trouble.large_lr * sec.curvature > 2
    dist = np.abs(np.asarray(runs["too_large_lr"]["w"]) - sec.w_star)
    assert np.all(np.diff(dist) > 0)
    assert np.all(np.diff(runs["too_large_lr"]["cost"]) > 0)


def test_sign_bug_is_gradient_ascent(runs):
    data = minima.load(config.load(config.DEFAULT_CONFIG))
    w = runs["sign_bug"]["w"]
    lr = runs["sign_bug"]["lr"]
    for t in range(5):
        assert w[t + 1] == pytest.approx(w[t] + lr * minima.slope(w[t], data), rel=1e-10)


# ---- synthetic histories, made here ------------------------------------------------------------
T = np.arange(200)


@pytest.mark.parametrize("seed", range(5))
def test_geometric_decay_is_fine(seed):
    rng = np.random.default_rng(seed)
    floor, start, rate = rng.uniform(0, 0.3), rng.uniform(0.5, 2), rng.uniform(0.8, 0.98)
    costs = floor + start * rate**T + 1e-4 * rng.standard_normal(T.size)
    assert trouble.diagnose(costs) == "fine"


@pytest.mark.parametrize("seed", range(5))
def test_constant_plus_noise_is_stuck(seed):
    rng = np.random.default_rng(seed)
    costs = 0.5 + 1e-3 * rng.standard_normal(T.size)
    assert trouble.diagnose(costs) == "stuck"


def test_a_quick_drop_to_a_high_floor_is_stuck():
    costs = 0.56 + 0.03 * 0.7**T  # fell 5 %, then flat: "looks like a local minimum"
    assert trouble.diagnose(costs) == "stuck"


@pytest.mark.parametrize("seed", range(5))
def test_tiny_linear_decrease_is_slow(seed):
    rng = np.random.default_rng(seed)
    costs = 0.8 - 2e-4 * T + 2e-6 * rng.standard_normal(T.size)  # 5 % over the run, still falling
    assert trouble.diagnose(costs) == "slow"


def test_end_slope_is_the_last_iterations_change_and_the_slow_run_still_falls_at_its_end(runs):
    assert trouble.end_slope(0.8 - 2e-4 * T) == pytest.approx(-2e-4)
    assert trouble.end_slope([1.0, 0.5, 0.75]) == pytest.approx(0.25)
    slow = runs["slow"]["cost"]
    assert len(slow) == 201 and trouble.end_slope(slow) == pytest.approx(slow[200] - slow[199])
    assert trouble.end_slope(slow) < 0  # "still falling at t = 200"
    # and faster than on average: the run leaves a plateau, it does not level off
    assert trouble.end_slope(slow) < (slow[-1] - slow[0]) / 200


def test_the_shared_span_is_the_stuck_runs_fall_which_is_wider_than_the_slow_runs(runs):
    """The lecture's numbers: the stuck run fell 0.022, the slow one only 0.003."""
    stuck, slow = runs["stuck"]["cost"], runs["slow"]["cost"]
    assert round(trouble.shared_span(stuck, slow), 3) == 0.022
    assert round(max(slow) - min(slow), 3) == 0.003
    assert trouble.shared_span(slow) == pytest.approx(max(slow) - min(slow))


def test_a_speeding_up_creep_is_slow():
    costs = 0.33 - 1e-4 * np.exp(T / 50)  # the shape of a run leaving a plateau
    assert trouble.diagnose(costs) == "slow"


@pytest.mark.parametrize("history", [
    0.1 * 1.05**T,                              # growing
    0.2 + 0.001 * T,                            # a steady climb
    0.3 + 0.2 * (1 - 0.9**T),                   # climbing to a plateau (the sign bug's shape)
    np.concatenate([1 - 0.002 * T[:100], 0.8 + 0.01 * T[:100]]),  # down, then back up
])
def test_growing_is_increasing(history):
    assert trouble.diagnose(history) == "increasing"


@pytest.mark.parametrize("bad", [math.inf, math.nan, -math.inf])
def test_non_finite_is_diverged(bad):
    costs = list(0.5 * 0.9**T[:20]) + [bad]
    assert trouble.diagnose(costs) == "diverged"


def test_too_short_a_history_is_an_error():
    with pytest.raises(ValueError):
        trouble.diagnose([1.0, 0.5])


def test_thresholds_come_from_the_config(write_config):
    costs = 0.8 - 2e-4 * T  # a 5 % fall
    cfg = config.load(write_config("[trouble]\nslow_drop = 0.01\n"))
    assert trouble.diagnose(costs, **trouble.thresholds(cfg)) == "fine"
    cfg = config.load(write_config("[trouble]\nstuck_drop = 0.1\n"))
    assert trouble.diagnose(costs, **trouble.thresholds(cfg)) == "stuck"


# ---- CLI ------------------------------------------------------------------------------------------
def test_cli_json(capsys):
    data = run_json(capsys, ["trouble", "--json"])
    assert {r["name"]: r["diagnosis"] for r in data["runs"]} == {
        "fine": "fine", "stuck": "stuck", "slow": "slow", "sign_bug": "increasing", "too_large_lr": "increasing"}
    assert set(data["thresholds"]) == {"stuck_drop", "slow_drop", "rise", "window"}


def test_cli_reports_a_diverging_learning_rate(capsys):
    run = next(r for r in run_json(capsys, ["trouble", "--json", "--large-lr", "3.0"])["runs"]
               if r["name"] == "too_large_lr")
    assert run["diverged"] is True and run["diagnosis"] == "diverged"
    assert isinstance(run["diverged_at"], int) and len(run["cost"]) == run["diverged_at"]


def test_cli_diagnoses_a_file(tmp_path, capsys):
    path = tmp_path / "history.csv"
    path.write_text("step,cost\n" + "".join(f"{t},{0.5 * 1.05 ** t}\n" for t in range(40)))
    assert run_json(capsys, ["trouble", "--diagnose", str(path), "--json"])["diagnosis"] == "increasing"
    with pytest.raises(SystemExit):
        main(["trouble", "--diagnose", str(path)])
    assert "check your code" in capsys.readouterr().out


def test_cli_table_csv_and_plot(tmp_path, capsys):
    out, lines = run_to_files(capsys, tmp_path, ["trouble"])
    assert "increasing" in out
    assert lines[0] == "run,t,w,cost" and lines[1].startswith("fine,0,")


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--lr", "-1"], "trouble.learning_rate"),
        (["--large-lr", "inf"], "trouble.large_lr"),
        (["--steps", "1"], "trouble.steps"),
    ],
)
def test_bad_flags_are_one_line_exit_2(capsys, args, needle):
    assert_one_line_exit_2(capsys, ["trouble", *args], needle)


@pytest.mark.parametrize("body,needle", [("step,loss\n1,2\n", "a column named 'cost'"),
                                         ("cost\n1\nabc\n", "expected a number"),
                                         ("cost\n1\n2\n", "at least 3 costs")])
def test_bad_history_file_is_one_line_exit_2(tmp_path, capsys, body, needle):
    path = tmp_path / "h.csv"
    path.write_text(body)
    assert_one_line_exit_2(capsys, ["trouble", "--diagnose", str(path)], needle)


def test_config_errors_name_file_and_key(write_config):
    for text, key, expected in [("[trouble]\nwindow = 0.9\n", "trouble.window", "a number in [0.05, 0.5]"),
                                ("[trouble]\nlarge_lr = -2.0\n", "trouble.large_lr", "a number above 0")]:
        path = write_config(text)
        # the expectation comes right after "expected", not just somewhere in the line
        assert assert_config_error(path, key, expected).startswith(f"{path}: {key}: expected {expected}")


def test_rise_end_is_where_a_climb_levels_off():
    # a climb of 10 made by t = 3, then flat: 99 % of it reached at t = 3
    assert trouble.rise_end([0.0, 5.0, 9.0, 10.0, 10.0, 10.0, 10.0]) == 3
    assert trouble.rise_end([0.0, 5.0, 9.0, 10.0, 10.0], share=0.5) == 2  # at least three points
    assert trouble.rise_end([3.0, 2.0, 1.0, 0.5]) == 3  # no climb: the whole history
    assert trouble.rise_end([0.0, 1.0, 2.0, 4.0, 8.0]) == 4  # still climbing at the end


def test_the_sign_bug_climbs_within_its_rise_end_and_barely_after(runs):
    c = np.asarray(runs["sign_bug"]["cost"])
    t = trouble.rise_end(c)
    assert 2 <= t < len(c) // 4  # the climb is early: a plot of all 200 iterations squeezes it to the axis
    assert c[-1] - c[t] <= 0.01 * (c.max() - c[0]) + 1e-12


def test_the_result_is_a_typed_frozen_record(capsys):
    """trouble.from_config returns a frozen dataclass whose fields are the JSON's keys, in order."""
    import dataclasses

    result = trouble.from_config(config.load(config.DEFAULT_CONFIG))
    assert {r["name"] for r in result.runs} >= {"fine", "stuck", "slow", "sign_bug", "too_large_lr"}
    assert set(result.advice) == set(trouble.DIAGNOSES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.runs = []  # type: ignore[misc]
    assert list(run_json(capsys, ["trouble", "--json"])) == [f.name for f in dataclasses.fields(result)]
