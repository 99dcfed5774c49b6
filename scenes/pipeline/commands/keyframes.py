"""``lecture keyframes``: a PNG at every pause, without video."""
from __future__ import annotations

from pathlib import Path

import click

from scenes import order
from scenes.pipeline.options import check_scenes, config_option, quality_option, scenes_argument, use_config


@click.command()
@scenes_argument
@click.option("--out", "out_dir", default="media/keyframes", show_default=True, help="Folder for the PNGs.")
@quality_option(help=None)
@config_option
def keyframes(scenes, out_dir, quality, config_file):
    """Write a PNG of the screen at every pause and at the end of each scene (fast: no video)."""
    from scenes.pipeline.keyframes import render_keyframes

    use_config(config_file)
    for name in check_scenes(scenes):
        for path in render_keyframes(order.load(name), Path(out_dir), quality):
            click.echo(str(path))
