"""Adversarial input (issue 20): each is one line naming file, key and what was expected, exit 2, no traceback.

``CASES`` are shared with the lecture CLI's tests (tests/scenes/test_lecture_bad_input.py): both CLIs validate
the same way before anything is computed or rendered.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mathcore import config, data, expression
from mathcore.errors import ConfigError

from .cli_checks import assert_config_error, assert_one_line_exit_2

BIG = "1" + "0" * 399  # a 400-digit integer: TOML takes it, a float64 cannot hold it


def text_file(content: str | bytes):
    def make(folder: Path) -> Path:
        path = folder / "lecture.toml"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    return make


def fifo(folder: Path) -> Path:
    os.mkfifo(folder / "lecture.toml")
    return folder / "lecture.toml"


def table(make):
    """A config whose [minima] table is ``make(path)``."""

    def build(folder: Path) -> Path:
        make(folder / "t.csv")
        (folder / "lecture.toml").write_text('[minima]\ndata = "t.csv"\n')
        return folder / "lecture.toml"

    return build


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


#: id -> (writes the config into a folder and returns its path, the key, what the line says was expected,
#: whether reading it could hang, so a test runs it in a process it can time out)
CASES = {
    "NUL in a string": (text_file('[lecture]\nlecturer = "Lee\\u0000Hwee"\n'), "lecture.lecturer",
                        "control character U+0000", False),
    "tab in a title": (text_file('[lecture]\ntitle = "Back\\tprop"\n'), "lecture.title",
                       "control character U+0009", False),
    "C1 control": (text_file('[lecture]\ncourse = "BS\\u00856207"\n'), "lecture.course",
                   "control character U+0085", False),
    "right-to-left override": (text_file('[lecture]\ntitle = "Back \\u202eprop"\n'), "lecture.title",
                               "control character U+202E at character 6", False),
    "line separator": (text_file('[lecture]\nlecturer = "Lee\\u2028Hwee"\n'), "lecture.lecturer",
                       "control character U+2028", False),
    "control character in a step": (text_file('[tree]\nsteps = ["y = a*2\\u0007"]\na = 1.0\n'), "tree.steps",
                                    "control character U+0007", False),
    "400-digit integer": (text_file(f"[chain]\nx = {BIG}\n"), "chain.x", "not an integer of 400 digits", False),
    "400-digit integer in a list": (text_file(f"[gd]\nlearning_rates = [0.1, {BIG}]\n"), "gd.learning_rates",
                                    "not an integer of 400 digits", False),
    "5000-digit integer": (text_file("[chain]\nx = 1" + "0" * 4999 + "\n"), "(file)", "valid TOML", False),
    "not UTF-8": (text_file(b'[lecture]\ntitle = "Caf\xe9"\n'), "(file)", "a UTF-8 TOML file (line 2", False),
    "step naming a leaf": (text_file('[tree]\nsteps = ["y = a"]\na = 1.0\n'), "tree.steps",
                           "('y = a' only names a leaf)", False),
    "step of numbers": (text_file('[tree]\nsteps = ["y = 2*3"]\n'), "tree.steps", "('y = 2*3' uses no leaf)", False),
    "20,000-term step": (text_file('[tree]\nsteps = ["y = ' + " + ".join(["a"] * 20_000) + '"]\na = 1.0\n'),
                         "tree.steps", f"at most {expression.MAX_TERMS} names, numbers and operators", False),
    "20,000 steps": (text_file("[tree]\nsteps = [" + ", ".join(f'"x{i} = a*{i}"' for i in range(1, 20_001))
                               + "]\na = 1.0\n"), "tree.steps", "(step 51 brings them past", False),
    "config under a file": (lambda folder: text_file("")(folder) / "lecture.toml", "(file)",
                            "a readable TOML file (Not a directory)", False),
    "FIFO config": (fifo, "(file)", "a regular TOML file, not a named pipe (FIFO)", True),
    "missing table": (lambda folder: text_file('[minima]\ndata = "none.csv"\n')(folder), "minima.data",
                      "the name of a file inside", False),
    "FIFO table": (table(os.mkfifo), "(file)", "a regular CSV file", True),
    "socket table": (table(_socket), "(file)", "not a socket", True),
    "table not UTF-8": (table(lambda p: p.write_bytes(b"x1,x2,y\n1,2,\xff\n")), "(file)", "(line 2 is not UTF-8)",
                        False),
}
#: the cases that are about a data table: `mathcore minima` reads it
TABLES = ("missing table", "FIFO table", "socket table", "table not UTF-8")
#: what each CLI is asked to do with the config (it validates first)
MATHCORE = {False: ["chain", "--json"], True: ["minima", "--json", "--no-runs"]}


def problem_file(path: Path, case: str) -> Path:
    """The file the one line names: the config, or the table it names."""
    if case in TABLES and case != "missing table":
        return path.parent / "t.csv"
    return path


def short_unix_folder(tmp_path: Path) -> Path:
    """A socket's path must fit in 108 bytes; pytest's tmp_path can be longer."""
    return tmp_path if len(str(tmp_path)) < 80 else Path(os.path.relpath(tmp_path))


def run_bounded(args: list[str], env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """A CLI in its own process, stopped after 60 s: a read of a FIFO blocks until a writer comes."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60, cwd=cwd,
                          env={**os.environ, **(env or {})})


