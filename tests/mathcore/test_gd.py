"""Part 1: the gradient-descent update on a 1-D cost, against torch autograd and the parabola's closed form."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import config, gd
from mathcore.cli import main

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_cli, run_json, run_to_files


def torch_slope(w_star, a, b, w, k=0.0):
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    u = wt - w_star
    c = a / 2 * u**2 + k / 3 * u**3 + b / 4 * u**4
    c.backward()
    return c.item(), wt.grad.item()


@settings(max_examples=80, deadline=None)
@given(
    w_star=st.floats(-5, 5), a=st.floats(0.01, 10), b=st.floats(0, 3), w=st.floats(-10, 10), k=st.floats(-2, 2),
)
def test_cost_and_slope_match_torch_autograd(w_star, a, b, w, k):
    cost = gd.Cost(w_star, a, b, k)
    c, g = torch_slope(w_star, a, b, w, k)
    assert cost.value(w) == pytest.approx(c, rel=1e-12, abs=1e-12)
    assert cost.slope(w) == pytest.approx(g, rel=1e-12, abs=1e-12)
    assert cost.tangent(w) == pytest.approx((c, g), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("w_star, a, b, k", [(1, 1, 0.1, -0.5), (-2.5, 3, 0.2, 0.4), (0, 1, 0, 0)])
def test_the_formula_reads_with_signs_and_is_the_cost(w_star, a, b, k):
    """The formula the explorable shows: no "+ -" or "w - -2.5", and read as Python it is torch's cost."""
    text = gd.Cost(w_star, a, b, k).formula()
    assert "+ -" not in text and "- -" not in text
    expression = text.removeprefix("C(w) = ").replace("^", "**").replace(") (", ")*(").replace(" (w", "*(w")
    for w in (-3.0, 0.25, 2.0):
        assert eval(expression, {"w": w}) == pytest.approx(torch_slope(w_star, a, b, w, k)[0], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("lr", [0.05, 0.5, 1.0, 1.3, 1.9, 2.3])
@pytest.mark.parametrize("w_star,a,w0", [(1.0, 1.0, -0.5), (-2.0, 3.0, 4.0), (0.0, 0.2, 10.0)])
def test_parabola_matches_closed_form(lr, w_star, a, w0):
    # C = a/2 (w − w*)²: w_t = w* + (1 − η a)^t (w0 − w*), written out here, not taken from gd.closed_form
    eta = lr / a  # the same η·a for every cost shape
    run = gd.descend(gd.Cost(w_star, a, 0.0), w0, eta, 25)
    expected = [w_star + (1 - eta * a) ** t * (w0 - w_star) for t in range(26)]
    assert run.w == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert run.cost == pytest.approx([a / 2 * (w - w_star) ** 2 for w in expected], rel=1e-9, abs=1e-12)
    assert run.grad == pytest.approx([a * (w - w_star) for w in expected], rel=1e-9, abs=1e-12)
    assert gd.closed_form(gd.Cost(w_star, a, 0.0), w0, eta, 25) == pytest.approx(expected, rel=1e-12)
    # what is left of the way: (1 − η a)^T of the start's distance from w*
    assert gd.shortfall(run.w, w_star) == pytest.approx(abs((1 - eta * a) ** 25 * (w_star - w0)), rel=1e-9, abs=1e-12)
    # the regimes of the update factor 1 − η a
    want = "converges" if lr <= 1 else ("overshoots" if lr < 2 else "diverges")
    assert run.behaviour == (want if want != "converges" or abs(expected[-1] - w_star) <= 1e-3 else "slow")


def test_the_shipped_small_rate_stops_short_of_the_minimum_by_the_lectures_gap():
    """The lecture's slow run: after 20 steps at η = 0.1, w = 0.903, 0.097 short of w* = 1."""
    r = gd.from_config(config.load(config.DEFAULT_CONFIG))
    slow = next(run for run in r.runs if run["behaviour"] == "slow")
    assert round(slow["w"][-1], 3) == 0.903
    assert round(gd.shortfall(slow["w"], r.cost["w_star"]), 3) == 0.097


def test_each_step_is_the_update_rule():
    run = gd.descend(gd.Cost(1.0, 1.0, 0.1), -0.5, 0.7, 10)
    for t in range(10):
        _, g = torch_slope(1.0, 1.0, 0.1, run.w[t])
        assert run.grad[t] == pytest.approx(g, rel=1e-12)
        assert run.w[t + 1] == pytest.approx(run.w[t] - 0.7 * g, rel=1e-12, abs=1e-15)


def first_non_finite_step(w_star, a, b, w0, lr, steps, k=0.0):
    """An independent run in torch: the first t whose w_t or C(w_t) is not finite."""
    w = torch.tensor(w0, dtype=torch.float64)
    for t in range(steps + 1):
        u = w - w_star
        c = a / 2 * u * u + k / 3 * u * u * u + b / 4 * u * u * u * u
        if not (torch.isfinite(w) and torch.isfinite(c)):
            return t
        w = w - lr * (a * u + k * u * u + b * u * u * u)
    return None


def torch_iterates(sec, lr, steps):
    """The shipped cost's iterates, stepped by torch.optim.SGD on torch's own C(w) (not gd.descend)."""
    w = torch.tensor(sec.w0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    out = [w.item()]
    for _ in range(steps):
        opt.zero_grad()
        u = w - sec.w_star
        (sec.curvature / 2 * u**2 + sec.cubic / 3 * u**3 + sec.quartic / 4 * u**4).backward()
        opt.step()
        out.append(w.item())
    return out


def test_rule_9_the_shipped_rates_look_like_their_verdicts():
    """Too large an η visibly oscillates by its pause, a good η converges, a diverging η leaves the view."""
    cfg = config.load(config.DEFAULT_CONFIG)
    sec = cfg.gd
    runs = {r["behaviour"]: r for r in gd.from_config(cfg).runs}
    # too large: within the shown hops w crosses w* and |w − w*| grows at least once before it shrinks
    over = runs["overshoots"]
    ws = torch_iterates(sec, over["lr"], over["shown"])
    assert over["w"][:over["shown"] + 1] == pytest.approx(ws, rel=1e-9, abs=1e-12)
    dist = [abs(w - sec.w_star) for w in ws]
    assert any(b > a for a, b in zip(dist, dist[1:])) and any(b < a for a, b in zip(dist, dist[1:]))
    sides = [w > sec.w_star for w in ws]
    assert sum(x != y for x, y in zip(sides, sides[1:])) >= 3  # back and forth, not one overshoot
    # good: within the tolerance by the end, and never crossing w*
    good = torch_iterates(sec, runs["converges"]["lr"], sec.steps)
    assert abs(good[-1] - sec.w_star) <= sec.tolerance
    # diverging: off the plot, then off the zoomed-out view, by its pause (the last shown step)
    div = runs["diverges"]
    lo, hi = sec.w_range
    mid, half = (lo + hi) / 2, (hi - lo) / 2 * sec.zoom_out
    ws = torch_iterates(sec, div["lr"], div["shown"])
    assert not lo <= ws[div["left_plot_at"]] <= hi and div["left_plot_at"] < div["left_zoom_at"] == div["shown"]
    assert not mid - half <= ws[div["shown"]] <= mid + half
    assert all(mid - half <= w <= mid + half for w in ws[:div["shown"]])


@pytest.mark.parametrize("k", [0.7, -0.64])
def test_a_cubic_that_makes_a_second_minimum_is_a_config_error(write_config, k):
    # shipped a = 1, b = 0.1: a second minimum once k² >= 4ab = 0.4
    path = write_config(f"[gd]\ncubic = {k}\n")
    assert_config_error(path, "gd.cubic", "one minimum", load=lambda p: gd.from_config(config.load(p)))


def test_shipped_learning_rates_show_the_four_behaviours():
    cfg = config.load(config.DEFAULT_CONFIG)
    result = gd.from_config(cfg)
    sec = cfg.gd
    behaviours = [r["behaviour"] for r in result.runs]
    assert behaviours == ["slow", "converges", "overshoots", "diverges"]
    for r in result.runs:
        at = first_non_finite_step(sec.w_star, sec.curvature, sec.quartic, sec.w0, r["lr"], sec.steps,
                                   sec.cubic)
        assert r["diverged_at"] == at
        assert r["diverged"] == (at is not None)
        assert all(math.isfinite(v) for v in r["w"] + r["cost"] + r["grad"])
        assert len(r["w"]) == (at if at is not None else sec.steps + 1)
    good = result.runs[1]
    assert good["w"][-1] == pytest.approx(sec.w_star, abs=1e-4)
    # the overshooting run crosses w* and still comes back
    over = result.runs[2]
    assert min(over["w"]) < sec.w_star < max(over["w"])
    assert over["w"][-1] == pytest.approx(sec.w_star, abs=1e-2)
    assert result.runs[3]["diverged_at"] is not None and result.runs[3]["diverged_at"] <= sec.steps


def test_json_has_no_nan_even_when_diverging(capsys):
    code, text, _ = run_cli(capsys, ["gd", "--json", "--lr", "0.5,3.0", "--steps", "40"])
    assert code == 0
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text)
    runs = {r["lr"]: r for r in data["runs"]}
    assert runs[3.0]["diverged"] is True and runs[3.0]["behaviour"] == "diverges"
    assert runs[3.0]["diverged_at"] == first_non_finite_step(1.0, 1.0, 0.1, -0.5, 3.0, 40, -0.5)
    assert runs[0.5]["diverged"] is False and runs[0.5]["diverged_at"] is None


def test_cli_overrides_and_table(capsys):
    data = run_json(capsys, ["gd", "--json", "--w0", "3", "--steps", "2", "--lr", "0.5"])
    # C = 1/2 (w−1)² − 0.5/3 (w−1)³ + 0.1/4 (w−1)⁴ at w = 3: C' = 2 − 0.5·4 + 0.1·8 = 0.8, so w1 = 3 − 0.5·0.8
    assert data["runs"][0]["w"][:2] == pytest.approx([3.0, 2.6])
    assert len(data["runs"][0]["w"]) == 3
    with pytest.raises(SystemExit):
        main(["gd"])
    out = capsys.readouterr().out
    assert "overshoots" in out and "diverges" in out


def test_csv_and_plot(tmp_path, capsys):
    _, lines = run_to_files(capsys, tmp_path, ["gd"])
    assert lines[0] == "lr,t,w,cost,grad"
    assert lines[1].startswith("0.1,0,-0.5,")


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--lr", "-0.1"], "gd.learning_rates"),
        (["--lr", "0"], "gd.learning_rates"),
        (["--lr", "nan"], "gd.learning_rates"),
        (["--lr", "inf"], "gd.learning_rates"),
        (["--lr", "fast"], "--lr"),
        (["--steps", "0"], "gd.steps"),
    ],
)
def test_bad_flags_are_one_line_exit_2(capsys, args, needle):
    assert_one_line_exit_2(capsys, ["gd", *args], needle)


