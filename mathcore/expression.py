"""Parse the compute tree's steps (``"x1 = b*x0 + c"``) into a small, safe expression tree.

Only arithmetic and a few named functions are allowed, so a config file can
describe another tree without running arbitrary Python. No torch here: the
config loader validates steps without paying torch's import.
"""
from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
FUNCTIONS = ("sigmoid", "relu", "tanh", "exp", "log", "sin", "cos")
#: Names, numbers and operators in all steps together. Parsing, evaluating and walking the autograd graph
#: recurse once per nested term (ast.parse ran out of stack on a 20,000-term step), so this bounds the depth
#: well inside Python's recursion limit, and graphviz lays out a tree of this size in well under a second.
MAX_TERMS = 200


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
    terms = 0
    for k, line in enumerate(lines, start=1):
        terms += _terms(line, MAX_TERMS + 1 - terms)
        if terms > MAX_TERMS:
            raise ValueError(f"at most {MAX_TERMS} names, numbers and operators in all steps together "
                             f"(step {k} brings them past {MAX_TERMS})")
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
    _check_output(steps, leaves)
    return Program(tuple(steps), tuple(leaves))


def _terms(line: str, enough: int) -> int:
    """The names, numbers and operators of ``line``, counted up to ``enough``. The tokenizer reads any
    length without recursing, so a step too long to parse is refused before ast.parse sees it."""
    counted = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type in (tokenize.NAME, tokenize.NUMBER) or (
                token.type == tokenize.OP and token.string not in ("(", ")", "=")
            ):
                counted += 1
                if counted >= enough:
                    break
    except (tokenize.TokenError, SyntaxError):  # ast.parse says what is wrong with it
        pass
    return counted


def _check_output(steps: list[Step], leaves: list[str]) -> None:
    """The last step must compute something from a leaf: the tree is the autograd graph of its result,
    and a leaf's name alone (``y = a``) or numbers alone (``y = 2*3``) have none."""
    varies = set(leaves)  # names whose value depends on a leaf
    computed: set[str] = set()  # steps whose value an operation on a leaf made

    def depends(expr: Expr) -> bool:
        return expr.name in varies if expr.op == "name" else any(depends(a) for a in expr.args)

    for step in steps:
        if depends(step.expr):
            varies.add(step.target)
            if step.expr.op != "name" or step.expr.name in computed:
                computed.add(step.target)
    last = steps[-1]
    if last.target not in computed:
        why = "only names a leaf" if last.target in varies else "uses no leaf"
        raise ValueError(f"a last step that computes from the leaves with + - * / ** or a function, "
                         f"as in \"x1 = b*x0 + c\" ({last.source!r} {why})")


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
