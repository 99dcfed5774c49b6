"""What the pictures of the first half (ForwardPass, BackwardPass, ComputeTree, GradientDescentUpdate,
SignsOfTrouble) show at their pauses agrees with what the slide and the voice claim there.

Each test runs a scene dry and looks at the mobjects on screen at each pause (``at_pause``).
"""
from __future__ import annotations

import pytest

from mathcore import trouble
from scenes.components.history_plot import HistoryPlot
from scenes.signs_of_trouble import SignsOfTrouble

from .harness import run_dry

pytestmark = pytest.mark.slow


def on_screen(scene, kind) -> list:
    """Every mobject of type ``kind`` on screen, each once."""
    found = {id(m): m for top in scene.mobjects for m in top.get_family() if isinstance(m, kind)}
    return list(found.values())


def pauses_of(scene_cls, picture) -> list:
    """``picture(scene)`` at every pause (and the end) of a dry run."""
    seen = []
    run_dry(scene_cls, at_pause=lambda scene: seen.append(picture(scene)))
    return seen


# --- SignsOfTrouble ----------------------------------------------------------------------------


def test_each_trouble_panel_spans_its_own_costs_and_the_bug_run_shows_its_climb(shipped):
    """Slow must not look flatter than stuck: each curve fills its own plot's height; the sign bug's plot
    runs over the iterations where the cost climbs (mathcore's rise_end), not 200 iterations of plateau."""
    def plots(scene):  # the panels' plots (the scene plays their parts, so look in its page)
        page = [m for m in getattr(scene, "page", []) for m in m.get_family() if isinstance(m, HistoryPlot)]
        return [(p.axes.x_range[1], p.curve.height / p.axes.y_length) for p in page]

    seen = pauses_of(SignsOfTrouble, plots)
    assert [len(p) for p in seen] == [0, 1, 2, 1, 2]
    for pause in seen:
        for _, share in pause:
            assert share > 0.8, f"a cost curve spans only {share:.0%} of its plot's height"
    runs = {r["name"]: r for r in trouble.runs(shipped)}
    climb = trouble.rise_end(runs["sign_bug"]["cost"])
    assert climb < len(runs["sign_bug"]["cost"]) - 1
    assert seen[3][0][0] == climb
