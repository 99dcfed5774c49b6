"""The narration: numbers said as words, placeholders filled from mathcore for the config in use, beats
timed by their speech, and a narration edit re-rendering only its scene.

The scene tests here run dry with a stand-in voice (each sentence "lasts" a time set by its length),
so they need no piper; tests/render/test_voice.py speaks for real.
"""
from __future__ import annotations

import json
import math
import re
import shutil
import wave

import pytest
from manim import tempconfig

from mathcore import config as lecture_config
from mathcore.display import fmt
from mathcore.errors import ConfigError
from scenes import base, captions, narration, order, voice
from tests.construct import slides_in_construct

from .conftest import ALT_CONFIG
from .harness import dry_scene

DIGIT_WORDS = "zero one two three four five six seven eight nine".split()


@pytest.mark.parametrize("value, words", [
    (0.192, "zero point one nine two"),
    (-0.1, "minus zero point one"),
    (0.08, "zero point zero eight"),
    ("−0.45", "minus zero point four five"),
    (0, "zero"),
    (7, "seven"),
    (15, "fifteen"),
    (42, "forty two"),
    (115, "one hundred fifteen"),
    (2031, "two thousand thirty one"),
    (3.953125, "three point nine five"),  # as shown: three significant digits
    (1.2e-5, "one point two times ten to the minus five"),
])
def test_number_words(value, words):
    assert narration.number_words(value) == words


def test_spoken_text_says_numbers_and_symbols_but_not_the_digits_of_names():
    said = narration.spoken("With η = 0.7, σ' of z1 is -0.25; under 90°, |x| times w*.")
    assert said == ("With eta equals zero point seven, sigma prime of z1 is minus zero point two five; "
                    "under ninety degrees, the length of x times w star.")


def test_lists_are_said_as_a_lecturer_lists_them():
    assert narration.fill("h is {h}.", {"h": [0.1, 0.08, 0.192]}) == "h is 0.1, 0.08 and 0.192."
    assert narration.fill("{one} and {two}", {"one": [2], "two": ["p", "q"]}) == "2 and p and q"


def test_an_unknown_placeholder_is_one_line_naming_it():
    with pytest.raises(ConfigError) as err:
        narration.fill("the output is {outptu}", {"output": 0.192}, "captions.toml [ForwardPass] show_output")
    assert str(err.value).count("\n") == 0
    assert "{outptu}" in str(err.value) and "output" in str(err.value) and "show_output" in str(err.value)


# --- scenes, dry, with a stand-in voice ---------------------------------------------------------------


SECONDS_PER_CHARACTER = 0.06


@pytest.fixture
def stand_in_voice(tmp_path, monkeypatch):
    """Speak "with piper", but each sentence is silence lasting 0.06 s a character; returns what was said."""
    silence = tmp_path / "silence.wav"
    with wave.open(str(silence), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050), w.writeframes(b"\0\0" * 2205)
    said: list[str] = []

    def say(text, settings=None):
        said.append(text)
        return voice.Speech(text, silence, SECONDS_PER_CHARACTER * len(text))

    monkeypatch.setattr(voice, "say", say)
    before = voice.chosen()
    voice.choose(voice.Settings("piper"))
    yield said
    voice.choose(before)


def narrate(name: str) -> tuple[list[tuple[float, float, str]], object]:
    """Dry-run a scene; its subtitles (start, end, text) and the scene."""
    scene = dry_scene(order.load(name))
    subs = [(c.start.total_seconds(), c.end.total_seconds(), c.content) for c in scene.renderer.file_writer.subcaptions]
    return subs, scene


def said_as_words(value) -> re.Pattern:
    """The words of a number, not as the start of a longer number nor with a sign it does not have."""
    words = narration.number_words(fmt(value))
    sign = "" if words.startswith("minus") else r"(?<!minus )"
    return re.compile(rf"{sign}\b{words}\b(?! point)(?! (?:{'|'.join(DIGIT_WORDS)})\b)")


def chain_by_hand(x, w, b, act):
    """Forward and backward pass of the chain, written out here (not mathcore's code)."""
    f = {"tanh": math.tanh, "relu": lambda z: max(z, 0.0)}[act]
    df = {"tanh": lambda z: 1 - math.tanh(z) ** 2, "relu": lambda z: float(z > 0)}[act]
    zs, hs, inp = [], [], x
    for wi, bi in zip(w, b):
        zs.append(wi * inp + bi)
        hs.append(f(zs[-1]))
        inp = hs[-1]
    grad_z = [0.0] * len(w)
    grad_z[-1] = df(zs[-1])
    for i in range(len(w) - 2, -1, -1):
        grad_z[i] = grad_z[i + 1] * w[i + 1] * df(zs[i])
    grad_w = [g * h for g, h in zip(grad_z, [x] + hs[:-1])]
    return {"z": zs, "h": hs, "output": hs[-1], "grad_z": grad_z, "grad_w": grad_w}


