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
    "drawn": hexes([getattr(theme, role) for role in theme.ROLES]) + list(named.values())
             + hexes(manifolds.BOUNDARY_COLORS),
    "spoken": {hexes([theme.colours(theme.palette())[field.upper()]])[0]: word
               for field, word in theme.SPOKEN[theme.palette().name].items()},
    "role_words": {role: (getattr(theme, role).to_hex(), theme.colour_words()[role.lower() + "_colour"])
                   for role in theme.ROLES},
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
    "marks": {
        "ReLU's zeroed counts": hexes(relu.ZEROED_COLORS),
        "boundaries and classes": hexes([*manifolds.BOUNDARY_COLORS, *manifolds.CLASS_COLORS]),
    },
    "manifold": manifold_plane(),
}))
""" % (list(OKABE_ITO),)

#: DataManifold's plane as drawn: what is drawn on it (boundaries, class dots, the blue point) and, as (fill,
#: opacity), what they are drawn over (a classifier's two shaded regions, the data's band).
PLANE_SNIPPET = """
def manifold_plane():
    import numpy as np
    from mathcore.manifold import Dataset
    from scenes.components.boundary_plane import BoundaryPlane
    two = np.array([[0.0, 0.0], [1.0, 1.0]])
    plane = BoundaryPlane(Dataset("two", ("x1", "x2"), two, np.array([0, 1]), two[1]), (0, 1, 0, 1), 4, 4)
    fills = [*plane.shading(np.array([[0.2, 0.8]])), plane.manifold_band()]
    return {"marks": hexes([*manifolds.BOUNDARY_COLORS, *manifolds.CLASS_COLORS, manifolds.BLUE_POINT]),
            "under": [(m.get_fill_color().to_hex(), m.get_fill_opacity()) for m in fills]}
"""
GROUPS_SNIPPET = GROUPS_SNIPPET.replace("hexes = lambda cs: [c.to_hex() for c in cs]\n",
                                        "hexes = lambda cs: [c.to_hex() for c in cs]\n" + PLANE_SNIPPET, 1)


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


#: Thin lines and small dots look less saturated than large fields, and a review of the lecture could not tell
#: orange #ECA515 from vermillion #D55E00 on ReLU's grid (29 degrees of hue apart), a yellow boundary from the
#: amber class-0 dots (28 degrees), or a white boundary from a grey one: colours told apart as thin marks keep
#: this much OKLCH hue between them, and at most one of them is a grey (no hue to tell it by).
MIN_HUE_APART = 40.0
GREY_CHROMA = 0.04


def hue_apart(a: str, b: str) -> float:
    ha, hb = (Color(c).convert("oklch")["hue"] for c in (a, b))
    return abs((ha - hb + 180) % 360 - 180)


def is_grey(c: str) -> bool:
    return Color(c).convert("oklch")["chroma"] < GREY_CHROMA


def test_hue_apart_tells_the_pairs_the_review_confused():
    assert hue_apart("#ECA515", "#D55E00") < MIN_HUE_APART  # ReLU's old "onto an axis" and "onto 0"
    assert hue_apart("#F0E442", "#ECA515") < MIN_HUE_APART  # seed 1's old yellow and class 0
    assert is_grey("#ECECEC") and is_grey("#9AA0A6")  # the logistic's white and seed 4's grey
    assert hue_apart("#0072B2", "#D55E00") > 3 * MIN_HUE_APART


def test_thin_marks_shown_together_differ_in_hue(look):
    close = [(group, a, b, round(hue_apart(a, b))) for group, colours in look["marks"].items()
             for a, b in itertools.combinations(colours, 2)
             if not (is_grey(a) or is_grey(b)) and hue_apart(a, b) < MIN_HUE_APART]
    greys = {group: [c for c in colours if is_grey(c)] for group, colours in look["marks"].items()}
    assert close == [] and {g: c for g, c in greys.items() if len(c) > 1} == {}


#: What people call a colour: the colour-survey names' sRGB centres (xkcd's survey, as matplotlib ships them),
#: for the words a lecturer might say. A grey is named by lightness; a hue by the nearest word's hue.
HUE_WORDS = ("red", "orange", "amber", "brown", "yellow", "olive", "green", "teal", "blue", "violet", "purple",
             "pink", "magenta")
GREY_WORDS = ("white", "grey", "black")
#: Words a hue may be called within this many degrees of the survey's centre,
WORD_HUE_REACH = 30.0
#: and no other word's centre more than this many degrees nearer (teal or green for a bluish green; not red for
#: vermillion, 17 degrees farther than orange).
WORD_HUE_SLACK = 10.0


def survey(word: str) -> str:
    from matplotlib._color_data import XKCD_COLORS

    return XKCD_COLORS["xkcd:" + word]


def test_the_survey_knows_the_confusion():
    """Okabe-Ito's vermillion is, by the survey, orange: saying "red" for it is what the review heard as wrong."""
    assert hue_apart("#D55E00", survey("orange")) < hue_apart("#D55E00", survey("red"))
    assert hue_apart("#0072B2", survey("blue")) < WORD_HUE_REACH


