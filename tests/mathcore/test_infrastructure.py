"""The shared pieces: cache keys follow config and code, CSV loading errors, atomic writes."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
import sys

import pytest

from mathcore import cache, closure, config, data, output
from mathcore.errors import ConfigError

MATHCORE = config.REPO_ROOT / "mathcore"


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cache_hits_for_the_same_config_and_misses_after_an_edit(cache_folder, write_config):
    calls = []

    def compute(cfg):
        calls.append(cfg.chain.x)
        return {"x": cfg.chain.x}

    base = config.load(config.DEFAULT_CONFIG)
    assert cache.cached("run", base, ("chain",), lambda: compute(base)) == {"x": 1.0}
    assert cache.cached("run", base, ("chain",), lambda: compute(base)) == {"x": 1.0}
    assert calls == [1.0]  # second call came from disk

    edited = config.load(write_config("[chain]\nx = 2.5\n"))
    assert cache.cached("run", edited, ("chain",), lambda: compute(edited)) == {"x": 2.5}
    assert calls == [1.0, 2.5]  # a config edit recomputes

    # An edit to a section the run does not read keeps the cached result.
    other = config.load(write_config("[tree]\na = 3.0\n", "other.toml"))
    cache.cached("run", other, ("chain",), lambda: compute(other))
    assert calls == [1.0, 2.5]


def edited(monkeypatch, filename: str) -> None:
    """As if ``mathcore/<filename>`` had been edited: its digest changes, the file on disk does not."""
    real = closure.file_digest
    edited_file = MATHCORE / filename
    monkeypatch.setattr(closure, "file_digest", lambda path: real(path) + ("!" if path == edited_file else ""))


def test_imports_for_type_checkers_only_are_not_code_a_result_depends_on(tmp_path):
    """An ``if TYPE_CHECKING:`` import never runs: editing that module changes no cache key; its ``else`` runs."""
    source = tmp_path / "module.py"
    source.write_text("from typing import TYPE_CHECKING\nimport typing\nfrom . import data\n"
                      "if TYPE_CHECKING:\n    from .gd import Cost\nelse:\n    from .chain import run\n"
                      "if typing.TYPE_CHECKING:\n    import mathcore.optim\n"
                      "def f():\n    if TYPE_CHECKING:\n        from . import race\n    from . import train\n")
    found = set(closure._named_imports(source, "mathcore"))
    assert {"mathcore.data", "mathcore.chain", "mathcore.train"} <= found
    assert not {"mathcore.gd", "mathcore.optim", "mathcore.race"} & found


@pytest.mark.parametrize("module,run", [("minima", "minima-runs"), ("trouble", "trouble-runs")])
def test_editing_train_py_recomputes_the_runs(cache_folder, monkeypatch, module, run):
    """Neither minima.py nor trouble.py names train.py; the key follows their imports to it."""
    from mathcore import minima, trouble

    monkeypatch.setattr(minima, "_runs", lambda *a: [])  # the key is what is checked, not the training
    monkeypatch.setattr(trouble, "_compute", lambda cfg: [])
    cfg = config.load(config.DEFAULT_CONFIG)
    call = (lambda: minima.from_config(cfg)) if module == "minima" else (lambda: trouble.runs(cfg))
    call()
    call()
    assert len(list(cache_folder.glob(f"{run}-*.json"))) == 1  # the second call hit the cache
    edited(monkeypatch, "train.py")
    call()
    assert len(list(cache_folder.glob(f"{run}-*.json"))) == 2


def test_cache_key_follows_every_imported_module_and_the_libraries(monkeypatch):
    cfg = config.load(config.DEFAULT_CONFIG)
    key = cache.key_for("minima-runs", cfg, ("minima",), "mathcore.minima")
    assert "mathcore/train.py" in closure.code_digests("mathcore.minima", ("mathcore",))
    with monkeypatch.context() as m:
        edited(m, "gd.py")  # trouble imports gd, minima does not
        assert cache.key_for("minima-runs", cfg, ("minima",), "mathcore.minima") == key
    real = cache.library_versions()
    for library in ("torch", "numpy"):
        with monkeypatch.context() as m:
            m.setattr(cache, "library_versions", lambda lib=library: {**real, lib: "0.0.1"})
            assert cache.key_for("minima-runs", cfg, ("minima",), "mathcore.minima") != key
    assert cache.key_for("minima-runs", cfg, ("minima",), "mathcore.minima") == key


def test_cache_key_follows_the_arithmetic_a_run_forces(monkeypatch):
    """MKL's compatible path trains other numbers, and torch's scalar code moves untrained runs' last bits
    (tests/mathcore/test_reproducible.py): a result made under one must not be served to a run under another,
    nor to one that forces none."""
    cfg = config.load(config.DEFAULT_CONFIG)
    for name in ("MKL_CBWR", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY"):
        monkeypatch.delenv(name, raising=False)
    keys = {cache.key_for("manifold", cfg, ("manifold",), "mathcore.manifold")}
    for name, value in (("MKL_CBWR", "COMPATIBLE"), ("MKL_CBWR", "AVX2"), ("MKL_ENABLE_INSTRUCTIONS", "SSE4_2"),
                        ("ATEN_CPU_CAPABILITY", "default"), ("ATEN_CPU_CAPABILITY", "avx2")):
        monkeypatch.setenv(name, value)
        keys.add(cache.key_for("manifold", cfg, ("manifold",), "mathcore.manifold"))
    assert len(keys) == 6


def test_no_hand_written_module_lists():
    """cached() takes no list of modules: the closure of compute's own module is the code key."""
    import inspect

    assert "modules" not in inspect.signature(cache.cached).parameters
    for path in (config.REPO_ROOT / "mathcore").rglob("*.py"):
        assert "modules=(" not in path.read_text(), path


