"""The floor: a plain MathTex + Transform scene, the cheapest thing manim renders.

Benchmarks state every scene's cost per video second against this one. It is
not part of the lecture and is deliberately not a LectureScene.
"""
from __future__ import annotations

from manim import MathTex, Scene, Transform, Write


class FloorScene(Scene):
    def construct(self):
        first = MathTex(r"a^2 + b^2 = c^2", font_size=72)
        second = MathTex(r"c = \sqrt{a^2 + b^2}", font_size=72)
        self.play(Write(first))
        self.wait(1)
        self.play(Transform(first, second))
        self.wait(1)