def assert_one_line(proc: subprocess.CompletedProcess, prog: str, needle: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"{prog}: error: "), proc.stderr[-2000:]
    assert needle in proc.stderr, proc.stderr


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_naming_file_and_key(case, tmp_path, capsys):
    make, key, expected, hangs = CASES[case]
    path = make(tmp_path)
    where = problem_file(path, case)
    args = [*MATHCORE[case in TABLES], "--config", str(path)]
    if hangs:
        proc = run_bounded(["-m", "mathcore", *args])
        assert_one_line(proc, "mathcore", f"{where}: {key}: expected ")
        err = proc.stderr
    else:
        err = assert_one_line_exit_2(capsys, args, f"{where}: {key}: expected ")
    assert expected in err and len(err) < 400, err  # not the 400 digits, not the 20,000 terms


def test_the_same_errors_come_from_the_config_loader(tmp_path):
    """What the CLIs report is what config.load (and check_tables) raise, whoever calls them."""
    for case in ("NUL in a string", "400-digit integer", "not UTF-8", "step naming a leaf", "20,000-term step"):
        make, key, expected, _ = CASES[case]
        folder = tmp_path / case.replace(" ", "_")
        folder.mkdir()
        assert_config_error(make(folder), key, expected)
    folder = tmp_path / "table"
    folder.mkdir()
    cfg = config.load(CASES["table not UTF-8"][0](folder))
    with pytest.raises(ConfigError, match="line 2 is not UTF-8"):
        data.check_tables(cfg)


def test_config_through_the_environment(tmp_path, capsys, monkeypatch):
    """$LECTURE_CONFIG naming something that cannot be read: one line, as --config."""
    file = tmp_path / "file"
    file.write_text("")
    monkeypatch.setenv(config.ENV_VAR, str(file / "lecture.toml"))
    assert_one_line_exit_2(capsys, ["chain"], f"{file / 'lecture.toml'}: (file): expected a readable TOML file")
    os.mkfifo(tmp_path / "pipe.toml")
    proc = run_bounded(["-m", "mathcore", "chain"], env={config.ENV_VAR: str(tmp_path / "pipe.toml")})
    assert_one_line(proc, "mathcore", "pipe.toml: (file): expected a regular TOML file, not a named pipe (FIFO)")


def test_files_without_read_permission(tmp_path, capsys, monkeypatch):
    probe = tmp_path / "probe"
    probe.write_text("")
    probe.chmod(0)
    try:
        probe.read_bytes()
        pytest.skip("this process reads a file whatever its mode (root)")
    except PermissionError:
        pass
    unreadable_files_are_refused_in_one_line(tmp_path, capsys, monkeypatch)


def unreadable_files_are_refused_in_one_line(tmp_path, capsys, monkeypatch):
    secret = tmp_path / "lecture.toml"
    secret.write_text("[chain]\nx = 2.0\n")
    secret.chmod(0)
    monkeypatch.setenv(config.ENV_VAR, str(secret))
    assert_one_line_exit_2(capsys, ["chain"], f"{secret}: (file): expected a readable TOML file (Permission denied)")
    (tmp_path / "t.csv").write_text("x1,x2,y\n1,2,1\n")
    (tmp_path / "t.csv").chmod(0)
    (tmp_path / "ok.toml").write_text('[minima]\ndata = "t.csv"\n')
    assert_one_line_exit_2(capsys, ["minima", "--no-runs", "--config", str(tmp_path / "ok.toml")],
                           f"{tmp_path / 't.csv'}: (file): expected a readable CSV file with the columns")


