"""Geometry (part 12): the slide's dot products, Wx as row dot products, ReLU(Wx) and the folded grid."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import torch

from mathcore import config, geometry
from mathcore.errors import ConfigError

from .cli_checks import assert_config_error, assert_one_line_exit_2, run_json, run_to_files

# The slide "Draw on the board, these vector dot products": x1, x2, y1, y2.
SLIDE_PAIRS = [
    (0.01, 1.51, 0.11, 0.99), (1.83, 1.41, 0.96, 0.28), (0.70, 0.93, 0.94, -0.34), (0.81, 1.17, 0.0, 1.00),
    (1.12, 0.04, 1.00, 1.7), (1.71, 1.41, 0.95, 0.30), (0.62, 1.29, -0.5, 0.86), (0.56, 1.60, 0.80, 0.60),
    (0.26, 0.86, -1, 0), (1.94, 1.94, 0.5, 1),
]
# "What is the geometric interpretation of matrix vector products?": rows of W, and x (the last column).
SLIDE_W = [
    [[0.3, -1.2], [2.6, 0.7], [-0.5, -0.2]],
    [[0.7, 0.4], [-0.6, 1.3], [1.5, -1.4]],
    [[-0.2, 2.1], [-1.1, 0.1], [0.3, 0.5]],
]
SLIDE_X = [0.6, -1.2]


@pytest.fixture(scope="module")
def geo():
    return geometry.from_config(config.load(config.DEFAULT_CONFIG))


# ---------------------------------------------------------------- dot products


def test_shipped_data_is_the_slide(geo):
    got = np.concatenate([geo.x_pairs, geo.y_pairs], axis=1)
    assert got.tolist() == [list(map(float, row)) for row in SLIDE_PAIRS]
    assert all(np.array_equal(m, np.array(w)) for m, w in zip(geo.matrices, SLIDE_W))
    assert geo.x.tolist() == SLIDE_X


def test_dot_against_torch_and_by_hand(geo):
    t = geo.table
    ref = torch.stack([torch.dot(torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64))
                       for a, b in zip(geo.x_pairs, geo.y_pairs)]).numpy()
    np.testing.assert_allclose(t["dot"], ref, rtol=0, atol=1e-15)
    assert t["dot"][3] == pytest.approx(1.17)  # (0.81, 1.17)·(0, 1)
    assert t["dot"][8] == pytest.approx(-0.26)  # (0.26, 0.86)·(-1, 0): the one obtuse pair
    assert (t["dot"] < 0).tolist() == [False] * 8 + [True, False]


def test_law_of_cosines_and_angle_from_atan2(geo):
    t = geo.table
    nx = np.array([math.hypot(*v) for v in geo.x_pairs])
    ny = np.array([math.hypot(*v) for v in geo.y_pairs])
    np.testing.assert_allclose(t["norm_x"], nx, rtol=1e-15)
    np.testing.assert_allclose(t["norm_y"], ny, rtol=1e-15)
    np.testing.assert_allclose(t["dot"], nx * ny * np.cos(t["angle_rad"]), atol=1e-12)
    np.testing.assert_allclose(t["cos"], np.cos(t["angle_rad"]), atol=1e-12)
    # the angle between the two directions, from their polar angles
    d = np.abs(np.arctan2(geo.x_pairs[:, 1], geo.x_pairs[:, 0]) - np.arctan2(geo.y_pairs[:, 1], geo.y_pairs[:, 0]))
    d = np.where(d > np.pi, 2 * np.pi - d, d)
    np.testing.assert_allclose(t["angle_rad"], d, atol=1e-12)
    np.testing.assert_allclose(t["angle_deg"], d * 180 / np.pi, atol=1e-10)


def test_projection(geo):
    t = geo.table
    p = t["vector_projection"]
    residual = geo.x_pairs - p
    np.testing.assert_allclose(np.einsum("ij,ij->i", residual, geo.y_pairs), 0, atol=1e-12)  # x - p ⟂ y
    np.testing.assert_allclose(p[:, 0] * geo.y_pairs[:, 1] - p[:, 1] * geo.y_pairs[:, 0], 0, atol=1e-12)  # p ∥ y
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), np.abs(t["scalar_projection"]), atol=1e-12)
    np.testing.assert_allclose(t["scalar_projection"], t["norm_x"] * t["cos"], atol=1e-12)
    assert p[3].tolist() == pytest.approx([0.0, 1.17])  # onto the x2 axis
    assert p[8].tolist() == pytest.approx([0.26, 0.0])  # onto the x1 axis


def test_zero_vector_gives_no_angle():
    t = geometry.pair_table(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [1.0, 1.0]]))
    assert t["dot"].tolist() == [0.0, 0.0]
    assert np.isnan(t["angle_deg"]).all() and np.isnan(t["scalar_projection"][0])
    assert t["scalar_projection"][1] == 0.0  # the zero vector projects onto y as 0


def test_parallel_vectors_have_angle_zero_not_nan():
    t = geometry.pair_table(np.array([[0.1, 0.3]]), np.array([[0.3, 0.9]]))
    assert t["angle_rad"][0] == pytest.approx(0, abs=1e-7) and t["cos"][0] <= 1.0


# ---------------------------------------------------------------- Wx and ReLU(Wx)


def test_wx_components_are_row_dot_products_and_match_torch(geo):
    x = torch.tensor(SLIDE_X, dtype=torch.float64)
    for W, p in zip(SLIDE_W, geo.products):
        Wt = torch.tensor(W, dtype=torch.float64)
        np.testing.assert_allclose(p["wx"], (Wt @ x).numpy(), atol=1e-15)
        np.testing.assert_allclose(p["relu"], torch.relu(Wt @ x).numpy(), atol=1e-15)
        for i, row in enumerate(W):
            assert p["wx"][i] == pytest.approx(float(np.dot(row, SLIDE_X)))
            assert p["terms"][i].sum() == pytest.approx(p["wx"][i])


def test_wx_by_hand(geo):
    # W1 x = (0.18 + 1.44, 1.56 - 0.84, -0.3 + 0.24); W2 x = (0.42 - 0.48, -0.36 - 1.56, 0.9 + 1.68);
    # W3 x = (-0.12 - 2.52, -0.66 - 0.12, 0.18 - 0.6)
    expected = [[1.62, 0.72, -0.06], [-0.06, -1.92, 2.58], [-2.64, -0.78, -0.42]]
    for p, e in zip(geo.products, expected):
        assert p["wx"].tolist() == pytest.approx(e)
    assert geo.products[0]["relu"].tolist() == pytest.approx([1.62, 0.72, 0.0])
    assert geo.products[1]["relu"].tolist() == pytest.approx([0.0, 0.0, 2.58])


def test_the_third_matrix_is_the_one_relu_kills(geo):
    """W3 = [[-0.2, 2.1], [-1.1, 0.1], [0.3, 0.5]] (second on the ReLU slide): every component of Wx < 0."""
    assert [p["all_zero"] for p in geo.products] == [False, False, True]
    assert geo.products[2]["relu"].tolist() == [0.0, 0.0, 0.0]
    x = torch.tensor(SLIDE_X, dtype=torch.float64)
    assert torch.all(torch.relu(torch.tensor(SLIDE_W[2], dtype=torch.float64) @ x) == 0)
    assert geo.relu_dict()["all_zero"] == ["W3"]


# ---------------------------------------------------------------- the grid


def test_plane_grid():
    g = geometry.plane_grid(2.0, 5)
    assert g.shape == (25, 2)
    assert g.min() == -2.0 and g.max() == 2.0
    assert sorted(set(g[:, 0].tolist())) == [-2.0, -1.0, 0.0, 1.0, 2.0]


def test_grid_image_matches_torch_and_exact_arithmetic():
    # The lecture's grid, 0.1 apart: 45 of its points lie exactly on a line w_i·x = 0 (e.g.
    # (0.2, -0.5) for W1's row (-0.5, -0.2)), where float rounding leaves ±1e-17. Exact decimal
    # fractions decide their face; without the rounding allowance 12 points land on the wrong one.
    pts = geometry.plane_grid(2.0, 41)
    on_a_line = 0
    for W in SLIDE_W:
        img = geometry.grid_image(W, pts)
        ref = torch.relu(torch.tensor(pts) @ torch.tensor(W, dtype=torch.float64).T).numpy()
        np.testing.assert_allclose(img["relu"], ref, atol=1e-15)
        exact_rows = [[Fraction(str(w)) for w in row] for row in W]
        for p, pat, zeros in zip(pts, img["pattern"], img["zeros"]):  # a plain loop as the reference
            decimal = [Fraction(str(round(float(c), 10))) for c in p]
            z = [sum(w * c for w, c in zip(row, decimal)) for row in exact_rows]
            assert pat == "".join("0" if v <= 0 else "+" for v in z), p
            assert zeros == sum(v <= 0 for v in z)
            on_a_line += sum(v == 0 for v in z)
    assert on_a_line == 45  # the test does reach the boundary cases


def test_face_counts():
    zeroed = np.array([[False, False, True], [True, True, True], [False, False, True], [False, False, False]])
    got = geometry.face_counts(zeroed)
    assert got["by_zeros"] == {"0": 1, "1": 2, "2": 0, "3": 1}
    assert got["by_pattern"] == {"+++": 1, "++0": 2, "000": 1}


def test_linear_image_lies_in_a_plane_and_relu_in_the_orthant(geo):
    for W, img in zip(geo.matrices, geo.images):
        normal = np.cross(W[:, 0], W[:, 1])  # orthogonal to both columns, so to every Wx
        np.testing.assert_allclose(img["wx"] @ normal, 0, atol=1e-12)
        assert (img["relu"] >= 0).all()
        counts = geometry.face_counts(img["zeroed"])
        assert sum(counts["by_zeros"].values()) == geo.grid_points**2
        # Wx and W(-x) have opposite signs, so the interior and the origin meet equally often,
        # apart from grid points exactly on a line w_i·x = 0 (and the origin itself)
        assert abs(counts["by_zeros"]["0"] - counts["by_zeros"]["3"]) <= 4 * geo.grid_points


def test_grid_of_a_million_points_is_fast():
    import time

    pts = geometry.plane_grid(2.0, 1000)
    start = time.perf_counter()
    img = geometry.grid_image(SLIDE_W[0], pts)
    geometry.face_counts(img["zeroed"])
    assert time.perf_counter() - start < 3.0  # vectorised; a Python loop would take far longer


# ---------------------------------------------------------------- config and CLI


@pytest.mark.parametrize("text,key,expected", [
    ("[geometry]\nx = [0.6, -1.2, 1.0]\n", "geometry.x", "a list of 2 to 2 numbers"),
    ("[geometry]\nmatrices = [[[0.3, -1.2, 1.0]]]\n", "geometry.matrices", "rows of 2 numbers"),
    ("[geometry]\nmatrices = []\n", "geometry.matrices", "a list of at least 1 matrices"),
    ("[geometry]\ngrid_points = 1\n", "geometry.grid_points", "a whole number from 2 to 2001"),
    ("[geometry]\ngrid_extent = -1.0\n", "geometry.grid_extent", "a number above 0"),
    ("[geometry]\ngrid_extent = nan\n", "geometry.grid_extent", "a finite number"),
])
def test_config_errors(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected)


@pytest.mark.parametrize("csv,where,expected", [
    ("x1,x2,y1\n1,2,3\n", "y2", "a column named 'y2'"),
    ("x1,x2,y1,y2\n1,2,3,four\n", "y2 (line 2)", "a number"),
    ("x1,x2,y1,y2\n", "(rows)", "at least one data row"),
])
def test_bad_data_file(write_config, tmp_path, csv, where, expected):
    (tmp_path / "pairs.csv").write_text(csv)
    path = write_config('[geometry]\ndata = "pairs.csv"\n')
    with pytest.raises(ConfigError) as info:
        geometry.load_pairs(config.load(path))
    assert f"pairs.csv: {where}: expected {expected}" in str(info.value)


def test_cli_dot_products(capsys, tmp_path):
    out = tmp_path / "dots.csv"
    data = run_json(capsys, ["dot-products", "--json", "--csv", str(out)])
    assert len(data["pairs"]) == 10
    row = data["pairs"][3]
    assert row["x"] == [0.81, 1.17] and row["dot"] == pytest.approx(1.17)
    assert {"norm_x", "norm_y", "angle_deg", "angle_rad", "cos", "scalar_projection", "vector_projection"} <= set(row)
    lines = out.read_text().splitlines()
    assert lines[0].startswith("x1,x2,y1,y2,dot") and len(lines) == 11


def test_cli_dot_products_data_flag_and_null_angles(capsys, tmp_path):
    path = tmp_path / "zero.csv"
    path.write_text("x1,x2,y1,y2\n0,0,1,0\n")
    data = run_json(capsys, ["dot-products", "--json", "--data", str(path)])
    assert data["pairs"][0]["angle_deg"] is None and data["pairs"][0]["dot"] == 0.0


def test_cli_relu_transform(capsys, tmp_path):
    out = tmp_path / "grid.csv"
    data = run_json(capsys, ["relu-transform", "--json", "--points", "5", "--extent", "1", "--csv", str(out)])
    assert data["all_zero"] == ["W3"]
    assert data["grid"] == {"extent": 1.0, "points_per_side": 5, "points": 25}
    w1 = data["matrices"][0]
    assert w1["relu"] == pytest.approx([1.62, 0.72, 0.0]) and w1["zeroed"] == [3]
    assert [c["dot"] for c in w1["components"]] == pytest.approx([1.62, 0.72, -0.06])
    assert sum(w1["grid_faces"]["by_zeros"].values()) == 25
    assert len(out.read_text().splitlines()) == 1 + 3 * 25


def test_cli_relu_transform_x_flag(capsys):
    data = run_json(capsys, ["relu-transform", "--json", "--x", "1,0", "--points", "2"])
    assert data["matrices"][2]["wx"] == pytest.approx([-0.2, -1.1, 0.3])  # the first column of W3
    assert data["all_zero"] == []


def test_cli_bad_flag_is_one_line_exit_2(capsys):
    assert_one_line_exit_2(capsys, ["relu-transform", "--x", "1,2,3"], "geometry.x")


@pytest.mark.parametrize("cmd", ["dot-products", "relu-transform", "rule-game"])
def test_cli_plot(capsys, tmp_path, cmd):
    out, _ = run_to_files(capsys, tmp_path, [cmd, "--json"] + (["--points", "11"] if cmd == "relu-transform" else []),
                          csv=False)
    json.loads(out)  # --plot does not spoil the JSON on stdout


def test_json_is_byte_identical_and_torch_free():
    code = ("import sys; from mathcore.cli import main\ntry:\n main(sys.argv[1:])\nexcept SystemExit: pass\n"
            "print('torch' in sys.modules, file=sys.stderr)")
    outs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code, "relu-transform", "--json"], capture_output=True,
                              text=True, check=True)
        assert proc.stderr.strip().endswith("False")
        outs.append(proc.stdout)
    assert outs[0] == outs[1] and json.loads(outs[0])["all_zero"] == ["W3"]
    proc = subprocess.run([sys.executable, "-c", code, "dot-products"], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().endswith("False") and "2.15" in proc.stdout  # a table at three digits
