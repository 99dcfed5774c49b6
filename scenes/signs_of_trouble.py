"""Signs of trouble: cost-versus-iteration plots of real runs, each labelled with what diagnose() says."""
from __future__ import annotations

from manim import DOWN, LEFT, UP, Create, FadeIn, FadeOut, MathTex, VGroup

from mathcore import trouble
from scenes import theme
from scenes.base import LectureScene
from scenes.components import tex
from scenes.components.history_plot import HistoryPlot

#: diagnose()'s verdicts in the slides' words (headline, what it looks like).
VERDICTS = {
    "stuck": ("Cost not decreasing", "looks like a local minimum"),
    "slow": ("Cost decrease over slowly", "looks like at very flat region\nof cost surface"),
    "increasing": ("Cost actually increasing", "Please check for a bug in your code!!"),
    "diverged": ("Cost stopped being finite", "the run diverged"),
    "fine": ("Cost decreasing", "nothing to worry about"),
}
VERDICT_COLORS = {"stuck": theme.GRADIENT, "slow": theme.POSITIVE, "increasing": theme.NEGATIVE,
                  "diverged": theme.NEGATIVE, "fine": theme.VALUE}
PLOT_WIDTH, PLOT_HEIGHT = 4.6, 2.9
COLUMN_X = (-3.35, 3.6)  # centres of the two plots of a page
PLOT_Y = -1.0


class SignsOfTrouble(LectureScene):
    TITLE = "Signs of trouble"

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

    def show_title(self):
        """Signs of trouble: always look at cost versus iterations plots."""
        self.title = self.heading(self.TITLE)
        self.subtitle = self.text("always look at cost versus iterations plots", size=theme.LABEL_SIZE,
                                  color=theme.MUTED).next_to(self.title, DOWN, buff=0.2).align_to(self.title, LEFT)
        self.play(FadeIn(self.title), FadeIn(self.subtitle, shift=UP * 0.1))

    def panel(self, run: dict, column: int, what: str) -> VGroup:
        """A run's plot with diagnose()'s verdict above it and what the run was below the verdict."""
        headline, looks = VERDICTS[run["diagnosis"]]
        color = VERDICT_COLORS[run["diagnosis"]]
        plot = HistoryPlot(run["cost"], width=PLOT_WIDTH, height=PLOT_HEIGHT)
        plot.move_to([COLUMN_X[column], PLOT_Y, 0])
        words = VGroup(
            self.text(headline, size=theme.LABEL_SIZE + 2, color=color, weight="BOLD"),
            self.text(looks, size=theme.SMALL_SIZE, color=color, line_spacing=0.8),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        detail = MathTex(what, font_size=theme.SMALL_SIZE, color=theme.MUTED)
        detail.next_to(plot, DOWN, buff=0.15).align_to(plot.axes, LEFT)
        words.next_to(plot, UP, buff=0.3).align_to(plot.axes, LEFT)
        return VGroup(plot, words, detail)

    def draw(self, group: VGroup) -> None:
        plot, words, detail = group
        self.play(FadeIn(plot.axes), FadeIn(plot.labels), FadeIn(detail), run_time=theme.SHORT)
        self.play(Create(plot.curve), FadeIn(plot.ends[0], plot.ends[2]), run_time=theme.LONG)
        self.play(FadeIn(plot.ends[1], plot.ends[3]), FadeIn(words, shift=UP * 0.1), run_time=theme.SHORT)

    def descent(self, run: dict) -> str:
        return rf"\text{{gradient descent on }} C(w_1),\ \eta = {tex.num(run['lr'])},\ w_1(0) = {tex.num(run['start'])}"

    def show_stuck(self):
        """A run from the worst basin: diagnose says the cost is not decreasing."""
        run = self.runs["stuck"]
        self.page = VGroup(self.panel(run, 0, self.descent(run)))
        self.draw(self.page[-1])

    def show_slow(self):
        """A run from the flat tail: diagnose says the cost decreases slowly."""
        run = self.runs["slow"]
        self.page.add(self.panel(run, 1, self.descent(run)))
        self.draw(self.page[-1])

    def show_sign_bug(self):
        """The sign bug w1 <- w1 + eta dC/dw1: diagnose says the cost is increasing."""
        run = self.runs["sign_bug"]
        what = rf"\text{{bug: }} w_1 \leftarrow w_1 + \eta\,\partial C/\partial w_1,\ \eta = {tex.num(run['lr'])}"
        self.play(FadeOut(self.page))
        self.page = VGroup(self.panel(run, 0, what))
        self.draw(self.page[-1])

    def show_too_large(self):
        """No bug but too large a learning rate on C(w): the cost climbs as well."""
        run = self.runs["too_large_lr"]
        what = rf"\text{{no bug: }} \eta = {tex.num(run['lr'])} \text{{ too large, }} w(0) = {tex.num(run['start'])}"
        self.page.add(self.panel(run, 1, what))
        self.draw(self.page[-1])
        self.wait(theme.NORMAL)
