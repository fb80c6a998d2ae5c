"""Scenarios for exercise 5: ``producer``, ``consumer`` and ``run_pipeline`` with a sentinel.

The consumer is run against ``probes.SlowProducerQueue``, a queue whose producer is always behind:
it makes the ``q.empty()`` race and the ``get(timeout=...)`` guess fail every time, without
starting a process (a consumer that looks rather than waits looks for ``probes.PATIENT_FOR``
seconds before its first item: one that blocks in ``get()`` never waits on the clock).
"""

from __future__ import annotations

import os
import pickle
import queue
from dataclasses import dataclass
from typing import Any

from . import adversary, probes
from .records import Call, Value
from .scenario import Tools, scenario
from .student import Student, describe


def sentinel(student: Student) -> Any:
    return student.constant("SENTINEL")


@dataclass(frozen=True)
class ProduceCase:
    items: tuple[Any, ...]
    consumers: int | None  #: None: producer is called without it (its default)


@dataclass(frozen=True)
class ProduceParams:
    cases: tuple[ProduceCase, ...]


@dataclass(frozen=True)
class Put:
    items: tuple[Value, ...]  #: everything the producer put, in order
    sentinels: tuple[bool, ...]  #: for each: it *is* the module's SENTINEL


@dataclass(frozen=True)
class Produced:
    puts: tuple[Put, ...]  #: one per case


@scenario(ProduceParams, Produced, per_start_method=False)
def produce(student: Student, params: ProduceParams, tools: Tools) -> Produced:
    stop = sentinel(student)
    producer = student.function("producer", "q", "items", "consumers=1")
    puts = []
    for case in params.cases:
        q = probes.RecordingQueue()
        producer(q, list(case.items), *([] if case.consumers is None else [case.consumers]))
        puts.append(Put(tuple(describe(item) for item in q.items), tuple(item is stop for item in q.items)))
    return Produced(tuple(puts))


@dataclass(frozen=True)
class ConsumeParams:
    stream: tuple[Any, ...]  #: the items, in order...
    sentinels_at: tuple[int, ...]  #: ...with the SENTINEL inserted at these positions of the stream


@dataclass(frozen=True)
class Consumed:
    got: tuple[Value, ...]  #: what the consumer put on `out`, in order
    got_sentinel: tuple[bool, ...]  #: for each: it *is* the (delivered) SENTINEL
    waits_forever: bool  #: it asked for an item after the last one
    queue_calls: tuple[str, ...]  #: how it asked: get, get-timeout, empty, qsize, get_nowait
    survives_queue: bool  #: a SENTINEL that went through a queue is still the SENTINEL
    sentinel: Value


@scenario(ConsumeParams, Consumed, per_start_method=False)
def consume(student: Student, params: ConsumeParams, tools: Tools) -> Consumed:
    """The student's consumer on a slow producer's queue. Every item arrives as a queue delivers it,
    as a pickled copy: a SENTINEL recognised only as the very same object is not recognised."""
    stop = sentinel(student)
    stream: list[Any] = list(params.stream)
    for position in sorted(params.sentinels_at):
        stream.insert(position, stop)
    q = probes.SlowProducerQueue([pickle.loads(pickle.dumps(item)) for item in stream])
    delivered = pickle.loads(pickle.dumps(stop))
    out: queue.Queue[Any] = queue.Queue()
    waits_forever = False
    try:
        student.function("consumer", "q", "out")(q, out)
    except probes.ConsumerWaitsForever:
        waits_forever = True
    got = [out.get_nowait() for _ in range(out.qsize())]
    return Consumed(
        tuple(describe(item) for item in got),
        tuple(item is delivered or item is stop for item in got),
        waits_forever,
        q.looks()[:200],
        delivered is stop,
        describe(stop),
    )


@dataclass(frozen=True)
class PipeParams:
    items: tuple[Any, ...]  #: plain items; or, with ``traced``, this many numbered items
    consumers: int
    traced: bool = False  #: items that note every process they pass through


@dataclass(frozen=True)
class TracedItem:
    value: int
    pids: tuple[int, ...]  #: the processes that sent it on (pickled it)


@dataclass(frozen=True)
class Piped:
    returned: Value
    traced: tuple[TracedItem, ...]  #: with ``traced``: the items returned that are the grader's
    caller: int
    calls: tuple[Call, ...]
    started: tuple[int, ...] = ()  #: pids of the processes the student's code started (from its calls)


@scenario(PipeParams, Piped)
def pipeline(student: Student, params: PipeParams, tools: Tools) -> Piped:
    """run_pipeline with queues that always answer as if the producer were behind."""
    run_pipeline = student.function("run_pipeline", "items", "consumers=1")
    adversary.install(turns=str(tools.folder("turns") / "turn"))
    items: list[Any] = [probes.Traced(n) for n in params.items] if params.traced else list(params.items)
    returned = run_pipeline(items, params.consumers)
    traced: tuple[TracedItem, ...] = ()
    if params.traced and type(returned) is list:
        traced = tuple(TracedItem(item.value, item.trail) for item in returned if type(item) is probes.Traced)
    calls, started = tuple(tools.tracer.calls), tuple(tools.tracer.started)
    return Piped(describe(returned), traced, os.getpid(), calls, started)
