"""One key frame per scene, compared pixel by pixel with control data made on this machine.

Regenerate after a deliberate change with ``pytest tests/graphical --set_test``,
and look at the new frames (``lecture keyframes``) before committing them.
"""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.backward_pass import BackwardPass
from scenes.compute_tree import ComputeTree
from scenes.forward_pass import ForwardPass
from scenes.title import TitleCard

__module_test__ = "lecture"

pytestmark = pytest.mark.graphical


@frames_comparison(base_scene=TitleCard)
def test_title_card(scene):
    TitleCard.construct(scene)


@frames_comparison(base_scene=ComputeTree)
def test_compute_tree_gradients_on_leaves(scene):
    ComputeTree.construct(scene)


@frames_comparison(base_scene=ForwardPass)
def test_forward_pass_numbers(scene):
    ForwardPass.construct(scene)


@frames_comparison(base_scene=BackwardPass)
def test_backward_pass_bias_answers(scene):
    BackwardPass.construct(scene)
