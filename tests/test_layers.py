"""The layers, read from the import graph: mathcore -> components -> scenes -> pipeline.

- mathcore imports nothing from scenes, manim or manim-slides (it runs without them);
- scenes/components import no scene module and nothing of the pipeline (they know no scene);
- the lecture's own modules (scene modules, base, captions, order, theme, ...) import no pipeline;
- the pipeline reaches a scene module only through ``scenes.order`` (importlib), never by an import.

Imports are read from the source with the closure reader (mathcore/closure.py), imports inside
functions included.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mathcore import closure
from scenes import order

REPO = Path(__file__).resolve().parents[1]
FOLLOWED = ("scenes", "mathcore", "manim", "manim_slides")
SCENE_MODULES = {module for module, _ in order.LECTURE} | {"scenes.base"}


def modules_under(folder: str) -> list[str]:
    return sorted(".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
                  for p in (REPO / folder).rglob("*.py"))


def imports(module: str) -> set[str]:
    path = closure.module_file(module, FOLLOWED)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return set(closure.imports_of(path, package, FOLLOWED))


def broken(modules: list[str], forbidden) -> list[str]:
    return [f"{m} imports {i}" for m in modules for i in sorted(imports(m)) if forbidden(i)]


def _under(name: str, *roots: str) -> bool:
    return any(name == r or name.startswith(r + ".") for r in roots)


def test_the_reader_sees_imports():
    """The checks below can fail: the reader finds a scene module's imports, manim and the pipeline's."""
    assert {"scenes.base", "scenes.components.chain_diagram", "mathcore.chain"} <= imports("scenes.forward_pass")
    assert any(_under(i, "manim") for i in imports("scenes.base"))
    assert "scenes.order" in imports("scenes.pipeline.render")


def mathcore_rule(i: str) -> bool:
    return _under(i, "scenes", "manim", "manim_slides")


def components_rule(i: str) -> bool:
    return i in SCENE_MODULES or _under(i, "scenes.pipeline")


def lecture_rule(i: str) -> bool:
    return _under(i, "scenes.pipeline")


def pipeline_rule(i: str) -> bool:
    return _under(i, *(SCENE_MODULES - {"scenes.base"}))  # a scene module: load it through scenes.order


def test_mathcore_imports_no_scenes_and_no_manim():
    assert broken(modules_under("mathcore"), mathcore_rule) == []


def test_components_import_no_scene_module_and_no_pipeline():
    assert broken(modules_under("scenes/components"), components_rule) == []


def test_the_lecture_imports_no_pipeline():
    # scenes/__main__.py is `python -m scenes`, the CLI's entry point
    lecture = [m for m in modules_under("scenes") if not _under(m, "scenes.pipeline", "scenes.__main__")]
    assert broken(lecture, lecture_rule) == []


def test_the_pipeline_reaches_scene_modules_only_through_the_lecture_order():
    pipeline = [m for m in modules_under("scenes/pipeline") if m != "scenes.pipeline.floor"]  # the floor is a scene
    assert broken(pipeline, pipeline_rule) == []


@pytest.mark.parametrize("module, forbidden, rule", [
    ("mathcore.chain", "scenes.theme", mathcore_rule),
    ("mathcore.chain", "manim", mathcore_rule),
    ("scenes.components.chain_diagram", "scenes.forward_pass", components_rule),
    ("scenes.components.chain_diagram", "scenes.pipeline.render", components_rule),
    ("scenes.forward_pass", "scenes.pipeline.render", lecture_rule),
    ("scenes.pipeline.render", "scenes.forward_pass", pipeline_rule),
])
def test_a_forbidden_import_is_caught(tmp_path, monkeypatch, module, forbidden, rule):
    """A copy of a module with one forbidden import added, inside a function, breaks its rule."""
    source = closure.module_file(module, FOLLOWED)
    copy = tmp_path / source.name
    copy.write_text(source.read_text() + f"\n\ndef _late():\n    import {forbidden}  # noqa\n")
    original = closure.module_file

    def module_file(name, packages):
        return copy if name == module else original(name, packages)

    monkeypatch.setattr(closure, "module_file", module_file)
    assert f"{module} imports {forbidden}" in broken([module], rule)


def environment_reads_at_import(source: str) -> list[int]:
    """Lines where module-level code (not a function body) touches ``os.environ`` / ``os.getenv``."""
    found: list[int] = []

    def walk(node) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue  # runs when called, not when imported
            if isinstance(child, ast.Attribute) and child.attr in ("environ", "getenv"):
                found.append(child.lineno)
            walk(child)

    walk(ast.parse(source))
    return found


def test_no_module_reads_the_environment_when_imported():
    """Config and theme are handed to the worker (theme.use; LECTURE_CONFIG read by config.load()), not read
    when a module is imported."""
    files = [p for folder in ("mathcore", "scenes") for p in sorted((REPO / folder).rglob("*.py"))]
    reads = [f"{p.relative_to(REPO)}:{n}" for p in files
             for n in environment_reads_at_import(p.read_text(encoding="utf-8"))]
    assert reads == []
    assert environment_reads_at_import('import os\nNAME = os.environ.get("LECTURE_THEME", "dark")\n') == [2]
    assert environment_reads_at_import('import os\ndef name():\n    return os.environ.get("X")\n') == []


# --- module state -------------------------------------------------------------------------------------------

#: Module-level state that changes while a process runs, and why each is not part of the render context
#: (scenes/context.py). Everything else a render depends on travels in its job's LectureContext.
KNOWN_STATE = {
    "scenes.context._active": "the active render context itself",
    "scenes.voice._chosen": "the voice the CLI chose before any render (validation, cache keys); an active "
                            "context sets it for its render and gives it back",
    "mathcore.data.READ": "the data tables mathcore read (mathcore runs without scenes); an active context "
                          "empties it, so a render lists only its own",
    "mathcore.config.SCHEMA": "the config's sections, each filled in once as mathcore.config is imported",
    "mathcore.config.SECTION_TYPES": "each section's declared dataclass, filled in once with SCHEMA",
    "mathcore.closure._memo": "the import lists of source files, keyed by size and mtime: a cache, never stale",
    "scenes.manim_patches._parsed_svgs": "whether parsed SVGs are kept on disk: set once per worker by its patch",
    "scenes.manim_patches._no_format": "TeX preambles whose preloaded format failed in this process: never tried again",
    "scenes.manim_patches._ready": "TeX formats checked in this process (built, or their inputs unchanged)",
    "scenes.pipeline.layout_check._CAP": "a font's cap height, measured once per process: a cache, never stale",
    "scenes.theme._palette": "the look, chosen once per process before scene modules are imported (theme.use "
                             "refuses a change after)",
}
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"}
MUTATORS = {"append", "add", "clear", "update", "pop", "popitem", "setdefault", "extend", "insert", "remove",
            "discard"}


def _constant_name(name: str) -> bool:
    return name.isupper() or name.strip("_").replace("_", "").isdigit()


def _mutable(value) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    func = value.func if isinstance(value, ast.Call) else None
    return getattr(func, "id", getattr(func, "attr", None)) in MUTABLE_CALLS


def module_state(sources: dict[str, str]) -> set[str]:
    """``module.name`` of each module-level container that can change: a lower-case name bound to a dict, list
    or set, a capitalised one that code anywhere mutates (``X.append``, ``X[k] = v``, ``mod.X.clear()``), and
    a name a function rebinds with ``global``."""
    trees = {m: ast.parse(s) for m, s in sources.items()}
    containers: dict[str, set[str]] = {}  # name -> modules defining it at module level
    found: set[str] = set()
    for module, tree in trees.items():
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else []
            for t in targets:
                if isinstance(t, ast.Name) and _mutable(node.value) and not t.id.startswith("__"):
                    if _constant_name(t.id):
                        containers.setdefault(t.id, set()).add(module)
                    else:
                        found.add(f"{module}.{t.id}")
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found |= {f"{module}.{n}" for n in node.names}
            changed = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                changed = node.func.value
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                for t in getattr(node, "targets", None) or [getattr(node, "target", None)]:
                    if isinstance(t, ast.Subscript):
                        changed = t.value
            name = changed.id if isinstance(changed, ast.Name) else changed.attr \
                if isinstance(changed, ast.Attribute) else None
            if name in containers:
                owners = containers[name]
                found |= {f"{m}.{name}" for m in (owners & {module} if isinstance(changed, ast.Name) else owners)}
    return found


def test_no_module_state_outside_the_render_context():
    sources = {m: closure.module_file(m, FOLLOWED).read_text(encoding="utf-8")
               for folder in ("mathcore", "scenes") for m in modules_under(folder)}
    assert sorted(module_state(sources) - set(KNOWN_STATE)) == []
    assert sorted(set(KNOWN_STATE) - module_state(sources)) == [], "listed state that no longer exists"


@pytest.mark.parametrize("source, state", [
    ("_seen = {}\n", {"m._seen"}),
    ("TABLE = {'a': 1}\ndef f():\n    TABLE['b'] = 2\n", {"m.TABLE"}),
    ("TABLE = {'a': 1}\ndef f():\n    return TABLE['a']\n", set()),
    ("COUNT = 0\ndef f():\n    global COUNT\n    COUNT += 1\n", {"m.COUNT"}),
    ("NAMES = []\n", set()),
])
def test_module_state_is_found(source, state):
    assert module_state({"m": source}) == state


def test_module_state_changed_from_another_module_is_found():
    assert module_state({"a": "SEEN = set()\n", "b": "import a\na.SEEN.add(1)\n"}) == {"a.SEEN"}
