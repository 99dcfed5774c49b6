"""GradientDescentUpdate and BatchCostSurfaces show mathcore's numbers for the config they run under.

Each scene runs dry (animations skipped) under the shipped config and under a config with
other [gd] and [batches] values and another data table; the layout linter must be quiet at
every pause, the numbers on screen must include mathcore's for that config, and no
distinctive number of the shipped config may be left over.
"""
from __future__ import annotations

import pytest

from mathcore import batches, config, gd
from mathcore.display import fmt
from scenes.batch_surfaces import LATER_STEPS, SHOWN_STEPS, BatchCostSurfaces
from scenes.gradient_descent import GradientDescentUpdate

from .harness import check, shared_dry_run

ALT_CONFIG = """
[gd]
w_star = 0.5
curvature = 2.0
quartic = 0.05
cubic = -0.3
zoom_out = 3.0
shown_steps = 7
w0 = 2.5
steps = 15
learning_rates = [0.06, 0.4, 0.85, 1.15]
tolerance = 0.001
w_range = [-2.5, 3.5]
curve_points = 181

[batches]
data = "alt_table.csv"
w_range = [0.0, 3.0]
w_points = 301
random_batches = 4
random_batch_size = 2
batch_sizes = [1, 3, 5]
learning_rate = 0.3
epochs = 6
w0 = 0.25
seed = 11
"""

# y about 0.75 x: its weights keep clear of the shipped table's (about 2 x) at three significant digits
ALT_TABLE = """x,y
0.81,0.59
0.42,0.25
1.12,0.87
0.33,0.27
0.95,0.66
0.58,0.37
0.26,0.16
0.74,0.55
"""


def shown_form(value: float) -> str:
    """A number as the harness reads it off the screen (1.2 \\times 10^{5} reads back as 1.2e5)."""
    return fmt(value)


def gd_numbers(cfg) -> set[str]:
    r = gd.from_config(cfg)
    out = {shown_form(r.w0)}
    for run in r.runs:
        out.add(shown_form(run["lr"]))
        for t in range(run["shown"] + 1):
            out |= {shown_form(run["w"][t]), shown_form(run["grad"][t])}
        if run["left_zoom_at"] is not None and run["left_zoom_at"] == run["shown"]:
            out.add(str(run["shown"]))  # "off the view at t = ...", the t of the last readout
        elif len(run["w"]) - 1 > run["shown"]:
            out.add(shown_form(run["w"][-1]))
    return out


def batch_numbers(cfg) -> set[str]:
    d = batches.compute(cfg)
    out = {fmt(v) for v in [*d.x, *d.y, d.full["minimiser"], cfg.batches.learning_rate]}
    out |= {fmt(b["minimiser"]) for b in d.random_batches}
    minibatch = [r for r in d.runs if r["batch_size"] > 1]
    for run in d.runs:
        out |= {fmt(run["final_w"]), str(run["epochs"])}
        most = LATER_STEPS if run in minibatch[1:] else SHOWN_STEPS  # the larger sizes: their first steps only
        for s in [*BatchCostSurfaces.shown_steps(None, run, most), *run["steps"][-1:]]:  # and the last step
            out |= {fmt(s["w_before"]), fmt(s["w_after"]), str(s["epoch"])}
    return out


def distinctive(numbers: set[str]) -> set[str]:
    """Numbers with at least three significant digits: not axis ticks, step counts or round values."""
    return {n for n in numbers if len(n.lstrip("-0.").replace(".", "")) >= 3}


CASES = [(GradientDescentUpdate, gd_numbers), (BatchCostSurfaces, batch_numbers)]


@pytest.fixture
def alt(use_config):
    return use_config(ALT_CONFIG, {"alt_table.csv": ALT_TABLE})


@pytest.mark.slow
@pytest.mark.parametrize("scene, numbers", CASES, ids=[c.__name__ for c, _ in CASES])
def test_shows_mathcore_numbers_for_another_config(scene, numbers, alt):
    check(shared_dry_run(scene), numbers(alt), left_over=distinctive(numbers(config.load(config.DEFAULT_CONFIG))))


@pytest.mark.slow
@pytest.mark.parametrize("scene, numbers", CASES, ids=[c.__name__ for c, _ in CASES])
def test_shipped_config(scene, numbers, shipped):
    check(shared_dry_run(scene), numbers(shipped), beats=5)


def test_alt_config_differs_where_it_matters(alt):
    """The alternative config exercises every behaviour, a divergence and other batch sizes."""
    runs = gd.from_config(alt).runs
    assert {r["behaviour"] for r in runs} == {"slow", "converges", "overshoots", "diverges"}
    d = batches.compute(alt)
    assert [r["batch_size"] for r in d.runs] == [1, 3, 5] and len(d.x) == 8
    shipped = config.load(config.DEFAULT_CONFIG)
    assert not distinctive(batch_numbers(alt)) & distinctive(batch_numbers(shipped))


def test_rates_that_miss_a_case_the_slide_teaches_are_refused_before_rendering(use_config):
    """One rate (a good one): the small, too-large and diverging beats would say rates they cannot show."""
    from mathcore.errors import ConfigError

    cfg = use_config(ALT_CONFIG.replace("learning_rates = [0.06, 0.4, 0.85, 1.15]", "learning_rates = [0.4]"),
                     {"alt_table.csv": ALT_TABLE})
    assert [r["behaviour"] for r in gd.from_config(cfg).runs] == ["converges"]
    with pytest.raises(ConfigError) as refused:
        GradientDescentUpdate.check_config(cfg)
    assert "gd.learning_rates" in str(refused.value) and "none slow or overshoots or diverges" in str(refused.value)
    GradientDescentUpdate.check_config(config.load(config.DEFAULT_CONFIG))  # the shipped rates give all four
