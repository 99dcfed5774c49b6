"""Contact sheets: one PNG per scene with the picture at every pause, each labelled with its clip name.

From a build's clips (``out/clips/<Scene>/NN-<beats>.png``, the last frame of each slide) when they
exist, else from key frames (the scene run with animations skipped: seconds per scene).
"""
from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from scenes.pipeline import keyframes
from scenes.pipeline.clips import clip_name

COLUMNS = 3
CELL_WIDTH = 480  # pixels of each frame on the sheet (a 480p frame is 854 wide)
LABEL_HEIGHT = 30
GAP = 8
SHEET_BACKGROUND = (40, 40, 46)
LABEL_COLOUR = (236, 236, 236)
FONT_FILE = "DejaVuSans.ttf"


def label_of(scene: str, clip: str) -> str:
    """``ForwardPass/03 put_in_numbers`` for the clip ``03-put_in_numbers``."""
    number, _, beats = clip.partition("-")
    return f"{scene}/{number} {beats.replace('-', ' ')}"


def from_clips(scene: str, clips_dir: Path) -> list[tuple[str, Path]]:
    """(label, PNG) of every slide of ``scene`` in a build's clip folder, in slide order; [] if none."""
    folder = Path(clips_dir) / scene
    index = folder / "clips.json"
    if index.exists():
        entries = [e for e in json.loads(index.read_text()) if e["format"] == "png"]
        found = [(label_of(scene, Path(e["file"]).stem), folder / Path(e["file"]).name)
                 for e in sorted(entries, key=lambda e: e["index"])]
        return found if all(p.exists() for _, p in found) else []
    return [(label_of(scene, p.stem), p) for p in sorted(folder.glob("[0-9][0-9]-*.png"))]


def from_keyframes(scene_cls, work: Path) -> list[tuple[str, Path]]:
    """(label, PNG) of every slide of ``scene_cls``, from its key frames (pauses where nothing played
    make no slide and no cell)."""
    frames, slides = keyframes.slide_frames(scene_cls, work)
    return [(label_of(scene_cls.__name__, clip_name(i, beats)), path)
            for i, (path, beats) in enumerate(zip(frames, slides), start=1)]


def _font(size: int):
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError:
        return ImageFont.load_default()


def compose(cells: list[tuple[str, Path]], dst: Path) -> Path:
    """Lay out ``cells`` (label, picture) in rows of COLUMNS, each picture with its label above it."""
    if not cells:
        raise ValueError(f"{dst}: no pictures to put on a sheet")
    pictures = []
    for _, path in cells:
        with Image.open(path) as im:
            im = im.convert("RGB")
            pictures.append(im.resize((CELL_WIDTH, round(im.height * CELL_WIDTH / im.width))))
    cell_h = max(p.height for p in pictures) + LABEL_HEIGHT
    rows = -(-len(cells) // COLUMNS)
    columns = min(COLUMNS, len(cells))
    sheet = Image.new("RGB", (GAP + columns * (CELL_WIDTH + GAP), GAP + rows * (cell_h + GAP)), SHEET_BACKGROUND)
    draw, font = ImageDraw.Draw(sheet), _font(18)
    for k, ((label, _), picture) in enumerate(zip(cells, pictures)):
        x = GAP + (k % COLUMNS) * (CELL_WIDTH + GAP)
        y = GAP + (k // COLUMNS) * (cell_h + GAP)
        draw.text((x + 4, y + 5), label, fill=LABEL_COLOUR, font=font)
        sheet.paste(picture, (x, y + LABEL_HEIGHT))
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".part")
    sheet.save(tmp, format="PNG")
    tmp.replace(dst)  # a sheet is there whole or not at all
    return dst


def make_sheet(scene_cls, out_dir: Path, clips_dir: Path | None = None) -> tuple[Path, list[str]]:
    """``<out_dir>/<Scene>.png``; returns its path and the cells' labels."""
    name = scene_cls.__name__
    cells = from_clips(name, clips_dir) if clips_dir is not None else []
    if not cells:
        cells = from_keyframes(scene_cls, Path(out_dir) / ".keyframes" / name)
    return compose(cells, Path(out_dir) / f"{name}.png"), [label for label, _ in cells]
