"""Title card: the lecture's title, course and lecturer, from [lecture] in the config, each shown as the voice says
it (the title written while it is read), then the lecture's three topics as the voice names them.

Each of them may be long: it is wrapped to a few centred lines and made smaller to fit the card's
width; past what fits at a readable size the config is refused before rendering (check_config).
"""
from __future__ import annotations

import math
import textwrap

from manim import DOWN, RIGHT, UP, Arrow, FadeIn, Line, VGroup, Write

from mathcore.errors import ConfigError
from scenes import theme
from scenes.base import LectureScene, beat

#: The card's text spans at most this width (the frame is 14.2 wide; the layout check wants a margin).
WIDTH = 13.2
#: A line holds at most this many characters: 40 of the widest capital (W) span 13.2 units at size 23.2,
#: still readable at 480p (capitals 14 px high, the layout check's floor).
LINE_CHARS = 40
#: A text on one line is made smaller, down to this share, rather than wrapped (the shipped title is a little too wide).
SHRINK = 0.8
#: What the lecture covers, each shown as the voice names it (mark, words, the colour the lecture gives it later).
TOPICS = (("forward", "forward pass", "VALUE"), ("backward", "back-propagation", "GRADIENT"),
          ("descent", "gradient descent", "POSITIVE"))


def wrapped(text: str, lines: int) -> list[str] | None:
    """``text`` in at most ``lines`` lines of at most LINE_CHARS characters, as even as the words allow
    (a word is broken only if it is longer than a line); None if it does not fit."""
    text = "".join(" " if ch.isspace() else ch for ch in text).strip()  # "BS6207  2022" keeps its gap
    if lines == 1 or len(text) <= 1:
        return [text] if len(text) <= LINE_CHARS else None
    for width in range(math.ceil(len(text) / lines), LINE_CHARS + 1):
        for breaking in (False, True):
            out = textwrap.wrap(text, width, break_long_words=breaking)
            if len(out) <= lines and max(map(len, out)) <= LINE_CHARS:
                return out
    return None


class TitleCard(LectureScene):
    TITLE = "Title"
    NARRATION = frozenset({"title", "course", "year", "lecturer"})
    #: config key -> (font size, most lines) of its part of the card
    FIELDS = {"title": (theme.TITLE_SIZE, 3), "course": (theme.HEADING_SIZE, 2), "lecturer": (theme.BODY_SIZE, 2)}

    def construct(self):
        self.show_title()
        self.next_slide()

    @staticmethod
    def texts(info) -> dict[str, str]:
        """What each part of the card says (the year goes on the course's line)."""
        return {"title": info.title, "course": f"{info.course}  {info.year}".strip(), "lecturer": info.lecturer}

    @classmethod
    def check_config(cls, cfg) -> None:
        """Refuse, in one line, a title, course or lecturer too long for the card at a readable size."""
        super().check_config(cfg)
        for key, text in cls.texts(cfg.lecture).items():
            most = cls.FIELDS[key][1]
            if wrapped(text, most) is None:
                what = "course and year" if key == "course" else key
                raise ConfigError(cfg.path, f"lecture.{key}", f"a {what} that fits the title card: at most {most} "
                                  f"lines of {LINE_CHARS} characters", f"{len(text)} characters")

    def narration_values(self) -> dict:
        """What the narration says: the [lecture] strings of the config."""
        info = self.cfg.lecture
        return {"title": info.title, "course": info.course, "year": info.year, "lecturer": info.lecturer}

    def fitted(self, text: str, size: int, most: int, color=theme.TEXT):
        """``text`` in the fewest centred lines (up to ``most``) that fit WIDTH without shrinking past SHRINK;
        a wider one is made smaller to fit."""
        block, tried = None, None
        for n in range(1, most + 1):
            lines = wrapped(text, n)
            if lines is None or lines == tried:
                continue
            tried = lines
            block = self.lines(lines, size, color)
            if block.width * SHRINK <= WIDTH:
                break
        if block is None:  # check_config refuses such a text before a scene is made
            raise AssertionError(f"{text!r} does not fit the title card")
        if block.width > WIDTH:
            block.scale_to_fit_width(WIDTH)
        return block

    def lines(self, lines: list[str], size: int, color):
        """One Text of ``lines`` (Pango spaces them by the font), each line centred."""
        if len(lines) == 1:
            return self.text(lines[0], size=size, color=color)
        text = "\n".join(lines)
        # without ligatures a Text has one glyph per character (spaces and line breaks as empty ones)
        block = self.text(text, size=size, color=color, disable_ligatures=True)
        if len(block.submobjects) == len(text):  # else (combining marks) the lines stay left-aligned
            middle, start = block.get_x(), 0
            for line in lines:
                VGroup(*block.submobjects[start:start + len(line)]).set_x(middle)
                start += len(line) + 1
        return block

    @beat
    def show_title(self):
        """Welcome, course, title and lecturer, each as the voice says it; then the lecture's three topics."""
        texts = self.texts(self.cfg.lecture)
        welcome = self.text("Welcome to", size=theme.BODY_SIZE, color=theme.MUTED)
        course = self.fitted(texts["course"], *self.FIELDS["course"])
        title = self.fitted(texts["title"], *self.FIELDS["title"], color=theme.GRADIENT)
        rule = Line([-3, 0, 0], [3, 0, 0], color=theme.MUTED, stroke_width=2)
        lecturer = self.fitted(texts["lecturer"], *self.FIELDS["lecturer"])
        topics = VGroup(*[self.text(words, size=theme.LABEL_SIZE, color=getattr(theme, color))
                          for _, words, color in TOPICS]).arrange(RIGHT, buff=1.1)
        arrows = VGroup(*[Arrow(a.get_right(), b.get_left(), buff=0.15, color=theme.MUTED, stroke_width=3)
                          for a, b in zip(topics[:-1], topics[1:])])
        card = VGroup(welcome, course, rule, title, lecturer).arrange(DOWN, buff=0.45)
        VGroup(card, VGroup(topics, arrows)).arrange(DOWN, buff=0.8)
        self.play(FadeIn(welcome), run_time=theme.SHORT)
        self.at("course")
        self.play(FadeIn(course, shift=UP * 0.1), run_time=theme.SHORT)
        self.at("title")  # the title written while it is read
        self.play(Write(rule), Write(title), run_time=max(theme.NORMAL, self.until("lecturer", theme.LONG)))
        self.play(FadeIn(lecturer, shift=UP * 0.1), run_time=theme.SHORT)
        for k, (mark, _, _) in enumerate(TOPICS):  # each topic (and the arrow into it) as the voice names it
            self.at(mark)
            self.play(*([FadeIn(arrows[k - 1])] if k else []), FadeIn(topics[k], shift=UP * 0.1),
                      run_time=theme.SHORT)
        self.card = VGroup(card, topics, arrows)
        self.wait(theme.NORMAL)
