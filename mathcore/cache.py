"""Results of training runs, cached on disk and keyed by what they depend on.

The key is the run's name, the config sections it reads (their digest), the source of
every mathcore module the computing code imports, directly or not (mathcore.closure),
the versions of torch and numpy, and the settings that force an arithmetic (NUMERICS: MKL's path, torch's CPU
vector code) when they are set: editing any of them recomputes. Trained results come out the same under every
vector code, but torch's gradient-descent runs move in their last bits (tests/mathcore/test_reproducible.py), so
a run that forces a code computes its own numbers and draws its key frames from them.
Scenes call the same functions as the CLI and hit the same cache.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import closure
from .config import REPO_ROOT

ENV_VAR = "MATHCORE_CACHE"  # a folder, or "off" to always recompute


def cache_dir() -> Path | None:
    where = os.environ.get(ENV_VAR, str(REPO_ROOT / ".cache" / "mathcore"))
    return None if where == "off" else Path(where)


LIBRARIES = ("torch", "numpy")  # their versions change the numbers a run produces


def library_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


#: Settings that force an arithmetic, in the key when set: MKL's conditional numerical reproducibility (another
#: path moves trained numbers, the autoencoder's latent coordinates by up to 8.8e-5) and torch's CPU vector code
#: (its scalar code moves untrained runs' last bits), so a result made under one is not served under another.
NUMERICS = ("MKL_CBWR", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY")


def numerics() -> dict[str, str]:
    return {name: os.environ[name] for name in NUMERICS if name in os.environ}


def code_digest(module: str) -> str:
    """A hash of ``module`` and every mathcore module it imports, directly or not."""
    files = closure.code_digests(module, ("mathcore",))
    return closure.json_digest(files)


def key_for(name: str, cfg, sections: tuple[str, ...], module: str, extra: Any = None) -> str:
    inputs = [name, cfg.digest(*sections), code_digest(module), library_versions(), extra]
    if env := numerics():  # only when set, so the keys of existing caches stay as they were
        inputs.append(env)
    return f"{name}-{closure.json_digest(inputs, 20)}"


def cached(name: str, cfg, sections: tuple[str, ...], compute: Callable[[], Any], extra: Any = None) -> Any:
    """``compute()``'s JSON-able result, from disk when the same inputs were seen before.

    The code part of the key is the import closure of the module that defines ``compute``.
    """
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{key_for(name, cfg, sections, compute.__module__, extra)}.json"
    if path.exists():
        try:
            return json.loads(path.read_text())
        except json.JSONDecodeError:
            path.unlink(missing_ok=True)  # a torn file from an old crash: recompute
    result = compute()
    folder.mkdir(parents=True, exist_ok=True)
    # Write then rename: a reader never sees half a file, parallel writers never clash.
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=path.stem, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(result, fh)
    os.replace(tmp, path)
    return result