def test_cache_off(monkeypatch):
    monkeypatch.setenv(cache.ENV_VAR, "off")
    cfg = config.load(config.DEFAULT_CONFIG)
    calls = []
    for _ in range(2):
        cache.cached("run", cfg, ("chain",), lambda: calls.append(1) or {})
    assert len(calls) == 2


def test_load_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x,y\n1,2\n3.5,-4\n")
    table = data.load_table(path, ["x", "y"])
    assert table["x"].tolist() == [1.0, 3.5] and table["y"].tolist() == [2.0, -4.0]


@pytest.mark.parametrize("text,key,expected", [
    ("x\n1\n", "y", "a column named 'y'"),
    ("x,y\n1,abc\n", "y (line 2)", "a number"),
    ("x,y\n1,nan\n", "y (line 2)", "a finite number"),
    ("x,y\n", "(rows)", "at least one data row"),
])
def test_load_table_errors_name_file_and_column(tmp_path, text, key, expected):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        data.load_table(path, ["x", "y"])
    assert str(info.value).startswith(f"{path}: {key}: expected {expected}")


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"

    def boom(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        output.atomic_write(target, boom)
    assert not target.exists() and list(tmp_path.iterdir()) == []


GD = ["gd", "--steps", "2", "--lr", "0.1"]


def _node(tmp_path, kind: str):
    """An output path in tmp_path that is not a regular file, and the test that it still is what it was."""
    if kind == "folder":
        (tmp_path / "out.csv").mkdir()
        return tmp_path / "out.csv", stat.S_ISDIR
    os.mkfifo(tmp_path / "fifo")
    if kind == "fifo":
        return tmp_path / "fifo", stat.S_ISFIFO
    (tmp_path / "out.csv").symlink_to(tmp_path / "fifo")  # as /dev/stdout is when stdout is a pipe
    return tmp_path / "out.csv", stat.S_ISFIFO


@pytest.mark.parametrize("flag", ["--csv", "--plot"])
@pytest.mark.parametrize("kind", ["fifo", "symlink to a fifo", "folder"])
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_as_it_was(capsys, tmp_path, nothing_replaced,
                                                                                flag, kind):
    from .cli_checks import assert_one_line_exit_2

    path, still = _node(tmp_path, kind)
    before = sorted(p.name for p in tmp_path.iterdir())
    err = assert_one_line_exit_2(capsys, [*GD, flag, str(path)], str(path))
    assert still(os.stat(path).st_mode) and (kind != "symlink to a fifo" or path.is_symlink())
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left beside it
    if kind != "folder":  # click refuses a folder for a file option itself
        assert "expected a regular file or a new path, got 'a FIFO (named pipe)'" in err


def test_a_device_node_is_refused_and_stays_a_device(capsys, nothing_replaced):
    from .cli_checks import assert_one_line_exit_2

    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert_one_line_exit_2(capsys, [*GD, "--csv", "/dev/null"], "/dev/null: output: expected a regular file or a "
                           "new path, got 'a character device'")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_to_a_file_is_written_through(capsys, tmp_path):
    from .cli_checks import run_cli

    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "steps.csv"
    real.write_text("old\n")
    link = tmp_path / "steps.csv"
    link.symlink_to(real)
    code, _, err = run_cli(capsys, [*GD, "--csv", str(link)])
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().splitlines()[0] == "lr,t,w,cost,grad"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "steps.csv"]
    assert [p.name for p in real.parent.iterdir()] == ["steps.csv"]


