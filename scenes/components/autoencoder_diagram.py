"""The auto-encoder 2 -> hidden -> 1 -> hidden -> 2 drawn as an encoder funnel, the 1-D latent axis and a
decoder funnel; latent values (mathcore.autoencoder.compute) as positions on the axis and as colours."""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Line, Polygon, Text, VGroup, interpolate_color

from scenes import theme
from scenes.theme import manifolds as look

FUNNEL_WIDTH = 1.6
FUNNEL_WIDE, FUNNEL_NARROW = 2.4, 0.5  # heights of a funnel's two ends
GAP = 0.3  # between a funnel and the latent axis


def latent_color(z: float, lo: float, hi: float):
    """The colour of latent value z on the scale lo..hi (look.LATENT_COLORS from lo to hi)."""
    colors = look.LATENT_COLORS
    u = min(max((z - lo) / (hi - lo), 0.0), 1.0) * (len(colors) - 1)
    k = min(int(u), len(colors) - 2)
    return interpolate_color(colors[k], colors[k + 1], u - k)


def latent_colors(values, lo: float, hi: float) -> list:
    return [latent_color(float(z), lo, hi) for z in values]


def colored_path(points, values, lo: float, hi: float, width: float = 5) -> VGroup:
    """A polyline through screen ``points`` whose pieces take the latent colour of ``values`` (one per point)."""
    pts = [np.asarray(p, dtype=float) for p in points]
    return VGroup(*[
        Line(a, b, stroke_width=width, color=latent_color((float(u) + float(v)) / 2, lo, hi))
        for a, b, u, v in zip(pts[:-1], pts[1:], values[:-1], values[1:])
    ])


def funnel(wide_left: bool) -> Polygon:
    w, a, b = FUNNEL_WIDTH / 2, FUNNEL_WIDE / 2, FUNNEL_NARROW / 2
    left, right = (a, b) if wide_left else (b, a)
    shape = Polygon([-w, -left, 0], [w, -right, 0], [w, right, 0], [-w, left, 0], color=theme.MUTED, stroke_width=2)
    return shape.set_fill(look.NETWORK_FILL, opacity=1)


class AutoencoderDiagram(VGroup):
    """Encoder funnel, latent axis of ``axis_length`` for z in ``z_range``, decoder funnel, centred on the axis."""

    def __init__(self, z_range: tuple[float, float], axis_length: float, layers: tuple[str, str], activation: str,
                 size: int = theme.SMALL_SIZE, layer_size: int = theme.LABEL_SIZE):
        super().__init__()
        self.lo, self.hi = z_range
        self.axis = Line(DOWN * axis_length / 2, UP * axis_length / 2, color=theme.MUTED, stroke_width=3)
        self.encoder = funnel(wide_left=True).next_to(self.axis, LEFT, buff=GAP)
        self.decoder = funnel(wide_left=False).next_to(self.axis, RIGHT, buff=GAP)
        self.names = VGroup(
            Text("encoder", font=theme.FONT, font_size=size, color=theme.TEXT).move_to(self.encoder),
            Text("decoder", font=theme.FONT, font_size=size, color=theme.TEXT).move_to(self.decoder),
            Text("z", font=theme.FONT, font_size=size + 4, color=theme.TEXT, slant="ITALIC")
            .next_to(self.axis, UP, buff=0.12),
        )
        # each under its funnel, flush with the funnel's side at the axis, so the two keep clear of the axis
        self.sizes = VGroup(*[
            VGroup(Text(text, font=theme.FONT, font_size=layer_size, color=theme.MUTED),
                   Text(activation, font=theme.FONT, font_size=layer_size, color=theme.MUTED))
            .arrange(DOWN, buff=0.1).next_to(shape, DOWN, buff=0.15).align_to(shape, side)
            for text, shape, side in zip(layers, (self.encoder, self.decoder), (RIGHT, LEFT))
        ])
        self.add(self.encoder, self.decoder, self.axis, self.names, self.sizes)

    def z_point(self, z: float) -> np.ndarray:
        """Screen point of latent value z on the axis (lo at the bottom)."""
        bottom, top = self.axis.get_start(), self.axis.get_end()
        return bottom + (top - bottom) * (z - self.lo) / (self.hi - self.lo)

    def colored_axis(self, line_values, width: float = 6) -> VGroup:
        """The latent axis in the latent colours (``line_values``: mathcore's latent_line)."""
        return colored_path([self.z_point(z) for z in line_values], line_values, self.lo, self.hi, width)
