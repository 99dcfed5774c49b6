"""Shared fixtures, and the options manim's frames_comparison expects."""
from __future__ import annotations

import builtins
import errno
import io
import os
import stat
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


#: The suite's caches when they stay in the checkout.
IN_CHECKOUT = REPO / ".cache" / "suite"


def _suite_cache() -> Path:
    """Where the suite keeps what it makes from content alone, so that another checkout, or the next CI run's
    clean one, does not make it again: manim's TeX, text and parsed-SVG caches (named by their source), trained
    results (mathcore/cache.py: keyed by the config, the code and the libraries), speech (scenes/voice.py: keyed
    by the text, the voice and its code) and mypy's caches of mathcore's check and the readers'.
    $LECTURE_TEST_CACHE names another folder; "off" keeps them in the checkout (IN_CHECKOUT), and so does a home
    folder that cannot be written."""
    chosen = os.environ.get("LECTURE_TEST_CACHE", "")
    if chosen == "off":
        return IN_CHECKOUT
    folder = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / \
        "backprop-lecture" / "tests"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        return IN_CHECKOUT
    return folder


#: The suite's caches (see _suite_cache): SUITE_MEDIA is the media folder its dry runs and key frames keep manim's
#: caches in; renders a test makes link theirs to it (tests/render/common.py: media_folder).
SUITE_CACHE = _suite_cache()
SUITE_MEDIA = SUITE_CACHE / "media"


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", help="(re)write graphical control data")
    parser.addoption("--show_diff", action="store_true", help="show graphical diffs in a window")


#: The test files that take longest, longest first (per-file sums of test durations, 14 s or more, in a run of
#: `make test` on the 2-core machine; the files not named follow in collection order). A file that grew long
#: belongs here.
HEAVY_FIRST = [
    "tests/scenes/test_first_half_pictures.py",
    "tests/mathcore/test_reproducible.py",
    "tests/render/test_scale_and_safety.py",
    "tests/scenes/test_manifolds_scenes.py",
    "tests/scenes/test_speech_bound_data.py",
    "tests/scenes/test_relu_scenes.py",
    "tests/scenes/test_speech_bound_space.py",
    "tests/scenes/test_networks_scenes.py",
    "tests/render/test_publish.py",
    "tests/scenes/test_batch_last_batch.py",
    "tests/scenes/test_minima_scenes.py",
    "tests/render/test_incremental.py",
    "tests/scenes/test_narration.py",
    "tests/mathcore/test_minima.py",
    "tests/render/test_voice.py",
    "tests/scenes/test_descent_scenes.py",
    "tests/scenes/test_optimisers_scenes.py",
    "tests/scenes/test_discrete_scenes.py",
    "tests/scenes/test_optimisation_pacing.py",
    "tests/build/test_page.py",
    "tests/build/test_lecture_build.py",
    "tests/build/test_embed.py",
    "tests/render/test_still_pauses.py",
    "tests/render/test_faults.py",
    "tests/build/test_theme.py",
    "tests/build/test_build_stamps.py",
    "tests/build/test_explorables.py",
    "tests/scenes/test_speech_bound_chain.py",
    "tests/scenes/test_recap_scene.py",
    "tests/build/test_full_disk.py",
    "tests/render/test_manim_patches.py",
    "tests/scenes/test_speech_bound_optimisation.py",
    "tests/graphical/test_key_frames_discrete.py",
    "tests/graphical/test_key_frames_descent.py",
    "tests/mathcore/test_optim.py",
    "tests/mathcore/test_playground.py",
    "tests/graphical/test_key_frames_optimisers.py",
    "tests/graphical/test_key_frames_networks.py",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the longest files first. `make test` hands whole files to its two workers in this order
    (--no-loadscope-reorder; xdist would order them by their number of tests): the long files start at once
    and the short ones fill in at the end, so one worker does not run a long file while the other idles.
    The sort is stable: a file's own tests keep their order."""
    rank = {name: k for k, name in enumerate(HEAVY_FIRST)}

    def file_rank(item) -> int:
        try:
            return rank.get(item.path.relative_to(REPO).as_posix(), len(rank))
        except ValueError:
            return len(rank)

    items.sort(key=file_rank)


@pytest.fixture(scope="session", autouse=True)
def _dry_runs_shared_by_workers(tmp_path_factory):
    """The workers of one run share their dry runs of unpatched scenes (tests/scenes/harness.py: once) in the
    run's temporary folder, which no other run uses. The scene classes the collected tests imported are taken as
    they are before any test runs, so before a test could patch one; a class imported later is not shared."""
    import sys

    from scenes import order

    harness = sys.modules.get("tests.scenes.harness")  # imported by the collected scene tests, if any
    if harness is None or not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: its memo shares all
        yield
        return
    harness.remember_pristine(getattr(sys.modules[module], name) for module, name in order.LECTURE
                              if module in sys.modules)
    os.environ[harness.SHARED_RUNS] = str(tmp_path_factory.getbasetemp().parent / "dry-runs")
    yield
    os.environ.pop(harness.SHARED_RUNS, None)


@pytest.fixture(autouse=True)
def _environment_restored():
    """Undo environment changes a test makes in this worker process.

    The CLIs set $LECTURE_CONFIG for their workers; run in-process by a test, that leaked into
    every later test of the same pytest worker and into the renders it started.
    """
    saved = dict(os.environ)
    yield
    if os.environ != saved:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def write_config(tmp_path):
    """Write a lecture config; returns its path."""

    def write(text: str, name: str = "lecture.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


@pytest.fixture
def nothing_replaced(monkeypatch):
    """A rename onto a device node would replace it: the test fails instead (the code under test must never try)."""
    real_replace, real_rename = os.replace, os.rename

    def guarded(real):
        def rename(src, dst, *args, **kwargs):
            assert not os.path.exists(dst) or stat.S_ISREG(os.stat(dst).st_mode), f"renamed a file onto {dst}"
            return real(src, dst, *args, **kwargs)
        return rename

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))


