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
        self._looking: frozenset[str] | None = None  #: names that stand for a look (``looking``)
        self._used: frozenset[str] | None = None  #: names used other than by calling them
        self._repeated: dict[tuple[int, frozenset[str], bool], bool] = {}  #: ``_repeated_until_a_limit``'s answers
        self._calls: dict[str, list[ast.Call]] | None = None  #: ``_calls_of``'s index
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

    def polling_loop_with_a_way_out(self, line: int) -> bool:
        """Whether a look at a process on ``line`` (``is_alive()``, ``exitcode``, or a call of a name
        that stands for one) is repeated by code that can stop repeating it while the process still
        runs: a ``while`` with a condition or a way out of its own (a clock, a count), a ``for`` over a
        count (``range(300)``, ``itertools.repeat``) rather than over the processes, or a function
        that calls itself; around the look, or around a call of the function it is in. Such code
        waits until a limit of its own, however long, like ``join(timeout)``."""
        looking = self.looking()
        # by span: a call written over two lines runs on the line of its attribute (red team, round 14)
        on_line = [node for node in self.nodes() if _spans(node, line)]
        looks = [node for node in on_line if _is_a_look(node, looking)]
        if not looks:  # a look the reader cannot make out: the statement that made it stands for it
            statements = [node for node in on_line if isinstance(node, ast.stmt) and not isinstance(node, COMPOUND)]
            looks = statements[-1:]
            if not looks:
                return bool(on_line)  # a line that is only the head of a loop or an if: not read, so not vouched for
        if self.calls_named(*INTERRUPTS):  # signal.alarm(3): a signal can end any loop
            return True
        return any(self._repeated_until_a_limit(look, looking, frozenset()) for look in looks)

    def looking(self) -> frozenset[str]:
        """Names that stand for a look at a process: functions of the file that make one (``def
        alive(p): return p.is_alive()``), and names only ever bound to one (``alive = p.is_alive``,
        ``alive = lambda: p.is_alive()``)."""
        if self._looking is None:
            self._looking = self._standing_for(_looks_at_a_process)
        return self._looking

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

    def _repeated_until_a_limit(
        self, node: ast.AST, looking: frozenset[str], seen: frozenset[str], patient: bool = False
    ) -> bool:
        # the answer for a node depends on the functions on the way to it, not on the way itself: once
        # each (red team, round 13: helpers that call one another from two places each made 2^n ways)
        key = (id(node), seen, patient)
        if key not in self._repeated:
            self._repeated[key] = self._repeated_uncached(node, looking, seen, patient)
        return self._repeated[key]

    def _repeated_uncached(self, node: ast.AST, looking: frozenset[str], seen: frozenset[str], patient: bool) -> bool:
        name = ""
        for around in self.enclosing(node, ast.While, ast.For, ast.FunctionDef, ast.Lambda, *GUARDS):
            if isinstance(around, GUARDS):
                # an exception out of the waiting loop, caught here (``[0][time.monotonic() > deadline]``
                # in a ``try``), or swallowed by a context manager: a way out (red team, round 14)
                if patient and (isinstance(around, (ast.With, ast.AsyncWith)) or self._caught(around, node)):
                    return True
                continue
            if isinstance(around, ast.While) and not patient:
                if _a_way_out(around, looking):
                    return True
                patient = True  # the look waits in this loop, whatever loops are around it
            elif isinstance(around, ast.For) and not patient and not _over_the_processes(around, node, looking):
                return True  # the look repeated a number of times
            elif isinstance(around, ast.FunctionDef):
                if _a_generator(around):
                    return True  # its loop runs only while its consumer asks for more: zip(watch(p), range(300))
                name = around.name
                break
            elif isinstance(around, ast.Lambda):
                name = self._named(around)
                if name:
                    break
                if getattr(self.parents.get(around), "func", None) is not around:  # not (lambda: ...)()
                    return True  # handed to a thread, a timer...: the parent may stop waiting for it
        if not name:
            return False
        if name in seen:
            return True  # a function that calls itself: it stops at a count or a clock of its own
        if self._handed_away(name):
            return True  # Thread(target=watch), then t.join(3): the parent may stop waiting for it
        if len(seen) >= DEEPEST:
            return True  # not read to the end, so not vouched for (red team, round 14: a chain of 28,000)
        calls = [call for call in self._calls_of(name) if not self._in_main(call)]
        return any(self._repeated_until_a_limit(call, looking, seen | {name}, patient) for call in calls)

    def _calls_of(self, name: str) -> list[ast.Call]:
        """The calls of a name (``alive(p)``, ``self.alive()``), from an index made once."""
        if self._calls is None:
            self._calls = {}
            for node in self.nodes():
                if isinstance(node, ast.Call):
                    self._calls.setdefault(called_name(node).rpartition(".")[2], []).append(node)
        return self._calls.get(name, [])

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
        asking = self._standing_for(lambda node: isinstance(node, ast.Call) and _a_look_at_a_queue(node))
        clocks = self._standing_for(_a_clock)
        looks = [call for call in calls if _a_look_at_a_queue(call) or called_name(call).rpartition(".")[2] in asking]
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

    def _caught(self, guard: ast.AST, node: ast.AST) -> bool:
        """Whether a ``try`` catches what ``node`` raises: it has handlers, and ``node`` is in its body."""
        if not getattr(guard, "handlers", None):
            return False
        while self.parents.get(node) not in (guard, None):
            node = self.parents[node]
        return any(node is statement for statement in guard.body)  # type: ignore[attr-defined]

    def _handed_away(self, name: str) -> bool:
        """Whether the file uses a function of its own other than by calling it (``target=watch``)."""
        if self._used is None:
            called = {id(node.func) for node in self.nodes() if isinstance(node, ast.Call)}
            self._used = frozenset(
                node.id
                for node in self.nodes()
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in called
            )
        return name in self._used

    def _named(self, node: ast.AST) -> str:
        """The name a lambda is bound to (``alive = lambda: ...``), or "" (a lambda called where it is)."""
        parent = self.parents.get(node)
        if isinstance(node, ast.Lambda) and isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            return getattr(parent.targets[0], "id", "")
        return ""

    def _in_main(self, node: ast.AST) -> bool:
        """Under ``if __name__ == "__main__":``, which grading never runs."""
        tests = [block.test for block in self.enclosing(node, ast.If)]  # type: ignore[attr-defined]
        return any(isinstance(inner, ast.Name) and inner.id == "__name__" for test in tests for inner in ast.walk(test))

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


