"""What the student's file says, read without running it: the lines a diagnosis points at.

The judge trusts what ran (the scenarios' observations); this module only finds *where* in the file
a mistake the observations show is written (``counter.value += 1`` outside its lock, the ``join`` in
the start loop), and a few facts that cannot be observed from outside a child process.
"""

from __future__ import annotations

import ast
import functools
from collections import Counter
from collections.abc import Callable, Collection, Iterator
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

    def _standing_for(self, does: Callable[[ast.AST], bool]) -> frozenset[str]:
        """Names that stand for something the code ``does``: functions of the file that do it, or call
        one that does (``def alive(p): return p.is_alive()``), and names only ever bound to such a
        thing (``alive = p.is_alive``, ``alive = lambda: p.is_alive()``). Each function and value is
        read once, and each call followed once (red team, round 14: a chain of 28,000 functions,
        read again for each new name, took two minutes)."""
        # each binding of a name: a def (enough alone) or a value (a name only bound to such things)
        bindings: list[tuple[str, bool, ast.AST]] = []
        for node in self.nodes():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bindings.append((node.name, True, node))
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and getattr(node, "value", None):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bindings += [(t.id, False, node.value) for t in targets if isinstance(t, ast.Name)]  # type: ignore[misc]
        callers: dict[str, list[int]] = {}  # a name -> the bindings whose code calls it
        doing: set[int] = set()  # the bindings that do it, themselves or through a call
        for index, (_, _, body) in enumerate(bindings):
            inner = list(ast.walk(body))
            if any(does(each) for each in inner):
                doing.add(index)
            for call in inner:
                if isinstance(call, ast.Call):
                    callers.setdefault(called_name(call).rpartition(".")[2], []).append(index)
        unmet = Counter(name for name, is_def, _ in bindings if not is_def)  # values that do not do it, yet
        found: set[str] = set()
        pending: list[str] = []

        def does_it(index: int) -> None:
            name, is_def, _ = bindings[index]
            unmet[name] -= not is_def
            if name not in found and (is_def or unmet[name] == 0):
                found.add(name)
                pending.append(name)

        for index in doing:
            does_it(index)
        while pending:
            for index in callers.get(pending.pop(), ()):
                if index not in doing:
                    doing.add(index)
                    does_it(index)
        return frozenset(found)

    def gives_up_waiting(self, function: str) -> ast.Call | None:
        """A look at a queue that does not wait for good (``get(timeout=...)``, ``get_nowait()``,
        ``empty()``, ``qsize()``) in ``function``, repeated by a loop that can stop at a limit of its
        own: a clock, a count of the looks that found nothing, a number of tries. Such a loop gives up
        on a producer slower than its limit, however long; only the file tells it from one that asks
        until the SENTINEL comes, once the items arrive before the limit."""
        root = self.function(function)
        calls = [node for node in ast.walk(root) if isinstance(node, ast.Call)] if root is not None else []
        # through the file's own functions too: ``def ask(q): return q.get(timeout=0.1)``, a class whose
        # method reads the clock (red team, round 14)
        asking = self._standing_for(lambda node: isinstance(node, ast.Call) and a_look_at_a_queue(node))
        clocks = self._standing_for(_a_clock)
        looks = [call for call in calls if a_look_at_a_queue(call) or called_name(call).rpartition(".")[2] in asking]
        for look in sorted(looks, key=lambda node: (node.lineno, node.col_offset)):
            for loop in self.enclosing(look, ast.While, ast.For, ast.FunctionDef, ast.Lambda):
                if not isinstance(loop, (ast.While, ast.For)):
                    break  # a function of its own: where it is called decides, and that is not read
                if isinstance(loop, ast.For):
                    if any(_a_count(inner) for inner in ast.walk(loop.iter)) or _repeats(loop.iter):
                        return look  # a number of tries: range(n), reversed(range(n)), [None] * n
                    break
                if _gives_up(loop, _limits(root, loop, clocks), clocks):  # type: ignore[arg-type]
                    return look
                break  # a loop that asks until something comes
        return None

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


def calls_only(node: ast.AST, allowed: Callable[[ast.Call], bool]) -> bool:
    """Whether every call in ``node`` is one of the ``allowed``, and ``node`` neither binds a name in
    passing nor holds code of its own (``:=``, ``lambda``, ``yield``, ``await``) that could do more."""
    return all(allowed(call) for call in ast.walk(node) if isinstance(call, ast.Call)) and not any(
        isinstance(inner, (ast.NamedExpr, ast.Lambda, ast.Yield, ast.YieldFrom, ast.Await)) for inner in ast.walk(node)
    )


