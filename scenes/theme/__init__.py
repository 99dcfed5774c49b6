"""Colours, fonts and sizes: the one place the lecture's look is set.

A look is a :class:`Palette`; the module's colour names (``theme.TEXT``, ``theme.NAMED``...) are read
from the palette in use each time they are asked for. It is dark unless :func:`use` picks another before
the scene modules are imported (``lecture build --background light`` does, in the CLI and in each render
worker): scene modules keep colours they read at import, so nothing here looks at the environment.
"""
from __future__ import annotations

import dataclasses
import functools
import sys
from dataclasses import dataclass
from typing import Any

from manim import Arrow, Brace, DashedLine, Dot, Line, ManimColor, MarkupText, MathTex, Tex, Text


@dataclass(frozen=True)
class Palette:
    """One look's colours (hex). The hues are Okabe-Ito's, at a lightness that keeps curves and text in them
    4.5:1 from the background and every pair a named group uses apart under deuteranopia and protanopia."""
    name: str
    background: str
    text: str
    muted: str
    panel: str
    node_fill: str
    # Okabe-Ito's hues (their sky blue is folded into blue: one blue per look)
    orange: str
    blue: str
    bluish_green: str
    yellow: str
    vermillion: str
    reddish_purple: str
    # tinted fills behind content
    band_fill: str
    range_fill: str
    cursor: str
    shade_low: str
    contour_low: str
    contour_high: str
    faces: tuple[str, str, str]  # the three faces of the orthant
    # the classifiers' boundaries after the first (drawn in text colour), on the classes' shading: found to keep
    # CIEDE2000 12 from each other, the classes and the blue point also under deuteranopia and protanopia
    # (tests/scenes/test_palette.py)
    extra_lines: tuple[str, str, str, str]


DARK = Palette(
    name="dark", background="#14161c", text="#ECECEC", muted="#9AA0A6", panel="#23262f", node_fill="#2d3140",
    orange="#ECA515", blue="#59B3F7", bluish_green="#50D4A8", yellow="#F0E442", vermillion="#D55E00",
    reddish_purple="#B86795",
    band_fill="#3a4a6b", range_fill="#2a3550", cursor="#3b3f22", shade_low="#1f4a6e", contour_low="#2a4d7a",
    contour_high="#b9d7ff", faces=("#3a4050", "#2f3a4a", "#45404f"),
    extra_lines=("#64C89B", "#D35937", "#E9FF7A", "#7A6FE9"),
)
#: For printed handouts (``lecture build --background light``): the same hues, darkened to read on paper.
LIGHT = Palette(
    name="light", background="#FBFAF7", text="#1B1D22", muted="#47555B", panel="#ECEAE4", node_fill="#E3E6EE",
    orange="#663E00", blue="#005A98", bluish_green="#008259", yellow="#514A00", vermillion="#C34E00",
    reddish_purple="#782D5A",
    band_fill="#D3DCEE", range_fill="#DDE4F1", cursor="#F2E4A8", shade_low="#9DBBD8", contour_low="#C9DBF0",
    contour_high="#1F4E8C", faces=("#DCDFE6", "#D3DCE8", "#E2DBE8"),
    extra_lines=("#437A4E", "#00005A", "#377A90", "#A62CFF"),
)
PALETTES = {p.name: p for p in (DARK, LIGHT)}
#: What a viewer calls each colour of a look, said when the lecturer names a colour: Okabe-Ito's vermillion
#: looks orange, not red, and their orange, amber on the dark page, brown on paper.
SPOKEN = {
    "dark": {"text": "white", "muted": "grey", "orange": "amber", "blue": "blue", "bluish_green": "green",
             "yellow": "yellow", "vermillion": "orange", "reddish_purple": "pink"},
    "light": {"text": "black", "muted": "grey", "orange": "brown", "blue": "blue", "bluish_green": "green",
              "yellow": "olive", "vermillion": "orange", "reddish_purple": "magenta"},
}

#: What each role is drawn in (a palette field). Blue positive, vermillion negative (3Blue1Brown's weights,
#: without red/green); forward values, backward gradients and local derivatives keep one colour each.
ROLES = {
    "POSITIVE": "blue", "NEGATIVE": "vermillion", "VALUE": "bluish_green", "GRADIENT": "orange",
    "LOCAL": "reddish_purple", "HIGHLIGHT": "yellow",
}
#: One colour per named thing across the whole lecture (optimisers, quantities, classes, networks, losses).
#: Scenes and components colour a named thing with ``NAMED[name]`` (``components.roles.named``), never otherwise.
#: The five racers keep 40 degrees of hue apart (tests/scenes/test_race_map.py): Adam is yellow, not the
#: orange that sat 29 degrees from minibatch's vermillion.
NAMED_ROLES = {
    "gd": "POSITIVE", "sgd": "LOCAL", "minibatch": "NEGATIVE", "momentum": "VALUE", "adam": "HIGHLIGHT",
    "g": "GRADIENT", "m": "POSITIVE", "v": "LOCAL", "m_hat": "POSITIVE", "v_hat": "LOCAL", "step": "VALUE",
    "class 0": "GRADIENT", "class 1": "LOCAL", "blue point": "POSITIVE",
    "sigmoid": "NEGATIVE", "relu": "POSITIVE", "residual": "VALUE",
    "train": "GRADIENT", "test": "LOCAL",
}

#: The palette in use; only use() changes it.
_palette = DARK


