"""Which polls the judge vouches for: a parent that never joins, but looks at its processes again and
again, waits for good only if the file shows it.

At run time a poll counts as a wait once it has gone on for most of a held target's hold, so a
loop with a deadline (or a count) of its own longer than that passes there; a loop this reader
vouches for is told to the run (``patient_lines``), and counts as a wait from its second look.
Every red-team round found a shape of such a limit that a reader looking *for limits* missed (a
``match``, an exception caught around the loop, a generator, a property, a decorator...). So this
reader looks for the opposite, and fails closed: a look vouches for waiting only when it sits in a
``while`` loop of the exercise's own function whose every way out is a look at the processes, in
one of a few plain shapes, with nothing in the loop that could change what the looks are about.
Any other shape is not vouched for, and the waits check asks for ``join()``, which is one line.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import replace
from typing import Any

from grader.judge.quiet import (
    CLOCKS,
    THREADING,
    Quiet,
    bindings,
    clocks,
    constants,
    from_outside,
    given,
    imported,
    largest,
    modules,
    numbers,
    owned,
    rebinds,
    redirected,
    settled,
    system,
)
from grader.judge.static import Facts, called_name

LOOKS = ("is_alive", "exitcode", "active_children", "sentinel")
HARMLESS = {"sleep", "print", "join", "getpid"}  #: calls a polling loop may make: they cannot change what it looks at
OF_LOOKS = {"any", "all", "sum", "len", "list", "tuple", "set"}  #: applied to looks, they stay looks
OVER = {"enumerate", "reversed", "list", "tuple", "sorted"}  #: a for over these of the processes is over the processes
TOOLS = frozenset({*HARMLESS, *OF_LOOKS, *OVER, "range", "getattr"})  #: builtins a polling loop may name


@functools.lru_cache(maxsize=1024)
def waits_for_good(facts: Facts, line: int, within: str) -> bool:
    """Whether the looks at a process on ``line`` (where the run recorded one that found it running)
    are in a polling loop of ``within`` that ends only when the processes have ended."""
    root = facts.function(within)
    # signal.alarm(3): a signal can end any loop; a decorator can run the function in a thread it gives up on
    if root is None or root.decorator_list or _interrupted(facts) or _redefined(facts):
        return False
    looked = _looked(root, _trusted(facts, root))  # copies of lists of processes, not of the file's objects
    # by span: a call written over two lines runs on the line of its attribute (red team, round 14)
    looks = [node for node in _looks(root, looked) if _spans(node, line)]
    return bool(looks) and all(_in_a_patient_loop(facts, look, root, looked) for look in looks)


def patient_lines(facts: Facts, within: str) -> frozenset[int]:
    """The lines of ``within`` whose looks ``waits_for_good``, or whose loop a join that waits for
    good follows (``joined_after_the_loop``): told to the run before it starts, so that a loop seen
    to look again from one of them counts as a wait at once, as a ``join()`` does, instead of after
    most of the hold (``grader.scenarios.waits``)."""
    root = facts.function(within)
    if root is None:
        return frozenset()
    looked = _looked(root, _trusted(facts, root))  # ``alive = p.is_alive``: ``alive()`` looks too
    spanned = {line for node in _looks(root, looked) for line in _lines(node)}
    joins = {node.lineno for node in ast.walk(root) if isinstance(node, ast.Call) and _called_on(node, "join")}
    return frozenset(
        line
        for line in spanned
        if waits_for_good(facts, line, within) or any(joined_after_the_loop(facts, line, j, within) for j in joins)
    )


def _lines(node: ast.AST) -> range:
    first = getattr(node, "lineno", 0)
    return range(first, (getattr(node, "end_lineno", None) or first) + 1)


@functools.lru_cache(maxsize=1024)
def goes_on_while_running(facts: Facts, line: int, within: str) -> bool:
    """Whether the loop of the looks on ``line`` (``waits_for_good``) goes round again when they say
    the processes run: each of its ways out (its condition, an ``if`` over a ``break`` or a
    ``return``) is read with every look saying "running", and none may lead out. The run asks this of
    a loop that slept before its first look, which let its process end (``ENDED_AT_LOOK``): it never
    saw the loop go round on a look that found the process running (``if p.exitcode is not None or
    True: break`` leaves whatever the looks say). A way out it cannot read (a flag, a ``match``) is
    not vouched for."""
    root = facts.function(within)
    if root is None:
        return False
    looked = _looked(root, _trusted(facts, root))
    loops: set[ast.AST | None] = set()
    for look in _looks(root, looked):
        if _spans(look, line):
            loop = facts.parents.get(look)
            while loop is not None and not isinstance(loop, (ast.While, ast.For)):
                loop = facts.parents.get(loop)
            loops.add(loop)
    running = _Running(root, looked)
    return bool(loops) and all(isinstance(loop, (ast.While, ast.For)) and _stays(loop, running) for loop in loops)


def joined_after_the_loop(facts: Facts, look_line: int, join_line: int, within: str) -> bool:
    """Whether the ``join()`` on ``join_line`` runs whatever became of the loop of the looks on
    ``look_line``: ``for _ in range(5): if not p.is_alive(): break``, then ``p.join()``, waits for
    good (it lost the waits check: its loop has a limit of its own, and a join after a look that
    saw the process ended waits for nothing here). The loop is followed, in its own block, by that
    join (``p.join()``, or a ``for`` over the processes that joins each), with only calls between
    (``print``); nothing in the loop returns; nothing in it or between rebinds or changes what the
    join joins; and no ``try`` around could catch what the loop raises and return."""
    root = facts.function(within)
    if root is None:
        return False
    looks = [node for node in ast.walk(root) if getattr(node, "lineno", None) == look_line]
    for loop in {id(loop): loop for look in looks for loop in _loops_around(facts, look)[0]}.values():
        block = _block_of(facts, loop)
        if block is None or _caught(facts, loop, root) or any(isinstance(n, ast.Return) for n in ast.walk(loop)):
            continue
        between: list[ast.stmt] = []
        for statement in block[block.index(loop) + 1 :]:
            joined = _joins(statement, join_line)
            if joined is not None:
                return not _touched(joined, [loop, *between])
            if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
                break
            between.append(statement)
    return False


def _loops_around(facts: Facts, node: ast.AST) -> tuple[list[ast.While | ast.For], ast.AST | None]:
    """The loops around ``node``, innermost first, up to the function (or lambda, or class) it is in;
    and that function."""
    found: list[ast.While | ast.For] = []
    parent = facts.parents.get(node)
    while parent is not None and not isinstance(
        parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    ):
        if isinstance(parent, (ast.While, ast.For)):
            found.append(parent)
        parent = facts.parents.get(parent)
    return found, parent


def _block_of(facts: Facts, statement: ast.stmt) -> list[ast.stmt] | None:
    parent = facts.parents.get(statement)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(each is statement for each in block):
            return block
    return None


def _caught(facts: Facts, statement: ast.AST, root: ast.FunctionDef) -> bool:
    """Whether a ``try`` around ``statement`` (in ``root``) could catch what it raises, and go on."""
    around = facts.parents.get(statement)
    while around is not None and around is not root:
        if isinstance(around, ast.Try) and not raises_again(around):
            return True
        around = facts.parents.get(around)
    return False


def _joins(statement: ast.stmt, line: int) -> str | None:
    """The name of what ``statement`` joins on ``line``: ``p`` of ``p.join()``, ``ps`` of ``for q in
    ps: q.join()``; None if it is no such join."""
    if isinstance(statement, ast.For) and not statement.orelse and len(statement.body) == 1:
        target, iterable = statement.target, statement.iter
        inner = _joins(statement.body[0], line)
        if isinstance(target, ast.Name) and inner == target.id and isinstance(iterable, ast.Name):
            return iterable.id
        return None
    call = statement.value if isinstance(statement, ast.Expr) else None
    if call is not None and _spans(call, line):
        return _called_on(call, "join")
    return None


def _touched(name: str, statements: list[ast.stmt]) -> bool:
    """Whether ``statements`` may rebind or change what ``name`` holds: bind it, or hand it to
    anything but a ``for`` or a comprehension over it (``ps.pop()``, ``shuffle(ps)``, ``others = ps``)."""
    for statement in statements:
        if bindings(statement)[name]:
            return True
        iterated = {id(node.iter) for node in ast.walk(statement) if isinstance(node, (ast.For, ast.comprehension))}
        parents = {child: node for node in ast.walk(statement) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(statement):
            read = parents.get(node)  # p.is_alive(), p.exitcode, p.pid
            read_off = isinstance(read, ast.Attribute) and read.attr in (*LOOKS, "pid", "name")
            if isinstance(node, ast.Name) and node.id == name and id(node) not in iterated and not read_off:
                return True
    return False


def waits_until_ready(facts: Facts, call: ast.AST) -> bool:
    """Whether a ``ready()`` look in a loop leaves it only once the results are ready: the loop (a
    ``while``, or a ``for`` over an endless count) is read with every ``ready()`` saying False
    (``_NotReady``), and none of its ways out may be taken. A limit of its own (a deadline, a count
    of tries) is never reached while the grader holds the tasks only for most of its hold, but is on a
    slower machine. Nothing around the loop may catch what it raises: an exception leaves the
    function, and its check, with nothing."""
    loops, root = _loops_around(facts, call)
    loop = loops[0] if loops else None
    if not isinstance(loop, ast.While) and not (isinstance(loop, ast.For) and _endless(loop.iter)):
        return False
    if not isinstance(root, ast.FunctionDef) or _caught(facts, loop, root):
        return False
    ways_out = (ast.Break, ast.Return, ast.Raise)
    return not any(_always(facts, node, loop) for node in ast.walk(loop) if isinstance(node, ways_out)) and _stays(
        loop, _NotReady(root, frozenset()), ways_out
    )


def _always(facts: Facts, way_out: ast.AST, loop: ast.AST) -> bool:
    """A way out of the loop under no ``if`` of it: taken on the first round."""
    node = facts.parents.get(way_out)
    while node is not loop and node is not None:
        if isinstance(node, ast.If):
            return False
        node = facts.parents.get(node)
    return True


def ready_looks(facts: Facts, within: str) -> list[ast.AST]:
    """The ``ready()`` calls of ``within`` that are in a loop of it."""
    return [node for node in facts.nodes(within) if _a_ready(node) and _loops_around(facts, node)[0]]


def _stays(
    loop: ast.While | ast.For, running: _Running, ways_out: tuple[type[ast.stmt], ...] = (ast.Break, ast.Return)
) -> bool:
    """Whether no way out of ``loop`` is taken while the processes run: its condition holds, and of
    each ``if`` in it, the branch taken has no ``break`` or ``return`` (an inner loop's ``break``
    leaves only that loop, but is not told apart)."""
    if isinstance(loop, ast.While) and not running.holds(loop.test):
        return False
    for node in (node for statement in loop.body for node in ast.walk(statement)):
        if isinstance(node, ast.Match):
            return False
        if isinstance(node, ast.If) and _leaves(node, ways_out):
            test = running.value(node.test)
            taken = ast.If(ast.Constant(True), node.body if test else node.orelse, [])
            if test is _UNKNOWN or _leaves(taken, ways_out):
                return False
    return True


_UNKNOWN = object()
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_GATHERS: dict[str, Callable[[list[Any]], Any]] = {"any": any, "all": all, "sum": sum, "len": len}


class _Running:
    """What a loop's looks (and the names set only to them, ``_looked``) say when every process runs:
    ``is_alive()`` True, ``exitcode`` None, ``active_children()`` a process, a ``wait`` on sentinels
    none; the rest is read as Python would, or is ``_UNKNOWN``."""

    def __init__(self, root: ast.FunctionDef, looked: frozenset[str]) -> None:
        self.looked = looked
        self.values: dict[str, list[ast.expr]] = {}
        self.guards: dict[int, list[tuple[ast.If, bool]]] = {}  #: by value: the ifs around, whether in their body
        pending: list[tuple[ast.AST, list[tuple[ast.If, bool]]]] = [(root, [])]
        while pending:
            node, guards = pending.pop()
            if isinstance(node, ast.Assign):
                self.guards[id(node.value)] = guards
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.values.setdefault(target.id, []).append(node.value)
            for child in ast.iter_child_nodes(node):
                if isinstance(node, ast.If) and child is not node.test:
                    pending.append((child, [*guards, (node, child in node.body)]))
                else:
                    pending.append((child, guards))

    def holds(self, node: ast.AST) -> bool:
        value = self.value(node)
        return value is not _UNKNOWN and bool(value)

    def value(self, node: ast.AST, depth: int = 0) -> Any:
        if depth > 20:  # a name set to itself
            return _UNKNOWN
        parts = [self.value(child, depth + 1) for child in _operands(node)]
        if any(part is _UNKNOWN for part in parts):
            return _UNKNOWN
        if isinstance(node, ast.Constant):
            return node.value
        if _a_look(node, self.looked) or isinstance(node, ast.Name) and node.id in self.looked:
            return self._look(node, depth)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not parts[0]
        if isinstance(node, ast.BoolOp):  # and: the first false part, or the last; or: the first true one
            return next((part for part in parts if bool(part) != isinstance(node.op, ast.And)), parts[-1])
        try:  # None < 1, sum([None]): what Python would raise, the loop would leave on
            if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
                return all(_COMPARE[type(op)](a, b) for op, a, b in zip(node.ops, parts, parts[1:], strict=False))
            if isinstance(node, ast.Call) and called_name(node) in OF_LOOKS and isinstance(parts[0], list):
                return _GATHERS.get(called_name(node), list)(parts[0])
        except TypeError:
            return _UNKNOWN
        if isinstance(node, (ast.GeneratorExp, ast.ListComp)) and parts:  # over two processes, both running
            return [parts[-1]] * 2 if all(parts[:-1]) else []
        return _UNKNOWN

    def _look(self, node: ast.AST, depth: int) -> Any:
        if isinstance(node, ast.Name):  # set only to looks: what it was set to, if that is always the same
            # (but where an ``if`` around says it is not set while the processes run: ``done = True``)
            values = [value for value in self.values.get(node.id, []) if not self._skipped(value, depth)]
            found = [self.value(value, depth + 1) for value in values]
            return found[0] if found and all(value is found[0] or value == found[0] for value in found) else _UNKNOWN
        if isinstance(node, ast.Attribute) and node.attr == "exitcode" and _plain(node.value):
            return None
        name = called_name(node).rpartition(".")[2] if isinstance(node, ast.Call) else ""
        if name == "is_alive" and isinstance(node, ast.Call) and _plain_objects(node, set()):
            return True
        if name == "active_children" and isinstance(node, ast.Call) and not node.args:
            return [True]
        if name == "wait" and isinstance(node, ast.Call) and _plain_objects(node, set()):
            return []
        return _UNKNOWN

    def _skipped(self, value: ast.expr, depth: int) -> bool:
        """Whether an ``if`` around the assignment of ``value`` takes the other branch while the processes run."""
        for guard, in_body in self.guards.get(id(value), []):
            test = self.value(guard.test, depth + 1)
            if test is not _UNKNOWN and bool(test) != in_body:
                return True
        return False


class _NotReady(_Running):
    """What a loop's looks say while the results are not ready: ``r.ready()`` is False."""

    def value(self, node: ast.AST, depth: int = 0) -> Any:
        if _a_ready(node):
            return False
        return super().value(node, depth)


