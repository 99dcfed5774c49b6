"""Two columns, "You lose" and "You win", that revealed numbers drop into one at a time.

Built from the reveals of ``mathcore.rulegame`` (number and outcome); the row pitch shrinks so the
longer column fits the given height. ``entry(i)`` is the i-th reveal's number, placed in its slot.
"""
from __future__ import annotations

from manim import DOWN, LEFT, Line, Text, VGroup

from scenes import theme
from scenes.components.light_text import light

HEADINGS = {"lose": "You lose", "win": "You win"}
COLORS = {"lose": theme.NEGATIVE, "win": theme.VALUE}
NUMBER_SIZE = 30
MIN_NUMBER_SIZE = theme.MIN_FONT_SIZE
PITCH = 0.55  # between numbers of a column, when they fit
COLUMN_GAP = 3.0  # between the two columns' left edges
HEAD_GAP = 0.45  # from a heading's baseline to the first number


class OutcomeColumns(VGroup):
    """``headings[outcome]`` and a rule under each; ``entries[i]`` the i-th reveal's number (not yet added)."""

    def __init__(self, reveals, corner=(0.0, 0.0, 0.0), height: float = 5.0):
        """``corner``: the top left of the "You lose" heading, in frame units."""
        super().__init__()
        self.reveals = list(reveals)
        counts = {o: sum(r.outcome == o for r in self.reveals) for o in HEADINGS}
        rows = max(max(counts.values()), 1)
        pitch = min(PITCH, (height - HEAD_GAP) / rows)
        size = max(MIN_NUMBER_SIZE, min(NUMBER_SIZE, NUMBER_SIZE * pitch / PITCH))
        self.headings = {}
        self.rules = VGroup()
        for k, outcome in enumerate(HEADINGS):
            head = Text(HEADINGS[outcome], font=theme.FONT, font_size=theme.BODY_SIZE, color=COLORS[outcome],
                        weight="BOLD").move_to([k * COLUMN_GAP, 0, 0], aligned_edge=LEFT)
            rule = Line([0, 0, 0], [COLUMN_GAP - 0.5, 0, 0], color=COLORS[outcome], stroke_width=2)
            rule.next_to(head, DOWN, buff=0.12, aligned_edge=LEFT)
            self.headings[outcome] = head
            self.rules.add(rule)
            self.add(head)
        self.add(self.rules)
        light(self)
        self.entries = []
        filled = {o: 0 for o in HEADINGS}
        for r in self.reveals:
            column = list(HEADINGS).index(r.outcome)
            number = Text(r.number, font=theme.MONO, font_size=size, color=theme.TEXT)
            top = self.rules[column].get_y() - HEAD_GAP + 0.1
            number.move_to([column * COLUMN_GAP + 0.15, top - filled[r.outcome] * pitch, 0], aligned_edge=LEFT)
            filled[r.outcome] += 1
            self.entries.append(light(number))
        offset = [corner[0] - self.get_left()[0], corner[1] - self.get_top()[1], 0]
        self.shift(offset)
        for e in self.entries:
            e.shift(offset)

    def entry(self, i: int) -> Text:
        return self.entries[i]
