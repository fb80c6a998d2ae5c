"""Checks of exercise 4: ``pool_map``, ``square`` and ``parallel_squares``, and the mistakes behind their
failures."""

from __future__ import annotations

import ast
import random
from dataclasses import replace

from grader.judge import PASS, Context, Run, Source, Verdict, check, fail, polls
from grader.judge.calls import Calls, detail
from grader.judge.diagnose import Evidence, Finding, diagnosis
from grader.judge.static import called_name, facts, keyword
from grader.scenarios.ex04 import (
    AnyFunction,
    AnyParams,
    Numbers,
    Ordered,
    OrderParams,
    Squared,
    Squares,
    SquaresParams,
    Workers,
    WorkersParams,
)  # fmt: skip

POOL_HINT = (
    "Use `with multiprocessing.Pool(processes) as pool: return pool.map(func, items)`. The "
    "builtin map, Pool(1), or a loop of pool.apply() handle one item at a time."
)
WORKERS = 3  # the pool's size asked for; the machine is made to look one core smaller


def unsorted(rng: random.Random, count: int) -> tuple[int, ...]:
    """``count`` (3 or more) distinct numbers, negatives among them, in an order that sorting cannot
    restore, neither for them nor for their squares."""
    numbers = rng.sample([*range(-30, -1), *range(2, 30)], count)
    while numbers == sorted(numbers) or [n * n for n in numbers] == sorted(n * n for n in numbers):
        rng.shuffle(numbers)
    return tuple(numbers)


def distinct_squares(rng: random.Random, count: int) -> tuple[int, ...]:
    """Like ``unsorted``, but no two numbers of the same size (never n and -n), each of size 3 or more: every
    square is another, and none is a small count, so each result tells which item it is of."""
    numbers = [size * rng.choice((-1, 1)) for size in rng.sample(range(3, 30), count)]
    numbers[0] = -abs(numbers[0])
    while numbers == sorted(numbers) or [n * n for n in numbers] == sorted(n * n for n in numbers):
        rng.shuffle(numbers)
    return tuple(numbers)


def counted(got: list[object], items: list[int]) -> str:
    """``: 6 results for 7 items`` when pool_map lost or added some, else nothing."""
    return f": {len(got)} results for {len(items)} items" if len(got) != len(items) else ""


SQUARE = Run("square", "ex04.square", "square", lambda rng: Numbers((0, rng.randint(2, 30), -rng.randint(2, 30))))
SQUARES = Run("squares", "ex04.squares", "parallel_squares", lambda rng: SquaresParams(unsorted(rng, 4), 2))
MEET = Run("workers", "ex04.workers", "pool_map", lambda rng: WorkersParams(WORKERS, WORKERS * 8))
# Item counts that are not a multiple of the pool's size (7 for 3 workers, 5 for 2): splitting the items into
# one chunk per worker of len(items) // processes loses the last ones, and a rounded-up chunk size repeats some.
ORDER = Run("order", "ex04.order", "pool_map", lambda rng: OrderParams(distinct_squares(rng, 7), 3))
ANY = Run("any", "ex04.any_function", "pool_map", lambda rng: AnyParams(unsorted(rng, 5)))


READY_HINT = (
    "Wait for the results with result.get(), or poll with no limit of your own: "
    "`while not result.ready(): time.sleep(0.1)`."
)


def unvouched_ready_poll(source: Source) -> Verdict | None:
    """A poll of ``ready()`` that can leave before the results are ready (at a deadline of its own, after
    so many tries): here the grader lets the tasks end once the poll went on for most of its hold, so
    the limit is never reached, but a slower machine reaches it and the results are lost."""
    found = facts(source.text)
    for look in polls.ready_looks(found, "pool_map"):
        if not polls.waits_until_ready(found, look):
            return fail(
                "pool_map polls result.ready() in a loop that can end before the results are ready (a limit of its "
                "own, or a way out the grader cannot read): on a slower machine, or with longer tasks, it gives up "
                "and the results are lost.",
                READY_HINT,
                getattr(look, "lineno", None),
            )
    return None