def _a_ready(node: ast.AST) -> bool:
    """``r.ready()``, ``r`` a name."""
    return _called_on(node, "ready") is not None


def _called_on(node: ast.AST, method: str) -> str | None:
    """``r`` of ``r.method()`` (a name, no arguments), else None."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, ast.Name)
        and not node.args
        and not node.keywords
    ):
        return node.func.value.id
    return None


def _operands(node: ast.AST) -> list[ast.AST]:
    """The parts of an expression ``_Running`` reads first; a comprehension's conditions, then its
    element, if it runs over the processes."""
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.BoolOp):
        return list(node.values)
    if isinstance(node, ast.Compare):
        return [node.left, *node.comparators]
    if isinstance(node, ast.Call) and called_name(node) in OF_LOOKS:
        return list(node.args) if len(node.args) == 1 and not node.keywords else [ast.Name("?")]
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        generators = node.generators
        if len(generators) != 1 or not _over(generators[0].iter):
            return [ast.Name("?")]
        return [*generators[0].ifs, node.elt]
    return []


@functools.lru_cache(maxsize=64)
def _looks(root: ast.FunctionDef, looked: frozenset[str]) -> list[ast.AST]:
    """The looks in ``root``, found once for all the lines that ask."""
    return [node for node in ast.walk(root) if _a_look(node, looked)]


def repeated(facts: Facts, line: int, within: str) -> bool:
    """Whether the looks on ``line`` are in a loop (a comprehension's too), or in a function of the
    file other than ``within``, rather than straight code of ``within``."""
    root = facts.function(within)
    for node in ast.walk(root) if root is not None else ():
        if _spans(node, line) and _a_look(node, frozenset()):
            around = facts.parents.get(node)
            while around is not root and around is not None:
                if isinstance(around, (ast.While, ast.For, ast.comprehension, ast.GeneratorExp, ast.ListComp)):
                    return True
                around = facts.parents.get(around)
            return False
    return True


@functools.lru_cache(maxsize=8)
def _interrupted(facts: Facts) -> bool:
    """A signal, a kill or a thread anywhere in the file: it could end any loop, or change what it looks at."""
    return from_outside(facts.tree) is not None


def _in_a_patient_loop(facts: Facts, look: ast.AST, root: ast.FunctionDef, looked: frozenset[str]) -> bool:
    """The look is in a patient loop (its condition, or anywhere in its body), not in a function,
    lambda or class of its own, and only ``if``s, a ``for`` over the processes and a ``try`` that
    raises again stand between that loop and the exercise's function (nothing that could catch a
    way out)."""
    loop: ast.AST | None = facts.parents.get(look)
    while not (isinstance(loop, ast.While) or isinstance(loop, ast.For) and not _over(loop.iter)):
        if loop is None or isinstance(loop, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        loop = facts.parents.get(loop)
    return _vouched(facts, loop, root, looked)


@functools.lru_cache(maxsize=1024)
def _vouched(facts: Facts, loop: ast.While | ast.For, root: ast.FunctionDef, looked: frozenset[str]) -> bool:
    """Whether a loop is patient and nothing around it catches a way out: read once per loop, however
    many of its lines looked (red team, round 16: 3,000 look lines in one loop)."""
    if not _patient(loop, looked, _grammar(facts, root, looked, loop)):
        return False
    around = facts.parents.get(loop)
    while around is not root:
        if around is None or not (
            isinstance(around, ast.If) or isinstance(around, ast.For) and _over(around.iter) or raises_again(around)
        ):
            return False
        around = facts.parents.get(around)
    return True


def raises_again(statement: ast.AST) -> bool:
    """A ``try`` whose handlers all end in ``raise`` and that cannot leave otherwise (``except
    KeyboardInterrupt: p.terminate(); raise``): what leaves the loop by an exception still leaves."""
    if not isinstance(statement, ast.Try):
        return False
    blocks = [*(handler.body for handler in statement.handlers), statement.finalbody]
    leaves = any(
        isinstance(node, (ast.Return, ast.Break, ast.Continue)) for b in blocks for n in b for node in ast.walk(n)
    )
    return not leaves and all(
        handler.body and isinstance(handler.body[-1], ast.Raise) for handler in statement.handlers
    )


def _patient(loop: ast.While | ast.For, looked: frozenset[str], grammar: Quiet) -> bool:
    """A loop that can only end on a look: a ``while`` whose condition is one (or ``True``), or a
    ``for`` over an endless count (``itertools.count()``); whose body leaves only under an ``if`` on
    looks, makes no call but ``sleep``/``print``/``join`` and rebinds nothing its condition reads."""
    if isinstance(loop, ast.For):
        test: ast.AST = ast.Constant(True)
        if not _endless(loop.iter):
            return False
    else:
        test = loop.test
    body = [node for statement in (*loop.body, *loop.orelse) for node in ast.walk(statement)]
    # ``ps = [p for p in ps if p.is_alive()]``: a name the loop sets only to looks still says what they said
    set_to_looks = [node for node in body if isinstance(node, ast.Assign) and _pure(node.value, looked, set())]
    targets = {id(target) for node in set_to_looks for target in node.targets}
    over = [n.target for n in body if isinstance(n, ast.comprehension) or isinstance(n, ast.For) and _over(n.iter)]
    processes = {id(node) for target in over for node in ast.walk(target)}  # bound to each process in turn
    stored = [n for n in body if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and id(n) not in processes]
    bound = {node.id for node in stored if id(node) not in targets}
    tracked = {node.id for node in stored if id(node) in targets} - bound
    looked = looked | tracked
    allowed = grammar.allowed
    grammar = replace(
        grammar, shown=grammar.shown | looked, allowed=lambda call: _a_look(call, looked) or allowed(call)
    )
    if not grammar.knows(loop):
        return False
    forever = isinstance(test, ast.Constant) and test.value is True
    if not forever and not _pure(test, looked, set()):
        return False
    # what the ways out read may not be set otherwise in the loop (``if time.monotonic() > d: i = 0``); an
    # ``if`` that cannot lead out (``if ticks % 10 == 0: print(...)``) decides nothing, unless it sets a
    # name that holds a look (``if tries == 30: done = True`` gave up after 3 s)
    sets_a_look = {id(node) for node in set_to_looks}
    leads_out = [
        n for n in body
        if isinstance(n, ast.If) and (_leaves(n) or any(id(inner) in sets_a_look for inner in ast.walk(n)))
    ]  # fmt: skip
    decides = [test, *(node.value for node in set_to_looks), *(n.test for n in leads_out)]
    read = {node.id for part in decides for node in ast.walk(part) if isinstance(node, ast.Name)} - looked
    stays = _harmless(loop.body, looked, grammar, inner=False)
    return not read & bound and stays and _harmless(loop.orelse, looked, grammar, True)


def _leaves(statement: ast.If, ways_out: tuple[type[ast.stmt], ...] = (ast.Break, ast.Return)) -> bool:
    """Whether a ``break`` or a ``return`` (or another of ``ways_out``) is anywhere under the ``if``."""
    return any(isinstance(node, ways_out) for node in ast.walk(statement))


def _endless(iterable: ast.AST) -> bool:
    """``itertools.count()``, ``count(1)``, ``itertools.repeat(None)``: a for over it never ends by itself."""
    if not isinstance(iterable, ast.Call) or iterable.keywords:
        return False
    name = called_name(iterable).rpartition(".")[2]
    return name == "count" and len(iterable.args) <= 2 or name == "repeat" and len(iterable.args) == 1


def _harmless(
    statements: list[ast.stmt],
    looked: frozenset[str],
    grammar: Quiet,
    inner: bool,
    leaving: bool = False,
    ended: frozenset[str] = frozenset(),
) -> bool:
    """Statements of a polling loop that cannot end it before the looks say so (``leaving``: under
    an ``if`` on looks, where a ``break`` or a ``return`` is the loop's way out; ``inner``: in a loop
    inside it, where a ``break`` only leaves that one; ``ended``: processes an ``if`` around looked at,
    which may be taken off a list of those still running). Nothing in it may raise, whatever it
    counted (``grader.judge.quiet``): an exception is a way out too."""
    for statement in statements:
        if isinstance(statement, (ast.Pass, ast.Continue)):
            continue
        if _taken_off(statement, ended):
            continue
        if isinstance(statement, ast.Break) and (inner or leaving) or isinstance(statement, ast.Return) and leaving:
            continue
        if isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign)) and grammar.statement(statement, looked):
            continue
        if isinstance(statement, ast.If) and grammar.expression(statement.test):
            pure = _pure(statement.test, looked, set())
            seen = ended | _looked_at(statement.test) if pure else ended
            blocks = (statement.body, statement.orelse)
            if all(_harmless(block, looked, grammar, inner, pure, seen) for block in blocks):  # only right under it
                continue
        if isinstance(statement, ast.Match) and _pure(statement.subject, looked, set()):
            fixed = all(case.guard is None and _fixed(case.pattern) for case in statement.cases)
            if fixed and all(_harmless(case.body, looked, grammar, inner, True, ended) for case in statement.cases):
                continue
        over = isinstance(statement, ast.For) and _over(statement.iter) and not statement.orelse
        if over and _harmless(statement.body, looked, grammar, True, False, ended):  # type: ignore[attr-defined]
            continue
        return False  # a raise, a try, a with, a nested while, a call of anything else...: not vouched for
    return True


def _fixed(pattern: ast.pattern) -> bool:
    """A pattern that compares with constants only (``case None:``, ``case 0 | 1:``, ``case code:``)."""
    if isinstance(pattern, ast.MatchValue):
        return isinstance(pattern.value, ast.Constant)
    if isinstance(pattern, ast.MatchOr):
        return all(_fixed(option) for option in pattern.patterns)
    return isinstance(pattern, ast.MatchSingleton) or isinstance(pattern, ast.MatchAs) and pattern.pattern is None


def _taken_off(statement: ast.stmt, ended: frozenset[str]) -> bool:
    """``pending.remove(p)`` (or ``discard``), ``p`` a process an ``if`` around it looked at."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("remove", "discard")
        and isinstance(call.func.value, ast.Name)
        and len(call.args) == 1
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id in ended
    )


