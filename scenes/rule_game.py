"""The rule game: numbers revealed into "You lose" / "You win", the board's guesses struck out by the numbers,
each with its reason; the hidden rule revealed last; what data can and cannot tell."""
from __future__ import annotations

import textwrap

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Indicate,
    ReplacementTransform,
    VGroup,
    config,
)

from mathcore import rulegame
from scenes import captions, narration, theme
from scenes.base import LectureScene, beat
from scenes.components.hypothesis_board import HypothesisBoard, board_text
from scenes.components.light_text import light
from scenes.components.outcome_columns import OutcomeColumns
from scenes.components.spoken import lit
from scenes.rule_game_words import (
    AGREE,
    BRIDGE,
    FUNDAMENTAL,
    HALF_MARKS,
    LESSON,
    LESSON_MARKS,
    NO_RIVAL,
    NONE_STANDING,
    NONE_STRUCK,
    RULE_MARKS,
    RULES_OF_THE_GAME,
    WRITE_ON_THE_BOARD,
    YOUR_GUESS,
    cases_heading,
    lesson_halves,
    rival_said,
)

COLUMNS_CORNER = (-6.6, 2.45)  # top left of the "You lose" heading
BOARD_CORNER = (0.45, 2.55)  # top left of the board's first line
BOARD_HEIGHT = 5.6
COLUMNS_HEIGHT = 5.2
WHY_WIDTH = 38  # characters per line of an explanation (the shipped three cases fit unscaled)
WHY_SIZE = theme.SMALL_SIZE
REVEAL_TIME = 0.7
REASON_HOLD = 0.8  # most seconds a strike's reason is held alone (it stays up until the next strike)
ROUND_HOLD = 0.3  # the second round's: its strikes keep pace with the voice's count of them
REASON_WIDTH = 70  # characters per line of a strike's reason, on the bottom line
# (between the cases where the slides' marks and the numbers differ, between a case's heading and its reason):
# roomy, else tighter (more cases)
BLOCK_GAPS = ((0.25, 0.1), (0.18, 0.08), (0.12, 0.06))
BOARD_GAP = 0.5  # kept clear between those cases and the board's bullets


