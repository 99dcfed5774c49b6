"""Signs of trouble: cost-versus-iteration plots of real runs, each labelled with what diagnose() says."""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, MathTex, VGroup

from mathcore import trouble
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components import roles, tex
from scenes.components.history_plot import HistoryPlot
from scenes.components.spoken import lit

#: diagnose()'s verdicts in the slides' words (headline, what it looks like).
VERDICTS = {
    "stuck": ("Cost not decreasing", "looks like a local minimum"),
    "slow": ("Cost decrease over slowly", "looks like at very flat region\nof cost surface"),
    "increasing": ("Cost actually increasing", "Please check for a bug in your code!!"),
    "diverged": ("Cost stopped being finite", "the run diverged"),
    "fine": ("Cost decreasing", "nothing to worry about"),
}
#: What a run looks like when it is not what its verdict usually means (a climb without a bug).
LOOKS = {"too_large_lr": "no bug here:\nthe learning rate is too large"}
VERDICT_COLORS = {"stuck": theme.GRADIENT, "slow": theme.POSITIVE, "increasing": theme.NEGATIVE,
                  "diverged": theme.NEGATIVE, "fine": theme.VALUE}
#: The cost each run's y axis shows (each from its own lowest cost; stuck and slow share one span, so their
#: steepness compares; the others span their own run's costs: their shapes differ, not their scales).
COST_OF = {"stuck": "cost C(w₁)", "slow": "cost C(w₁)", "sign_bug": "cost C(w₁)", "too_large_lr": "cost C(w)"}
PLOT_WIDTH, PLOT_HEIGHT = 4.9, 2.45
TICK_ROOM = 1.0  # left of a plot's y axis, for its tick values
CENTRE_SHIFT = 3.45  # a page's first panel waits in the middle until the second comes
COLUMN_LEFT = (-6.35, 0.55)  # left edges of the two panels of a page
WORDS_TOP = 2.3  # the verdicts' top, under the subtitle
AXES_TOP = 0.5  # the plots' top, under verdicts of up to three lines
DETAIL_SIZE = theme.MATH_MIN_SIZE


