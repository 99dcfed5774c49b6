"""The rule game: numbers revealed into "You lose" / "You win", the board's guesses struck out by the numbers."""
from __future__ import annotations

import textwrap

from manim import (
    DOWN,
    LEFT,
    UP,
    FadeIn,
    FadeOut,
    Indicate,
    ReplacementTransform,
    VGroup,
    config,
)

from mathcore import rulegame
from scenes import theme
from scenes.base import LectureScene
from scenes.components.hypothesis_board import HypothesisBoard, board_text
from scenes.components.light_text import light
from scenes.components.outcome_columns import OutcomeColumns

# The slides' words.
RULES_OF_THE_GAME = [
    "You guess a number, if it is a 'good' number,\nI pay you $1, else you pay me $1.",
    "I have a hidden rule to define what is a good number...",
    "Of course I am not telling you my rule",
    "What you can know if you keep buying until you find out the rule",
    "We can assume that my rule does not change",
]
WRITE_ON_THE_BOARD = "Guess what is my rule, write on the board"
TYPE_IN_THE_CHAT = "Guess what is my rule, type in the chat please"
DIFFER = "The slides' marks against the numbers"
AGREE = "The slides' marks agree with the numbers"

COLUMNS_CORNER = (-6.6, 2.45)  # top left of the "You lose" heading
BOARD_CORNER = (0.45, 2.55)  # top left of the board's first line
BOARD_HEIGHT = 5.6
COLUMNS_HEIGHT = 5.2
WHY_WIDTH = 40  # characters per line of an explanation
WHY_SIZE = 20
REVEAL_TIME = 0.7