@pytest.mark.parametrize("flag", ["--csv", "--plot"])
def test_a_full_disk_is_one_line_and_leaves_the_old_file_and_no_temporary(capsys, tmp_path, full_disk, flag):
    from .cli_checks import assert_one_line_exit_2

    target = tmp_path / "result"
    target.write_text("the old result\n")
    full_disk(tmp_path)
    err = assert_one_line_exit_2(capsys, [*GD, flag, str(target)], f"{target}: output: ")
    assert "No space left on device" in err
    assert target.read_text() == "the old result\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result"]


def test_an_output_error_crosses_process_pools_whole():
    import pickle

    err = output.OutputError("/tmp/x.pdf", "a file that can be written", "No space left on device", errno.ENOSPC)
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == "/tmp/x.pdf: output: expected a file that can be written, got 'No space left on device'"
    assert isinstance(back, ConfigError) and isinstance(back, OSError) and back.errno == errno.ENOSPC


def test_json_output_is_clean(capsys):
    import numpy as np

    output.print_json({"a": np.float64(0.5), "b": np.arange(3), "c": float("nan")})
    assert json.loads(capsys.readouterr().out) == {"a": 0.5, "b": [0, 1, 2], "c": None}


SECRET = "root:x:0:0:root:/root:/bin/bash"  # what a file outside the allowed folders might hold


@pytest.mark.parametrize("command,section", [("minima", "minima"), ("batches", "batches"),
                                             ("dot-products", "geometry")])
@pytest.mark.parametrize("where", ["up", "absolute"])
def test_data_names_resolve_only_beside_the_config_or_in_assets_data(capsys, tmp_path, command, section, where):
    from .cli_checks import assert_one_line_exit_2

    outside = tmp_path / "elsewhere" / "secret.csv"
    outside.parent.mkdir()
    outside.write_text(SECRET + "\n")
    folder = tmp_path / "lecture"
    folder.mkdir()
    name = "../elsewhere/secret.csv" if where == "up" else str(outside)
    (folder / "lecture.toml").write_text(f'[{section}]\ndata = "{name}"\n')
    err = assert_one_line_exit_2(capsys, [command, "--json", "--config", str(folder / "lecture.toml")],
                                 f"{section}.data: expected a file name inside {folder}/ or ")
    assert "root:" not in err and "bin/bash" not in err


@pytest.mark.parametrize("name,expected", [("", "a file name inside {}/ or "), (".", "a file name inside {}/ or "),
                                           ("a\\u0000b", "a string without control characters")])
def test_data_names_that_name_no_file_are_one_line(capsys, tmp_path, name, expected):
    """The empty name and "." are the config's folder, not a table; a NUL byte made os.path raise a traceback."""
    from .cli_checks import assert_one_line_exit_2

    (tmp_path / "lecture.toml").write_text(f'[minima]\ndata = "{name}"\n')
    assert_one_line_exit_2(capsys, ["minima", "--json", "--no-runs", "--config", str(tmp_path / "lecture.toml")],
                           f"minima.data: expected {expected.format(tmp_path)}")


