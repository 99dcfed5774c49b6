"""The voice for real: piper's sentences at one loudness, cached, understood by an offline recogniser;
a scene's video carries them, each beat's speech where the beat starts; bad voice models are refused."""
from __future__ import annotations

import json
import os
import subprocess

import av
import numpy as np
import pytest
from manim import FadeIn, Square, tempconfig

from scenes import captions, narration, voice
from scenes.base import LectureScene

from .common import LECTURE, REPO

FRAME = 1 / 15  # -ql


@pytest.fixture
def piper(tmp_path):
    """Speak with the shipped voice into a fresh cache; silence again afterwards."""
    before = voice.chosen()
    settings = voice.choose(voice.Settings("piper", cache=str(tmp_path / "voice-cache")))
    yield settings
    voice.choose(before)


@pytest.mark.slow
def test_a_sentence_is_at_the_target_loudness_without_clipping(piper):
    import pyloudnorm

    speech = voice.say("Now we put in real numbers: the output is zero point one nine two.", piper)
    audio, rate = voice.read_wav(speech.path)
    assert 2.0 < speech.seconds < 8.0
    level = pyloudnorm.Meter(rate).integrated_loudness(audio)
    assert abs(level - voice.TARGET_LUFS) <= 1.0, level
    peak = 20 * np.log10(np.max(np.abs(audio)))
    assert peak < 0.0 and peak <= voice.PEAK_DBFS + 0.01, peak


@pytest.mark.slow
def test_a_sentence_is_synthesized_once(piper, monkeypatch):
    calls = []
    real = voice._synthesize
    monkeypatch.setattr(voice, "_synthesize",
                        lambda text, *rest, **seed: calls.append(text) or real(text, *rest, **seed))
    first = voice.say("The gradient is minus zero point one.", piper)
    stamp = first.path.stat().st_mtime_ns
    again = voice.say("The gradient is minus zero point one.", piper)
    assert calls == ["The gradient is minus zero point one."]
    assert again == first and first.path.stat().st_mtime_ns == stamp
    faster = voice.say("The gradient is minus zero point one.", voice.Settings("piper", rate=1.25, cache=piper.cache))
    assert len(calls) == 2 and faster.path != first.path


@pytest.mark.slow
def test_a_faster_rate_speaks_faster(piper):
    """rate 1.25 is piper's length_scale 0.8, but piper draws each sound's length with noise and keeps
    its pauses: a short sentence came out at 0.915 of its normal length once; this long one at
    0.83-0.89 in four fresh syntheses (normal 9.3-9.9 s)."""
    text = ("To update a weight we take the cost's slope with respect to that weight, multiply it by the "
            "learning rate, and step the other way, downhill, a little at a time, again and again.")
    normal = voice.say(text, piper)
    faster = voice.say(text, voice.Settings("piper", rate=1.25, cache=piper.cache))
    assert faster.seconds < normal.seconds * 0.95, (faster.seconds, normal.seconds)


def hear(path) -> str:
    """What pocketsphinx's US English model hears in a sound file (16 kHz mono)."""
    from pocketsphinx import Decoder

    samples = audio_of(path, 16000)
    pcm = np.clip(samples * 32767, -32768, 32767).astype(np.int16)
    decoder = Decoder(samprate=16000)
    decoder.start_utt()
    decoder.process_raw(pcm.tobytes(), full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr if decoder.hyp() else ""


def audio_of(path, rate: int) -> np.ndarray:
    """A file's first sound stream as mono floats at ``rate``."""
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        chunks = [g.to_ndarray().ravel() for f in container.decode(container.streams.audio[0])
                  for g in resampler.resample(f)]
        chunks += [g.to_ndarray().ravel() for g in resampler.resample(None)]
    return np.concatenate(chunks)


@pytest.mark.slow
def test_a_sentence_is_spoken_the_same_every_time(tmp_path):
    """Piper's graph draws random noise: unseeded, the same sentence came out with other lengths and
    timings each time (a rebuild after a cache wipe was another lecture, and a subtitle cue's distance
    from its word's sound varied)."""
    text = "Each z comes from the weight, the input from below and the bias."
    spoken = []
    for n in range(3):
        settings = voice.Settings("piper", cache=str(tmp_path / f"cache-{n}"))
        speech = voice.say(text, settings)
        spoken.append((voice.read_wav(speech.path)[0], speech.words))
    assert all(np.array_equal(spoken[0][0], audio) and spoken[0][1] == words for audio, words in spoken[1:])


@pytest.mark.slow
def test_a_recogniser_hears_the_numbers(piper):
    text = "The output is 0.192, and the first weight is -0.1."
    speech = voice.say(narration.spoken(text), piper)
    heard = hear(speech.path).split()
    wanted = "zero point one nine two minus zero point one".split()
    # the wanted number words in order, as a subsequence of what was heard (longest common subsequence)
    common = np.zeros((len(wanted) + 1, len(heard) + 1), int)
    for i, w in enumerate(wanted):
        for j, h in enumerate(heard):
            common[i + 1, j + 1] = common[i, j] + 1 if w == h else max(common[i, j + 1], common[i + 1, j])
    assert common[-1, -1] >= 0.7 * len(wanted), heard


# --- a scene with three beats, rendered at -ql with the voice -------------------------------------------


class ThreeBeats(LectureScene):
    NARRATION = frozenset({"side"})

    def construct(self):
        self.first()
        self.next_slide()
        self.second()
        self.third()

    @captions.beat
    def first(self):
        """A square."""
        self.square = Square()
        self.play(FadeIn(self.square))

    @captions.beat
    def second(self):
        """It turns, for longer than its speech."""
        self.play(self.square.animate.rotate(1.0), run_time=3.0)

    @captions.beat
    def third(self):
        """It shrinks."""
        self.play(self.square.animate.scale(0.5), run_time=0.5)


NARRATION = '''[ThreeBeats]
first = "Here is a square. Its side is {side}."
second = "It turns."
third = "Now it shrinks to half its size, and with that, we come to the end of this short scene about a square."
'''


def render_three_beats(tmp_path, monkeypatch):
    (tmp_path / "lecture.toml").write_text("")
    (tmp_path / "captions.toml").write_text(NARRATION)
    monkeypatch.setenv("LECTURE_CONFIG", str(tmp_path / "lecture.toml"))
    monkeypatch.setattr(ThreeBeats, "narration_values", lambda self: {"side": 2}, raising=False)
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path / "media"), "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING", "output_file": "ThreeBeats"}):
        scene = ThreeBeats()
        scene.render()
        return scene, scene.renderer.file_writer.movie_file_path