def test_files_without_read_permission_under_root(tmp_path, capsys, monkeypatch):
    """The test above skips as root, who reads any file: here the open fails as it does for any other user
    (EACCES from os.open), so the same one-line refusals are checked on every machine."""
    import errno

    real_open = os.open

    def denied(path, flags, *args, **kwargs):
        if os.stat(path).st_mode & 0o777 == 0:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    unreadable_files_are_refused_in_one_line(tmp_path, capsys, monkeypatch)


def test_a_tab_or_newline_anywhere_in_a_string_is_refused_but_unicode_text_is_not(write_config):
    assert config.load(write_config('[lecture]\nlecturer = "Lê Hwee — 李"\n')).lecture.lecturer == "Lê Hwee — 李"
    assert_config_error(write_config('[lecture]\nyear = "2026\\n"\n'), "lecture.year", "control character U+000A")


def test_a_long_wrong_value_is_cut_in_its_line(write_config):
    """A 2000-character title made a 2000-character error line."""
    title = ("and on " * 300).strip()
    with pytest.raises(ConfigError) as err:
        config.load(write_config(f'[lecture]\ntitle = "{title}"\n'))
    line = str(err.value)
    assert line.endswith(f"lecture.title: expected a string of at most 200 characters, got {title[:99]!r}"[:-1]
                         + f"... ({len(title)} characters)") and len(line) < len(err.value.source) + 200, line


def test_steps_at_the_term_limit_still_trace():
    """The bound is safe: the deepest program it lets through (nested negations) parses, runs and is laid out."""
    depth = expression.MAX_TERMS - 2  # y, a and the minus signs
    program = expression.parse_steps(["y = " + "-" * depth + "a"])
    from mathcore import graph

    g = graph.trace(program, {"a": 1.5})
    assert g.output.value == 1.5 * (-1) ** depth and len(g.nodes) == depth + 1
    with pytest.raises(ValueError, match="past"):
        expression.parse_steps(["y = " + "-" * (depth + 1) + "a"])


@pytest.mark.parametrize("steps,value", [
    (["x1 = a", "y = x1*b"], 2.0),  # a step may name a leaf; the output is computed
    (["x1 = a*b", "y = x1"], 2.0),  # the output may name a computed step
    (["y = a - a"], 0.0),
])
def test_only_an_output_with_no_operation_is_refused(steps, value):
    from mathcore import graph

    g = graph.trace(expression.parse_steps(steps), {"a": 1.0, "b": 2.0}, layout=False)
    assert g.output.value == value


def test_render_takes_only_the_formats_it_writes(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_one_line_exit_2(capsys, ["tree", "--render", "x.exe"], "ending in .pdf, .png or .svg, got 'x.exe'")
    assert list(tmp_path.iterdir()) == []  # nothing computed, nothing written


def test_overrides_are_named_only_when_a_flag_gave_one(write_config, capsys):
    path = write_config('[chain]\nactivation = "softmax"\n')
    assert_one_line_exit_2(capsys, ["chain", "--config", str(path)], f"error: {path}: chain.activation")
    assert_one_line_exit_2(capsys, ["chain", "--config", str(path), "--x", "2"],
                           f"error: {path} (with command-line overrides): chain.activation")


def interrupt_when_ready(args: list[str], ready: str, env: dict, cwd: Path, delay: float = 1.0):
    """Start ``python args``; once a line of stdout contains ``ready``, wait ``delay`` and press Ctrl-C (SIGINT to
    its process group, as a terminal does). Returns (exit status, stderr)."""
    err = cwd / "stderr.txt"
    with err.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=cwd,
                                env={**os.environ, **env}, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            for line in proc.stdout:
                if ready in line:
                    break
            time.sleep(delay)
            assert proc.poll() is None, f"finished before Ctrl-C: {err.read_text()[-2000:]}"
            os.killpg(proc.pid, signal.SIGINT)
            proc.stdout.read()
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return proc.returncode, err.read_text()


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    """A long training run interrupted: exit 130, `mathcore: interrupted`, no traceback, no CSV left."""
    (tmp_path / "long.toml").write_text("[approximation]\nsteps = 100000\n")
    code = ("import sys; from mathcore.cli import main; print('started', flush=True); "
            "main(['approximation', '--config', 'long.toml', '--csv', 'out.csv'])")
    status, err = interrupt_when_ready(["-c", code], "started", {"MATHCORE_CACHE": "off"}, tmp_path, delay=3)
    assert status == 130, err[-2000:]
    assert err == "mathcore: interrupted\n", err[-2000:]
    assert not (tmp_path / "out.csv").exists()
