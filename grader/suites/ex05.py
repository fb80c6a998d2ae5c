"""Hidden suite for exercise 5: ``producer``, ``consumer`` and ``run_pipeline`` with a sentinel.

The consumer is checked against ``probes.SlowProducerQueue``, a queue whose producer is always
behind: it makes the ``q.empty()`` race and the ``get(timeout=...)`` guess fail every time,
without starting a process or waiting on a clock.
"""

from __future__ import annotations

import os
import pickle
import queue
from collections import Counter
from typing import Any

from grader.suites import probes
from grader.suites.framework import Mistake, Student, check, expect

EXERCISE = "ex05"

SENTINEL_HINT = (
    "Loop forever: `item = q.get()`; stop with `if item is SENTINEL: break`; otherwise "
    "`out.put(item)`. Do not look at q.empty() and do not use a timeout."
)
PIPELINE_HINT = (
    "Check each part: every consumer must get its own SENTINEL and stop only when `item is "
    "SENTINEL`; run_pipeline must read one result per item from `out` before it joins any process."
)
READ_FIRST_HINT = (
    "Read the results from `out` before you join any process: a process that put items on a "
    "queue cannot exit until they are read. You know how many to read: one per item."
)


def sentinel(student: Student) -> Any:
    return student.constant("SENTINEL")


def consume(student: Student, items: list[Any]) -> tuple[list[Any], probes.SlowProducerQueue]:
    """Run the student's consumer on a slow producer's queue; return what it passed on.

    Every item arrives as a queue delivers it, as a pickled copy: a SENTINEL that is only
    recognised as the very same object is not recognised.
    """
    q = probes.SlowProducerQueue([pickle.loads(pickle.dumps(item)) for item in items])
    out: queue.Queue[Any] = queue.Queue()
    student.function("consumer", "q", "out")(q, out)
    return [out.get_nowait() for _ in range(out.qsize())], q


def run_pipeline(student: Student, items: list[Any], consumers: int) -> Any:
    result = student.function("run_pipeline", "items", "consumers=1")(items, consumers)
    expect(isinstance(result, list), f"run_pipeline returned {type(result).__name__}, not a list.")
    return result


@check(
    "producer puts every item, then one SENTINEL per consumer",
    points=2,
    hint="After the loop over items, put SENTINEL once for each consumer: "
    "`for _ in range(consumers): q.put(SENTINEL)`.",
    per_start_method=False,
)
def test_producer_sentinels(student: Student) -> None:
    stop = sentinel(student)
    producer = student.function("producer", "q", "items", "consumers=1")
    for items, consumers in (([1, 2, 3], 3), ([7], None)):
        q = probes.RecordingQueue()
        producer(q, items, *([] if consumers is None else [consumers]))
        wanted = consumers or 1
        put_sentinels = sum(item is stop for item in q.items)
        expect(
            put_sentinels, "The producer never puts the SENTINEL, so a consumer cannot tell that the items have ended."
        )
        expect(
            put_sentinels >= wanted,
            f"With {wanted} consumers the producer put {put_sentinels} SENTINEL: each consumer "
            "stops at the first one it takes, so the others would wait forever.",
        )
        expect(put_sentinels == wanted, f"With {wanted} consumers the producer put {put_sentinels} SENTINELs.")
        expect(
            q.items == items + [stop] * wanted,
            f"The producer put {q.items} for the items {items}: every item first, in order, then the sentinels.",
        )


def consumer_mistake(student: Student, items: list[Any], stream: list[Any]) -> Mistake | None:
    """Feed the consumer ``stream`` (items, then sentinels); explain how it went wrong, if it did."""
    stop = sentinel(student)
    try:
        got, q = consume(student, stream)
    except probes.ConsumerWaitsForever:
        if pickle.loads(pickle.dumps(stop)) is not stop:
            return Mistake(
                f"The consumer did not recognise the SENTINEL ({stop!r}) when it arrived: a queue "
                "delivers a copy of what was put, and a copy of an object is not the same object.",
                hint="Use SENTINEL = None, which stays itself through a queue, and test `item is SENTINEL`.",
            )
        return Mistake(
            "The consumer kept asking for items after the SENTINEL arrived; with a "
            "real queue it would wait there forever.",
            hint=SENTINEL_HINT,
        )
    if got == items:
        return None
    if any(item is stop for item in got):
        return Mistake(
            "The consumer put the SENTINEL on `out`: it is a message to the consumer, not an item.",
            hint="When `item is SENTINEL`, break before putting anything on `out`.",
        )
    if len(got) > len(items):
        return Mistake(
            f"The consumer passed on {got!r}: it went on reading after the first "
            "SENTINEL, taking items meant for another consumer."
        )
    if got == items[: len(got)] and not items[len(got)]:
        return Mistake(
            f"The consumer stopped at the item {items[len(got)]!r}: it tested the "
            "item's truth instead of comparing it with SENTINEL.",
            hint="Compare with `item is SENTINEL`: `if not item` or `while item` also stop at 0, '' and False.",
        )
    if {"empty", "get_nowait", "qsize"} & set(q.calls):
        return Mistake(
            f"The consumer passed on {got!r} instead of {items!r}: it stopped because "
            "the queue looked empty, but the producer was only slow. q.empty() cannot "
            "tell 'not yet' from 'never'."
        )
    if "get-timeout" in q.calls:
        return Mistake(
            f"The consumer passed on {got!r} instead of {items!r}: it gave up when "
            "q.get(timeout=...) timed out, but the producer was only slow. Any timeout "
            "is a guess; the SENTINEL is certain."
        )
    return Mistake(f"The consumer passed on {got!r} instead of {items!r}.")