def test_each_spoken_colour_word_names_the_colour_drawn(look):
    """Every spoken name fits its colour (a grey: the nearest grey word by lightness; a hue: within reach of the
    word's survey hue, and about as near as the nearest word), and no other colour of the look is nearer to that
    word, so two are never swapped."""
    spoken = look["spoken"]
    assert len(set(spoken.values())) == len(spoken), spoken
    wrong = []
    for colour, word in spoken.items():
        if is_grey(colour):
            light = Color(colour).convert("oklch")["lightness"]
            nearest = min(GREY_WORDS, key=lambda w: abs(Color(survey(w)).convert("oklch")["lightness"] - light))
            ok = word == nearest
        else:
            hued = [c for c in spoken if not is_grey(c)]
            best = min(hue_apart(colour, survey(w)) for w in HUE_WORDS)
            ok = (word in HUE_WORDS and hue_apart(colour, survey(word)) <= min(WORD_HUE_REACH, best + WORD_HUE_SLACK)
                  and min(hued, key=lambda c: hue_apart(c, survey(word))) == colour)
        if not ok:
            wrong.append((colour, word))
    assert wrong == []


def test_captions_say_the_name_of_the_colour_each_role_is_drawn_in(look):
    """``{negative_colour}`` in a caption is the spoken name of the colour NEGATIVE is drawn in."""
    assert {role: word for role, (colour, word) in look["role_words"].items()
            if look["spoken"].get(colour) != word} == {}


def test_captions_never_name_a_colour_literally():
    """The shipped captions say colours through ``{<role>_colour}`` (or a scene's own colour value), so a palette
    change cannot leave the voice saying a colour that is not drawn; "blue point" is the slides' name for a thing."""
    import re
    import tomllib

    data = tomllib.loads((REPO / "assets" / "captions.toml").read_text(encoding="utf-8"))
    words = re.compile(r"\b(" + "|".join(HUE_WORDS + GREY_WORDS + ("gray", "yellowish", "reddish")) + r")\b", re.I)
    said = [(scene, beat, m.group(0)) for scene, beats in data.items() for beat, text in beats.items()
            for m in words.finditer(re.sub(r"\[\[\w+\]\]|\{\w+\}|blue point", "", text))]
    assert said == []


#: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color vision
#: deficiency", table 1 at severity 1.0: linear RGB as a dichromat sees it.
MACHADO = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
}
#: The marks of the manifold plane (boundaries, classes, the blue point) keep this CIEDE2000 distance from
#: each other for normal vision and under each dichromacy (issue 19).
MIN_DE2000 = 12.0


def seen_by(hex_colour: str, kind: str) -> Color:
    """``hex_colour`` as a dichromat of ``kind`` sees it (MACHADO on linear RGB, clipped to the gamut)."""
    rgb = Color(hex_colour).convert("srgb-linear").coords()
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb)))) for row in MACHADO[kind]]
    return Color("srgb-linear", seen).convert("srgb")


def de2000_apart(a: str, b: str) -> float:
    """The smallest CIEDE2000 distance of ``a`` and ``b`` for normal vision, deuteranopia and protanopia."""
    pairs = [(Color(a), Color(b))] + [(seen_by(a, kind), seen_by(b, kind)) for kind in MACHADO]
    return min(x.delta_e(y, method="2000") for x, y in pairs)


def over(fill: str, opacity: float, background: str) -> str:
    """The colour seen where ``fill`` at ``opacity`` covers ``background`` (sRGB blending, as cairo draws)."""
    return Color.interpolate([background, fill], space="srgb")(opacity).to_string(hex=True)


def test_de2000_and_the_dichromat_model_are_the_published_ones():
    """Sharma, Wu & Dalal (2005)'s CIEDE2000 test pair 1; a dichromat sees greys unchanged and confuses the red and
    green the lecture once drew classes in; the matrices agree with coloraide's own Machado model."""
    assert Color("lab-d65", [50, 2.6772, -79.7751]).delta_e(Color("lab-d65", [50, 0, -82.7485]), method="2000") == (
        pytest.approx(2.0425, abs=1e-4))
    assert seen_by("#777777", "protanopia").to_string(hex=True) == "#777777"
    assert Color("#83C167").delta_e(Color("#FC6255"), method="2000") > 3 * MIN_DE2000
    assert de2000_apart("#83C167", "#FC6255") < MIN_DE2000 / 2
    for colour in ("#ECA515", "#59B3F7", "#B86795", "#50D4A8"):
        for kind, short in (("deuteranopia", "deutan"), ("protanopia", "protan")):
            theirs = Color(colour).filter(short, method="machado").clip()
            assert seen_by(colour, kind).delta_e(theirs, method="2000") < 1.0


def test_the_manifold_plane_s_marks_stay_apart_for_dichromats(look):
    """Every boundary, both classes and the blue point, two by two, >= MIN_DE2000 apart however they are seen."""
    marks = look["manifold"]["marks"]
    pairs = sorted((round(de2000_apart(a, b), 1), a, b) for a, b in itertools.combinations(marks, 2))
    assert pairs[0][0] >= MIN_DE2000, f"closest pairs {pairs[:3]}"


def test_the_manifold_plane_s_marks_stand_out_from_what_they_are_drawn_over(look):
    """Curves and dots 3:1 from the background, from both classes' shaded regions and from the data's band."""
    bg = look["background"]
    under = [bg] + [over(fill, opacity, bg) for fill, opacity in look["manifold"]["under"]]
    worst = sorted((round(contrast(mark, u), 2), mark, u) for mark in look["manifold"]["marks"] for u in under)
    assert worst[0][0] >= CURVE_CONTRAST, f"lowest contrasts {worst[:3]}"
