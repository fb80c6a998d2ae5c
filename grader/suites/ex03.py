"""Hidden suite for exercise 3: ``increment(counter, times)`` and ``parallel_count``.

Lost updates are caught by auditing the counter (``probes.WatchedCounter``), not by hoping
that a race shows up in the final count: an unlocked write is seen every time, on any
machine, under any load, with a few thousand increments.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.sharedctypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.suites import probes
from grader.suites.framework import GATE_TIMEOUT, Mistake, Student, check, expect, never_joined, still_running

EXERCISE = "ex03"

LOCK_HINT = (
    "Hold the counter's own lock around the whole update: `with counter.get_lock(): "
    "counter.value += 1`. A new multiprocessing.Lock() made inside increment guards nothing, "
    "because each process then has a lock of its own."
)
START_ALL_HINT = "Start all the processes first, then join them all; each one runs increment(counter, times)."
VIOLATIONS = {
    "unlocked-write": "counter.value was written while counter.get_lock() was not held, so "
    "another process can write between your read and your write, and its update is lost.",
    "split": "counter.value was read under the lock, but the lock was let go before the new "
    "value was written, so another process can write in between and an update is lost.",
}


def watched(folder: Path) -> probes.WatchedCounter:
    """An audited counter for calling increment in this process."""
    lock = probes.WatchedLock(multiprocessing.get_context().RLock())
    return probes.WatchedCounter(multiprocessing.sharedctypes.RawValue("i", 0), lock, str(folder), os.getpid())


def expect_no_violations(counter: probes.WatchedCounter) -> None:
    for kind in sorted(counter.violations()):
        expect(False, VIOLATIONS[kind], hint=LOCK_HINT)


@check(
    "increment adds exactly `times` to the counter",
    points=2,
    hint="Loop `times` times and add 1 to counter.value each time.",
    per_start_method=False,
)
def test_increment_adds_times(student: Student, tmp_path: Path) -> None:
    counter = watched(tmp_path)
    student.function("increment", "counter", "times")(counter, 1000)
    expect(
        counter.raw_value == 1000,
        f"increment(counter, 1000) changed the counter from 0 to {counter.raw_value}.",
    )


@check(
    "increment holds counter.get_lock() around each read-add-write",
    points=3,
    hint=LOCK_HINT,
    per_start_method=False,
)
def test_increment_is_locked(student: Student, tmp_path: Path) -> None:
    counter = watched(tmp_path)
    student.function("increment", "counter", "times")(counter, 200)
    expect_no_violations(counter)


@dataclass(frozen=True)
class Counted:
    result: Any
    counters: list[probes.WatchedCounter]
    unlocked: int  #: counters made with lock=False, which have no lock to share
    gate: probes.Gate
    workers: list[int]  #: the child processes that used the counter
    running: list[int]  #: processes still running when parallel_count returned
    unjoined: list[int]  #: processes that finished but were never joined


PROCESSES, TIMES = 3, 2000
JOIN_HINT = "join() every process before reading counter.value: until then the count is not finished."


@pytest.fixture(scope="module")
def counted(
    student: Student, start_method: str, tmp_path_factory: pytest.TempPathFactory, time_scale: float
) -> Counted:
    """Run parallel_count once with multiprocessing.Value swapped for an audited counter."""
    folder = tmp_path_factory.mktemp("counted")
    gate = probes.Gate.create(folder / "gate", PROCESSES, GATE_TIMEOUT * time_scale)
    made: list[probes.WatchedCounter] = []
    unlocked: list[object] = []
    real_value = multiprocessing.sharedctypes.Value

    def value(typecode_or_type: Any, *args: Any, lock: Any = True, ctx: Any = None) -> Any:
        if lock is False:
            unlocked.append(typecode_or_type)
            return real_value(typecode_or_type, *args, lock=lock, ctx=ctx)
        inner = (ctx or multiprocessing.get_context()).RLock() if lock in (True, None) else lock
        watched_lock = probes.WatchedLock(inner, probes.Arrival(gate, os.getpid()))
        raw = multiprocessing.sharedctypes.RawValue(typecode_or_type, *args)
        made.append(probes.WatchedCounter(raw, watched_lock, str(folder), os.getpid(), audit_creator=False))
        return made[-1]

    parallel_count = student.function("parallel_count", "processes", "times")
    # multiprocessing.Value and every context's Value look this name up at each call
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(multiprocessing.sharedctypes, "Value", value)
        result = parallel_count(PROCESSES, TIMES)
    running, unjoined = still_running(), never_joined()
    workers = [int(record["pid"]) for record in probes.notes(gate.folder, "worker-")]
    return Counted(result, made, len(unlocked), gate, workers, running, unjoined)


@check(
    f"parallel_count({PROCESSES}, {TIMES}) returns {PROCESSES * TIMES}",
    points=1,
    hint="Return counter.value, an int, after joining every process.",
)
def test_parallel_count_total(counted: Counted) -> None:
    expect(
        not counted.running,
        "parallel_count returned while its processes were still counting.",
        hint=JOIN_HINT,
    )
    if counted.gate.broken:
        raise Mistake(
            "This check needs the processes to run at the same time (see the next check).",
            hint=START_ALL_HINT,
        )
    expect(
        isinstance(counted.result, int),
        f"parallel_count returned {counted.result!r}, not an int: return counter.value.",
    )
    expect(
        counted.result == PROCESSES * TIMES,
        f"parallel_count({PROCESSES}, {TIMES}) returned {counted.result} instead of {PROCESSES * TIMES}.",
    )


@check(
    "parallel_count runs `processes` child processes at the same time",
    points=2,
    hint=START_ALL_HINT,
)
def test_parallel_count_processes(counted: Counted) -> None:
    expect(
        not (counted.unlocked and not counted.counters),
        "parallel_count made its counter with lock=False: such a Value has no get_lock(), so the "
        "processes cannot share a lock.",
        hint="Make the counter with multiprocessing.Value('i', 0): it comes with its own lock.",
    )
    expect(
        counted.counters,
        "parallel_count did not make its counter with multiprocessing.Value('i', 0) while it ran.",
        hint="Make the counter inside parallel_count: counter = multiprocessing.Value('i', 0).",
    )
    expect(not counted.running, "parallel_count returned while its processes were still running.", hint=JOIN_HINT)
    expect(not counted.unjoined, "parallel_count never joined its processes (they are left as zombies).", JOIN_HINT)
    workers = set(counted.workers)
    expect(workers, "No child process used the counter: the increments ran in the grader's own process.")
    together = len(set(counted.gate.arrival_pids()))
    expect(
        not counted.gate.broken,
        f"Only {together} of {PROCESSES} processes were incrementing at the same time: each one "
        "waited alone for the others, which had not been started yet.",
    )
    expect(
        len(workers) == PROCESSES,
        f"parallel_count({PROCESSES}, {TIMES}) used {len(workers)} processes instead of {PROCESSES}.",
    )
    expect_no_violations(counted.counters[0])


@check(
    "parallel_count(4, 5000) with a real Value counts to exactly 20000",
    points=2,
    hint=LOCK_HINT,
)
def test_parallel_count_real_value(student: Student) -> None:
    result = student.function("parallel_count", "processes", "times")(4, 5000)
    expect(not still_running(), "parallel_count returned while its processes were still counting.", JOIN_HINT)
    expect(isinstance(result, int), f"parallel_count returned {result!r}, not an int: return counter.value.")
    expect(
        result == 20000,
        f"parallel_count(4, 5000) returned {result} instead of 20000: updates were lost, or a "
        "process stopped with an error (see what it printed).",
    )