@check("square(n) returns n * n", points=1, hint="Return n * n.", run=SQUARE)
def square(seen: Squared, context: Context) -> Verdict:
    for n, got in zip(context.params.numbers, seen.results, strict=True):
        if not (got.kind == "int" and got.data == n * n):
            return fail(f"square({n}) returned {got.text} instead of {n * n}.")
    return PASS


@check("parallel_squares computes the squares with pool_map", points=1,
       hint="Return pool_map(square, numbers, processes).", run=SQUARES, unvouched=unvouched_ready_poll)  # fmt: skip
def parallel_squares_uses_pool_map(seen: Squares, context: Context) -> Verdict:
    params: SquaresParams = context.params
    numbers, wanted = list(params.numbers), [n * n for n in params.numbers]
    call = f"parallel_squares({numbers}, {params.processes})"
    if not seen.pool_map_calls:
        return fail(f"{call} did not call pool_map.")
    first = seen.pool_map_calls[0]
    if first.items.data != numbers or first.processes.data != params.processes:
        return fail(f"{call} called pool_map with items {first.items.text} and processes={first.processes.text}.")
    got = seen.returned.data if seen.returned.kind == "list" else None
    # in any order: whether pool_map keeps the order is the business of another check
    if got is None or sorted(got, key=repr) != sorted(wanted, key=repr):
        return fail(f"{call} returned {seen.returned.text} instead of {wanted}.")
    return PASS


def vouched(seen: Workers) -> Workers:
    """Only arrivals the calls vouch for: in processes the student's code started, or the grader's own."""
    ours = {*seen.started, seen.caller}
    return replace(seen, arrivals=tuple(arrival for arrival in seen.arrivals if arrival[0] in ours))


@check(f"pool_map(func, items, processes={WORKERS}) uses {WORKERS} worker processes at once", points=3,
       hint=POOL_HINT, run=MEET)  # fmt: skip
def pool_runs_workers_at_once(seen: Workers, context: Context) -> Verdict:
    seen = vouched(seen)
    pids = {pid for pid, _ in seen.arrivals}
    if not seen.arrivals:
        return fail("The function was never called.")
    if pids == {seen.caller}:
        return fail("The function ran in the grader's own process, not in worker processes.")
    if seen.broken:
        return fail(
            f"Only {len(pids)} of {WORKERS} worker processes were busy at the same time: the pool did not have "
            f"{WORKERS} workers, or the items were handed out one at a time."
        )
    own = pids & set(seen.by_hand)  # red team, rounds 13 and 14: an idle pool, or pool.map(abs, []), beside them
    if own:
        return fail(
            f"pool_map ran the items in {len(own)} processes of its own, not in a Pool's workers: the exercise is "
            "the pool's, which starts, feeds and ends its workers for you.",
        )
    sizes = [detail(call, "processes") for call in Calls(seen.calls).any("Pool.__init__")]
    if any(size.isascii() and size.isdigit() and int(size) != WORKERS for size in sizes):
        return fail(f"The pool had {', '.join(sizes)} workers, not the {WORKERS} asked for.")
    return PASS


@check("pool_map closes its pool before it returns", points=1,
       hint="Use the pool in a `with` block, or call pool.close() and pool.join() before returning.",
       run=MEET)  # fmt: skip
def closes_pool(seen: Workers, context: Context) -> Verdict:
    calls = Calls(seen.calls)
    if not calls.any("Pool.__init__"):  # nothing to close is not a closed pool: no point without one
        return fail("pool_map made no pool, so there was no pool to close.")
    for pool in calls.any("Pool.__init__"):
        ended = calls.on(pool.obj, "Pool.__exit__") or calls.on(pool.obj, "Pool.terminate")
        if not ended and not (calls.on(pool.obj, "Pool.close") and calls.on(pool.obj, "Pool.join")):
            return fail("pool_map returned with its pool still open: its worker processes were left running.")
    return PASS


