"""``lecture``: list, render, build, benchmark and check the lecture's scenes.

Each command is a module of ``scenes/pipeline/commands/``; the options they share are in
``scenes/pipeline/options.py``. A new command: a module there, and a line in ``COMMANDS`` below.
"""
from __future__ import annotations

import gc
import sys

import click

from mathcore.errors import run_cli
from scenes.pipeline.commands import bench, build, doctor, embed, keyframes, list_scenes, pacing, render, sheet

COMMANDS = (list_scenes.list_scenes, render.render, build.build, keyframes.keyframes, embed.embed, sheet.sheet,
            pacing.pacing, doctor.doctor, bench.bench)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Render the back-propagation lecture (Manim scenes driven by mathcore)."""
    from scenes import manim_patches

    try:  # the patches of manim's internals were tested with one manim version only
        manim_patches.check_manim()
    except manim_patches.UntestedManim as err:
        raise click.ClickException(str(err)) from None


for command in COMMANDS:
    cli.add_command(command)


def main(args: list[str] | None = None) -> None:
    try:
        run_cli(cli, "lecture", args)
    finally:
        if args is None:  # the process ends here: the interpreter's last collection would walk
            gc.freeze()  # every object a build left (0.2-0.5 s after the build's last line)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
