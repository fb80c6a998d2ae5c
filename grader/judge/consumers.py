"""Which consumers the judge vouches for: one that asks the queue with a timeout, ``empty()`` or
``get_nowait()`` waits for good only if the file shows that nothing but the SENTINEL ends it.

At run time the slow producer keeps quiet for a while before its first item, so a consumer that
gives up after longer than that passes there. As for polls (``grader.judge.polls``), every red-team
round found a new shape of such a limit (a clock in a property, a count kept in a list, a generator,
``functools.partial``...), so this reader fails closed: a consumer that looked without waiting is
vouched for only when those looks sit in a ``while True`` loop of the consumer itself whose only
ways out are ``if item is SENTINEL`` tests on what the queue gave.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable

from grader.judge.polls import raises_again
from grader.judge.quiet import (
    CLOCKS,
    Quiet,
    bindings,
    clocks,
    constants,
    from_outside,
    given,
    imported,
    numbers,
    owned,
    rebinds,
    redirected,
    settled,
    system,
)
from grader.judge.static import Facts, a_look_at_a_queue, called_name

QUEUE = {"get", "get_nowait", "empty", "qsize", "put", "put_nowait", "task_done"}  #: a queue's methods
HARMLESS = {"sleep", "print", "getpid"}  #: other calls the loop may make: they cannot end it
STOPS = {"KeyboardInterrupt", "SystemExit"}  #: what a handler may leave on: nothing in a vouched loop raises them
QUEUES = {"Queue", "SimpleQueue", "JoinableQueue"}  #: what run_pipeline's results may come from


@functools.lru_cache(maxsize=64)
def waits_for_good(facts: Facts, within: str, blocking: bool = False) -> bool:
    """Whether every look at a queue in ``within`` (and every ``get()``, with ``blocking``) is in a loop
    that only the SENTINEL ends."""
    root = facts.function(within)
    if root is None or root.decorator_list or _interrupted(facts):
        return False
    loops = {_loop_around(facts, look, root) for look in _looks(root, blocking)}
    return bool(loops) and unfixed_sentinel(facts) is None and all(_patient_loop(facts, loop, root) for loop in loops)


@functools.lru_cache(maxsize=64)
def reads_every_result(facts: Facts, within: str) -> bool:
    """Whether every look at a queue in ``within`` (``run_pipeline``) without waiting is in a loop that
    ends only once it holds one result per item: ``while len(results) < len(items):`` (or ``!=``), or
    ``while True:`` left only under ``if len(results) == len(items):``, where ``results`` is a fresh
    list that the loop only adds to what a real queue gave. A reader that stops once nothing came for
    a while guesses, as a consumer that does."""
    root = facts.function(within)
    looks = _looks(root) if root is not None else []
    if root is None or not looks:
        return True
    loops = {_loop_around(facts, look, root) for look in looks}
    return not root.decorator_list and not _interrupted(facts) and all(_reads_until_full(facts, loop, root)
                                                                       for loop in loops)  # fmt: skip


def _looks(root: ast.FunctionDef, blocking: bool = False) -> list[ast.Call]:
    """The looks at a queue in ``root`` that come back without an item; with ``blocking``, its ``get()``s too."""
    return [
        node
        for node in ast.walk(root)
        if isinstance(node, ast.Call) and (a_look_at_a_queue(node) or blocking and _a_get(node))
    ]


def _a_get(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr == "get"


@functools.lru_cache(maxsize=64)
def stops_on_a_clock(facts: Facts) -> ast.Call | None:
    """The file's first read of a clock, if its consumer waits with ``get()`` in a loop the judge cannot
    vouch for: a consumer that can read a clock may stop once an item comes late (more than 3 s after
    the one before, say), with a blocking ``get()`` as with a timed one, and then a slower machine
    loses items (red team, round 18)."""
    root = facts.function("consumer")
    read = clocks(facts.tree)
    first = min((node for node in facts.nodes() if isinstance(node, ast.Call) and called_name(node) in read),
                key=lambda node: node.lineno, default=None)  # fmt: skip
    if first is None or root is None or not any(_a_get(node) for node in ast.walk(root) if isinstance(node, ast.Call)):
        return None
    if unfixed_sentinel(facts) is not None:  # a mistake the checks tell on its own
        return None
    return None if waits_for_good(facts, "consumer", blocking=True) else first


@functools.lru_cache(maxsize=8)
def _interrupted(facts: Facts) -> bool:
    """A signal, a kill or a thread anywhere in the file, or a call of the loop's rebound (``def sleep(t): ...``)."""
    tools = HARMLESS | CLOCKS | {"len", "list", *QUEUES}
    return from_outside(facts.tree) is not None or rebinds(facts.tree, tools) or redirected(facts.tree)


