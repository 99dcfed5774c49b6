"""The optimiser race can be told apart: the racers' colours (the lecture's one definition, ``theme.NAMED``, as
``scenes.theme.optimisers`` hands them to the race) differ in hue and stay apart for colour-blind viewers, and
each path reads against the background (issue 19; README "Rules every picture keeps").

The colour science is written out here (not taken from a colour library): Machado, Oliveira & Fernandes (2009)
dichromacy matrices at severity 1 on linear sRGB, Ottosson's Oklab, WCAG 2.1 contrast."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from scenes import theme
from scenes.theme import optimisers as otheme

RACERS = ("gd", "sgd", "minibatch", "momentum", "adam")
#: Thin paths are told apart by hue: this many OKLCH degrees between any two racers (normal vision).
MIN_HUE_APART = 40.0
#: Oklab distance x 100 between any two racers, for normal vision, deuteranopia and protanopia.
MIN_APART = 8.5
#: WCAG 2.1: graphical objects 3:1 against what they are drawn on.
CURVE_CONTRAST = 3.0

#: Machado et al. 2009, Table 1, severity 1.0 (applied to linear sRGB).
MACHADO = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
_LMS = np.array([[0.4122214708, 0.5363325363, 0.0514459929],
                 [0.2119034982, 0.6806995451, 0.1073969566],
                 [0.0883024619, 0.2817188376, 0.6299787005]])
_LAB = np.array([[0.2104542553, 0.7936177850, -0.0040720468],
                 [1.9779984951, -2.4285922050, 0.4505937099],
                 [0.0259040371, 0.7827717662, -0.8086757660]])


def linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def oklab(rgb_linear: np.ndarray) -> np.ndarray:
    return _LAB @ np.cbrt(_LMS @ rgb_linear)


def seen(hex_colour: str, vision: str = "normal") -> np.ndarray:
    """The Oklab colour a viewer with ``vision`` sees (the simulated colour clipped to the screen's gamut)."""
    rgb = linear(hex_colour)
    if vision != "normal":
        rgb = np.clip(MACHADO[vision] @ rgb, 0.0, 1.0)
    return oklab(rgb)


def apart(a: str, b: str) -> float:
    """The smallest Oklab distance (x 100) of ``a`` and ``b`` over normal vision, deuteranopia and protanopia."""
    return min(100 * float(np.linalg.norm(seen(a, v) - seen(b, v))) for v in ("normal", *MACHADO))


def hue_apart(a: str, b: str) -> float:
    ha, hb = (np.degrees(np.arctan2(seen(c)[2], seen(c)[1])) for c in (a, b))
    return float(abs((ha - hb + 180) % 360 - 180))


def contrast(a: str, b: str) -> float:
    lum = [float(np.array([0.2126, 0.7152, 0.0722]) @ linear(c)) for c in (a, b)]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def test_the_measures_tell_the_pairs_that_look_alike():
    """Each measure fails the pairs it is for: cyan and teal (the race's old GD and minibatch), red and green
    under deuteranopia, orange and vermillion by hue; Okabe-Ito's orange and blue pass all."""
    assert apart("#58C4DD", "#5CD0B3") < MIN_APART
    assert apart("#83C167", "#FC6255") < MIN_APART < 100 * float(np.linalg.norm(seen("#83C167") - seen("#FC6255")))
    assert hue_apart("#ECA515", "#D55E00") < MIN_HUE_APART
    assert apart("#E69F00", "#0072B2") > 3 * MIN_APART and hue_apart("#E69F00", "#0072B2") > 3 * MIN_HUE_APART
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert np.allclose(seen("#FFFFFF"), [1, 0, 0], atol=1e-4)  # Oklab's white


def racers(palette: str) -> tuple[dict[str, str], str]:
    """The racers' colours and the background: the race's own (the palette this process draws with) or, for the
    other look, the same names read from that palette."""
    if palette == theme.palette().name:
        return {n: otheme.OPTIMISER_COLORS[n].to_hex() for n in RACERS}, theme.BACKGROUND.to_hex()
    look = theme.colours(theme.PALETTES[palette])
    return {n: look["NAMED"][n].to_hex() for n in RACERS}, look["BACKGROUND"].to_hex()


@pytest.mark.parametrize("palette", ["dark", "light"])
def test_every_pair_of_racers_differs_in_hue(palette):
    colours, _ = racers(palette)
    close = {(a, b): round(hue_apart(colours[a], colours[b]), 1) for a, b in itertools.combinations(RACERS, 2)
             if hue_apart(colours[a], colours[b]) < MIN_HUE_APART}
    assert close == {}


@pytest.mark.parametrize("palette", ["dark", "light"])
def test_every_pair_of_racers_is_apart_for_colour_blind_viewers(palette):
    colours, _ = racers(palette)
    close = {(a, b): round(apart(colours[a], colours[b]), 1) for a, b in itertools.combinations(RACERS, 2)
             if apart(colours[a], colours[b]) < MIN_APART}
    assert close == {}


@pytest.mark.parametrize("palette", ["dark", "light"])
def test_every_racer_reads_against_the_background(palette):
    colours, background = racers(palette)
    low = {n: round(contrast(c, background), 2) for n, c in colours.items() if contrast(c, background) < CURVE_CONTRAST}
    assert low == {}
