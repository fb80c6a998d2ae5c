"""Hidden suite for exercise 4: ``pool_map``, ``square`` and ``parallel_squares``."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest

from grader.suites import probes
from grader.suites.framework import GATE_TIMEOUT, Student, check, expect

EXERCISE = "ex04"

POOL_HINT = (
    "Use `with multiprocessing.Pool(processes) as pool: return pool.map(func, items)`. The "
    "builtin map, Pool(1), or a loop of pool.apply() handle one item at a time."
)


def pool_map(student: Student) -> Any:
    return student.function("pool_map", "func", "items", "processes=4")


@check("square(n) returns n * n", points=1, hint="Return n * n.", per_start_method=False)
def test_square(student: Student) -> None:
    square = student.function("square", "n")
    for n in (0, 7, -3):
        got = square(n)
        expect(got == n * n, f"square({n}) returned {got!r} instead of {n * n}.")


@check(
    "parallel_squares computes the squares with pool_map",
    points=1,
    hint="Return pool_map(square, numbers, processes).",
)
def test_parallel_squares_uses_pool_map(student: Student) -> None:
    calls: list[tuple[Any, ...]] = []
    real_pool_map = student.module.pool_map

    def recording_pool_map(func: Any, items: Any, processes: int = 4) -> Any:
        calls.append((list(items), processes))
        return real_pool_map(func, items, processes)

    parallel_squares = student.function("parallel_squares", "numbers", "processes=4")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(student.module, "pool_map", recording_pool_map)
        result = parallel_squares([1, 2, 3], 2)
    expect(calls, "parallel_squares did not call pool_map.")
    expect(
        calls[0] == ([1, 2, 3], 2),
        f"parallel_squares([1, 2, 3], 2) called pool_map with items {calls[0][0]} and processes={calls[0][1]}.",
    )
    expect(result == [1, 4, 9], f"parallel_squares([1, 2, 3], 2) returned {result!r}.")


WORKERS = (os.cpu_count() or 1) + 1  # one more than Pool() makes by default
TASKS = WORKERS * 8  # enough that any reasonable chunksize still keeps every worker busy


@check(
    f"pool_map(func, items, processes={WORKERS}) uses {WORKERS} worker processes at once",
    points=4,
    hint=POOL_HINT,
)
def test_pool_runs_workers_at_once(student: Student, tmp_path: Path, time_scale: float) -> None:
    gate = probes.Gate.create(tmp_path, WORKERS, GATE_TIMEOUT * time_scale)
    with contextlib.suppress(probes.GateBroken):  # a task gave up waiting; pool.map re-raises it here
        pool_map(student)(probes.meet_in_pool, [gate] * TASKS, WORKERS)
    arrivals = gate.arrivals()
    pids = {pid for pid, _ in arrivals}
    expect(arrivals, "The function was never called.")
    expect(
        not (pids == {os.getpid()} and len(arrivals) > 1),
        "The tasks ran in threads of the grader's own process, not in worker processes.",
        hint="Use multiprocessing.Pool, not multiprocessing.pool.ThreadPool.",
    )
    expect(
        os.getpid() not in pids,
        "The function ran in the grader's own process, one item after the other: the builtin map starts no process.",
    )
    expect(
        not gate.broken,
        f"Only {len(pids)} of {WORKERS} worker processes were busy at the same time: the pool did "
        f"not have {WORKERS} workers, or the items were handed out one at a time.",
    )


@check(
    "pool_map returns the results in the order of items",
    points=3,
    hint="pool.map keeps the order of the items; imap_unordered and apply_async callbacks "
    "give results in the order they finish.",
)
def test_results_in_order(student: Student, tmp_path: Path, time_scale: float) -> None:
    tasks = [(str(tmp_path), n, time_scale) for n in range(6)]  # task 0 waits up to a second
    result = pool_map(student)(probes.square_first_one_last, tasks, 3)
    expected = [n * n for n in range(6)]
    expect(isinstance(result, list), f"pool_map returned {result!r}, not a list.")
    expect(
        sorted(result) == expected,
        f"pool_map returned {result} for the squares of 0..5.",
    )
    expect(
        result == expected,
        f"pool_map returned {result}: the results are in the order the tasks finished "
        f"(the first task finished last), not in the order of the items {expected}.",
    )


@check(
    "pool_map works for any picklable function and for no items",
    points=1,
    hint="Use the func and items you are given; pool.map of no items is [].",
)
def test_any_function(student: Student) -> None:
    result = pool_map(student)(abs, [-1, 2, -3], 2)
    expect(result == [1, 2, 3], f"pool_map(abs, [-1, 2, -3], 2) returned {result!r}.")
    result = pool_map(student)(abs, [], 2)
    expect(result == [], f"pool_map(abs, [], 2) returned {result!r} instead of [].")
