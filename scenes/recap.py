"""Recap: what back-propagation computes, the update rule, why minima, batches and Adam, and the data-space ideas."""
from __future__ import annotations

import textwrap

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Create, Dot, FadeIn, FadeOut, MathTex, VGroup

from mathcore import chain, gd, race, rulegame
from mathcore.display import fmt
from mathcore.errors import ConfigError
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components import roles, tex
from scenes.components.cost_curve import CostCurve
from scenes.components.spoken import lit
from scenes.theme.optimisers import OPTIMISER_NAMES

WRAP = 58  # characters per line of a point
PART_WRAP = 68  # of a point in parts: the race's names fit one line
POINT_SIZE = theme.LABEL_SIZE
EQUATION_SIZE = 36
CURVE_SIZE = (8.0, 1.7)  # the update rule's C(w), under its two rates
ESCAPE = 1.3  # length of the arrow of a run that leaves the plot

OPTIMISERS = [
    ("Local minima", "gradient descent stops in the nearest valley, not always the deepest."),
    ("Minibatches", "each batch has its own cost surface: cheap, noisy steps."),
    ("Momentum and Adam", "momentum keeps a running direction; Adam divides each weight's step by the size "
                          "of its recent gradients."),
    ("The race", ("deeper than gradient descent: {deeper}", "not deeper: {not_deeper}")),  # what the race showed
]
DATA_SPACE = [  # in the lecture's order
    ("Rules", "the numbers ruled out {out} of {guesses} guesses here; a rule that fits every number is still "
              "not proved."),
    ("Manifolds", "real data fill only a thin part: a manifold."),
    ("Boundaries", "only as good as the data: away from them, boundaries that fit equally well disagree."),
    ("Approximation", "the network is fine, the data are the problem: too few points, or the wrong range."),
    ("Auto-encoders", "a 1-D latent z is a coordinate along the manifold; the decoder's curve estimates it."),
]
BESIDE_WRAP = 50  # of a point beside its name (five points fit the frame's height so)


def path(plot: CostCurve, run: dict, color) -> VGroup:
    """A descent run's iterates (mathcore's) on the cost curve, joined, as far as the run shows them on the plot;
    an arrow toward its next iterate where it leaves the plot."""
    left = run["left_plot_at"]
    end = left if left is not None else run["shown"] + 1
    points = [plot.point(w, c) for w, c in zip(run["w"][:end], run["cost"][:end])]
    steps = VGroup(*[Dot(p, radius=0.06, color=color) for p in points])
    if len(points) > 1:
        steps.add(plot.polyline(run["w"][:end], run["cost"][:end], color, stroke_width=2))
    if left is not None and left < len(run["w"]):
        toward = plot.point(run["w"][left], run["cost"][left]) - points[-1]
        tip = points[-1] + ESCAPE * toward / np.linalg.norm(toward)
        steps.add(Arrow(points[-1], tip, buff=0, color=color, stroke_width=4))
    return steps


