"""``lecture``: list, render, benchmark and check the lecture's scenes."""
from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from mathcore import config as lecture_config
from mathcore.errors import run_cli
from scenes import order

QUALITY = click.Choice(["l", "m", "h", "p", "k"])


def use_config(config_file: str | None) -> None:
    """Validate the config and the tables it names now (exit 2 before anything renders) and hand it to the scenes."""
    from mathcore import data

    if config_file:
        os.environ[lecture_config.ENV_VAR] = str(Path(config_file).resolve())
    data.check_tables(lecture_config.load())


def check_scenes(names: tuple[str, ...]) -> list[str]:
    known = order.names()
    for name in names:
        if name not in known:
            raise click.BadParameter(f"unknown scene {name!r}; the scenes are: {', '.join(known)}", param_hint="SCENE")
    return list(names) or known


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Render the back-propagation lecture (Manim scenes driven by mathcore)."""
    from scenes import manim_patches

    try:  # the patches of manim's internals were tested with one manim version only
        manim_patches.check_manim()
    except manim_patches.UntestedManim as err:
        raise click.ClickException(str(err)) from None


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the scenes as JSON.")
def list_scenes(as_json):
    """The scenes, in lecture order."""
    rows = []
    for module, name in order.LECTURE:
        cls = order.load(name)
        rows.append({"scene": name, "module": module, "title": cls.TITLE})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for k, row in enumerate(rows, 1):
        click.echo(f"{k:2d}. {row['scene']:<16} {row['title']}  ({row['module']})")


JOBS_HELP = "Scenes rendered at once, each in its own worker process (default: the number of cores)."


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


def use_voice(kind: str, model: str | None, rate: float) -> None:
    """Check the voice now (a missing or unreadable model: one line, exit 2, before anything renders) and
    make it the one this run's workers speak with (each job carries it)."""
    from scenes import voice

    settings = voice.Settings(kind, str(Path(model).resolve()) if model else "", rate)
    voice.validate(settings)
    voice.choose(settings)


