"""A grid of values (row 0 = bottom) as flat-colour rectangles: each row's runs of one colour merged.

ImageMobject cannot be drawn with this machine's PIL (manim 0.21's Image.fromarray call fails), and one
square per grid cell costs thousands of mobjects; quantised runs stay in the hundreds.
"""
from __future__ import annotations

import numpy as np
from manim import Rectangle, VGroup


def heatmap(levels: np.ndarray, colours: list, width: float, height: float) -> VGroup:
    """``levels[i, j]`` an int index into ``colours`` for the cell in row i (from the bottom), column j."""
    rows, cols = levels.shape
    cw, ch = width / cols, height / rows
    group = VGroup()
    for i in range(rows):
        row = levels[i]
        starts = np.flatnonzero(np.diff(row, prepend=row[0] - 1))
        ends = np.append(starts[1:], cols)
        for a, b in zip(starts, ends):
            colour = colours[int(row[a])]
            rect = Rectangle(width=(b - a) * cw, height=ch, stroke_width=1, stroke_color=colour)  # no seams
            rect.set_fill(colour, opacity=1)
            rect.move_to([-width / 2 + (a + b) / 2 * cw, -height / 2 + (i + 0.5) * ch, 0])
            group.add(rect)
    return group
