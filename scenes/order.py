"""The lecture's scenes, in lecture order: (module, class)."""
from __future__ import annotations

import importlib

LECTURE: list[tuple[str, str]] = [
    ("scenes.title", "TitleCard"),
    ("scenes.compute_tree", "ComputeTree"),
    ("scenes.forward_pass", "ForwardPass"),
    ("scenes.backward_pass", "BackwardPass"),
    ("scenes.gradient_descent", "GradientDescentUpdate"),
    ("scenes.local_minima", "LocalMinima"),
    ("scenes.escaping_minima", "EscapingLocalMinima"),
    ("scenes.batch_surfaces", "BatchCostSurfaces"),
    ("scenes.adam", "AdamOptimizer"),
    ("scenes.signs_of_trouble", "SignsOfTrouble"),
    ("scenes.vanishing_gradient", "VanishingGradient"),
    ("scenes.rule_game", "HiddenRuleGame"),
    ("scenes.data_manifold", "DataManifold"),
    ("scenes.playground", "ActivationPlayground"),
    ("scenes.universal_approximation", "UniversalApproximation"),
    ("scenes.autoencoder", "AutoencoderLatent"),
    ("scenes.dot_products", "DotProductGeometry"),
    ("scenes.relu_transform", "ReluTransform"),
    ("scenes.recap", "Recap"),
]
FLOOR = ("scenes.pipeline.floor", "FloorScene")
#: manim's quality names for the -q letters.
QUALITIES = {"l": "low_quality", "m": "medium_quality", "h": "high_quality", "p": "production_quality",
             "k": "fourk_quality"}


def names() -> list[str]:
    return [cls for _, cls in LECTURE]


def module_of(name: str) -> str:
    for module, cls in [*LECTURE, FLOOR]:
        if cls == name:
            return module
    raise KeyError(name)


def load(name: str):
    """The scene class called ``name``."""
    return getattr(importlib.import_module(module_of(name)), name)
