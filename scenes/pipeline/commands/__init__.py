"""One module per ``lecture`` command, each defining the click command it is named after.

A module here imports only click and ``scenes.pipeline.options`` at module level: ``lecture --help`` loads
them all, so manim, torch and the pipeline's heavy modules are imported inside the command function.
"""