def unfixed_sentinel(facts: Facts) -> tuple[str, int] | None:
    """What a file whose SENTINEL is not fixed is told, and where. Fixed: bound once, at the top, by
    ``SENTINEL = ...`` (or ``SENTINEL: T = ...``) to ``None``, ``object()`` or a literal, and bound in no
    other way (for, with, :=, import, def, ``global``, an attribute). Then ``item == SENTINEL`` compares
    with a thing whose ``__eq__`` is not the file's: ``SENTINEL = Stop()``, true for the first item after
    a pause, ends any consumer at a time of its own, a blocking ``q.get()`` one too (red team, round 17)."""
    tree = facts.tree
    if tree is None or not bindings(tree)["SENTINEL"]:
        return None
    settings = [statement for statement in tree.body if _sets_the_sentinel(statement)]
    set_once = bindings(tree)["SENTINEL"] == 1 and len(settings) == 1
    swapped = any(isinstance(n, ast.Attribute) and n.attr == "SENTINEL" and not isinstance(n.ctx, ast.Load)
                  for n in ast.walk(tree))  # fmt: skip
    if set_once and not swapped and _a_fixed_value(settings[0].value, tree):  # type: ignore[attr-defined]
        return None
    named = (node for node in ast.walk(tree) if "SENTINEL" in (getattr(node, "id", None), getattr(node, "name", None)))
    line = settings[0].lineno if settings else getattr(next(named, None), "lineno", 1)
    return (
        "SENTINEL is not set once, at the top, to None, object() or a constant: the consumer compares every item "
        "with it, and an object of the file's own can answer that comparison as it likes (say, once the queue "
        "was quiet for a while), which ends the consumer before the real SENTINEL came.",
        line,
    )


def _sets_the_sentinel(statement: ast.stmt) -> bool:
    """``SENTINEL = ...`` or ``SENTINEL: T = ...``, with one target."""
    if isinstance(statement, ast.Assign):
        targets = statement.targets
        return len(targets) == 1 and isinstance(targets[0], ast.Name) and targets[0].id == "SENTINEL"
    return (
        isinstance(statement, ast.AnnAssign)
        and statement.value is not None
        and isinstance(statement.target, ast.Name)
        and statement.target.id == "SENTINEL"
    )


def _a_fixed_value(value: ast.AST | None, tree: ast.Module) -> bool:
    """``None``, a literal (a str, a number, bytes, a tuple of such), or ``object()`` of the builtin ``object``."""
    if isinstance(value, ast.Constant):
        return value.value is None or type(value.value) in (str, int, float, bool, bytes)
    if isinstance(value, ast.Tuple):
        return all(_a_fixed_value(element, tree) for element in value.elts)
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "object"
        and not value.args
        and not value.keywords
        and not bindings(tree)["object"]
    )


