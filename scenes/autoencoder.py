"""Auto-encoders: 2-D points near a curve, an encoder squeezing each to one latent number z, a decoder
mapping the latent line back onto a curve through the data; z, as colour, runs along the manifold."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Create,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    ShowPassingFlash,
    Transform,
    TransformFromCopy,
    VGroup,
)

from mathcore import autoencoder
from mathcore.activations import NAMES
from mathcore.display import fmt
from scenes import theme
from scenes.base import LectureScene, beat
from scenes.components.autoencoder_diagram import AutoencoderDiagram, latent_colors
from scenes.components.box_plane import BoxPlane, box_around
from scenes.components.race_map import label_side
from scenes.components.spoken import lit, swell

PLANE_SIDE = 4.0
PLANE_X = 4.6  # the data plane at -PLANE_X, the reconstruction at +PLANE_X
BODY_Y = -0.45
AXIS_LENGTH = 3.6
BOX_MARGIN = 0.08
DOT_RADIUS = 0.055
CAPTION_GAP = 0.2  # between a plane and its caption above it
NOTE_Y = -3.25  # the line of numbers under the picture
CURVE_WIDTH = 5
# the data's opacity under the decoder's curve: enough to stand out from it, and for the darkest of z's
# colours still to be seen at 480p (0.3 nearly lost them), so the curve is seen to run through their middle
DIMMED = 0.65
# the decoder's curve, on both planes: no colour of z's ramp, so the points in that ramp never merge into it
CURVE_COLOR = theme.TEXT
THREAD_WIDTH = 2.5  # that curve on the reconstruction, over its points: thinner than a point, so each shows around it
OUTLINE = 4  # a background-coloured edge each side of that curve, to part it from the points


class AutoencoderLatent(LectureScene):
    TITLE = "Auto-encoders"
    NARRATION = frozenset({"rho"})

    def construct(self):
        self.show_data()
        self.next_slide()
        self.show_network()
        self.next_slide()
        self.encode()
        self.next_slide()
        self.colour_along_manifold()
        self.next_slide()
        self.decode()
        self.next_slide()
        self.manifold_found()

    def setup(self):
        super().setup()
        self.r = autoencoder.compute(self.cfg)
        self.s = self.cfg.autoencoder
        self.lo, self.hi = self.r.latent_line[0], self.r.latent_line[-1]
        self.box = box_around(self.r.points, self.r.true_curve, self.r.decoded_line, self.r.reconstruction,
                              margin=BOX_MARGIN, square=True)

    def narration_values(self) -> dict:
        return {"rho": self.r.spearman_rho}

    # --- helpers (not beats) ---

    def plane(self, x: float, caption: str):
        plane = BoxPlane(self.box, PLANE_SIDE, PLANE_SIDE).move_to([x, BODY_Y, 0])
        label = self.text(caption, size=theme.LABEL_SIZE, color=theme.MUTED).next_to(plane, UP, buff=CAPTION_GAP)
        return plane, label

    def note(self, text: str, color=theme.TEXT):
        return self.text(text, size=theme.LABEL_SIZE, color=color).move_to([0, NOTE_Y, 0])

    def swap_note(self, text: str, color=theme.TEXT, hold: bool = True) -> None:
        new = self.note(text, color)
        self.play(FadeOut(self.caption_line), FadeIn(new), run_time=theme.SHORT)
        self.caption_line = new
        if hold:  # time to read it (a still frame costs next to nothing), unless the voice goes on about it
            self.wait(theme.NORMAL)

    def curve_name(self, curve):
        """"decoder's curve" beside one end of ``curve`` in the data plane, clear of the points and the curve."""
        name = self.text("decoder's curve", size=theme.SMALL_SIZE, color=CURVE_COLOR)
        end = Dot(self.data_plane.to_point(*self.r.decoded_line[0]), radius=0)
        dots, line = np.array([d.get_center() for d in self.dots]), curve.get_anchors()
        half_width = (CURVE_WIDTH + 2 * OUTLINE) * theme.STROKE_UNIT / 2  # the curve's background edge too
        reach = np.r_[np.full(len(dots), DOT_RADIUS), np.full(len(line), half_width)]
        return label_side(name, end, np.vstack([dots, line]), within=self.data_plane, reach=reach)

    # --- beats ---

    @beat
    def show_data(self):
        """2-D data points that lie near a curved, 1-D manifold."""
        self.title = self.heading(self.TITLE)
        subtitle = self.text("Concept of latent spaces, data representation spaces, data manifolds",
                             size=theme.LABEL_SIZE, color=theme.MUTED)
        self.subtitle = subtitle.next_to(self.title, DOWN, buff=0.15).align_to(self.title, LEFT)
        self.data_plane, self.data_caption = self.plane(-PLANE_X, "data space (2-D)")
        self.dots = self.data_plane.dots(self.r.points, theme.TEXT, radius=DOT_RADIUS)
        self.caption_line = self.note(f"{len(self.r.points)} points near a curve")
        self.play(FadeIn(self.title), FadeIn(self.subtitle), FadeIn(self.data_plane), FadeIn(self.data_caption))
        self.play(FadeIn(self.dots, lag_ratio=0.01), FadeIn(self.caption_line), run_time=theme.LONG)

    @beat
    def show_network(self):
        """The auto-encoder: an encoder down to one number z, a decoder back up to two."""
        h = self.s.hidden
        self.net = AutoencoderDiagram((self.lo, self.hi), AXIS_LENGTH, (f"2 → {h} → 1", f"1 → {h} → 2"),
                                      NAMES[self.s.activation]).move_to([0, BODY_Y, 0])
        self.net.shift((BODY_Y - self.net.axis.get_center()[1]) * UP)
        self.latent_caption = self.text("latent space (1-D)", size=theme.LABEL_SIZE, color=theme.MUTED)
        self.latent_caption.align_to(self.data_caption, DOWN)
        self.play(FadeIn(self.net.encoder), FadeIn(self.net.names[0]), FadeIn(self.net.sizes[0]),
                  run_time=self.until("encoder", theme.SHORT))
        self.at("number")
        self.play(Create(self.net.axis), FadeIn(self.net.names[2]), FadeIn(self.latent_caption), run_time=theme.SHORT)
        self.at("decoder")
        self.play(FadeIn(self.net.decoder), FadeIn(self.net.names[1]), FadeIn(self.net.sizes[1]), run_time=theme.SHORT)
        self.at("two")
        self.swap_note("trained to give back its input through one number")

    @beat
    def encode(self):
        """The encoder sends every point to one number z on the latent line, coloured by z."""
        colors = latent_colors(self.r.latent, self.lo, self.hi)
        self.latent_dots = VGroup(*[
            d.copy().set_color(c).move_to(self.net.z_point(z)) for d, c, z in zip(self.dots, colors, self.r.latent)
        ])
        self.coloured_axis = self.net.colored_axis(self.r.latent_line)
        self.play(TransformFromCopy(self.dots, self.latent_dots, path_arc=-0.6),
                  run_time=self.until("number", theme.LONG))
        self.at("coloured")
        self.play(FadeIn(self.coloured_axis), run_time=theme.SHORT)
        self.bring_to_front(self.latent_dots)
        self.swap_note("one latent number z per point")

    @beat
    def colour_along_manifold(self):
        """Back in the data space the colours of z run along the curve: z is a coordinate on the manifold."""
        colors = latent_colors(self.r.latent, self.lo, self.hi)
        self.true_curve = DashedVMobject(self.data_plane.polyline(self.r.true_curve, theme.MUTED, width=2),
                                         num_dashes=40)
        coloured = VGroup(*[d.copy().set_color(c) for d, c in zip(self.dots, colors)])
        # one animation, not one per point
        self.play(Transform(self.dots, coloured), run_time=self.until("curve", theme.LONG))
        self.play(Create(self.true_curve), run_time=theme.NORMAL)
        self.at("coordinate")  # the points, coloured by the coordinate z gives them on the manifold
        self.play(swell(self.dots))
        self.at("sorted")  # the latent line, z in order, as the voice sorts by it
        self.play(swell(self.coloured_axis, self.latent_dots))
        self.at("order")  # a glow runs along the curve: the points' order on it
        self.play(ShowPassingFlash(self.data_plane.polyline(self.r.true_curve, theme.HIGHLIGHT, width=2 * CURVE_WIDTH),
                                   time_width=0.4), run_time=theme.NORMAL)
        self.at("rho")
        self.swap_note(f"rank correlation of z with the place along the curve: {fmt(self.r.spearman_rho)}\n"
                       "(1: sorted by z, the points come in their order along the curve)", hold=False)
        self.at("one")  # what 1 would mean, on the note's second line
        self.play(lit(self.caption_line))

    @beat
    def decode(self):
        """The decoder maps the latent line onto a curve; each point comes back close to where it was."""
        self.recon_plane, self.recon_caption = self.plane(PLANE_X, "reconstruction (2-D)")
        self.recon_caption.align_to(self.data_caption, DOWN)
        plane = self.recon_plane
        # the latent line's colours turn into the curve's own as it maps onto it; the points keep theirs
        self.decoded = plane.polyline(self.r.decoded_line, CURVE_COLOR, width=THREAD_WIDTH)
        recon = plane.dots(self.r.reconstruction, latent_colors(self.r.latent, self.lo, self.hi),
                           radius=DOT_RADIUS)
        self.play(FadeIn(plane), FadeIn(self.recon_caption), run_time=theme.SHORT)
        self.play(TransformFromCopy(self.coloured_axis, self.decoded), run_time=self.until("line", theme.LONG))
        self.at("reconstructed")
        self.play(TransformFromCopy(self.latent_dots, recon, path_arc=-0.6), run_time=theme.LONG)
        self.bring_to_front(self.decoded)  # threaded through the points: each one is seen to sit on the curve
        self.recon = recon
        self.swap_note(f"reconstruction error {fmt(self.r.reconstruction_mse)}, "
                       f"data variance {fmt(self.r.data_variance)}")

    @beat
    def manifold_found(self):
        """The decoder's curve, named, in one colour over the dimmed data: it estimates the data manifold."""
        over = self.data_plane.polyline(self.r.decoded_line, CURVE_COLOR, width=CURVE_WIDTH)
        edge = over.copy().set_stroke(theme.BACKGROUND, width=CURVE_WIDTH + 2 * OUTLINE, opacity=0)
        # edge.animate, not FadeIn: FadeIn would lift the edge over the curve as it starts
        name = self.curve_name(over)
        self.play(FadeOut(self.true_curve), self.dots.animate.set_opacity(DIMMED), edge.animate.set_stroke(opacity=1),
                  TransformFromCopy(self.decoded, over), FadeIn(name), run_time=self.until("curve", theme.LONG))
        self.swap_note("the decoder's curve estimates the data manifold", color=CURVE_COLOR)
        self.at("middle")  # a glow runs along the curve as the voice says where it runs
        self.play(ShowPassingFlash(over.copy().set_stroke(theme.HIGHLIGHT, width=2 * CURVE_WIDTH), time_width=0.4),
                  run_time=theme.LONG)