# calls that make a signal end whatever the process is doing, a polling loop included
INTERRUPTS = ("signal.alarm", "alarm", "signal.setitimer", "setitimer", "signal.raise_signal", "raise_signal",
              "signal.pthread_kill", "pthread_kill")  # fmt: skip


DEEPEST = 50  #: functions between a look and the loop around it that the reader follows; past that it fails closed
LOOK_NAMES = ("is_alive", "exitcode", "active_children", "sentinel")
GUARDS = (ast.Try, ast.With, ast.AsyncWith, *([ast.TryStar] if hasattr(ast, "TryStar") else []))
COMPOUND = (ast.If, ast.While, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Try, ast.Match, ast.FunctionDef,
            ast.AsyncFunctionDef, ast.ClassDef, *([ast.TryStar] if hasattr(ast, "TryStar") else []))  # fmt: skip


def _looks_at_a_process(node: ast.AST) -> bool:
    """``p.is_alive()``, ``p.is_alive`` (a bound method, called later), ``p.exitcode``,
    ``multiprocessing.active_children`` (a look at every process) or ``p.sentinel`` (for a wait),
    also as ``getattr(p, "is_alive")``."""
    attribute = isinstance(node, ast.Attribute) and node.attr in LOOK_NAMES
    by_name = (
        isinstance(node, ast.Call)
        and called_name(node) == "getattr"
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
        and node.args[1].value in LOOK_NAMES
    )
    return attribute or by_name or isinstance(node, ast.Name) and node.id == "active_children"


def _spans(node: ast.AST, line: int) -> bool:
    first = getattr(node, "lineno", None)
    return first is not None and first <= line <= (getattr(node, "end_lineno", None) or first)


def _a_generator(function: ast.FunctionDef) -> bool:
    """Whether it yields (itself, not a function defined in it)."""
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(ast.iter_child_nodes(node))
    return False


def _is_a_look(node: ast.AST, looking: Collection[str] = ()) -> bool:
    """A look at a process, or a call of a name that stands for one (``alive()``, ``self.alive()``)."""
    return _looks_at_a_process(node) or isinstance(node, ast.Call) and called_name(node).rpartition(".")[2] in looking


def _looks(node: ast.AST, looking: Collection[str] = ()) -> bool:
    return any(_is_a_look(inner, looking) for inner in ast.walk(node))


def _over_the_processes(loop: ast.For, look: ast.AST, looking: frozenset[str]) -> bool:
    """Whether a ``for`` looks at another process each time: the process looked at (or handed to a
    call that looks) is the loop's variable, or a list indexed by it (``ps[i]``, not ``ps[i * 0]``)."""
    if _repeats(loop.iter):  # for w in [p] * 300: one process, 300 times (red team, round 14)
        return False
    names = {inner.id for inner in ast.walk(loop.target) if isinstance(inner, ast.Name)}
    looks = [node for node in ast.walk(look) if _is_a_look(node, looking)]
    looked_at = [node.value for node in looks if isinstance(node, ast.Attribute)]
    looked_at += [arg for node in looks if isinstance(node, ast.Call) for arg in node.args]
    indexes = [value.slice if isinstance(value, ast.Subscript) else value for value in looked_at]
    return any(isinstance(index, ast.Name) and index.id in names for index in indexes)


