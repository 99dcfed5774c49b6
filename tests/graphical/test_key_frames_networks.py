"""Key frames of the network scenes (the last frame of construct), against control data made on this machine.

Regenerate after a deliberate change with ``pytest tests/graphical/test_key_frames_networks.py --set_test``
and look at the new frames before committing them.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.playground import ActivationPlayground
from scenes.universal_approximation import UniversalApproximation

__module_test__ = "networks"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=ActivationPlayground)
def test_activation_playground_losses(scene):
    ActivationPlayground.construct(scene)


@frames_comparison(base_scene=UniversalApproximation)
def test_universal_approximation_outside_range(scene):
    UniversalApproximation.construct(scene)
