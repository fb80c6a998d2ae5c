"""Code that cannot end a waiting loop by an exception: what the judge lets a loop it vouches for do.

A loop that polls or asks a queue without waiting is vouched for (``grader.judge.polls``,
``grader.judge.consumers``) when only the processes' end or the SENTINEL can lead out of it. An
exception leads out too, and at run time it comes only if it is due: ``raise TimeoutError`` under
``if tries > 3000``, ``time.sleep(0.01 - late)`` turning negative, ``ps[tries // 300]`` running off the
end, ``None < 0`` once a name was set to ``None`` (red team, round 16). So everything in such a loop is
written in a small grammar whose parts cannot raise whatever the loop has counted: names that only
ever hold numbers, sums and differences of them, comparisons, the few calls the loop may make with
fixed non-negative arguments, and prints of such things. Anything else is not vouched for.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Collection, Container
from dataclasses import dataclass

from grader.judge.static import called_name

SUMS = (ast.Add, ast.Sub)  #: of two numbers, they give a number and never raise
EQUALITIES = (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)  #: they compare anything with anything
CLOCKS = {"monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns"}
COUNTING = {"len", "sum"}  #: calls that give a number (of looks: their argument is checked as any other)
WAITS = {"sleep", "join", "get", "put", "get_nowait", "put_nowait", "wait"}  #: their timings: fixed, not negative
GIVEN = {"put", "put_nowait", "wait"}  #: waits whose first argument is what they are given, not a timing
PRINTING = {"sep", "end", "flush"}  #: a print's keywords, given as constants


@functools.lru_cache(maxsize=64)
def numbers(root: ast.AST) -> frozenset[str]:
    """The names of a function only ever set to numbers (``tries = 0``, ``tries += 1``, ``start =
    time.monotonic()``, ``left = deadline - start``): whatever a loop does, they hold a number."""
    values: dict[str, list[ast.expr]] = {}
    simple: set[int] = set()
    for node in ast.walk(root):
        if isinstance(node, ast.Assign) and all(isinstance(target, ast.Name) for target in node.targets):
            for target in node.targets:
                values.setdefault(target.id, []).append(node.value)  # type: ignore[attr-defined]
                simple.add(id(target))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and isinstance(node.op, SUMS):
            values.setdefault(node.target.id, []).append(node.value)
            simple.add(id(node.target))
    others = {argument.arg for argument in ast.walk(root) if isinstance(argument, ast.arg)}
    others |= {
        node.id
        for node in ast.walk(root)
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and id(node) not in simple
    }
    return largest({name: found for name, found in values.items() if name not in others}, numeric)


def largest(values: dict[str, list[ast.expr]], holds: Callable[[ast.expr, Container[str]], bool]) -> frozenset[str]:
    """The largest set of the names whose every value ``holds`` given that set (``a = 0; b = a + 1``:
    both numbers). ``holds`` may use the set only to ask whether a name is in it; a name whose value
    held is checked again only when a name it asked about, and found in, is taken out (red team,
    round 16: a chain of 20,000 names, each checked again whenever any name was taken out, took 500 s)."""
    found = set(values)
    readers: dict[str, set[str]] = {}
    pending = list(values)
    while pending:
        name = pending.pop()
        if name not in found:
            continue
        asking = _Asking(found)
        if all(holds(value, asking) for value in values[name]):
            for asked in asking.found:
                readers.setdefault(asked, set()).add(name)
        else:
            found.discard(name)
            pending.extend(readers.pop(name, ()))
    return frozenset(found)


class _Asking:
    """A set that notes which of its names were asked for and found."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.found: set[str] = set()

    def __contains__(self, name: object) -> bool:
        if name in self.names:
            self.found.add(name)
            return True
        return False