def _repeats(iterable: ast.AST) -> bool:
    """An iterable that gives the same things again: ``[p] * 300``, ``itertools.repeat(p, 300)``."""
    return any(
        isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Mult)
        or isinstance(inner, ast.Call) and called_name(inner).rpartition(".")[2] in ("repeat", "cycle")
        for inner in ast.walk(iterable)
    )


def _a_way_out(loop: ast.While, looking: frozenset[str]) -> bool:
    """A condition of the loop's, or an ``if`` in its body that leaves it (``break``, ``return``,
    ``raise``), that can end it while every process still runs: one that looks at none (a clock, a
    count), ``and``ed into the loop's condition or ``or``ed into the ``if``'s, or mixed with a look in
    one expression (``[p.is_alive(), time.monotonic() < deadline] == [True, True]``)."""
    looked = _set_from_looks(loop, looking) | looking
    if not (isinstance(loop.test, ast.Constant) and loop.test.value) and _can_be(False, loop.test, looked):
        return True
    return _exits(loop.body, looked, inner=False)


def _exits(statements: list[ast.stmt], looked: frozenset[str], inner: bool) -> bool:
    """Whether these statements of a loop's body (``inner``: in a loop inside it) hold a way out that
    can be taken while every process still runs: an ``if`` that leaves the loop, an ``assert`` that
    can fail; in ``try``, ``except``, ``finally`` and inner loops too."""
    for statement in statements:
        if isinstance(statement, ast.Assert) and _can_be(False, statement.test, looked):
            return True
        if isinstance(statement, ast.If) and (
            _leaves(statement.body, inner)
            and _can_be(True, statement.test, looked)
            or _leaves(statement.orelse, inner)
            and _can_be(False, statement.test, looked)
        ):
            return True
        if isinstance(statement, ast.Match) and any(
            _leaves(case.body, inner)
            and (case.guard is not None or not _looks(statement.subject, looked)
                 or _mixes_in_a_free_part(statement.subject, looked))
            for case in statement.cases
        ):  # fmt: skip
            return True  # a match that can leave on something other than a look (red team, round 14)
        if any(_leaves(handler.body, inner) for handler in getattr(statement, "handlers", [])):
            return True  # any statement in the try can raise: a deadline that raises leaves through here
        if any(_exits(block, looked, inner or isinstance(statement, LOOPS)) for block in _blocks(statement)):
            return True
    return False


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


def _can_be(value: bool, test: ast.AST, looked: frozenset[str]) -> bool:
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
    if not _looks(test, looked):
        return _free(test, looked)
    return _mixes_in_a_free_part(test, looked)


def _mixes_in_a_free_part(node: ast.AST, looked: frozenset[str]) -> bool:
    """A part of ``node`` that looks at no process and can change (a name, a call), beside its looks;
    not the function applied to the looks (``any``) nor the processes a comprehension looks at."""
    if _is_a_look(node, looked):
        return False
    if isinstance(node, ast.comprehension):  # its variable is the process looked at
        bound = {inner.id for inner in ast.walk(node.target) if isinstance(inner, ast.Name)}
        return any(_mixes_in_a_free_part(condition, looked | bound) for condition in node.ifs)
    if not _looks(node, looked):
        return any(isinstance(inner, (ast.Name, ast.Call)) for inner in ast.walk(node)) and _free(node, looked)
    if isinstance(node, ast.Call):
        children: list[ast.AST] = [*node.args, *(keyword.value for keyword in node.keywords)]
    else:
        children = list(ast.iter_child_nodes(node))
    return any(_mixes_in_a_free_part(child, looked) for child in children)


def _free(test: ast.AST, looked: frozenset[str]) -> bool:
    """Whether ``test`` reads nothing from a look at a process."""
    names = {node.id for node in ast.walk(test) if isinstance(node, ast.Name)}
    return not _looks(test, looked) and names.isdisjoint(looked)


LOOPS = (ast.For, ast.AsyncFor, ast.While)
CLOCKS = {"monotonic", "monotonic_ns", "time", "time_ns", "perf_counter", "perf_counter_ns", "process_time", "now"}
COUNTS = {"range", "repeat", "count", "islice"}  # a for over one of these makes a number of tries


def _a_look_at_a_queue(node: ast.Call) -> bool:
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
        and any(isinstance(inner, ast.Call) and _a_look_at_a_queue(inner) for inner in ast.walk(node.test))
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


def _set_from_looks(within: ast.AST, looking: frozenset[str]) -> frozenset[str]:
    """Names set only from looks at processes, in a loop or a file (``alive = [p for p in ps if
    p.is_alive()]``, ``alive = p.is_alive``)."""
    values: dict[str, list[ast.AST]] = {}
    for node in ast.walk(within):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        value = getattr(node, "value", None)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and value is not None:
            for target in targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(value)
    return frozenset(name for name, assigned in values.items() if all(_looks(value, looking) for value in assigned))


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
