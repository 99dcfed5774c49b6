"""Key frames of the local-minima scenes (the last frame of construct), against control data made on this machine.

Regenerate after a deliberate change with ``pytest tests/graphical/test_key_frames_minima.py --set_test``
and look at the new frames before committing them.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.escaping_minima import EscapingLocalMinima
from scenes.local_minima import LocalMinima

__module_test__ = "minima"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=LocalMinima)
def test_local_minima_xor_losses(scene):
    LocalMinima.construct(scene)


@frames_comparison(base_scene=EscapingLocalMinima)
def test_escaping_minima_race_results(scene):
    EscapingLocalMinima.construct(scene)
