"""lecture render re-renders a scene only when something it read changed, in parallel workers."""
from __future__ import annotations

import json
import subprocess

import pytest

from mathcore import config
from scenes.pipeline import deps, incremental
from scenes.pipeline.render import render_lecture

from .common import LECTURE, QUIET, REPO, media_folder, write_config


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    """TitleCard and ForwardPass rendered once, in two workers."""
    media = media_folder(tmp_path_factory.mktemp("media"))
    results = render_lecture(["TitleCard", "ForwardPass"], "l", media, QUIET, jobs=2)
    assert [r.status for r in results] == ["rendered", "rendered"], [r.error for r in results]
    assert len({r.worker for r in results}) == 2  # two processes
    return media


def test_closure_follows_imports_and_nothing_else():
    files = deps.code_digests("scenes.forward_pass")
    assert {"scenes/forward_pass.py", "scenes/base.py", "scenes/components/chain_diagram.py", "mathcore/chain.py",
            "scenes/theme/__init__.py"} <= set(files)
    assert "mathcore/gd.py" not in files and "scenes/adam.py" not in files


@pytest.mark.slow
def test_scenes_record_the_sections_they_read(media):
    read = {name: json.loads(incremental.manifest_path(media, "l", name).read_text())["inputs"]["sections"]
            for name in ("TitleCard", "ForwardPass")}
    assert set(read["TitleCard"]) == {"lecture"}
    assert set(read["ForwardPass"]) == {"chain"}


@pytest.mark.slow
def test_nothing_changed_renders_nothing(media):
    before = {p: p.stat().st_mtime_ns for p in media.rglob("*.mp4")}
    results = render_lecture(["TitleCard", "ForwardPass"], "l", media, QUIET, jobs=2)
    assert [r.status for r in results] == ["up to date", "up to date"]
    assert all(r.path.exists() and r.video_seconds > 1 for r in results)
    assert {p: p.stat().st_mtime_ns for p in media.rglob("*.mp4")} == before


@pytest.mark.slow
def test_config_edit_re_renders_only_its_readers(media, tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV_VAR, str(write_config(tmp_path, '[lecture]\ntitle = "Another title"\n')))
    plan = {d.scene: d for d in (incremental.decide(n, media, "l") for n in ("TitleCard", "ForwardPass"))}
    assert plan["TitleCard"].render and plan["TitleCard"].reasons == ["config [lecture] changed"]
    assert not plan["ForwardPass"].render
    results = render_lecture(["TitleCard", "ForwardPass"], "l", media, QUIET, jobs=1)
    assert [r.status for r in results] == ["rendered", "up to date"]
    monkeypatch.delenv(config.ENV_VAR)
    assert [r.status for r in render_lecture(["TitleCard"], "l", media, QUIET, force=True)] == ["rendered"]


@pytest.mark.slow
def test_code_quality_and_caption_changes_are_named(media, tmp_path):
    manifest = incremental.manifest_path(media, "l", "TitleCard")
    saved = manifest.read_text()
    try:
        data = json.loads(saved)
        data["inputs"]["code"]["scenes/title.py"] = "0" * 16
        data["inputs"]["captions"] = "x"
        data["settings"]["manim"] = "0.20.0"
        manifest.write_text(json.dumps(data))
        reasons = incremental.decide("TitleCard", media, "l").reasons
        assert "code changed: scenes/title.py" in reasons
        assert "its captions changed" in reasons
        assert any(r.startswith("manim changed (0.20.0 -> ") for r in reasons)
        assert incremental.decide("TitleCard", media, "h").reasons == ["never rendered at this quality"]
        assert incremental.decide("TitleCard", media, "l", force=True).reasons == ["--force"]
    finally:
        manifest.write_text(saved)


@pytest.mark.slow
def test_explain_says_why(media):
    done = subprocess.run([*LECTURE, "render", "--explain", "TitleCard", "ForwardPass", "SignsOfTrouble",
                           "--media-dir", str(media)], cwd=REPO, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and len(lines) == 3
    assert "skip" in lines[0] and "up to date" in lines[0]
    assert "render" in lines[2] and "never rendered" in lines[2]




@pytest.mark.slow
def test_editing_the_cat_picture_re_renders_data_manifold(tmp_path, monkeypatch):
    """DataManifold reads assets/images/cat.svg through mathcore.data.asset, so the manifest tracks it."""
    import shutil

    from mathcore import data
    from scenes.data_manifold import DataManifold
    from tests.scenes.harness import dry_scene

    assets = tmp_path / "assets"  # a copy: the test edits the picture, never the shipped one
    shutil.copytree(REPO / "assets" / "images", assets / "images")
    monkeypatch.setattr(data, "ASSETS", assets)
    data.READ.clear()
    dry_scene(DataManifold)  # a run of its own: the worker's shared recording may have read the files already
    cat = assets / "images" / "cat.svg"
    assert cat.resolve() in data.READ
    media = tmp_path / "media"
    outputs = {kind: tmp_path / f"DataManifold.{kind}" for kind in ("video", "slides")}
    for path in outputs.values():
        path.write_text("stand-in")  # decide() asks only that they exist
    incremental.record("DataManifold", media, "l", False, ["manifold"], sorted(str(p) for p in data.READ),
                       {kind: str(path) for kind, path in outputs.items()})

    def explain() -> str:
        done = subprocess.run([*LECTURE, "render", "DataManifold", "--explain", "--media-dir", str(media)],
                              capture_output=True, text=True, cwd=REPO, check=True)
        return done.stdout

    assert "cat.svg" not in explain()
    cat.write_text(cat.read_text().replace("</svg>", "<circle r='1'/></svg>"))
    said = explain()
    assert "DataManifold" in said and " render " in said and "cat.svg changed" in said, said