@pytest.mark.slow
def test_each_beat_speaks_from_its_start_and_the_sound_covers_the_video(tmp_path, monkeypatch, piper):
    scene, video = render_three_beats(tmp_path, monkeypatch)
    with av.open(str(video)) as c:
        (v,), (a,) = c.streams.video, c.streams.audio
        video_seconds = float(v.duration * v.time_base)
        audio_seconds = float(a.duration * a.time_base)
        assert a.codec_context.name == "aac"
    assert audio_seconds >= video_seconds - FRAME
    from tests.build.test_loudness import loudness_and_true_peak

    lufs, true_peak = loudness_and_true_peak(video)  # the scene video, as the lecture's outputs (test_loudness)
    assert abs(lufs - voice.TARGET_LUFS) <= 1.0 and true_peak <= -1.0, (lufs, true_peak)
    rate = 22050
    sound = np.abs(audio_of(video, rate))
    quiet = 0.01  # -40 dBFS
    log = scene.speech_log
    assert [b["beat"] for b in log] == ["first", "second", "third"]
    for beat, after in zip(log, log[1:] + [None]):
        # the sentence's own lead-in (piper starts with a little silence), then the same in the video
        lead, _ = voice.read_wav(voice.say(narration.spoken(beat["sentences"][0][2]), piper).path)
        lead_in = np.argmax(np.abs(lead) > quiet) / rate
        before = max(0.0, beat["start"] - 0.2)
        onset = before + np.argmax(sound[int(before * rate):] > quiet) / rate
        assert abs(onset - (beat["start"] + lead_in)) <= FRAME, (beat["beat"], onset, beat["start"], lead_in)
        speech_end = beat["sentences"][-1][1]
        assert beat["end"] >= speech_end + 0.3 - 1e-6  # the breath
        if after:  # nothing is said between this speech's end and the next beat's start
            gap = sound[int((speech_end + 0.05) * rate):int((after["start"] - 0.02) * rate)]
            assert gap.size and gap.max() < quiet, (beat["beat"], gap.max())
    # the second beat's animation (3 s) outlasts its speech: the beat is the animation's length
    second = log[1]
    assert second["end"] - second["start"] == pytest.approx(3.0, abs=2 * FRAME)
    # subtitles: each sentence appears when it is spoken, with the number as digits
    srt = video.with_suffix(".srt").read_text()
    assert "Its side is 2." in srt and "two" not in srt
    # the third beat's sentence is two subtitle lines: the second appears when its first word is spoken
    import srt as srt_module

    cues = {c.content: c.start.total_seconds() for c in srt_module.parse(srt)}
    first, second = captions.lines_of(NARRATION.splitlines()[3].split('"')[1])
    assert second.startswith("we come") and cues[first] == pytest.approx(log[2]["start"], abs=1e-3)
    before, delay = quiet_then_speaking(sound, rate, cues[second])
    assert before < quiet and delay <= ONSET, (cues[second], before, delay)
    (written,) = [json.loads(p.read_text()) for p in (tmp_path / "media").rglob("ThreeBeats.speech.json")]
    assert [b["beat"] for b in written] == ["first", "second", "third"]


#: A word's sound passes -40 dBFS at most this long after piper's alignment says it starts: its first phoneme
#: may be soft ("w"), and the alignment counts in steps of 256 samples (12 ms at 22 kHz). Measured over 40
#: syntheses of each sentence here: at most 58 ms. The pause before a line is longer (about 0.3 s), so a cue
#: at the pause's start fails.
ONSET = 0.1


