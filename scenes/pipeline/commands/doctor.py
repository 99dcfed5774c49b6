"""``lecture doctor``: the system tools the lecture needs."""
from __future__ import annotations

import shutil
import subprocess
import sys

import click


@click.command()
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
