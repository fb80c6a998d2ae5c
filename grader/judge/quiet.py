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
from collections import Counter
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
STREAMS = {"stdout", "stderr"}  #: what a print may write to (``file=sys.stderr``) besides its default


@functools.lru_cache(maxsize=64)
def numbers(root: ast.AST, clocks: frozenset[str]) -> frozenset[str]:
    """The names of a function only ever set to numbers (``tries = 0``, ``tries += 1``, ``start =
    time.monotonic()``, ``left = deadline - start``): whatever a loop does, they hold a number.
    ``clocks``: the calls that read the standard clocks (``grader.judge.quiet.clocks``)."""
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
    candidates = {name: found for name, found in values.items() if name not in others}
    return largest(candidates, lambda value, names: numeric(value, names, clocks))


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


def numeric(node: ast.AST, names: Container[str], clocks: Container[str]) -> bool:
    """An expression that gives a number: a numeric constant, a name of ``names``, a call of
    ``clocks`` (``time.monotonic()``, not ``stopwatch.perf_counter()`` of an object of the file's: red
    team, round 17), a ``len`` or a ``sum``, sums and differences of such, and one modulo a non-zero
    constant (``ticks % 10``)."""
    if isinstance(node, ast.Constant):
        return type(node.value) in (int, float)
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return numeric(node.operand, names, clocks)
    if isinstance(node, ast.BinOp) and isinstance(node.op, SUMS):
        return numeric(node.left, names, clocks) and numeric(node.right, names, clocks)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        divisor = node.right
        non_zero = isinstance(divisor, ast.Constant) and type(divisor.value) in (int, float) and divisor.value != 0
        return non_zero and numeric(node.left, names, clocks)
    if isinstance(node, ast.Call) and not node.keywords:
        name = called_name(node)
        return name in clocks and not node.args or name in COUNTING and len(node.args) == 1
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
        kinds = [handler.type for handler in ast.walk(loop) if isinstance(handler, ast.ExceptHandler) and handler.type]
        if not all(self.caught(kind) for kind in kinds):
            return False
        handlers = {id(node) for kind in kinds for node in ast.walk(kind)}
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

    def caught(self, kind: ast.expr) -> bool:
        """``queue.Empty``, ``Empty``, ``KeyboardInterrupt`` or a tuple of such: an exception an import
        or the builtins give, not a property of an object of the file's, which runs as the handler is
        matched and may raise anything (red team, round 17)."""
        if isinstance(kind, ast.Tuple):
            return all(self.caught(each) for each in kind.elts)
        while isinstance(kind, ast.Attribute):
            kind = kind.value
        return isinstance(kind, ast.Name) and kind.id not in self.owned

    allowed: Callable[[ast.Call], bool]
    numbers: frozenset[str]
    shown: frozenset[str]
    constants: frozenset[str]
    attributes: frozenset[str] = frozenset()  #: what may be read off an object (``exitcode``): not an item's
    tools: frozenset[str] = frozenset()  #: modules and functions the loop may name (``time``, ``print``)
    clocks: frozenset[str] = frozenset()  #: the calls that read a clock (``grader.judge.quiet.clocks``)
    owned: frozenset[str] = frozenset()  #: what a handler may not name (``grader.judge.quiet.owned``)
    system: frozenset[str] = frozenset()  #: the names of ``sys``, if a print may write to its streams
    made: Callable[[ast.Call], bool] = lambda call: False  #: a call whose object a method may be called on

    def number(self, node: ast.AST) -> bool:
        return numeric(node, self.numbers, self.clocks)

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
            return isinstance(target, ast.Name) and target.id in self.numbers and self.number(statement.value)
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
            return self.expression(node.operand) and (isinstance(node.op, ast.Not) or self.number(node))
        if isinstance(node, ast.BinOp):
            return self.number(node) and self.expression(node.left) and self.expression(node.right)
        if isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if all(isinstance(op, EQUALITIES) for op in node.ops):
                return all(self.expression(part) for part in parts)
            return all(self.number(part) and self.expression(part) for part in parts)
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
        if isinstance(node, ast.Call):  # ``threading.Event()``, then waited on for a while
            return self.made(node) and self.call(node)
        if isinstance(node, ast.Subscript):
            index = node.slice
            fixed = isinstance(index, ast.Constant) or isinstance(index, ast.Name) and index.id not in self.numbers
            return fixed and self.object(node.value)
        return False

    def call(self, call: ast.Call) -> bool:
        if self.written(call):
            return True
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
                keyword.arg in PRINTING and isinstance(keyword.value, ast.Constant)
                or keyword.arg == "file" and self.stream(keyword.value)
                for keyword in call.keywords
            ) and all(self.shows(argument) for argument in call.args)  # fmt: skip
        if name in WAITS:  # what it waits on (an item to put, sentinels): any; how long: fixed
            given = call.args[:1] if name in GIVEN else []
            timings = [argument for argument in arguments if argument not in given]
            return all(self.expression(argument) for argument in given) and all(map(self.fixed, timings))
        return all(self.expression(argument) for argument in arguments)

    def stream(self, node: ast.AST) -> bool:
        """``sys.stdout`` or ``sys.stderr``, ``sys`` bound by ``import sys`` (``grader.judge.quiet.system``)."""
        return (
            isinstance(node, ast.Attribute)
            and node.attr in STREAMS
            and isinstance(node.value, ast.Name)
            and node.value.id in self.system
        )

    def written(self, call: ast.Call) -> bool:
        """``sys.stdout.write(".")`` (of a string constant) or ``sys.stdout.flush()``: progress shown."""
        if not isinstance(call.func, ast.Attribute) or call.keywords or not self.stream(call.func.value):
            return False
        text = [isinstance(argument, ast.Constant) and isinstance(argument.value, str) for argument in call.args]
        return call.func.attr == "write" and text == [True] or call.func.attr == "flush" and not text

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
        return isinstance(node, ast.Constant) or self.number(node) and self.expression(node)

    def formatted(self, node: ast.AST) -> bool:
        """``{tries}``, ``{p.exitcode!r}``, ``{waited:.1f}`` (a fixed format, of a number only)."""
        if not isinstance(node, ast.FormattedValue) or not self.shows(node.value):
            return False
        spec = node.format_spec
        if spec is None:
            return True
        fixed = isinstance(spec, ast.JoinedStr) and all(isinstance(part, ast.Constant) for part in spec.values)
        return fixed and self.number(node.value)