class HiddenRuleGame(LectureScene):
    TITLE = "Let's play a game"
    COLUMN_ROWS = 13  # numbers a column of COLUMNS_HEIGHT holds at their smallest size, spaced in proportion
    NARRATION = frozenset({"strike_number", "strike_name", "strike_why", "standing", "answer", "answer_facts",
                           "ruled_out", "more_strikes", "slide_check", "answer_means", "rival"})

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
        self.reveal_the_rule()
        self.next_slide()
        self.compare_with_slides()
        self.next_slide()
        self.what_data_cannot_do()

    def setup(self):
        super().setup()
        self.game = rulegame.from_config(self.cfg)
        self.rule = rulegame.hidden_rule(self.cfg)
        answer = self.cfg.rule_game.hidden_rule
        # the hidden rule is the slides' answer: it joins the board only at the end (its last line)
        ids = [v.hypothesis.id for v in self.game.verdicts]
        self.guesses = [k for k, h in enumerate(ids) if h != answer]
        self.answer = rulegame.HYPOTHESES[answer]
        self.names = [self.game.verdicts[k].hypothesis.name for k in self.guesses] + [self.answer.name]
        self.strikes = [(i, k) for i in range(len(self.game.reveals)) for k in self.guesses
                        if self.game.verdicts[k].at == i]
        self.rival = rulegame.rival(self.game.reveals, self.rule)  # a rule the numbers cannot tell from it

    def narration_values(self) -> dict:
        first = [s for s in self.strikes if s[0] < self.game.rounds[0]] or self.strikes
        i, k = first[-1] if first else (None, None)
        standing = [self.game.verdicts[k].hypothesis.name for k in self.guesses if self.game.verdicts[k].at is None]
        return {
            "strike_number": self.game.reveals[i].number if first else "no number",
            "strike_name": board_text(self.game.verdicts[k].hypothesis.name) if first else "no guess",
            # the outcome that decides it lights up as the voice reaches it ("but it was a win")
            "strike_why": self.reason(k).replace(", but it was", ", [[outcome]]but it was") if first
            else "every guess fits the first numbers",
            "standing": f"Still standing: {', '.join(map(board_text, standing))}" if standing else NONE_STANDING,
            "answer": board_text(self.answer.name),
            "answer_means": f": it {board_text(self.answer.means)}" if self.answer.means else "",
            "answer_facts": narration.marked("fact", self.facts()),
            "ruled_out": len(self.strikes),
            # each count after its number's mark: the number comes in as the voice counts its strikes
            "more_strikes": [f"{self.game.reveals[i].number} [[more{n}]]crosses out {len(self.falls_at(i))} "
                             + ("guess" if len(self.falls_at(i)) == 1 else "guesses")
                             for n, i in enumerate(self.more_struck(), start=1)] or NONE_STRUCK,
            "slide_check": self.slide_check(),
            "rival": rival_said(self.rival, self.rule, self.game.reveals),
        }

    def slide_check(self) -> str:
        """The strikes an eye may miss (the slide left them unmarked) and the guesses no number strikes (the slide
        crossed them out), said in full (the cases are on screen)."""
        differences = self.game.differences()  # each case after its mark: it comes in as it is named
        named = [(d["slide"], f"[[case{n}]]{board_text(d['name'])}") for n, d in enumerate(differences, start=1)]
        unmarked = [name for slide, name in named if slide == "not marked"]
        kept = [name for slide, name in named if slide == "eliminated"]
        said = []
        if unmarked:
            said.append(f"Look again at {narration.shown(unmarked)}: [[cross]]the numbers "
                        f"cross {'it' if len(unmarked) == 1 else 'them'} out too")
        if kept:
            said.append(f"And {narration.shown(kept)} still {'stands' if len(kept) == 1 else 'stand'}: [[kept]]no "
                        f"number contradicts {'it' if len(kept) == 1 else 'them'}")
        if not said:
            return "Every guess stands or falls by the number shown beside it."
        return ". ".join(said) + ". The reasons are [[reasons]]on the left: [[decide]]the numbers decide."

    def reason(self, k: int) -> str:
        """Why reveal v.at rules guess k out: mathcore's words for the rule that fell last."""
        return self.game.verdicts[k].deciding.why(self.game.reveals)

    def facts(self) -> list[str]:
        """What makes each win a good number under the hidden rule (mathcore's facts)."""
        return [self.rule.fact(r.number) for r in self.game.reveals if r.outcome == "win"]

    @beat
    def explain_the_game(self):
        """The game: a good number wins a dollar; the rule is hidden and does not change."""
        self.title = light(self.heading(self.TITLE))
        lines = VGroup(*[self.text(line, size=theme.LABEL_SIZE, line_spacing=1.1) for line in RULES_OF_THE_GAME])
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.45).next_to(self.title, DOWN, buff=0.8)
        light(lines).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15)
        # the bridge from the optimisation half, as said, gives way to the game
        bridge = light(VGroup(*[self.text(b, size=theme.BODY_SIZE, color=c)
                                for b, c in zip(BRIDGE, (theme.MUTED, theme.HIGHLIGHT))]).arrange(DOWN, buff=0.5))
        self.play(FadeIn(self.title), FadeIn(bridge[0], shift=UP * 0.15))
        self.at("data")
        self.play(FadeIn(bridge[1], shift=UP * 0.15))
        self.at("game")
        self.play(FadeOut(bridge), lit(self.title))
        for line, mark in zip(lines, RULE_MARKS):
            self.at(mark)  # each rule of the game as the voice says it
            self.play(FadeIn(line, shift=UP * 0.15), run_time=theme.SHORT)
        self.rules_text = lines

    def bottom_line(self, words: str, color=theme.HIGHLIGHT, size: int = theme.LABEL_SIZE):
        """A prompt on the bottom line, at the left."""
        line = self.text(words, size=size, color=color)
        return light(line.to_edge(DOWN, buff=theme.EDGE_BUFF).to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15))

    def reveal(self, i: int, hold: float | None = None, run_time: float = REVEAL_TIME) -> None:
        """Reveal number i in its column; strike out every guess on the board it contradicts."""
        entry = self.columns.entry(i)
        self.play(FadeIn(entry, shift=DOWN * 0.3), run_time=run_time)
        if self.board is not None:
            self.contradict(i, hold)

    def contradict(self, i: int, hold: float | None = None) -> None:
        """Guesses whose last standing reading falls at reveal i are struck one by one, each tagged with the
        number and its reason on the bottom line, held a moment (``hold`` s if given; it stays up until the next)."""
        fallen = self.falls_at(i)
        if not fallen:
            return
        number = self.game.reveals[i].number
        self.play(Indicate(self.columns.entry(i), color=theme.HIGHLIGHT, scale_factor=1.3), run_time=theme.SHORT)
        for k in fallen:
            self.strike(k, number, hold)

    def described(self, i: int, hold: float | None) -> None:
        """Reveal i's strikes as the voice describes its last one: the others fall first; at [[strike]] the number
        lights and that guess falls, in time for [[why]], where its reason is read."""
        fallen, number = self.falls_at(i), self.game.reveals[i].number
        for k in fallen[:-1]:
            self.strike(k, number, hold)
        self.at("strike")
        fit = min(1.0, self.until("why", theme.SHORT + theme.NORMAL) / (theme.SHORT + theme.NORMAL))
        self.play(Indicate(self.columns.entry(i), color=theme.HIGHLIGHT, scale_factor=1.3), run_time=theme.SHORT * fit)
        self.strike(fallen[-1], number, 0.0, theme.NORMAL * fit)

    def strike(self, k: int, number: str, hold: float | None, run_time: float = theme.NORMAL) -> None:
        """Guess k struck by ``number``, its reason on the bottom line (held as contradict says)."""
        words = f"{board_text(self.game.verdicts[k].hypothesis.name)} ✗ {number}: {self.reason(k)}"
        reason = self.bottom_line("\n".join(textwrap.wrap(words, REASON_WIDTH)), color=theme.TEXT, size=WHY_SIZE)
        swap = [FadeOut(self.reason_line)] if self.reason_line is not None else []
        self.play(*self.board.strike(self.guesses.index(k), number), *swap, FadeIn(reason), run_time=run_time)
        self.reason_line = reason
        # long enough to take in, capped: ten strikes at full reading time would triple the scene's length
        self.wait(min(max(captions.reading_time(words) - theme.NORMAL, 0.0), REASON_HOLD) if hold is None
                  else max(hold, 0.0) or 1 / config.frame_rate)

    @beat
    def reveal_first_round(self):
        """The first slide's numbers drop one at a time into the lose and win columns."""
        self.board = None
        self.reason_line = None
        self.columns = OutcomeColumns(self.game.reveals, corner=COLUMNS_CORNER, height=COLUMNS_HEIGHT)
        self.play(FadeOut(self.rules_text), FadeIn(VGroup(*self.columns.headings.values()), self.columns.rules))
        for i in range(self.game.rounds[0]):
            self.reveal(i)

    @beat
    def write_guesses(self):
        """Guess what is my rule: the class's hypotheses go on the board (the answer is not among them yet)."""
        self.prompt = self.bottom_line(WRITE_ON_THE_BOARD)
        self.board = HypothesisBoard(self.names, corner=BOARD_CORNER, height=BOARD_HEIGHT)
        self.play(FadeIn(self.prompt, shift=UP * 0.15))
        self.play(FadeIn(VGroup(*self.board.lines[:-1]), lag_ratio=0.15), run_time=theme.LONG)

    @beat
    def check_guesses(self):
        """Check each guess against the numbers shown so far, in the order they were revealed, with its reason."""
        self.play(FadeOut(self.prompt), run_time=theme.SHORT)
        struck = sorted({j for j, _ in self.strikes if j < self.game.rounds[0]})
        # the strikes before the one the voice describes (its number's others too) share the time until it does
        before = [k for j, k in self.strikes if j in struck[:-1]] + self.falls_at(struck[-1])[:-1] if struck else []
        hold = None
        if before and (said := self.mark_time("strike")) is not None:
            busy = len(before) * theme.NORMAL + len(struck[:-1]) * theme.SHORT
            hold = min((said - self.renderer.time - busy) / len(before), REASON_HOLD)
        for i in range(self.game.rounds[0]):
            if struck and i == struck[-1]:
                self.described(i, hold)
            else:
                self.contradict(i, hold)
        if struck:
            self.at("why")  # its reason, then the outcome that decides it, as the voice reads them
            self.play(lit(self.reason_line))
            self.at("outcome")
            self.play(lit(self.columns.entry(struck[-1])))

    @beat
    def reveal_more_numbers(self):
        """The next slide reveals more numbers, one at a time, each striking the guesses it contradicts."""
        struck = self.more_struck()
        for i in range(self.game.rounds[0], len(self.game.reveals)):
            if i in struck[1:]:  # as the voice counts its strikes (the first comes in as the round starts)
                self.at(f"more{struck.index(i) + 1}")
            self.reveal(i, ROUND_HOLD, self.pace(i, struck))

    def pace(self, i: int, struck: list[int]) -> float:
        """How long reveal i takes to come in: REVEAL_TIME, or less, so that the numbers before the next one the
        voice counts are in before it does (their strikes keep their time)."""
        later = [j for j in struck[1:] if j > i]
        if not later or (t := self.mark_time(f"more{struck.index(later[0]) + 1}")) is None:
            return REVEAL_TIME
        busy = sum(theme.SHORT + len(self.falls_at(j)) * (theme.NORMAL + ROUND_HOLD)
                   for j in range(i, later[0]) if self.falls_at(j))
        return min(REVEAL_TIME, max(3 / config.frame_rate, (t - self.renderer.time - busy) / (later[0] - i)))

    def more_struck(self) -> list[int]:
        """The reveals after the first round that strike a guess out."""
        return [i for i in range(self.game.rounds[0], len(self.game.reveals)) if self.falls_at(i)]

    def falls_at(self, i: int) -> list[int]:
        """The guesses reveal i strikes out."""
        return [k for j, k in self.strikes if j == i]

    @beat
    def show_survivors(self):
        """Guess what is my rule: the guesses still standing after every number are boxed (or none is left)."""
        standing = [self.guesses.index(k) for k in self.guesses if self.game.verdicts[k].at is None]
        self.prompt = self.bottom_line(YOUR_GUESS)
        gone = [FadeOut(self.reason_line)] if self.reason_line is not None else []
        boxes = [FadeIn(self.board.stand(k)) for k in standing]
        self.play(*gone, *(boxes or [lit(self.board.tags)]), run_time=theme.NORMAL)  # none stands: every ✗
        self.reason_line = None
        self.at("chat")  # the prompt as the voice asks for a new guess
        self.play(FadeIn(self.prompt, shift=UP * 0.15))

    @beat
    def reveal_the_rule(self):
        """The hidden rule, revealed last: it joins the board, boxed, and every win is a good number under it."""
        line = self.board.lines[-1]
        facts = VGroup(*[self.text(f, size=WHY_SIZE, color=theme.TEXT) for f in self.facts()])
        facts.arrange(DOWN, aligned_edge=LEFT, buff=0.12).to_edge(DOWN, buff=theme.EDGE_BUFF)
        light(facts.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15))
        # what the board's terse words mean ("Contains 2⁶": 2⁶ = 64 is a factor), above the facts
        means = light(self.text(f"{board_text(self.answer.name)}: {board_text(self.answer.means)}", size=WHY_SIZE,
                                color=theme.GRADIENT).next_to(facts, UP, buff=0.25, aligned_edge=LEFT)
                      ) if self.answer.means else VGroup()
        self.play(FadeOut(self.prompt), FadeIn(line, shift=LEFT * 0.2), run_time=self.until("rule", theme.NORMAL))
        self.play(lit(line), FadeIn(means))
        self.at("every")
        self.play(FadeIn(self.board.stand(len(self.names) - 1)), run_time=theme.SHORT)
        wins = [i for i, r in enumerate(self.game.reveals) if r.outcome == "win"]
        for n, (fact, i) in enumerate(zip(facts, wins), start=1):  # each win's fact as it is said, its number lit
            self.at(f"fact{n}")
            self.play(FadeIn(fact, shift=UP * 0.1), lit(self.columns.entry(i)), run_time=theme.SHORT)
        self.at("lost")  # and the numbers that lost, none of which fits it
        self.play(lit(*[self.columns.entry(i) for i, r in enumerate(self.game.reveals) if r.outcome == "lose"]))
        self.prompt = VGroup(means, facts)

    @beat
    def compare_with_slides(self):
        """Where the slides' marks and the numbers disagree, the numbers decide; each case with its reason."""
        differences = self.game.differences()
        if not differences:
            self.play(ReplacementTransform(self.prompt, self.bottom_line(AGREE, theme.MUTED)))
            return
        missed = [d for d in differences if d["slide"] == "not marked"]  # the strikes an eye may miss
        heading = cases_heading(len(missed), len(differences) - len(missed))
        blocks = VGroup(self.text("\n".join(textwrap.wrap(heading, WHY_WIDTH)), size=WHY_SIZE, color=theme.MUTED,
                                  line_spacing=0.8))
        for d in differences:  # each with the number that strikes it, or that it still stands
            tag = d["computed"].replace("eliminated by", "✗") if d in missed else "stands"
            head = self.text("\n".join(textwrap.wrap(f"{board_text(d['name'])} {tag}", WHY_WIDTH)),
                             size=WHY_SIZE, color=theme.GRADIENT, weight="BOLD", line_spacing=0.8)
            reason = d["why"] if d in missed else "no revealed number contradicts it"
            why = self.text("\n".join(textwrap.wrap(reason, WHY_WIDTH)), size=WHY_SIZE, color=theme.TEXT,
                            line_spacing=0.8)
            blocks.add(VGroup(head, why))
        left = -config.frame_width / 2 + theme.EDGE_BUFF + 0.15
        top = self.columns.get_top()[1] + 0.5  # up to the title's margin: the cases need the height
        room = (BOARD_CORNER[0] - BOARD_GAP - left, top - (-config.frame_height / 2 + theme.EDGE_BUFF))
        for gap, inner in BLOCK_GAPS:  # roomy if the cases fit so, else tighter before any smaller
            for block in blocks[1:]:
                block.arrange(DOWN, aligned_edge=LEFT, buff=inner)
            light(blocks.arrange(DOWN, aligned_edge=LEFT, buff=gap))
            if blocks.height <= room[1]:
                break
        # inside the board's margin and above the frame's: more cases are made smaller, never run into either
        if blocks.width > room[0] or blocks.height > room[1]:
            blocks.scale(min(room[0] / blocks.width, room[1] / blocks.height))
        blocks.move_to([left, top, 0], aligned_edge=UP + LEFT)
        columns = VGroup(*self.columns.headings.values(), self.columns.rules, *self.columns.entries)
        self.play(FadeOut(columns), FadeOut(self.prompt), FadeIn(blocks[0], shift=LEFT * 0.2))
        self.prompt = None
        lines = [self.names.index(d["name"]) for d in differences]
        for n, (block, line) in enumerate(zip(blocks[1:], lines), start=1):
            self.at(f"case{n}")  # each case as it is named, its line on the board lit (its bar, if struck: dimmed)
            mark = struck[0] if (struck := self.board.struck(line)) else self.board.words(line)
            self.play(FadeIn(block[0], shift=LEFT * 0.2), lit(mark), run_time=theme.SHORT)
        for said, slide in (("cross", "not marked"), ("kept", "eliminated")):
            cases = [k for k, d in zip(lines, differences) if d["slide"] == slide]
            if cases:  # the numbers that struck them, or the lines no number struck, as the voice says so
                self.at(said)
                self.play(lit(*[self.board.struck(k)[1] if self.board.struck(k) else self.board.words(k)
                                for k in cases]))
        self.at("reasons")
        for block in blocks[1:]:
            self.play(FadeIn(block[1], shift=LEFT * 0.2), run_time=theme.SHORT)
        self.at("decide")  # the numbers that decide, on the board
        self.play(lit(self.board.tags))

    @beat
    def what_data_cannot_do(self):
        """What the game teaches: data rule guesses out but never prove the survivor, the fundamental problem."""
        heading = light(self.heading(FUNDAMENTAL))
        said = LESSON[:2] + (LESSON[2:4] if self.rival else NO_RIVAL) + LESSON[4:]
        lines = VGroup(*[VGroup(self.text(line.format(out=len(self.strikes), rival=self.rival and self.rival.name),
                                          size=theme.BODY_SIZE)) for line in said])
        for line, halves in zip(lines[2:4], lesson_halves(self.rival, self.rule, self.game.reveals)):
            for half in halves:
                line.add(self.text(half, size=WHY_SIZE, color=theme.MUTED)
                         .next_to(line[-1], DOWN, buff=0.12).align_to(line[0], LEFT).shift(RIGHT * 0.3))
        light(lines.arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(heading, DOWN, buff=0.5))
        lines.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15)
        lines[-2:].set_color(theme.HIGHLIGHT)
        self.play(*[FadeOut(m) for m in list(self.mobjects)], FadeIn(heading))
        for k, (line, mark) in enumerate(zip(lines, LESSON_MARKS)):
            if k == 4:  # the slide's heading as the voice names it, before what it means for a network
                self.at("fundamental")
                self.play(lit(heading))
            if mark:
                self.at(mark)  # each line as the voice says it, and each half under it (said whole, the
            halves = HALF_MARKS.get(mark, ()) if self.rival else ()  # sorting held one picture still for 21 s)
            self.play(FadeIn(line[0] if halves else line, shift=UP * 0.15), run_time=theme.SHORT)
            for half, half_mark in zip(line[1:], halves):
                if half_mark:
                    self.at(half_mark)
                self.play(FadeIn(half, shift=UP * 0.1), run_time=theme.SHORT)
