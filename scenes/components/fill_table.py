"""A table written on the board: the header and the given columns at once, the other cells one at a time.

Cells are strings the scene formats from mathcore's numbers (mathcore.display.fmt); the row pitch
shrinks so every row fits the given height. ``cell(i, j, text, color)`` is a new Text in its place
(the scene fades it in); ``row_box(i)`` a highlight behind row i.
"""
from __future__ import annotations

from manim import Line, MathTex, Rectangle, Text, VGroup

from scenes import theme
from scenes.components.light_text import light

CELL_SIZE = 26
MIN_CELL_SIZE = theme.MIN_FONT_SIZE
PITCH = 0.48
HEADER_GAP = 0.2  # between the header's rule and the first row


class FillTable(VGroup):
    """``header`` (TeX per column), ``rule`` under it, ``given`` (the cells known from the start)."""

    def __init__(self, header: list[str], rows: list[list[str | None]], column_width: float = 1.15,
                 height: float = 5.0, corner=(0.0, 0.0, 0.0)):
        """``rows[i][j]`` is a cell's text, or None for a cell filled in later; ``corner`` is the top left."""
        super().__init__()
        self.column_width = column_width
        self.pitch = min(PITCH, (height - PITCH - HEADER_GAP) / max(len(rows), 1))
        self.size = max(MIN_CELL_SIZE, min(CELL_SIZE, CELL_SIZE * self.pitch / PITCH))
        self.header = VGroup(*[
            MathTex(h, font_size=theme.MATH_MIN_SIZE, color=theme.MUTED).move_to(self.center(-1, j))
            for j, h in enumerate(header)
        ])
        width = column_width * len(header)
        self.rule = Line([0, 0, 0], [width, 0, 0], color=theme.MUTED, stroke_width=2)
        self.rule.move_to([width / 2, -PITCH / 2 - HEADER_GAP / 2, 0])
        self.given = VGroup(*[
            self.cell(i, j, text) for i, row in enumerate(rows) for j, text in enumerate(row) if text is not None
        ])
        self.add(light(self.header), self.rule, self.given)
        self.offset = [corner[0] - self.get_left()[0], corner[1] - self.get_top()[1], 0]
        self.shift(self.offset)

    def center(self, i: int, j: int) -> list[float]:
        """Middle of cell (i, j) before the table is moved to its corner; row -1 is the header."""
        y = 0.0 if i < 0 else -PITCH - HEADER_GAP - i * self.pitch
        return [(j + 0.5) * self.column_width, y, 0]

    def cell(self, i: int, j: int, text: str, color=theme.TEXT) -> Text:
        t = Text(text, font=theme.MONO, font_size=self.size, color=color)
        t.move_to(self.center(i, j))
        if hasattr(self, "offset"):
            t.shift(self.offset)
        return light(t)

    def row_box(self, i: int, color=theme.PANEL) -> Rectangle:
        """A filled band behind row i (the current pair)."""
        c = self.center(i, 0)
        width = self.column_width * len(self.header)
        box = Rectangle(width=width, height=self.pitch * 0.95, stroke_width=0).set_fill(color, opacity=1)
        box.move_to([c[0] - self.column_width / 2 + width / 2, c[1], 0]).shift(self.offset)
        return box.set_z_index(-1)

