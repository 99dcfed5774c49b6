"""An algorithm typeset line by line (LaTeX lines, indent levels) with a highlight that moves between lines."""
from __future__ import annotations

from manim import LEFT, Animation, MathTex, Rectangle, VGroup

from scenes import theme
from scenes.theme import optimisers as otheme

INDENT = 0.45  # frame units per indent level


class AlgorithmPanel(VGroup):
    """``lines[k]`` is the k-th line (MathTex); ``cursor`` a bar behind the current line.

    ``rows`` are (indent level, TeX) pairs. ``highlight(k)`` moves the cursor to line k.
    """

    def __init__(self, rows: list[tuple[int, str]], font_size: float = otheme.ALGO_SIZE,
                 pitch: float = otheme.ALGO_PITCH, width: float | None = None):
        super().__init__()
        self.lines = VGroup()
        for k, (level, line) in enumerate(rows):
            m = MathTex(line, font_size=font_size, color=theme.TEXT)
            m.move_to([0, -k * pitch, 0], aligned_edge=LEFT).set_x(level * INDENT, direction=LEFT)
            self.lines.add(m)
        self.pitch = pitch
        self.width_ = width or self.lines.width + 0.3
        self.cursor = Rectangle(width=self.width_, height=pitch * 0.95, stroke_width=0)
        self.cursor.set_fill(otheme.CURSOR, opacity=1).set_stroke(theme.HIGHLIGHT, width=1.5, opacity=0.8)
        self.cursor.move_to(self.lines[0]).set_x(self.lines.get_left()[0] - 0.15, direction=LEFT)
        self.cursor.set_opacity(0)
        self.add(self.cursor, self.lines)
        self.current: int | None = None

    def highlight(self, k: int, run_time: float = theme.SHORT * 0.5) -> Animation:
        """Move the highlight to line k (it fades in the first time)."""
        target = self.cursor.copy().set_y(self.lines[k].get_y())
        target.set_fill(otheme.CURSOR, opacity=1).set_stroke(theme.HIGHLIGHT, width=1.5, opacity=0.8)
        self.current = k
        return self.cursor.animate(run_time=run_time).become(target)


def require(symbol: str, what: str) -> str:
    r"""``\textbf{Require:} symbol: what`` as one line."""
    return rf"\textbf{{Require:}}\ {symbol}\text{{: {what}}}"
