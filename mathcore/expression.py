"""Parse the compute tree's steps (``"x1 = b*x0 + c"``) into a small, safe expression tree.

Only arithmetic and a few named functions are allowed, so a config file can
describe another tree without running arbitrary Python. No torch here: the
config loader validates steps without paying torch's import.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
FUNCTIONS = ("sigmoid", "relu", "tanh", "exp", "log", "sin", "cos")


@dataclass(frozen=True)
class Expr:
    """One node: ``op`` is ``name``, ``const``, ``neg``, a key of BINARY's values or a function."""

    op: str
    args: tuple["Expr", ...] = ()
    name: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class Step:
    target: str
    expr: Expr
    source: str


@dataclass(frozen=True)
class Program:
    steps: tuple[Step, ...]
    leaves: tuple[str, ...]  # in order of first use

    @property
    def output(self) -> str:
        return self.steps[-1].target


def parse_steps(lines: list[str]) -> Program:
    """Parse assignments in order; raise ValueError with a readable reason."""
    if not lines:
        raise ValueError("at least one step such as \"x1 = b*x0 + c\"")
    assigned: list[str] = []
    leaves: list[str] = []
    steps = []
    for line in lines:
        try:
            tree = ast.parse(line, mode="exec")
        except SyntaxError:
            raise ValueError(f"steps like \"x1 = b*x0 + c\" (cannot read {line!r})") from None
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
            raise ValueError(f"one assignment per step (cannot read {line!r})")
        node = tree.body[0]
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            raise ValueError(f"a single name on the left of {line!r}")
        target = node.targets[0].id
        if target in assigned or target in leaves:
            raise ValueError(f"each name assigned once, and not used before ({target!r} in {line!r})")
        expr = _convert(node.value, line, assigned, leaves)
        assigned.append(target)
        steps.append(Step(target, expr, line.strip()))
    return Program(tuple(steps), tuple(leaves))


def _convert(node: ast.AST, line: str, assigned: list[str], leaves: list[str]) -> Expr:
    def conv(n: ast.AST) -> Expr:
        return _convert(n, line, assigned, leaves)

    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        return Expr(BINARY[type(node.op)], (conv(node.left), conv(node.right)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return Expr("neg", (conv(node.operand),))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return conv(node.operand)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Expr("const", value=float(node.value))
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise ValueError(f"{node.id} called as {node.id}(...) in {line!r}")
        if node.id not in assigned and node.id not in leaves:
            leaves.append(node.id)
        return Expr("name", name=node.id)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
    ):
        return Expr(node.func.id, (conv(node.args[0]),))
    raise ValueError(
        f"only + - * / ** and {', '.join(FUNCTIONS)} of names and numbers (cannot read {line!r})"
    )
