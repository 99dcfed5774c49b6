"""The readout column beside a descent run drawn step by step: the run's name, how many rows its epoch's last batch
has, the epoch, w before -> after the step, and where the run ended.

``StepReadout(x, top, pitch)`` places row ``r`` at (x, top - r * pitch) (``place(mob, r)``: the caller's other
lines, such as the learning rate, share the column). It reads one of mathcore's batch runs (``batches.compute``: its
``batch_size``, ``last_batch``, per-step ``epoch``, ``w_before``, ``w_after``; ``epochs``, ``final_w``,
``diverged``, ``diverged_at``). ``name``, ``last_batch`` and ``final`` return mobjects; ``step(s)`` returns the
animations that move the epoch and w lines on to step ``s`` (the epoch only when it changes). ``begin()`` starts a
new run's lines; ``shown`` is what the lines of the run drew.
"""
from __future__ import annotations

from manim import FadeIn, FadeOut, MathTex, Mobject, Text

from scenes import theme
from scenes.components import tex
from scenes.components.fields import tagged

NAME_ROW, LAST_ROW, EPOCH_ROW, W_ROW, FINAL_ROW = 1.55, 2.2, 2.85, 3.45, 4.05


def rows_text(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


class StepReadout:
    def __init__(self, x: float, top: float, pitch: float):
        self.x, self.top, self.pitch = x, top, pitch
        self.epoch: Text | None = None
        self.readout: MathTex | None = None

    def place(self, mob: Mobject, row: float) -> Mobject:
        return mob.move_to([self.x, self.top - self.pitch * row, 0])

    def begin(self) -> None:
        """A new run: its first step brings its lines in."""
        self.epoch = self.readout = None

    def name(self, text: str, color) -> Text:
        return self.place(Text(text, font=theme.FONT, font_size=theme.BODY_SIZE, color=color), NAME_ROW)

    def last_batch(self, run: dict, field: str) -> Text:
        """ "last batch: N rows", tagged as mathcore's ``field`` (the run's ``last_batch``)."""
        line = Text(f"last batch: {rows_text(run['last_batch'])}", font=theme.FONT, font_size=theme.SMALL_SIZE,
                    color=theme.TEXT)
        return tagged(self.place(line, LAST_ROW), field)

    def step(self, s: dict, fresh: bool = False) -> list:
        """Animations: the epoch and w before -> after move on to step ``s`` (the epoch when it changes)."""
        epoch = self.place(Text(f"epoch {s['epoch']}", font=theme.FONT, font_size=theme.LABEL_SIZE,
                                color=theme.MUTED), EPOCH_ROW)
        readout = self.place(MathTex(r"w = " + tex.num(s["w_before"]) + r" \to " + tex.num(s["w_after"]),
                                     font_size=theme.MATH_MIN_SIZE, color=theme.TEXT), W_ROW)
        if self.readout is None or self.epoch is None:
            anims = [FadeIn(epoch), FadeIn(readout)]
        else:
            anims = [FadeOut(self.readout), FadeIn(readout)]
            if fresh or self.epoch.text != epoch.text:
                anims += [FadeOut(self.epoch), FadeIn(epoch)]
            else:
                epoch = self.epoch
        self.epoch, self.readout = epoch, readout
        return anims

    def final(self, run: dict) -> Mobject:
        """Where the run ended: w after its epochs, or the step at which it diverged."""
        if run["diverged"]:
            line: Mobject = Text(f"diverges at step {run['diverged_at']}", font=theme.FONT,
                                 font_size=theme.LABEL_SIZE, color=theme.NEGATIVE)
        else:
            line = MathTex(r"\text{after } " + f"{run['epochs']}" + r"\text{ epochs: } w = " + tex.num(run["final_w"]),
                           font_size=theme.MATH_MIN_SIZE, color=theme.HIGHLIGHT)
        return self.place(line, FINAL_ROW)

    @property
    def shown(self) -> list:
        return [m for m in (self.readout, self.epoch) if m is not None]
