"""One build, three uses: the whole lecture (mp4 + srt), the slide deck, and clips to embed.

Every file is written under a temporary name and renamed when complete; one build at a time writes to
an output folder (scenes/pipeline/folder_lock.py). The build is a list of steps, each a function below
that declares its stamp (a name, and a key of the files, options and code it reads) and how it is made;
``Stamps.step`` (scenes/pipeline/stamps.py) makes it only when that key changed or its outputs were
touched. In the order a build runs them:

- ``explorables``: ``out/explore/`` (once the scenes to render accept the config, before any render: a config
  they refuse stops the build);
- per scene, in a thread as soon as it is rendered, while the others render:
  ``video:<Scene>`` (``out/videos/``), ``speech:<Scene>`` (each slide video with its speech),
  ``clips:<Scene>`` (``out/clips/<Scene>/``) and ``thumbnail:<Scene>``;
- ``deck``: ``out/slides/`` (HTML, PPTX, PDF), in the background while the lecture is joined;
- ``lecture``: ``out/lecture.mp4`` with chapters, ``lecture.srt``, ``lecture.vtt``, ``chapters.vtt``;
- ``index``: ``out/index.html``.
"""
from __future__ import annotations

import json
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from scenes import order
from scenes.pipeline import clips as clip_export
from scenes.pipeline import deck, explorables, folder_lock, index_page, joiner, slide_audio, transcript
from scenes.pipeline.atomic import copy, sweep, write_text
from scenes.pipeline.stamps import Stamps, code_version, write_if_changed


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


def beats_per_slide(slides_json: Path, scene: str) -> list[list[str]]:
    """The beats each slide holds, as the scene recorded them while it rendered (a beat may pause inside itself)."""
    return json.loads(slides_json.with_name(f"{scene}.beats.json").read_text())


def speak(slides_json: Path, video: Path, name: str, stamps: Stamps, code: dict) -> Path:
    """manim-slides' JSON for a scene whose slide videos carry ``video``'s speech (scenes/pipeline/slide_audio.py)."""
    def make():
        narrated = slide_audio.narrate(slides_json, video, slides_json.parent / "narrated")
        return [narrated, *clip_export.slide_files(narrated)], {"json": str(narrated)}

    key = stamps.key([slides_json, *clip_export.slide_files(slides_json), video], code=code)
    return Path(stamps.step(f"speech:{name}", key, make)["json"])


def run(build: Build, console, executor=None, wait: bool = True) -> Outcome:
    """Build ``build.out``, holding its lock (another build into it: one line, then wait, or FolderBusy)."""
    from scenes.pipeline.render import hold_media

    # the output folder, then the media folder (always in this order: two builds never wait on each other);
    # the media folder throughout, since every step below reads its renders
    with (folder_lock.hold(build.out, wait, lambda line: console.print(line, soft_wrap=True)),
          hold_media(build.media_dir, console, wait)):
        out = Path(build.out)  # a killed build's temporary files (a whole lecture.mp4 each) went nowhere
        sweep([out, out / "videos", out / "explore", out / "clips", *(out / "clips").glob("*/")])
        stamps = Stamps(build.out)
        # a scene's own outputs while the other scenes render; the deck's conversion while clips are exported
        per_scene, background = ThreadPoolExecutor(1), ThreadPoolExecutor(1)
        deck_workers: list = []  # started while the scenes render
        failed = True
        try:
            outcome = _run(build, console, executor, stamps, per_scene, background, deck_workers)
            failed = False
            return outcome
        finally:  # nothing writes once the lock is gone; finished steps keep their stamps even if one failed
            per_scene.shutdown(wait=True, cancel_futures=True)
            background.shutdown(wait=True)
            for pool in deck_workers:
                pool.shutdown(cancel_futures=True)
            try:
                stamps.save()
            except OSError:  # a full disk: the error that stopped the build names the file, not this one
                if not failed:
                    raise


def _video(r, out: Path, stamps: Stamps) -> None:
    """The scene's video and captions under ``out/videos``."""
    srt_file = r.path.with_suffix(".srt")
    video, captions = (out / "videos" / f"{r.scene}.{ext}" for ext in ("mp4", "srt"))

    def make():
        copy(r.path, video)
        write_text(captions, srt_file.read_text() if srt_file.exists() else "")
        return [video, captions], {}

    stamps.step(f"video:{r.scene}", stamps.key([r.path, srt_file]), make)


