"""A captions.toml the scenes cannot play is one line, exit 2, before anything renders.

A captions.toml beside a lecturer's config replaces the shipped one whole: a scene or a beat it
leaves out, a ``{name}`` the scene does not give, a file that is not UTF-8 or not a regular file
are each refused in one line naming the file, the scene or beat and what was expected.
"""
from __future__ import annotations

import os
import re

import pytest

from mathcore import config as lecture_config
from mathcore.errors import ConfigError
from scenes import captions, order
from scenes.pipeline.cli import main

from .test_text_fit import within

SHIPPED = (lecture_config.DEFAULT_CONFIG.parent / captions.FILE_NAME).read_text(encoding="utf-8")


def without_table(text: str, scene: str) -> str:
    start = text.index(f"[{scene}]\n")
    end = text.find("\n[", start + 1)
    return text[:start] + (text[end + 1:] if end >= 0 else "")


def run(capsys, args):
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err


@pytest.mark.parametrize("name", order.names())
def test_the_shipped_captions_pass_every_scenes_check(name, monkeypatch):
    monkeypatch.setenv(lecture_config.ENV_VAR, str(lecture_config.DEFAULT_CONFIG))
    captions.check(order.load(name))


CASES = [  # scene rendered, how the shipped captions are changed, what the one line says
    ("ForwardPass", lambda t: t.replace("{output}", "{outptu}"),
     r"\[ForwardPass\] show_output: \{outptu\}: expected a value the scene gives \(activation, .*output"),
    ("ForwardPass", lambda t: without_table(t, "ForwardPass"),
     r": \[ForwardPass\]: expected a table \(the scene is missing"),
    ("TitleCard", lambda t: t.replace("show_title =", "show_titel ="),
     r": \[TitleCard\] show_title: expected a caption \(the beat is missing\)"),
    ("ComputeTree", lambda t: t.replace("[ComputeTree]\n", "[ComputeTree]\nshow_more = \"More.\"\n"),
     r": \[ComputeTree\] show_more: expected one of the scene's beats \(show_code, .*got 'unknown beat'"),
    # piper failed on a NUL 34 s into the render; ESC and U+202E (shown "abc" as "cba") reached every output
    ("SignsOfTrouble", lambda t: t.replace("the cost is not decreasing", "the cost is\\u0000 not decreasing"),
     r": \[SignsOfTrouble\] show_stuck: expected a caption without control characters \(control character "
     r"U\+0000 at character 15\), got .If the cost is\\x00 not"),
    ("SignsOfTrouble", lambda t: t.replace("Watch [[watch]]the cost.", "Watch \\u001b[31mthe cost."),
     r": \[SignsOfTrouble\] show_title: expected a caption without control characters \(control character U\+001B"),
    # FFmpeg's .srt reader dropped the cue: it took the line for a cue's times
    ("SignsOfTrouble", lambda t: t.replace("Watch [[watch]]the cost.", "Watch.  00:00:09,000 --> 00:00:10,000 is it."),
     r": \[SignsOfTrouble\] show_title: expected a caption without '-->', which subtitle files keep for a cue's times"),
    ("TitleCard", lambda t: t.replace("Welcome to", "Welcome \\u202eto"),
     r": \[TitleCard\] show_title: expected a caption without control characters \(control character U\+202E"),
]


@pytest.mark.parametrize("scene, edit, says", CASES)
@pytest.mark.parametrize("explain", [False, True])
def test_captions_the_scene_cannot_play_are_one_line_before_rendering(capsys, tmp_path, scene, edit, says, explain):
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text(edit(SHIPPED), encoding="utf-8")
    media = tmp_path / "media"
    code, _, err = run(capsys, ["render", scene, "--voice", "none", "--config", str(tmp_path / "lecture.toml"),
                                "--media-dir", str(media), *(["--explain"] if explain else [])])
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"lecture: error: {tmp_path / 'captions.toml'}") and re.search(says, err), err
    assert "Traceback" not in err and not list(media.rglob("*.mp4"))


def test_a_partial_captions_file_still_renders_the_scenes_it_has(tmp_path, monkeypatch):
    """Only the scenes being rendered are checked: a file for the title card alone renders the title card."""
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text('[TitleCard]\nshow_title = "Welcome to {course}."\n')
    monkeypatch.setenv(lecture_config.ENV_VAR, str(tmp_path / "lecture.toml"))
    captions.check(order.load("TitleCard"))
    with pytest.raises(ConfigError, match=r"\[ForwardPass\]: expected a table"):
        captions.check(order.load("ForwardPass"))


def test_a_scene_outside_the_lecture_may_have_no_captions(tmp_path, monkeypatch):
    class NotInTheLecture:
        NARRATION = frozenset()

        def construct(self):
            self.intro()

    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text('[TitleCard]\nshow_title = "Welcome."\n')
    monkeypatch.setenv(lecture_config.ENV_VAR, str(tmp_path / "lecture.toml"))
    captions.check(NotInTheLecture)


def not_utf8(path):
    path.write_bytes(SHIPPED.encode().replace(b"Welcome", b"Welc\xe9me"))


def fifo(path):
    os.mkfifo(path)  # nothing ever writes to it: a read would wait forever


def folder(path):
    path.mkdir()


@pytest.mark.parametrize("make, says", [
    (not_utf8, "captions: expected UTF-8 text, got 'byte 0xe9 at "),
    (fifo, "captions: expected a regular file (not a FIFO"),
    (folder, "captions: expected a regular file (not a FIFO"),
])
@pytest.mark.parametrize("command", [["render", "TitleCard", "--voice", "none"], ["render", "--explain"]])
def test_a_captions_file_that_cannot_be_read_is_one_line(capsys, tmp_path, make, says, command):
    (tmp_path / "lecture.toml").write_text("")
    make(tmp_path / "captions.toml")
    media = tmp_path / "media"
    with within(20):
        code, _, err = run(capsys, [*command, "--config", str(tmp_path / "lecture.toml"), "--media-dir", str(media)])
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"lecture: error: {tmp_path / 'captions.toml'}: {says}"), err
    assert not list(media.rglob("*.mp4"))


def test_line_breaks_and_tabs_in_a_caption_are_spaces(tmp_path, monkeypatch):
    """What a TOML string may hold between words (a line break, a tab, a CRLF) is folded, not refused."""
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text('[TitleCard]\nshow_title = """Welcome\r\nto\t{course}.\n\nBye."""\n')
    monkeypatch.setenv(lecture_config.ENV_VAR, str(tmp_path / "lecture.toml"))
    captions.check(order.load("TitleCard"))
    assert captions.lines_of(captions.load()["TitleCard"]["show_title"]) == ["Welcome to {course}.", "Bye."]


def test_captions_that_are_refused_stop_a_build_before_it_writes(capsys, tmp_path):
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text(SHIPPED.replace("Welcome to", "Welcome\\u0000 to"), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(capsys, ["build", "--scenes", "TitleCard", "--voice", "none", "--out", str(out),
                                "--config", str(tmp_path / "lecture.toml"), "--media-dir", str(tmp_path / "media")])
    assert code == 2 and err.count("\n") == 1 and "control character U+0000" in err, err
    assert not out.exists()