@functools.cache
def colours(palette: Palette) -> dict[str, Any]:
    """The module's public colour names for ``palette``: each field and role in capitals as a ManimColor,
    ``FACE_FILLS``, ``EXTRA_LINES`` and ``NAMED``."""
    out: dict[str, Any] = {f.name.upper(): ManimColor(getattr(palette, f.name))
                           for f in dataclasses.fields(palette) if f.name not in ("name", "faces", "extra_lines")}
    out.update({role: out[field.upper()] for role, field in ROLES.items()})
    out["FACE_FILLS"] = [ManimColor(c) for c in palette.faces]
    out["EXTRA_LINES"] = [ManimColor(c) for c in palette.extra_lines]
    out["NAMED"] = {name: out[role] for name, role in NAMED_ROLES.items()}
    return out


def __getattr__(name: str) -> Any:
    """``theme.TEXT`` and the other colour names: the palette in use's."""
    try:
        return colours(_palette)[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def palette() -> Palette:
    """The palette in use."""
    return _palette


def spoken_name(colour) -> str:
    """The word a lecturer says for ``colour``, one of the palette in use's named colours (``SPOKEN``)."""
    wanted = ManimColor(colour).to_hex().upper()
    for field, word in SPOKEN[_palette.name].items():
        if getattr(_palette, field).upper() == wanted:
            return word
    named = ", ".join(SPOKEN[_palette.name])
    raise ValueError(f"{wanted} is not one of the {_palette.name} palette's named colours ({named})")


#: Placeholders every caption may use: ``{negative_colour}`` is the spoken name of the colour NEGATIVE is drawn in.
COLOUR_WORDS = frozenset(f"{role.lower()}_colour" for role in ROLES)


def colour_words() -> dict[str, str]:
    """Each role's ``{<role>_colour}`` placeholder filled with the spoken name of its colour in the palette in use."""
    return {f"{role.lower()}_colour": SPOKEN[_palette.name][field] for role, field in ROLES.items()}


def sign_color(value: float):
    """The lecture's one rule for a signed number (weights, dot products, entries): blue positive,
    vermillion negative, muted zero (neither)."""
    c = colours(_palette)
    return c["POSITIVE"] if value > 0 else c["NEGATIVE"] if value < 0 else c["MUTED"]


FONT = "DejaVu Sans"  # ships with every Debian TeX/graphviz install
MONO = "DejaVu Sans Mono"

TITLE_SIZE = 46
HEADING_SIZE = 36
BODY_SIZE = 32
EQUATION_SIZE = 34
LABEL_SIZE = 26
SMALL_SIZE = 24
#: The smallest Text: capitals 14 px high at 480p, the layout check's floor (MIN_GLYPH_PX).
MIN_FONT_SIZE = 24
#: The smallest MathTex: capitals 14 px high at 480p (LaTeX's glyphs run about 30 % smaller than Text's at
#: one font size).
MATH_MIN_SIZE = 33

# Layout (manim units; the frame is 14.2 x 8).
EDGE_BUFF = 0.35
LINE_GAP = 0.28
NODE_RADIUS = 0.32
#: A stroke of width 1 is this wide in manim units (Cairo draws stroke_width x 0.01 units).
STROKE_UNIT = 0.01
ROW_PITCH = 0.72  # vertical distance between equation rows
PROMPT_BAND = 0.9  # kept free at the bottom for prompts
CHAIN_RULE_PITCH = 1.5  # between lines with fractions
LAG = 0.15
MAX_EDGE_WIDTH = 10.0
MIN_EDGE_WIDTH = 2.0

# Timing (seconds).
SHORT = 0.6
NORMAL = 1.0
LONG = 1.6

_DRAWN_WHITE = (MathTex, Tex, Text, MarkupText, Line, Arrow, DashedLine, Dot, Brace)


def _set_defaults() -> None:
    # manim draws unstyled text and lines white, which vanishes on a light page
    for cls in _DRAWN_WHITE:
        cls.set_default(color=colours(_palette)["TEXT"]) if _palette.name == "light" else cls.set_default()


_set_defaults()


def use(name: str = "dark", background: str | None = None) -> None:
    """Draw with palette ``name`` (``background``: a colour for the background only), before scenes are imported.

    Scene and component modules take colours when they are imported (constants, default
    arguments), so changing the palette after one of them was imported is refused.
    """
    global _palette
    if name not in PALETTES:
        raise ValueError(f"theme {name!r}: expected one of {', '.join(PALETTES)}")
    if background:
        ManimColor(background)  # a bad colour fails here, in one line
    chosen = dataclasses.replace(PALETTES[name], background=background) if background else PALETTES[name]
    if chosen == _palette:
        return
    this = sys.modules[__name__]
    bound = sorted(m for m, module in list(sys.modules.items())
                   if m.startswith("scenes.") and m != __name__ and not m.startswith("scenes.pipeline")
                   and any(v is this or getattr(v, "__name__", "").startswith("scenes.theme.")
                           for v in vars(module).values()))
    if bound:
        raise RuntimeError(f"theme.use({name!r}) after {bound[0]} was imported with the {_palette.name} palette; "
                           "choose the theme before importing scenes")
    _palette = chosen
    _set_defaults()


def current() -> tuple[str, str]:
    """(palette name, background colour or "") in use: what a render worker is handed."""
    base = PALETTES[_palette.name].background
    return _palette.name, "" if _palette.background == base else _palette.background
