"""Colours and layout constants of the ReLU(Wx) scene (ReluTransform)."""
from __future__ import annotations

from scenes import theme

#: Where ReLU sends a point, by how many of its coordinates it zeroes (0: kept, 1: onto a face,
#: 2: onto an axis, 3: onto the origin); "≤ 0", as mathcore.geometry counts a coordinate at 0 as zeroed.
#: The same colour on the input plane and in 3-D; hues far apart, as thin grid lines (orange beside
#: vermillion read as one colour there).
ZEROED_COLORS = [theme.VALUE, theme.POSITIVE, theme.LOCAL, theme.NEGATIVE]
ZEROED_NAMES = ["kept: no coordinate ≤ 0", "onto a face: one ≤ 0", "onto an axis: two ≤ 0", "onto 0: all ≤ 0"]
#: The non-negative orthant's three faces (z_3 = 0, z_1 = 0, z_2 = 0): tints apart, so the corner reads as a corner.
FACE_FILLS = theme.FACE_FILLS
FACE_OPACITY = 0.6
POINT_COLOR = theme.HIGHLIGHT  # x and its images

# Orthographic view of R^3: azimuth and elevation (degrees) of the viewer.
AZIMUTH = 30.0
ELEVATION = 24.0

MATRIX_SIZE = theme.MATH_MIN_SIZE  # numbers in the matrices and vectors
WORK_SIZE = theme.MATH_MIN_SIZE  # the row-by-row dot products
LEGEND_SIZE = theme.SMALL_SIZE
RARE = 0.05  # a colour on fewer than this share of the grid's points is drawn with every grid line through it
GRID_LINES = 10  # about this many grid lines each way (every few points of the mathcore grid)
GRID_STROKE = 2.2
AXIS_STROKE = 2.5
POINT_RADIUS = 0.08