@check(
    "pool_map returns the results in the order of items",
    points=3,
    hint="pool.map keeps the order of the items; imap_unordered and apply_async callbacks give results in the "
    "order they finish.",
    run=ORDER,
    unvouched=unvouched_ready_poll,
)
def results_in_order(seen: Ordered, context: Context) -> Verdict:
    params: OrderParams = context.params
    wanted = [n * n for n in params.items]
    got = seen.returned
    if got.kind == "list" and got.data == wanted:
        return PASS
    if got.kind != "list":
        return fail(f"pool_map returned {got.text}, not a list.")
    if sorted(got.data or [], key=repr) != sorted(wanted, key=repr):
        items = list(params.items)
        return fail(f"pool_map returned {got.text} for the squares of {items}{counted(got.data or [], items)}.")
    return fail(
        f"pool_map returned {got.text}: the results are in the order the tasks finished (some items' tasks were "
        f"made to finish after a later item's), not in the order of the items: {wanted}."
    )


@check("pool_map works for any picklable function and for no items", points=1,
       hint="Use the func and items you are given; pool.map of no items is [].", run=ANY,
       unvouched=unvouched_ready_poll)  # fmt: skip
def any_function(seen: AnyFunction, context: Context) -> Verdict:
    items = list(context.params.items)
    wanted = [abs(n) for n in items]
    # in any order: whether pool_map keeps the order is the business of results_in_order
    if not (seen.some.kind == "list" and sorted(seen.some.data or [], key=repr) == sorted(wanted, key=repr)):
        told = counted(seen.some.data or [], items) if seen.some.kind == "list" else ""
        return fail(f"pool_map(abs, {items}, 2) returned {seen.some.text}{told}.")
    if not (seen.none.kind == "list" and seen.none.data == []):
        return fail(f"pool_map(abs, [], 2) returned {seen.none.text} instead of [].")
    return PASS


# --- the mistakes behind them ------------------------------------------------------------------

POOL_CHECKS = ("pool_runs_workers_at_once", "results_in_order", "any_function", "parallel_squares_uses_pool_map")
SQUARING = ("square", "parallel_squares_uses_pool_map")


def _pool_calls(evidence: Evidence) -> Calls:
    """pool_map's calls: from the workers run, else from any run that called it."""
    for run in ("workers", "order", "any", "squares"):
        calls = evidence.calls(run)
        if calls.calls:
            return calls
    return Calls(())


@diagnosis("square-xor", explains=SQUARING, docs="map")
def square_xor(evidence: Evidence) -> Finding | None:
    nodes = evidence.facts.nodes("square")
    found = [node for node in nodes if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor)]
    if not found:
        return None
    return Finding(
        f"`{evidence.facts.found(found[0]).code}`: in Python `^` is the bitwise exclusive or, not a power.",
        "Square with n * n (or n ** 2).",
        found[0].lineno,
    )


@diagnosis("square-float", explains=SQUARING, docs="map")
def square_float(evidence: Evidence) -> Finding | None:
    seen = evidence.first("square")
    if seen is None or not any(result.kind == "float" for result in seen.results):
        return None
    returns = evidence.facts.returns("square")
    return Finding(
        "square returns a float (49.0, not 49): a float exponent or a division makes a float even from ints.",
        "Return n * n, an int for an int.",
        returns[-1].lineno if returns else None,
    )


def _unpicklable(evidence: Evidence, function: str) -> ast.AST | None:
    """A lambda, or a function defined inside another, handed to a pool or to pool_map in ``function``."""
    nested = {node.name for node in evidence.facts.nodes(function) if isinstance(node, ast.FunctionDef)} - {function}
    for call in evidence.facts.nodes(function):
        if not isinstance(call, ast.Call):
            continue
        name = called_name(call)
        if not (name.endswith(("map", "imap", "imap_unordered", "map_async", "apply", "apply_async", "starmap"))
                or name == "pool_map"):  # fmt: skip
            continue
        for arg in call.args[:1]:
            if isinstance(arg, ast.Lambda) or (isinstance(arg, ast.Name) and arg.id in nested):
                return arg
    return None