def test_etc_passwd_is_refused(capsys, tmp_path):
    from .cli_checks import assert_one_line_exit_2

    (tmp_path / "lecture.toml").write_text('[minima]\ndata = "../../../../../../../../etc/passwd"\n')
    err = assert_one_line_exit_2(capsys, ["minima", "--config", str(tmp_path / "lecture.toml")], "minima.data")
    assert "root:" not in err and "bin/bash" not in err


@pytest.mark.parametrize("text", [SECRET + "\n1,2\n", "x1,x2,y\n1,2,secret-cell\n", "x1,x2,y\n1,2,nan\n"])
def test_table_errors_name_the_columns_and_never_echo_the_content(capsys, tmp_path, text):
    from .cli_checks import assert_one_line_exit_2

    (tmp_path / "mine.csv").write_text(text)
    (tmp_path / "lecture.toml").write_text('[minima]\ndata = "mine.csv"\n')
    err = assert_one_line_exit_2(capsys, ["minima", "--json", "--config", str(tmp_path / "lecture.toml")],
                                 str(tmp_path / "mine.csv"))
    assert "the columns x1, x2, y" in err and "bin/bash" not in err and "secret" not in err and "nan" not in err


def test_every_file_read_is_recorded(tmp_path):
    data.READ.clear()
    cfg = config.load(config.DEFAULT_CONFIG)
    from mathcore import batches

    batches.table(cfg)
    assert data.asset("images/cat.svg").exists()
    assert {data.DATA_DIR / "batch_table.csv", data.ASSETS / "images" / "cat.svg"} <= data.READ