class Recap(LectureScene):
    TITLE = "Recap"
    NARRATION = frozenset({"layers", "output_name", "last_grad_w", "first_grad_w", "good_lr", "w_star",
                           "far_lr", "ruled_out", "guesses", "deeper", "not_deeper"})
    LIMITS = {"chain.w": (4, "layers")}  # one line per layer under the heading

    def construct(self):
        self.what_backprop_computes()
        self.next_slide()
        self.the_update_rule()
        self.next_slide()
        self.why_minima_batches_adam()
        self.next_slide()
        self.the_data_space()

    def setup(self):
        super().setup()
        self.chain = chain.from_config(self.cfg)
        descent = gd.from_config(self.cfg)
        self.curve = descent.curve
        self.descent = {run["behaviour"]: run for run in descent.runs}
        self.w_star = descent.cost["w_star"]
        game = rulegame.from_config(self.cfg)
        answer = self.cfg.rule_game.hidden_rule
        self.guesses = [v for v in game.verdicts if v.hypothesis.id != answer]
        self.ruled_out = sum(v.at is not None for v in self.guesses)
        surface = race.race(self.cfg, "surface")  # the race of EscapingLocalMinima: who ended deeper than GD
        deeper = race.went_deeper(surface)
        self.deeper = [OPTIMISER_NAMES[e["optimiser"]] for e in deeper]
        self.not_deeper = [OPTIMISER_NAMES[e["optimiser"]] for e in surface.entrants
                           if e["optimiser"] != "gd" and e not in deeper]

    def narration_values(self) -> dict:
        c = self.chain
        return {"layers": c.layers, "output_name": f"h{c.layers}", "last_grad_w": c.grad_w[-1],
                "first_grad_w": c.grad_w[0], "good_lr": self.descent["converges"]["lr"], "w_star": self.w_star,
                "far_lr": self.descent["diverges"]["lr"], "ruled_out": self.ruled_out,
                "guesses": len(self.guesses), "deeper": self.deeper or "none", "not_deeper": self.not_deeper or "none"}

    @classmethod
    def check_config(cls, cfg) -> None:
        """The limits, the descent runs the recap names (a good η and one far too large), and a race whose
        gradient descent ends in a minimum (the others are compared with it)."""
        super().check_config(cfg)
        gd_end = {e["optimiser"]: e.get("nearest_minimum") for e in race.race(cfg, "surface").entrants}.get("gd")
        if gd_end is None:
            raise ConfigError(cfg.path, "optim.race", "a race with gradient descent (gd) ending in a minimum: the "
                              "recap compares the others with it", list(cfg.optim.race))
        behaviours = {run["behaviour"] for run in gd.from_config(cfg).runs}
        for needed in ("converges", "diverges"):
            if needed not in behaviours:
                raise ConfigError(cfg.path, "gd.learning_rates", f"a learning rate whose run {needed}: the recap "
                                  "names it", sorted(behaviours))

    def subtitle(self, words: str):
        """The beat's heading under the scene's title."""
        self.title = self.heading(f"{self.TITLE}: {words}")
        return self.title

    def points(self, items, beside: bool = False, **values) -> VGroup:
        """Bold names, each with its point in wrapped lines (under it, or ``beside`` it in a column), down the left
        of the frame; a point given in parts has a text per part (each can light up as it is said)."""
        rows = VGroup()
        for name, point in items:
            head = self.text(name, size=POINT_SIZE, color=theme.HIGHLIGHT, weight="BOLD")
            wrap, point = (WRAP, (point,)) if isinstance(point, str) else (PART_WRAP, point)
            wrap = BESIDE_WRAP if beside else wrap
            parts = VGroup(*[self.text("\n".join(textwrap.wrap(part.format(**values), wrap)), size=POINT_SIZE,
                                       line_spacing=0.9) for part in point])
            body = parts[0] if len(parts) == 1 else parts.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            rows.add(VGroup(head, body).arrange(DOWN, aligned_edge=LEFT, buff=0.12))
        if beside:  # the points in one column right of the widest name
            names = max(row[0].width for row in rows)
            for head, body in rows:
                body.next_to(head, RIGHT, buff=0.35 + names - head.width, aligned_edge=UP)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.28 if beside else 0.4).next_to(self.title, DOWN, buff=0.55)
        return rows.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.3)

    @beat
    def what_backprop_computes(self):
        """One backward pass gives every gradient: each ∂/∂z line reuses the line above, each ∂/∂w line its own."""
        c = self.chain
        top = f"h_{{{c.layers}}}"
        heading = self.subtitle("what back-propagation computes")
        back, grads = VGroup(), VGroup()
        for i in reversed(range(c.layers)):
            k = i + 1
            dz = tex.partial(top, f"z_{{{k}}}")
            via = "" if k == c.layers else rf"{tex.partial(top, f'z_{{{k + 1}}}')}\, w_{{{k + 1}}}\,"
            back.add(MathTex(rf"{dz} = {via}\sigma'(z_{{{k}}}) = {tex.num(c.grad_z[i])}", font_size=EQUATION_SIZE,
                             color=theme.TEXT))
            prev = "x" if k == 1 else f"h_{{{k - 1}}}"
            grads.add(MathTex(rf"{tex.partial(top, f'w_{{{k}}}')} = {dz}\, {prev} = {tex.num(c.grad_w[i])}",
                              font_size=EQUATION_SIZE, color=theme.GRADIENT))
        back.arrange(DOWN, aligned_edge=LEFT, buff=0.35).next_to(heading, DOWN, buff=0.6)
        back.to_edge(LEFT, buff=1.3)
        for g, z in zip(grads, back):  # a column right of the widest line, each on its own line's height
            g.move_to([back.get_right()[0] + 0.9 + g.width / 2, z.get_y(), 0])
        reuse = VGroup(*[Arrow(a.get_left() + LEFT * 0.1, b.get_left() + LEFT * 0.1, buff=0.05,
                               color=theme.HIGHLIGHT, stroke_width=3, path_arc=1.2)
                         for a, b in zip(back[:-1], back[1:])])
        note = self.text("one backward pass: every gradient, each line reusing the line above",
                         size=POINT_SIZE, color=theme.HIGHLIGHT).next_to(back, DOWN, buff=0.6)
        note.to_edge(LEFT, buff=theme.EDGE_BUFF + 0.3)
        self.play(FadeIn(heading))
        self.at("computes")  # the top line as the voice says what is computed, the pass going down as it says so
        self.play(FadeIn(back[0], shift=RIGHT * 0.2), FadeIn(grads[0], shift=RIGHT * 0.2), run_time=theme.SHORT)
        self.at("one")
        for arrow, line, grad in zip(reuse, back[1:], grads[1:]):
            self.play(FadeIn(arrow), FadeIn(line, shift=RIGHT * 0.2), FadeIn(grad, shift=RIGHT * 0.2),
                      run_time=theme.SHORT)
        self.at("reuses")
        self.play(FadeIn(note, shift=UP * 0.15), lit(reuse), run_time=theme.NORMAL)
        for mark, grad in (("last", grads[0]), ("first", grads[-1])):  # each gradient as it is said
            self.at(mark)
            self.play(lit(grad))
        self.shown = VGroup(heading, back, grads, reuse, note)

    @beat
    def the_update_rule(self):
        """Each weight steps against its gradient w ← w − η ∂C/∂w (∂C/∂w chains on ∂h/∂w); a good η, a far one."""
        heading = self.subtitle("the update rule")
        rule = MathTex(r"w \leftarrow w - \eta\," + tex.partial("C", "w"), font_size=EQUATION_SIZE + 10,
                       color=theme.TEXT)
        # the bridge from the last slide: the cost's gradient chains on the output's (its factor in that colour)
        top = f"h_{{{self.chain.layers}}}"
        bridge = MathTex(tex.partial("C", "w"), "=", tex.partial("C", top), r"\cdot", tex.partial(top, "w"),
                         font_size=EQUATION_SIZE, color=theme.TEXT)
        bridge[4].set_color(theme.GRADIENT)
        VGroup(rule, bridge).arrange(RIGHT, buff=1.4).next_to(heading, DOWN, buff=0.9).set_x(0)
        good, far = self.descent["converges"], self.descent["diverges"]
        facts = VGroup(
            self.text(f"η = {fmt(good['lr'])}: settles at the minimum w* = {fmt(self.w_star)}",
                      size=POINT_SIZE, color=theme.POSITIVE),
            self.text(f"η = {fmt(far['lr'])}: far too large, flies away from it", size=POINT_SIZE,
                      color=theme.NEGATIVE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(rule, DOWN, buff=0.8)
        w, cost = self.curve["w"], self.curve["cost"]
        plot = CostCurve(w, cost, (w[0], w[-1]), y_top=max(cost), width=CURVE_SIZE[0], height=CURVE_SIZE[1])
        plot.axes.y_axis.remove(plot.axes.y_axis.numbers)  # a reminder of the shape: its heights would sit on the paths
        roles.schematic(plot.axes)
        plot.next_to(facts, DOWN, buff=0.4).set_x(0)
        paths = [path(plot, run, color) for run, color in ((good, theme.POSITIVE), (far, theme.NEGATIVE))]
        self.play(FadeOut(self.shown), FadeIn(heading), FadeIn(plot))
        self.play(FadeIn(rule, shift=UP * 0.15), run_time=self.until("steps", theme.NORMAL))
        self.play(lit(rule))
        self.at("eta")
        self.play(lit(rule[0][4]))  # η
        self.at("bridge")
        self.play(FadeIn(bridge, shift=LEFT * 0.15), run_time=theme.SHORT)
        for part, mark in ((bridge[2], "cost"), (bridge[4], "factor")):  # each factor as it is said
            self.at(mark)
            self.play(lit(part))
        for mark, fact, steps in zip(("good", "far"), facts, paths):  # each rate's outcome as the voice says it
            self.at(mark)
            self.play(FadeIn(fact, shift=UP * 0.1), Create(steps), run_time=theme.SHORT)
            self.play(lit(fact))
        self.shown = VGroup(heading, rule, bridge, facts, plot, *paths)

    @beat
    def why_minima_batches_adam(self):
        """Why the second half of optimisation: local minima, minibatches, momentum and Adam."""
        heading = self.subtitle("why minima, batches and Adam")
        rows = self.points(OPTIMISERS, deeper=narration.shown(self.deeper or "none"),
                           not_deeper=narration.shown(self.not_deeper or "none"))
        self.play(FadeOut(self.shown), FadeIn(heading))
        self.reveal(rows[:3], ("descent", "batches", "momentum"), ("deepest", "noisy", "adam"))
        self.at("race")  # the race's row, then each of its parts as the voice names who did and did not go deeper
        self.play(FadeIn(rows[3], shift=UP * 0.15), run_time=theme.SHORT)
        for mark, part in zip(("deeper", "not"), rows[3][1]):
            self.at(mark)
            self.play(lit(part))
        self.shown = VGroup(heading, rows)

    def reveal(self, rows, marks, then) -> None:
        """Each row as the voice reaches it, lit again as the voice reaches its point (``then``)."""
        for row, mark, point in zip(rows, marks, then):
            self.at(mark)
            self.play(FadeIn(row, shift=UP * 0.15), run_time=theme.SHORT)
            self.at(point)
            self.play(lit(row[1]))

    @beat
    def the_data_space(self):
        """The data-space ideas: rules never proved by data, manifolds, boundaries, fits and latent coordinates."""
        heading = self.subtitle("the data space")
        rows = self.points(DATA_SPACE, beside=True, out=self.ruled_out, guesses=len(self.guesses))
        self.play(FadeOut(self.shown), FadeIn(heading))
        self.reveal(rows, ("rules", "manifold", "boundary", "approx", "encoder"),
                    ("ruled", "thin", "away", "fine", "estimates"))  # the last near its end: no still talk
        self.shown = VGroup(heading, rows)
