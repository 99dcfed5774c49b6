"""The palettes read for everyone: WCAG contrast for text and curves, Okabe-Ito hues, and every group of
colours shown side by side (optimisers, classes, networks, balls, boundaries...) apart under simulated
deuteranopia and protanopia as well as for normal vision."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from coloraide import Color

REPO = Path(__file__).resolve().parents[2]

#: Okabe & Ito (2008), "Color Universal Design": the published colour-blind-safe set.
OKABE_ITO = {"orange": "#E69F00", "blue": "#0072B2", "bluish_green": "#009E73", "yellow": "#F0E442",
             "vermillion": "#D55E00", "reddish_purple": "#CC79A7"}
#: WCAG 2.1 AA: normal text 4.5:1; graphical objects (curves, markers) 3:1.
TEXT_CONTRAST = 4.5
CURVE_CONTRAST = 3.0
#: Two colours shown side by side must differ by this much (Oklab distance x 100) for normal vision and under
#: full deuteranopia and protanopia (Machado 2009). About four just-noticeable differences; cyan #58C4DD beside
#: teal #5CD0B3 (the race's old pair, hard to tell apart) is 7.4.
MIN_APART = 8.5


def luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_colour.lstrip("#")[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def apart(a: str, b: str) -> float:
    """The smallest Oklab distance (x 100) of ``a`` and ``b`` as seen with normal vision, deuteranopia, protanopia."""
    seen = [(Color(a), Color(b))] + [(Color(a).filter(cvd, method="machado").clip(),
                                      Color(b).filter(cvd, method="machado").clip()) for cvd in ("deutan", "protan")]
    return min(x.delta_e(y, method="ok") * 100 for x, y in seen)


def test_contrast_is_wcag_s():
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # WCAG's best-known near miss
    assert contrast("#767676", "#FFFFFF") >= 4.5


def test_apart_tells_the_pairs_that_look_alike():
    assert apart("#58C4DD", "#5CD0B3") < MIN_APART  # cyan and teal
    assert apart("#83C167", "#FC6255") < MIN_APART  # green and red: one colour under deuteranopia
    assert apart("#E69F00", "#0072B2") > 3 * MIN_APART  # Okabe-Ito's orange and blue


GROUPS_SNIPPET = """
import json, sys
from scenes import theme
theme.use(sys.argv[1])
from scenes.theme import manifolds, optimisers, relu
hexes = lambda cs: [c.to_hex() for c in cs]
named = {k: v.to_hex() for k, v in theme.NAMED.items()}
pick = lambda *names: [named[n] for n in names]
print(json.dumps({
    "background": theme.BACKGROUND.to_hex(),
    "text": hexes([theme.TEXT, theme.MUTED]),
    "fills": hexes([theme.PANEL, theme.NODE_FILL]),
    "drawn": hexes([getattr(theme, role) for role in theme.ROLES]) + list(named.values()),
    "okabe_ito": {hue: getattr(theme.palette(), hue) for hue in %r},
    "groups": {
        "optimisers": hexes(optimisers.OPTIMISER_COLORS.values()),
        "adam's quantities": pick("g", "m", "v", "step"),
        "classes": pick("class 0", "class 1", "blue point"),
        "networks": hexes(optimisers.NETWORK_COLORS.values()),
        "train and test": pick("train", "test"),
        "signs": hexes([theme.POSITIVE, theme.NEGATIVE, theme.MUTED]),
        "rolling balls": hexes(optimisers.RUN_COLORS),
        "boundaries": hexes(manifolds.BOUNDARY_COLORS),
        "boundaries and blue point": hexes([*manifolds.BOUNDARY_COLORS[1:], manifolds.BLUE_POINT]),
        "ReLU's zeroed counts": hexes(relu.ZEROED_COLORS),
        "chain: values, gradients, local derivatives, signs": hexes(
            [theme.VALUE, theme.GRADIENT, theme.LOCAL, theme.POSITIVE, theme.NEGATIVE]),
    },
}))
""" % (list(OKABE_ITO),)


@pytest.fixture(scope="module", params=["dark", "light"])
def look(request) -> dict:
    """The colours a fresh process draws with under palette ``dark`` or ``light`` (theme modules take them at
    import, so each look is read in its own process)."""
    done = subprocess.run([sys.executable, "-c", GROUPS_SNIPPET, request.param], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_text_reads_on_the_background_and_on_panels(look):
    low = [(t, f, contrast(t, f)) for t in look["text"] for f in [look["background"], *look["fills"]]
           if contrast(t, f) < TEXT_CONTRAST]
    assert low == []


def test_every_drawn_colour_reads_as_a_curve_and_as_a_label(look):
    """Curves need 3:1; the same colours also write their labels (an optimiser's name in its colour), so 4.5:1."""
    assert CURVE_CONTRAST < TEXT_CONTRAST
    low = sorted({(c, round(contrast(c, look["background"]), 2)) for c in look["drawn"]
                  if contrast(c, look["background"]) < TEXT_CONTRAST})
    assert low == []


def test_the_hues_are_okabe_ito_s(look):
    """Each of the palette's six hues keeps Okabe-Ito's hue (lightness may change to read on the background)."""
    def hue(c: str) -> float:
        return Color(c).convert("oklch")["hue"]

    off = {name: round(abs((hue(c) - hue(OKABE_ITO[name]) + 180) % 360 - 180), 1)
           for name, c in look["okabe_ito"].items()}
    assert {name: d for name, d in off.items() if d > 12} == {}


def test_colours_shown_together_are_apart_for_colour_blind_viewers(look):
    close = [(group, a, b, round(apart(a, b), 1)) for group, colours in look["groups"].items()
             for a, b in itertools.combinations(colours, 2) if apart(a, b) < MIN_APART]
    assert close == []
