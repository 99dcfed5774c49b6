"""[geometry]: the dot-product table, the 3×2 matrices and x of the ReLU(Wx) slides, and the plane grid (part 12)."""
from dataclasses import dataclass
from typing import Annotated

from mathcore.config import Pair, integer, keys_of, list_of, number_list, positive, text

NAME = "geometry"


@dataclass(frozen=True)
class GeometrySection:
    """[geometry], as validated: each key's type and its check."""

    data: Annotated[str, text]
    x: Annotated[Pair, number_list(2, 2)]
    # any number of matrices (ReluTransform says what it draws); 2 columns, as x is 2-D; at most 8 rows, as
    # the sign patterns after ReLU are a table of 2^rows names (mathcore/geometry.py)
    matrices: Annotated[
        tuple[tuple[Pair, ...], ...],
        list_of(list_of(number_list(2, 2), 1, 8, what="rows of 2 numbers"), 1, what="matrices"),
    ]
    grid_extent: Annotated[float, positive]
    grid_points: Annotated[int, integer(2, 2001)]


KEYS = keys_of(GeometrySection)
