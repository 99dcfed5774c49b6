"""Colours, fonts and sizes: the one place the lecture's look is set."""
from __future__ import annotations

from manim import ManimColor

BACKGROUND = ManimColor("#14161c")
TEXT = ManimColor("#ECECEC")
MUTED = ManimColor("#9AA0A6")
PANEL = ManimColor("#23262f")

# 3Blue1Brown's convention for weights: blue positive, red negative.
POSITIVE = ManimColor("#58C4DD")
NEGATIVE = ManimColor("#FC6255")
# Forward values, backward gradients and local derivatives keep one colour each.
VALUE = ManimColor("#83C167")
GRADIENT = ManimColor("#FFB347")
LOCAL = ManimColor("#C59BFF")
HIGHLIGHT = ManimColor("#FFFF66")
NODE_FILL = ManimColor("#2d3140")

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
