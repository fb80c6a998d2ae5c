"""What the student's file says, read without running it: the lines a diagnosis points at.

The judge trusts what ran (the scenarios' observations); this module only finds *where* in the file
a mistake the observations show is written (``counter.value += 1`` outside its lock, the ``join`` in
the start loop), and a few facts that cannot be observed from outside a child process.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    line: int
    code: str  #: the source of the node, for messages: ``p.run()``


@functools.lru_cache(maxsize=8)
def facts(source: str) -> Facts:
    """The facts of a file, read once for all the checks and start methods that ask."""
    return Facts(source)


class Facts:
    def __init__(self, source: str) -> None:
        self.source = source
        try:
            self.tree: ast.Module | None = ast.parse(source)
        except (SyntaxError, ValueError):
            self.tree = None
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree) if self.tree else ():
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    # --- where things are ------------------------------------------------------------------------

    def function(self, name: str) -> ast.FunctionDef | None:
        for node in self.tree.body if self.tree else ():
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
        return None

    def nodes(self, within: str | None = None) -> Iterator[ast.AST]:
        """Every node of the file, or of one top-level function."""
        root: ast.AST | None = self.function(within) if within else self.tree
        return ast.walk(root) if root is not None else iter(())

    def found(self, node: ast.AST) -> Found:
        return Found(getattr(node, "lineno", 0), ast.get_source_segment(self.source, node) or "")

    def method_calls(self, attribute: str, within: str | None = None) -> list[ast.Call]:
        """Calls ``x.attribute(...)``, in line order."""
        return sorted(
            (
                node
                for node in self.nodes(within)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attribute
            ),
            key=lambda node: (node.lineno, node.col_offset),
        )

    def calls_named(self, *names: str, within: str | None = None) -> list[ast.Call]:
        """Calls whose function is named one of ``names`` (``Lock()``, ``multiprocessing.Lock()``)."""
        return sorted(
            (node for node in self.nodes(within) if isinstance(node, ast.Call) and called_name(node) in names),
            key=lambda node: (node.lineno, node.col_offset),
        )

    def enclosing(self, node: ast.AST, *kinds: type[ast.AST]) -> list[ast.AST]:
        """The nodes of these kinds around ``node``, innermost first."""
        found = []
        parent = self.parents.get(node)
        while parent is not None:
            if isinstance(parent, kinds):
                found.append(parent)
            parent = self.parents.get(parent)
        return found

    def in_function(self, node: ast.AST) -> str:
        """The top-level function ``node`` is in, or ``<module>``."""
        functions = self.enclosing(node, ast.FunctionDef)
        return functions[-1].name if functions else "<module>"  # type: ignore[attr-defined]

    def returns(self, function: str) -> list[ast.Return]:
        return [node for node in self.nodes(function) if isinstance(node, ast.Return)]

    def value_writes(self, within: str | None) -> list[ast.AST]:
        """``x.value += ...`` and ``x.value = ...``: the shared counter's updates."""
        writes: list[ast.AST] = []
        for node in self.nodes(within):
            targets = [node.target] if isinstance(node, ast.AugAssign) else getattr(node, "targets", [])
            if isinstance(node, (ast.AugAssign, ast.Assign)) and any(
                isinstance(target, ast.Attribute) and target.attr == "value" for target in targets
            ):
                writes.append(node)
        return sorted(writes, key=lambda node: node.lineno)  # type: ignore[attr-defined]

    def locked_by_get_lock(self, node: ast.AST) -> bool:
        """Inside ``with x.get_lock():`` or ``with x:`` (a synchronized Value is its own lock)."""
        for block in self.enclosing(node, ast.With):
            for item in block.items:  # type: ignore[attr-defined]
                context = item.context_expr
                if isinstance(context, ast.Call) and called_name(context).endswith("get_lock"):
                    return True
                if isinstance(context, ast.Name):
                    return True
        return False


def called_name(call: ast.Call) -> str:
    """``Lock`` for ``Lock()``, ``multiprocessing.Lock`` for ``multiprocessing.Lock()``."""
    parts = []
    func: ast.AST = call.func
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def a_look_at_a_queue(node: ast.Call) -> bool:
    """``q.get(timeout=...)``, ``q.get(False)``, ``q.get(True, 0.1)``, ``q.get_nowait()``, ``q.empty()``,
    ``q.qsize()``: a look that comes back whether or not an item came (a dict's ``get(k, 0)`` is none)."""
    if not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr in ("get_nowait", "empty", "qsize"):
        return True
    block = keyword(node, "block") or (node.args[0] if node.args else None)
    timeout = keyword(node, "timeout") or (node.args[1] if len(node.args) > 1 else None)
    flag = isinstance(block, ast.Constant) and isinstance(block.value, bool)
    timed = keyword(node, "timeout") is not None or flag and timeout is not None
    untimed = isinstance(timeout, ast.Constant) and timeout.value is None
    return node.func.attr == "get" and (timed and not untimed or flag and block.value is False)  # type: ignore[union-attr]


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
