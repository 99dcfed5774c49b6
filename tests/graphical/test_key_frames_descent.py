"""Key frames of the gradient-descent scenes (the end of construct), compared with control data.

Regenerate after a deliberate change with
``pytest tests/graphical/test_key_frames_descent.py --set_test`` and look at the frames first.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.batch_surfaces import BatchCostSurfaces
from scenes.gradient_descent import GradientDescentUpdate

__module_test__ = "descent"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=GradientDescentUpdate)
def test_gradient_descent_diverging_rate(scene):
    GradientDescentUpdate.construct(scene)


@frames_comparison(base_scene=BatchCostSurfaces)
def test_batch_cost_surfaces_sgd(scene):
    BatchCostSurfaces.construct(scene)