def _looked_at(test: ast.AST) -> frozenset[str]:
    """The names of the processes a test looks at (``p`` in ``not p.is_alive()``)."""
    return frozenset(
        node.value.id
        for node in ast.walk(test)
        if isinstance(node, ast.Attribute) and node.attr in LOOKS and isinstance(node.value, ast.Name)
    )


def _allowed(looked: frozenset[str], events: frozenset[str] | None) -> Callable[[ast.Call], bool]:
    """The calls a polling loop may make: looks, and a few that cannot change what it looks at.
    ``events``: the names of events no code sets (``_unset_events``); None if no event is threading's."""
    return lambda call: (
        _a_look(call, looked)
        or called_name(call).rpartition(".")[2] in HARMLESS | OF_LOOKS | CLOCKS
        or events is not None
        and (_a_new_event(call) or _an_event_wait(call, events))
    )


def _an_event_wait(call: ast.Call, events: frozenset[str]) -> bool:
    """``threading.Event().wait(0.1)``, or ``pause.wait(0.1)`` of such an event (``_unset_events``): a sleep."""
    func = call.func
    if not (_a_timed_wait(call) and isinstance(func, ast.Attribute)):
        return False
    return _a_new_event(func.value) or isinstance(func.value, ast.Name) and func.value.id in events


