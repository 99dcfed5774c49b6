"""Geometry of dot products and of ReLU(Wx) (part 12), with numpy (no torch).

Dot products: for each of the slide's 10 vector pairs (x, y) in the plane, x·y, |x|,
|y|, cos θ = x·y / (|x||y|), the angle θ (radians and degrees), the scalar projection
of x on y, x·y / |y|, and the vector projection (x·y / |y|²) y. Undefined values (a
zero vector) are NaN in the arrays and null in JSON.

Matrix-vector products: each component of Wx is the dot product of a row of W with x;
ReLU(Wx) zeroes the negative ones. Over a grid of the plane, x -> Wx maps onto a plane
through 0 in R^k and x -> ReLU(Wx) folds it into the non-negative orthant: a point
lands in the orthant's interior (no coordinate zeroed) or on one of its faces (some
coordinates zeroed). Faces are named by sign patterns after ReLU, "+" kept, "0" zeroed:
"++0" is the face where the third coordinate is 0, "000" the origin.

A scene calls:

- ``pair_table(x, y) -> dict`` of arrays over the pairs (x, y: (n, 2) arrays): ``dot``,
  ``norm_x``, ``norm_y``, ``cos``, ``angle_rad``, ``angle_deg``, ``scalar_projection``,
  ``vector_projection`` ((n, 2)).
- ``load_pairs(cfg) -> (x, y)``: the slide's pairs from ``[geometry] data``;
  ``dot_rows(x, y) -> list[dict]``: the same table, one dict per pair.
- ``matrix_vector(W, x) -> dict``: ``rows``, ``terms`` (w_ij x_j per component),
  ``wx``, ``relu``, ``zeroed`` (0-based components ReLU sets to 0), ``all_zero``.
- ``plane_grid(extent, n) -> (n*n, 2) array`` and ``grid_image(W, points) -> dict`` of
  arrays: ``wx``, ``relu`` ((P, k)), ``zeroed`` ((P, k) bool), ``zeros`` ((P,) count),
  ``pattern`` ((P,) strings such as "+0+"); ``face_counts(zeroed)``.
- ``from_config(cfg) -> Geometry`` with everything above for the config's data;
  ``Geometry.dot_dict()`` / ``relu_dict()`` are the CLI's JSON documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import data as data_mod
from .errors import ConfigError

COLUMNS = ["x1", "x2", "y1", "y2"]
#: |w·x| below this times Σ|w_j x_j| is rounding noise: the point is on the line w·x = 0.
ROUNDING = 8 * np.finfo(np.float64).eps


def pair_table(x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """x·y, norms, cos θ, θ and the projections of x on y, for every row pair at once."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    dot = np.einsum("ij,ij->i", x, y)
    nx = np.linalg.norm(x, axis=1)
    ny = np.linalg.norm(y, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = dot / (nx * ny)
        scalar = dot / ny
        vector = (dot / ny**2)[:, None] * y
    # rounding can push |cos| a hair above 1 for parallel vectors; arccos would give NaN
    cos = np.where(np.isfinite(cos), np.clip(cos, -1.0, 1.0), np.nan)
    angle = np.arccos(cos)
    return {
        "dot": dot, "norm_x": nx, "norm_y": ny, "cos": cos,
        "angle_rad": angle, "angle_deg": np.degrees(angle),
        "scalar_projection": np.where(ny > 0, scalar, np.nan),
        "vector_projection": np.where((ny > 0)[:, None], vector, np.nan),
    }


def load_pairs(cfg, path: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) pairs of the file named by ``[geometry] data`` (columns x1, x2, y1, y2), or of ``path``:
    a file named on the command line, read where it is (only the config's names are confined)."""
    table = data_mod.load_table(data_mod.record(Path(path)) if path else data_mod.data_file(cfg, "geometry"), COLUMNS)
    x = np.stack([table["x1"], table["x2"]], axis=1)
    y = np.stack([table["y1"], table["y2"]], axis=1)
    return x, y


def dot_rows(x: np.ndarray, y: np.ndarray, table: dict | None = None) -> list[dict]:
    """``pair_table`` as one dict per pair (``x``, ``y`` and every column), the CLI's JSON rows."""
    t = pair_table(x, y) if table is None else table
    return [{"x": x[i], "y": y[i], **{k: t[k][i] for k in t}} for i in range(len(x))]


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def matrix_vector(W, x) -> dict:
    """Wx component by component (row · x), and ReLU(Wx)."""
    W = np.asarray(W, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    terms = W * x  # terms[i, j] = w_ij x_j; component i of Wx is their row sum
    wx = terms.sum(axis=1)
    off = wx <= ROUNDING * np.abs(terms).sum(axis=1)  # the same rule as grid_image
    out = np.where(off, 0.0, wx)
    zeroed = [int(i) for i in np.flatnonzero(off)]
    return {"rows": W, "terms": terms, "wx": wx, "relu": out, "zeroed": zeroed,
            "all_zero": len(zeroed) == len(wx)}


def plane_grid(extent: float, n: int) -> np.ndarray:
    """n × n points evenly covering [-extent, extent]², row by row (x2 slowest), shape (n*n, 2)."""
    ticks = np.linspace(-extent, extent, n)
    g1, g2 = np.meshgrid(ticks, ticks)
    return np.stack([g1.ravel(), g2.ravel()], axis=1)


def _codes(zeroed: np.ndarray) -> np.ndarray:
    """Each point's zero pattern as a binary number, first coordinate the highest bit."""
    k = zeroed.shape[1]
    return zeroed.astype(np.int64) @ (1 << np.arange(k - 1, -1, -1))


def _pattern_names(k: int) -> np.ndarray:
    return np.array(["".join("0" if code >> (k - 1 - j) & 1 else "+" for j in range(k)) for code in range(1 << k)])


def patterns(zeroed: np.ndarray) -> np.ndarray:
    """Sign pattern after ReLU per point: "+" kept, "0" zeroed, e.g. "++0" (a lookup, no loop over points)."""
    return _pattern_names(zeroed.shape[1])[_codes(zeroed)]


def grid_image(W, points: np.ndarray) -> dict[str, np.ndarray]:
    """The images of many points under x -> Wx and x -> ReLU(Wx), in one vectorised product.

    A point on a line w_i·x = 0 lands on the face where coordinate i is 0; rounding can
    leave its w_i·x at ±1e-17, so values within a few ulps of the terms' size count as 0.
    """
    W = np.asarray(W, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64)
    # einsum, not points @ W.T: BLAS on this (P, 2) x (2, k) shape took ~0.8 s for a million points
    # (thread start-up on a busy machine); einsum's own loop takes ~0.02 s
    wx = np.einsum("pj,ij->pi", points, W)
    size = np.einsum("pj,ij->pi", np.abs(points), np.abs(W))  # bounds the rounding error of each sum
    zeroed = wx <= ROUNDING * size
    out = np.where(zeroed, 0.0, wx)
    return {"points": points, "wx": wx, "relu": out, "zeroed": zeroed, "zeros": zeroed.sum(axis=1),
            "pattern": patterns(zeroed)}


def face_counts(zeroed: np.ndarray) -> dict:
    """How many points land on each face: by number of zeroed coordinates, and by sign pattern."""
    k = zeroed.shape[1]
    by_zeros = np.bincount(zeroed.sum(axis=1), minlength=k + 1)
    by_code = np.bincount(_codes(zeroed), minlength=1 << k)
    names = _pattern_names(k)
    by_pattern = {str(names[c]): int(n) for c, n in enumerate(by_code) if n}
    return {"by_zeros": {str(z): int(c) for z, c in enumerate(by_zeros)}, "by_pattern": by_pattern}


@dataclass(frozen=True)
class Geometry:
    x_pairs: np.ndarray
    y_pairs: np.ndarray
    table: dict[str, np.ndarray]
    x: np.ndarray
    matrices: tuple[np.ndarray, ...]
    products: tuple[dict, ...]
    extent: float
    grid_points: int
    grid: np.ndarray
    images: tuple[dict, ...]

    @property
    def names(self) -> list[str]:
        return [f"W{i + 1}" for i in range(len(self.matrices))]

    def dot_rows(self) -> list[dict]:
        return dot_rows(self.x_pairs, self.y_pairs, self.table)

    def dot_dict(self) -> dict:
        return {"pairs": self.dot_rows()}

    def relu_dict(self) -> dict:
        mats = []
        for name, p, img in zip(self.names, self.products, self.images):
            mats.append({
                "name": name,
                "rows": p["rows"],
                "components": [{"row": p["rows"][i], "terms": p["terms"][i], "dot": p["wx"][i]}
                               for i in range(len(p["wx"]))],
                "wx": p["wx"],
                "relu": p["relu"],
                "zeroed": [i + 1 for i in p["zeroed"]],  # 1-based, as the slides count rows
                "all_zero": p["all_zero"],
                "rank": int(np.linalg.matrix_rank(p["rows"])),
                "grid_faces": face_counts(img["zeroed"]),
            })
        return {
            "x": self.x,
            "matrices": mats,
            "all_zero": [m["name"] for m in mats if m["all_zero"]],
            "grid": {"extent": self.extent, "points_per_side": self.grid_points, "points": len(self.grid)},
        }


def from_config(cfg) -> Geometry:
    sec = cfg.geometry
    xp, yp = load_pairs(cfg)
    x = np.array(sec.x, dtype=np.float64)
    matrices = tuple(np.array(m, dtype=np.float64) for m in sec.matrices)
    grid = plane_grid(sec.grid_extent, sec.grid_points)
    if not np.all(np.isfinite(grid)):
        raise ConfigError(cfg.path, "geometry.grid_extent", "a size whose grid stays finite", sec.grid_extent)
    return Geometry(
        x_pairs=xp, y_pairs=yp, table=pair_table(xp, yp), x=x, matrices=matrices,
        products=tuple(matrix_vector(W, x) for W in matrices),
        extent=sec.grid_extent, grid_points=sec.grid_points, grid=grid,
        images=tuple(grid_image(W, grid) for W in matrices),
    )