@pytest.mark.parametrize(
    "text,key,expected",
    [
        ("[gd]\ncurvature = 0.0\n", "gd.curvature", "above 0"),
        ("[gd]\nquartic = -1.0\n", "gd.quartic", "at least 0"),
        ("[gd]\nlearning_rates = []\n", "gd.learning_rates", "a list of at least 1"),
        ("[gd]\nlearning_rates = [0.1, -0.2]\n", "gd.learning_rates", "above 0"),
        ("[gd]\nw_range = [3.0, 1.0]\n", "gd.w_range", "low < high"),
    ],
)
def test_config_errors_name_file_and_key(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected, load=lambda path: gd.from_config(config.load(path)))


def test_gd_does_not_import_torch():
    code = ("import sys; from mathcore.cli import main\ntry:\n main(['gd','--json'])\nexcept SystemExit: pass\n"
            "print('torch' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().endswith("False")


def test_crossings_are_the_steps_that_jump_over_the_minimum():
    # by hand: -1 -> 2 crosses 0, 2 -> 1 does not, 1 -> -0.5 crosses, -0.5 -> 0 lands on it, 0 -> 0.2 does not
    assert gd.crossings([-1.0, 2.0, 1.0, -0.5, 0.0, 0.2], 0.0) == [1, 3]
    assert gd.crossings([3.0, 2.0, 1.5], 1.0) == []
    assert gd.kept_side([-1.0, 2.0, 1.0, -0.5, 0.0, 0.2], 0.0) == [2, 4, 5]


def test_jumps_shrink_only_when_every_update_is_shorter_than_the_one_before():
    # by hand: hops 3, 1, 1.5 (the third is longer) / 3, 1, 0.5 / two equal hops do not shrink
    assert not gd.jumps_shrink([-1.0, 2.0, 1.0, -0.5])
    assert gd.jumps_shrink([-1.0, 2.0, 1.0, 0.5])
    assert not gd.jumps_shrink([0.0, 1.0, 0.0])
    assert not gd.jumps_shrink([0.0, 1.0])  # one hop: nothing to compare


@pytest.mark.parametrize("w_star, a, w0, lr", [(1.0, 1.0, -0.5, 1.7), (0.0, 2.0, 3.0, 0.7)])
def test_on_a_parabola_1_lt_eta_a_lt_2_crosses_every_step_and_settles(w_star, a, w0, lr):
    """w_t − w* = (1 − η a)^t (w0 − w*) with 1 − η a < 0: the sign flips at every step, the size shrinks."""
    ws = gd.closed_form(gd.Cost(w_star, a, 0.0), w0, lr, 60)
    assert gd.crossings(ws, w_star) == list(range(1, 61))
    assert gd.settled(ws, w_star, 1e-3) and not gd.settled(ws[:3], w_star, 1e-3)
    assert gd.jumps_shrink(ws) and gd.kept_side(ws, w_star) == []


def test_step_runs_read_steps_as_runs():
    from mathcore.display import step_runs

    assert step_runs([1, 3, 4, 5, 6, 8, 9], " to ") == "1, 3 to 6, 8, 9"
    assert step_runs([], "-") == "" and step_runs([7], "-") == "7"


def test_the_result_is_a_typed_frozen_record(capsys):
    """gd.from_config returns a frozen dataclass (a type checker sees result.runs); the CLI prints its fields,
    in order, as the JSON keys the explorable and the docs read."""
    import dataclasses

    result = gd.from_config(config.load(config.DEFAULT_CONFIG))
    assert [r["lr"] for r in result.runs] == list(config.load(config.DEFAULT_CONFIG).gd.learning_rates)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.steps = 1  # type: ignore[misc]
    assert list(run_json(capsys, ["gd", "--json"])) == ["cost", "w0", "steps", "runs", "curve", "zoom"]
    assert [f.name for f in dataclasses.fields(result)] == ["cost", "w0", "steps", "runs", "curve", "zoom"]
