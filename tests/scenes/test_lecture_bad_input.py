"""The lecture CLI refuses issue 20's adversarial input as mathcore does (one line, exit 2, nothing rendered),
and Ctrl-C is one line and exit 130."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mathcore import config
from scenes.pipeline.cli import main
from tests.mathcore.test_bad_input import CASES, assert_one_line, interrupt_when_ready, problem_file, run_bounded

from ..render.common import default_sigint

#: How `python -m scenes` ends after Ctrl-C. If Ctrl-C lands while the CLI imports manim, inside code scipy runs
#: with exec(), Python 3.11 ends a `-m` run by SIGINT after the CLI's exit(130) (the `lecture` script exits
#: 130); a shell shows both as 130.
INTERRUPTED = (130, -signal.SIGINT)


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_before_anything_renders(case, tmp_path, capsys):
    make, key, expected, hangs = CASES[case]
    path = make(tmp_path)
    media = tmp_path / "media"
    args = ["render", "TitleCard", "--config", str(path), "--media-dir", str(media)]
    if hangs:
        proc = run_bounded(["-m", "scenes", *args])
        code, err = proc.returncode, proc.stderr
    else:
        with pytest.raises(SystemExit) as exited:
            main(args)
        code, err = exited.value.code, capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, (code, err[-2000:])
    assert err.startswith(f"lecture: error: {problem_file(path, case)}: {key}: expected ") and expected in err, err
    assert not media.exists()


def test_config_through_the_environment(tmp_path, capsys, monkeypatch):
    file = tmp_path / "file"
    file.write_text("")
    monkeypatch.setenv(config.ENV_VAR, str(file / "lecture.toml"))
    with pytest.raises(SystemExit) as exited:
        main(["render", "--explain", "TitleCard", "--media-dir", str(tmp_path / "media")])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err == f"lecture: error: {file / 'lecture.toml'}: (file): expected a readable " \
                                             "TOML file (Not a directory)\n"
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    proc = run_bounded(["-m", "scenes", "render", "--explain", "TitleCard"], env={config.ENV_VAR: str(pipe)})
    assert_one_line(proc, "lecture", f"{pipe}: (file): expected a regular TOML file, not a named pipe (FIFO)")


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    """Ctrl-C while `lecture keyframes` draws: exit 130, `lecture: interrupted`, no traceback."""
    scenes = ["TitleCard", "ForwardPass", "BackwardPass", "GradientDescentUpdate", "LocalMinima"]
    status, err = interrupt_when_ready(["-m", "scenes", "keyframes", *scenes, "--out", str(tmp_path / "frames")],
                                       ".png", {config.ENV_VAR: str(config.DEFAULT_CONFIG)}, tmp_path, delay=0.5)
    assert status in INTERRUPTED, err[-2000:]
    assert err == "lecture: interrupted\n", err[-2000:]


def _children(pid: int) -> list[str]:
    """The command lines of the processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(line for line in status.read_text().splitlines() if line.startswith("PPid:"))
            if int(ppid.split()[1]) == pid:
                found.append((status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, StopIteration):
            continue
    return found


def _render_interrupted(tmp_path: Path, ready) -> tuple[int, list[str]]:
    """`lecture render` of two scenes on two workers, Ctrl-C (SIGINT to its process group) once ``ready(proc)``;
    returns the exit status and stderr's lines other than the blank ones and the scenes' progress."""
    media = tmp_path / "media"
    with (tmp_path / "err.txt").open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "scenes", "render", "TitleCard", "ForwardPass", "--force",
                                 "--jobs", "2", "--media-dir", str(media)], stdout=subprocess.DEVNULL, stderr=err,
                                cwd=tmp_path, start_new_session=True, preexec_fn=default_sigint,
                                env={**os.environ, config.ENV_VAR: str(config.DEFAULT_CONFIG)})
        try:
            deadline = time.time() + 180
            while not ready(proc, media) and proc.poll() is None and time.time() < deadline:
                time.sleep(0.05)
            assert proc.poll() is None, (tmp_path / "err.txt").read_text()[-2000:]
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    lines = (tmp_path / "err.txt").read_text().splitlines()
    return proc.returncode, [x for x in lines if x.strip() and not x.endswith(" s)")]  # "TitleCard: rendered (3.1 s)"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="finds the fork server through /proc")
def test_ctrl_c_while_the_fork_server_imports_manim(tmp_path):
    """The render workers' fork server imports manim first (seconds): Ctrl-C then printed its traceback."""
    def importing(proc, media) -> bool:  # the server is there; 0.3 s on, the CLI is past starting it, the
        # server still imports (seconds)
        return any("forkserver" in cmd for cmd in _children(proc.pid)) and time.sleep(0.3) is None

    status, lines = _render_interrupted(tmp_path, importing)
    assert status in INTERRUPTED and len(lines) == 1 and lines[0].startswith("lecture: interrupted"), lines


@pytest.mark.slow
def test_ctrl_c_while_workers_render(tmp_path):
    """Workers rendering (and one idle after its scene): one line, no worker's traceback, no resource tracker's
    warning about a semaphore a stopped worker left."""
    status, lines = _render_interrupted(tmp_path, lambda proc, media: (media / "logs" / "ForwardPass.log").exists()
                                        and time.sleep(2) is None)
    assert status in INTERRUPTED and len(lines) == 1, lines
    assert lines[0].startswith("lecture: interrupted: ") and "scenes are done" in lines[0], lines
