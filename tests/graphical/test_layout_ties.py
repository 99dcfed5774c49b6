"""Layout decisions that compare two lengths break a tie by a fixed preference, so float noise (torch's CPU
vector code moved the universal-approximation legend across the frame) never picks the layout."""
from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT

from scenes.universal_approximation import ROOM_TIE, legend_side


def test_legend_side_holds_on_a_tie():
    room = 3.9068603500000005  # both rooms under the shipped config (the range's note is centred)
    for noise in (0.0, 4e-16, -4e-16, 1e-9, -1e-9, 0.9 * ROOM_TIE, -0.9 * ROOM_TIE):
        assert np.array_equal(legend_side(room, room + noise), LEFT)


def test_legend_side_takes_clearly_more_room():
    assert np.array_equal(legend_side(1.0, 1.0 + 2 * ROOM_TIE), RIGHT)
    assert np.array_equal(legend_side(1.0 + 2 * ROOM_TIE, 1.0), LEFT)
