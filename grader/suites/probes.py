"""Instruments the hidden suites hand to a submission; most of them run in its child processes.

Everything that crosses into a child is a top-level function or class, so it pickles by
reference under fork, spawn and forkserver alike, and this module imports only the standard
library: a spawned child imports it before running a task. Probes report through files in a
folder (not through queues or managers) so that a probe cannot deadlock on the very mistakes it
is there to observe, and so that the test can read what every process did after the fact.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POLL = 0.002  # seconds between looks at a gate's folder: cheap, and far below any timeout


def note(folder: str | os.PathLike[str], name: str, **data: Any) -> None:
    """Write a small JSON record atomically, so a reader never sees half of it."""
    path = Path(folder, name)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_text(json.dumps(data))
    os.replace(partial, path)


def notes(folder: str | os.PathLike[str], prefix: str) -> list[dict[str, Any]]:
    """Every record whose name starts with ``prefix``, oldest first."""
    paths = sorted(Path(folder).glob(f"{prefix}*"), key=lambda path: path.stat().st_mtime_ns)
    return [json.loads(path.read_text()) for path in paths]


class GateBroken(Exception):
    """Not every party reached a gate in time: the processes did not run at the same time."""


@dataclass(frozen=True)
class Gate:
    """A one-shot barrier across processes: it opens once ``parties`` processes stand at it.

    It pickles as a folder name, so it travels in ``Process`` arguments, ``Pool`` tasks and the
    counter of exercise 3 under every start method (a ``multiprocessing.Barrier`` cannot ride
    in a Pool task). Each arrival leaves a file naming its PID, which proves that the parties
    were distinct processes alive at the same time: no timing is measured, only who arrived.
    """

    folder: str
    parties: int
    timeout: float  #: how long an early arrival waits for the others before giving up

    @classmethod
    def create(cls, folder: Path, parties: int, timeout: float) -> Gate:
        (folder / "arrived").mkdir(parents=True)
        return cls(str(folder), parties, timeout)

    def arrive(self) -> None:
        """Wait until ``parties`` processes have arrived; raise ``GateBroken`` if they do not."""
        arrived = Path(self.folder, "arrived")
        if self.broken:  # once broken, broken for every later arrival too
            raise GateBroken("the other processes gave up waiting for this one")
        me = f"{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
        (arrived / me).touch()
        deadline = time.monotonic() + self.timeout
        while len(os.listdir(arrived)) < self.parties:
            if self.broken or time.monotonic() > deadline:
                Path(self.folder, "broken").touch()
                count = len(os.listdir(arrived))
                raise GateBroken(f"only {count} of {self.parties} processes were running at the same time")
            time.sleep(POLL)

    @property
    def broken(self) -> bool:
        return Path(self.folder, "broken").exists()

    def arrivals(self) -> list[tuple[int, int]]:
        """(PID, thread id) of each arrival: one PID with several threads means a thread pool."""
        names = os.listdir(Path(self.folder, "arrived"))
        return [(int(pid), int(thread)) for pid, thread, _ in (name.split("-") for name in names)]

    def arrival_pids(self) -> list[int]:
        return [pid for pid, _ in self.arrivals()]


# --- exercise 1: targets that report which process ran them --------------------------------


def report(folder: str, *args: Any) -> None:
    """Note which process ran, with which arguments."""
    note(folder, f"ran-{os.getpid()}", pid=os.getpid(), args=[repr(arg) for arg in args])


def report_then_exit(folder: str, code: int) -> None:
    report(folder)
    sys.exit(code)


def report_then_raise(folder: str) -> None:
    report(folder)
    raise RuntimeError("raised on purpose by the grader's target, to see the exit code")


def report_when_done(folder: str, seconds: float) -> None:
    """Work a little, then note that the work is done: a parent that did not wait misses it."""
    report(folder)
    time.sleep(seconds)
    note(folder, f"done-{os.getpid()}", pid=os.getpid())


# --- exercise 2: targets that must all be alive at once ------------------------------------


def meet(gate: Gate, index: int, code: int, linger: float = 0.0) -> None:
    """Wait at the gate with every sibling, stay ``linger`` seconds, then exit with ``code``."""
    note(gate.folder, f"ran-{index}", pid=os.getpid(), index=index)
    gate.arrive()
    time.sleep(linger)
    sys.exit(code)


def meet_then_finish_last_first(gate: Gate, index: int, code: int) -> None:
    """Meet every sibling, then finish in reverse order: the last started ends first.

    A parent that reports exit codes in the order the processes ended gets them reversed.
    """
    gate.arrive()
    if index + 1 < gate.parties:
        wait_for(Path(gate.folder, f"finished-{index + 1}"), gate.timeout)
    Path(gate.folder, f"finished-{index}").touch()
    sys.exit(code)


def meet_then_outlast_a_reaped_sibling(gate: Gate, index: int, code: int, patience: float) -> None:
    """Meet every sibling; the others exit at once, the first only after one of them is reaped.

    A parent that collects exit codes as processes end has reaped a sibling by then, so it
    sees the first process end last, whatever the load: the order it reports is wrong every
    time. A parent that joins in order reaps nothing before the first ends: the first gives up
    waiting after ``patience`` seconds. (Under forkserver the fork server reaps at once, so
    this only tells the two apart under fork and spawn.)
    """
    gate.arrive()
    if index == 0:
        siblings = [pid for pid in gate.arrival_pids() if pid != os.getpid()]
        deadline = time.monotonic() + patience
        while not any(reaped(pid) for pid in siblings) and time.monotonic() < deadline:
            time.sleep(POLL)
    sys.exit(code)


def reaped(pid: int) -> bool:
    """Gone for good: a zombie still answers signal 0, a reaped process does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def wait_for(path: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


# --- exercise 3: a shared counter that audits how it is used -------------------------------


_ARRIVED: set[str] = set()  # gates this process stood at; a forked child starts with its creator's: none


@dataclass(frozen=True)
class Arrival:
    """A child process's first use of the counter or its lock, which waits at ``gate``."""

    gate: Gate
    creator: int  #: the process that made the counter: it never waits

    def arrive(self) -> None:
        if os.getpid() == self.creator or self.gate.folder in _ARRIVED:
            return
        _ARRIVED.add(self.gate.folder)
        note(self.gate.folder, f"worker-{os.getpid()}", pid=os.getpid())
        self.gate.arrive()


class WatchedLock:
    """Wraps the counter's real lock and tracks, per thread, whether this process holds it.

    ``epoch`` counts acquisitions, so the counter can tell one critical section from two. A child
    waits at the gate *before* its first acquisition: waiting while holding the lock would stop
    the others from ever arriving.
    """

    def __init__(self, lock: Any, arrival: Arrival | None = None) -> None:
        self._lock = lock
        self.arrival = arrival
        self._local = threading.local()

    def __reduce__(self) -> tuple[Any, ...]:
        return (WatchedLock, (self._lock, self.arrival))

    def arrive(self) -> None:
        if self.arrival is not None:
            self.arrival.arrive()

    @property
    def held(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    @property
    def epoch(self) -> int:
        return getattr(self._local, "epoch", 0)

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        self.arrive()
        got = self._lock.acquire(block, timeout) if timeout is not None else self._lock.acquire(block)
        if got:
            depth = getattr(self._local, "depth", 0)
            if depth == 0:
                self._local.epoch = self.epoch + 1
            self._local.depth = depth + 1
        return bool(got)

    def release(self) -> None:
        self._local.depth = getattr(self._local, "depth", 0) - 1
        self._lock.release()

    __enter__ = acquire

    def __exit__(self, *exc: object) -> None:
        self.release()


class WatchedCounter:
    """Stands in for ``multiprocessing.Value('i', 0)`` and notes each unsafe update.

    A write is safe when this thread holds ``get_lock()`` and, if it read the value since its
    last write, read it while holding the lock in the same acquisition. Violations are noted as
    files in ``folder``: that catches a lost update deterministically, every time, where
    counting lost updates only catches them with some probability. Unless ``audit_creator``,
    only child processes are audited; their first use waits at the lock's gate, if it has one,
    which proves that the workers ran at the same time.
    """

    def __init__(self, raw: Any, lock: WatchedLock, folder: str, creator: int, audit_creator: bool = True) -> None:
        self._raw = raw
        self._lock = lock
        self._folder = folder
        self._creator = creator
        self._audit_creator = audit_creator
        self._local = threading.local()
        self.acquire = lock.acquire
        self.release = lock.release

    def __reduce__(self) -> tuple[Any, ...]:
        from multiprocessing.context import assert_spawning

        assert_spawning(self)  # like a real Value: shared memory only travels to new processes
        return (WatchedCounter, (self._raw, self._lock, self._folder, self._creator, self._audit_creator))

    def __repr__(self) -> str:
        return f"<Synchronized wrapper for c_int({self._raw.value})>"

    def __enter__(self) -> bool:
        return self._lock.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__(*exc)

    def get_lock(self) -> WatchedLock:
        self._lock.arrive()
        return self._lock

    def get_obj(self) -> Any:
        return self._raw

    @property
    def value(self) -> int:
        if self._audited():
            self._lock.arrive()
            self._local.read_epoch = self._lock.epoch if self._lock.held else None
        return int(self._raw.value)

    @value.setter
    def value(self, new: int) -> None:
        if self._audited():
            self._lock.arrive()
            if not self._lock.held:
                self._violation("unlocked-write")
            elif getattr(self._local, "read_epoch", self._lock.epoch) != self._lock.epoch:
                self._violation("split")
            self._local.read_epoch = self._lock.epoch
        self._raw.value = new

    def _audited(self) -> bool:
        return self._audit_creator or os.getpid() != self._creator

    def _violation(self, kind: str) -> None:
        if not getattr(self._local, kind, False):
            self._local.__dict__[kind] = True
            note(self._folder, f"violation-{kind}-{os.getpid()}", kind=kind, pid=os.getpid())

    # what the suite reads after the fact, bypassing the audit
    @property
    def raw_value(self) -> int:
        return int(self._raw.value)

    def violations(self) -> set[str]:
        return {record["kind"] for record in notes(self._folder, "violation-")}


# --- exercise 4: pool tasks ----------------------------------------------------------------


def meet_in_pool(gate: Gate) -> int:
    """A pool task that only returns once every worker holds a task at the same time."""
    gate.arrive()
    return os.getpid()


def square_first_one_last(task: tuple[str, int, float]) -> int:
    """Square ``n``; the task for 0 waits until another task has finished, when it can.

    That makes the results complete out of order, so a ``pool_map`` that collects results as
    they finish returns them out of order, while ``Pool.map`` keeps them in order. The wait is
    bounded, so a pool of one worker is slow here rather than stuck.
    """
    folder, n, patience = task
    if n == 0:
        deadline = time.monotonic() + patience
        while not any(Path(folder).glob("squared-*")) and time.monotonic() < deadline:
            time.sleep(POLL)
    Path(folder, f"squared-{n}").touch()
    return n * n


# --- exercise 5: queues that behave like a slow producer, and traced items -----------------


class ConsumerWaitsForever(Exception):
    """The consumer asked for an item after the last sentinel: it would block forever."""


class SlowProducerQueue:
    """A queue whose producer is slower than the consumer: the honest worst case for ``empty()``.

    An item only "arrives" when the consumer waits for it: a blocking ``get()``, or a few polls
    of ``empty()``/``get_nowait()``. The first ``get(timeout=...)`` times out, as it would when the
    producer pauses. A consumer that stops on ``empty()`` or on a timeout therefore stops early,
    deterministically; a consumer that blocks until the sentinel gets every item.
    """

    POLLS_PER_ITEM = 3

    def __init__(self, items: list[Any]) -> None:
        self._items = list(items)
        self._polls = 0
        self._timed_out_once = False
        self.calls: list[str] = []

    def _deliver(self) -> Any:
        if not self._items:
            raise ConsumerWaitsForever("asked for an item after the last one")
        self._polls = 0
        return self._items.pop(0)

    def _arrived(self) -> bool:
        self._polls += 1
        return bool(self._items) and self._polls > self.POLLS_PER_ITEM

    def empty(self) -> bool:
        self.calls.append("empty")
        return not self._arrived()

    def qsize(self) -> int:
        self.calls.append("qsize")
        return 1 if self._arrived() else 0

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if not block:
            return self.get_nowait()
        if timeout is not None:
            self.calls.append("get-timeout")
            if not self._timed_out_once:
                self._timed_out_once = True
                raise queue.Empty
        else:
            self.calls.append("get")
        return self._deliver()

    def get_nowait(self) -> Any:
        self.calls.append("get_nowait")
        if not self._arrived():
            raise queue.Empty
        return self._deliver()

    @property
    def remaining(self) -> list[Any]:
        return list(self._items)


class RecordingQueue:
    """Stands in for a queue that is only written to: it keeps what was put, in order."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.items.append(item)

    def put_nowait(self, item: Any) -> None:
        self.items.append(item)


class Traced:
    """An item that records the PID of every process that pickles it.

    Queues pickle what they carry in the sending process, so an item that went from a producer
    process through a consumer process comes back with both PIDs in its ``trail``.
    """

    def __init__(self, value: int, trail: tuple[int, ...] = ()) -> None:
        self.value = value
        self.trail = trail

    def __reduce__(self) -> tuple[Any, ...]:
        return (Traced, (self.value, (*self.trail, os.getpid())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Traced) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"item {self.value}"