@diagnosis("lambda-to-pool", explains=POOL_CHECKS, docs="spawn")
def lambda_to_pool(evidence: Evidence) -> Finding | None:
    for function in ("pool_map", "parallel_squares"):
        found = _unpicklable(evidence, function)
        if found is not None:
            kind = "a lambda" if isinstance(found, ast.Lambda) else "a function defined inside another"
            return Finding(
                f"{function} hands the pool {kind}: the pool sends each task to a worker process by pickling "
                "it, and such a function cannot be pickled (only functions defined at the top of a module can).",
                "Pass a function defined at the top level of the module"
                + (
                    ": pool_map(square, numbers, processes)."
                    if function == "parallel_squares"
                    else ": pool.map(func, items)."
                ),
                found.lineno,  # type: ignore[attr-defined]
            )
    return None


@diagnosis("builtin-map", explains=("pool_runs_workers_at_once", "closes_pool"), docs="pool")
def builtin_map(evidence: Evidence) -> Finding | None:
    seen = evidence.first("workers")
    maps = evidence.facts.calls_named("map", within="pool_map")
    if seen is None or not maps or {pid for pid, _ in seen.arrivals} != {seen.caller}:
        return None
    return Finding(
        "pool_map uses the builtin map: it calls the function on each item one after the other, in your own "
        "process; no worker process is started.",
        "Use a pool: `with multiprocessing.Pool(processes) as pool: return pool.map(func, items)`.",
        maps[0].lineno,
    )


@diagnosis("thread-pool", explains=("pool_runs_workers_at_once",), docs="pool")
def thread_pool(evidence: Evidence) -> Finding | None:
    pools = [call for call in _pool_calls(evidence).any("Pool.__init__") if "ThreadPool" in call.detail]
    if not pools:
        return None
    return Finding(
        "pool_map uses a ThreadPool: its workers are threads of your own process, not worker processes, and "
        "threads of one process do not run Python code in parallel.",
        "Use multiprocessing.Pool(processes).",
        pools[0].line,
    )


@diagnosis("pool-size", explains=("pool_runs_workers_at_once",), docs="pool")
def pool_size(evidence: Evidence) -> Finding | None:
    seen = evidence.first("workers")
    for pool in evidence.calls("workers").any("Pool.__init__"):
        size = detail(pool, "processes")
        if size == "None":
            default = seen.default_size if seen is not None else "one per core"
            return Finding(
                f"pool_map makes a Pool without saying how many workers: it gets one per core ({default} here), "
                f"not the number `processes` asks for ({WORKERS} here).",
                "Pass processes on: multiprocessing.Pool(processes).",
                pool.line,
            )
        if size.isascii() and size.isdigit() and int(size) != WORKERS:
            return Finding(
                f"pool_map makes a Pool of {size} workers whatever `processes` says ({WORKERS} here).",
                "Pass processes on: multiprocessing.Pool(processes).",
                pool.line,
            )
    return None


@diagnosis("apply-loop", explains=("pool_runs_workers_at_once",), docs="pool")
def apply_loop(evidence: Evidence) -> Finding | None:
    applies = _pool_calls(evidence).direct("Pool.apply")
    if not applies:
        return None
    return Finding(
        "pool_map calls pool.apply for one item after another: apply waits for each result before the next "
        "item is sent, so only one worker is ever busy.",
        POOL_HINT,
        applies[0].line,
    )


@diagnosis("imap-unordered", explains=("results_in_order",), docs="map")
def imap_unordered(evidence: Evidence) -> Finding | None:
    found = evidence.calls("order").direct("Pool.imap_unordered")
    if not found:
        return None
    return Finding(
        "pool_map uses imap_unordered, which gives the results in the order the tasks finish, not in the order "
        "of the items.",
        "Use pool.map (or pool.imap), which keep the order of the items.",
        found[0].line,
    )


@diagnosis("callback-order", explains=("results_in_order",), docs="map")
def callback_order(evidence: Evidence) -> Finding | None:
    found = [
        call for call in evidence.facts.method_calls("apply_async", within="pool_map") if keyword(call, "callback")
    ]
    if not found:
        return None
    return Finding(
        "pool_map collects the results in apply_async callbacks: a callback runs when its task finishes, so the "
        "results come in the order the tasks finish, not in the order of the items.",
        "Use pool.map(func, items), which returns the results in the order of the items.",
        found[0].lineno,
    )


