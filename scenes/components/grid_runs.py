"""A plane grid drawn along every few rows and columns of mathcore's grid, each piece coloured by
where ReLU sends its points (how many coordinates it zeroes, from mathcore.geometry.grid_image).

A grid line is cut into runs of one colour, one polyline each (a few dozen paths in all, so a
frame stays cheap to draw). The same runs can be placed anywhere (the flat plane, Wx in 3-D,
ReLU(Wx)); ``shift_to`` moves them all in one animation that copies nothing.
"""
from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT, Animation, Square, Text, VGroup, VMobject, smooth

from scenes import theme
from scenes.theme import relu as rtheme

# a straight cubic Bézier from a to b: control points at 0, 1/3, 2/3, 1 of the way
_THIRDS = np.array([0.0, 1 / 3, 2 / 3, 1.0])[None, :, None]


def grid_lines(n: int, lines: int = rtheme.GRID_LINES) -> list[np.ndarray]:
    """Point indices along every few rows and columns of an n × n grid (points row by row, as
    mathcore.geometry.plane_grid orders them); the outer lines always included."""
    keep = sorted(set(range(0, n, max(1, (n - 1) // lines))) | {n - 1})
    rows = [r * n + np.arange(n) for r in keep]  # x2 fixed, x1 runs
    columns = [np.arange(n) * n + c for c in keep]  # x1 fixed, x2 runs
    return rows + columns


def runs(line: np.ndarray, zeros: np.ndarray | None) -> list[np.ndarray]:
    """A grid line's indices cut where the colour changes (a segment takes its first point's colour);
    neighbouring runs share their end point, so the line stays whole."""
    if zeros is None:
        return [line]
    key = zeros[line[:-1]]
    cuts = np.flatnonzero(np.diff(key)) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(key)]
    return [line[s:e + 1] for s, e in zip(starts, ends)]


def rare_runs(zeros: np.ndarray, share: float) -> list[np.ndarray]:
    """Every row and column of the n × n grid cut to its stretches of points whose count has fewer than ``share``
    of all points: a region that small may lie between the drawn lines, so all its lines are drawn."""
    n = int(round(np.sqrt(len(zeros))))
    counts = np.bincount(zeros.astype(int))
    rare = np.isin(zeros, np.flatnonzero((counts > 0) & (counts < share * len(zeros))))
    every = [r * n + np.arange(n) for r in range(n)] + [np.arange(n) * n + c for c in range(n)]
    out = []
    for line in every:
        on = np.r_[False, rare[line], False].astype(int)
        starts, ends = np.flatnonzero(np.diff(on) == 1), np.flatnonzero(np.diff(on) == -1)
        out += [line[a:b] for a, b in zip(starts, ends) if b - a > 1]
    return out


def zeroed_color(count: int):
    return rtheme.ZEROED_COLORS[min(int(count), len(rtheme.ZEROED_COLORS) - 1)]


def bezier_points(screen: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """The corners ``screen[idx]`` as a VMobject's straight cubic pieces, shape (4 (m-1), 3)."""
    a, b = screen[idx[:-1]][:, None, :], screen[idx[1:]][:, None, :]
    return (a + (b - a) * _THIRDS).reshape(-1, 3)


class GridRuns(VGroup):
    """The grid's lines placed at ``screen`` (one row per grid point), coloured by ``zeros`` (or all ``color``)."""

    def __init__(self, screen: np.ndarray, zeros: np.ndarray | None, lines: list[np.ndarray], color=None,
                 stroke: float = rtheme.GRID_STROKE, rare: float = 0.0):
        super().__init__()
        self.lines, self.rare = lines, rare
        # ``rare``: a colour on fewer than this share of the points gets every grid line through it
        extra = rare_runs(zeros, rare) if rare and zeros is not None and color is None else []
        self.runs = [r for line in [*lines, *extra] for r in runs(line, zeros)]
        for idx in self.runs:
            path = VMobject(stroke_width=stroke, stroke_color=color or zeroed_color(zeros[idx[0]]))
            path.points = bezier_points(screen, idx)
            self.add(path)

    def recoloured(self, screen: np.ndarray, zeros: np.ndarray | None, color=None) -> "GridRuns":
        """The same lines at ``screen`` in other colours (other runs)."""
        return GridRuns(screen, zeros, self.lines, color=color, rare=self.rare)

    def shift_to(self, screen: np.ndarray, **kwargs) -> "GridShift":
        """Move every grid point to ``screen`` (straight, all at once)."""
        return GridShift(self, [bezier_points(screen, idx) for idx in self.runs], **kwargs)


class GridShift(Animation):
    """Each run's points slide straight to their new places; nothing is copied."""

    def __init__(self, grid: GridRuns, points: list[np.ndarray], **kwargs):
        kwargs.setdefault("rate_func", smooth)
        super().__init__(grid, **kwargs)
        self.end_points = points

    def begin(self) -> None:
        self.start_points = [m.points.copy() for m in self.mobject.submobjects]
        self.interpolate(0)

    def create_starting_mobject(self):
        return self.mobject

    def get_all_mobjects(self):
        return (self.mobject,)

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        for m, a, b in zip(self.mobject.submobjects, self.start_points, self.end_points):
            m.points = a + (b - a) * t


def legend(counts: dict | None = None, size: int = rtheme.LEGEND_SIZE) -> VGroup:
    """A swatch and a name per colour; with ``counts`` (mathcore.geometry.face_counts()["by_zeros"])
    each row also says how many grid points land there."""
    rows = VGroup()
    for k, (color, name) in enumerate(zip(rtheme.ZEROED_COLORS, rtheme.ZEROED_NAMES)):
        swatch = Square(side_length=0.2, stroke_width=0).set_fill(color, opacity=1)
        label = name if counts is None else f"{name}  ({counts.get(str(k), 0)})"
        text = Text(label, font=theme.FONT, font_size=size, color=theme.TEXT)
        rows.add(VGroup(swatch, text.next_to(swatch, RIGHT, buff=0.18)))
    rows.arrange(direction=[0, -1, 0], aligned_edge=LEFT, buff=0.1)
    return rows