def _clips(r, source: Path, build: Build, stamps: Stamps, code: dict, console) -> list[dict]:
    """The clips of ``r``'s scene from ``source`` (manim-slides' JSON of the slides with speech, or of the
    transparent render) and its thumbnail from ``r`` (the lecture's render); their index entries."""
    out = Path(build.out)
    slide_videos = clip_export.slide_files(source)
    beats = beats_per_slide(r.slides, r.scene)
    clips_key = stamps.key([source, *slide_videos], {"beats": beats, "formats": build.formats,
                                                     "transparent": build.transparent}, code)

    def make_clips():
        console.print(f"exporting clips of {r.scene} ({', '.join(build.formats)})")
        entries = clip_export.export_scene(r.scene, slide_videos, beats, build.formats, out / "clips" / r.scene,
                                           clips_key, build.transparent)
        return [out / "clips" / e["file"] for e in entries], {"entries": entries}

    entries = stamps.step(f"clips:{r.scene}", clips_key, make_clips)["entries"]
    thumb = out / "clips" / r.scene / "thumbnail.png"
    last_slide = clip_export.slide_files(r.slides)[-1]

    def make_thumbnail():
        clip_export.last_frame(last_slide, thumb)
        return [thumb], {}

    stamps.step(f"thumbnail:{r.scene}", stamps.key([last_slide], code=code), make_thumbnail)
    return entries


def _explorables(out: Path, stamps: Stamps) -> list[dict]:
    """``out/explore/``: the pages a student plays with, from mathcore's numbers for the config; their rows."""
    from mathcore import config as lecture_config
    from mathcore.data import data_file

    cfg = lecture_config.load()

    def make():
        rows = explorables.build(out, cfg)
        return explorables.outputs(out), {"rows": rows}

    sections = ("gd", "minima", "rule_game")
    key = stamps.key([*explorables.inputs(), data_file(cfg, "minima")], [cfg.digest(*sections)],
                     code_version("scenes.pipeline.explorables"))
    return stamps.step("explorables", key, make)["rows"]


def _deck(names: list[str], slides: dict[str, Path], out: Path, stamps: Stamps, background: ThreadPoolExecutor,
          deck_workers: list, console) -> Future:
    """The deck (HTML, PPTX, PDF) under ``out/slides``, made in the background while the lecture is joined; its
    files by kind."""
    from mathcore.config import load as load_config

    title = load_config().lecture.title  # the deck page's <title>
    key = stamps.key([p for n in names for p in (slides[n], *clip_export.slide_files(slides[n]))],
                     {"scenes": names, "reveal.js": deck.reveal_version(), "title": title},
                     code_version("scenes.pipeline.deck"))
    if stamps.fresh("deck", key) is None:  # said here, in the order of the build's other lines
        console.print("converting the slide deck (HTML, PPTX, PDF)")
        if not deck_workers:  # nothing rendered: start them here, as only the main thread starts the fork
            deck_workers.append(deck.workers())  # server ignoring Ctrl-C (else its imports print a traceback)

    def make():  # in the deck's workers and a thread
        files = deck.build(names, slides[names[0]].parent, out / "slides", deck_workers[0] if deck_workers else None,
                           title=title)
        return [p for p in (out / "slides").rglob("*") if p.is_file()], {"files": {k: str(v) for k, v in files.items()}}

    return background.submit(lambda: {k: Path(v) for k, v in stamps.step("deck", key, make)["files"].items()})


def _lecture(done: list, titles: dict[str, str], out: Path, stamps: Stamps, console) -> list[joiner.Chapter]:
    """``out/lecture.mp4`` (chapters, audio, a subtitle track), its captions as .srt and .vtt, and its chapters."""
    captions = [r.path.with_suffix(".srt") for r in done]

    def make():
        console.print("joining the lecture video and its captions")
        chapters = joiner.join([(titles[r.scene], r.path) for r in done], out / "lecture.mp4", captions=captions)
        merged = transcript.merge([(srt, c.start) for srt, c in zip(captions, chapters)], out / "lecture.srt")
        transcript.captions_vtt(merged, out / "lecture.vtt")  # the page's player reads WebVTT
        transcript.chapters_vtt([(c.title, c.start, c.end) for c in chapters], out / "chapters.vtt")
        return ([out / f for f in ("lecture.mp4", "lecture.srt", "lecture.vtt", "chapters.vtt")],
                {"chapters": [[c.title, c.start, c.end] for c in chapters]})

    key = stamps.key([p for r in done for p in (r.path, r.path.with_suffix(".srt"))], [titles[r.scene] for r in done],
                     code_version("scenes.pipeline.joiner", "scenes.pipeline.transcript"))
    return [joiner.Chapter(*c) for c in stamps.step("lecture", key, make)["chapters"]]


def _index(out: Path, page_rows: list[dict], explore_rows: list[dict], stamps: Stamps) -> None:
    """``out/index.html``: the lecture, its captions and chapters, every scene's clips, the explorables."""
    from mathcore import config as lecture_config

    info = lecture_config.load().lecture
    lecture = {"video": "lecture.mp4", "captions": "lecture.srt", "vtt": "lecture.vtt", "chapters": "chapters.vtt",
               "deck": "slides/index.html",
               "pptx": "slides/lecture.pptx", "pdf": "slides/lecture.pdf", "clips": "clips/index.json"}
    title = f"{info.title} ({info.course}, {info.lecturer})"

    def make():  # the captions go into the page (no <track> file is read from disk)
        index_page.render(title, lecture, page_rows, out / "index.html", explorables=explore_rows,
                          cues=transcript.cues(out / lecture["captions"]))
        return [out / "index.html"], {}

    key = stamps.key([out / lecture["captions"]], [title, lecture, page_rows, explore_rows],
                     code_version("scenes.pipeline.index_page", "scenes.pipeline.transcript"))
    stamps.step("index", key, make)