def _a_timed_wait(call: ast.Call) -> bool:
    """``.wait(0.1)``: its timeout a number or a name the grammar knows."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "wait"
        and not call.keywords
        and len(call.args) <= 1
        and all(isinstance(argument, (ast.Constant, ast.Name)) for argument in call.args)
    )


def _a_new_event(node: ast.AST) -> bool:
    """``threading.Event()`` or ``Event()`` (the grammar knows the names are the module's): an event no
    code can set, made afresh, whose ``wait(0.1)`` is a sleep."""
    return (
        isinstance(node, ast.Call)
        and not node.args
        and not node.keywords
        and called_name(node) in ("Event", f"{THREADING}.Event")
    )


def _unset_events(facts: Facts, root: ast.FunctionDef) -> frozenset[str]:
    """The names ``root`` binds once, to ``threading.Event()`` (its names the imports'), and reads only
    to ``wait`` on it: events no code sets (``pause = threading.Event()``, then ``pause.wait(0.1)``).
    Passed on, set, rebound, declared global or a parameter too, a name is none of them."""
    nodes = list(ast.walk(root))
    waited = {
        id(node.func.value) for node in nodes
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _a_timed_wait(node)
    }  # fmt: skip
    others = {node.arg for node in nodes if isinstance(node, ast.arg)} | {
        name for node in nodes if isinstance(node, (ast.Global, ast.Nonlocal)) for name in node.names
    }
    made = {
        node.targets[0].id
        for node in nodes
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call) and _a_new_event(node.value)
        and called_name(node.value).partition(".")[0] in imported(facts.tree)
    }  # fmt: skip
    uses = [node for node in nodes if isinstance(node, ast.Name)]
    return frozenset(
        name
        for name in made - others
        if sum(isinstance(use.ctx, ast.Store) for use in uses if use.id == name) == 1
        and all(isinstance(use.ctx, ast.Store) or id(use) in waited for use in uses if use.id == name)
    )


def _grammar(facts: Facts, root: ast.FunctionDef, looked: frozenset[str], loop: ast.AST) -> Quiet:
    """What a polling loop of ``root`` may write (``grader.judge.quiet``); a print may show the
    arguments the grader gave, the function's processes and its looks (``_trusted``), none of them an
    object of the file's."""
    # an event's wait is a sleep only if the file cannot have made ``Event`` or ``wait`` its own
    # (``threading.Event = Watch``, ``threading.Event.wait = mine``)
    events = None if rebinds(facts.tree, {"Event", "wait"}) else _unset_events(facts, root)
    return Quiet(
        allowed=_allowed(looked, events),
        numbers=numbers(root, clocks(facts.tree)),
        shown=_trusted(facts, root) | looked,
        constants=constants(facts.tree) | settled(root, loop) | (events or frozenset()),
        attributes=frozenset({*LOOKS, "pid", "name"}),
        tools=imported(facts.tree) | TOOLS,
        clocks=clocks(facts.tree),
        owned=owned(facts.tree),
        system=system(facts.tree),
        made=lambda call: events is not None and _a_new_event(call),
    )


@functools.lru_cache(maxsize=8)
def _makers(facts: Facts) -> frozenset[str]:
    """The calls that make a process: ``multiprocessing.Process`` (``multiprocessing`` bound by its
    import), ``Process`` imported from multiprocessing, ``context.Process`` of a name set once to
    ``multiprocessing.get_context(...)``; not a ``Process`` of the file's (``Dots.Process = Progress``:
    red team, round 17)."""
    tree = facts.tree
    packages = modules(tree, "multiprocessing")
    imports = (node for node in facts.nodes() if isinstance(node, ast.ImportFrom) and not node.level)
    named = {
        alias.asname or alias.name: alias.name
        for node in imports
        if node.module == "multiprocessing"
        for alias in node.names
        if (alias.asname or alias.name) in imported(tree)
    }

    def made_by(call: ast.AST, what: str) -> bool:
        called = called_name(call) if isinstance(call, ast.Call) else ""
        return called in {f"{package}.{what}" for package in packages} or named.get(called) == what

    once = bindings(tree)
    contexts = {
        node.targets[0].id
        for node in facts.nodes()
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        and made_by(node.value, "get_context") and once[node.targets[0].id] == 1
    }  # fmt: skip
    made = {f"{package}.Process" for package in packages} | {f"{context}.Process" for context in contexts}
    return frozenset(made | {bound for bound, name in named.items() if name == "Process"})


ADDS = {"append", "insert", "extend"}  #: what adds to a list of processes: only processes
# what may read a process, or a list of them, without changing it or handing it on
READERS = (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.If, ast.While, ast.FormattedValue, ast.Return, ast.Expr)


@functools.lru_cache(maxsize=64)
def _trusted(facts: Facts, root: ast.FunctionDef) -> frozenset[str]:
    """The names of ``root`` that hold nothing of the file's: the arguments the grader gave
    (``grader.judge.quiet.given``), and names bound only to processes (``p = multiprocessing.Process(...)``),
    lists of them, or, by a ``for``, to each thing of such a list or argument. Neither may be added
    anything else to, or handed to code that could (``ps.insert(0, Watchdog(ps))``: red team, round 17)."""
    makers = _makers(facts)
    parents = {child: node for node in ast.walk(root) for child in ast.iter_child_nodes(node)}
    outside = {name for name in given(root) if not _handed_on(root, name, parents, makers, set(given(root)))}
    sites: dict[str, list[ast.AST]] = {}
    own: Counter[str] = Counter()  # a comprehension's names are its own: they bind nothing of the function's
    for node in ast.walk(root):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            if isinstance(parents.get(node), ast.comprehension):
                own[node.id] += 1
            else:
                sites.setdefault(node.id, []).append(node)
    once = bindings(root) - own
    found = {name for name, stores in sites.items() if once[name] == len(stores)}  # no def, import, parameter...
    while True:
        kept = {
            name
            for name in found
            if all(_binds_a_process(store, parents.get(store), makers, found | outside) for store in sites[name])
            and not _handed_on(root, name, parents, makers, found)
        }
        if kept == found:
            return frozenset(found | outside)
        found = kept


def _binds_a_process(store: ast.AST, statement: ast.AST | None, makers: frozenset[str], found: set[str]) -> bool:
    """``p = Process(...)``, ``ps = [...]``, ``ps += [...]`` of processes, ``for p in ps`` over them
    (``found``: the names known to hold processes, or what the grader passed)."""
    if isinstance(statement, ast.Assign) and store in statement.targets:
        return _processes(statement.value, makers, found)
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
        return _processes(statement.value, makers, found)
    if isinstance(statement, ast.For) and statement.target is store and _over(statement.iter):
        called = {id(node.func) for node in ast.walk(statement.iter) if isinstance(node, ast.Call)}
        names = [node for node in ast.walk(statement.iter) if isinstance(node, ast.Name) and id(node) not in called]
        return all(node.id in found for node in names)
    return False


def _processes(value: ast.AST, makers: frozenset[str], found: set[str]) -> bool:
    """A call of ``makers``, a name of ``found``, or a list of them."""
    if isinstance(value, ast.Call):
        return called_name(value) in makers
    if isinstance(value, ast.Name):
        return value.id in found
    if isinstance(value, ast.ListComp):
        return _processes(value.elt, makers, found)
    return isinstance(value, ast.List) and all(_processes(element, makers, found) for element in value.elts)


def _handed_on(
    root: ast.FunctionDef, name: str, parents: dict[ast.AST, ast.AST], makers: frozenset[str], found: set[str]
) -> bool:
    """Whether ``root`` may change a process or list of ``name`` otherwise than by adding processes
    (``p.is_alive = ...``, ``ps[0] = watch``, ``ps.insert(0, watch)``), or hands it to code that could
    (``other = ps``, ``fill(ps)``)."""
    for node in ast.walk(root):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and isinstance(parent.ctx, ast.Load):
            call = parents.get(parent)
            added = call.args[-1:] if isinstance(call, ast.Call) and call.func is parent else []
            if parent.attr in ADDS and not all(_processes(each, makers, found) for each in added):
                return True
            continue
        read = isinstance(parent, READERS) or isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load)
        read |= isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node
        read |= isinstance(parent, ast.Call) and called_name(parent) in OF_LOOKS | OVER | {"print"}
        read |= isinstance(parent, ast.Call) and _a_look(parent, frozenset())  # getattr(p, "is_alive")
        read |= isinstance(parent, ast.Call) and _added_to(parent, found)  # ps.append(p): ps is checked too
        if not read:
            return True
    return False


def _added_to(call: ast.Call, found: set[str]) -> bool:
    """``ps.append(...)``, ``ps.insert(...)``, ``ps.extend(...)`` of a list of ``found``."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ADDS
        and isinstance(func.value, ast.Name)
        and (func.value.id in found)
    )


@functools.lru_cache(maxsize=8)
def _redefined(facts: Facts) -> bool:
    """Whether the file binds a name of a call a polling loop may make (``def sleep(x): ps.clear()``)."""
    return rebinds(facts.tree, TOOLS | CLOCKS | {"count", "repeat"}) or redirected(facts.tree) or _looks_replaced(facts)


def _looks_replaced(facts: Facts) -> bool:
    """Whether the file sets a look of its own on an object (``p.is_alive = lambda: False``,
    ``setattr(p, "exitcode", 0)``): a look at it then runs the file's code."""
    return any(
        isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load) and node.attr in LOOKS
        or isinstance(node, ast.Call) and called_name(node) in ("setattr", "delattr") and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant) and node.args[1].value in LOOKS
        for node in facts.nodes()
    )  # fmt: skip


