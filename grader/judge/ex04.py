"""Checks of exercise 4: ``pool_map``, ``square`` and ``parallel_squares``."""

from __future__ import annotations

import random
from dataclasses import replace

from grader.judge import PASS, Context, Run, Verdict, check, fail
from grader.judge.calls import Calls, detail
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
)

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


SQUARE = Run("square", "ex04.square", "square", lambda rng: Numbers((0, rng.randint(2, 30), -rng.randint(2, 30))))
SQUARES = Run("squares", "ex04.squares", "parallel_squares", lambda rng: SquaresParams(unsorted(rng, 4), 2))
MEET = Run("workers", "ex04.workers", "pool_map", lambda rng: WorkersParams(WORKERS, WORKERS * 8))
ORDER = Run("order", "ex04.order", "pool_map", lambda rng: OrderParams(unsorted(rng, 6), 3))
ANY = Run("any", "ex04.any_function", "pool_map", lambda rng: AnyParams(unsorted(rng, 4)))


@check("square(n) returns n * n", points=1, hint="Return n * n.", run=SQUARE)
def square(seen: Squared, context: Context) -> Verdict:
    for n, got in zip(context.params.numbers, seen.results, strict=True):
        if not (got.kind == "int" and got.data == n * n):
            return fail(f"square({n}) returned {got.text} instead of {n * n}.")
    return PASS


@check(
    "parallel_squares computes the squares with pool_map",
    points=1,
    hint="Return pool_map(square, numbers, processes).",
    run=SQUARES,
)
def parallel_squares_uses_pool_map(seen: Squares, context: Context) -> Verdict:
    params: SquaresParams = context.params
    numbers, wanted = list(params.numbers), [n * n for n in params.numbers]
    call = f"parallel_squares({numbers}, {params.processes})"
    if not seen.pool_map_calls:
        return fail(f"{call} did not call pool_map.")
    first = seen.pool_map_calls[0]
    if first.func in ("lambda",) or first.func.startswith("nested"):
        return fail(
            f"{call} hands pool_map a {first.func.split(':')[0]} function, which a pool cannot pickle.",
            "Pass the module-level function itself: pool_map(square, numbers, processes).",
        )
    if first.items.data != numbers or first.processes.data != params.processes:
        return fail(f"{call} called pool_map with items {first.items.text} and processes={first.processes.text}.")
    got = seen.returned.data if seen.returned.kind == "list" else None
    # in any order: whether pool_map keeps the order is the business of another check
    if got is None or sorted(got, key=repr) != sorted(wanted, key=repr):
        return fail(f"{call} returned {seen.returned.text} instead of {wanted}.")
    return PASS


def pool_problem(seen: Workers) -> Verdict | None:
    """What the pool the student made says about the workers it had."""
    calls = Calls(seen.calls)
    pools = calls.any("Pool.__init__")
    for pool in pools:
        size = detail(pool, "processes")
        if size == "None":
            return fail(
                f"pool_map makes a Pool without saying how many workers: it gets one per core "
                f"({seen.default_size} here), not the {WORKERS} it is asked for.",
                "Pass processes on: multiprocessing.Pool(processes).",
                pool.line,
            )
        if size.isdigit() and int(size) != WORKERS:
            return fail(
                f"pool_map makes a Pool of {size} workers whatever `processes` says ({WORKERS} here).",
                "Pass processes on: multiprocessing.Pool(processes).",
                pool.line,
            )
    applies = calls.direct("Pool.apply")
    if applies:
        return fail(
            "pool_map calls pool.apply for one item after another: apply waits for each result before the "
            "next item is sent, so only one worker is ever busy.",
            POOL_HINT,
            applies[0].line,
        )
    return None


@check(
    f"pool_map(func, items, processes={WORKERS}) uses {WORKERS} worker processes at once",
    points=4,
    hint=POOL_HINT,
    run=MEET,
)
def pool_runs_workers_at_once(seen: Workers, context: Context) -> Verdict:
    vouched = {*seen.started, seen.caller}  # notes from processes the student's code did not start are not the tasks'
    seen = replace(seen, arrivals=tuple(arrival for arrival in seen.arrivals if arrival[0] in vouched))
    pids = {pid for pid, _ in seen.arrivals}
    if not seen.arrivals:
        return pool_problem(seen) or fail("The function was never called.")
    if pids == {seen.caller} and len(seen.arrivals) > 1 and len({t for _, t in seen.arrivals}) > 1:
        return fail(
            "The tasks ran in threads of the grader's own process, not in worker processes.",
            "Use multiprocessing.Pool, not multiprocessing.pool.ThreadPool.",
            _first_line(seen, "Pool.__init__"),
        )
    if seen.caller in pids:
        return fail(
            "The function ran in the grader's own process, one item after the other: the builtin map starts no process."
        )
    problem = pool_problem(seen)
    if problem is not None:
        return problem
    if seen.broken:
        return fail(
            f"Only {len(pids)} of {WORKERS} worker processes were busy at the same time: the pool did not have "
            f"{WORKERS} workers, or the items were handed out one at a time."
        )
    return PASS


def _first_line(seen: Workers, api: str) -> int | None:
    found = Calls(seen.calls).direct(api)
    return found[0].line if found else None


@check(
    "pool_map returns the results in the order of items",
    points=3,
    hint="pool.map keeps the order of the items; imap_unordered and apply_async callbacks give results in the "
    "order they finish.",
    run=ORDER,
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
        return fail(f"pool_map returned {got.text} for the squares of {list(params.items)}.")
    unordered = Calls(seen.calls).direct("Pool.imap_unordered")
    return fail(
        f"pool_map returned {got.text}: the results are in the order the tasks finished (the first item's "
        f"task finished last), not in the order of the items: {wanted}.",
        line=unordered[0].line if unordered else None,
    )


@check(
    "pool_map works for any picklable function and for no items",
    points=1,
    hint="Use the func and items you are given; pool.map of no items is [].",
    run=ANY,
)
def any_function(seen: AnyFunction, context: Context) -> Verdict:
    items = list(context.params.items)
    wanted = [abs(n) for n in items]
    if not (seen.some.kind == "list" and seen.some.data == wanted):
        return fail(f"pool_map(abs, {items}, 2) returned {seen.some.text}.")
    if not (seen.none.kind == "list" and seen.none.data == []):
        return fail(f"pool_map(abs, [], 2) returned {seen.none.text} instead of [].")
    return PASS
