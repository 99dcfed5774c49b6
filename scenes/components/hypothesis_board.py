"""The class's guesses on the board, one line each; a guess is struck out with the number that broke it.

Names come from ``mathcore.rulegame`` (as the slides write them, "2^6" shown as 2⁶) and go through
Text. ``strike(i, number)`` crosses line i out and tags it with the number (``struck(i)`` gives bar and
tag back); ``stand(i)`` boxes a survivor. Each returns animations for the scene to play.
"""
from __future__ import annotations

import re

from manim import (
    DOWN,
    LEFT,
    Create,
    FadeIn,
    Line,
    SurroundingRectangle,
    Text,
    VGroup,
)

from scenes import theme
from scenes.components.light_text import light

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
NAME_SIZE = 28
MIN_NAME_SIZE = theme.MIN_FONT_SIZE
TAG_SIZE = theme.SMALL_SIZE
PITCH = 0.5
BULLET = "•"
TAG_GAP = 0.35  # between the longest name and the tags' column


def board_text(name: str) -> str:
    """How a hypothesis is written on the board: "2^6" becomes "2⁶"."""
    return re.sub(r"\^(\d+)", lambda m: m.group(1).translate(SUPERSCRIPTS), name)


class HypothesisBoard(VGroup):
    """``lines[i]`` (one Text: bullet and name), built top-down from ``corner`` (the top left)."""

    def __init__(self, names: list[str], corner=(0.0, 0.0, 0.0), height: float = 5.5):
        super().__init__()
        pitch = min(PITCH, height / max(len(names), 1))
        size = max(MIN_NAME_SIZE, NAME_SIZE * pitch / PITCH)
        self.lines = VGroup()
        for k, name in enumerate(names):
            line = Text(f"{BULLET} {board_text(name)}", font=theme.FONT, font_size=size, color=theme.TEXT)
            line[0].set_color(theme.MUTED)
            # placed by the bullet, whose height above the baseline is the same on every line
            line.shift([corner[0] - line.get_left()[0], corner[1] - k * pitch - line[0].get_y(), 0])
            self.lines.add(line)
        self.lines.shift([0, corner[1] - self.lines.get_top()[1], 0])
        self.tag_x = self.lines.get_right()[0] + TAG_GAP
        self.add(light(self.lines))
        self.tags = VGroup()
        self.strikes = VGroup()
        self._struck: dict[int, VGroup] = {}  # line -> its bar and tag

    def strike(self, i: int, number: str) -> list:
        """Cross out line i and tag it "✗ <number>" (the revealed number that contradicts it)."""
        words = self.words(i)
        y = self.lines[i][0].get_y()  # the bullet's height: the middle of the small letters
        bar = Line([words.get_left()[0] - 0.05, y, 0], [words.get_right()[0] + 0.05, y, 0], color=theme.NEGATIVE,
                   stroke_width=4)
        tag = Text(f"✗ {number}", font=theme.MONO, font_size=TAG_SIZE, color=theme.NEGATIVE)
        tag.move_to([self.tag_x, y, 0], aligned_edge=LEFT)
        light(tag)
        self.strikes.add(bar)
        self.tags.add(tag)
        self._struck[i] = VGroup(bar, tag)
        return [Create(bar), words.animate.set_opacity(0.45), FadeIn(tag, shift=LEFT * 0.2)]

    def struck(self, i: int) -> VGroup:
        """What marks line i as struck: its bar and its tag (empty if no number struck it)."""
        return self._struck.get(i, VGroup())

    def words(self, i: int) -> VGroup:
        """Line i without its bullet."""
        return VGroup(*self.lines[i][1:])

    def stand(self, i: int) -> SurroundingRectangle:
        """A box around survivor i (the scene fades it in)."""
        return SurroundingRectangle(self.words(i), color=theme.VALUE, buff=0.08, corner_radius=0.05)

    def below(self, gap: float = 0.4):
        """A point under the board, at its left edge (for a caption)."""
        return self.lines.get_corner(DOWN + LEFT) + DOWN * gap
