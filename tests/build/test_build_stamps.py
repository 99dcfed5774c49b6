"""``lecture build`` redoes only what changed, and one build at a time writes to an output folder.

One build of two short scenes; then a build with nothing changed must rewrite no file and call
no converter, another build waits for the folder's lock, and a config edit that only the title
card reads redoes the title card's clips and the joined outputs, not the other scene's clips.
"""
from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from scenes.pipeline import clips, deck, index_page, joiner, slide_frames, transcript
from scenes.pipeline.folder_lock import FILE_NAME as LOCK_FILE
from tests.build.test_lecture_build import lecture
from tests.render.common import media_folder

SCENES = ["TitleCard", "SignsOfTrouble"]
REPO = Path(__file__).resolve().parents[2]
#: Every function of the build that writes or converts an output.
WRITERS = [(joiner, "join"), (transcript, "merge"), (deck, "build"), (clips, "export_scene"),
           (clips, "transcode"), (clips, "last_frame"), (index_page, "render"), (deck, "write_pptx"),
           (deck, "write_pdf"), (slide_frames, "frame")]


def snapshot(out: Path) -> dict[str, int]:
    """mtime (ns) of every file under ``out``."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Counts the calls of every writer of the build (they still run)."""
    counter: Counter = Counter()
    for module, name in WRITERS:
        original = getattr(module, name)

        def counted(*args, _original=original, _name=f"{module.__name__}.{name}", **kwargs):
            counter[_name] += 1
            if _name.endswith("export_scene"):
                counter[f"export_scene:{args[0]}"] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return counter


def config_folder(folder: Path, text: str) -> Path:
    """A config with its own copy of the captions (a build reads captions.toml beside its config)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lecture.toml").write_text(text)
    (folder / "captions.toml").write_text((REPO / "assets" / "captions.toml").read_text())
    return folder / "lecture.toml"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("stamped")
    config = config_folder(root / "config", "")  # the shipped values, captions fixed for this module
    args = ["build", "--scenes", ",".join(SCENES), "-q", "l", "--out", str(root / "out"),
            "--media-dir", str(media_folder(root / "media"))]
    assert lecture(*args, "--config", str(config)) == 0
    return root, [*args, "--config", str(config)]


@pytest.mark.slow
def test_a_build_with_nothing_changed_writes_nothing(site, calls):
    root, args = site
    before = snapshot(root / "out")
    time.sleep(0.01)
    assert lecture(*args) == 0
    assert calls == Counter()
    assert snapshot(root / "out") == before


@pytest.mark.slow
def test_a_deleted_output_is_made_again(site, calls):
    root, args = site
    (root / "out" / "index.html").unlink()
    assert lecture(*args) == 0
    assert (root / "out" / "index.html").exists()
    assert calls == Counter({"scenes.pipeline.index_page.render": 1})


HOLD = """import sys
from pathlib import Path
from scenes.pipeline import folder_lock
with folder_lock.hold(Path(sys.argv[1])):
    print("holding", flush=True)
    sys.stdin.readline()  # until the test says so (or dies)
