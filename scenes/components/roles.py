"""What a mobject is to its slide, for the layout check (README, "Rules every picture keeps").

The check finds text, axes, graphs (``axes.plot``), dots and pictures by their type; what it
cannot tell from the type is said here, by attributes set on the mobject (copies keep them):

- ``curve(m, axes)``: a curve plotted on ``axes`` that is the slide's subject (``axes.plot`` curves
  are found without it); it must span a quarter of the axes' height. ``context(m)``: a curve or
  line drawn for reference (a threshold, a tangent, an old curve), exempt. ``flat(m, label)``: a
  subject curve flat on purpose, with a shown label that says so.
- ``path(m, end=dot, label=text)``: a trajectory; it must not lie under another series, its end
  marker must not be covered, and a path that barely moves carries a label saying so.
- ``named(m, name)``: colours ``m`` with the lecture's one colour for ``name`` (``theme.NAMED``).
- ``highlight(m)``: what the slide asks about; no picture or card may cover it.
- ``schematic(axes)``: axes whose values are not read (no tick values needed).
- ``own_scale(axes)``: panels of one quantity that deliberately keep their own y scales.
- ``kind(m, "cost")``: a shown number of a kind; one number format per kind on a slide.
- ``bar(m, measure, chart)``: a bar whose length stands for ``measure``; one scale per chart.
"""
from __future__ import annotations

from manim import Mobject

from scenes import theme

ROLE = "lecture_role"  # the attribute names the check reads


class Ref:
    """A reference that copies of the tagged mobject share (a deep copy must not copy the axes too)."""

    def __init__(self, target):
        self.target = target

    def __deepcopy__(self, memo):
        return self


def _tag(m: Mobject, **values) -> Mobject:
    setattr(m, ROLE, {**getattr(m, ROLE, {}), **values})
    return m


def role(m: Mobject) -> dict:
    return getattr(m, ROLE, {})


def curve(m: Mobject, axes: Mobject) -> Mobject:
    return _tag(m, curve=True, axes=Ref(axes))


def flat(m: Mobject, label: Mobject) -> Mobject:
    """A subject curve that is flat on purpose; ``label`` (shown beside it) says so."""
    return _tag(m, flat=Ref(label))


def context(m: Mobject) -> Mobject:
    return _tag(m, context=True)


def path(m: Mobject, end: Mobject | None = None, label: Mobject | None = None) -> Mobject:
    return _tag(m, path=True, end=Ref(end), label=Ref(label))


def named(m: Mobject, name: str, fill: bool | None = None) -> Mobject:
    """Colour ``m`` (stroke and fill, or only the one asked for) with ``name``'s colour and tag it."""
    colour = theme.NAMED[name]
    if fill is None:
        m.set_color(colour)
    elif fill:
        m.set_fill(colour)
    else:
        m.set_stroke(colour)
    return _tag(m, name=name)


def highlight(m: Mobject) -> Mobject:
    return _tag(m, highlight=True)


def schematic(axes: Mobject) -> Mobject:
    return _tag(axes, schematic=True)


def own_scale(axes: Mobject) -> Mobject:
    return _tag(axes, own_scale=True)


def kind(m: Mobject, what: str) -> Mobject:
    return _tag(m, kind=what)


def bar(m: Mobject, measure: float, chart: object, along: str = "height") -> Mobject:
    return _tag(m, bar=True, measure=float(measure), chart=id(chart), along=along)