def _repeats(iterable: ast.AST) -> bool:
    """An iterable that gives the same things again: ``[p] * 300``, ``itertools.repeat(p, 300)``."""
    return any(
        isinstance(inner, ast.BinOp)
        and isinstance(inner.op, ast.Mult)
        or isinstance(inner, ast.Call)
        and called_name(inner).rpartition(".")[2] in ("repeat", "cycle")
        for inner in ast.walk(iterable)
    )


def _leaves(statements: list[ast.stmt], inner: bool) -> bool:
    """A ``return`` or a ``raise`` anywhere in them, or a ``break`` that is not in an inner loop."""
    for statement in statements:
        if isinstance(statement, (ast.Return, ast.Raise)) or isinstance(statement, ast.Break) and not inner:
            return True
        if any(_leaves(block, inner or isinstance(statement, LOOPS)) for block in _blocks(statement)):
            return True
    return False


def _blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statements nested in one (not those of a function or class defined there)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return []
    handlers = [handler.body for handler in getattr(statement, "handlers", [])]
    cases = [case.body for case in statement.cases] if isinstance(statement, ast.Match) else []
    return [getattr(statement, name, []) for name in ("body", "orelse", "finalbody")] + handlers + cases


LOOPS = (ast.For, ast.AsyncFor, ast.While)
CLOCKS = {"monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns", "process_time", "now"}
COUNTS = {"range", "repeat", "count", "islice"}  # a for over one of these makes a number of tries


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


def _a_count(iterable: ast.AST) -> bool:
    return isinstance(iterable, ast.Call) and called_name(iterable).rpartition(".")[2] in COUNTS


def _a_clock(node: ast.AST, clocks: Collection[str] = ()) -> bool:
    """A call that reads a clock: ``time.monotonic()``, or a function of the file's that does."""
    return isinstance(node, ast.Call) and called_name(node).rpartition(".")[2] in {*CLOCKS, *clocks}


def _limits(function: ast.FunctionDef, loop: ast.While, clocks: frozenset[str]) -> frozenset[str]:
    """Names that hold a limit of the code's own: set from a clock (``deadline = time.monotonic() +
    3``), or set where a look found nothing (``misses += 1`` under ``except queue.Empty`` or ``if
    q.empty()``)."""
    names = {
        name
        for node in ast.walk(function)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        and any(_a_clock(inner, clocks) for inner in ast.walk(node.value or ast.Pass()))
        for name in _assigned(node)
    }
    nothing: list[ast.AST] = [node for node in ast.walk(loop) if isinstance(node, ast.ExceptHandler)]  # on a miss
    nothing += [
        statement
        for node in ast.walk(loop)
        if isinstance(node, ast.If)
        and any(isinstance(inner, ast.Call) and a_look_at_a_queue(inner) for inner in ast.walk(node.test))
        for statement in node.body
    ]  # ``if q.empty(): misses += 1``
    names |= {name for block in nothing for node in ast.walk(block) for name in _assigned(node)}
    return frozenset(names)


def _assigned(node: ast.AST) -> set[str]:
    """The names an assignment sets (none for any other node)."""
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    if not isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        return set()
    return {inner.id for target in targets for inner in ast.walk(target) if isinstance(inner, ast.Name)}  # type: ignore[arg-type]


def _gives_up(loop: ast.While, limits: frozenset[str], clocks: frozenset[str]) -> bool:
    """Whether the loop's condition, or an ``if``, ``match`` (or ``assert``) in it that leaves it,
    reads a clock or a limit of the code's own; or a ``try`` in it leaves on an exception."""

    def reads_a_limit(test: ast.AST | None) -> bool:
        return test is not None and any(
            _a_clock(inner, clocks) or isinstance(inner, ast.Name) and inner.id in limits for inner in ast.walk(test)
        )

    def leaves_at_a_limit(statements: list[ast.stmt], inner: bool) -> bool:
        for statement in statements:
            if isinstance(statement, ast.Assert) and reads_a_limit(statement.test):
                return True
            if (
                isinstance(statement, ast.If)
                and reads_a_limit(statement.test)
                and (_leaves(statement.body, inner) or _leaves(statement.orelse, inner))
            ):
                return True
            if isinstance(statement, ast.Match) and any(
                _leaves(case.body, inner) and (reads_a_limit(statement.subject) or reads_a_limit(case.guard))
                for case in statement.cases
            ):
                return True
            if any(_leaves(handler.body, inner) for handler in getattr(statement, "handlers", [])):
                return True  # ``except queue.Empty: break``: it stops at the first wait that came back empty
            if any(leaves_at_a_limit(block, inner or isinstance(statement, LOOPS)) for block in _blocks(statement)):
                return True
        return False

    return reads_a_limit(loop.test) or leaves_at_a_limit(loop.body, inner=False)


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