def test_the_closure_is_found_from_any_folder(tmp_path):
    """A console script or a run from another folder finds the project through the editable install's
    finder, not sys.path: the closure (so every cache key and render manifest) must still hold the code."""
    done = subprocess.run([sys.executable, "-c", "from mathcore import closure; "
                           "print('\\n'.join(closure.closure('scenes.forward_pass', ('scenes', 'mathcore'))))"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = set(done.stdout.split())
    assert {"scenes.forward_pass", "scenes.base", "mathcore.chain", "mathcore.config"} <= found, found


def test_parsed_imports_are_kept_between_processes_and_reread_after_an_edit(tmp_path, monkeypatch):
    """The closure's parse memo (mathcore/closure.py, MEMO_FILE): a new process reads a file's imports from it,
    and an edited file is parsed again."""
    module = tmp_path / "lesson.py"
    module.write_text("from mathcore import chain\n")
    memo = tmp_path / "memo.json"
    monkeypatch.setattr(closure, "MEMO_FILE", memo)
    monkeypatch.setattr(closure, "_memo", {"files": None, "changed": False})
    assert closure.imports_of(module, "mathcore", ("mathcore",)) == {"mathcore", "mathcore.chain"}
    closure._save_memo()
    assert str(module) in memo.read_text()

    monkeypatch.setattr(closure, "_memo", {"files": None, "changed": False})  # as in a new process

    def no_parse(*_):
        raise AssertionError("parsed again though the file did not change")

    monkeypatch.setattr(closure, "_named_imports", no_parse)
    assert closure.imports_of(module, "mathcore", ("mathcore",)) == {"mathcore", "mathcore.chain"}
    monkeypatch.undo()
    monkeypatch.setattr(closure, "MEMO_FILE", memo)
    monkeypatch.setattr(closure, "_memo", {"files": None, "changed": False})
    module.write_text("from mathcore import gd, train\n")  # another size, another modification time
    assert closure.imports_of(module, "mathcore", ("mathcore",)) == {"mathcore", "mathcore.gd", "mathcore.train"}


#: Each cached computation with its slow knobs turned down: the test checks keys, not numbers.
SMALL = {"optim": {"steps": 3}, "autoencoder": {"steps": 2}, "approximation": {"steps": 2}, "minima": {"steps": 2},
         "trouble": {"steps": 3, "large_steps": 3}, "manifold": {"steps": 2}, "batches": {"epochs": 2},
         "playground": {"epochs": 2, "snapshot_epochs": [0, 2]},
         "vanishing": {"depth": 2, "width": 3, "train_steps": 1}}


def _cached_entry_points():
    from mathcore import approximation, autoencoder, batches, manifold, minima, playground, race, trouble, vanishing

    return {
        "race surface": lambda cfg: race.race(cfg, "surface"), "race line": lambda cfg: race.race(cfg, "line"),
        "autoencoder": autoencoder.compute, "approximation": approximation.compute, "batches": batches.compute,
        "minima": minima.from_config, "trouble": trouble.runs, "playground": playground.run,
        "vanishing": vanishing.layer_norms,
        **{f"manifold {name}": lambda cfg, name=name: manifold.trained(cfg, name) for name in manifold.DATASETS},
    }


@pytest.mark.parametrize("entry", list(_cached_entry_points()))
def test_a_cache_key_names_every_section_its_computation_reads(cache_folder, monkeypatch, entry):
    """Every section read (typed access, recorded as for the renderer's manifests) while computing a cached
    result is one its key follows: an edit to it recomputes, an edit to any other section cannot matter."""
    import sys

    keyed: set[str] = set()
    real = cache.cached

    def spy(name, cfg, sections, compute, extra=None):
        keyed.update(sections)
        return real(name, cfg, sections, compute, extra)

    for module in [m for n, m in sys.modules.items() if n.startswith("mathcore.")]:
        if getattr(module, "cached", None) is real:
            monkeypatch.setattr(module, "cached", spy)
    cfg = config.recording(config.load(config.DEFAULT_CONFIG, overrides=SMALL))
    _cached_entry_points()[entry](cfg)
    assert keyed and cfg.reads <= keyed, f"read {sorted(cfg.reads - keyed)} outside the key {sorted(keyed)}"


def test_one_digest(tmp_path):
    """closure.digest is the project's one hash: sha256 cut to one of four lengths, a file read in blocks."""
    for length in closure.DIGEST_LENGTHS:
        assert closure.digest(b"lecture", length) == hashlib.sha256(b"lecture").hexdigest()[:length]
    assert closure.digest("é") == hashlib.sha256("é".encode()).hexdigest()[:16]
    assert closure.json_digest({"b": 1, "a": [2]}) == closure.digest('{"a": [2], "b": 1}')
    with pytest.raises(ValueError, match="a digest length of 16, 20, 24, 64, not 32"):
        closure.digest(b"x", 32)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 * (1 << 20) + 5))  # more than one block
    assert closure.file_digest(big, 64) == hashlib.sha256(big.read_bytes()).hexdigest()


def _project_files():
    return [p for top in ("mathcore", "scenes") for p in sorted((config.REPO_ROOT / top).rglob("*.py"))]


def test_no_other_hash_than_digest():
    """Every hash of mathcore and the pipeline goes through closure.digest (one function, four lengths)."""
    # manim_patches.py (the scene layer's patches of manim) still hashes on its own: a stripe number and a
    # 32-digit parsed-SVG key, kept until that file moves to digest
    allowed = {"mathcore/closure.py", "scenes/manim_patches.py"}
    users = {p.relative_to(config.REPO_ROOT).as_posix() for p in _project_files() if "hashlib" in p.read_text()}
    assert users <= allowed, sorted(users - allowed)


def test_one_activations_table():
    """The activations are listed once by name (config.ACTIVATIONS), once as numpy σ and σ' (activations.py) and
    once as torch modules (train.py); every other list of them is one of these."""
    import ast

    names = set(config.ACTIVATIONS)
    owners = {"mathcore/config.py", "mathcore/activations.py", "mathcore/train.py"}
    found = set()
    for path in _project_files():
        rel = path.relative_to(config.REPO_ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
            if isinstance(node, (ast.Dict, ast.Tuple, ast.List, ast.Set)) and items is not None:
                strings = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
                if names <= strings:
                    found.add(rel)
    assert found - owners == set()
    from mathcore import activations, train

    assert set(activations.ACTIVATIONS) == set(train.ACTIVATIONS) == names
