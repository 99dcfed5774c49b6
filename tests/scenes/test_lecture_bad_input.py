"""The lecture CLI refuses issue 20's adversarial input as mathcore does (one line, exit 2, nothing rendered),
and Ctrl-C is one line and exit 130."""
from __future__ import annotations

import os

import pytest

from mathcore import config
from scenes.pipeline.cli import main
from tests.mathcore.test_bad_input import CASES, assert_one_line, interrupt_when_ready, problem_file, run_bounded


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
    assert status == 130, err[-2000:]
    assert err == "lecture: interrupted\n", err[-2000:]
