"""``lecture sheet``: one contact sheet per scene, a labelled cell for every pause."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from scenes.pipeline import sheet
from scenes.signs_of_trouble import SignsOfTrouble
from tests.construct import slides_in_construct

from ..render.common import REPO


def cells_with_labels(path, count: int) -> list[bool]:
    """For each of ``count`` cells of a sheet: is there drawn text in its label band?"""
    image = np.asarray(Image.open(path).convert("RGB")).astype(int)
    cell_h = (image.shape[0] - sheet.GAP) // -(-count // sheet.COLUMNS) - sheet.GAP
    found = []
    for k in range(count):
        x = sheet.GAP + (k % sheet.COLUMNS) * (sheet.CELL_WIDTH + sheet.GAP)
        y = sheet.GAP + (k // sheet.COLUMNS) * (cell_h + sheet.GAP)
        band = image[y:y + sheet.LABEL_HEIGHT, x:x + sheet.CELL_WIDTH]
        found.append(bool((np.abs(band - sheet.SHEET_BACKGROUND).max(axis=2) > 100).sum() > 30))
    return found


def test_a_sheet_from_clips_has_a_labelled_cell_per_clip(tmp_path):
    clips = tmp_path / "clips" / "ForwardPass"
    clips.mkdir(parents=True)
    names = ["01-show_equations", "02-draw_chain-name_edges", "03-put_in_numbers", "04-fill_values"]
    entries = []
    for i, name in enumerate(names, start=1):
        Image.new("RGB", (854, 480), (20 * i, 30, 40)).save(clips / f"{name}.png")
        entries.append({"index": i, "format": "png", "file": f"ForwardPass/{name}.png"})
    (clips / "clips.json").write_text(json.dumps(entries))
    cells = sheet.from_clips("ForwardPass", tmp_path / "clips")
    assert [label for label, _ in cells] == ["ForwardPass/01 show_equations", "ForwardPass/02 draw_chain name_edges",
                                             "ForwardPass/03 put_in_numbers", "ForwardPass/04 fill_values"]
    path = sheet.compose(cells, tmp_path / "sheets" / "ForwardPass.png")
    assert cells_with_labels(path, len(names)) == [True] * len(names)


@pytest.mark.slow
def test_a_sheet_from_key_frames_has_a_cell_per_pause(tmp_path, shipped):
    """SignsOfTrouble pauses only between construct()'s beats: one slide per group of beats there."""
    path, labels = sheet.make_sheet(SignsOfTrouble, tmp_path)
    slides = slides_in_construct(SignsOfTrouble)
    assert labels == [f"SignsOfTrouble/{i:02d} {' '.join(beats)}" for i, beats in enumerate(slides, start=1)]
    assert cells_with_labels(path, len(slides)) == [True] * len(slides)


def test_unknown_scene_is_one_line_and_exit_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "scenes", "sheet", "NoSuchScene", "--out", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "NoSuchScene" in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.iterdir())
