"""Data space and data manifold: the height-and-weight data and the hypothetical data fill a thin band of
the plane; trained classifiers all separate the data yet draw different boundaries, disagree about the
blue point far from the data, and the blue point turns out to be a cat."""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    PI,
    RIGHT,
    UP,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowFromPoint,
    Line,
    MathTex,
    RoundedRectangle,
    SVGMobject,
    Text,
    VGroup,
)

from mathcore import manifold
from mathcore.data import asset
from mathcore.display import fmt, tex
from scenes import captions, theme
from scenes.base import LectureScene, beat
from scenes.components import roles
from scenes.components.boundary_plane import BoundaryPlane
from scenes.components.spoken import lit
from scenes.theme import manifolds as look

CAT_SVG = "images/cat.svg"  # in assets/, read through asset() so the renderer tracks it
PLANE_SIZE = (6.3, 5.2)
PLANE_CENTRE = (-2.95, -0.65, 0)  # its axis names keep a quarter unit from the frame's edge
COLUMN_LEFT = 0.6  # the right-hand column: the slide's question on top, notes under it
COLUMN_WIDTH = 5.8
COLUMN_TOP = 2.35
NOTES_TOP = 1.0
ROW_GAP = 0.22
QUESTION_SIZE = 30
HEAT_CELLS = 90  # the shading's grid (the boundaries use the config's finer grid)
BLUE_RADIUS = 0.13
CAT_HEIGHT = 1.0
LOOK_TIME = 1.0  # seconds to look at a new boundary, on top of reading the column
FEATURE_LABELS = {"height_cm": "height (cm)", "weight_kg": "weight (kg)", "x1": "x₁", "x2": "x₂"}


def feature_label(name: str) -> str:
    return FEATURE_LABELS.get(name, name)


def classifier_label(entry: dict) -> str:
    """'logistic regression' or 'MLP seed 3' from mathcore's classifier entry."""
    return "logistic regression" if entry["kind"] == "logistic" else f"MLP seed {entry['seed']}"


def boundary_name(entry: dict) -> str:
    """The short name at a boundary's end: 'LR', or the network's seed."""
    return "LR" if entry["kind"] == "logistic" else str(entry["seed"])


def boundary_colour(k: int):
    """The k-th classifier's boundary colour (a 7th repeats the 1st)."""
    return look.BOUNDARY_COLORS[k % len(look.BOUNDARY_COLORS)]