def expect_consumer(student: Student, items: list[Any], stream: list[Any]) -> None:
    mistake = consumer_mistake(student, items, stream)
    if mistake is not None:
        raise mistake


@check(
    "consumer waits for items that have not arrived yet",
    points=2,
    hint=SENTINEL_HINT,
    per_start_method=False,
)
def test_consumer_waits_for_slow_producer(student: Student) -> None:
    expect_consumer(student, [10, 11, 12], [10, 11, 12, sentinel(student)])


@check(
    "consumer passes on falsy items such as 0, '' and False",
    points=1,
    hint="Compare with `item is SENTINEL`: `if not item` or `while item` also stop at 0, '' and False.",
    per_start_method=False,
)
def test_consumer_keeps_falsy_items(student: Student) -> None:
    items = [5, 0, "", False, 0.0, 7]
    expect_consumer(student, items, [*items, sentinel(student)])


@check(
    "consumer stops at the SENTINEL and does not pass it on",
    points=1,
    hint="When `item is SENTINEL`, break out of the loop before putting anything on `out`.",
    per_start_method=False,
)
def test_consumer_stops_at_sentinel(student: Student) -> None:
    stop = sentinel(student)
    expect_consumer(student, [4], [4, stop, 99, stop])


@check(
    "run_pipeline with one consumer returns every item, in order",
    points=1,
    hint=PIPELINE_HINT,
)
def test_pipeline_one_consumer(student: Student) -> None:
    items = [*range(1, 20), 0, "", False]
    result = run_pipeline(student, items, 1)
    expect(result == items, f"run_pipeline(items, 1) returned {result!r}\ninstead of {items!r}.")


@check(
    "run_pipeline with three consumers returns every item and ends",
    points=1,
    hint=PIPELINE_HINT,
)
def test_pipeline_three_consumers(student: Student) -> None:
    items = list(range(30))
    result = run_pipeline(student, items, 3)
    missing = Counter(items) - Counter(result)
    extra = Counter(result) - Counter(items)
    expect(
        not missing and not extra,
        f"run_pipeline(range(30), 3) lost {sorted(missing.elements())} and added {sorted(extra.elements(), key=repr)}.",
    )


@check(
    "run_pipeline reads the results before joining (no deadlock on a full queue)",
    points=1,
    hint=READ_FIRST_HINT,
)
def test_pipeline_many_items(student: Student) -> None:
    items = list(range(1000, 6000))  # about 100 KiB pickled: more than a pipe buffers
    result = run_pipeline(student, items, 1)
    expect(result == items, f"run_pipeline returned {len(result)} of the {len(items)} items, or not in order.")


@check(
    "run_pipeline runs the producer and the consumers in their own processes",
    points=1,
    hint="Start one multiprocessing.Process for producer and one per consumer, and pass the queues as "
    "arguments. If this check hangs, see the checks above.",
)
def test_pipeline_uses_processes(student: Student) -> None:
    items = [probes.Traced(n) for n in range(10)]
    result = run_pipeline(student, items, 2)
    expect(
        sorted(item.value for item in result if isinstance(item, probes.Traced)) == list(range(10)),
        f"run_pipeline returned {result!r} instead of the 10 items given.",
    )
    for item in result:
        others = [pid for pid in item.trail if pid != os.getpid()]
        expect(
            len(set(others)) >= 2,
            f"{item!r} did not pass through both a producer process and a consumer process: "
            "part of the pipeline ran in the grader's own process.",
        )