class HiddenRuleGame(LectureScene):
    TITLE = "Let's play a game"
    COLUMN_ROWS = 13  # numbers a column of COLUMNS_HEIGHT holds at their smallest size, spaced in proportion

    @classmethod
    def check_config(cls, cfg) -> None:
        """The limits, and the lose and win columns' lengths (mathcore plays any number of reveals)."""
        super().check_config(cfg)
        outcomes = cfg.rule_game.outcomes
        cls.refuse_more(cfg, "rule_game.outcomes", max(outcomes.count("lose"), outcomes.count("win")),
                        cls.COLUMN_ROWS, "numbers per outcome")

    def construct(self):
        self.explain_the_game()
        self.next_slide()
        self.reveal_first_round()
        self.next_slide()
        self.write_guesses()
        self.next_slide()
        self.check_guesses()
        self.next_slide()
        self.reveal_more_numbers()
        self.next_slide()
        self.show_survivors()
        self.next_slide()
        self.compare_with_slides()

    def setup(self):
        super().setup()
        self.game = rulegame.from_config(self.cfg)
        self.names = [v.hypothesis.name for v in self.game.verdicts]

    def explain_the_game(self):
        """The game: a good number wins a dollar; the rule is hidden and does not change."""
        self.title = light(self.heading(self.TITLE))
        lines = VGroup(*[self.text(line, size=theme.LABEL_SIZE, line_spacing=1.1) for line in RULES_OF_THE_GAME])
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.45).next_to(self.title, DOWN, buff=0.8)
        light(lines).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15)
        self.play(FadeIn(self.title))
        for line in lines:
            self.play(FadeIn(line, shift=UP * 0.15), run_time=theme.SHORT)
        self.rules_text = lines

    def bottom_line(self, words: str, color=theme.HIGHLIGHT):
        """A prompt on the bottom line, at the left."""
        line = self.text(words, size=theme.LABEL_SIZE, color=color)
        return light(line.to_edge(DOWN, buff=theme.EDGE_BUFF).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15))

    def reveal(self, i: int) -> None:
        """Reveal number i in its column; strike out every guess on the board it contradicts."""
        entry = self.columns.entry(i)
        self.play(FadeIn(entry, shift=DOWN * 0.3), run_time=REVEAL_TIME)
        if self.board is not None:
            self.contradict(i)

    def contradict(self, i: int) -> None:
        """Guesses whose last standing reading falls at reveal i are struck, tagged with its number."""
        fallen = [k for k, v in enumerate(self.game.verdicts) if v.at == i]
        if not fallen:
            return
        number = self.game.reveals[i].number
        self.play(Indicate(self.columns.entry(i), color=theme.HIGHLIGHT, scale_factor=1.3), run_time=theme.SHORT)
        self.play(*[a for k in fallen for a in self.board.strike(k, number)], run_time=theme.NORMAL)

    def reveal_first_round(self):
        """The first slide's numbers drop one at a time into the lose and win columns."""
        self.board = None
        self.columns = OutcomeColumns(self.game.reveals, corner=COLUMNS_CORNER, height=COLUMNS_HEIGHT)
        self.play(FadeOut(self.rules_text), FadeIn(VGroup(*self.columns.headings.values()), self.columns.rules))
        for i in range(self.game.rounds[0]):
            self.reveal(i)

    def write_guesses(self):
        """Guess what is my rule: the class's hypotheses go on the board."""
        self.prompt = self.bottom_line(WRITE_ON_THE_BOARD)
        self.board = HypothesisBoard(self.names, corner=BOARD_CORNER, height=BOARD_HEIGHT)
        self.play(FadeIn(self.prompt, shift=UP * 0.15))
        self.play(FadeIn(self.board.lines, lag_ratio=0.15), run_time=theme.LONG)

    def check_guesses(self):
        """Check each guess against the numbers shown so far, in the order they were revealed."""
        self.play(FadeOut(self.prompt), run_time=theme.SHORT)
        for i in range(self.game.rounds[0]):
            self.contradict(i)

    def reveal_more_numbers(self):
        """The next slide reveals more numbers, one at a time, each striking the guesses it contradicts."""
        for i in range(self.game.rounds[0], len(self.game.reveals)):
            self.reveal(i)

    def show_survivors(self):
        """Guess what is my rule: the hypotheses still standing after every number are boxed."""
        self.prompt = self.bottom_line(TYPE_IN_THE_CHAT)
        boxes = [self.board.stand(k) for k, v in enumerate(self.game.verdicts) if v.at is None]
        self.play(FadeIn(self.prompt, shift=UP * 0.15), *[FadeIn(b) for b in boxes])
        self.wait(theme.NORMAL)

    def compare_with_slides(self):
        """Where the slides' marks and the numbers disagree, the numbers decide; each case with its reason."""
        differences = self.game.differences()
        if not differences:
            self.play(ReplacementTransform(self.prompt, self.bottom_line(AGREE, theme.MUTED)))
            return
        blocks = VGroup(self.text(DIFFER, size=theme.SMALL_SIZE + 2, color=theme.MUTED))
        for d in differences:
            head = self.text("\n".join(textwrap.wrap(f"{board_text(d['name'])}: the slides say {d['slide']}",
                                                     WHY_WIDTH - 4)),
                             size=WHY_SIZE, color=theme.GRADIENT, weight="BOLD", line_spacing=0.8)
            reason = d["why"] if d["computed"].startswith("eliminated") else d["computed"]
            why = self.text("\n".join(textwrap.wrap(reason, WHY_WIDTH)), size=WHY_SIZE, color=theme.TEXT,
                            line_spacing=0.8)
            blocks.add(VGroup(head, why).arrange(DOWN, aligned_edge=LEFT, buff=0.08))
        light(blocks.arrange(DOWN, aligned_edge=LEFT, buff=0.22))  # tight: three cases fit above the frame's margin
        room = (BOARD_CORNER[0] - 0.3) - (-config.frame_width / 2 + theme.EDGE_BUFF)
        if blocks.width > room:
            blocks.scale_to_fit_width(room)
        blocks.move_to([0, 0, 0]).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15).align_to(self.columns, UP)
        columns = VGroup(*self.columns.headings.values(), self.columns.rules, *self.columns.entries)
        self.play(FadeOut(columns), FadeOut(self.prompt))
        for block in blocks:
            self.play(FadeIn(block, shift=LEFT * 0.2), run_time=theme.SHORT)
        self.wait(theme.NORMAL)