def _page_row(r, title: str, chapter: joiner.Chapter, entries: list[dict]) -> dict:
    """A scene's row on the page: its place in the lecture, its video, captions, thumbnail and clips by slide."""
    grouped: dict[str, dict[str, str]] = {}
    for e in entries:  # by slide: a beat that pauses inside itself spans several clips
        grouped.setdefault(f"{e['index']:02d} {e['section']}", {})[e["format"]] = f"clips/{e['file']}"
    return {"scene": r.scene, "title": title, "start": chapter.start, "video": f"videos/{r.scene}.mp4",
            "captions": f"videos/{r.scene}.srt", "thumbnail": f"clips/{r.scene}/thumbnail.png",
            "clips": list(grouped.items())}


def _run(build: Build, console, executor, stamps: Stamps, per_scene: ThreadPoolExecutor,
         background: ThreadPoolExecutor, deck_workers: list) -> Outcome:
    from scenes.pipeline.render import render_lecture

    start = time.perf_counter()
    out = Path(build.out)
    speech_code = code_version("scenes.pipeline.slide_audio")
    clips_code = code_version("scenes.pipeline.clips")
    narrated: dict[str, Future] = {}  # scene -> its slides' JSON with the speech in each slide video
    clip_jobs: dict[str, Future] = {}  # scene -> its clips' index entries

    def scene_ready(r) -> None:  # in a thread, while the other scenes still render
        def own_outputs() -> Path:
            _video(r, out, stamps)
            return speak(r.slides, r.path, r.scene, stamps, speech_code)

        narrated[r.scene] = per_scene.submit(own_outputs)
        if not build.transparent:  # transparent clips come from a second render, below
            clip_jobs[r.scene] = per_scene.submit(
                lambda: _clips(r, narrated[r.scene].result(), build, stamps, clips_code, console))

    def renders_started() -> None:  # the deck's imports, here and in its workers, while the scenes render
        background.submit(deck.prepare)
        deck_workers.append(deck.workers())

    # after the scenes' checks (a config a scene refuses writes nothing), before the renders (a config the
    # explorables refuse stops the build before anything renders)
    explore_rows: list[dict] = []
    results = render_lecture(build.scenes, build.quality, build.media_dir, console, build.jobs, executor=executor,
                             on_done=scene_ready, on_start=renders_started, media_held=True,
                             on_checked=lambda: explore_rows.extend(_explorables(out, stamps)))
    done = [r for r in results if r.ok]
    failed = [f"{r.scene}: {r.error} (log: {r.log})" for r in results if not r.ok]
    if not done:
        return Outcome({}, failed, time.perf_counter() - start, [])
    titles = {r.scene: r.title or order.load(r.scene).TITLE or r.scene for r in done}  # no import when recorded
    names = [r.scene for r in done]
    slides = {name: narrated[name].result() for name in names}
    deck_job = _deck(names, slides, out, stamps, background, deck_workers, console)
    chapters = _lecture(done, titles, out, stamps, console)

    if build.transparent:  # a second render: the lecture and the deck keep their background, clips lose it
        opaque = {r.scene: r for r in done}
        for r in render_lecture(names, build.quality, Path(build.media_dir) / "transparent", console, build.jobs,
                                transparent=True, executor=executor, media_held=True):
            if r.ok:
                source = speak(r.slides, opaque[r.scene].path, f"{r.scene}:transparent", stamps, speech_code)
                clip_jobs[r.scene] = per_scene.submit(_clips, opaque[r.scene], source, build, stamps, clips_code,
                                                      console)
            else:  # its clips keep the background
                failed.append(f"{r.scene} (transparent): {r.error} (log: {r.log})")
                clip_jobs[r.scene] = per_scene.submit(_clips, opaque[r.scene], slides[r.scene], build, stamps,
                                                      clips_code, console)
    entries, page_rows = [], []
    for r, chapter in zip(done, chapters):
        scene_entries = clip_jobs[r.scene].result()
        entries += scene_entries
        page_rows.append(_page_row(r, titles[r.scene], chapter, scene_entries))
    write_if_changed(out / "clips" / "index.json", json.dumps(entries, indent=1))
    deck_files = deck_job.result()
    _index(out, page_rows, explore_rows, stamps)
    outputs = {"lecture": out / "lecture.mp4", "captions": out / "lecture.srt", **deck_files,
               "clips": out / "clips" / "index.json", "index": out / "index.html"}
    return Outcome(outputs, failed, time.perf_counter() - start, chapters)
