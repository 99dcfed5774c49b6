"""Title card: the lecture's title, course and lecturer, from [lecture] in the config."""
from __future__ import annotations

from manim import DOWN, FadeIn, Line, VGroup, Write

from scenes import theme
from scenes.base import LectureScene


class TitleCard(LectureScene):
    TITLE = "Title"
    NARRATION = frozenset({"title", "course", "year", "lecturer"})

    def construct(self):
        self.show_title()
        self.next_slide()

    def narration_values(self) -> dict:
        """What the narration says: the [lecture] strings of the config."""
        info = self.cfg.lecture
        return {"title": info.title, "course": info.course, "year": info.year, "lecturer": info.lecturer}

    def show_title(self):
        """Welcome, course, title and lecturer."""
        info = self.cfg.lecture
        welcome = self.text("Welcome to", size=theme.BODY_SIZE, color=theme.MUTED)
        course = self.text(f"{info.course}  {info.year}".strip(), size=theme.HEADING_SIZE)
        title = self.text(info.title, size=theme.TITLE_SIZE, color=theme.GRADIENT)
        if title.width > 12.5:
            title.scale_to_fit_width(12.5)
        rule = Line([-3, 0, 0], [3, 0, 0], color=theme.MUTED, stroke_width=2)
        lecturer = self.text(info.lecturer, size=theme.BODY_SIZE)
        card = VGroup(welcome, course, rule, title, lecturer).arrange(DOWN, buff=0.45)
        self.play(FadeIn(welcome), FadeIn(course))
        self.play(Write(rule), FadeIn(title, shift=DOWN * 0.2))
        self.play(FadeIn(lecturer))
        self.card = card
        self.wait(theme.NORMAL)