@diagnosis("results-after-with", explains=(*POOL_CHECKS, "closes_pool"), docs="pool")
def results_after_with(evidence: Evidence) -> Finding | None:
    """A lazy result (imap, map_async, apply_async) read after the `with` block that terminated the pool."""
    for block in (node for node in evidence.facts.nodes("pool_map") if isinstance(node, ast.With)):
        end = max(getattr(node, "end_lineno", 0) or 0 for node in ast.walk(block))
        lazy = {
            target.id
            for node in ast.walk(block)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
            and called_name(node.value).endswith(("imap", "imap_unordered", "map_async", "apply_async"))
            for target in node.targets if isinstance(target, ast.Name)
        }  # fmt: skip
        later = [
            node for node in evidence.facts.nodes("pool_map")
            if isinstance(node, ast.Name) and node.id in lazy and node.lineno > end
        ]  # fmt: skip
        if later:
            return Finding(
                "pool_map reads the pool's results after its `with` block has ended: leaving the block terminates "
                "the pool, so the results still to come never arrive.",
                "Read the results inside the `with` block (list(...) or .get() there), or use pool.map.",
                later[0].lineno,
            )
    return None


@diagnosis("returns-async-result", explains=("results_in_order", "any_function"), docs="map")
def returns_async_result(evidence: Evidence) -> Finding | None:
    seen = evidence.first("order")
    if seen is None or seen.returned.kind != "other" or "Result" not in seen.returned.type_name:
        return None
    returns = evidence.facts.returns("pool_map")
    return Finding(
        f"pool_map returns the {seen.returned.type_name} of map_async, a promise of results, not the list of them.",
        "Call .get() on it (inside the `with` block) to wait for the list, or use pool.map.",
        returns[-1].lineno if returns else None,
    )


@diagnosis("pool-left-open", explains=("closes_pool",), docs="pool")
def pool_left_open(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("workers")
    for pool in calls.any("Pool.__init__"):
        if calls.on(pool.obj, "Pool.close") and not calls.on(pool.obj, "Pool.join"):
            return Finding(
                "pool_map closes its pool but does not join it: close() only stops new tasks; the workers may still "
                "be running when pool_map returns.",
                "After pool.close(), call pool.join(), or use the pool in a `with` block.",
                calls.on(pool.obj, "Pool.close")[0].line,
            )
        if not (calls.on(pool.obj, "Pool.__exit__") or calls.on(pool.obj, "Pool.terminate")):
            return Finding(
                "pool_map never closes its pool: its worker processes keep running after pool_map returns, one set "
                "more at every call.",
                "Use the pool in a `with` block: `with multiprocessing.Pool(processes) as pool:`.",
                pool.line,
            )
    return None


@diagnosis("squares-without-pool-map", explains=("parallel_squares_uses_pool_map",), docs="pool")
def squares_without_pool_map(evidence: Evidence) -> Finding | None:
    seen = evidence.first("squares")
    if seen is None or seen.pool_map_calls:
        return None
    own = evidence.facts.calls_named("Pool", "multiprocessing.Pool", "map", within="parallel_squares")
    return Finding(
        "parallel_squares does not call pool_map: the exercise asks it to reuse the pool_map you wrote.",
        "Return pool_map(square, numbers, processes).",
        own[0].lineno if own else evidence.source.definition("parallel_squares"),
    )


@diagnosis("squares-drops-processes", explains=("parallel_squares_uses_pool_map",), docs="pool")
def squares_drops_processes(evidence: Evidence) -> Finding | None:
    seen = evidence.first("squares")
    if (
        seen is None
        or not seen.pool_map_calls
        or seen.pool_map_calls[0].processes.data == evidence.params["squares"].processes
    ):
        return None
    called = evidence.facts.calls_named("pool_map", within="parallel_squares")
    return Finding(
        f"parallel_squares calls pool_map with processes={seen.pool_map_calls[0].processes.text} instead of the "
        "`processes` it was given.",
        "Pass processes on: pool_map(square, numbers, processes).",
        called[0].lineno if called else None,
    )
