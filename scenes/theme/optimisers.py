"""Colours and layout constants of the optimiser scenes (Adam, signs of trouble, vanishing gradient)."""
from __future__ import annotations

from mathcore.config import OPTIMISERS
from scenes import theme

#: One colour per optimiser in the race (and per network in the vanishing-gradient bars).
OPTIMISER_COLORS = {k: theme.NAMED[k] for k in OPTIMISERS}
OPTIMISER_NAMES = {
    "gd": "gradient descent", "sgd": "stochastic GD", "minibatch": "minibatch GD",
    "momentum": "momentum", "adam": "Adam",
}
#: Optimisers fed a noisy gradient: their paths wander, so they are drawn thin, on top of the others.
NOISY = ("sgd", "minibatch")
MINIMUM = theme.TEXT  # the race's minima and its start: no optimiser's colour
START = theme.TEXT
#: Balls rolling along gradient-descent runs from different starts (not a class's colour, not the curve's).
RUN_COLORS = [theme.GRADIENT, theme.LOCAL, theme.VALUE, theme.TEXT, theme.POSITIVE]
NETWORK_COLORS = {k: theme.NAMED[k] for k in ("sigmoid", "relu", "residual")}
CONTOUR_LOW = theme.CONTOUR_LOW
CONTOUR_HIGH = theme.CONTOUR_HIGH
CURSOR = theme.CURSOR  # the algorithm panel's highlight, behind the current line
PLOT_CURVE = theme.GRADIENT

TEX_SIZE = theme.MATH_MIN_SIZE
ALGO_SIZE = theme.MATH_MIN_SIZE  # font size of the algorithm's lines
ALGO_PITCH = 0.43  # distance between the algorithm's lines
VALUE_SIZE = 26
BAR_HEIGHT = 0.22
RACE_SECONDS = 8.0
FAST_FORWARD = 4.0
