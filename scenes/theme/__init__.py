"""Colours, fonts and sizes: the one place the lecture's look is set.

The palette is dark unless :func:`use` picks another before the scene modules are imported
(``lecture build --background light`` does, in the CLI and in each render worker): modules
read the colours when they are imported, so nothing here looks at the environment.
"""
from __future__ import annotations

import importlib
import sys

from manim import ManimColor

#: The palettes. ``use("light")`` (``lecture build --background light``) gives the light one,
#: for printed handouts; ``use(name, background)`` with a colour only changes the background.
PALETTES = {
    "dark": {
        "BACKGROUND": "#14161c", "TEXT": "#ECECEC", "MUTED": "#9AA0A6", "PANEL": "#23262f",
        # 3Blue1Brown's convention for weights: blue positive, red negative.
        "POSITIVE": "#58C4DD", "NEGATIVE": "#FC6255",
        # Forward values, backward gradients and local derivatives keep one colour each.
        "VALUE": "#83C167", "GRADIENT": "#FFB347", "LOCAL": "#C59BFF", "HIGHLIGHT": "#FFFF66",
        "NODE_FILL": "#2d3140",
        # Secondary line colours and tinted fills behind content.
        "TEAL": "#5CD0B3", "SKY": "#9CDCEB",
        "BAND_FILL": "#3a4a6b", "RANGE_FILL": "#2a3550", "CURSOR": "#3b3f22",
        "SHADE_LOW": "#1f4a6e", "CONTOUR_LOW": "#2a4d7a", "CONTOUR_HIGH": "#b9d7ff",
        "FACE_1": "#3a4050", "FACE_2": "#2f3a4a", "FACE_3": "#45404f",
        # Okabe-Ito (colour-blind safe): optimisers and deep networks, no red/green or cyan/teal pairs.
        "OI_SKY": "#56B4E9", "OI_PURPLE": "#CC79A7", "OI_VERMILLION": "#D55E00", "OI_GREEN": "#009E73",
        "OI_ORANGE": "#E69F00",
    },
    "light": {
        "BACKGROUND": "#FBFAF7", "TEXT": "#1B1D22", "MUTED": "#5F6368", "PANEL": "#ECEAE4",
        "POSITIVE": "#1F6FB2", "NEGATIVE": "#C8372D",
        "VALUE": "#2F7D32", "GRADIENT": "#B85F00", "LOCAL": "#6D3FC0", "HIGHLIGHT": "#9A6A00",
        "NODE_FILL": "#E3E6EE",
        "TEAL": "#00796B", "SKY": "#3B8FC2",
        "BAND_FILL": "#D3DCEE", "RANGE_FILL": "#DDE4F1", "CURSOR": "#F2E4A8",
        "SHADE_LOW": "#9DBBD8", "CONTOUR_LOW": "#C9DBF0", "CONTOUR_HIGH": "#1F4E8C",
        "FACE_1": "#DCDFE6", "FACE_2": "#D3DCE8", "FACE_3": "#E2DBE8",
        "OI_SKY": "#0072B2", "OI_PURPLE": "#A8437F", "OI_VERMILLION": "#C04F00", "OI_GREEN": "#007A5A",
        "OI_ORANGE": "#A86A00",
    },
}
#: (palette name, background colour or "") in use; kept by ``use()``'s reload of this module.
CHOICE: tuple[str, str] = globals().get("CHOICE", ("dark", ""))
NAME = CHOICE[0]
_palette = dict(PALETTES[NAME], **({"BACKGROUND": CHOICE[1]} if CHOICE[1] else {}))
BACKGROUND = ManimColor(_palette["BACKGROUND"])
TEXT = ManimColor(_palette["TEXT"])
MUTED = ManimColor(_palette["MUTED"])
PANEL = ManimColor(_palette["PANEL"])
POSITIVE = ManimColor(_palette["POSITIVE"])
NEGATIVE = ManimColor(_palette["NEGATIVE"])
VALUE = ManimColor(_palette["VALUE"])
GRADIENT = ManimColor(_palette["GRADIENT"])
LOCAL = ManimColor(_palette["LOCAL"])
HIGHLIGHT = ManimColor(_palette["HIGHLIGHT"])
NODE_FILL = ManimColor(_palette["NODE_FILL"])
TEAL = ManimColor(_palette["TEAL"])
SKY = ManimColor(_palette["SKY"])
BAND_FILL = ManimColor(_palette["BAND_FILL"])
RANGE_FILL = ManimColor(_palette["RANGE_FILL"])
CURSOR = ManimColor(_palette["CURSOR"])
SHADE_LOW = ManimColor(_palette["SHADE_LOW"])
CONTOUR_LOW = ManimColor(_palette["CONTOUR_LOW"])
CONTOUR_HIGH = ManimColor(_palette["CONTOUR_HIGH"])
FACE_FILLS = [ManimColor(_palette[f"FACE_{i}"]) for i in (1, 2, 3)]
OI_SKY, OI_PURPLE, OI_VERMILLION, OI_GREEN, OI_ORANGE = (
    ManimColor(_palette[k]) for k in ("OI_SKY", "OI_PURPLE", "OI_VERMILLION", "OI_GREEN", "OI_ORANGE"))

