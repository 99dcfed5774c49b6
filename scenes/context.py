"""One render's context: what, besides a scene's code, decides its picture and its sound.

A build makes one :class:`LectureContext` from its options (:meth:`LectureContext.of_this_process`) and puts it
in every render job; the worker renders the scene inside :meth:`LectureContext.active`, and
:class:`~scenes.base.LectureScene` takes its config from :func:`current`. ``manim render scenes/<file>.py
<Scene>`` has no build: the scene then gets the context its environment describes.

While a context is active it sets, and afterwards gives back:

- ``LECTURE_CONFIG`` and ``MATHCORE_CACHE``: mathcore runs on its own too, and reads them there;
- the voice every beat speaks with (:func:`scenes.voice.choose`);
- the record of data tables read (``mathcore.data.READ``), emptied, so a render lists only its own.

The look is chosen before any scene module is imported (:func:`scenes.theme.use`, which refuses a change
after): scene modules take colours when they are imported. A worker serves one build, so one look.
"""
from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mathcore import cache as mathcore_cache
from mathcore import config as lecture_config
from mathcore import data as mathcore_data

#: The environment a context sets while it is active (what mathcore reads on its own).
ENVIRONMENT = {"config": lecture_config.ENV_VAR, "cache": mathcore_cache.ENV_VAR}


@dataclass(frozen=True)
class LectureContext:
    config: str | None = None  # the lecture config file (absolute); None: mathcore's rule (the shipped one)
    cache: str | None = None  # mathcore's cache folder, or "off"; None: its default folder
    look: tuple[str, str] = ("dark", "")  # (palette, background colour or "")
    speech: dict = field(default_factory=dict)  # scenes.voice.Settings as a dict; empty: silent

    @classmethod
    def of_this_process(cls) -> LectureContext:
        """The context this process would render in: its environment, look and chosen voice."""
        from scenes import voice

        env = {name: os.environ.get(var) for name, var in ENVIRONMENT.items()}
        config = str(Path(env["config"]).resolve()) if env["config"] else None
        return cls(config, env["cache"], look(), voice.chosen().as_dict())

    def config_file(self) -> Path:
        """The config file this context reads."""
        return lecture_config.config_path(self.config)

    @contextlib.contextmanager
    def active(self):
        """Render inside this context; everything it set is given back afterwards."""
        from scenes import theme, voice

        theme.use(*self.look)
        saved_env = {var: os.environ.get(var) for var in ENVIRONMENT.values()}
        saved_voice, saved = voice.chosen(), _active["context"]
        _set_environment({var: getattr(self, name) for name, var in ENVIRONMENT.items()})
        voice.choose(self.speech)
        mathcore_data.READ.clear()
        _active["context"] = self
        try:
            yield self
        finally:
            _active["context"] = saved
            voice.choose(saved_voice)
            _set_environment(saved_env)


def _set_environment(values: dict[str, str | None]) -> None:
    """Set each variable to its value, or unset it for None."""
    for var, value in values.items():
        if value is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = value


def look() -> tuple[str, str]:
    """The look in use: only theme.use() changes it, and that imports the theme, so a process that never
    imported it has the default (and a build that draws nothing keeps manim unloaded)."""
    theme = sys.modules.get("scenes.theme")
    return theme.current() if theme else ("dark", "")


#: The context being rendered in (None outside :meth:`LectureContext.active`): the one piece of render state.
_active: dict[str, LectureContext | None] = {"context": None}


def current() -> LectureContext:
    """The active context, or (``manim render``, a test) the one this process's environment describes."""
    return _active["context"] or LectureContext.of_this_process()