def bindings(root: ast.AST | None) -> Counter[str]:
    """How many times ``root`` binds each name: assignments of every kind (for, with, :=, del...),
    functions and classes, imports, parameters; ``global``/``nonlocal`` count as many."""
    found: Counter[str] = Counter()
    for node in ast.walk(root) if root is not None else ():
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found[node.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not root:
            found[node.name] += 1
        elif isinstance(node, ast.alias):
            found[node.asname or node.name.partition(".")[0]] += 1
        elif isinstance(node, ast.arg):
            found[node.arg] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(dict.fromkeys(node.names, 2))
    return found


def _set_to_a_number(statement: ast.stmt) -> str | None:
    """The name of ``POLL = 0.01`` or ``POLL: float = 0.01``: one name, a non-negative number."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target: ast.expr = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target = statement.target
    else:
        return None
    value = statement.value
    number = isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) and value.value >= 0
    return target.id if number and isinstance(target, ast.Name) else None


@functools.lru_cache(maxsize=8)
def constants(tree: ast.Module | None) -> frozenset[str]:
    """The file's names set once, at the top, to a non-negative number (``POLL = 0.01``, ``POLL: float
    = 0.01``), and never bound again anywhere (no ``global POLL``, no other assignment, no ``def POLL``)."""
    if tree is None:
        return frozenset()
    once = bindings(tree)
    names = (_set_to_a_number(statement) for statement in tree.body)
    return frozenset(name for name in names if name is not None and once[name] == 1)


def settled(root: ast.FunctionDef, loop: ast.AST) -> frozenset[str]:
    """The function's names set once, by a statement of its own body before ``loop``, to a
    non-negative number, and never bound otherwise (``interval = 0.01``): fixed as a constant is."""
    once = bindings(root)
    names = (_set_to_a_number(statement) for statement in root.body if statement.lineno < loop.lineno)  # type: ignore[attr-defined]
    return frozenset(name for name in names if name is not None and once[name] == 1)


def given(root: ast.FunctionDef) -> frozenset[str]:
    """The parameters a caller must give (no default, which could be an object of the file's) and the
    function never binds again (``target = Progress()``: red team, round 17): what the grader passed."""
    arguments = root.args
    positional = [*arguments.posonlyargs, *arguments.args]
    required = positional[: len(positional) - len(arguments.defaults)]
    keywords = zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    required += [each for each, default in keywords if default is None]
    once = bindings(root)
    return frozenset(each.arg for each in required if once[each.arg] == 1)


@functools.lru_cache(maxsize=8)
def modules(tree: ast.Module | None, module: str) -> frozenset[str]:
    """The names a plain ``import module`` (or ``import module as name``) binds, if nothing else binds them."""
    names = {
        alias.asname or module
        for node in (ast.walk(tree) if tree is not None else ())
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == module
    }  # fmt: skip
    return frozenset(names & imported(tree))


@functools.lru_cache(maxsize=8)
def clocks(tree: ast.Module | None) -> frozenset[str]:
    """The calls that read a standard clock: ``time.monotonic`` with ``time`` from ``import time``, or
    ``monotonic`` from ``from time import monotonic`` (not an object's method of that name)."""
    found = {f"{name}.{clock}" for name in modules(tree, "time") for clock in CLOCKS}
    found |= {
        alias.asname or alias.name
        for node in (ast.walk(tree) if tree is not None else ())
        if isinstance(node, ast.ImportFrom) and node.module == "time" and not node.level
        for alias in node.names
        if alias.name in CLOCKS
    }  # fmt: skip
    return frozenset(name for name in found if name.partition(".")[0] in imported(tree))


@functools.lru_cache(maxsize=8)
def owned(tree: ast.Module | None) -> frozenset[str]:
    """The names the file binds otherwise than by an import (``patience = Patience()``): what may hold
    an object of the file's. A name it never binds is a builtin, or raises NameError at once."""
    return frozenset(bindings(tree)) - imported(tree)


@functools.lru_cache(maxsize=8)
def system(tree: ast.Module | None) -> frozenset[str]:
    """The names of ``sys`` a print may write to the streams of, unless the file could have swapped
    those streams for an object of its own (``sys.stdout = Dots()``, ``redirect_stdout``)."""
    if redirected(tree):
        return frozenset()
    return modules(tree, "sys")


def redirected(tree: ast.Module | None) -> bool:
    """Whether the file may swap ``sys.stdout``/``sys.stderr`` for an object of its own, whose
    ``write`` a print then calls."""
    swaps = {"redirect_stdout", "redirect_stderr"}
    named = any(
        isinstance(node, ast.Name) and node.id in swaps or isinstance(node, ast.Attribute) and node.attr in swaps
        or isinstance(node, ast.alias) and node.name in swaps
        for node in (ast.walk(tree) if tree is not None else ())
    )  # fmt: skip
    return named or rebinds(tree, {*STREAMS, "__stdout__", "__stderr__"})


# Calls that set attributes named by their arguments, of a module too: ``functools.update_wrapper(
# time, ns, assigned=("sl" + "eep",))`` (red team, round 17). ``setattr`` with a literal name is seen
# by its string; given as a value (``partial(setattr, time)``), its name is made elsewhere.
SETTERS = {"update_wrapper", "wraps", "setitem", "__setattr__", "__dict__", "setattr", "delattr"}


def rebinds(tree: ast.Module | None, names: Collection[str]) -> bool:
    """Whether the file binds one of ``names`` (``def sleep(x): ps.clear()``, ``from os import
    kill as sleep``, ``time.sleep = mine``, ``setattr(time, "sleep", mine)``, a parameter ``sleep``,
    ``SimpleNamespace(perf_counter=mine)``), or sets attributes by names made at run time: then a
    call of it could do anything."""
    literal_setattr = {
        id(node.func)
        for node in (ast.walk(tree) if tree is not None else ())
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr")
        and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
    }  # fmt: skip
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
        if isinstance(node, ast.arg) and node.arg in names or isinstance(node, ast.keyword) and node.arg in names:
            return True
        setter = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if setter in SETTERS and id(node) not in literal_setattr:
            return True
        if isinstance(node, ast.alias) and node.name in SETTERS:
            return True
    return False


# What can end or change a loop from outside it, while it runs: a signal (and what sends one), a
# thread (a timer that swaps the process a loop looks at, or puts a SENTINEL on its queue: red team,
# round 16), a thread by another name (a pool's callbacks, a logging listener: red team, round 17), an
# exit at a time of its own choosing, a hook that runs at exits, collections, faults or every line.
# A file that names any of them, however it imports or calls it, is not vouched for.
FROM_OUTSIDE = frozenset({
    "signal", "alarm", "setitimer", "raise_signal", "pthread_kill", "kill", "killpg", "interrupt_main", "abort",
    "_thread", "Thread", "Timer", "start_new_thread", "concurrent", "ThreadPoolExecutor",
    "ThreadPool", "sched", "callback", "error_callback", "QueueListener", "QueueHandler", "apply_async",
    "map_async", "starmap_async", "Pool", "_exit", "atexit", "weakref", "finalize", "faulthandler", "settrace",
    "setprofile",
})  # fmt: skip
# ``threading``'s objects that neither run code nor reach a thread that does: a poll paced by
# ``threading.Event().wait(0.1)`` is no thread. Any other use of the module (a thread object of its:
# ``super(type(threading.current_thread()), self)`` reaches ``Thread`` by no name) is from outside.
THREADING = "threading"
SYNC = frozenset({
    "Event", "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Barrier", "BrokenBarrierError",
    "TIMEOUT_MAX",
})  # fmt: skip
# ``multiprocessing.dummy`` (threads behind the processes' names), but not a function of the file's
# called ``dummy`` (red team, round 17: an honest demo)
ONLY_IMPORTED = frozenset({"dummy"})


# what a Ctrl-C handler that raises again may do: stop the processes it leaves behind
ON_INTERRUPT = frozenset({"kill"})


@functools.lru_cache(maxsize=8)
def from_outside(tree: ast.Module | None) -> ast.AST | None:
    """Where the file names a signal, a kill or a thread (as a name, an attribute, a keyword, an
    import under any alias, or a string: ``getattr(os, "kill")``): the first line that uses one, else
    the import. Not in the file's top-level ``__main__`` block, which the grader never runs (unless the
    file binds ``__name__`` itself: red team, round 18), nor a kill in an ``except KeyboardInterrupt:``
    that raises again (``p.kill(); raise``): Ctrl-C ends the wait anyway (a timer there is read: the
    file can raise KeyboardInterrupt itself, and catch it again)."""
    uses: list[ast.AST] = []
    imports: list[ast.AST] = []
    nodes = _read(tree)
    threading = {  # the names the file binds to the module
        alias.asname or THREADING for node, _ in nodes if isinstance(node, ast.Import)
        for alias in node.names if alias.name == THREADING
    }  # fmt: skip
    # where such a name only reads a sync primitive of it (``threading.Event``)
    sync = {id(node.value) for node, _ in nodes if isinstance(node, ast.Attribute) and node.attr in SYNC}
    for node, on_interrupt in nodes:
        named = (
            node.id if isinstance(node, ast.Name)
            else node.attr if isinstance(node, ast.Attribute)
            else node.arg if isinstance(node, ast.keyword)
            else node.value if isinstance(node, ast.Constant) and isinstance(node.value, str)
            else None
        )  # fmt: skip
        if on_interrupt and named in ON_INTERRUPT:
            continue
        if named in FROM_OUTSIDE or named in ONLY_IMPORTED and not isinstance(node, ast.Name):
            uses.append(node)
        if (
            isinstance(node, ast.Name)
            and node.id in threading
            and id(node) not in sync
            or (
                named == THREADING and not isinstance(node, ast.Name)  # as a string, or an attribute of a module
            )
        ):
            uses.append(node)
        if isinstance(node, ast.ImportFrom) and _imports_from_threading(node):
            imports.append(node)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            dotted = [alias.name for alias in node.names] + [alias.asname or "" for alias in node.names]
            dotted += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            if any(part in FROM_OUTSIDE | ONLY_IMPORTED for name in dotted for part in name.split(".")):
                imports.append(node)
    return min(uses or imports, key=lambda node: getattr(node, "lineno", 0), default=None)


def _imports_from_threading(node: ast.ImportFrom) -> bool:
    """``from threading import current_thread`` (but not ``import Event, Lock``), or ``from x import threading``."""
    if node.module == THREADING:
        return any(alias.name not in SYNC for alias in node.names)
    return any(alias.name == THREADING for alias in node.names)


def _read(tree: ast.Module | None) -> list[tuple[ast.AST, bool]]:
    """The nodes of the file but those of its top-level ``if __name__ == "__main__":`` blocks, each
    with whether it is in an ``except KeyboardInterrupt:`` handler that ends in a bare ``raise``."""
    if tree is None:
        return []
    names_itself = any(_may_bind_name(node) for node in ast.walk(tree))
    main_blocks = set() if names_itself else {id(node) for node in tree.body if _main_block(node)}
    found: list[tuple[ast.AST, bool]] = []
    pending: list[tuple[ast.AST, bool]] = [(tree, False)]
    while pending:
        node, on_interrupt = pending.pop()
        found.append((node, on_interrupt))
        if id(node) in main_blocks:
            pending.extend((child, on_interrupt) for child in [node.test, *node.orelse])  # type: ignore[attr-defined]
        else:
            inside = on_interrupt or _reraised_interrupt(node)
            pending.extend((child, inside) for child in ast.iter_child_nodes(node))
    return found


# ways to set a module's globals by a name made at run time
GLOBAL_SETTERS = SETTERS | {"globals", "vars", "modules", "exec", "eval", "__import__", "__builtins__"}


def _may_bind_name(node: ast.AST) -> bool:
    """Whether ``node`` may bind ``__name__`` (a parameter, a target, an alias, a string, a setter)."""
    if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
        named = node.id if isinstance(node, ast.Name) else node.attr
        return named in GLOBAL_SETTERS
    return any(
        isinstance(value, str) and (value == "__name__" or value in GLOBAL_SETTERS)
        for _, value in ast.iter_fields(node)
    )


def _main_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If) or not isinstance(test := node.test, ast.Compare) or len(test.ops) != 1:
        return False
    sides = {ast.unparse(test.left), ast.unparse(test.comparators[0])}
    return isinstance(test.ops[0], ast.Eq) and sides == {"__name__", "'__main__'"}


def _reraised_interrupt(node: ast.AST) -> bool:
    if not isinstance(node, ast.ExceptHandler) or node.type is None:
        return False
    last = node.body[-1]
    return ast.unparse(node.type) == "KeyboardInterrupt" and isinstance(last, ast.Raise) and last.exc is None


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
