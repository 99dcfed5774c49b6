"""Key frame of the Recap (the last frame of construct: the data-space ideas), against control data.

Regenerate after a deliberate change with ``pytest tests/graphical/test_key_frames_recap.py --set_test``
and look at the new frame before committing it.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.recap import Recap

__module_test__ = "recap"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=Recap)
def test_recap_data_space(scene):
    Recap.construct(scene)