#: The slides' numbers (x = 1, w = 0.1, -0.2, -0.1, b = 0, 0.1, 0.2, ReLU; the tree x2 = a*x0*(b*x0 + c),
#: a = b = c = 1, x0 = 0.5, by hand: x2 = 0.75, d x2/d(a, x0, b, c) = 0.75, 2, 0.25, 0.5).
SHIPPED = {
    "ForwardPass": [0.192, 0.08, -0.2, -0.1, 0.1, 0.2],
    "BackwardPass": [0.02, -0.1, 0.08, -0.01],
    "ComputeTree": [0.75, 2, 0.25, 0.5],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["TitleCard", "ComputeTree", "ForwardPass", "BackwardPass", "GradientDescentUpdate"])
def test_narration_speaks_the_shipped_config_numbers_in_time(name, shipped, stand_in_voice):
    subs, scene = narrate(name)
    shown = " ".join(text for _, _, text in subs)
    spoken = " ".join(stand_in_voice)
    assert "{" not in shown and "{" not in spoken
    for value in SHIPPED.get(name, []):
        assert re.search(rf"(?<![\d.]){re.escape(fmt(value))}(?![\d])", shown), f"{fmt(value)} not in the subtitles"
        assert said_as_words(value).search(spoken), f"{narration.number_words(value)!r} not said"
    if name == "TitleCard":
        assert shipped.lecture.lecturer in shown and shipped.lecture.title in spoken
    if name == "GradientDescentUpdate":  # the cost's minimum and the start, from [gd]
        assert "w0 = -0.5" in shown and "w star equals one" in spoken
    # the subtitles are the spoken text, sentence for sentence
    assert narration.spoken(shown) == spoken
    # timing: each beat lasts its speech and a breath; the next one's speech starts after that
    log = scene.speech_log
    assert len(log) == len([b for slide in slides_in_construct(type(scene)) for b in slide])
    for beat, after in zip(log, log[1:] + [None]):
        speech_end = beat["sentences"][-1][1]
        assert beat["sentences"][0][0] == beat["start"]
        assert beat["end"] >= speech_end + base.BREATH - 1e-9
        if after:
            assert after["start"] >= beat["end"] - 1e-9
        for (t0, t1, sentence), nxt in zip(beat["sentences"], beat["sentences"][1:]):
            assert t1 - t0 == pytest.approx(SECONDS_PER_CHARACTER * len(narration.spoken(sentence)))
            # time to think after a question, to pause the video after an exercise (tests/scenes/test_pauses.py)
            exercise = re.search(r"please spend|pause the video", sentence, re.IGNORECASE)
            gap = 1.5 if sentence.endswith("?") else 2.0 if exercise else voice.SENTENCE_GAP
            assert nxt[0] == pytest.approx(t1 + gap)
    # each sentence's subtitle starts when the sentence does
    starts = {round(t0, 3) for _, t0, *_ in [(None, *s) for b in log for s in b["sentences"]]}
    assert starts <= {round(t0, 3) for t0, _, _ in subs}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["TitleCard", "ComputeTree", "ForwardPass", "BackwardPass"])
def test_under_another_config_the_narration_says_its_numbers_and_none_of_the_shipped(name, use_config,
                                                                                    stand_in_voice):
    cfg = use_config(ALT_CONFIG)
    subs, _ = narrate(name)
    shown = " ".join(text for _, _, text in subs)
    spoken = " ".join(stand_in_voice)
    chain = chain_by_hand(0.7, [1.3, -0.45, 0.9, 1.7], [-0.35, 0.6, 0.15, -0.05], "tanh")
    p, q, r = 1.25, -0.75, 3.5
    expect = {
        "TitleCard": [],
        "ComputeTree": [(p * q + r) * p - q, 2 * p * q + r, p * p - 1, p],  # y, dy/dp, dy/dq, dy/dr
        "ForwardPass": [*chain["h"], 0.7, 1.3, -0.45, -0.35],
        "BackwardPass": [*chain["grad_z"], *chain["grad_w"]],
    }[name]
    for value in expect:
        assert re.search(rf"(?<![\d.]){re.escape(fmt(value))}(?![\d])", shown), f"{fmt(value)} not in the subtitles"
        assert said_as_words(value).search(spoken), f"{narration.number_words(value)!r} not said"
    if name == "TitleCard":
        assert "A. Tester" in shown and "Gradients, checked" in spoken and "Lee Hwee Kuan" not in shown
    if name == "ForwardPass":
        # the subtitles write the activation, the voice says it as the lexicon spells it
        assert "tanh" in shown and "tanch" in spoken and "relu" not in (shown + spoken).lower()
    allowed = {fmt(v) for v in expect} | {"1", "0"}
    for value in SHIPPED.get(name, []):
        if fmt(value) in allowed or float(value).is_integer():  # small counts ("2 steps") are not config numbers
            continue
        assert not re.search(rf"(?<![\d.-]){re.escape(fmt(value))}(?![\d])", shown), f"shipped {fmt(value)} shown"
        assert not said_as_words(value).search(spoken), f"shipped {fmt(value)} said"
    assert cfg.chain.activation == "tanh"