def _pure(node: ast.AST, looked: Container[str], bound: set[str]) -> bool:
    """An expression made only of looks at processes (and of names that hold looks), whatever it
    combines them with: ``not``, ``and``, ``or``, comparisons with constants, ``any``/``all`` over the
    processes. ``bound``: the names of processes a comprehension runs over."""
    if _a_look(node, looked):
        return _plain_objects(node, bound)
    if isinstance(node, ast.Constant) or isinstance(node, ast.Name) and (node.id in looked or node.id in bound):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _pure(node.operand, looked, bound)
    if isinstance(node, ast.BoolOp):
        return all(_pure(value, looked, bound) for value in node.values)
    if isinstance(node, ast.Compare):
        return all(_pure(part, looked, bound) for part in (node.left, *node.comparators))
    if isinstance(node, ast.Call) and called_name(node) in OF_LOOKS and len(node.args) == 1 and not node.keywords:
        return _pure(node.args[0], looked, bound)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        inner = set(bound)
        for generator in node.generators:
            if not _over(generator.iter) or not isinstance(generator.target, ast.Name):
                return False
            inner.add(generator.target.id)
            if not all(_pure(condition, looked, inner) for condition in generator.ifs):
                return False
        return _pure(node.elt, looked, inner)
    return False


def _plain_objects(look: ast.AST, bound: set[str]) -> bool:
    """The process looked at is a name, an attribute or an item of one (``p``, ``self.p``, ``ps[i]``),
    not something a call makes; a look's own call takes no arguments (a wait: only its sentinels)."""
    if isinstance(look, ast.Call) and called_name(look) == "getattr":
        return _plain(look.args[0])
    if isinstance(look, ast.Call) and called_name(look).rpartition(".")[2] == "wait" and look.args:
        sentinels = [
            node for node in ast.walk(look.args[0]) if isinstance(node, ast.Attribute) and node.attr == "sentinel"
        ]
        rest = [*look.args[1:], *(keyword.value for keyword in look.keywords)]
        return all(_plain(node.value) for node in sentinels) and all(
            isinstance(n, (ast.Constant, ast.Name)) for n in rest
        )
    if isinstance(look, ast.Call):
        return not look.args and not look.keywords and _plain_objects(look.func, bound)
    if isinstance(look, ast.Attribute):
        return _plain(look.value)
    return True  # a name that holds a look


