"""Scenarios for exercise 4: ``pool_map(func, items, processes=4)``, ``square``, ``parallel_squares``."""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
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
    by_hand: tuple[int, ...] = ()  #: those its own lines started, not a Pool on its behalf


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
        tuple(tools.tracer.by_hand),
    )


@dataclass(frozen=True)
class OrderParams:
    items: tuple[int, ...]
    processes: int


@dataclass(frozen=True)
class Ordered:
    returned: Value
    calls: tuple[Call, ...]


def held_back(count: int) -> tuple[int, ...]:
    """The positions whose task waits until the result of a later item has reached the parent: the first
    and the middle one. Results gathered as they come are then out of order for every part of the items
    that holds one of them and an item after it (all of them, all but the first, the first half, the last
    half...); and two held tasks leave a pool of 3 workers one to go on with, whatever its chunks."""
    return (0, count // 2) if count >= 4 else (0,)


def _tasks_in(value: Any, known: dict[Any, int], depth: int = 0) -> set[int]:
    """The positions of the order scenario's tasks in what the parent handed a pool (lists and tuples only:
    nothing of the student's own is iterated here)."""
    if type(value) is tuple and len(value) == 5 and all(type(part) in (str, int, float) for part in value):
        return {known[value]} if value in known else set()  # hashed only when made of str, int and float
    if type(value) in (list, tuple) and depth < 4:
        return {position for part in value[:10_000] for position in _tasks_in(part, known, depth + 1)}
    return set()


def _numbers_in(value: Any, depth: int = 0) -> list[int]:
    """The ints in a result that reached the parent (in lists and tuples: a chunk's results, ``(ok, value)``)."""
    if type(value) is int:
        return [value]
    if type(value) in (list, tuple) and depth < 4:
        return [number for part in value[:10_000] for number in _numbers_in(part, depth + 1)]
    return []


MAPS = ("Pool.map", "Pool.map_async", "Pool.imap", "Pool.imap_unordered", "Pool.starmap", "Pool.starmap_async")
BLOCKING = ("Pool.map", "Pool.starmap")  #: return once every result of the call has come


@scenario(OrderParams, Ordered)
def order(student: Student, params: OrderParams, tools: Tools) -> Ordered:
    """pool_map of a task whose first and middle items' results only come after the result of a later item
    has reached the parent: results gathered as they come, of all the items or of a part of them (all but
    the first, say), are out of order on every run. The judge gives items of distinct squares, so that each
    result that reaches the parent tells which item it is of.

    A held task goes on at once when no later item can come first: handed to a pool of one worker, or when the
    parent waits, until they have all come, for the results of a call whose tasks hold it (``apply``,
    ``apply_async(...).get()``, ``map``, a chunk of all the items...) while no later item was handed to the
    pool in another task. Otherwise it waits at most ``hold_timeout``, then goes on by itself."""
    cores(DEFAULT_SIZE)
    holds = {position: str(tools.folder("hold", listable=True)) for position in held_back(len(params.items))}
    first = holds[min(holds)]
    tasks = [
        (holds.get(position, first), 0 if position in holds else position, n, tools.hold_timeout, os.getpid())
        for position, n in enumerate(params.items)
    ]  # square_first_one_last holds the tasks at position 0, each until its own folder has a note
    known = {task: position for position, task in enumerate(tasks)}
    squares: dict[int, list[int]] = {}
    for position, n in enumerate(params.items):
        squares.setdefault(n * n, []).append(position)
    lock = threading.Lock()  # results are received in the pool's own thread
    handed: list[frozenset[int]] = []  #: the positions in each task handed to the pool (a chunk of a map's)
    owned: dict[int, list[int]] = {}  #: id(a call's result) -> the indexes of its tasks in handed
    kept: list[Any] = []  # those results, alive so that their ids are not reused
    arrived: set[int] = set()  #: positions whose result has reached the parent
    sizes: dict[int, int] = {}  #: id(pool) -> its number of workers
    just: list[list[int]] = [[]]  #: the tasks of the call being made
    unseen = [False]  # items handed to the pool in a form not looked into (a generator): any could be later

    def free(position: int) -> None:
        probes.touch(holds[position], "received-none")

    def chunks(pool: Any, api: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[frozenset[int]]:
        """The tasks of a map-like call: its items, ``chunksize`` at a time, as ``Pool`` cuts them."""
        items = kwargs.get("iterable", args[1] if len(args) > 1 else None)
        size = kwargs.get("chunksize", args[2] if len(args) > 2 else None)
        if not isinstance(items, (list, tuple)) or type(items) not in (list, tuple):
            unseen[0] = True
            return []
        if not items:
            return []
        if size is None:  # as Pool cuts them: one at a time for imap, four chunks per worker for map
            size = (
                1
                if api in ("Pool.imap", "Pool.imap_unordered")
                else -(-len(items) // (4 * sizes.get(id(pool), DEFAULT_SIZE)))
            )
        if type(size) is not int or size < 1:
            unseen[0] = True
            return []
        return [
            frozenset(position for item in items[start : start + size] for position in _tasks_in(item, known))
            for start in range(0, len(items), size)
        ]

    def waits_for(indexes: list[int]) -> None:
        """The parent blocks until the results of the tasks ``handed[i]`` have all come: a held task among
        them goes on if no later item is in another task (none can come first)."""
        if unseen[0]:
            return
        mine = {position for index in indexes for position in handed[index]}
        others = {position for index, task in enumerate(handed) if index not in indexes for position in task}
        for position in holds.keys() & mine:
            if not any(later > position for later in others):
                free(position)

    def listen(when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if when == "received":
            for number in _numbers_in(args[1:]):
                positions = squares.get(number, [])
                if len(positions) == 1:
                    with lock:
                        arrived.add(positions[0])
                    for position in holds:
                        if position < positions[0]:
                            probes.touch(holds[position], f"received-{positions[0]}")
        elif when == "enter" and api == "Pool.__init__":
            size = kwargs.get("processes", args[0] if args else None)
            sizes[id(obj)] = size if type(size) is int and size > 0 else DEFAULT_SIZE
        elif when == "enter" and api in (*MAPS, "Pool.apply_async"):
            made = (
                chunks(obj, api, args, kwargs)
                if api in MAPS
                else [frozenset(_tasks_in((args, kwargs.get("args")), known))]
            )
            just[0] = list(range(len(handed), len(handed) + len(made)))
            handed.extend(made)
            if sizes.get(id(obj)) == 1:  # one worker runs them one after the other: none can come first
                for position in holds.keys() & {position for task in made for position in task}:
                    free(position)
            if api in BLOCKING:
                waits_for(just[0])
        elif when == "exit" and api in (*MAPS, "Pool.apply_async") and api not in BLOCKING:
            owned[id(result)] = just[0]
            kept.append(result)
        elif when == "enter" and api in ("ApplyResult.get", "ApplyResult.wait") and id(obj) in owned:
            timeout = kwargs.get("timeout", args[0] if args else None)
            if timeout is None or (isinstance(timeout, (int, float)) and timeout >= tools.hold_timeout):
                waits_for(owned[id(obj)])
        elif when == "enter" and api == "IMapIterator.next" and id(obj) in owned:
            with lock:
                pending = [index for index in owned[id(obj)] if not handed[index] <= arrived]
            if len(pending) == 1:  # the next result can only be this task's
                waits_for(pending)

    tools.tracer.listeners.append(listen)
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
