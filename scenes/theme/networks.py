"""Colours and sizes of the network scenes (activation playground, universal approximation)."""
from __future__ import annotations

from scenes import theme

TRAIN_CURVE = theme.NAMED["train"]  # training loss
TEST_CURVE = theme.NAMED["test"]  # test loss (and the test points' rings)
ACTUAL = theme.TEXT  # "Actual": the function
PREDICTED = theme.GRADIENT  # "Predicted": the network
RANGE_FILL = theme.RANGE_FILL  # where the function is defined (the training range)

NET_MAX_EDGE = 7.0  # edge width of the largest weight in a network diagram
NET_MIN_EDGE = 1.5
NET_NODE_RADIUS = 0.2
TEST_RING = 0.055  # radius of a test point's ring
