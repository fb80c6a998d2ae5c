"""What the student's file says, read without running it: the lines a diagnosis points at.

The judge trusts what ran (the scenarios' observations); this module only finds *where* in the file
a mistake the observations show is written (``counter.value += 1`` outside its lock, the ``join`` in
the start loop), and a few facts that cannot be observed from outside a child process.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    line: int
    code: str  #: the source of the node, for messages: ``p.run()``


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

    def value_writes(self, within: str) -> list[ast.AST]:
        """``x.value += ...`` and ``x.value = ...``: the shared counter's updates."""
        writes: list[ast.AST] = []
        for node in self.nodes(within):
            targets = [node.target] if isinstance(node, ast.AugAssign) else getattr(node, "targets", [])
            if isinstance(node, (ast.AugAssign, ast.Assign)) and any(
                isinstance(target, ast.Attribute) and target.attr == "value" for target in targets
            ):
                writes.append(node)
        return sorted(writes, key=lambda node: node.lineno)  # type: ignore[attr-defined]

    def polling_loop_with_a_way_out(self, line: int) -> bool:
        """Whether a look at a process on ``line`` (``is_alive()``, ``exitcode``) is in a loop that can
        end while the process still runs: a second condition of its own (``and time.monotonic() <
        deadline``), an ``if`` without a look at a process that breaks out, or ``for _ in range(n)``.
        Such a loop waits until a deadline of its own, however long, like ``join(timeout)``."""
        looks = [node for node in self.nodes() if getattr(node, "lineno", 0) == line and _looks_at_a_process(node)]
        for look in looks:
            loops = self.enclosing(look, ast.While, ast.For, ast.FunctionDef)
            loop = loops[0] if loops else None
            if isinstance(loop, ast.While) and _a_way_out(loop):
                return True
            if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and called_name(loop.iter) == "range":
                return not _mentions(look, loop.target)
        return False

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


def _looks_at_a_process(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "is_alive"
    return isinstance(node, ast.Attribute) and node.attr == "exitcode"


def _looks(node: ast.AST) -> bool:
    return any(_looks_at_a_process(inner) for inner in ast.walk(node))


def _a_way_out(loop: ast.While) -> bool:
    """A condition of the loop's, or an ``if`` in its body that leaves it (``break``, ``return``,
    ``raise``), that can end it while every process still runs: one that looks at none (a clock, a
    count), ``and``ed into the loop's condition or ``or``ed into the ``if``'s, or mixed with a look in
    one expression (``[p.is_alive(), time.monotonic() < deadline] == [True, True]``)."""
    looked = _set_from_looks(loop)
    if not (isinstance(loop.test, ast.Constant) and loop.test.value) and _can_be(False, loop.test, looked):
        return True
    for node in _own_statements(loop.body):
        leaves = any(isinstance(inner, LEAVING) for inner in _own_statements(getattr(node, "body", [])))
        if isinstance(node, ast.If) and leaves and _can_be(True, node.test, looked):
            return True
    return False


def _can_be(value: bool, test: ast.AST, looked: set[str]) -> bool:
    """Whether ``test`` can come out ``value`` while every process still runs, as far as its shape
    shows: a part that looks at no process (a clock, a count) can make an ``and`` false or an ``or``
    true; ``not`` turns the question round; any other expression that mixes a look with such a part
    is taken to be able to."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _can_be(not value, test.operand, looked)
    if isinstance(test, ast.BoolOp):
        decides = isinstance(test.op, ast.Or) == value  # an ``or`` true, an ``and`` false, by one part
        parts = [_can_be(value, part, looked) for part in test.values]
        return any(parts) if decides else all(parts)
    if not _looks(test):
        return _free(test, looked)
    return _mixes_in_a_free_part(test, looked)


def _mixes_in_a_free_part(node: ast.AST, looked: set[str]) -> bool:
    """A part of ``node`` that looks at no process and can change (a name, a call), beside its looks;
    not the function applied to the looks (``any``) nor the processes a comprehension looks at."""
    if _looks_at_a_process(node):
        return False
    if isinstance(node, ast.comprehension):  # its variable is the process looked at
        bound = {inner.id for inner in ast.walk(node.target) if isinstance(inner, ast.Name)}
        return any(_mixes_in_a_free_part(condition, looked | bound) for condition in node.ifs)
    if not _looks(node):
        return any(isinstance(inner, (ast.Name, ast.Call)) for inner in ast.walk(node)) and _free(node, looked)
    if isinstance(node, ast.Call):
        children: list[ast.AST] = [*node.args, *(keyword.value for keyword in node.keywords)]
    else:
        children = list(ast.iter_child_nodes(node))
    return any(_mixes_in_a_free_part(child, looked) for child in children)


def _free(test: ast.AST, looked: set[str]) -> bool:
    """Whether ``test`` reads nothing from a look at a process."""
    names = {node.id for node in ast.walk(test) if isinstance(node, ast.Name)}
    return not _looks(test) and names.isdisjoint(looked)


LEAVING = (ast.Break, ast.Return, ast.Raise)


def _set_from_looks(loop: ast.AST) -> set[str]:
    """Names the loop sets only from looks at processes (``alive = [p for p in ps if p.is_alive()]``)."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast.walk(loop):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        value = getattr(node, "value", None)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and value is not None:
            for target in targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(value)
    return {name for name, assigned in values.items() if all(_looks(value) for value in assigned)}


def _own_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a loop's body, nested ifs and withs included, not those of inner loops."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.With, ast.Try)):
            yield from _own_statements(statement.body)
            yield from _own_statements(getattr(statement, "orelse", []))


def _mentions(node: ast.AST, target: ast.AST) -> bool:
    names = {inner.id for inner in ast.walk(target) if isinstance(inner, ast.Name)}
    return any(isinstance(inner, ast.Name) and inner.id in names for inner in ast.walk(node))


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
