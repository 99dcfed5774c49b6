"""manim-slides' slide videos with the scene's speech: each slide gets the scene's audio from its start to its end.

manim-slides makes a slide's video by joining manim's partial movie files, which have no audio
(manim adds sound to the scene's own video only), so its slides and its deck are silent. Here
each slide video is remuxed (video packets copied) with its slice of the scene's audio, under
``<folder>/files/<Scene>/``, and ``<folder>/<Scene>.json`` points at those videos: ``manim-slides
convert --folder <folder>`` then makes a deck that speaks, and the clips are cut from the same videos.
A silent scene's JSON is copied as it is, so a silent build converts exactly what it did before.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import click

from mathcore.closure import digest
from mathcore.output import atomic_path
from scenes.pipeline import audio, joiner
from scenes.pipeline.atomic import write_text

#: How far the slides' total length may be from the scene video's before the cut points are wrong.
TOLERANCE = 0.1  # seconds


def narrate(slides_json: Path, scene_video: Path, folder: Path) -> Path:
    """Write ``folder/<Scene>.json`` for manim-slides' ``slides_json``, its slides carrying ``scene_video``'s audio."""
    data = json.loads(Path(slides_json).read_text())
    files_dir = folder / "files" / Path(slides_json).stem
    seconds = joiner.length(scene_video)
    sound = audio.read(scene_video, seconds)
    if sound is None:
        shutil.rmtree(files_dir, ignore_errors=True)  # the scene was narrated in an earlier build
        return write_text(folder / Path(slides_json).name, json.dumps(data, indent=2))
    slides = [s for s in data["slides"] if not s.get("skip_animations")]
    lengths = [joiner.length(Path(s["file"])) for s in slides]
    if abs(sum(lengths) - seconds) > TOLERANCE:
        # one line and exit 2 through the CLI (a ClickException), not a traceback: the render is stale or broken
        raise click.ClickException(
            f"{slides_json}: the slides last {sum(lengths):.2f} s but {scene_video} {seconds:.2f} s, so where each "
            f"slide's speech starts is unknown; render the scene again "
            f"(lecture render {Path(slides_json).stem} --force)")
    start, kept = 0.0, set()
    for slide, length in zip(slides, lengths):
        src = Path(slide["file"])
        piece = sound.cut(start, start + length)
        start += length
        stat = src.stat()
        key = digest(f"{src.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{piece.rate}".encode()
                     + piece.samples.tobytes())
        dst = files_dir / f"{src.stem}-{key}{src.suffix}"
        if not dst.exists():
            with atomic_path(dst) as tmp:
                joiner.remux([joiner.Part(src.stem, src, piece)], tmp)
        slide["file"] = str(dst.resolve())  # rev_file (played backwards) stays silent
        kept.add(dst.name)
    for old in files_dir.iterdir():  # slides of an earlier render
        if old.name not in kept:
            old.unlink()
    return write_text(folder / Path(slides_json).name, json.dumps(data, indent=2))