class _Full:
    """A file on a full disk: it opens, but no byte fits."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, *_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self._handle.close()


@pytest.fixture
def full_disk(monkeypatch):
    """``full_disk(folder)``: from then on, in this process, every file opened for writing under ``folder`` takes
    no byte (OSError ENOSPC), as on a full disk; reads and other folders are untouched."""
    real_open = io.open

    def fill(folder: Path) -> None:
        def open_on_a_full_disk(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            path = Path(os.fsdecode(file)) if isinstance(file, (str, bytes, os.PathLike)) else None
            writes = any(m in mode for m in "wax+") and path is not None and Path(folder) in path.parents
            return _Full(handle) if writes else handle

        monkeypatch.setattr(io, "open", open_on_a_full_disk)  # pathlib's and zipfile's writes
        monkeypatch.setattr(builtins, "open", open_on_a_full_disk)  # Pillow's

    return fill


#: What a test run must not take from the caller's shell: another config or theme (tests set their own).
CALLER_ENV = ("LECTURE_CONFIG", "LECTURE_THEME", "LECTURE_BACKGROUND")


def pytest_configure(config):
    for key in CALLER_ENV:
        os.environ.pop(key, None)
    # Child tools (latex, dvisvgm, pango, Python subprocesses) read and write UTF-8 whatever the caller's locale.
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ["PYTHONUTF8"] = "1"
    # `lecture render/build` speak with piper by default; the suite renders silent unless a test asks
    # (--voice piper), which keeps it fast. Subprocesses and in-process CLI runs both see this.
    os.environ.setdefault("LECTURE_VOICE", "none")
    # manim deletes every non-SVG file in the TeX folder after each formula; with tests running in
    # parallel workers that share the folder, that deletes the other worker's .dvi (docs/ARCHITECTURE.md, caches)..
    import manim

    manim.config.no_latex_cleanup = True
    # manim's caches (Tex, texts) go to ./media by default, wherever pytest was started: the suite's instead.
    manim.config.media_dir = str(SUITE_MEDIA)
    # Trained results too, unless the caller chose a folder (or "off"); subprocesses inherit it.
    os.environ.setdefault("MATHCORE_CACHE", str(SUITE_CACHE / "mathcore"))
    # and speech, keyed by its text and the voice (scenes/voice.py): the checkout's .cache/voice is empty in CI
    from scenes import voice

    os.environ.setdefault(voice.CACHE_ENV, str(SUITE_CACHE / "voice"))
    # The xdist workers share that folder as render workers do: the same lock around TeX, text and SVG
    # parsing (manim writes each parsed SVG to a fixed <hash>_.svg and deletes it; two workers lost it).
    from scenes import manim_patches

    manim_patches.lock_caches()
    manim_patches.preloaded_tex_preamble()  # as a render worker typesets
    # and the parsed SVGs kept there, as a render keeps them (tests/render/test_manim_patches.py shows
    # a kept one draws the same as a fresh parse)
    manim_patches.keep_parsed_svgs()