def quiet_then_speaking(sound: np.ndarray, rate: int, t: float) -> tuple[float, float]:
    """The loudest sample in the 60 ms before ``t`` (silence before a word), and the seconds from ``t`` until
    the sound first passes -40 dBFS (the word's onset; infinite if it never does)."""
    after = np.abs(sound[int(t * rate):]) > 0.01
    return float(np.abs(sound[int((t - 0.06) * rate):int(t * rate)]).max()), \
        float(np.argmax(after) / rate) if after.any() else float("inf")


@pytest.mark.slow
@pytest.mark.parametrize("sentence", [
    "All the paths together, each with the cost where it ended: which went deeper than plain gradient descent?",
    "Each z comes from the weight, the input from below and the bias: the first z is 0.1 times 1, plus 0.",
])
def test_a_line_inside_a_sentence_starts_when_its_first_word_is_spoken(piper, sentence):
    """Against piper's alignment and the sound itself: the second line starts as the comma's pause ends."""
    lines = captions.lines_of(sentence)
    assert len(lines) == 2 and lines[0].endswith(",")
    speech = voice.say(narration.spoken(sentence), piper)
    starts = voice.line_starts([narration.spoken(line) for line in lines], speech, piper)
    assert starts is not None and starts[0] == 0.0
    audio, rate = voice.read_wav(speech.path)
    before, delay = quiet_then_speaking(audio, rate, starts[1])
    assert before < 0.01 and delay <= ONSET, (starts[1], before, delay)  # -40 dBFS before, then the word


@pytest.mark.slow
def test_voice_none_renders_silently(tmp_path, monkeypatch):
    assert not voice.chosen().on
    _, video = render_three_beats(tmp_path, monkeypatch)
    with av.open(str(video)) as c:
        assert len(c.streams.video) == 1 and len(c.streams.audio) == 0


# --- the CLI ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_lecture_render_speaks_and_records_the_voice(tmp_path):
    media = tmp_path / "media"
    done = subprocess.run([*LECTURE, "render", "TitleCard", "--voice", "piper", "--jobs", "1",
                           "--media-dir", str(media)],  # an empty speech cache: the render synthesizes
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, voice.CACHE_ENV: str(tmp_path / "speech")})
    assert done.returncode == 0, done.stderr[-2000:]
    (video,) = media.rglob("TitleCard.mp4")
    with av.open(str(video)) as c:
        (v,), (a,) = c.streams.video, c.streams.audio
        assert float(a.duration * a.time_base) >= float(v.duration * v.time_base) - FRAME
    assert not list(media.rglob("*.rendering.*")), "temporary files left behind"
    assert list((tmp_path / "speech").glob("*.wav")), "the render did not synthesize into the speech cache it was given"
    heard = hear(video)
    # piper samples its voice with noise, so the recogniser mishears a different word each run
    # ("gradient" came back as "greedy"): ask for most of the title card's words, not each one.
    words = ("welcome", "lecture", "network", "propagation", "gradient", "backwards")
    assert sum(w in heard for w in words) >= 4, heard
    manifest = json.loads((media / "renders" / "l" / "TitleCard.json").read_text())
    assert manifest["settings"]["voice"] == voice.Settings("piper").identity()


@pytest.mark.parametrize("make", ["missing", "garbage", "rate"])
def test_a_bad_voice_model_is_one_line_and_exit_2_before_rendering(tmp_path, make):
    model = tmp_path / "voice.onnx"
    if make == "garbage":
        model.write_bytes(b"not a model")
        (tmp_path / "voice.onnx.json").write_text('{"audio": {"sample_rate": 22050}}')
    media = tmp_path / "media"
    flags = ["--speech-rate", "0"] if make == "rate" else ["--voice-model", str(model)]
    done = subprocess.run([*LECTURE, "render", "TitleCard", "--voice", "piper", *flags, "--media-dir", str(media)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    named = ["--speech-rate"] if make == "rate" else ["voice.onnx", "--voice-model"]
    assert all(word in lines[0] for word in named), lines[0]
    assert not media.exists() or not list(media.rglob("*.mp4"))


def test_speech_is_kept_where_the_environment_says_unless_the_settings_say(tmp_path, monkeypatch):
    """$LECTURE_VOICE_CACHE moves the speech cache out of the checkout (the suite keeps it with its other caches,
    so CI's clean checkout does not synthesize again); a cache in the settings still wins; unset, .cache/voice."""
    monkeypatch.setenv(voice.CACHE_ENV, str(tmp_path / "shared"))
    assert voice.Settings("piper").cache_dir() == tmp_path / "shared"
    assert voice.Settings("piper", cache=str(tmp_path / "own")).cache_dir() == tmp_path / "own"
    monkeypatch.delenv(voice.CACHE_ENV)
    assert voice.Settings("piper").cache_dir() == REPO / ".cache" / "voice"
    assert voice.Settings("piper").identity() == voice.Settings("piper", cache=str(tmp_path)).identity()
    # speech made by another version of this module's code (its loudness, its limiter) is not served
    before = voice.key("Some sentence.", voice.Settings("piper"))
    monkeypatch.setattr(voice, "code_digest", lambda: "another version")
    assert voice.key("Some sentence.", voice.Settings("piper")) != before