# --- the manifests: a narration edit re-renders only its scene; so does a voice change, for all -------


def test_editing_one_beats_narration_rerenders_only_its_scene(tmp_path, monkeypatch):
    from scenes.pipeline import incremental

    folder = tmp_path / "lecture"
    folder.mkdir()
    (folder / "lecture.toml").write_text("")
    shutil.copy(lecture_config.DEFAULT_CONFIG.parent / captions.FILE_NAME, folder / captions.FILE_NAME)
    monkeypatch.setenv(lecture_config.ENV_VAR, str(folder / "lecture.toml"))
    media = tmp_path / "media"
    scenes = ["TitleCard", "ForwardPass"]
    for scene in scenes:  # manifests as a render leaves them, with files in place
        video, slides = media / f"{scene}.mp4", media / f"{scene}.json"
        media.mkdir(exist_ok=True)
        video.write_bytes(b"v"), slides.write_text("{}")
        incremental.record(scene, media, "l", False, ["chain", "lecture"], [],
                           {"video": str(video), "slides": str(slides)})
    assert [incremental.decide(s, media, "l").render for s in scenes] == [False, False]

    text = (folder / captions.FILE_NAME).read_text()
    edited = text.replace('show_output = "So the output', 'show_output = "Therefore the output')
    assert edited != text
    (folder / captions.FILE_NAME).write_text(edited)
    decisions = {s: incremental.decide(s, media, "l") for s in scenes}
    assert not decisions["TitleCard"].render
    assert decisions["ForwardPass"].render and decisions["ForwardPass"].reasons == ["its captions changed"]

    before = voice.chosen()
    try:
        voice.choose(voice.Settings("piper", rate=1.1))  # another voice: every scene speaks differently
        for s in scenes:
            d = incremental.decide(s, media, "l")
            assert d.render and any(r.startswith("voice changed") for r in d.reasons), d.reasons
    finally:
        voice.choose(before)


def test_voice_identity_names_model_piper_and_rate():
    silent, spoken = voice.Settings().identity(), voice.Settings("piper", rate=1.25).identity()
    assert silent == {"voice": "none"}
    assert spoken["rate"] == 1.25 and spoken["piper"] == "1.8.0" and len(spoken["model"]) == 16
    assert voice.key("Hello.", voice.Settings("piper")) != voice.key("Hello.", voice.Settings("piper", rate=1.25))
    assert json.dumps(spoken)  # goes into the manifests as JSON


@pytest.mark.slow
def test_speaker_notes_are_the_filled_narration(shipped):
    _, scene = narrate("ForwardPass")
    notes = "\n".join(s.notes for s in scene._slides) + scene._base_slide_config.notes
    assert "So the output of the network is the last h, which is 0.192." in notes
    assert "{" not in notes


class PausesInsideABeat(base.LectureScene):
    def construct(self):
        self.two_parts()

    @base.beat
    def two_parts(self):
        """Waits a moment, pauses, waits again."""
        self.wait(0.2)
        self.next_slide()
        self.wait(0.2)


def test_a_pause_inside_a_beat_waits_for_its_speech(tmp_path, monkeypatch, stand_in_voice):
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text(
        '[PausesInsideABeat]\ntwo_parts = "A sentence that takes a while. And one more."\n')
    monkeypatch.setenv(lecture_config.ENV_VAR, str(tmp_path / "lecture.toml"))
    paused_at = []
    monkeypatch.setattr(PausesInsideABeat, "beat_observers", [lambda scene: paused_at.append(scene.renderer.time)])
    with tempconfig({"quality": "low_quality", "dry_run": True, "disable_caching": True, "progress_bar": "none",
                     "verbosity": "WARNING"}):
        scene = PausesInsideABeat(skip_animations=True)
        scene.render()
    (beat,) = scene.speech_log
    speech_end = beat["sentences"][-1][1]
    assert speech_end > 1.0  # the stand-in speaks 0.06 s a character
    assert paused_at[0] >= speech_end + base.BREATH - 1e-9  # the pause, not before the speech is over
    assert beat["end"] == pytest.approx(paused_at[0] + 0.2, abs=1 / 15)  # then the beat's rest