class SignsOfTrouble(LectureScene):
    TITLE = "Signs of trouble"
    NARRATION = frozenset({"bug_climb", "stuck_first", "stuck_last", "fine_last", "slow_slope"})

    def construct(self):
        self.show_title()
        self.next_slide()
        self.show_stuck()
        self.next_slide()
        self.show_slow()
        self.next_slide()
        self.show_sign_bug()
        self.next_slide()
        self.show_too_large()

    def setup(self):
        super().setup()
        self.runs = {r["name"]: r for r in trouble.runs(self.cfg)}

    def narration_values(self) -> dict:
        """What the narration says: the stuck run's first and last cost against where a run from another basin
        ends; how many iterations the sign bug's cost climbs for (mathcore's rise_end); the slow run's last change."""
        stuck, fine = self.runs["stuck"]["cost"], self.runs["fine"]["cost"]
        return {"bug_climb": trouble.rise_end(self.runs["sign_bug"]["cost"]), "stuck_first": stuck[0],
                "stuck_last": stuck[-1], "fine_last": fine[-1],
                "slow_slope": trouble.end_slope(self.runs["slow"]["cost"])}

    @beat
    def show_title(self):
        """Signs of trouble: always look at cost versus iterations plots."""
        self.title = self.heading(self.TITLE)
        self.subtitle = self.text("always look at cost versus iterations plots", size=theme.LABEL_SIZE,
                                  color=theme.MUTED).next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        self.play(FadeIn(self.title))
        self.at("watch")  # what to watch, as the voice says it
        self.play(FadeIn(self.subtitle, shift=UP * 0.1))

    def panel(self, run: dict, column: int, what: list[str], upto: int | None = None,
              span: float | None = None) -> VGroup:
        """A run's plot (y axis from its own lowest cost, over its costs or ``span``; iterations 0..``upto``) with
        diagnose()'s verdict above it and what the run was under it."""
        headline, looks = VERDICTS[run["diagnosis"]]
        looks = LOOKS.get(run["name"], looks)
        color = VERDICT_COLORS[run["diagnosis"]]

        def plot_of(width: float) -> HistoryPlot:
            return HistoryPlot(run["cost"], COST_OF[run["name"]], width=width, height=PLOT_HEIGHT, upto=upto,
                               span=span)

        plot = plot_of(PLOT_WIDTH)
        overhang = plot.axes.get_left()[0] - plot.get_left()[0] - TICK_ROOM
        if overhang > 0:  # long tick values (10^k) left of the y axis: a narrower plot keeps the panel in its column
            plot = plot_of(PLOT_WIDTH - overhang)
        words = VGroup(
            self.text(headline, size=theme.LABEL_SIZE + 2, color=color, weight="BOLD"),
            self.text(looks, size=theme.SMALL_SIZE, color=color, line_spacing=0.8),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        detail = VGroup(*[MathTex(line, font_size=DETAIL_SIZE, color=theme.MUTED) for line in what])
        detail.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        plot.shift([COLUMN_LEFT[column] - plot.get_left()[0], AXES_TOP - plot.axes.get_top()[1], 0])
        words.move_to([COLUMN_LEFT[column], WORDS_TOP, 0], aligned_edge=UP + LEFT)
        detail.next_to(plot, DOWN, buff=0.1).align_to(plot, LEFT)
        if span is not None:  # to a shared span a slow fall is low on purpose: its verdict says so
            roles.flat(plot.curve, words[0])
        return VGroup(words, plot, detail)

    def draw(self, group: VGroup, *with_axes) -> None:
        """The headline and axes, then the curve drawn while the voice describes it, and what it looks like
        as the voice says so (``looks``)."""
        words, plot, detail = group
        self.play(*with_axes, FadeIn(plot.axes), FadeIn(plot.labels), FadeIn(detail),
                  FadeIn(words[0], shift=UP * 0.1), run_time=theme.SHORT)
        self.play(Create(plot.curve), FadeIn(plot.ends[0]), run_time=max(theme.SHORT, self.until("looks", theme.LONG)))
        self.play(FadeIn(plot.ends[1]), FadeIn(plot.values), FadeIn(words[1], shift=UP * 0.1), run_time=theme.SHORT)


    @staticmethod
    def tick_values(plot: HistoryPlot) -> VGroup:
        """The plot's tick numbers: iterations 0 and the last, then the costs."""
        return VGroup(*[m for m in plot.labels[2] if isinstance(m, MathTex)])

    def descent(self, run: dict) -> list[str]:
        return [r"\text{gradient descent on } C(w_1)",
                rf"\eta = {tex.num(run['lr'])},\ \ w_1(0) = {tex.num(run['start'])}"]

    @beat
    def show_stuck(self):
        """A run from the worst basin: diagnose says the cost is not decreasing."""
        run = self.runs["stuck"]
        # stuck and slow to one cost span: a slow fall then looks gentle beside a drop that stops
        self.span = trouble.shared_span(run["cost"], self.runs["slow"]["cost"])
        self.page = VGroup(self.panel(run, 0, self.descent(run), span=self.span).shift(CENTRE_SHIFT * RIGHT))
        self.draw(self.page[-1])
        plot = self.page[-1][1]
        self.at("axis")  # the cost axis as the voice names it, then its values as it says to read them
        self.play(lit(plot.axes.y_axis, plot.labels[1]))
        self.at("values")
        self.play(lit(self.tick_values(plot)[2:]))
        for k, mark in enumerate(("first", "last")):  # the first and last cost as the voice says them
            self.at(mark)
            self.play(lit(*plot.end_value(k)))
        # what "stuck" means: a start in another basin ends far lower than this plateau
        self.better = MathTex(rf"\text{{another start ends at }} {tex.num(self.runs['fine']['cost'][-1])}",
                              font_size=DETAIL_SIZE, color=VERDICT_COLORS["fine"])
        words = self.page[-1][0]  # under the verdict, outside the plot: inside, it read as a level on the axis
        self.better.next_to(words, DOWN, buff=0.15).align_to(words, LEFT)
        self.at("better")
        self.play(FadeIn(self.better, shift=LEFT * 0.1), run_time=theme.SHORT)
        self.at("another")  # the other start's end, lit as the voice names its basin
        self.play(lit(self.better))

    @beat
    def show_slow(self):
        """A run from the flat tail: diagnose says the cost decreases slowly."""
        run = self.runs["slow"]
        self.page.add(self.panel(run, 1, self.descent(run), span=self.span))
        self.draw(self.page[-1], self.page[0].animate.shift(CENTRE_SHIFT * LEFT), FadeOut(self.better))
        plot, last = self.page[-1][1], len(run["cost"]) - 1
        self.at("scale")  # the two cost axes, one span
        self.play(lit(self.page[0][1].axes.y_axis, plot.axes.y_axis))
        # where it ends, it is still going down: the last iteration's change (mathcore's), pointed at its end
        note = VGroup(MathTex(rf"\text{{still falling at }} t = {last}\text{{:}}", font_size=DETAIL_SIZE),
                      MathTex(rf"C(t) - C(t - 1) = {tex.num(trouble.end_slope(run['cost']))}",
                              font_size=DETAIL_SIZE)).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        note.set_color(VERDICT_COLORS["slow"]).next_to(plot.ends[1], UP, buff=0.55).align_to(plot.axes, RIGHT)
        end = plot.ends[1].get_center()  # pointed at from straight above: not along the curve
        pointer = Arrow([end[0], note.get_bottom()[1], 0], end, buff=0.1, stroke_width=2.5,
                        color=VERDICT_COLORS["slow"], max_tip_length_to_length_ratio=0.3, tip_length=0.15)
        self.play(FadeIn(note[0]), FadeIn(pointer), run_time=self.until("still", theme.SHORT))
        self.play(FadeIn(note[1]), run_time=self.until("slope", theme.SHORT))  # the change, lit while it is said
        self.play(lit(note[1], run_time=self.until("last", theme.SHORT)))
        self.play(lit(plot.ends[1]))  # "in the last iteration": where the run ends
        self.page.add(VGroup(note, pointer))  # goes with the page

    @beat
    def show_sign_bug(self):
        """The sign bug w1 <- w1 + eta dC/dw1: diagnose says the cost is increasing."""
        run = self.runs["sign_bug"]
        what = [r"\text{bug: } w_1 \leftarrow w_1 + \eta\,\partial C/\partial w_1", rf"\eta = {tex.num(run['lr'])}"]
        self.play(FadeOut(self.page))
        # drawn over the iterations where it climbs (after them it is flat: 200 would squeeze the climb)
        upto = trouble.rise_end(run["cost"])
        self.page = VGroup(self.panel(run, 0, what, upto).shift(CENTRE_SHIFT * RIGHT))
        self.draw(self.page[-1])
        self.at("sign")
        self.play(lit(self.page[-1][2][0]))  # the bug's line
        self.at("climb")
        self.play(lit(self.tick_values(self.page[-1][1])[1]))  # the last iteration drawn: where the climb ends

    @beat
    def show_too_large(self):
        """No bug but too large a learning rate on C(w): the cost climbs as well."""
        run = self.runs["too_large_lr"]
        what = [rf"\text{{no bug: }} \eta = {tex.num(run['lr'])} \text{{ too large}}",
                rf"w(0) = {tex.num(run['start'])}"]
        self.page.add(self.panel(run, 1, what))
        self.draw(self.page[-1], self.page[0].animate.shift(CENTRE_SHIFT * LEFT))
        self.at("eta")
        self.play(lit(self.page[-1][2][0]))  # its η, too large
        self.wait(theme.NORMAL)
