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

from grader.judge.polls import INTERRUPTS, raises_again
from grader.judge.static import Facts, a_look_at_a_queue, called_name, calls_only

QUEUE = {"get", "get_nowait", "empty", "qsize", "put", "put_nowait", "task_done"}  #: a queue's methods
HARMLESS = {"sleep", "print", "append"}  #: other calls the loop may make: they cannot end it
STOPS = {"KeyboardInterrupt", "SystemExit"}  #: what a handler may leave on: no look at a queue raises them


@functools.lru_cache(maxsize=64)
def waits_for_good(facts: Facts, within: str) -> bool:
    """Whether every look at a queue in ``within`` is in a loop that only the SENTINEL ends."""
    root = facts.function(within)
    if root is None or facts.calls_named(*INTERRUPTS):
        return False
    looks = [node for node in ast.walk(root) if isinstance(node, ast.Call) and a_look_at_a_queue(node)]
    return bool(looks) and _fixed_sentinel(facts) and all(_in_a_patient_loop(facts, look, root) for look in looks)


def _fixed_sentinel(facts: Facts) -> bool:
    """The file's SENTINEL is set once, to a constant or ``object()``, and nothing rebinds it: an item
    is compared with a fixed thing (not an object whose ``__eq__`` reads a clock)."""
    if any(isinstance(node, ast.Global) and "SENTINEL" in node.names for node in facts.nodes()):
        return False
    values = [
        node.value
        for node in (facts.tree.body if facts.tree is not None else [])
        if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "SENTINEL" for target in node.targets)
    ]  # fmt: skip
    return all(isinstance(value, ast.Constant) or isinstance(value, ast.Call) and called_name(value) == "object"
               for value in values)  # fmt: skip


def _in_a_patient_loop(facts: Facts, look: ast.AST, root: ast.FunctionDef) -> bool:
    loop = facts.parents.get(look)
    while not isinstance(loop, ast.While):
        if loop is None or isinstance(loop, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return False
        loop = facts.parents.get(loop)
    if not (isinstance(loop.test, ast.Constant) and loop.test.value is True) or loop.orelse:
        return False
    around = facts.parents.get(loop)
    while around is not root:  # nothing around the loop that could catch its way out
        if around is None or not (isinstance(around, ast.If) or raises_again(around)):
            return False
        around = facts.parents.get(around)
    items = _items(loop)
    rebound = {node.id for node in ast.walk(root) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    return items is not None and not rebound & {"SENTINEL", *_queues(loop)} and _harmless(loop.body, items, False)


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


def _harmless(statements: list[ast.stmt], items: set[str], leaving: bool) -> bool:
    """Statements of the loop that cannot end it but at the SENTINEL (``leaving``: under an ``if``
    that compares an item with it). An exception may leave it: nothing around the loop catches it."""
    for statement in statements:
        if isinstance(statement, (ast.Pass, ast.Continue, ast.Raise)):
            continue
        if isinstance(statement, (ast.Break, ast.Return)) and leaving:
            continue
        if isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign)) and _calls_only(statement):
            continue
        if isinstance(statement, ast.If) and _calls_only(statement.test):
            at_the_sentinel = _the_sentinel(statement.test, items)
            if _harmless(statement.body, items, at_the_sentinel) and _harmless(statement.orelse, items, False):
                continue
        if isinstance(statement, ast.Try):
            handlers_stay = all(
                _harmless(handler.body, items, _only(handler.type, STOPS)) for handler in statement.handlers
            )
            blocks = (statement.body, statement.orelse)
            stays = all(_harmless(block, items, leaving) for block in blocks) and _harmless(
                statement.finalbody, items, False
            )
            if handlers_stay and stays:
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


def _calls_only(node: ast.AST) -> bool:
    """Whether every call in ``node`` asks or feeds a queue, or is one of the few that cannot end the loop."""
    return calls_only(
        node,
        lambda call: (
            isinstance(call.func, ast.Attribute)
            and call.func.attr in QUEUE | HARMLESS
            or called_name(call).rpartition(".")[2] in HARMLESS
        ),
    )


def _queues(loop: ast.While) -> set[str]:
    """The names of the queues the loop asks (``q`` in ``q.get(timeout=0.1)``)."""
    return {
        node.func.value.id
        for node in ast.walk(loop)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
        and node.func.attr in QUEUE
    }  # fmt: skip
