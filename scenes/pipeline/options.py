"""What the ``lecture`` commands share: their options, the checks of those options' values, and how a
command shows a path or a size. ``--config`` is mathcore's own option (``mathcore.options.config_option``)."""
from __future__ import annotations

import contextlib
import os
import socket
import time
from pathlib import Path

import click

from mathcore import config as lecture_config
from mathcore.options import config_option
from scenes import order

__all__ = ["config_option", "jobs_option", "media_dir_option", "quality_option", "scenes_argument", "scheduler_option",
           "voice_options", "check_scenes", "executor_for", "use_config", "use_voice", "shown_path", "shown_size"]

QUALITY_HELP = "l 480p15, m 720p30, h 1080p60, p 1440p60, k 2160p60."

scenes_argument = click.argument("scenes", nargs=-1)


def quality_option(help: str | None = QUALITY_HELP):
    """-q/--quality, one of manim's quality letters (default l)."""
    return click.option("-q", "--quality", type=click.Choice(["l", "m", "h", "p", "k"]), default="l",
                        show_default=True, help=help)


def media_dir_option(help: str = "Where manim writes videos."):
    return click.option("--media-dir", default="media", show_default=True, help=help)


jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                           help="Scenes rendered at once, each in its own worker process (default: the number of "
                                "cores).")
scheduler_option = click.option("--scheduler", default=None, metavar="ADDRESS",
                                help="Render on a Dask cluster at this scheduler address (pip install '.[dask]'; "
                                     "shared media folder).")


def voice_options(command):
    """--voice, --voice-model, --speech-rate (render and build). $LECTURE_VOICE sets --voice's default
    when the flag is absent (the test suite renders silent with it)."""
    command = click.option("--speech-rate", type=float, default=1.0, show_default=True,
                           help="1 is the voice's own pace; 1.2 speaks a fifth faster "
                                "(piper's length_scale = 1/rate).")(command)
    command = click.option("--voice-model", type=click.Path(dir_okay=False), default=None,
                           help="Another piper voice (.onnx, its .onnx.json beside it); "
                                "default: the shipped en_US joe voice.")(command)
    return click.option("--voice", "voice_kind", type=click.Choice(["piper", "none"]), default="piper",
                        envvar="LECTURE_VOICE", show_default=True,
                        help="Speak every beat offline with piper, or none (silent videos).")(command)


def use_config(config_file: str | None) -> None:
    """Validate the config, the tables it names and the captions beside it now (exit 2 before anything renders or
    is written) and hand it to the scenes."""
    from mathcore import data
    from scenes import captions

    if config_file:
        os.environ[lecture_config.ENV_VAR] = str(Path(config_file).resolve())
    data.check_tables(lecture_config.load())
    captions.load()  # a caption with a control character: before a build writes its explorables


def check_scenes(names: tuple[str, ...]) -> list[str]:
    """The scenes named (all, in lecture order, if none); an unknown name is a usage error."""
    known = order.names()
    for name in names:
        if name not in known:
            raise click.BadParameter(f"unknown scene {name!r}; the scenes are: {', '.join(known)}", param_hint="SCENE")
    return list(names) or known


def use_voice(kind: str, model: str | None, rate: float) -> None:
    """Check the voice now (a missing or unreadable model: one line, exit 2, before anything renders) and
    make it the one this run's workers speak with (each job carries it)."""
    from scenes import voice

    settings = voice.Settings(kind, str(Path(model).resolve()) if model else "", rate)
    voice.validate(settings)
    voice.choose(settings)


#: How long a plain TCP scheduler's refused port is tried again: one started just before (`dask scheduler &`)
#: opens it within a few seconds; a mistyped port is then said in this long, not after Dask's 10 s of retries.
STARTING_GRACE = 3.0


def _refused_after_grace(scheduler: str, grace: float = STARTING_GRACE) -> None:
    """Raise OSError if a plain TCP scheduler's port still refuses a connection after ``grace`` seconds: Dask's
    client would retry it for its whole timeout (10 s) before saying so. Other protocols, and a host that does
    not answer, are left to Dask."""
    from distributed.comm.addressing import parse_address, parse_host_port

    protocol, location = parse_address(scheduler)
    if protocol != "tcp":
        return
    host, port = parse_host_port(location)
    deadline = time.monotonic() + grace
    while True:
        try:
            socket.create_connection((host, port), timeout=2).close()
            return
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
        except OSError:  # no answer in time, or a name to resolve again: Dask tries for its own timeout
            return


@contextlib.contextmanager
def executor_for(scheduler: str | None):
    """None (local worker processes) or a Dask cluster's concurrent.futures executor."""
    if scheduler is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise click.BadParameter("needs the Dask extra: pip install -e '.[dask]'", param_hint="--scheduler") from None
    try:
        _refused_after_grace(scheduler)
        client = Client(scheduler, timeout=10)
    except (OSError, TimeoutError) as err:
        raise click.BadParameter(f"cannot reach the Dask scheduler at {scheduler}: {err}",
                                 param_hint="--scheduler") from None
    from scenes.pipeline.render import ClusterExecutor

    with client:
        yield ClusterExecutor(client)  # gives up, in one line, on a cluster left with no workers


def shown_size(*paths: Path) -> str:
    total = sum(p.stat().st_size for p in paths if p.is_file())
    return f"{total / 1e6:.1f} MB" if total >= 1e5 else f"{total / 1e3:.0f} kB"


def shown_path(path: Path) -> str:
    """A path relative to here when it is below here."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
