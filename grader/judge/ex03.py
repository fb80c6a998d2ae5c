"""Checks of exercise 3: ``increment(counter, times)`` and ``parallel_count(processes, times)``."""

from __future__ import annotations

from dataclasses import replace

from grader.judge import PASS, Context, Run, Verdict, check, fail
from grader.judge.calls import Calls
from grader.scenarios.ex03 import Counted, CountParams, Incremented, IncrementParams

LOCK_HINT = (
    "Hold the counter's own lock around the whole update: `with counter.get_lock(): "
    "counter.value += 1`. A new multiprocessing.Lock() made inside increment guards nothing, "
    "because each process then has a lock of its own."
)
START_ALL_HINT = "Start all the processes first, then join them all; each one runs increment(counter, times)."
JOIN_HINT = "join() every process before reading counter.value: until then the count is not finished."
VIOLATIONS = {
    "unlocked-write": "counter.value was written while counter.get_lock() was not held, so "
    "another process can write between your read and your write, and its update is lost.",
    "split": "counter.value was read under the lock, but the lock was let go before the new "
    "value was written, so another process can write in between and an update is lost.",
}

INCREMENT = Run("increment", "ex03.increment", "increment", lambda rng: IncrementParams(rng.randint(600, 1200)))
COUNT = Run("count", "ex03.count", "parallel_count", lambda rng: CountParams(3, rng.randint(1500, 2500)))
OTHER = Run("other", "ex03.count", "parallel_count", lambda rng: CountParams(rng.choice((2, 4)), rng.randint(300, 900)))


def unsafe(violations: tuple[str, ...]) -> Verdict | None:
    for kind in violations:
        return fail(VIOLATIONS[kind], LOCK_HINT)
    return None


@check(
    "increment adds exactly `times` to the counter",
    points=2,
    hint="Loop `times` times and add 1 to counter.value each time.",
    run=INCREMENT,
)
def increment_adds_times(seen: Incremented, context: Context) -> Verdict:
    times = context.params.times
    if seen.value == times:
        return PASS
    return fail(f"increment(counter, {times}) changed the counter from 0 to {seen.value}.")


@check("increment holds counter.get_lock() around each read-add-write", points=3, hint=LOCK_HINT, run=INCREMENT)
def increment_is_locked(seen: Incremented, context: Context) -> Verdict:
    return unsafe(seen.violations) or PASS


def genuine(seen: Counted) -> Counted:
    """Only the workers the calls vouch for: processes the student's code started."""
    started = set(seen.started)
    return replace(
        seen,
        workers=tuple(pid for pid in seen.workers if pid in started),
        arrivals=tuple(pid for pid in seen.arrivals if pid in started),
    )


def setup(seen: Counted, params: CountParams) -> Verdict | None:
    """What must hold before the count itself can be judged: a shared Value with a lock, workers
    that were joined."""
    if seen.unlocked and not seen.counters:
        how = seen.unlocked[0]
        made = "with lock=False" if how.startswith("Value") else "with RawValue"
        return fail(
            f"parallel_count made its counter {made}: it has no lock (no get_lock()), so the processes "
            "cannot share one.",
            "Make the counter with multiprocessing.Value('i', 0): it comes with its own lock.",
            _line(seen, how.split()[0]),
        )
    if not seen.counters:
        return fail(
            "parallel_count did not make its counter with multiprocessing.Value('i', 0) while it ran.",
            "Make the counter inside parallel_count: counter = multiprocessing.Value('i', 0).",
        )
    if seen.running:
        return fail("parallel_count returned while its processes were still counting.", JOIN_HINT)
    if seen.unjoined:
        return fail("parallel_count never joined its processes (they are left as zombies).", JOIN_HINT)
    return None


def _line(seen: Counted, api: str) -> int | None:
    made = Calls(seen.calls).any(api)
    return made[0].line if made else None


def total(seen: Counted, params: CountParams) -> Verdict:
    wanted = params.processes * params.times
    problem = setup(seen, params)
    if problem is not None:
        return problem
    if seen.returned.kind != "int":
        return fail(f"parallel_count returned {seen.returned.text}, not an int: return counter.value.")
    if seen.violations:  # the total is then only right by luck: say why it cannot be trusted
        return unsafe(seen.violations) or PASS
    if seen.returned.data != wanted:
        return fail(
            f"parallel_count({params.processes}, {params.times}) returned {seen.returned.text} instead of {wanted}."
        )
    return PASS


def processes(seen: Counted, params: CountParams) -> Verdict:
    seen = genuine(seen)
    problem = setup(seen, params)
    if problem is not None:
        return problem
    if not seen.workers:
        return fail("No child process used the counter: the increments ran in the grader's own process.")
    if len(seen.workers) != params.processes:
        return fail(
            f"parallel_count({params.processes}, {params.times}) used {len(seen.workers)} "
            f"process{'es' if len(seen.workers) != 1 else ''} instead of {params.processes}."
        )
    if seen.broken or len(set(seen.arrivals)) < params.processes:
        inside = Calls(seen.calls).joined_inside_start_loop()
        if inside is not None:
            return fail(
                "parallel_count joins each process right after starting it, so each one ends before the next "
                "is started: they count one after another, never at the same time.",
                START_ALL_HINT,
                inside.line,
            )
        return fail(
            f"Only {len(set(seen.arrivals))} of {params.processes} processes were incrementing at the same time: "
            "each one waited alone for the others, which had not been started yet.",
            START_ALL_HINT,
        )
    return unsafe(seen.violations) or PASS


@check(
    "parallel_count(3, times) returns 3 * times",
    points=1,
    hint="Return counter.value, an int, after joining every process.",
    run=COUNT,
)
def parallel_count_total(seen: Counted, context: Context) -> Verdict:
    return total(seen, context.params)


@check("parallel_count runs `processes` child processes at the same time", points=2, hint=START_ALL_HINT, run=COUNT)
def parallel_count_processes(seen: Counted, context: Context) -> Verdict:
    return processes(seen, context.params)


@check(
    "parallel_count works for other numbers of processes and increments",
    points=2,
    hint="Use the `processes` and `times` you are given: start `processes` processes, each adding `times`.",
    run=OTHER,
)
def parallel_count_other_sizes(seen: Counted, context: Context) -> Verdict:
    counted = total(seen, context.params)
    return counted if not counted.passed else processes(seen, context.params)
