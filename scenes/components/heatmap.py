"""A grid of values (row 0 = bottom) as flat colour: each row's runs of one colour merged into rectangles, and
all the rectangles of one colour drawn as one shape (one mobject per colour, each rectangle a closed sub-path).

ImageMobject cannot be drawn with this machine's PIL (manim 0.21's Image.fromarray call fails), and one
mobject per cell or per run costs thousands of mobjects (a third of ActivationPlayground's dry run, half of
LocalMinima's); a shape per colour is a dozen.
"""
from __future__ import annotations

import numpy as np
from manim import VGroup, VMobject

#: The name of every shape a heatmap draws (what a reader of the picture looks for).
NAME = "heatmap"
#: A closed rectangle's corners, in drawing order, as fractions of its width and height.
_CORNERS = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], dtype=float)
#: Where a straight cubic Bézier segment's anchor and handles sit along it.
_THIRDS = np.array([0, 1 / 3, 2 / 3, 1])


def _rectangles(x0: np.ndarray, x1: np.ndarray, y0: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """The points of closed rectangles [x0, x1] × [y0, y1] as manim's cubic segments, one sub-path each."""
    xs = x0[:, None] + _CORNERS[None, :, 0] * (x1 - x0)[:, None]  # (n, 5)
    ys = y0[:, None] + _CORNERS[None, :, 1] * (y1 - y0)[:, None]
    corners = np.stack([xs, ys, np.zeros_like(xs)], axis=-1)  # (n, 5, 3)
    start, end = corners[:, :-1, None, :], corners[:, 1:, None, :]  # (n, 4, 1, 3): the four sides
    return (start + _THIRDS[None, None, :, None] * (end - start)).reshape(-1, 3)


def heatmap(levels: np.ndarray, colours: list, width: float, height: float) -> VGroup:
    """``levels[i, j]`` an int index into ``colours`` for the cell in row i (from the bottom), column j."""
    rows, cols = levels.shape
    cw, ch = width / cols, height / rows
    runs: dict[int, list[tuple[int, int, int]]] = {}
    for i in range(rows):
        row = levels[i]
        starts = np.flatnonzero(np.diff(row, prepend=row[0] - 1))
        for a, b in zip(starts, np.append(starts[1:], cols)):
            runs.setdefault(int(row[a]), []).append((i, a, b))
    group = VGroup()
    for level, found in sorted(runs.items()):
        i, a, b = (np.array(column, dtype=float) for column in zip(*found))
        shape = VMobject(fill_color=colours[level], fill_opacity=1, stroke_color=colours[level],
                         stroke_width=1, name=NAME)  # the stroke closes the seams between neighbours
        shape.points = _rectangles(-width / 2 + a * cw, -width / 2 + b * cw, -height / 2 + i * ch,
                                   -height / 2 + (i + 1) * ch)
        group.add(shape)
    return group


def shaded_area(shape: VMobject) -> float:
    """The area a heatmap's shape covers: the sum of its rectangles' areas."""
    corners = shape.points.reshape(-1, 16, 3)[:, ::4, :2]  # each rectangle's four corners, in order
    x, y = corners[..., 0], corners[..., 1]
    return float(np.abs(0.5 * (x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y).sum(axis=1)).sum())