def numeric(node: ast.AST, names: Container[str]) -> bool:
    """An expression that gives a number: a numeric constant, a name of ``names``, a clock, a ``len``
    or a ``sum``, and sums and differences of such."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return numeric(node.operand, names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, SUMS):
        return numeric(node.left, names) and numeric(node.right, names)
    if isinstance(node, ast.Call) and not node.keywords:
        name = called_name(node).rpartition(".")[2]
        return name in CLOCKS and not node.args or name in COUNTING and len(node.args) == 1
    return False


@dataclass(frozen=True)
class Quiet:
    """The grammar of one loop: ``allowed`` says which calls it may make, ``numbers`` which names
    only hold numbers, ``shown`` which names a print may show (their ``__str__`` is not the file's),
    ``constants`` the file's names set once to a non-negative number (``POLL = 0.01``), ``attributes``
    what may be read off an object, ``tools`` the modules and functions it may name besides."""

    def knows(self, loop: ast.AST) -> bool:
        """Whether every name the loop reads holds something whose methods are not the file's: a
        process, an argument, a number, a look, an item, a module. A name bound to an object of the
        file's own (``watch = Watch(box)``) could run any code of the file as the loop truths, compares,
        measures or calls it (``watch.is_alive()`` swapping ``box[0]`` after 3 s: red team, round 16)."""
        known = self.shown | self.numbers | self.constants | self.tools
        handlers = {id(node) for handler in ast.walk(loop) if isinstance(handler, ast.ExceptHandler)
                    and handler.type is not None for node in ast.walk(handler.type)}  # fmt: skip
        targets = {  # bound by the loop itself to what it runs over, or to what a case matched
            node.id
            for each in ast.walk(loop)
            if isinstance(each, (ast.comprehension, ast.For))
            for node in ast.walk(each.target)
            if isinstance(node, ast.Name)
        } | {each.name for each in ast.walk(loop) if isinstance(each, ast.MatchAs) and each.name}
        return all(
            node.id in known or node.id in targets or id(node) in handlers
            for node in ast.walk(loop)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        )

    allowed: Callable[[ast.Call], bool]
    numbers: frozenset[str]
    shown: frozenset[str]
    constants: frozenset[str]
    attributes: frozenset[str] = frozenset()  #: what may be read off an object (``exitcode``): not an item's
    tools: frozenset[str] = frozenset()  #: modules and functions the loop may name (``time``, ``print``)

    def statements(self, statements: list[ast.stmt], stored: frozenset[str]) -> bool:
        """Expression statements and assignments of ``stored`` names (or of numbers) that cannot raise."""
        return all(self.statement(statement, stored) for statement in statements)

    def statement(self, statement: ast.stmt, stored: frozenset[str]) -> bool:
        if isinstance(statement, ast.Expr):
            return self.expression(statement.value)
        if isinstance(statement, ast.Assign):
            names = [target.id for target in statement.targets if isinstance(target, ast.Name)]
            return len(names) == len(statement.targets) and all(
                name in stored or name in self.numbers for name in names
            ) and self.expression(statement.value)  # fmt: skip
        if isinstance(statement, ast.AugAssign):
            target = statement.target
            return isinstance(target, ast.Name) and target.id in self.numbers and numeric(statement.value, self.numbers)
        return False

    def expression(self, node: ast.AST) -> bool:
        """Whether evaluating ``node`` cannot raise, whatever the numbers hold."""
        if isinstance(node, (ast.Constant, ast.Name)):
            return True
        if isinstance(node, ast.Attribute):
            return node.attr in self.attributes and self.object(node.value)
        if isinstance(node, ast.Subscript):
            return self.object(node)
        if isinstance(node, ast.BoolOp):
            return all(self.expression(value) for value in node.values)
        if isinstance(node, ast.UnaryOp):
            return self.expression(node.operand) and (isinstance(node.op, ast.Not) or numeric(node, self.numbers))
        if isinstance(node, ast.BinOp):
            return numeric(node, self.numbers) and self.expression(node.left) and self.expression(node.right)
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if all(isinstance(op, EQUALITIES) for op in node.ops):
                return all(self.expression(part) for part in parts)
            return all(numeric(part, self.numbers) and self.expression(part) for part in parts)
        if isinstance(node, (ast.Tuple, ast.List)):
            return all(self.expression(element) for element in node.elts)
        if isinstance(node, (ast.GeneratorExp, ast.ListComp)):  # of the processes, not of what was counted
            parts = [node.elt, *(part for each in node.generators for part in (each.iter, *each.ifs))]
            targets = all(isinstance(each.target, ast.Name) and not each.is_async for each in node.generators)
            return targets and not self.counted(node) and all(self.expression(part) for part in parts)
        if isinstance(node, ast.JoinedStr):
            return all(isinstance(value, ast.Constant) or self.formatted(value) for value in node.values)
        if isinstance(node, ast.Call):
            return self.call(node)
        return False  # an if-expression, a lambda, :=, a yield, a division, a dict...

    def object(self, node: ast.AST) -> bool:
        """What an attribute is read off or a method called on: ``p``, ``self.p``, ``ps[0]``, ``ps[i]``
        of a for over them (not ``ps[tries]``, which runs off the end once ``tries`` is large enough)."""
        if isinstance(node, ast.Name):
            return True
        if isinstance(node, ast.Attribute):
            return self.object(node.value)
        if isinstance(node, ast.Subscript):
            index = node.slice
            fixed = isinstance(index, ast.Constant) or isinstance(index, ast.Name) and index.id not in self.numbers
            return fixed and self.object(node.value)
        return False

    def call(self, call: ast.Call) -> bool:
        if not self.allowed(call) or any(keyword.arg is None for keyword in call.keywords):
            return False
        if isinstance(call.func, ast.Attribute) and not self.object(call.func.value):
            return False
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        if any(isinstance(argument, ast.Starred) for argument in arguments):
            return False
        name = called_name(call).rpartition(".")[2]
        if name == "print":
            return all(
                keyword.arg in PRINTING and isinstance(keyword.value, ast.Constant) for keyword in call.keywords
            ) and all(self.shows(argument) for argument in call.args)  # fmt: skip
        if name in WAITS:  # what it waits on (an item to put, sentinels): any; how long: fixed
            given = call.args[:1] if name in GIVEN else []
            timings = [argument for argument in arguments if argument not in given]
            return all(self.expression(argument) for argument in given) and all(map(self.fixed, timings))
        return all(self.expression(argument) for argument in arguments)

    def fixed(self, node: ast.AST) -> bool:
        """A non-negative number that cannot change: ``0.01``, ``POLL``, ``True``, ``None`` (not a name
        of the function, which could hold an object whose ``__index__`` or ``__float__`` is the file's)."""
        if isinstance(node, ast.Constant):
            return node.value is None or isinstance(node.value, (bool, int, float)) and node.value >= 0
        return isinstance(node, ast.Name) and node.id in self.constants

    def counted(self, node: ast.AST) -> bool:
        """Whether ``node`` reads a counted number or a clock: a comprehension that does could hold
        one thing until a limit and another after it (``sum(q.exitcode for q in ps if tries > 300)``)."""
        return any(
            isinstance(inner, ast.Name)
            and inner.id in self.numbers
            or isinstance(inner, ast.Call)
            and called_name(inner).rpartition(".")[2] in CLOCKS
            for inner in ast.walk(node)
        )

    def shows(self, node: ast.AST) -> bool:
        """What a print or an f-string may show: what cannot raise, and no object of the file's own,
        whose ``__str__`` could do anything (a process, a number, an item, a look, a constant)."""
        if isinstance(node, ast.Name):
            return node.id in self.shown or node.id in self.numbers
        if isinstance(node, ast.Attribute):  # p.exitcode, p.pid
            return isinstance(node.value, ast.Name) and node.value.id in self.shown and self.expression(node)
        if isinstance(node, (ast.JoinedStr, ast.Call)):
            return self.expression(node)
        return isinstance(node, ast.Constant) or numeric(node, self.numbers) and self.expression(node)

    def formatted(self, node: ast.AST) -> bool:
        """``{tries}``, ``{p.exitcode!r}``, ``{waited:.1f}`` (a fixed format, of a number only)."""
        if not isinstance(node, ast.FormattedValue) or not self.shows(node.value):
            return False
        spec = node.format_spec
        if spec is None:
            return True
        fixed = isinstance(spec, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in spec.values)
        return fixed and numeric(node.value, self.numbers)


@functools.lru_cache(maxsize=8)
def constants(tree: ast.Module | None) -> frozenset[str]:
    """The file's names set once, at the top, to a non-negative number (``POLL = 0.01``), and never
    bound again anywhere (no ``global POLL``, no other assignment)."""
    if tree is None:
        return frozenset()
    once: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            once[node.id] = once.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                once[name] = 2
    return frozenset(
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(target := node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, (int, float))
        and node.value.value >= 0
        and once.get(target.id) == 1
    )


def rebinds(tree: ast.Module | None, names: Collection[str]) -> bool:
    """Whether the file binds one of ``names`` (``def sleep(x): ps.clear()``, ``from os import
    kill as sleep``, ``time.sleep = mine``, ``setattr(time, "sleep", mine)``): then a call of it could
    do anything."""
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load) and node.attr in names:
            return True
        if isinstance(node, ast.Constant) and node.value in names:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in names:
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
            return True
        if isinstance(node, ast.alias) and node.asname in names and node.asname != node.name:
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and any(name in names for name in node.names):
            return True
    return False


# What can end or change a loop from outside it, while it runs: a signal (and what sends one), a
# thread (a timer that swaps the process a loop looks at, or puts a SENTINEL on its queue: red team,
# round 16). A file that names any of them, however it imports or calls it, is not vouched for.
FROM_OUTSIDE = frozenset({
    "signal", "alarm", "setitimer", "raise_signal", "pthread_kill", "kill", "killpg", "interrupt_main", "abort",
    "threading", "_thread", "Thread", "Timer", "start_new_thread", "concurrent", "ThreadPoolExecutor",
    "ThreadPool", "dummy", "sched",
})  # fmt: skip


@functools.lru_cache(maxsize=8)
def from_outside(tree: ast.Module | None) -> ast.AST | None:
    """Where the file names a signal, a kill or a thread (as a name, an attribute, an import under any
    alias, or a string: ``getattr(os, "kill")``): the first line that uses one, else the import."""
    uses: list[ast.AST] = []
    imports: list[ast.AST] = []
    for node in ast.walk(tree) if tree is not None else ():
        named = (
            node.id if isinstance(node, ast.Name)
            else node.attr if isinstance(node, ast.Attribute)
            else node.value if isinstance(node, ast.Constant) and isinstance(node.value, str)
            else None
        )  # fmt: skip
        if named in FROM_OUTSIDE:
            uses.append(node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            dotted = [alias.name for alias in node.names] + [alias.asname or "" for alias in node.names]
            dotted += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            if any(part in FROM_OUTSIDE for name in dotted for part in name.split(".")):
                imports.append(node)
    return min(uses or imports, key=lambda node: getattr(node, "lineno", 0), default=None)


@functools.lru_cache(maxsize=8)
def imported(tree: ast.Module | None) -> frozenset[str]:
    """The names the file's imports bind (``time``, ``queue``, ``Empty``), if nothing else binds them
    (``time = Watch()``)."""
    names: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
    return frozenset(names - bound)
