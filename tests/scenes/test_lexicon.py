"""The lexicon: what piper is given for the slides' terms and symbols (the subtitles keep the written form).

The spoken forms are checked three ways: as text; as the sounds espeak-ng makes of them, which is
exactly what piper's voice model reads (deterministic, no model needed); and, where a recogniser can
tell the two apart, by what pocketsphinx hears piper say when it must choose between the intended
words and the mistake (espeak says BS6207 "six thousand two hundred seven", ReLU "ree-loo", tanh "tan").
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from mathcore.errors import ConfigError
from scenes import narration, voice

#: written -> what the voice must be given
SPOKEN = {
    "Welcome to BS6207.": "Welcome to B S six two oh seven.",
    "Now try ReLU, tanh and sigmoid.": "Now try rayloo, tanch and sigmoid.",
    "using relu": "using rayloo",
    "The same happens on XOR.": "The same happens on ex-or.",
    "With η = 0.7, steps are short.": "With eta equals zero point seven, steps are short.",
    "Multiply by dz/dw, the input.": "Multiply by d z by d w, the input.",
    "Since dz/db is 1,": "Since d z by d b is one,",
    "x·y = |x| |y| cos θ.": "x dot y equals the length of x times the length of y times cos theta.",
    "x·y = |x||y| cos θ": "x dot y equals the length of x times the length of y times cos theta",
    "Each product is |y| times the projection.": "Each product is the length of y times the projection.",
    "With a = 2, C = a·w.": "With eh equals two, C equals eh dot w.",
    "Take a pair, a (small) step.": "Take a pair, a (small) step.",  # the article stays
    "TEST101 in 2031": "T E S T one oh one in two thousand thirty one",
    "Contains 2⁶: it has 2⁶ = 64 as a factor.":
        "Contains two to the sixth: it has two to the sixth equals sixty four as a factor.",  # espeak: "two six"
}


@pytest.mark.parametrize("written", list(SPOKEN))
def test_the_spoken_form_of_each_entry(written):
    assert narration.spoken(written) == SPOKEN[written]


def sounds(text: str) -> str:
    """The phonemes piper's voice gets for ``text`` (the shipped voice phonemizes with espeak-ng, en-us)."""
    from piper.phonemize_espeak import EspeakPhonemizer

    config = json.loads(voice.config_path(voice.shipped_model()).read_text())
    assert config["phoneme_type"] == "espeak"
    return " | ".join("".join(s) for s in EspeakPhonemizer().phonemize(config["espeak"]["voice"], text))


#: written, the sounds (IPA, as espeak-ng writes them) the listener must hear, and the sounds of the mistake
SOUNDS = [
    ("Welcome to BS6207.", "bˈiːʲ ˈɛs sˈɪks tˈuː ˈoʊ sˈɛvən", "θˈaʊzənd"),
    ("Try ReLU.", "ɹˈeɪluː", "ɹˌiː"),  # one stress: with two ("ray-loo") piper's "ray" came out as "ree"
    ("Try relu.", "ɹˈeɪluː", "ɹᵻ"),
    ("Try tanh.", "tˈæntʃ", "tˈæn."),
    ("On XOR.", "ˈɛksɔːɹ", "zˈɔːɹ"),
    ("With a = 2.", "wɪð ˈeɪ ˈiːkwəlz", "wɪð ɐ"),
    ("By dz/dw.", "dˈiː zˈiː baɪ dˈiː dˈʌbəljˌuː", "slˈæʃ"),
    ("x·y = |x| |y| cos θ.", "lˈɛŋθ ʌv ˈɛks tˈaɪmz ðə lˈɛŋθ ʌv wˈaɪ tˈaɪmz kˈɑːs θˈeɪɾə", "|"),
    ("Here η is small.", "ˈiːɾə", "ˈeɪtə"),
]


@pytest.mark.parametrize("written, wanted, mistake", SOUNDS)
def test_piper_is_given_the_intended_sounds(written, wanted, mistake):
    said = sounds(narration.spoken(written))
    assert wanted in said and mistake not in said, said


def test_the_written_forms_alone_would_be_said_wrongly():
    """Why each entry exists: espeak-ng's own reading of the written form is the mistake."""
    for written, _, mistake in SOUNDS[:6]:
        assert mistake in sounds(written), written