def _loop_around(facts: Facts, look: ast.AST, root: ast.FunctionDef) -> ast.While | None:
    """The ``while`` loop of ``root`` the look is in (not in a function, lambda or class of its own),
    with nothing around it but ``if``s and ``try``s that raise again: nothing that catches a way out."""
    loop = facts.parents.get(look)
    while not isinstance(loop, ast.While):
        if loop is None or isinstance(loop, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
        loop = facts.parents.get(loop)
    around = facts.parents.get(loop)
    while around is not root:
        if around is None or not (isinstance(around, ast.If) or raises_again(around)):
            return None
        around = facts.parents.get(around)
    return None if loop.orelse else loop


def _patient_loop(facts: Facts, loop: ast.While | None, root: ast.FunctionDef) -> bool:
    """A ``while True`` loop (read once, however many looks it makes) that only the SENTINEL ends."""
    if loop is None or not (isinstance(loop.test, ast.Constant) and loop.test.value is True):
        return False
    items = _items(loop)
    rebound = {node.id for node in ast.walk(root) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    queues = _queues(loop)
    # the queues the grader gave it (not an object of its own whose get() reads a clock), never rebound
    passed = queues <= given(root)
    if items is None or rebound & {"SENTINEL", *queues} or not passed or not _passes_on_items(loop, items):
        return False
    grammar = _grammar(facts, root, loop, items, _allowed(set()))
    if not grammar.knows(loop):
        return False
    return _harmless(loop.body, lambda test: _the_sentinel(test, items), grammar, items, False)


def _reads_until_full(facts: Facts, loop: ast.While | None, root: ast.FunctionDef) -> bool:
    items = _items(loop) if loop is not None else None
    if loop is None or items is None:
        return False
    forever = isinstance(loop.test, ast.Constant) and loop.test.value is True
    tests = [loop.test, *(node.test for node in ast.walk(loop) if isinstance(node, ast.If))]
    results = {name for test in tests for name in _counts(test, (ast.Lt, ast.NotEq, ast.Eq, ast.GtE))}
    if not results or not forever and not _counts(loop.test, (ast.Lt, ast.NotEq)):
        return False
    queues = _queues(loop)
    if not all(_fresh_list(facts, root, loop, name, items, queues) for name in results):
        return False
    # what the count is compared with stays as it was (not ``n = 0`` once 3,000 looks found nothing)
    compared = {node.id for test in tests if _counts(test, (ast.Lt, ast.NotEq, ast.Eq, ast.GtE))
                for node in ast.walk(test) if isinstance(node, ast.Name)} - results  # fmt: skip
    stored = {node.id for node in ast.walk(loop) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    if compared & stored:
        return False
    if not all(_a_real_queue(root, name) and _fed_by_consumers(facts, root, loop, name) for name in queues):
        return False
    grammar = _grammar(facts, root, loop, items | results | queues, _allowed(results))
    if not grammar.knows(loop):
        return False
    return _harmless(loop.body, lambda test: bool(_counts(test, (ast.Eq, ast.GtE))), grammar, items, False)


def _counts(test: ast.AST, ops: tuple[type[ast.cmpop], ...]) -> set[str]:
    """``len(results) < len(items)`` (or ``< n``) with one of ``ops``: {"results"}; anything else: none."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ops):
        return set()
    left, right = test.left, test.comparators[0]
    if not (_len_of(left) and (_len_of(right) or isinstance(right, ast.Name))):
        return set()
    return {left.args[0].id}  # type: ignore[attr-defined]


def _len_of(node: ast.AST | None) -> bool:
    """``len(name)``."""
    return (
        isinstance(node, ast.Call)
        and called_name(node) == "len"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    )


def _fresh_list(
    facts: Facts, root: ast.FunctionDef, loop: ast.While, name: str, items: set[str], queues: set[str]
) -> bool:
    """``results = []`` once, before the loop, and read up to the loop's end only by it, as
    ``len(results)`` or ``results.append(x)`` of what a queue gave: no other code can reach it, nothing
    but a result makes it longer."""
    stores = [node for node in ast.walk(root) if isinstance(node, ast.Name) and node.id == name
              and not isinstance(node.ctx, ast.Load)]  # fmt: skip
    if len(stores) != 1 or any(isinstance(node, (ast.Global, ast.Nonlocal)) for node in ast.walk(root)):
        return False
    binding = next(
        (node for node in ast.walk(root) if isinstance(node, ast.Assign) and stores[0] in node.targets), None
    )
    empty = binding is not None and (
        isinstance(binding.value, ast.List)
        and not binding.value.elts
        or isinstance(binding.value, ast.Call)
        and called_name(binding.value) == "list"
        and not binding.value.args
    )
    if not empty or binding.lineno >= loop.lineno:  # type: ignore[union-attr]
        return False
    inside = set(map(id, ast.walk(loop)))
    for node in ast.walk(root):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        if node.lineno > (loop.end_lineno or loop.lineno):
            continue  # after the loop: the results are read
        parent = facts.parents.get(node)
        appends = isinstance(parent, ast.Attribute) and _appends_a_result(facts.parents.get(parent), items, queues)
        if id(node) not in inside or not (_len_of(parent) or appends):
            return False
    return True


def _appends_a_result(call: ast.AST | None, items: set[str], queues: set[str]) -> bool:
    """``results.append(item)`` or ``results.append(out.get(timeout=1))``."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "append"):
        return False
    if len(call.args) != 1 or call.keywords:
        return False
    value = call.args[0]
    from_a_queue = (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in QUEUE
        and isinstance(value.func.value, ast.Name)
        and value.func.value.id in queues
    )
    return from_a_queue or isinstance(value, ast.Name) and value.id in items


def _passes_on_items(loop: ast.While, items: set[str]) -> bool:
    """The loop puts only what a queue gave it, and not back on a queue it reads from (``q.put(SENTINEL)``
    would end it at a time of its own choosing: red team, round 16)."""
    calls = [node for node in ast.walk(loop) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]
    read = {ast.unparse(call.func.value) for call in calls if call.func.attr not in ("put", "put_nowait")}  # type: ignore[attr-defined]
    puts = [call for call in calls if call.func.attr in ("put", "put_nowait")]  # type: ignore[attr-defined]
    return all(
        ast.unparse(put.func.value) not in read  # type: ignore[attr-defined]
        and len(put.args) == 1
        and isinstance(put.args[0], ast.Name)
        and put.args[0].id in items
        for put in puts
    )


def _fed_by_consumers(facts: Facts, root: ast.FunctionDef, loop: ast.While, name: str) -> bool:
    """The results' queue is handed to nothing but the consumer processes (``Process(target=consumer,
    args=(q, out))``): no other process of the file's puts made-up results on it once some time has passed."""
    inside = set(map(id, ast.walk(loop)))
    for node in ast.walk(root):
        if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
            continue
        if id(node) in inside or isinstance(facts.parents.get(node), ast.Attribute):
            continue  # read by the loop, or a method of its own: out.get(), out.close()
        around = facts.parents.get(node)
        while isinstance(around, (ast.Tuple, ast.List, ast.keyword)):
            around = facts.parents.get(around)
        if not (isinstance(around, ast.Call) and called_name(around).rpartition(".")[2] == "Process"):
            return False
        target = next((keyword.value for keyword in around.keywords if keyword.arg == "target"), None)
        if not (isinstance(target, ast.Name) and target.id == "consumer"):
            return False
    return True


def _a_real_queue(root: ast.FunctionDef, name: str) -> bool:
    """A name bound in ``root`` only to ``multiprocessing.Queue()`` (or a SimpleQueue, a JoinableQueue):
    its ``get`` cannot do anything but give what was put."""
    bindings = [
        node
        for node in ast.walk(root)
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
    ]
    values = [node.value for node in ast.walk(root) if isinstance(node, ast.Assign)
              and any(target in bindings for target in node.targets)]  # fmt: skip
    return len(values) == len(bindings) == 1 and all(
        isinstance(value, ast.Call) and called_name(value).rpartition(".")[2] in QUEUES for value in values
    )


def _items(loop: ast.While) -> set[str] | None:
    """The names the loop sets from what the queue gave (``item = q.get(...)``), if it sets them from
    nothing else (``item = SENTINEL if late else q.get()`` would end it on a clock)."""
    items: set[str] = set()
    gets: set[int] = set()  # the targets of ``item = q.get(...)``
    for node in ast.walk(loop):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in QUEUE:
                items.add(node.targets[0].id)
                gets.add(id(node.targets[0]))
    others = {
        node.id
        for node in ast.walk(loop)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in gets
    }
    return None if items & others else items


def _allowed(lists: set[str]) -> Callable[[ast.Call], bool]:
    """A queue's methods, ``sleep``, ``print``, ``len``, and ``append`` to the results (``_fresh_list``
    says what may be appended to them); not ``append`` of another object, which could be the file's."""

    def allowed(call: ast.Call) -> bool:
        if isinstance(call.func, ast.Attribute):
            base = call.func.value
            if call.func.attr == "append":
                return isinstance(base, ast.Name) and base.id in lists
            return call.func.attr in QUEUE | HARMLESS  # on queues _a_real_queue, or the rebinding check, vouched for
        return called_name(call) in HARMLESS | {"len"}

    return allowed


def _grammar(
    facts: Facts, root: ast.FunctionDef, loop: ast.While, items: set[str], allowed: Callable[[ast.Call], bool]
) -> Quiet:
    """What a consumer's loop may write (``grader.judge.quiet``): a print may show an item, a count,
    a queue the grader passed, none of them an object of the file's."""
    return Quiet(
        allowed,
        numbers(root, clocks(facts.tree)),
        frozenset(items) | given(root),
        constants(facts.tree) | settled(root, loop),
        tools=imported(facts.tree) | HARMLESS | {"len", "SENTINEL"},
        clocks=clocks(facts.tree),
        owned=owned(facts.tree),
        system=system(facts.tree),
    )


def _harmless(statements: list[ast.stmt], ends: Callable[[ast.expr], bool], grammar: Quiet, items: set[str],
              leaving: bool, handling: bool = False) -> bool:  # fmt: skip
    """Statements of the loop that cannot end it but where ``ends`` says (``leaving``: under an ``if``
    whose test it accepts; ``handling``: in an ``except``, where ``raise`` gives back what the queue
    raised). Nothing in it may raise, whatever it counted (``grader.judge.quiet``); nothing around
    the loop catches what leaves it."""
    stored = frozenset(items)  # set by the queue's answers only (``_items``)
    for statement in statements:
        if isinstance(statement, (ast.Pass, ast.Continue)):
            continue
        if isinstance(statement, ast.Raise) and handling and statement.exc is None:
            continue
        if isinstance(statement, (ast.Break, ast.Return)) and leaving:
            continue
        if isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign)) and grammar.statement(statement, stored):
            continue
        if isinstance(statement, ast.If) and grammar.expression(statement.test):
            through = _harmless(statement.body, ends, grammar, items, ends(statement.test), handling)
            if through and _harmless(statement.orelse, ends, grammar, items, False, handling):
                continue
        if isinstance(statement, ast.Try):
            handlers_stay = all(
                _harmless(handler.body, ends, grammar, items, _only(handler.type, STOPS), True)
                for handler in statement.handlers
            )
            blocks = (statement.body, statement.orelse)
            stays = all(_harmless(block, ends, grammar, items, leaving, handling) for block in blocks)
            if handlers_stay and stays and _harmless(statement.finalbody, ends, grammar, items, False, handling):
                continue
        return False  # a with, a match, an inner loop, a call of anything else...: not vouched for
    return True


def _the_sentinel(test: ast.AST, items: set[str]) -> bool:
    """``item is SENTINEL``, ``item is None``, ``item == SENTINEL``: an item the queue gave, compared with it."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], (ast.Is, ast.Eq)):
        return False
    left, right = test.left, test.comparators[0]
    sentinel = isinstance(right, ast.Name) and right.id == "SENTINEL" or isinstance(right, ast.Constant)
    return isinstance(left, ast.Name) and left.id in items and sentinel


def _only(kind: ast.AST | None, names: set[str]) -> bool:
    """Whether a handler catches only these exceptions (a bare ``except`` catches everything)."""
    if isinstance(kind, ast.Tuple):
        return all(_only(each, names) for each in kind.elts)
    return isinstance(kind, (ast.Name, ast.Attribute)) and ast.unparse(kind).rpartition(".")[2] in names


def _queues(loop: ast.While) -> set[str]:
    """The names of the queues the loop asks (``q`` in ``q.get(timeout=0.1)``)."""
    return {
        node.func.value.id
        for node in ast.walk(loop)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
        and node.func.attr in QUEUE
    }  # fmt: skip
