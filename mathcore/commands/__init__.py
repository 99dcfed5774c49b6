"""One module per ``mathcore`` subcommand group; each defines ``commands``, a list of click commands.

Modules here must not import torch at module level: ``mathcore chain`` would pay for it.
Import heavy modules inside the command function instead.
"""
