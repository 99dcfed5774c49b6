"""Colours and layout constants of the data-manifold and auto-encoder scenes."""
from __future__ import annotations

from scenes import theme

#: Class 0 and class 1 of the manifold data sets; the blue point keeps the slides' blue.
CLASS_COLORS = (theme.NAMED["class 0"], theme.NAMED["class 1"])
BLUE_POINT = theme.NAMED["blue point"]
#: One colour per classifier when their boundaries are drawn together (cycled if there are more): hues apart from
#: each other and from the classes' dots (yellow read as class 0's amber, grey as white), so the palette's three
#: extra line colours.
BOUNDARY_COLORS = (theme.TEXT, theme.VALUE, *theme.EXTRA_LINES)
REGION_SHADE = 0.3  # how strongly a classifier's two regions are tinted
MANIFOLD_FILL = theme.BAND_FILL
#: The auto-encoder's latent coordinate as colour, from its smallest to its largest value.
LATENT_COLORS = (theme.POSITIVE, theme.VALUE, theme.HIGHLIGHT, theme.GRADIENT, theme.NEGATIVE)
NETWORK_FILL = theme.NODE_FILL
