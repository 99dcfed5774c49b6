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
from scenes.components import race_map
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


# ---------------------------------------------------------------- every racer's path in sight where they overlap


def in_sight(pts: np.ndarray, width: float, over: list[tuple[np.ndarray, float]]) -> np.ndarray:
    """Per point of a path drawn ``width`` wide: whether, on one side or the other, its stroke RIM / 2 in from its
    edge lies outside the ink (stroke and casing) of every path ``over`` it."""
    normal = race_map._normals(pts)
    seen = np.zeros(len(pts), bool)
    for side in (1, -1):
        edge = pts + side * normal * (width / 2 - race_map.RIM / 2) * race_map.STROKE_UNIT
        clear = np.ones(len(pts), bool)
        for q, w in over:
            q = race_map.resampled(q)
            gap = np.linalg.norm(edge[:, None, :2] - q[None, :, :2], axis=2).min(axis=1)
            clear &= gap > (w / 2 + race_map.OUTLINE) * race_map.STROKE_UNIT
        seen |= clear
    return seen


def away_from_ends(pts: np.ndarray) -> np.ndarray:
    run = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    return np.minimum(run, run[-1] - run) > race_map.TAPER


def line(a, b, n: int = 40) -> np.ndarray:
    return np.linspace([*a, 0.0], [*b, 0.0], n)


def test_a_wide_path_under_a_narrower_one_on_the_same_line_is_moved_into_sight():
    """Gradient descent (14 wide) and Adam (8.7, drawn over it) on one line: unmoved, Adam's ink hides it; moved
    apart, it shows beside Adam along its whole length but its ends, which stay put (the start, its minimum)."""
    gd, adam = line((0, 0), (1.5, -1.5), 14), line((0, 0), (2.5, -2.5), 60)
    widths = {"gd": 14.0, "adam": 8.7}
    assert not in_sight(gd, 14.0, [(adam, 8.7)])[away_from_ends(gd)].any()
    moves = race_map.apart({"gd": gd, "adam": adam}, widths, ["gd", "adam"])
    assert set(moves) == {"gd"}  # the top one stays
    moved = gd + moves["gd"]
    assert in_sight(moved, 14.0, [(adam, 8.7)])[away_from_ends(moved)].all()
    assert np.allclose(moved[[0, -1]], gd[[0, -1]])
    assert np.abs(moves["gd"]).max() <= race_map.MOST_APART


def test_paths_that_only_cross_or_run_apart_stay_where_they_are():
    crossing = {"gd": line((-1, 0), (1, 0)), "adam": line((0, -1), (0, 1))}
    apart_far = {"gd": line((0, 0), (2, 0)), "adam": line((0, 0.5), (2, 0.5))}
    for corners in (crossing, apart_far):
        assert race_map.apart(corners, {"gd": 14.0, "adam": 8.7}, ["gd", "adam"]) == {}


#: Where two racers end in one minimum, their paths circle it together (their end markers show as rings there):
#: that close to a path's end, it may lie under another one.
HOME = 0.3
CROSSING = 0.08  # a path crossing another one hides no longer a stretch of it than this (manim units)


def hidden_stretches(pts: np.ndarray, seen: np.ndarray) -> list[float]:
    """The lengths of the runs of points not ``seen``."""
    step = np.append(np.linalg.norm(np.diff(pts, axis=0), axis=1), 0.0)
    out, length = [], None
    for s, d in zip(seen, step):
        if not s:
            length = (length or 0.0) + d
        elif length is not None:
            out.append(length)
            length = None
    return out + ([length] if length is not None else [])


def test_every_noise_free_racer_of_the_lecture_shows_beside_the_ones_drawn_over_it():
    """The shipped race: gradient descent runs under Adam and momentum from the start, Adam under momentum; each
    shows beside the ones over it all the way, but where one crosses it and around the minimum they share."""
    from mathcore import race, surfaces
    from mathcore.config import DEFAULT_CONFIG, load
    from scenes.components.surface_contours import SurfaceContours

    cfg = load(DEFAULT_CONFIG)
    o = cfg.optim
    surface = SurfaceContours(surfaces.from_config(cfg).grid(o.surface_extent, o.surface_points), 5.0)
    r = race_map.Race(surface, race.race(cfg, "surface").entrants)
    smooth = [n for n in r.order if n not in otheme.NOISY]
    assert smooth[:2] == ["gd", "adam"]  # the overlap the test is about: Adam drawn over gradient descent
    for k, name in enumerate(smooth[:-1]):
        pts = race_map.resampled(r.paths[name].corners)
        over = [(r.paths[m].corners, r.paths[m].width) for m in smooth[k + 1:]]
        mid = away_from_ends(pts) & (np.linalg.norm(pts[:, :2] - pts[-1, :2], axis=1) > HOME)
        seen = in_sight(pts, r.paths[name].width, over) | ~mid
        assert max(hidden_stretches(pts, seen), default=0.0) < CROSSING, name
