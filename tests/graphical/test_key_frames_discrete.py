"""The last frame of HiddenRuleGame and DotProductGeometry, compared with control data.

Regenerate after a deliberate change with
``pytest tests/graphical/test_key_frames_discrete.py --set_test`` and look at the new frames.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.dot_products import DotProductGeometry
from scenes.rule_game import HiddenRuleGame

__module_test__ = "discrete"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=HiddenRuleGame)
def test_rule_game_what_data_cannot_do(scene):
    HiddenRuleGame.construct(scene)


@frames_comparison(base_scene=DotProductGeometry)
def test_dot_products_table_filled(scene):
    DotProductGeometry.construct(scene)
