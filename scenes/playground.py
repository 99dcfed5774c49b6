"""Activation playground: a small network trained on the playground's data, its weights, decision regions and
train/test loss through the recorded epochs of a real torch run; then "more layers always better?" and the same
network with relu, tanh, sigmoid and linear (mathcore.playground)."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    ShowPassingFlash,
    SurroundingRectangle,
    Transform,
    ValueTracker,
    VGroup,
)

from mathcore import playground
from mathcore.activations import NAMES
from mathcore.display import fmt, tex
from scenes import narration, theme
from scenes.base import LectureScene, beat
from scenes.components.decision_grid import DecisionPanel
from scenes.components.network_diagram import NetworkDiagram, largest_weight
from scenes.components.playground_output import boundary, discrete_image, losses_under, test_rings
from scenes.components.spoken import lit, one_by_one
from scenes.components.train_test_loss import TrainTestLoss
from scenes.theme import networks as ntheme

NET_CENTRE, NET_SIZE = (-4.3, -0.1), (3.9, 3.6)
PANEL_CENTRE, PANEL_SIDE = (0.2, -0.15), 4.2
LOSS_CENTRE, LOSS_SIZE = (4.75, -1.0), (2.9, 2.3)
READOUT_X, READOUT_Y = 2.75, 1.6
CAPTION_Y = -3.55
STEP_TIME = 1.5  # from one recorded epoch to the next
SNAPSHOT_TIME = 0.45  # per snapshot when several runs step together
ROW_SIDE, ROW_GAP, ROW_Y = 2.9, 0.45, 0.15  # the side-by-side panels
LADDER_SIDE, LADDER_GAP = 2.3, 0.4
ROW_GRID = 36  # grid cells per side of the small panels' shading
FACE_GRID = 16  # grid cells per side of a hidden neuron's square
AS_BEFORE = "its output discretized as before"  # every small panel: no panel is nearly black
LOSS_DIGITS = 2  # final losses under the panels and said: two figures tell the runs apart


def layers_text(hidden) -> str:
    if not hidden:
        return "no hidden layer"
    return ("hidden layer " if len(hidden) == 1 else "hidden layers ") + ", ".join(str(h) for h in hidden)


def depth_text(hidden) -> str:
    n = len(hidden)
    return f"{n} layer" + ("" if n == 1 else "s")


def loss(value: float) -> str:
    """A final loss as said and subtitled (the panels write the same figures in TeX)."""
    return fmt(value, LOSS_DIGITS)


class ActivationPlayground(LectureScene):
    TITLE = "Playground"
    LIMITS = {
        "playground.hidden": (2, "hidden layers"),  # the depth ladder, 0 to twice as deep, fits 5 panels across
        "playground.compare_activations": (4, "activations"),  # 4 panels across
    }
    WIDEST = 8  # neurons a hidden layer of the network diagram shows apart (Playground's own limit too)
    NARRATION = frozenset({"depth_tests", "answer", "gap_depth", "closer", "against", "lesson", "gap_train",
                           "gap_test", "activation_names", "activation_tests"})

    @classmethod
    def check_config(cls, cfg) -> None:
        """The limits, and the network diagram's widest layer (mathcore trains any width)."""
        super().check_config(cfg)
        cls.refuse_more(cfg, "playground.hidden", max(cfg.playground.hidden, default=0), cls.WIDEST,
                        "neurons per hidden layer")

    def construct(self):
        self.show_playground()
        self.next_slide()
        self.train_network()
        self.next_slide()
        self.show_test_data()
        self.next_slide()
        self.discretize_output()
        self.next_slide()
        self.ask_architecture()
        self.next_slide()
        self.compare_depths()
        self.next_slide()
        self.answer_depths()
        self.next_slide()
        self.try_activations()
        self.next_slide()
        self.activation_losses()

    def setup(self):
        super().setup()
        self.run = playground.single_run(self.cfg)
        self.X, self.y, self.X_test, self.y_test = playground.data(self.cfg)
        self.depths = playground.depth_runs(self.cfg)
        self.answer = playground.depth_answer(self.depths)  # which depth to name, and whose gap says why
        self.activations = playground.compare_runs(self.cfg)

    def narration_values(self) -> dict:
        """The depth ladder's test losses and what they answer; the activations' test losses (mathcore's runs)."""
        a, best_run, gap_run = self.answer, self.depths[self.answer.best], self.depths[self.answer.gap]
        # each test loss after its own mark: it lights up under its panel as it is said
        test = [loss(r.test_loss[-1]) for r in self.depths if not r.diverged]
        best = depth_text(best_run.hidden)
        answer = (f"Here [[best]]the deepest network, with {best}, also has the lowest test loss" if a.deepest_best
                  else f"So, not always: the network with [[best]]{best} has the lowest test loss")
        gap = depth_text(gap_run.hidden)
        # fitting its training points closer than the best did not test better: compare the two, say so
        lesson = ("A lower [[gap]]training loss did not give a lower test loss: "
                  "it [[learned]]learned its training points, not the problem") if a.fits_closer else (
                  "That [[gap]]gap between training and test loss means it [[learned]]learned its training points, "
                  "not the problem")
        return {"depth_tests": narration.marked("test", test), "answer": answer,
                "gap_depth": f"The [[gaprun]]deepest network, with {gap}," if a.gap_deepest
                else f"The [[gaprun]]network with {gap}",
                "closer": "better, " if a.fits_closer else "",
                "against": f", against {loss(best_run.test_loss[-1])} with {best}" if a.fits_closer else "",
                "lesson": lesson + ".",
                "gap_train": loss(gap_run.train_loss[-1]), "gap_test": loss(gap_run.test_loss[-1]),
                "activation_names": narration.marked("act", [NAMES[r.activation] for r in self.activations]),
                "activation_tests": narration.marked(
                    "atest", [loss(r.test_loss[-1]) for r in self.activations if not r.diverged])}

    def answer_lines(self) -> tuple[str, str, str]:
        """The answer on screen, big; the run whose train/test gap says why (TeX, its losses as the panels); why."""
        a = self.answer
        best, gap = depth_text(self.depths[a.best].hidden), self.depths[a.gap]
        head = (f"The deepest, {best}, is also the best on test data" if a.deepest_best
                else f"Not always: {best} has the lowest test loss")
        who = f"{depth_text(gap.hidden)}" + (" (the deepest)" if a.gap_deepest else "")
        losses = (rf"\text{{{who}: train }} {tex(gap.train_loss[-1], LOSS_DIGITS)}"
                  rf"\text{{, test }} {tex(gap.test_loss[-1], LOSS_DIGITS)}")
        why = ("a lower training loss, not a lower test loss" if a.fits_closer
               else "it fits its training points, not new ones")
        return head, losses, why

    def readouts(self, epoch: int) -> VGroup:
        """Playground's OUTPUT numbers at a recorded epoch."""
        r = self.run
        lines = VGroup(  # TeX, so a tiny loss reads 1.2 x 10^-5, never Python's raw 1.2e-05
            MathTex(rf"\text{{Test loss }} {tex(r.test_loss[epoch])}", font_size=theme.MATH_MIN_SIZE,
                    color=ntheme.TEST_CURVE),
            MathTex(rf"\text{{Training loss }} {tex(r.train_loss[epoch])}", font_size=theme.MATH_MIN_SIZE,
                    color=ntheme.TRAIN_CURVE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        return lines.move_to([READOUT_X, READOUT_Y, 0], aligned_edge=LEFT)

    def faces_at(self, snap: dict) -> VGroup:
        """The hidden neurons' squares at a snapshot: each one's output over the input plane (mathcore's grids)."""
        return self.net.faces_for(playground.neuron_grids(snap["weights"], self.run.activation,
                                                          snap["grid"]["extent"], FACE_GRID))

    def epoch_label(self, epoch: int):
        return self.text(f"Epoch {epoch}", size=theme.LABEL_SIZE, color=theme.MUTED).next_to(
            self.net, DOWN, buff=0.45)

    @beat
    def show_playground(self):
        """The network (weights at epoch 0), the training data and the OUTPUT: test and training loss."""
        r = self.run
        self.title = self.heading(self.TITLE)
        self.subtitle = self.text(f"{r.dataset} data, {r.activation}, {layers_text(r.hidden)}",
                                  size=theme.LABEL_SIZE, color=theme.MUTED)
        self.subtitle.next_to(self.title, RIGHT, buff=0.6).align_to(self.title, DOWN)
        first = r.snapshots[0]
        self.net = NetworkDiagram(r.layers, first["weights"], largest_weight(r.snapshots), *NET_SIZE)
        self.net.move_to([*NET_CENTRE, 0])
        self.faces = self.faces_at(first)
        extent = first["grid"]["extent"]
        self.panel = DecisionPanel(extent, PANEL_SIDE, self.X, self.y).move_to([*PANEL_CENTRE, 0])
        self.shading = self.panel.shading(first["grid"])
        output = self.text("OUTPUT", size=theme.LABEL_SIZE, color=theme.TEXT).next_to(self.panel, UP, buff=0.15)
        self.loss = TrainTestLoss(r.train_loss, r.test_loss, *LOSS_SIZE).move_to([*LOSS_CENTRE, 0])
        self.epoch = ValueTracker(first["epoch"])
        self.curves = self.loss.curves(self.epoch)
        self.numbers = self.readouts(first["epoch"])
        self.epoch_text = self.epoch_label(first["epoch"])
        self.caption = self.text("Colors show data, neuron and weight values.", size=theme.LABEL_SIZE,
                                 color=theme.HIGHLIGHT).move_to([0, CAPTION_Y, 0])
        self.play(FadeIn(self.title), FadeIn(self.subtitle))
        self.play(FadeIn(self.net.nodes), FadeIn(self.net.inputs), FadeIn(self.faces),
                  LaggedStart(*[FadeIn(e) for e in self.net.edges], lag_ratio=0.02))
        self.net.add(self.faces)
        self.bring_to_back(self.shading)
        self.play(FadeIn(self.panel), FadeIn(output), FadeIn(self.shading), FadeIn(self.epoch_text),
                  run_time=theme.SHORT)
        self.play(FadeIn(self.loss), FadeIn(self.numbers), FadeIn(self.caption), run_time=theme.SHORT)
        self.add(self.curves)
        self.bring_to_back(self.shading)
        self.bring_to_front(self.net)
        for mark, named in (("data", self.panel.dots), ("neurons", self.net.nodes)):
            self.at(mark)  # each lights up as the voice names it
            self.play(lit(named))
        self.at("weights")  # a flash runs along the edges (faint ones would be lost in a highlight's fade)
        self.play(ShowPassingFlash(self.net.edges.copy().set_stroke(theme.HIGHLIGHT, 4, 1), time_width=0.6))

    @beat
    def train_network(self):
        """Training through the recorded epochs: weights, decision regions and both losses change together."""
        r = self.run
        for snap in r.snapshots[1:]:
            self.play(self.epoch.animate.set_value(snap["epoch"]),
                      Transform(self.net.edges, self.net.edges_for(snap["weights"])), run_time=STEP_TIME)
            shading = self.panel.shading(snap["grid"])
            self.remove(self.shading)  # the regions swap at once (fading many squares costs more than it shows)
            # drawn first: manim redraws every mobject after the first moving one, each frame
            self.bring_to_back(shading)
            self.bring_to_front(self.net)
            self.shading = shading
            faces = self.faces_at(snap)  # each hidden neuron's own output, as the weights move
            self.net.remove(self.faces).add(faces)
            self.faces = faces
            numbers, epoch_text = self.readouts(snap["epoch"]), self.epoch_label(snap["epoch"])
            self.play(ReplacementTransform(self.numbers, numbers), ReplacementTransform(self.epoch_text, epoch_text),
                      run_time=theme.SHORT)
            self.numbers, self.epoch_text = numbers, epoch_text
        self.last = r.snapshots[-1]

    @beat
    def show_test_data(self):
        """Show test data: the held-out points as rings, with their loss beside the training loss."""
        self.rings = test_rings(self.panel, self.X_test, self.y_test)
        caption = self.text("Show test data", size=theme.LABEL_SIZE, color=theme.HIGHLIGHT).move_to(self.caption)
        self.play(FadeOut(self.caption), FadeIn(caption), self.panel.dots.animate.set_opacity(0.35),
                  LaggedStart(*[FadeIn(c) for c in self.rings], lag_ratio=0.01),
                  run_time=max(theme.NORMAL, self.until("rings", theme.LONG)))
        self.play(lit(self.rings))
        self.caption = caption
        test, train = self.numbers
        for mark, named in (("training", train), ("test", test)):  # each loss's readout as the voice names it
            self.at(mark)
            self.play(lit(named))

    @beat
    def discretize_output(self):
        """Discretize output: each place gets the label the network would give it."""
        image = discrete_image(self.last["grid"], PANEL_SIDE).move_to(self.panel.frame)
        caption = self.text("Discretize output", size=theme.LABEL_SIZE, color=theme.HIGHLIGHT).move_to(self.caption)
        line = boundary(self.last["grid"], PANEL_SIDE).move_to(self.panel.frame)
        self.play(FadeOut(self.caption), FadeIn(caption), run_time=self.until("discretized", theme.SHORT))
        self.remove(self.shading)  # the regions swap at once, as the word is said
        self.bring_to_back(image)
        self.play(lit(caption))
        self.at("flips")  # the boundary drawn where the colour flips
        if line.has_points():
            self.play(Create(line), run_time=theme.NORMAL)
        self.shading, self.caption = image, caption

    @beat
    def ask_architecture(self):
        """Closely related problem: how to design the architecture? More layers always better?"""
        self.remove(self.shading)  # thousands of squares: gone at once, the rest fades
        self.play(*[FadeOut(m) for m in self.mobjects if m is not self.title], run_time=theme.SHORT)
        self.remove(self.curves)
        lines = VGroup(
            self.text("Closely related problem", size=theme.BODY_SIZE, color=theme.MUTED),
            self.text("how to design the architecture?", size=theme.BODY_SIZE),
            self.text("more layers always better?", size=theme.BODY_SIZE, color=theme.HIGHLIGHT),
        ).arrange(DOWN, buff=0.45).move_to([0, 0.3, 0])
        self.play(FadeIn(lines[0], shift=UP * 0.2), run_time=theme.SHORT)
        for line, mark in zip(lines[1:], ("design", "layers")):  # each line as the voice asks it
            self.play(FadeIn(line, shift=UP * 0.2), run_time=self.until(mark, theme.SHORT))
        self.at("think")
        self.play(lit(lines[2]))
        self.question = lines

    def panel_row(self, runs, side: float, names, gap: float = ROW_GAP) -> VGroup:
        """One decision panel per run in a row, each named above."""
        X, y, _, _ = playground.data(self.cfg, runs[0].dataset)
        extent = runs[0].snapshots[0]["grid"]["extent"]
        total = len(runs) * side + (len(runs) - 1) * gap
        panels = VGroup()
        for k, name in enumerate(names):
            p = DecisionPanel(extent, side, X, y).move_to([-total / 2 + side / 2 + k * (side + gap), ROW_Y, 0])
            p.name = self.text(name, size=theme.SMALL_SIZE + 2, color=theme.TEXT).next_to(p, UP, buff=0.15)
            panels.add(p)
        return panels

    def row_shading(self, panel, run: playground.PlaygroundRun, snap: dict):
        """A snapshot's output on a small panel, discretized as the big panel's was, from its weights on a
        coarser grid (fewer squares)."""
        grid = playground.grid_from_weights(snap["weights"], run.activation, snap["grid"]["extent"], ROW_GRID)
        return discrete_image(grid, panel.side).move_to(panel.frame)

    @beat
    def compare_depths(self):
        """The same problem with fewer and more hidden layers: final decision regions, training and test loss."""
        runs = self.depths
        panels = self.panel_row(runs, LADDER_SIDE, [depth_text(r.hidden) for r in runs], LADDER_GAP)
        shading = [self.row_shading(p, r, r.snapshots[-1]) for p, r in zip(panels, runs)]
        losses = losses_under(panels, runs, LOSS_DIGITS)
        deepest = runs[-1]
        width = f", hidden layers {deepest.hidden[0]} neurons wide" if deepest.hidden else ""
        caption = self.text(f"{deepest.dataset} data, {deepest.activation}{width},\n{AS_BEFORE}",
                            size=theme.LABEL_SIZE, color=theme.MUTED).move_to([0, CAPTION_Y + 0.2, 0])
        self.play(FadeOut(self.question[:2]), self.question[2].animate.scale(0.8).next_to(self.title, RIGHT, buff=0.6)
                  .align_to(self.title, DOWN), run_time=theme.SHORT)
        self.bring_to_back(*shading)
        self.play(LaggedStart(*[FadeIn(VGroup(p, p.name)) for p in panels], lag_ratio=0.3),
                  run_time=self.until("more", theme.NORMAL))  # left to right, as the voice says so
        self.play(LaggedStart(*[FadeIn(x) for x in losses], lag_ratio=0.2), FadeIn(caption),
                  run_time=self.until("losses", theme.LONG))
        self.depth_row, self.depth_shading = VGroup(*panels, *[p.name for p in panels], losses, caption), shading
        self.depth_panels, self.depth_losses, self.depth_caption = panels, losses, caption

    @beat
    def answer_depths(self):
        """Not always: the lowest test loss is boxed, and the widest train/test gap says why (the big text)."""
        k_best, k_gap = self.answer.best, self.answer.gap
        box = SurroundingRectangle(VGroup(self.depth_panels[k_best], self.depth_losses[k_best]),
                                   color=theme.HIGHLIGHT, buff=0.1)
        head, losses, why = self.answer_lines()
        lines = VGroup(
            self.text(head, size=theme.BODY_SIZE, color=theme.HIGHLIGHT),
            VGroup(MathTex(losses, font_size=theme.EQUATION_SIZE, color=theme.TEXT),
                   self.text(why, size=theme.BODY_SIZE, color=theme.TEXT)).arrange(DOWN, buff=0.12),
        ).arrange(DOWN, buff=0.2)
        lines.next_to(self.depth_losses, DOWN, buff=0.25)
        if lines.width > 13.2:
            lines.scale_to_fit_width(13.2)
        self.play(FadeOut(self.depth_caption), run_time=theme.SHORT)
        done = [k for k, r in enumerate(self.depths) if not r.diverged]
        one_by_one(self, "test", [self.depth_losses[k][1] for k in done])  # each test loss as it is said
        self.at("best")
        self.play(FadeIn(box), FadeIn(lines[0], shift=UP * 0.15), run_time=theme.NORMAL)
        self.at("gaprun")
        self.play(lit(self.depth_panels[k_gap].name))
        self.at("train")  # the gap's two losses, under their panel, as they are said
        self.play(FadeIn(lines[1], shift=UP * 0.15), lit(self.depth_losses[k_gap][0]), run_time=theme.NORMAL)
        for mark, named in (("test", self.depth_losses[k_gap][1]), ("gap", lines[1]),
                            ("learned", self.depth_panels[k_gap].dots)):  # last, the training points it fits
            self.at(mark)
            self.play(lit(named))
        self.depth_row.add(box, lines)

    @beat
    def try_activations(self):
        """Try this network, run with (1) relu (2) tanh (3) sigmoid (4) linear: all four train together."""
        runs = self.activations
        heading = self.text("try this network, run with", size=theme.BODY_SIZE,
                            color=theme.TEXT).next_to(self.title, RIGHT, buff=0.6).align_to(self.title, DOWN)
        names = [f"({k + 1}) {r.activation}" for k, r in enumerate(runs)]
        panels = self.panel_row(runs, ROW_SIDE, names)
        self.remove(*self.depth_shading)
        self.play(FadeOut(self.depth_row), FadeOut(self.question[2]), FadeIn(heading), *[FadeIn(p) for p in panels],
                  *[FadeIn(p.name) for p in panels], run_time=theme.NORMAL)
        one_by_one(self, "act", [p.name for p in panels])  # each activation's panel as the voice names it
        steps = max(len(r.snapshots) for r in runs)
        shading, label = [], None
        for k in range(steps):
            snaps = [r.snapshots[min(k, len(r.snapshots) - 1)] for r in runs]
            new = [self.row_shading(p, r, s) for p, r, s in zip(panels, runs, snaps)]
            epoch = self.text(f"{runs[0].dataset} data, {layers_text(runs[0].hidden)}, epoch {snaps[0]['epoch']},\n"
                              f"{AS_BEFORE}", size=theme.LABEL_SIZE, color=theme.MUTED)
            epoch.move_to([0, CAPTION_Y + 0.2, 0])  # two lines, off the frame's edge
            self.remove(*shading)
            self.bring_to_back(*new)  # under the panels' points, and not redrawn with the moving epoch label
            self.play(*([FadeOut(label)] if label else []), FadeIn(epoch), run_time=SNAPSHOT_TIME)
            shading, label = new, epoch
        self.compare, self.row_shades = (runs, panels), shading

    @beat
    def activation_losses(self):
        """Where each activation ended, training and test loss, the output discretized (an unsure run shows too)."""
        runs, panels = self.compare
        losses = losses_under(panels, runs, LOSS_DIGITS)
        final = [discrete_image(playground.grid_from_weights(r.snapshots[-1]["weights"], r.activation,
                                                             r.snapshots[-1]["grid"]["extent"], ROW_GRID),
                                p.side).move_to(p.frame) for p, r in zip(panels, runs)]
        self.at("discretized")
        self.remove(*self.row_shades)  # the regions swap at once, as the word is said
        self.bring_to_back(*final)
        done = [k for k, r in enumerate(runs) if not r.diverged]
        self.play(*[FadeIn(x if k not in done else x[0]) for k, x in enumerate(losses)], run_time=theme.NORMAL)
        for n, k in enumerate(done, start=1):  # each test loss as the voice says it, its panel lit with it
            self.at(f"atest{n}")
            # over before the next is said, however short the figures (0.4 is said faster than a SHORT)
            run_time = min(theme.SHORT, self.until(f"atest{n + 1}", theme.SHORT)) if n < len(done) else theme.SHORT
            self.play(FadeIn(losses[k][1]), lit(panels[k].name), run_time=run_time)
        linear = [p for p, r in zip(panels, runs) if r.activation == "linear"]
        if linear:
            self.at("linear")
            self.play(lit(linear[0]))
