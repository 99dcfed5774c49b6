"""LectureScene: what every lecture scene shares (a manim-slides Slide, the config, the look)."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import ClassVar

from manim import LEFT, UP, FadeIn, Scene, Text, Wait, config
from manim_slides import Slide

from mathcore import config as lecture_config
from mathcore.errors import ConfigError
from scenes import captions, context, manim_patches, narration, theme, voice
from scenes.captions import beat  # noqa: F401  (scenes declare their beats with it)

#: A pause ends on at least this many still frames, so the clip's last two are the same: the first frame after an
#: animation can still differ from the next on thin overlapping lines (ReluTransform's grids, by 22 levels).
STILL_FRAMES = 3
#: settle()'s wait, when it waits, is at least this many frames (tests/render/test_still_pauses.py).
STILL_MIN_WAIT = 2
#: Seconds of silence after a beat's speech before the next beat (and its speech) starts.
BREATH = 0.3
#: Seconds of silence after a question (time to think of an answer) and after an exercise's instruction (time to
#: pause the video), instead of a sentence's or a beat's usual gap.
QUESTION_PAUSE = 1.5
EXERCISE_PAUSE = 2.0
QUESTION = re.compile(r"\?[\"'”’)]*$")
EXERCISE = re.compile(r"\b(please spend|pause the video)\b", re.IGNORECASE)


def pause_after(sentence: str, gap: float) -> float:
    """The silence after a spoken ``sentence`` whose usual gap is ``gap``: longer after a question or an exercise."""
    if EXERCISE.search(sentence):
        return max(gap, EXERCISE_PAUSE)
    if QUESTION.search(sentence.rstrip()):
        return max(gap, QUESTION_PAUSE)
    return gap


def slides_folder() -> Path:
    """Where manim-slides keeps this quality's slides: absolute (it resolves relative paths against the
    folder, not the working directory) and one per resolution, so renders at two qualities never mix."""
    return Path(config.media_dir).resolve() / "slides" / f"{config.pixel_height}p{config.frame_rate:g}"


class LectureScene(Slide):
    """Base of every lecture scene.

    ``construct()`` is a list of beats (methods marked ``@beat``, each with a one-line docstring); a
    lecturer's pause between beats is ``self.next_slide()``. ``self.cfg`` is the
    validated lecture config; scenes take every number from mathcore.
    """

    TITLE: ClassVar[str] = ""
    # Reversed clips double the encoding work; the slide deck decides if it needs them.
    skip_reversing = True
    #: Callables run with the scene at every pause and at the end (key frames, layout checks).
    beat_observers: ClassVar[list] = []
    #: "section.key" -> (the longest list, or largest count, this scene can draw, what it counts), e.g.
    #: ``{"chain.w": (4, "layers")}`` (mathcore itself takes any length).
    LIMITS: ClassVar[dict[str, tuple[int, str]]] = {}
    #: The names narration_values() gives: a caption naming another is refused before rendering.
    NARRATION: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def check_config(cls, cfg) -> None:
        """Refuse, in one line, a config or captions this scene cannot draw (the renderer asks before rendering)."""
        captions.check(cls)
        for key, (most, what) in cls.LIMITS.items():
            section, name = key.split(".")
            value = getattr(getattr(cfg, section), name)
            cls.refuse_more(cfg, key, value if isinstance(value, int) else len(value), most, what)

    @classmethod
    def refuse_more(cls, cfg, key: str, n: int, most: int, what: str) -> None:
        """One line, exit 2, if ``n`` of ``what`` (read from ``key``) is more than this scene draws."""
        if n > most:
            raise ConfigError(cfg.path, key, f"at most {most} {what}: {cls.__name__} draws no more "
                              "(mathcore computes any number)", f"{n} {what}")

    def __init__(self, *args, **kwargs):
        manim_patches.for_scenes()  # before the scene makes a glyph or a sound; importing this module changes nothing
        kwargs.setdefault("output_folder", slides_folder())
        dry_run = config.dry_run
        super().__init__(*args, **kwargs)
        if dry_run:  # Slide.__init__ turns movie writing back on, which breaks a dry run
            config.write_to_movie = False
        self.camera.background_color = theme.BACKGROUND
        self.context = context.current()
        # recording: the renderer learns which sections this scene read (to re-render on their change)
        cfg = lecture_config.load(self.context.config)
        self.check_config(cfg)
        self.cfg = lecture_config.recording(cfg)
        self._log = captions.SlideLog({})
        self._marked: dict[str, str] = {}  # each beat's caption with its marks
        self._marks: dict[str, float] = {}  # the running beat's marks: when each is spoken
        self.missed_marks: set[str] = set()  # marks the scene asked for that its captions do not have
        self._plays_at_pause = 0
        self._still_frames = STILL_FRAMES  # frames since the screen last changed

    def play(self, *animations, **kwargs):
        """Play, counting how many still frames end the video so far (a pause must end on a still picture)."""
        before = self.renderer.time
        super().play(*animations, **kwargs)
        still = bool(animations) and all(isinstance(a, Wait) for a in animations) and not self.should_update_mobjects()
        frames = math.ceil(round((self.renderer.time - before) * config.frame_rate, 6))
        self._still_frames = self._still_frames + frames if still else 0

    def settle(self) -> None:
        """Hold the finished picture for a few frames: manim's last frame of an animation is one step
        before its end, so a pause right after one would freeze it half done."""
        if self._still_frames < STILL_FRAMES:  # two frames at least: a one-frame wait is its own partial movie, which
            # the encoder starts with a key frame, so the pause's last frame would differ from the one before
            self.wait(max(STILL_MIN_WAIT, STILL_FRAMES - self._still_frames) / config.frame_rate)

    def next_slide(self, *args, **kwargs):
        """A lecturer's pause, on a finished still picture. Beat observers (key frames, layout checks) see it first."""
        self.hold_until(getattr(self, "_speech_end", 0.0))  # a pause inside a beat waits for the beat's speech
        self.settle()
        for observe in self.beat_observers:
            observe(self)
        self._close_slide()
        super().next_slide(*args, **kwargs)

    def _close_slide(self) -> None:
        """The slide ending here gets its notes: the captions of the beats that played on it (manim-slides keeps
        a slide's settings until it closes, so they are known by then, with no need to look ahead)."""
        self._base_slide_config.notes = self._log.pause(self._played_since_pause())

    def _played_since_pause(self) -> bool:
        played = self.renderer.num_plays > self._plays_at_pause
        self._plays_at_pause = self.renderer.num_plays
        return played

    def narration_values(self) -> dict:
        """The values the captions name ({name}), from the mathcore results this scene draws (after setup)."""
        return {}

    def _caption_beats(self) -> None:
        """Wrap each beat so it is spoken (with a voice) from its start, lasts at least as long as its speech
        or reading time, leaves subcaptions over its own time, and the slide log knows where it plays."""
        name_of = type(self).__name__
        templates = captions.load().get(name_of, {})
        self._log = log = captions.SlideLog({})
        filled = []  # once setup has run, before the first beat
        speaking = voice.chosen()
        self.speech_log = []  # per spoken beat: its start and end, and (start, end, sentence) of its speech

        def captioned(name, method):
            def run(*args, **kwargs):
                if not filled:  # setup has run: the values are known
                    filled.append(True)
                    values = self.narration_values()
                    if undeclared := set(values) - self.NARRATION:  # captions naming them were refused
                        raise TypeError(f"{name_of}.narration_values() gives {sorted(undeclared)}: not in NARRATION")
                    values = {**theme.colour_words(), **values}  # {negative_colour}: the word for what is drawn
                    self._marked = {b: narration.fill(t, values, f"{captions.captions_path()} [{name_of}] {b}")
                                    for b, t in templates.items()}
                    log.own = {b: captions.unmarked(t) for b, t in self._marked.items()}
                text, marked = log.own.get(name), self._marked.get(name)
                log.start(name)
                start = self.renderer.time
                spoken, cues = self._speak(marked, start) if text and speaking.on else ([], [])
                if text and not speaking.on:  # silent: a mark comes when a reader reaches its word
                    self._marks = self._read_marks(marked, start)
                self._speech_end = spoken[-1][1] + pause_after(spoken[-1][2], BREATH) if spoken else 0.0
                result = method(*args, **kwargs)
                need = self._speech_end - start if spoken else captions.reading_time(text) if text else 0.0
                short = need - (self.renderer.time - start)
                if spoken:  # hold until the speech and a breath are over
                    self.hold_until(start + need)
                elif short >= 1 / config.frame_rate:  # hold the last picture until the caption can be read
                    self.wait(short)
                end = self.renderer.time
                if spoken:  # each line from when its first word is spoken; the last stays to the beat's end
                    self.speech_log.append({"beat": name, "start": start, "end": end, "sentences": spoken,
                                            "lines": cues})
                    lines = [(t0, t1, line) for (t0, line), t1 in zip(cues, [c[0] for c in cues[1:]] + [end])]
                else:
                    lines = captions.timed(text, start, end) if text and end > start else []
                for t0, t1, line in lines:
                    self.add_subcaption(line, duration=t1 - t0, offset=t0 - end)
                log.end()
                return result

            return run

        for name in captions.beats_of(type(self)):
            setattr(self, name, captioned(name, getattr(self, name)))

    def hold_until(self, t: float) -> None:
        """Hold the picture in whole frames until time ``t`` (none if it has passed)."""
        short = t - self.renderer.time
        if short > 1e-6:
            self.wait((math.ceil(short * config.frame_rate - 1e-6) + 0.5) / config.frame_rate)

    def _speak(self, text: str, start: float) -> tuple[list[tuple[float, float, str]], list[tuple[float, str]]]:
        """Schedule the sentences of ``text`` one after another from ``start``; their (start, end, sentence),
        and the (start, line) of each subtitle line: when its first word is spoken, by piper's alignment (or,
        without one, after a share of the sentence proportional to the length of the lines before it)."""
        spans, cues, t = [], [], start
        self._marks = {}
        for marked in captions.sentences(text):
            sentence = captions.unmarked(marked)
            speech = voice.say(narration.spoken(sentence))
            self.add_sound(str(speech.path), time_offset=t - self.renderer.time)
            spans.append((t, t + speech.seconds, sentence))
            for mark, before in captions.marks_of(marked):  # when its word is spoken
                at = voice.line_starts([narration.spoken(before), narration.spoken(sentence[len(before):])], speech) \
                    if before else [0.0, 0.0]
                self._marks[mark] = t + (at[1] if at else speech.seconds * len(before) / max(1, len(sentence)))
            lines = captions.lines_of(sentence)
            starts = voice.line_starts([narration.spoken(line) for line in lines], speech)
            if starts is None:
                starts = [t0 - t for t0, _, _ in captions.timed(sentence, t, t + speech.seconds)]
            cues += [(t + s, line) for s, line in zip(starts, lines)]
            t += speech.seconds + pause_after(sentence, voice.SENTENCE_GAP)
        return spans, cues

    @staticmethod
    def _read_marks(text: str, start: float) -> dict[str, float]:
        """When a reader reaches each mark's word, reading from ``start`` at the captions' reading rate."""
        marks, t = {}, start
        for sentence in captions.sentences(text):
            for mark, before in captions.marks_of(sentence):
                marks[mark] = t + captions.reading_time(before)
            t += captions.reading_time(sentence)
        return marks

    def mark_time(self, mark: str) -> float | None:
        """When the running beat's caption reaches ``[[mark]]`` (its word spoken, or read when silent); None if
        the caption has no such mark (a lecturer's own captions may drop it: the scene then keeps its timing)."""
        at = self._marks.get(mark)
        if at is None:
            self.missed_marks.add(mark)
        return at

    def until(self, mark: str, default: float = theme.NORMAL) -> float:
        """A run time that ends an animation started now as ``[[mark]]``'s word is spoken (at least a few
        frames; ``default`` if the caption has no such mark): the picture changes as the voice names it."""
        at = self.mark_time(mark)
        return default if at is None else max(3 / config.frame_rate, at - self.renderer.time)

    def at(self, mark: str) -> None:
        """Hold the picture until ``[[mark]]``'s word is spoken (the next animation starts with it)."""
        if (t := self.mark_time(mark)) is not None:
            self.hold_until(t)

    def render(self, *args, **kwargs):
        """Render; a still (-s) or a dry run has no clips to make slides of, so skip that step."""
        self._caption_beats()
        if config.dry_run or config.save_last_frame:
            # No video, so no .srt beside it (manim would write one next to an empty output name).
            manim_patches.no_subcaption_file(self.renderer.file_writer)
            Scene.render(self, *args, **kwargs)
        else:
            super().render(*args, **kwargs)
            # Which beats each slide holds (clips are named after them): beside manim-slides' JSON.
            (slides_folder() / f"{type(self).__name__}.beats.json").write_text(json.dumps(self._log.slides))
            if voice.chosen().on:  # when each beat speaks (the tests compare it with the sound track)
                (slides_folder() / f"{type(self).__name__}.speech.json").write_text(json.dumps(self.speech_log))

    def tear_down(self):
        self.settle()
        if voice.chosen().on and not self.renderer.skip_animations:  # the sound track spans the whole video
            from pydub import AudioSegment

            self.renderer.file_writer.add_audio_segment(AudioSegment.silent(0), time=self.renderer.time)
        for observe in self.beat_observers:
            observe(self)
        self._close_slide()  # the last slide
        super().tear_down()

    def heading(self, text: str) -> Text:
        """A slide heading at the top left."""
        return (
            Text(text, font=theme.FONT, font_size=theme.HEADING_SIZE, color=theme.TEXT)
            .to_edge(UP, buff=theme.EDGE_BUFF)
            .to_edge(LEFT, buff=theme.EDGE_BUFF + 0.15)
        )

    def gather(self, sources, target, run_time: float = theme.NORMAL) -> None:
        """Copies of several sources fly into ``target``, which fades in (one target, many inputs)."""
        copies = [s.copy() for s in sources]
        self.play(
            *[c.animate.move_to(target).set_opacity(0) for c in copies],
            FadeIn(target),
            run_time=run_time,
        )
        self.remove(*copies)

    def text(self, text: str, size: int = theme.BODY_SIZE, color=theme.TEXT, **kwargs) -> Text:
        """Plain text in the lecture's font (config strings go through Text, never LaTeX)."""
        return Text(text, font=theme.FONT, font_size=size, color=color, **kwargs)