class DataManifold(LectureScene):
    TITLE = "Data space and data manifold"
    # one boundary colour each, logistic regression's first (a 7th repeats the 1st)
    LIMITS = {"manifold.classifier_seeds": (len(look.BOUNDARY_COLORS) - 1, "seeds")}
    NARRATION = frozenset({"answer"})

    def construct(self):
        self.show_height_weight()
        self.next_slide()
        self.name_the_manifold()
        self.next_slide()
        self.show_hypothetical()
        self.next_slide()
        self.first_boundary()
        self.next_slide()
        self.better_boundaries()
        self.next_slide()
        self.which_is_better()
        self.next_slide()
        self.show_blue_point()
        self.next_slide()
        self.its_a_cat()

    def setup(self):
        super().setup()
        result = manifold.compute(self.cfg)
        self.sets = {d["name"]: d for d in result.datasets}
        self.trained = {name: [c for c in d["classifiers"] if not c["diverged"]] for name, d in self.sets.items()}

    def narration_values(self) -> dict:
        first, rest = self.answer().split(" ", 1)  # the answer's note appears as the words after its first are said
        return {"answer": f"{first} [[answer]]{rest}"}

    def answer(self) -> str:
        """Is one boundary better? Judged on the data, by mathcore's train accuracies of the hypothetical set."""
        entries = self.trained["hypothetical"]
        accuracies = sorted({e["train_accuracy"] for e in entries})
        if len(accuracies) == 1:
            return (f"Not on the data: all {len(entries)} separate it, each with train accuracy "
                    f"{fmt(accuracies[0])}")
        return f"On the data, their train accuracies run from {fmt(accuracies[0])} to {fmt(accuracies[-1])}"

    # --- helpers (not beats) ---

    def plane_for(self, name: str) -> BoundaryPlane:
        data = manifold.make_data(self.cfg, name)
        box = manifold.grid_box(data, self.cfg.manifold.grid_margin)
        plane = BoundaryPlane(data, box, *PLANE_SIZE).move_to(PLANE_CENTRE)
        x_label = self.text(feature_label(data.features[0]), size=theme.LABEL_SIZE, color=theme.MUTED)
        y_label = self.text(feature_label(data.features[1]), size=theme.LABEL_SIZE, color=theme.MUTED)
        x_label.next_to(plane.frame, DOWN, buff=0.12)
        y_label.rotate(PI / 2).next_to(plane.frame, LEFT, buff=0.12)
        plane.axis_labels = VGroup(x_label, y_label)
        return plane

    def notes(self, *lines) -> VGroup:
        """Lines stacked in the right-hand column under the question."""
        group = VGroup(*lines).arrange(DOWN, buff=ROW_GAP, aligned_edge=LEFT)
        return group.move_to([COLUMN_LEFT, NOTES_TOP, 0], aligned_edge=UP + LEFT)

    def question(self, text: str) -> Text:
        """The slide's question at the column's top, on two lines if it is too wide for one."""
        line = self.text(text, size=QUESTION_SIZE, color=theme.HIGHLIGHT)
        if line.width > COLUMN_WIDTH:
            words = text.split()
            half = len(text) / 2
            cut = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - half))
            line = self.text(" ".join(words[:cut]) + "\n" + " ".join(words[cut:]), size=QUESTION_SIZE,
                             color=theme.HIGHLIGHT, line_spacing=0.8)
        return line.move_to([COLUMN_LEFT, COLUMN_TOP, 0], aligned_edge=UP + LEFT)

    def swap_question(self, text: str) -> None:
        new = self.question(text)
        self.play(FadeOut(self.asked, shift=0.2 * UP), FadeIn(new, shift=0.2 * UP), run_time=theme.SHORT)
        self.asked = new

    def legend(self) -> VGroup:
        rows = VGroup(*[
            VGroup(Dot(radius=0.09, color=c), self.text(f"class {k}", size=theme.SMALL_SIZE, color=theme.MUTED))
            .arrange(RIGHT, buff=0.15)
            for k, c in enumerate(look.CLASS_COLORS)
        ]).arrange(RIGHT, buff=0.5)
        return rows.next_to(self.plane.frame, UP, buff=0.12).align_to(self.plane.frame, RIGHT)

    def thickness_line(self, name: str) -> Text:
        return self.text(f"thickness (across / along): {fmt(self.sets[name]['thickness'])}",
                         size=theme.SMALL_SIZE, color=theme.TEXT)

    # --- beats ---

    @beat
    def show_height_weight(self):
        """Two populations in the plane: what is 'wrong' with this data set?"""
        self.title = self.heading(self.TITLE)
        self.subtitle = self.text("Fundamental problem of neural networks", size=theme.LABEL_SIZE, color=theme.MUTED)
        self.subtitle.next_to(self.title, DOWN, buff=0.15).align_to(self.title, LEFT)
        self.plane = self.plane_for("height_weight")
        self.key = self.legend()
        self.asked = self.question("What is 'wrong' with this data set?")
        self.play(FadeIn(self.title), FadeIn(self.subtitle), FadeIn(self.plane.frame))
        self.play(FadeIn(self.plane.data_dots, lag_ratio=0.02), FadeIn(self.key),
                  run_time=self.until("classes", theme.NORMAL))
        self.play(lit(*self.key))
        self.at("wrong")
        self.play(FadeIn(self.asked, shift=0.2 * DOWN), run_time=theme.SHORT)

    @beat
    def name_the_manifold(self):
        """Height and weight: the data fill only a thin band (the data manifold) of the data space."""
        plane = self.plane
        space = self.text("data space: the whole box", size=theme.LABEL_SIZE, color=theme.MUTED)
        self.band = plane.manifold_band()
        on_band = self.text("data manifold: where the data lie", size=theme.LABEL_SIZE, color=look.BLUE_POINT)
        notes = self.notes(space, on_band, self.thickness_line("height_weight"))
        self.play(FadeIn(plane.axis_labels), run_time=self.until("heights", theme.SHORT))
        self.play(lit(*plane.axis_labels))
        self.at("wrong")  # the answer to the question, in so many words
        self.swap_question("What is wrong: the data fill only a thin band of the box")
        self.at("space")
        self.play(plane.frame.animate.set_stroke(theme.TEXT, width=3), FadeIn(space))
        self.at("manifold")
        self.play(FadeIn(self.band), FadeIn(notes[1]), run_time=theme.NORMAL)
        self.bring_to_front(plane.data_dots)
        self.at("thickness")
        self.play(FadeIn(notes[2]), run_time=theme.SHORT)
        self.play(lit(notes[2]))
        self.notes_shown = notes

    @beat
    def show_hypothetical(self):
        """The hypothetical data: two classes along a line, again a thin band of the plane."""
        old = VGroup(self.plane, self.plane.axis_labels, self.band, self.notes_shown)
        self.plane = self.plane_for("hypothetical")
        self.band = self.plane.manifold_band()
        self.play(FadeOut(old), FadeOut(self.key), run_time=theme.SHORT)
        self.swap_question("What is 'wrong' with this data set?")
        self.key = self.legend()
        self.play(FadeIn(self.plane.frame), FadeIn(self.plane.axis_labels), FadeIn(self.key),
                  FadeIn(self.plane.data_dots, lag_ratio=0.03), run_time=self.until("hypothetical", theme.NORMAL))
        name = self.text("hypothetical data", size=theme.LABEL_SIZE, color=theme.TEXT)
        self.notes_shown = self.notes(name, self.thickness_line("hypothetical"))
        self.play(FadeIn(name), run_time=theme.SHORT)
        self.play(FadeIn(self.band), FadeIn(self.notes_shown[1]), run_time=self.until("band", theme.NORMAL))
        self.play(lit(self.notes_shown[1]))
        self.bring_to_front(self.plane.data_dots)

    @beat
    def first_boundary(self):
        """How to draw the decision boundaries? Logistic regression's line splits the plane in two."""
        self.swap_question("how to draw the decision boundaries?")
        self.grid = manifold.decision_grid(self.cfg, "hypothetical", size=HEAT_CELLS)
        self.lines = manifold.boundaries(manifold.decision_grid(self.cfg, "hypothetical"))
        first = self.trained["hypothetical"][0]
        self.shade = self.plane.shading(self.grid.probs[first["name"]])
        self.edge = self.plane.boundary(self.lines[first["name"]], boundary_colour(0))
        self.names = self.boundary_names()
        self.card = self.model_card(first)
        self.play(FadeOut(self.notes_shown), FadeOut(self.band), run_time=theme.SHORT)
        self.add(self.shade, self.plane.data_dots)
        self.play(FadeIn(self.shade), Create(self.edge), run_time=self.until("line", theme.LONG))
        self.play(FadeIn(self.card), FadeIn(self.names[0]), run_time=theme.SHORT)
        self.bring_to_front(self.plane.data_dots)

    def boundary_names(self) -> VGroup:
        """Every classifier's short name at its boundary's end, in its colour, placed once for all beats."""
        entries = self.trained["hypothetical"]
        edges = [self.plane.boundary(self.lines[e["name"]], boundary_colour(k)) for k, e in enumerate(entries)]
        names = [self.text(boundary_name(e), size=theme.LABEL_SIZE, color=boundary_colour(k))
                 for k, e in enumerate(entries)]
        return self.plane.end_names(edges, names, avoid=[*self.plane.axis_labels, self.key])

    def model_card(self, entry: dict) -> VGroup:
        lines = [self.text(classifier_label(entry), size=theme.LABEL_SIZE, color=theme.TEXT),
                 self.text(f"train accuracy {fmt(entry['train_accuracy'])}", size=theme.LABEL_SIZE, color=theme.MUTED)]
        return self.notes(*lines)

    @beat
    def better_boundaries(self):
        """Is this a better boundary? Each small MLP separates the data too, each with its own boundary, in turn."""
        self.swap_question("is this a better boundary?")
        entries = self.trained["hypothetical"][1:]
        self.at("network")
        for k, entry in enumerate(entries, start=1):
            shade = self.plane.shading(self.grid.probs[entry["name"]])
            edge = self.plane.boundary(self.lines[entry["name"]], boundary_colour(k))
            card = self.model_card(entry)
            # the networks share the speech up to its last mark; each card stays long enough to read
            least = captions.reading_time(" ".join(t.original_text for t in card)) + LOOK_TIME
            end = self.mark_time("own")
            slot = max(least, (end - self.renderer.time) / (len(entries) - k + 1) if end is not None else least)
            change = min(theme.NORMAL, slot / 3)
            self.add(shade)  # under the old shading's fade, the boundary and the points
            self.bring_to_front(self.shade, self.edge, self.plane.data_dots)
            self.play(FadeOut(self.shade), FadeIn(shade), FadeOut(self.edge), FadeOut(self.names[k - 1]),
                      FadeOut(self.card), FadeIn(card), run_time=change)
            self.play(Create(edge), FadeIn(self.names[k]), run_time=change)
            self.shade, self.edge, self.card = shade, edge, card
            self.wait(slot - 2 * change)

    @beat
    def which_is_better(self):
        """Is this a better boundary? Not on the data: all separate it alike; they differ only away from it."""
        entries = self.trained["hypothetical"]
        self.edges = VGroup(*[
            self.plane.boundary(self.lines[e["name"]], boundary_colour(k), width=3) for k, e in enumerate(entries)
        ])
        words = self.answer().replace(": ", ":\n", 1).replace(", each", ",\neach", 1)
        self.answered = self.notes(
            self.text(words, size=theme.LABEL_SIZE, color=theme.TEXT, line_spacing=0.9),
            self.text("They differ only where\nthere are no data.", size=theme.LABEL_SIZE, color=theme.HIGHLIGHT,
                      line_spacing=0.9),
        )
        self.play(FadeOut(self.shade), FadeOut(self.card), FadeOut(self.edge), Create(self.edges),
                  FadeIn(VGroup(*self.names[:-1])), run_time=self.until("boundary", theme.NORMAL))
        self.at("answer")
        self.play(FadeIn(self.answered[0], shift=0.2 * UP), run_time=theme.SHORT)
        self.at("differ")  # the data's band: inside it every boundary agrees, outside they fan apart
        self.play(FadeIn(self.answered[1], shift=0.2 * UP), FadeIn(self.band), run_time=theme.SHORT)
        self.bring_to_front(self.edges, self.plane.data_dots)
        self.at("choose")
        self.play(lit(self.plane.data_dots))

    @beat
    def show_blue_point(self):
        """How do you classify the blue point? Every classifier answers, and they disagree."""
        entries = self.trained["hypothetical"]
        blue = self.sets["hypothetical"]["blue_point"]
        self.play(FadeOut(self.answered), run_time=theme.SHORT)
        self.swap_question("how do you classify the blue point?")
        self.blue = Dot(self.plane.to_point(*blue), radius=BLUE_RADIUS, color=look.BLUE_POINT)
        self.blue.set_stroke(theme.TEXT, width=2)
        ring = Circle(radius=3 * BLUE_RADIUS, color=look.BLUE_POINT).move_to(self.blue)
        self.verdicts = self.notes(self.verdict_table(entries))
        self.play(GrowFromPoint(self.blue, self.blue.get_center()), Create(ring),
                  run_time=self.until("blue", theme.SHORT))
        self.play(FadeOut(ring), run_time=theme.SHORT)
        self.at("classifiers")
        self.play(FadeIn(self.verdicts, lag_ratio=0.25), run_time=self.until("disagree", theme.LONG))
        self.play(*[lit(c) for c in self.verdicts[0][5::3]])  # each classifier's answer for the blue point

    def verdict_table(self, entries: list[dict]) -> VGroup:
        """One row per classifier: its boundary's colour, its name, P(class 1) at the blue point and its answer."""
        size, muted = theme.SMALL_SIZE, theme.MUTED
        cells = [VGroup(), self.text("P(class 1)", size=size, color=muted), self.text("class", size=size, color=muted)]
        for k, e in enumerate(entries):
            swatch = Line(ORIGIN, 0.3 * RIGHT, color=boundary_colour(k), stroke_width=5)
            name = VGroup(swatch, self.text(classifier_label(e), size=size, color=theme.TEXT)).arrange(RIGHT, buff=0.12)
            colour = look.CLASS_COLORS[e["blue_label"]]
            cells += [name, MathTex(tex(e["blue_prob"]), font_size=theme.MATH_MIN_SIZE, color=colour),  # 1.7 x 10^-5
                      self.text(str(e["blue_label"]), size=size, color=colour)]
        return VGroup(*cells).arrange_in_grid(cols=3, buff=(0.15, 0.2), col_alignments="lrc")

    @beat
    def its_a_cat(self):
        """It's a cat! The blue point was never near the data, so neither class is right."""
        cat = SVGMobject(str(asset(CAT_SVG)), height=CAT_HEIGHT)
        panel = RoundedRectangle(width=cat.width + 0.25, height=cat.height + 0.2, corner_radius=0.12,
                                 color=look.BLUE_POINT, stroke_width=3).set_fill(theme.PANEL, opacity=1)
        picture = VGroup(panel, cat.move_to(panel))
        shout = self.text("it's a cat!", size=theme.HEADING_SIZE, color=look.BLUE_POINT)
        shout.next_to(self.verdicts, DOWN, buff=0.35, aligned_edge=LEFT)
        moral = self.text("far from the data manifold,\nevery boundary is a guess", size=theme.SMALL_SIZE,
                          color=theme.TEXT).next_to(shout, DOWN, buff=0.25, aligned_edge=LEFT)
        # in the column, beside the words: on the plane it would hide the boundaries where they disagree
        picture.next_to(VGroup(shout, moral), RIGHT, buff=0.3)
        roles.highlight(self.blue)
        self.play(GrowFromPoint(picture, self.blue.get_center()), FadeIn(shout, shift=0.2 * UP), run_time=theme.LONG)
        self.at("manifold")
        self.play(FadeIn(moral), run_time=theme.SHORT)
