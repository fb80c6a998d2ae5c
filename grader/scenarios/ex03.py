"""Scenarios for exercise 3: ``increment(counter, times)`` and ``parallel_count(processes, times)``.

Lost updates are caught by auditing the counter (``probes.WatchedCounter``), not by hoping that a
race shows up in the final count: an unlocked write is seen every time, on any machine, under any
load, with a few thousand increments.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.sharedctypes
import os
from dataclasses import dataclass
from typing import Any

from . import probes
from .records import Call, Value
from .scenario import Tools, scenario
from .student import Student, describe
from .waits import ParentWaits


@dataclass(frozen=True)
class IncrementParams:
    times: int
    start: int = 0  #: the counter's value before the call: not 0, so that setting it to `times` shows


@dataclass(frozen=True)
class Incremented:
    value: int  #: the counter after increment(counter, times), from ``start``
    violations: tuple[str, ...]  #: kinds of unsafe update seen: unlocked-write, split
    calls: tuple[Call, ...]


@scenario(IncrementParams, Incremented, per_start_method=False)
def increment(student: Student, params: IncrementParams, tools: Tools) -> Incremented:
    """increment called in this process on an audited counter."""
    folder = tools.folder("audit")
    lock = probes.WatchedLock(multiprocessing.get_context().RLock())
    raw = multiprocessing.sharedctypes.RawValue("i", params.start)
    counter = probes.WatchedCounter(raw, lock, str(folder), os.getpid())
    student.function("increment", "counter", "times")(counter, params.times)
    return Incremented(counter._probe_final_value(), tuple(counter.violations()), tuple(tools.tracer.calls))


@dataclass(frozen=True)
class CountParams:
    processes: int
    times: int


@dataclass(frozen=True)
class Counted:
    returned: Value
    counters: int  #: counters made with a lock (multiprocessing.Value)
    unlocked: tuple[str, ...]  #: counters made without one: "Value lock=False" or "RawValue"
    broken: bool  #: the workers' gate never opened: they did not count at the same time
    arrivals: tuple[int, ...]  #: pids of the workers that reached the gate
    workers: tuple[int, ...]  #: pids of the child processes that used the counter
    running: tuple[int, ...]
    unjoined: tuple[int, ...]
    violations: tuple[str, ...]
    calls: tuple[Call, ...]
    started: tuple[int, ...] = ()  #: pids of the processes the student's code started (from its calls)
    finals: tuple[int, ...] = ()  #: what each counter made with a lock held at the end
    overwritten: bool = False  #: the parent set a counter after its workers had used it


def any_process(target: Any, args: tuple[Any, ...]) -> str:
    return "workers"


@scenario(CountParams, Counted)
def count(student: Student, params: CountParams, tools: Tools) -> Counted:
    """parallel_count with multiprocessing.Value (and RawValue) made into audited counters whose
    first use in each worker waits for every worker, then for the parent to wait for them."""
    folder = tools.folder("counted")
    gate = tools.gate(params.processes)
    release = tools.release()
    ParentWaits(tools.tracer, release, any_process, gate=gate, patient=tools.patient_lines)
    arrival = probes.Arrival(gate, release, os.getpid())
    made: list[probes.WatchedCounter] = []
    unlocked: list[str] = []
    real_value, real_raw = multiprocessing.sharedctypes.Value, multiprocessing.sharedctypes.RawValue

    def watched(raw: Any, lock: probes.WatchedLock | None) -> probes.WatchedCounter:
        made.append(probes.WatchedCounter(raw, lock, str(folder), os.getpid(), False, arrival))
        return made[-1]

    def value(typecode_or_type: Any, *args: Any, lock: Any = True, ctx: Any = None) -> Any:
        raw = real_raw(typecode_or_type, *args)
        tools.tracer.record("Value", None, f"lock={lock!r:.20}", depth=2)
        if lock is False:
            unlocked.append("Value lock=False")
            return watched(raw, None)
        inner = (ctx or multiprocessing.get_context()).RLock() if lock in (True, None) else lock
        return watched(raw, probes.WatchedLock(inner, arrival))

    def raw_value(typecode_or_type: Any, *args: Any) -> Any:
        tools.tracer.record("RawValue", None, "", depth=2)
        unlocked.append("RawValue")
        return watched(real_raw(typecode_or_type, *args), None)

    parallel_count = student.function("parallel_count", "processes", "times")
    # multiprocessing.Value and every context's Value look these names up at each call
    multiprocessing.sharedctypes.Value, multiprocessing.sharedctypes.RawValue = value, raw_value
    try:
        returned = parallel_count(params.processes, params.times)
    finally:
        multiprocessing.sharedctypes.Value, multiprocessing.sharedctypes.RawValue = real_value, real_raw
    running, unjoined = tools.running(), tools.unjoined()
    workers = tuple(sorted({int(record["pid"]) for record in probes.notes(gate.folder, "worker-")}))
    violations = sorted({kind for counter in made for kind in counter.violations()})
    return Counted(
        describe(returned),
        sum(counter.has_lock for counter in made),
        tuple(unlocked),
        gate.broken,
        tuple(gate.arrival_pids()),
        workers,
        tuple(running),
        tuple(unjoined),
        tuple(violations),
        tuple(tools.tracer.calls),
        tuple(tools.tracer.started),
        tuple(counter._probe_final_value() for counter in made if counter.has_lock),
        any(counter.overwritten() for counter in made),
    )