def _plain(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _plain(node.value)
    if isinstance(node, ast.Subscript):
        return _plain(node.value) and isinstance(node.slice, (ast.Name, ast.Constant))
    return False


def _over(iterable: ast.AST) -> bool:
    """A ``for`` over the processes themselves: ``ps``, ``self.ps``, ``enumerate(ps)``, ``range(len(ps))``
    (not ``[p] * 300``, ``range(300)`` or anything a call of the file makes)."""
    if isinstance(iterable, (ast.Name, ast.Attribute)):
        return _plain(iterable)
    if isinstance(iterable, ast.Subscript) and isinstance(iterable.slice, ast.Slice):  # ps[:]
        return _plain(iterable.value) and not any(getattr(iterable.slice, part) for part in ("lower", "upper", "step"))
    if isinstance(iterable, ast.Call) and len(iterable.args) == 1 and not iterable.keywords:
        name = called_name(iterable)
        argument = iterable.args[0]
        if name in OVER:
            return _over(argument)
        if name == "range":
            return isinstance(argument, ast.Call) and called_name(argument) == "len" and _over(argument.args[0])
    return False


def _a_look(node: ast.AST, looked: Container[str]) -> bool:
    """``p.is_alive()``, ``p.is_alive`` (bound, called later), ``p.exitcode``, ``active_children()``,
    ``getattr(p, "is_alive")``, a ``wait`` on sentinels, or a call of a name that holds a look."""
    if isinstance(node, ast.Attribute) and node.attr in LOOKS and node.attr != "sentinel":
        return True
    if isinstance(node, ast.Call):
        name = called_name(node)
        if name.rpartition(".")[2] == "active_children" or name in looked:
            return True
        if isinstance(node.func, (ast.Attribute, ast.Call)) and _a_look(node.func, looked):
            return True  # p.is_alive(), getattr(p, "is_alive")()
        if name == "getattr" and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            return node.args[1].value in LOOKS
        if name.rpartition(".")[2] == "wait" and node.args:
            listed = node.args[0]
            return any(isinstance(inner, ast.Attribute) and inner.attr == "sentinel" for inner in ast.walk(listed))
    return False


@functools.lru_cache(maxsize=64)
def _looked(root: ast.FunctionDef, processes: frozenset[str]) -> frozenset[str]:
    """Names of the function only ever set to looks (``alive = p.is_alive``, ``done = p.exitcode is
    not None``, ``done = False``), or to a copy of the processes that nothing else can reach
    (``pending = list(ps)``, emptied as they end)."""
    values: dict[str, list[ast.expr]] = {}
    simple: set[int] = set()  # the names set by ``name = value`` (not in a tuple, a for, ``+=``...)
    loads: dict[str, list[ast.Name]] = {}
    for node in ast.walk(root):
        if isinstance(node, ast.Assign) and all(isinstance(target, ast.Name) for target in node.targets):
            for target in node.targets:
                values.setdefault(target.id, []).append(node.value)  # type: ignore[attr-defined]
                simple.add(id(target))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            loads.setdefault(node.id, []).append(node)
    others = {argument.arg for argument in ast.walk(root.args) if isinstance(argument, ast.arg)}
    others |= {
        node.id
        for node in ast.walk(root)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in simple
    }
    parents = {child: node for node in ast.walk(root) for child in ast.iter_child_nodes(node)}
    candidates = {
        name: found
        for name, found in values.items()
        if name not in others and not _escapes(loads.get(name, []), found, parents)
    }
    return largest(candidates, lambda value, looked: _pure(value, looked, set()) or _a_look(value, looked)
                   or _a_copy(value, processes))  # fmt: skip


def _a_copy(value: ast.AST, processes: frozenset[str]) -> bool:
    """``list(ps)``, ``ps[:]`` of processes, not a list of objects of the file's (red team, round 17)."""
    called = {id(node.func) for node in ast.walk(value) if isinstance(node, ast.Call)}
    names = [node for node in ast.walk(value) if isinstance(node, ast.Name) and id(node) not in called]
    return _over(value) and all(node.id in processes for node in names)


def _escapes(loads: list[ast.Name], values: list[ast.expr], parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a copy of the processes (``pending = list(ps)``) is handed anywhere it could be changed
    from (a thread's arguments, a function's, another name), rather than only read and emptied."""
    if all(not _over(value) or _a_look(value, frozenset()) for value in values):
        return False  # it holds looks: a bool, nothing another thread could change
    for child in loads:
        node = parents.get(child)
        read = isinstance(node, (ast.UnaryOp, ast.BoolOp, ast.Compare, ast.comprehension, ast.For, ast.While,
                                 ast.If, ast.Subscript))  # fmt: skip
        read |= isinstance(node, ast.Attribute) and node.attr in ("remove", "discard")
        read |= isinstance(node, ast.Call) and called_name(node) in OF_LOOKS | OVER and child in node.args
        if not read:
            return True
    return False


def _spans(node: ast.AST, line: int) -> bool:
    first = getattr(node, "lineno", None)
    return first is not None and first <= line <= (getattr(node, "end_lineno", None) or first)
