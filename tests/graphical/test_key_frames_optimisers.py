"""The last frame of AdamOptimizer, SignsOfTrouble and VanishingGradient, compared with control data.

Regenerate after a deliberate change with
``pytest tests/graphical/test_key_frames_optimisers.py --set_test`` and look at the new frames.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.adam import AdamOptimizer
from scenes.signs_of_trouble import SignsOfTrouble
from scenes.vanishing_gradient import VanishingGradient

__module_test__ = "optimisers"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=AdamOptimizer)
def test_adam_race_finished(scene):
    AdamOptimizer.construct(scene)


@frames_comparison(base_scene=SignsOfTrouble)
def test_signs_of_trouble_increasing(scene):
    SignsOfTrouble.construct(scene)


@frames_comparison(base_scene=VanishingGradient)
def test_vanishing_gradient_residual_bars(scene):
    VanishingGradient.construct(scene)
