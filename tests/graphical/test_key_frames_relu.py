"""Key frame of the ReLU(Wx) scene (the last frame of construct), against control data made on this machine.

Regenerate after a deliberate change with ``pytest tests/graphical/test_key_frames_relu.py --set_test``
and look at the new frame before committing it.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.relu_transform import ReluTransform

__module_test__ = "relu"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=ReluTransform)
def test_relu_transform_all_negative_to_zero(scene):
    ReluTransform.construct(scene)
