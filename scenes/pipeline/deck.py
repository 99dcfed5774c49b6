"""The slide deck through manim-slides: reveal.js HTML (offline), PPTX and PDF, one slide per pause.

reveal.js comes from its npm package, fetched once by ``make setup`` (``python -m
scenes.pipeline.deck fetch``) into ``.cache/reveal.js/<version>/``, and copied beside the
deck, so the HTML needs no CDN.
"""
from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mathcore.errors import ConfigError
from scenes.pipeline.atomic import replace_dir

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "reveal.js"
REGISTRY = "https://registry.npmjs.org/reveal.js/-/reveal.js-{version}.tgz"
#: The files manim-slides' template links to (checked before a build).
LINKED = ["dist/reveal.css", "dist/theme/black.css", "dist/plugin/highlight/zenburn.css", "dist/reveal.js",
          "dist/plugin/notes.js", "dist/plugin/markdown.js"]


def reveal_version() -> str:
    """The reveal.js version manim-slides' template is written for, remembered per manim-slides version
    (reading it imports manim: seconds a build with nothing to redo should not spend)."""
    from importlib.metadata import version

    memo = CACHE / f"manim-slides-{version('manim-slides')}.reveal-version"
    if memo.is_file():
        return memo.read_text().strip()
    from manim_slides.convert import RevealJS

    found = RevealJS.model_fields["reveal_version"].default
    with contextlib.suppress(OSError):
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(found)
    return found


def reveal_dir() -> Path:
    return CACHE / reveal_version()


def fetch(timeout: float = 60.0) -> Path:
    """Download the npm package's ``dist/`` once (set-up step); return its folder."""
    target = reveal_dir()
    if all((target / f).exists() for f in LINKED):
        return target
    url = REGISTRY.format(version=reveal_version())
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data = response.read()
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("package/dist/") and m.isfile()]
        for m in members:
            m.name = m.name.removeprefix("package/")
        tar.extractall(tmp, members=members, filter="data")
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_dir(tmp, target)
    return target


def check_assets() -> Path:
    """The reveal.js folder, or one clear error saying how to get it."""
    source = reveal_dir()
    missing = [f for f in LINKED if not (source / f).exists()]
    if missing:
        raise ConfigError(source, "reveal.js", "the npm package's assets (run `make setup`)", f"missing {missing[0]}")
    return source


def convert(scenes: list[str], slides_folder: Path, dest: Path, to: str, *options: str) -> None:
    """Run ``manim-slides convert`` (its own CLI: the supported interface)."""
    cmd = [sys.executable, "-m", "manim_slides", "convert", "--folder", str(slides_folder), "--to", to,
           *[f"-c{o}" for o in options], *scenes, str(dest)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 or not dest.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"manim-slides convert --to {to} failed: {tail[0]}")


def build(scenes: list[str], slides_folder: Path, out_dir: Path) -> dict[str, Path]:
    """index.html (+ its video assets and reveal.js), lecture.pptx and lecture.pdf under ``out_dir``."""
    source = check_assets()
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copytree(source / "dist", tmp / "reveal.js" / "dist")
    jobs = [("index.html", "html", "cdn_url=reveal.js", "slide_number=true"), ("lecture.pptx", "pptx"),
            ("lecture.pdf", "pdf")]
    with ThreadPoolExecutor(len(jobs)) as pool:  # three child processes at once: the time of the longest, not the sum
        for job in [pool.submit(convert, scenes, slides_folder, tmp / name, to, *opts) for name, to, *opts in jobs]:
            job.result()
    replace_dir(tmp, out_dir)
    return {"html": out_dir / "index.html", "pptx": out_dir / "lecture.pptx", "pdf": out_dir / "lecture.pdf"}


if __name__ == "__main__":
    if sys.argv[1:] != ["fetch"]:
        sys.exit("usage: python -m scenes.pipeline.deck fetch")
    print(fetch())
