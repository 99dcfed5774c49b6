"""One build, three uses: the whole lecture (mp4 + srt), the slide deck, and clips to embed.

Every file is written under a temporary name and renamed when complete; clips of scenes whose
slide videos did not change are kept from the last build.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from scenes import captions, order
from scenes.pipeline import clips as clip_export
from scenes.pipeline import deck, index_page, joiner, transcript
from scenes.pipeline.atomic import copy, write_text


@dataclass
class Build:
    scenes: list[str]
    quality: str = "l"
    formats: list[str] = field(default_factory=lambda: ["mp4", "png"])
    out: Path = Path("out")
    media_dir: Path = Path("media")
    transparent: bool = False
    jobs: int | None = None


@dataclass
class Outcome:
    outputs: dict[str, Path]
    failed: list[str]
    seconds: float
    chapters: list[joiner.Chapter]


def beats_per_slide(slides_json: Path, cls) -> list[list[str]]:
    """The beats each slide holds, as the scene recorded them (a beat may pause inside itself)."""
    recorded = slides_json.with_name(f"{cls.__name__}.beats.json")
    return json.loads(recorded.read_text()) if recorded.exists() else captions.slides_of(cls)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def run(build: Build, console, executor=None) -> Outcome:
    from scenes.pipeline.render import render_lecture

    start = time.perf_counter()
    out = Path(build.out)
    results = render_lecture(build.scenes, build.quality, build.media_dir, console, build.jobs, executor=executor)
    done = [r for r in results if r.ok]
    failed = [f"{r.scene}: {r.error} (log: {r.log})" for r in results if not r.ok]
    if not done:
        return Outcome({}, failed, time.perf_counter() - start, [])

    console.print("joining the lecture video and its captions")
    chapters = joiner.join([(order.load(r.scene).TITLE or r.scene, r.path) for r in done], out / "lecture.mp4")
    transcript.merge([(r.path.with_suffix(".srt"), c.start) for r, c in zip(done, chapters)], out / "lecture.srt")
    for r in done:
        copy(r.path, out / "videos" / f"{r.scene}.mp4")
        srt_file = r.path.with_suffix(".srt")
        write_text(out / "videos" / f"{r.scene}.srt", srt_file.read_text() if srt_file.exists() else "")

    console.print("converting the slide deck (HTML, PPTX, PDF)")
    names = [r.scene for r in done]
    deck_files = deck.build(names, done[0].slides.parent, out / "slides")

    clip_sources = {r.scene: r.slides for r in done}
    if build.transparent:  # a second render: the lecture and the deck keep their background, clips lose it
        for r in render_lecture(names, build.quality, Path(build.media_dir) / "transparent", console, build.jobs,
                                transparent=True, executor=executor):
            if r.ok:
                clip_sources[r.scene] = r.slides
            else:
                failed.append(f"{r.scene} (transparent): {r.error} (log: {r.log})")
    console.print(f"exporting clips ({', '.join(build.formats)})")
    entries, page_rows = [], []
    for r, chapter in zip(done, chapters):
        cls = order.load(r.scene)
        source = clip_sources[r.scene]
        scene_entries = clip_export.export_scene(
            r.scene, clip_export.slide_files(source), beats_per_slide(r.slides, cls), build.formats,
            out / "clips" / r.scene, digest(source), build.transparent)
        entries += scene_entries
        thumb = out / "clips" / r.scene / "thumbnail.png"
        clip_export.last_frame(clip_export.slide_files(r.slides)[-1], thumb)
        grouped: dict[str, dict[str, str]] = {}
        for e in scene_entries:
            # by slide: a beat that pauses inside itself spans several clips
            grouped.setdefault(f"{e['index']:02d} {e['section']}", {})[e["format"]] = f"clips/{e['file']}"
        page_rows.append({"scene": r.scene, "title": cls.TITLE or r.scene, "start": chapter.start,
                          "video": f"videos/{r.scene}.mp4", "captions": f"videos/{r.scene}.srt",
                          "thumbnail": f"clips/{r.scene}/thumbnail.png", "clips": list(grouped.items())})
    write_text(out / "clips" / "index.json", json.dumps(entries, indent=1))

    from mathcore import config as lecture_config

    info = lecture_config.load().lecture
    lecture = {"video": "lecture.mp4", "captions": "lecture.srt", "deck": "slides/index.html",
               "pptx": "slides/lecture.pptx", "pdf": "slides/lecture.pdf", "clips": "clips/index.json"}
    index_page.render(f"{info.title} ({info.course}, {info.lecturer})", lecture, page_rows, out / "index.html")
    outputs = {"lecture": out / "lecture.mp4", "captions": out / "lecture.srt", **deck_files,
               "clips": out / "clips" / "index.json", "index": out / "index.html"}
    return Outcome(outputs, failed, time.perf_counter() - start, chapters)