#: One colour per named thing across the whole lecture (optimisers, quantities, classes, networks, losses).
#: Scenes and components colour a named thing with ``NAMED[name]`` (``components.roles.named``), never otherwise.
NAMED = {
    "gd": OI_SKY, "sgd": OI_PURPLE, "minibatch": OI_VERMILLION, "momentum": OI_GREEN, "adam": OI_ORANGE,
    "g": GRADIENT, "m": POSITIVE, "v": LOCAL, "m_hat": POSITIVE, "v_hat": LOCAL, "step": VALUE,
    "class 0": GRADIENT, "class 1": LOCAL, "blue point": POSITIVE,
    "sigmoid": OI_VERMILLION, "relu": OI_SKY, "residual": OI_GREEN,
    "train": GRADIENT, "test": LOCAL,
}

def sign_color(value: float):
    """The lecture's one rule for a signed number (weights, dot products, entries): blue positive,
    red negative, muted zero (neither)."""
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else MUTED


FONT = "DejaVu Sans"  # ships with every Debian TeX/graphviz install
MONO = "DejaVu Sans Mono"

TITLE_SIZE = 46
HEADING_SIZE = 36
BODY_SIZE = 32
EQUATION_SIZE = 34
LABEL_SIZE = 26
SMALL_SIZE = 22
#: The layout check calls text below this size unreadable at 480p.
MIN_FONT_SIZE = 18
#: The smallest MathTex: capitals 12 px high at 480p, as the layout check wants (LaTeX's glyphs run
#: about 30 % smaller than Text's at one font size, so Text may go down to 20).
MATH_MIN_SIZE = 29

# Layout (manim units; the frame is 14.2 x 8).
EDGE_BUFF = 0.35
LINE_GAP = 0.28
NODE_RADIUS = 0.32
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

from manim import Arrow, Brace, DashedLine, Dot, Line, MarkupText, MathTex, Tex, Text  # noqa: E402

for _cls in (MathTex, Tex, Text, MarkupText, Line, Arrow, DashedLine, Dot, Brace):
    # manim draws unstyled text and lines white, which vanishes on a light page
    _cls.set_default(color=TEXT) if NAME == "light" else _cls.set_default()


def use(name: str = "dark", background: str | None = None) -> None:
    """Draw with palette ``name`` (``background``: a colour for the background only), before scenes are imported.

    Scene and component modules take colours when they are imported (constants, default
    arguments), so changing the palette after one of them was imported is refused.
    """
    if name not in PALETTES:
        raise ValueError(f"theme {name!r}: expected one of {', '.join(PALETTES)}")
    if background:
        ManimColor(background)  # a bad colour fails here, in one line
    choice = (name, background or "")
    if choice == CHOICE:
        return
    this = sys.modules[__name__]
    bound = sorted(m for m, module in list(sys.modules.items())
                   if m.startswith("scenes.") and not m.startswith(("scenes.theme", "scenes.pipeline"))
                   and any(v is this or getattr(v, "__name__", "").startswith("scenes.theme.")
                           for v in vars(module).values()))
    if bound:
        raise RuntimeError(f"theme.use({name!r}) after {bound[0]} was imported with the {CHOICE[0]} palette; "
                           "choose the theme before importing scenes")
    this.CHOICE = choice
    importlib.reload(this)
    for m in [m for m in sys.modules if m.startswith("scenes.theme.")]:
        importlib.reload(sys.modules[m])


def current() -> tuple[str, str]:
    """(palette name, background colour or "") in use: what a render worker is handed."""
    return CHOICE
