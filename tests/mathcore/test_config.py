"""Config validation: every bad value is one line naming file, key and expectation; exit 2."""
from __future__ import annotations

import dataclasses
import typing

import pytest

from mathcore import config
from mathcore.errors import ConfigError

from .cli_checks import assert_config_error, assert_one_line_exit_2


def test_shipped_config_has_the_slides_values():
    cfg = config.load(config.DEFAULT_CONFIG)
    assert cfg.chain.x == 1 and cfg.chain.w == (0.1, -0.2, -0.1) and cfg.chain.b == (0, 0.1, 0.2)
    assert cfg.chain.activation == "relu"
    assert cfg.tree.values == {"a": 1, "x0": 0.5, "b": 1, "c": 1}


def test_env_var_names_the_file(write_config, monkeypatch):
    path = write_config("[chain]\nx = 2.0\n")
    monkeypatch.setenv(config.ENV_VAR, str(path))
    cfg = config.load()
    assert cfg.path == path and cfg.chain.x == 2.0
    assert cfg.chain.w == (0.1, -0.2, -0.1)  # not given: the shipped default


BAD = [
    ("[chian]\nx = 1\n", "chian", "one of the sections"),
    ("[chain]\nwidth = 1\n", "chain.width", "one of the keys"),
    ("[chain]\nx = \"one\"\n", "chain.x", "a number"),
    ("[chain]\nx = true\n", "chain.x", "a number"),
    ("[chain]\nx = nan\n", "chain.x", "a finite number"),
    ("[chain]\nx = inf\n", "chain.x", "a finite number"),
    ("[chain]\nw = [0.1, 0.2]\n", "chain.b", "a list of 2 numbers"),
    ("[chain]\nw = []\nb = []\n", "chain.w", "a list of at least 1 numbers"),
    ("[chain]\nw = [1, \"a\", 2]\n", "chain.w", "each a number"),
    ("[chain]\nactivation = \"softmax\"\n", "chain.activation", "one of relu, sigmoid, tanh, linear"),
    ("[tree]\na = \"x\"\n", "tree.a", "a number"),
    ("[tree]\nsteps = [\"y = a +\"]\n", "tree.steps", "steps like"),
    ("[tree]\nsteps = [\"y = __import__('os')\"]\n", "tree.steps", "only + - * /"),
    ("[tree]\nsteps = [\"y = a*q\"]\na = 1.0\n", "tree.q", "leaf 'q' is used"),
    ("[tree]\nsteps = [\"y = a*2\"]\na = 1.0\nz = 3.0\n", "tree.z", "only the leaves"),
    ("[lecture]\ntitle = 3\n", "lecture.title", "a string"),
    ("chain = 3\n", "chain", "a [section] table"),
    ("[chain\n", "(file)", "valid TOML"),
]


@pytest.mark.parametrize("text,key,expected", BAD)
def test_bad_values_name_file_key_and_expectation(write_config, text, key, expected):
    assert_config_error(write_config(text), key, expected)


def test_missing_file():
    with pytest.raises(ConfigError, match="an existing TOML file"):
        config.load("/nonexistent/lecture.toml")


@pytest.mark.parametrize("text,key,expected", BAD[:6])
def test_cli_reports_one_line_and_exit_2(write_config, capsys, text, key, expected):
    err = assert_one_line_exit_2(capsys, ["chain", "--config", str(write_config(text))], key)
    assert expected in err


@pytest.mark.parametrize(
    "args,needle",
    [
        (["chain", "--w", "0.1,abc"], "--w"),
        (["chain", "--w", "1,2"], "chain.b"),
        (["chain", "--activation", "softplus"], "chain.activation"),
        (["chain", "--x", "nan"], "chain.x"),
        (["chain", "--no-such-flag"], "no-such-flag"),
        (["nope"], "nope"),
    ],
)
def test_cli_flag_errors(capsys, args, needle):
    assert_one_line_exit_2(capsys, args, needle)


def test_digest_follows_sections(write_config):
    base = config.load(config.DEFAULT_CONFIG)
    other = config.load(write_config("[chain]\nx = 2.0\n"))
    assert base.digest("chain") != other.digest("chain")
    assert base.digest("tree") == other.digest("tree")


def test_every_section_is_a_typed_object(write_config):
    """cfg.optim.race_adam_lr, not a string key: typed, frozen, and following the file."""
    cfg = config.load(write_config("[optim]\nrace_adam_lr = 0.02\n[gd]\nsteps = 7\n"))
    assert cfg.optim.race_adam_lr == 0.02 and cfg.gd.steps == 7
    assert cfg.gd.learning_rates == tuple(cfg.raw["gd"]["learning_rates"])  # the validated values, lists as tuples
    assert {f: type(v) for f, v in vars(cfg.gd).items()}["steps"] is int
    with pytest.raises(AttributeError):
        cfg.gd.steps = 8  # frozen
    with pytest.raises(AttributeError):
        _ = cfg.no_such_section
    with pytest.raises(AttributeError):
        _ = cfg.gd.no_such_key


def test_typed_access_is_recorded_as_a_read():
    """The renderer re-renders a scene when a section it read changes: attribute access counts too."""
    cfg = config.recording(config.load())
    _ = cfg.vanishing.sigma_points
    assert cfg.reads == {"vanishing"}


def _is(value, hint) -> bool:
    """``value`` has the declared type ``hint`` (float, int, str or tuple[..., ...] of them)."""
    if typing.get_origin(hint) is tuple:
        return isinstance(value, tuple) and all(_is(v, typing.get_args(hint)[0]) for v in value)
    return isinstance(value, hint) and not isinstance(value, bool)


@pytest.mark.parametrize("name", sorted(config.SECTION_TYPES))
def test_each_section_is_a_declared_type(name):
    """A section is a declared frozen dataclass (a type checker sees its keys), not a type made at run time; its
    values have the declared types under the shipped config."""
    names = {t.__name__: t for t in config.SECTION_TYPES.values()}  # imported by config for type checkers only
    declared = typing.get_type_hints(config.LectureConfig, localns=names)[name]
    assert declared is config.SECTION_TYPES[name] and dataclasses.is_dataclass(declared)
    assert declared.__module__ == f"mathcore.sections.{name}"
    assert set(f.name for f in dataclasses.fields(declared)) == set(config.SCHEMA[name])
    shipped = config.load(config.DEFAULT_CONFIG)
    section = getattr(shipped, name)
    assert type(section) is declared
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(section, next(iter(config.SCHEMA[name])), 0)
    hints = typing.get_type_hints(declared)
    for key, value in dataclasses.asdict(section).items():
        assert _is(getattr(section, key), hints[key]), (name, key, value, hints[key])