SCHEDULER_HELP = "Render on a Dask cluster at this scheduler address (pip install '.[dask]'; shared media folder)."


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("-q", "--quality", type=QUALITY, default="l", show_default=True,
              help="l 480p15, m 720p30, h 1080p60, p 1440p60, k 2160p60.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@click.option("--force", is_flag=True, help="Render even the scenes that are up to date.")
@click.option("--explain", is_flag=True, help="Say which scenes would be rendered and why; render nothing.")
@click.option("--scheduler", default=None, metavar="ADDRESS", help=SCHEDULER_HELP)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Lecture config (default: $LECTURE_CONFIG, else assets/lecture.toml).")
@click.option("--media-dir", default="media", show_default=True, help="Where manim writes videos.")
@voice_options
def render(scenes, quality, jobs, force, explain, scheduler, config_file, media_dir, voice_kind, voice_model,
           speech_rate):
    """Render SCENES (all, in lecture order, by default) that changed since their last render."""
    from rich.console import Console
    from rich.table import Table

    use_config(config_file)
    use_voice(voice_kind, voice_model, speech_rate)
    names = check_scenes(scenes)
    from scenes.pipeline import render as renderer

    if explain:
        for d in renderer.plan(names, quality, Path(media_dir).resolve(), force=force):
            click.echo(f"{d.scene:<24} {'render' if d.render else 'skip  '}  {'; '.join(d.reasons)}")
        return
    with executor_for(scheduler) as executor:
        results = renderer.render_lecture(names, quality, media_dir, Console(stderr=True), jobs, force,
                                          executor=executor)
    table = Table(title=f"lecture render -q {quality}")
    for col in ("scene", "status", "video (s)", "render (s)", "peak MB"):
        table.add_column(col)
    table.add_column("output", overflow="fold")
    for r in results:
        table.add_row(r.scene, r.status, f"{r.video_seconds:.1f}", f"{r.seconds:.1f}",
                      f"{r.peak_mb:.0f}" if r.peak_mb else "",
                      _short(r.path) if r.ok and r.path else f"{r.error} (log: {_short(r.log)})")
    Console().print(table)
    if any(not r.ok for r in results):
        raise SystemExit(1)


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
        client = Client(scheduler, timeout=10)
    except (OSError, TimeoutError) as err:
        raise click.BadParameter(f"cannot reach the Dask scheduler at {scheduler}: {err}",
                                 param_hint="--scheduler") from None
    from scenes.pipeline.render import ClusterExecutor

    with client:
        yield ClusterExecutor(client)  # gives up, in one line, on a cluster left with no workers


@cli.command()
@click.option("--scenes", "scene_list", default="", help="Comma-separated scenes to build (default: all).")
@click.option("-q", "--quality", type=QUALITY, default="l", show_default=True,
              help="l 480p15, m 720p30, h 1080p60, p 1440p60, k 2160p60.")
@click.option("--format", "formats", default="mp4,png", show_default=True,
              help="Clip formats, comma-separated: mp4, webm, gif, mov, png.")
@click.option("--transparent", is_flag=True, help="Clips with an alpha channel (webm or mov) to lay over a slide.")
@click.option("--background", default=None,
              help="Background colour (#rrggbb or a manim colour name), or 'light' for the light theme.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Output folder (updated in place).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Lecture config (default: $LECTURE_CONFIG, else assets/lecture.toml).")
@click.option("--media-dir", default="media", show_default=True, help="Where manim writes videos.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@click.option("--scheduler", default=None, metavar="ADDRESS", help=SCHEDULER_HELP)
@click.option("--no-wait", is_flag=True,
              help="If another build is writing to --out, exit (status 2) instead of waiting.")
@voice_options
def build(scene_list, quality, formats, transparent, background, out_dir, config_file, media_dir, jobs, scheduler,
          no_wait, voice_kind, voice_model, speech_rate):
    """The lecture video with chapters and captions, the slide deck, clips and an index page."""
    from rich.console import Console
    from rich.table import Table

    use_config(config_file)
    use_voice(voice_kind, voice_model, speech_rate)
    names = check_scenes(tuple(n for n in scene_list.split(",") if n.strip()))
    fmts = check_formats(formats, transparent)
    use_background(background)
    out = check_writable(Path(out_dir))
    from scenes.pipeline import deck
    from scenes.pipeline import lecture_build as pipeline

    deck.check_assets()  # before minutes of rendering
    console = Console(stderr=True)
    from scenes.pipeline.folder_lock import FolderBusy

    try:
        with executor_for(scheduler) as executor:
            outcome = pipeline.run(pipeline.Build(names, quality, fmts, out, Path(media_dir), transparent, jobs),
                                   console, executor, wait=not no_wait)
    except FolderBusy as busy:
        console.print(f"lecture build: {busy}", soft_wrap=True)
        raise SystemExit(2) from None
    table = Table(title=f"lecture build -q {quality}: {outcome.seconds:.0f} s")
    table.add_column("output")
    table.add_column("size", justify="right")
    for path in outcome.outputs.values():
        table.add_row(_short(path), _size(path))
    clips = sorted((out / "clips").rglob("*.*")) if (out / "clips").exists() else []
    table.add_row(f"{_short(out / 'clips')}/ ({len(clips)} files)", _size(*clips))
    Console().print(table)
    for line in outcome.failed:
        console.print(f"[red]failed[/] {line}")
    if outcome.failed:
        raise SystemExit(1)


def check_formats(formats: str, transparent: bool) -> list[str]:
    from scenes.pipeline.clips import FORMATS

    fmts = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        raise click.BadParameter(f"unknown format {bad[0] if bad else formats!r}; "
                                 f"expected some of {', '.join(FORMATS)}", param_hint="--format")
    if transparent and not {"webm", "mov"} & set(fmts):
        raise click.BadParameter("--transparent needs webm or mov among the formats (mp4 has no alpha)",
                                 param_hint="--format")
    return fmts


def use_background(background: str | None) -> None:
    """Pick the theme before any scene module is imported (they take their colours at import)."""
    if background is None:  # the default palette, and manim need not load for a build with nothing to do
        return
    from scenes import theme

    if background == "light":
        theme.use("light")
        return
    try:
        theme.use("dark", background)
    except ValueError:
        raise click.BadParameter(f"{background!r} is not a colour (#rrggbb, a manim colour name, or 'light')",
                                 param_hint="--background") from None


def check_writable(out: Path) -> Path:
    probe = out / ".write-test"
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe.write_text("")
    except OSError as err:
        raise click.BadParameter(f"cannot write to {out}: {err.strerror}", param_hint="--out") from None
    finally:
        with contextlib.suppress(OSError):  # a full disk makes the file, then refuses its byte
            probe.unlink(missing_ok=True)
    return out


def _size(*paths: Path) -> str:
    total = sum(p.stat().st_size for p in paths if p.is_file())
    return f"{total / 1e6:.1f} MB" if total >= 1e5 else f"{total / 1e3:.0f} kB"


def _short(path: Path) -> str:
    """A path relative to here when it is below here."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("--out", "out_dir", default="media/keyframes", show_default=True, help="Folder for the PNGs.")
@click.option("-q", "--quality", type=QUALITY, default="l", show_default=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None)
def keyframes(scenes, out_dir, quality, config_file):
    """Write a PNG of the screen at every pause and at the end of each scene (fast: no video)."""
    from scenes.pipeline.keyframes import render_keyframes

    use_config(config_file)
    for name in check_scenes(scenes):
        for path in render_keyframes(order.load(name), Path(out_dir), quality):
            click.echo(str(path))


@cli.command()
@click.argument("deck", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Deck to write (default: DECK-with-clips.pptx beside DECK; re-running updates it).")
@click.option("--clips", "clips_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="A `lecture build` output folder (or its clips/).")
@click.option("--format", "fmt", type=click.Choice(["mp4", "webm", "mov"]), default="mp4", show_default=True,
              help="Clip format to embed (and to link from LaTeX snippets).")
@click.option("--snippets", "kinds", type=click.Choice(["html", "latex"]), multiple=True,
              help="Write an HTML (reveal.js, Quarto, Marp) or LaTeX (Beamer) snippet beside every clip.")
@click.option("--base", default=None, help="The clips folder as the HTML/LaTeX deck sees it (default: paths relative "
              "to each snippet).")
def embed(deck, out_file, clips_dir, fmt, kinds, base):
    """Fill the places marked `clip: Scene/slide` in DECK (.pptx) with the built clips; or write --snippets."""
    from rich.console import Console
    from rich.table import Table

    from scenes.pipeline import embed as embedding

    if deck is None and not kinds:
        raise click.UsageError("give a DECK (.pptx) to fill, or --snippets html|latex")
    index = embedding.ClipIndex(clips_dir)
    if deck is not None:
        target = out_file or embedding.default_output(deck)
        places = embedding.embed(deck, target, index, fmt)
        table = Table(title=f"{_short(target)}: {len(places)} clips")
        for col in ("slide", "marker", "clip", "duration (s)", "status"):
            table.add_column(col)
        for p in places:
            table.add_row(str(p.slide_no), f"clip: {p.ref}", f"{p.clip.name}.{fmt}", f"{p.clip.duration:.1f}", p.status)
        Console().print(table)
    if kinds:
        from scenes.pipeline import snippets

        written = snippets.write(index, list(kinds), base, fmt)
        table = Table(title=f"snippets beside the clips in {_short(index.folder)}")
        for col in ("clip", "duration (s)", "snippets"):
            table.add_column(col)
        for clip, files in written:
            table.add_row(clip.name, f"{clip.duration:.1f}", ", ".join(f.name for f in files))
        Console().print(table)


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("--out", "out_dir", default="out/sheets", show_default=True, help="Folder for the sheets.")
@click.option("--from-clips", "clips_dir", default=None, type=click.Path(file_okay=False),
              help="A build's clip folder (out/clips); scenes without clips there use key frames.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None)
def sheet(scenes, out_dir, clips_dir, config_file):
    """One contact sheet PNG per scene: the picture at every pause, labelled with its clip name."""
    from scenes.pipeline.sheet import make_sheet

    use_config(config_file)
    for name in check_scenes(scenes):
        path, labels = make_sheet(order.load(name), Path(out_dir), Path(clips_dir) if clips_dir else None)
        click.echo(f"{path}  ({len(labels)} pause{'' if len(labels) == 1 else 's'})")


@cli.command()
@click.argument("scenes", nargs=-1)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="A build's output folder (its videos/<Scene>.mp4 are measured).")
@click.option("--media-dir", default="media", show_default=True, help="The build's media folder (speech logs).")
@click.option("-q", "--quality", type=QUALITY, default="l", show_default=True, help="The build's quality.")
@click.option("--json", "json_file", default=None, type=click.Path(dir_okay=False), help="Also write the figures here.")
def pacing(scenes, out_dir, media_dir, quality, json_file):
    """How the picture keeps up with the voice in a build: motion share, beats frozen while the voice talks,
    the longest still stretch."""
    from rich.console import Console
    from rich.table import Table

    from mathcore.output import atomic_write
    from scenes.pipeline import incremental
    from scenes.pipeline import pacing as measure

    rows = []
    for name in check_scenes(scenes):
        video = Path(out_dir) / "videos" / f"{name}.mp4"
        manifest = incremental.manifest_path(Path(media_dir), quality, name)
        if not video.is_file():
            continue
        slides = Path(json.loads(manifest.read_text())["slides"]).parent if manifest.is_file() else Path(media_dir)
        rows.append(measure.pace(name, video, slides / f"{name}.speech.json"))
    if not rows:
        raise click.BadParameter(f"no scene videos under {Path(out_dir) / 'videos'} (run lecture build first)",
                                 param_hint="--out")
    table = Table(title=f"pacing of {out_dir}")
    for col in ("scene", "seconds", "moving", "longest still (s)", "frozen beats", "worst frozen talk (s)"):
        table.add_column(col)
    for r in rows:
        worst = max(r.beats, key=lambda b: b.frozen_talk, default=None)
        table.add_row(r.scene, f"{r.seconds:.1f}", f"{r.moving_share:.0%}", f"{r.longest_still:.1f}",
                      f"{len(r.frozen_beats)}/{len(r.beats)}", f"{worst.frozen_talk:.1f} {worst.beat}" if worst else "")
    figures = measure.summary(rows)
    Console().print(table)
    click.echo(f"lecture: {figures['seconds']} s, {figures['moving_share']:.0%} of frames move, "
               f"{figures['frozen_beats']} of {figures['beats']} beats talk over a still picture for more than "
               f"{measure.FROZEN_SECONDS:g} s, longest still {figures['longest_still']} s "
               f"({figures['longest_still_in']})")
    if json_file:
        atomic_write(Path(json_file), lambda tmp: tmp.write_text(json.dumps(figures, indent=1)))


@cli.command()
def doctor():
    """Check the system tools the lecture needs, and say how to install what is missing."""
    checks = [
        ("LaTeX (latex)", shutil.which("latex") is not None, "apt-get install texlive-latex-base "
         "texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended"),
        ("dvisvgm", shutil.which("dvisvgm") is not None, "apt-get install dvisvgm"),
        ("graphviz (dot)", shutil.which("dot") is not None, "apt-get install graphviz"),
        ("cairo", _pkg_config("cairo"), "apt-get install libcairo2-dev pkg-config"),
        ("pango", _pkg_config("pangocairo"), "apt-get install libpango1.0-dev pkg-config"),
        ("pycairo + manimpango", _imports("cairo", "manimpango"), "make setup (pip install -e .)"),
        ("torch", _imports("torch"), "pip install torch==2.13.0"),
    ]
    width = max(len(name) for name, _, _ in checks)
    for name, ok, hint in checks:
        click.echo(f"{name:<{width}}  {'ok' if ok else 'MISSING: ' + hint}")
    if not all(ok for _, ok, _ in checks):
        raise SystemExit(1)


def _pkg_config(name: str) -> bool:
    if shutil.which("pkg-config") is None:
        return False
    return subprocess.run(["pkg-config", "--exists", name]).returncode == 0


def _imports(*modules: str) -> bool:
    code = "; ".join(f"import {m}" for m in modules)
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


from scenes.pipeline.bench import bench  # noqa: E402  (a command of its own module)

cli.add_command(bench)


def main(args: list[str] | None = None) -> None:
    try:
        run_cli(cli, "lecture", args)
    finally:
        if args is None:  # the process ends here: the interpreter's last collection would walk
            gc.freeze()  # every object a build left (0.2-0.5 s after the build's last line)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