def heard_choice(path, prefix: str, options: list[str], words: dict[str, str]) -> str:
    """Which of ``options`` pocketsphinx hears after ``prefix`` in a sound file (a grammar allowing only those)."""
    from pocketsphinx import Decoder

    from tests.render.test_voice import audio_of

    pcm = np.clip(audio_of(path, 16000) * 32767, -32768, 32767).astype(np.int16)
    decoder = Decoder(samprate=16000, lm=None)
    for word, phones in words.items():
        if decoder.lookup_word(word) is None:
            decoder.add_word(word, phones, True)
    choices = " | ".join(f"( {o} )" for o in options)
    decoder.add_jsgf_string("choice", f"#JSGF V1.0;\ngrammar choice;\npublic <s> = {prefix} ( {choices} );\n")
    decoder.activate_search("choice")
    decoder.start_utt()
    decoder.process_raw(pcm.tobytes(), full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr if decoder.hyp() else ""


#: written, the prefix, the intended words first and the mistake second, and words the recogniser's dictionary lacks
HEARD = [
    ("Welcome to BS6207.", "welcome to", ["b s six two oh seven", "b s six thousand two hundred seven"], {}),
    ("Try it with tanh.", "try it with", ["tanch", "tann"], {"tanch": "T AE N CH", "tann": "T AE N"}),
]


@pytest.mark.slow
@pytest.mark.parametrize("written, prefix, options, words", HEARD)
def test_a_recogniser_hears_piper_say_the_intended_words(written, prefix, options, words, tmp_path):
    """Where pocketsphinx tells them apart every time (5 fresh syntheses in 5). It cannot hear XOR's "ex"
    from "z", nor the letter a from the article in a short phrase, and it hears piper's "rayloo" as
    intended only 4-5 times in 6 (its "ray-loo" 0 in 6): those are checked by their sounds above."""
    settings = voice.Settings("piper", cache=str(tmp_path))
    speech = voice.say(narration.spoken(written), settings)
    assert heard_choice(speech.path, prefix, options, words) == f"{prefix} {options[0]}"


def test_a_broken_lexicon_is_one_line_naming_the_entry(tmp_path):
    path = tmp_path / "lexicon.toml"
    for text, key in [("[[patterns]]\nmatch = '(unclosed'\nsay = 'x'\n", "[[patterns]] #1"),
                      ("[[patterns]]\nmatch = 'a'\nsay = 'x'\n[[patterns]]\nmatch = 'b'\n", "[[patterns]] #2"),
                      ("[[patterns]]\nmatch = '(a)'\nsay = '\\2'\n", "[[patterns]] #1"),
                      ("[words]\nReLU = 3\n", "[words]"),
                      ("[word]\nReLU = 'ray-loo'\n", "[word]"),
                      ("[words\n", "lexicon")]:
        path.write_text(text)
        with pytest.raises(ConfigError) as err:
            narration.lexicon(path)
        message = str(err.value)
        assert "\n" not in message and str(path) in message and key in message, message


def test_the_cli_checks_the_lexicon_before_rendering(tmp_path, monkeypatch):
    """voice.validate, which `lecture render` and `lecture build` call before any scene renders."""
    broken = tmp_path / "lexicon.toml"
    broken.write_text("[[patterns]]\nmatch = '(unclosed'\nsay = 'x'\n")
    monkeypatch.setattr(narration, "LEXICON", broken)
    with pytest.raises(ConfigError, match=r"lexicon.toml: \[\[patterns\]\] #1"):
        voice.validate(voice.Settings("piper"))
    voice.validate(voice.Settings("none"))  # silence says nothing, so needs no lexicon


def test_a_lexicon_edit_re_renders_but_resynthesizes_only_what_it_changed(tmp_path, monkeypatch):
    """The render manifests hold the voice's identity (with the lexicon's digest); the sentence cache is
    keyed by the spoken text, which the lexicon already decided."""
    settings = voice.Settings("piper")
    edited = tmp_path / "lexicon.toml"
    edited.write_text(narration.LEXICON.read_text() + "\n# an edit\n")
    before = settings.identity(), voice.key("Some sentence.", settings)
    monkeypatch.setattr(narration, "LEXICON", edited)
    after = settings.identity(), voice.key("Some sentence.", settings)
    assert before[0] != after[0] and before[1] == after[1]
