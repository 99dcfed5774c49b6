"""When must a scene be rendered again? Only when something its video depends on changed.

After each render a manifest (``<media>/renders/<quality>/<Scene>.json``) records what the
video was made from: the code (the scene module and every project module it imports, by
hash), the config sections the scene read while rendering (by digest), the data files it
read, its captions (the narration's text), the voice, and the quality, theme and manim versions. The next run
compares; the
reasons are kept so ``lecture render --explain`` can say why.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from mathcore import closure
from mathcore import config as lecture_config
from scenes import captions, context, order, voice
from scenes.pipeline import deps
from scenes.pipeline.atomic import write_text


@dataclass
class Decision:
    scene: str
    render: bool
    reasons: list[str] = field(default_factory=list)
    previous: dict | None = None
    taken: dict | None = None  # what a render would start from (:func:`snapshot`), taken as this was decided


def settings(quality: str, transparent: bool = False) -> dict:
    """What, besides code and config, changes the pictures and the sound (the voice: model hash, piper, rate)."""
    return {"quality": quality, "transparent": transparent,
            "theme": context.look()[0], "background": context.look()[1],
            "manim": version("manim"), "manim-slides": version("manim-slides"), "voice": voice.chosen().identity()}


def manifest_path(media_dir: Path, quality: str, scene: str) -> Path:
    return Path(media_dir) / "renders" / quality / f"{scene}.json"


def file_digest(path: Path) -> str | None:
    return closure.file_digest(path) if path.exists() else None


def captions_digest(scene: str) -> str:
    return closure.json_digest(captions.load().get(scene, {}))


def outputs(scene: str, video: Path, slides: Path) -> dict[str, list]:
    """What a render left, each file by its stat and digest: another build or a stray worker that writes
    over any of them after the manifest makes the scene render again (:func:`tampered`)."""
    files = [video, Path(video).with_suffix(".srt"), slides,
             *(Path(slides).with_name(f"{scene}.{kind}.json") for kind in ("beats", "speech"))]
    return {str(f): [*_stat(f), file_digest(f)] for f in files}


def _stat(path: Path) -> list:
    try:
        st = path.stat()
    except FileNotFoundError:
        return [None, None, None]
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def tampered(recorded: dict[str, list]) -> str | None:
    """The first file whose content is no longer what the manifest recorded (a file whose stat is as
    recorded is not read again: a rename or a write changes its inode or mtime)."""
    for name, (*stat, digest) in recorded.items():
        if _stat(Path(name)) != stat and file_digest(Path(name)) != digest:
            return name
    return None


def snapshot(scene: str, cfg=None) -> dict:
    """What a render of ``scene`` starts from (config, code, captions), taken when it is decided, before it is
    sent to a worker: an edit made while it renders then shows as a change at the next run instead of being
    recorded as rendered."""
    return {"cfg": cfg or lecture_config.load(), "code": deps.code_digests(order.module_of(scene)),
            "captions": captions_digest(scene)}


def inputs(scene: str, sections: list[str], data_files: list[str], cfg=None, taken: dict | None = None) -> dict:
    """The state of everything a render of ``scene`` read (sections and data: as last time): now, or as
    ``taken`` by :func:`snapshot` when the render started."""
    taken = taken or snapshot(scene, cfg)
    return {
        "code": taken["code"],
        "sections": {s: taken["cfg"].digest(s) for s in sorted(sections)},
        "data": {f: file_digest(Path(f)) for f in sorted(data_files)},
        "captions": taken["captions"],
    }


def _changed(old: dict, new: dict) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def decide(scene: str, media_dir: Path, quality: str, transparent: bool = False, force: bool = False,
           cfg=None) -> Decision:
    path = manifest_path(media_dir, quality, scene)
    previous = json.loads(path.read_text()) if path.exists() else None
    taken = snapshot(scene, cfg)

    def decision(render: bool, reasons: list[str]) -> Decision:
        return Decision(scene, render, reasons, previous, taken)

    if force:
        return decision(True, ["--force"])
    if previous is None:
        return decision(True, ["never rendered at this quality"])
    for kind in ("video", "slides"):
        path = Path(previous.get(kind, ""))
        if not path.is_file():
            return decision(True, [f"its {kind} file is missing ({path})"])
    if "outputs" not in previous:
        return decision(True, ["its manifest records no digests of what it made"])
    if changed := tampered(previous["outputs"]):
        return decision(True, [f"{Path(changed).name} is not the file its render made"])
    now = inputs(scene, list(previous["inputs"]["sections"]), list(previous["inputs"]["data"]), taken=taken)
    reasons = [f"{k} changed ({previous['settings'].get(k)} -> {v})"
               for k, v in settings(quality, transparent).items() if previous["settings"].get(k) != v]
    if files := _changed(previous["inputs"]["code"], now["code"]):
        more = f" and {len(files) - 4} more" if len(files) > 4 else ""
        reasons.append("code changed: " + ", ".join(files[:4]) + more)
    reasons += [f"config [{s}] changed" for s in _changed(previous["inputs"]["sections"], now["sections"])]
    reasons += [f"data {Path(f).name} changed" for f in _changed(previous["inputs"]["data"], now["data"])]
    if previous["inputs"]["captions"] != now["captions"]:
        reasons.append("its captions changed")
    return decision(bool(reasons), reasons or ["up to date: nothing it depends on changed"])


def record(scene: str, media_dir: Path, quality: str, transparent: bool, sections: list[str], data_files: list[str],
           result: dict, taken: dict | None = None) -> Path:
    """Write the manifest of a finished render (``result``: video, srt, video_seconds, seconds; ``taken``: its
    :func:`snapshot` from when it started)."""
    manifest = {"scene": scene, "settings": settings(quality, transparent),
                "inputs": inputs(scene, sections, data_files, taken=taken),
                "outputs": outputs(scene, Path(result["video"]), Path(result["slides"])), **result}
    return write_text(manifest_path(media_dir, quality, scene), json.dumps(manifest, indent=1, default=str))
