"""Colours and layout constants of the data-manifold and auto-encoder scenes."""
from __future__ import annotations

from scenes import theme

#: Class 0 and class 1 of the manifold data sets; the blue point keeps the slides' blue.
CLASS_COLORS = (theme.NAMED["class 0"], theme.NAMED["class 1"])
BLUE_POINT = theme.NAMED["blue point"]
#: One colour per classifier when their boundaries are drawn together (cycled if there are more): logistic
#: regression's in text colour, the networks' in the palette's extra line colours, apart from each other and from
#: the classes' dots and the blue point for colour-blind viewers too (each is also named at its end).
BOUNDARY_COLORS = (theme.TEXT, *theme.EXTRA_LINES)
#: How strongly a classifier's two regions are tinted: light enough that every boundary and dot keeps 3:1
#: contrast over them (0.3 left the networks' lines 2.5:1 over class 0's region).
REGION_SHADE = 0.18
MANIFOLD_FILL = theme.BAND_FILL
#: The auto-encoder's latent coordinate as colour, from its smallest to its largest value.
LATENT_COLORS = (theme.POSITIVE, theme.VALUE, theme.HIGHLIGHT, theme.GRADIENT, theme.NEGATIVE)
NETWORK_FILL = theme.NODE_FILL
