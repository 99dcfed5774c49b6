"""``lecture list``: the scenes, in lecture order."""
from __future__ import annotations

import json

import click

from scenes import order


@click.command("list")
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
