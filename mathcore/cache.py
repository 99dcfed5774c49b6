"""Results of training runs, cached on disk and keyed by what they depend on.

The key is the run's name, the config sections it reads (their digest), and the
source code of the modules that compute it, so editing either recomputes.
Scenes call the same functions as the CLI and hit the same cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import REPO_ROOT

ENV_VAR = "MATHCORE_CACHE"  # a folder, or "off" to always recompute


def cache_dir() -> Path | None:
    where = os.environ.get(ENV_VAR, str(REPO_ROOT / ".cache" / "mathcore"))
    return None if where == "off" else Path(where)


def code_digest(*modules) -> str:
    """A hash of the named modules' source files."""
    h = hashlib.sha256()
    for module in modules:
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:16]


def key_for(name: str, cfg, sections: tuple[str, ...], modules: tuple = (), extra: Any = None) -> str:
    blob = json.dumps([name, cfg.digest(*sections), code_digest(*modules), extra], sort_keys=True, default=str)
    return f"{name}-{hashlib.sha256(blob.encode()).hexdigest()[:20]}"


def cached(name: str, cfg, sections: tuple[str, ...], compute: Callable[[], Any], modules: tuple = (),
           extra: Any = None) -> Any:
    """``compute()``'s JSON-able result, from disk when the same inputs were seen before."""
    folder = cache_dir()
    if folder is None:
        return compute()
    path = folder / f"{key_for(name, cfg, sections, modules, extra)}.json"
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
