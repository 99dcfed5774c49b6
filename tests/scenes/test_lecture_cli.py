"""The lecture CLI: list contract, clear errors before rendering, a real render."""
from __future__ import annotations

import json

import pytest

from scenes import order
from scenes.pipeline.cli import main
from scenes.pipeline.render import video_seconds


def run(capsys, args):
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code, out, err


def test_list_json_in_lecture_order(capsys):
    code, out, _ = run(capsys, ["list", "--json"])
    rows = json.loads(out)
    assert code == 0
    # The slides' order: title, compute tree, forward, backward, the optimisation half, the models, the recap.
    assert [r["scene"] for r in rows] == [
        "TitleCard", "ComputeTree", "ForwardPass", "BackwardPass", "GradientDescentUpdate", "LocalMinima",
        "EscapingLocalMinima", "BatchCostSurfaces", "AdamOptimizer", "SignsOfTrouble", "VanishingGradient",
        "HiddenRuleGame", "DataManifold", "ActivationPlayground", "UniversalApproximation", "AutoencoderLatent",
        "DotProductGeometry", "ReluTransform", "Recap",
    ]
    for r in rows:
        assert set(r) == {"scene", "module", "title"} and r["module"].startswith("scenes.")
        assert order.load(r["scene"]).__module__ == r["module"]


def test_unknown_scene_is_exit_2_before_rendering(capsys, tmp_path):
    code, out, err = run(capsys, ["render", "NoSuchScene", "--media-dir", str(tmp_path / "media")])
    assert code == 2 and err.count("\n") == 1 and "NoSuchScene" in err and "ForwardPass" in err
    assert not (tmp_path / "media").exists()


def test_bad_config_is_exit_2_before_rendering(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[chain]\nactivation = \"softmax\"\n")
    code, out, err = run(capsys, ["render", "--config", str(bad), "--media-dir", str(tmp_path / "media")])
    assert code == 2 and err.count("\n") == 1
    assert str(bad) in err and "chain.activation" in err
    assert not (tmp_path / "media").exists()


def test_bad_quality_is_exit_2(capsys):
    code, _, err = run(capsys, ["render", "-q", "z"])
    assert code == 2 and err.count("\n") == 1


@pytest.mark.slow
def test_render_writes_a_video(capsys, tmp_path, monkeypatch):
    from mathcore import config

    monkeypatch.setenv(config.ENV_VAR, str(config.DEFAULT_CONFIG))
    code, out, err = run(capsys, ["render", "TitleCard", "--media-dir", str(tmp_path)])
    assert code == 0, err
    videos = list(tmp_path.rglob("TitleCard.mp4"))
    assert len(videos) == 1 and video_seconds(videos[0]) > 1.0
    assert "TitleCard" in out and "rendered" in out


def test_keyframes_writes_one_png_per_pause_and_end(capsys, tmp_path, monkeypatch):
    from mathcore import config

    monkeypatch.setenv(config.ENV_VAR, str(config.DEFAULT_CONFIG))
    code, out, _ = run(capsys, ["keyframes", "TitleCard", "--out", str(tmp_path)])
    assert code == 0
    pngs = sorted(tmp_path.glob("TitleCard_*.png"))
    assert len(pngs) == 2  # one pause, then the end
    from PIL import Image

    assert Image.open(pngs[-1]).size == (854, 480)