"""


def _holder(out: Path) -> subprocess.Popen:
    """Another process that holds ``out``'s build lock until a line arrives on its stdin."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], cwd=REPO, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_build_into_a_busy_folder_with_no_wait_is_one_line_and_exit_2(tmp_path):
    out = tmp_path / "out"
    holder = _holder(out)
    try:
        done = subprocess.run([sys.executable, "-m", "scenes", "build", "--scenes", "TitleCard", "--no-wait",
                               "--out", str(out), "--media-dir", str(tmp_path / "media")],
                              cwd=REPO, capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [f"lecture build: another build (process {holder.pid}) is writing to {out}"]
    assert not (tmp_path / "media").exists()  # refused before rendering anything


@pytest.mark.slow
def test_a_second_build_waits_for_the_first(site, tmp_path):
    root, args = site
    holder = _holder(root / "out")
    err = tmp_path / "stderr.txt"
    with err.open("w") as stderr:  # a file, not a pipe: nobody reads it while the build waits
        build = subprocess.Popen([sys.executable, "-m", "scenes", *args], cwd=REPO, stdout=subprocess.DEVNULL,
                                 stderr=stderr)
    try:
        started = time.monotonic()
        while "another build" not in err.read_text() and build.poll() is None and time.monotonic() < started + 120:
            time.sleep(0.2)
        time.sleep(1.0)
        assert build.poll() is None, f"the second build did not wait: {err.read_text()[-2000:]}"
    finally:
        holder.communicate("go\n", timeout=60)  # the first build ends
    assert build.wait(timeout=300) == 0, err.read_text()[-2000:]
    waiting = [line for line in err.read_text().splitlines() if "another build" in line]
    assert waiting == [f"another build (process {holder.pid}) is writing to {root / 'out'}; waiting for it to finish"]


def test_the_lock_is_free_again_after_a_holder_dies(tmp_path):
    holder = _holder(tmp_path)
    holder.kill()
    holder.wait()
    from scenes.pipeline import folder_lock

    with folder_lock.hold(tmp_path, wait=False):
        assert (tmp_path / LOCK_FILE).exists()


@pytest.mark.slow
def test_changing_one_scene_redoes_its_clips_and_the_joined_outputs_only(site, calls, tmp_path):
    root, args = site
    out = root / "out"
    before = snapshot(out)
    # [lecture] is read by the title card (and the page), not SignsOfTrouble; same captions as before
    config = config_folder(tmp_path, '[lecture]\ntitle = "Back propagation, once more"\n')
    (tmp_path / "captions.toml").write_text((root / "config" / "captions.toml").read_text())
    assert lecture(*args[:-2], "--config", str(config)) == 0
    after = snapshot(out)
    changed = {f for f in after if after[f] != before.get(f)}
    assert calls["export_scene:TitleCard"] == 1 and calls["export_scene:SignsOfTrouble"] == 0
    assert {"lecture.mp4", "lecture.srt", "videos/TitleCard.mp4", "index.html", "slides/lecture.pdf"} <= changed
    assert not {f for f in changed if f.startswith(("clips/SignsOfTrouble/", "videos/SignsOfTrouble"))}
    assert any(f.startswith("clips/TitleCard/") for f in changed)
    assert "Back propagation, once more" in (out / "index.html").read_text()


def test_a_stamp_holds_until_an_input_an_option_the_code_or_an_output_changes(tmp_path):
    from scenes.pipeline.stamps import FILE_NAME, Stamps

    out, source = tmp_path / "out", tmp_path / "slide.mp4"
    out.mkdir()
    source.write_bytes(b"frames")
    made = out / "clip.mp4"
    made.write_bytes(b"clip")
    stamps = Stamps(out)
    stamps.record("clips", stamps.key([source], {"formats": ["mp4"]}, {"clips.py": "1"}), [made], entries=[1, 2])
    stamps.save()
    saved_at = (out / FILE_NAME).stat().st_mtime_ns

    def fresh(options=None, code=None):
        again = Stamps(out)
        return again.fresh("clips", again.key([source], options or {"formats": ["mp4"]}, code or {"clips.py": "1"}))

    assert fresh() == {"entries": [1, 2]}
    assert fresh(options={"formats": ["webm"]}) is None
    assert fresh(code={"clips.py": "2"}) is None
    unchanged = Stamps(out)
    unchanged.fresh("clips", unchanged.key([source], {"formats": ["mp4"]}, {"clips.py": "1"}))
    unchanged.save()
    assert (out / FILE_NAME).stat().st_mtime_ns == saved_at  # nothing changed: the stamps file is not rewritten
    time.sleep(0.01)
    source.write_bytes(b"framez")  # same size, new content
    assert fresh() is None
    source.write_bytes(b"frames")
    assert fresh() == {"entries": [1, 2]}
    made.write_bytes(b"edited by hand")
    assert fresh() is None


def test_a_step_is_made_once_and_hands_back_what_it_recorded(tmp_path):
    """``Stamps.step``: made when new, skipped when fresh (same data, same types), made again when its output goes."""
    from scenes.pipeline.stamps import Stamps

    out = tmp_path / "out"
    out.mkdir()
    made: list[int] = []

    def make():
        made.append(1)
        (out / "page.html").write_text("<p>")
        return [out / "page.html"], {"chapters": [("Title", 0.0, 1.5)], "json": str(out / "x.json")}

    def step() -> dict:
        stamps = Stamps(out)
        data = stamps.step("page", stamps.key(options={"title": "T"}), make)
        stamps.save()
        return data

    first = step()
    assert made == [1]
    assert first == {"chapters": [["Title", 0.0, 1.5]], "json": str(out / "x.json")}  # as JSON gives it back
    assert step() == first and made == [1]
    (out / "page.html").unlink()
    assert step() == first and made == [1, 1]
