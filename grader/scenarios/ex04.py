"""Scenarios for exercise 4: ``pool_map(func, items, processes=4)``, ``square``, ``parallel_squares``."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import child, probes
from .records import Call, Value
from .scenario import Tools, scenario
from .student import Student, describe
from .waits import PoolReads, PoolWatch

DEFAULT_SIZE = 2  # what Pool() makes (but in the workers scenario), whatever the machine


def cores(count: int) -> None:
    """Make this process say the machine has ``count`` cores: what ``Pool()`` makes, whatever the sandbox
    was told (each scenario chooses the size its observation needs)."""
    child.set_cores(count)


def held(func: Any, tools: Tools) -> probes.HeldTask:
    """``func`` as a pool task that starts only once the parent asks for the results: tasks of a pool
    closed before its results are read then never finish, on every run."""
    release = tools.release()
    PoolReads(tools.tracer, release)
    return probes.HeldTask(func, release)


def pool_map(student: Student) -> Any:
    return student.function("pool_map", "func", "items", "processes=4")


@dataclass(frozen=True)
class Numbers:
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Squared:
    results: tuple[Value, ...]  #: square(n) for each number


@scenario(Numbers, Squared, per_start_method=False)
def square(student: Student, params: Numbers, tools: Tools) -> Squared:
    function = student.function("square", "n")
    return Squared(tuple(describe(function(n)) for n in params.numbers))


@dataclass(frozen=True)
class SquaresParams:
    numbers: tuple[int, ...]
    processes: int


@dataclass(frozen=True)
class PoolMapCall:
    items: Value
    processes: Value
    func: str  #: what parallel_squares handed pool_map, e.g. ``student:square``, ``lambda``


@dataclass(frozen=True)
class Squares:
    returned: Value
    pool_map_calls: tuple[PoolMapCall, ...]
    calls: tuple[Call, ...]


@scenario(SquaresParams, Squares)
def squares(student: Student, params: SquaresParams, tools: Tools) -> Squares:
    """parallel_squares, with the student's own pool_map recorded as it is called."""
    from .trace import target_kind

    cores(DEFAULT_SIZE)
    parallel_squares = student.function("parallel_squares", "numbers", "processes=4")  # named first when missing
    real = pool_map(student)
    release = tools.release()
    PoolReads(tools.tracer, release)
    seen: list[PoolMapCall] = []

    def recording(func: Any, items: Any, processes: Any = 4) -> Any:
        seen.append(
            PoolMapCall(
                describe(list(items) if isinstance(items, (list, tuple, range)) else items),
                describe(processes),
                target_kind(func),
            )
        )
        return real(probes.HeldTask(func, release), items, processes)

    vars(student.module)["pool_map"] = recording
    try:
        returned = parallel_squares(list(params.numbers), params.processes)
    finally:
        vars(student.module)["pool_map"] = real
    return Squares(describe(returned), tuple(seen), tuple(tools.tracer.calls))


@dataclass(frozen=True)
class WorkersParams:
    processes: int
    tasks: int


@dataclass(frozen=True)
class Workers:
    caller: int
    default_size: int  #: what Pool() made here: os.cpu_count() was set to this
    arrivals: tuple[tuple[int, int], ...]  #: (pid, thread) of each task at the gate
    broken: bool  #: the gate never opened: fewer workers were busy at once
    running: tuple[int, ...]  #: processes still running when pool_map returned (a pool left open)
    calls: tuple[Call, ...]
    started: tuple[int, ...] = ()  #: pids of the processes the student's code started (from its calls)


@scenario(WorkersParams, Workers)
def workers(student: Student, params: WorkersParams, tools: Tools) -> Workers:
    """pool_map with tasks that only return once ``processes`` workers hold one each. The machine
    is made to look as if it had one core fewer than ``processes``, so that a pool of the default
    size is too small on every machine."""
    default = max(1, params.processes - 1)
    cores(default)
    gate = tools.gate(params.processes)
    PoolWatch(tools.tracer, gate, default)
    with contextlib.suppress(
        probes.GateBroken
    ):  # a task gave up waiting, and pool.map raised it here: seen in the gate
        task = held(probes.meet_in_pool, tools)
        pool_map(student)(task, [probes.Ticket(gate, os.getpid())] * params.tasks, params.processes)
    running = tools.running()
    return Workers(
        os.getpid(),
        default,
        tuple(gate.arrivals()),
        gate.broken,
        tuple(running),
        tuple(tools.tracer.calls),
        tuple(tools.tracer.started),
    )


@dataclass(frozen=True)
class OrderParams:
    items: tuple[int, ...]
    processes: int


@dataclass(frozen=True)
class Ordered:
    returned: Value
    calls: tuple[Call, ...]


@scenario(OrderParams, Ordered)
def order(student: Student, params: OrderParams, tools: Tools) -> Ordered:
    """pool_map of a task whose first item's result only comes after another item's has reached the
    parent: results gathered as they come are out of order on every run."""
    folder = tools.folder("order")
    cores(DEFAULT_SIZE)

    def received(when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if when == "received":
            Path(folder, f"received-{id(obj)}-{args[0] if args else 0}").touch()
        elif when == "enter" and api == "Pool.apply":  # one task at a time: no other result can come first
            Path(folder, "received-none").touch()
        elif when == "enter" and api == "Pool.__init__":
            size = kwargs.get("processes", args[0] if args else None)
            if size == 1 or (size is None and DEFAULT_SIZE == 1):  # one worker: no other result can come first
                Path(folder, "received-none").touch()

    tools.tracer.listeners.append(received)
    tasks = [(str(folder), position, n, tools.hold_timeout, os.getpid()) for position, n in enumerate(params.items)]
    returned = pool_map(student)(held(probes.square_first_one_last, tools), tasks, params.processes)
    return Ordered(describe(returned), tuple(tools.tracer.calls))


@dataclass(frozen=True)
class AnyParams:
    items: tuple[int, ...]


@dataclass(frozen=True)
class AnyFunction:
    some: Value  #: pool_map(abs, items, 2)
    none: Value  #: pool_map(abs, [], 2)


@scenario(AnyParams, AnyFunction)
def any_function(student: Student, params: AnyParams, tools: Tools) -> AnyFunction:
    cores(DEFAULT_SIZE)
    function, task = pool_map(student), held(abs, tools)
    return AnyFunction(describe(function(task, list(params.items), 2)), describe(function(task, [], 2)))