@pytest.mark.parametrize("scene,text,key,limit", [
    ("ForwardPass", "[chain]\nw = [0.5, -1.2, 0.9, 1.4, -0.7]\nb = [0.1, 0.3, -0.2, 0.05, 0.4]\n", "chain.w",
     "4 layers"),
    ("BackwardPass", "[chain]\nw = [0.5, -1.2, 0.9, 1.4, -0.7]\nb = [0.1, 0.3, -0.2, 0.05, 0.4]\n", "chain.w",
     "4 layers"),
    ("VanishingGradient", "[vanishing]\nw = [0.5, 1.0, 2.0, 1.5]\n", "vanishing.w", "3 layers"),
    ("VanishingGradient", "[vanishing]\ndepth = 17\n", "vanishing.depth", "16 hidden layers"),
    ("LocalMinima", "[minima]\nstarts = [-5.0, -3.0, -1.5, 0.5, 1.5, 5.0]\n", "minima.starts", "5 starts"),
    ("DataManifold", "[manifold]\nclassifier_seeds = [1, 2, 3, 4, 5]\n", "manifold.classifier_seeds", "4 seeds"),
    ("ActivationPlayground", "[playground]\nhidden = [4, 4, 4]\n", "playground.hidden", "2 hidden layers"),
    ("ActivationPlayground", "[playground]\nhidden = [4, 9]\n", "playground.hidden", "8 neurons per hidden layer"),
    ("ActivationPlayground", '[playground]\ncompare_activations = ["relu", "tanh", "sigmoid", "linear", "relu"]\n',
     "playground.compare_activations", "4 activations"),
    ("EscapingLocalMinima", '[optim]\nrace = ["gd", "sgd", "minibatch", "momentum", "adam", "gd"]\n', "optim.race",
     "5 entrants"),
    ("ReluTransform", "[geometry]\nmatrices = " + repr([[[0.3, -1.2], [2.6, 0.7], [-0.5, -0.2]]] * 5) + "\n",
     "geometry.matrices", "4 matrices"),
    ("BatchCostSurfaces", "[batches]\nrandom_batches = 6\n", "batches.random_batches", "5 random batches"),
    ("HiddenRuleGame", "[rule_game]\nnumbers = %s\noutcomes = %s\nrounds = [4, 14]\n"
     % ([f"{1000 + k}" for k in range(14)], ["lose"] * 14), "rule_game.outcomes", "13 numbers per outcome"),
    ("BatchCostSurfaces", "[batches]\nbatch_sizes = [1, 2, 3, 4, 5, 6]\n", "batches.batch_sizes", "5 batch sizes"),
])
@pytest.mark.parametrize("explain", [False, True])
def test_a_scene_that_cannot_draw_the_config_says_so_before_rendering(capsys, tmp_path, scene, text, key, limit,
                                                                       explain):
    """mathcore takes any length (tests/mathcore/test_chain.py, test_limits_moved.py); the scene's own limit
    (one more than it draws) is one line naming what the list holds, exit 2."""
    deep = tmp_path / "deep.toml"
    deep.write_text(text)
    media = tmp_path / "media"
    code, out, err = run(capsys, ["render", scene, "--config", str(deep), "--media-dir", str(media),
                                  *(["--explain"] if explain else [])])
    assert code == 2 and err.count("\n") == 1, err
    assert f"{deep}: {key}: expected at most {limit}: {scene} draws no more" in err
    assert not list(media.rglob("*.mp4"))


def test_relu_transform_refuses_a_matrix_without_3_rows_in_one_line(capsys, tmp_path):
    """mathcore multiplies any W (tests/mathcore/test_limits_moved.py); the scene draws Wx in R^3."""
    path = tmp_path / "two_rows.toml"
    path.write_text("[geometry]\nmatrices = [[[0.3, -1.2], [2.6, 0.7]]]\n")
    code, out, err = run(capsys, ["keyframes", "ReluTransform", "--config", str(path), "--out", str(tmp_path / "kf")])
    assert code == 2 and err.count("\n") == 1, err
    assert f"{path}: geometry.matrices: expected 3 rows in every matrix: ReluTransform draws" in err
    assert not list(tmp_path.rglob("*.png"))


def test_every_command_that_reads_a_config_says_so_in_its_help_as_mathcore_does(capsys):
    """--config is one option for both CLIs: each command that takes it shows mathcore's help line for it."""
    from mathcore.cli import main as mathcore_main
    from scenes.pipeline.cli import cli

    def config_help(entry, command: str) -> str:
        with pytest.raises(SystemExit):
            entry([command, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        return out[out.index("--config FILE"):].split(" -", 1)[0]

    expected = config_help(mathcore_main, "chain")
    assert "Lecture config" in expected
    readers = [name for name, command in cli.commands.items() if any(p.name == "config_file" for p in command.params)]
    assert {"render", "build", "keyframes", "sheet"} <= set(readers)
    assert {name: config_help(main, name) for name in readers} == dict.fromkeys(readers, expected)


def test_each_command_is_a_module_of_its_own():
    """A newcomer finds ``lecture X`` in scenes/pipeline/commands/, one module per command."""
    from scenes.pipeline.cli import cli

    modules = {name: command.callback.__module__ for name, command in cli.commands.items()}
    assert set(modules) == {"list", "render", "build", "keyframes", "embed", "sheet", "pacing", "doctor", "bench"}
    assert all(m.startswith("scenes.pipeline.commands.") for m in modules.values()), modules
    assert len(set(modules.values())) == len(modules), modules
