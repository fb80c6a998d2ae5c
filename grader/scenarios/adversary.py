"""Queues that answer like a producer that is always behind: the worst case, on every run.

With a real producer, ``q.empty()`` is True or False depending on who ran first, so a consumer that
trusts it loses items on some runs only. Here the answers that depend on timing always take the
unlucky side: ``empty()`` is True, ``qsize()`` is 0, a non-blocking ``get`` finds nothing, and
``get(timeout=...)`` times out at once ``probes.PATIENCE`` times in a row before each item it gets
(and, before the first, in a moment each time for ``probes.PATIENT_FOR`` seconds).
Blocking ``get()`` is untouched: code that waits for what it needs (blocking, or asking again until
something comes) is unaffected; code that guesses fails, every time.

Several consumers also take turns: a consumer's ``get()`` waits for the turn, which it keeps until
its next ``put()`` has been written to the pipe. What each consumer passes on then reaches ``out``
in the order the items left ``q``, on every run; without turns, a forwarded SENTINEL sometimes
overtakes the last items and sometimes not. The turn is an ``flock`` on a file of the scenario's,
so a consumer that dies gives it back.

Installed in the scenario's process and, through ``MPGRADE_QUEUES`` and ``child``, in every
process it starts under any start method.
"""

from __future__ import annotations

import fcntl
import multiprocessing.queues
import os
import queue
import time
from multiprocessing.reduction import ForkingPickler

from .probes import Sealed, arrived

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs each spawned child of a queue's scenario 4 ms to import
    from typing import Any

VARIABLE = "MPGRADE_QUEUES"  #: "<the scenario's pid>:<the turn's file>"


class Turn:
    """One child at a time, from a ``get()`` to its next ``put()``; never the scenario's process."""

    def __init__(self, setting: str) -> None:
        scenario, _, self.path = setting.partition(":")
        self.scenario = int(scenario) if scenario.isdigit() else 0
        self.fd: int | None = None
        self.owner = 0

    def mine(self) -> bool:
        return self.fd is not None and self.owner == os.getpid()

    def take(self) -> None:
        if self.mine() or os.getpid() == self.scenario or not self.path:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.fd, self.owner = fd, os.getpid()

    def give(self) -> None:
        if self.mine():
            fcntl.flock(self.fd, fcntl.LOCK_UN)  # type: ignore[arg-type]
            os.close(self.fd)  # type: ignore[arg-type]
            self.fd = None


def install(turns: str | None = None) -> None:
    """In the scenario's process, with ``turns`` (a file for the consumers' turn); in its children
    (``child.boot``), from the variable it set."""
    if turns is not None:
        os.environ[VARIABLE] = f"{os.getpid()}:{turns}"
    Queue = multiprocessing.queues.Queue
    if isinstance(Queue, Sealed):
        return
    real_put = Queue.put
    turn = Turn(os.environ.get(VARIABLE, ""))

    def put(self: Any, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        if not turn.mine():
            return real_put(self, obj, block, timeout)
        try:  # written now, not by the queue's feeder thread later: in order, before the next turn
            if self._closed:
                raise ValueError(f"Queue {self!r} is closed")
            if not self._sem.acquire(block, timeout):
                raise queue.Full
            data = ForkingPickler.dumps(obj)
            with self._wlock:
                self._writer.send_bytes(data)
        finally:
            turn.give()

    behind = _behind(Queue.get, turn)
    queues = multiprocessing.queues
    # sealed subclasses in the places of the module's classes (every context makes its queues from
    # these names, and pickles name them so): the student's code cannot put the real methods back
    queues.Queue = _sealed(Queue, {**behind, "put": put, "put_nowait": lambda self, obj: put(self, obj, False)})  # type: ignore[misc, assignment]
    queues.JoinableQueue = _sealed(queues.JoinableQueue, behind)  # type: ignore[misc, assignment] # its own put counts the tasks
    queues.SimpleQueue = _sealed(queues.SimpleQueue, {"empty": lambda self: True})  # type: ignore[misc, assignment]
    # a manager's queues are the standard library's, in the manager's process (which boots as every
    # process of the sandbox does): changed in place, as the manager registered the class itself
    for name, method in _behind(queue.Queue.get).items():
        setattr(queue.Queue, name, method)


def _behind(real_get: Any, turn: Turn | None = None) -> dict[str, Any]:
    """The methods of a queue whose producer is always behind, around its real ``get``."""
    timed_out: dict[int, int] = {}  # id(queue) -> its timed gets in a row that timed out, in this process
    first_look: dict[int, float] = {}  # id(queue) -> when this process first asked it with a timeout

    def get(self: Any, block: bool = True, timeout: float | None = None) -> Any:
        if not block:
            raise queue.Empty
        if timeout is not None:
            looks = timed_out[id(self)] = timed_out.get(id(self), 0) + 1
            if not arrived(looks, first_look.setdefault(id(self), time.monotonic())):
                raise queue.Empty
        if turn is not None:
            turn.take()
        item = real_get(self, block, timeout)
        timed_out.pop(id(self), None)  # the next item is behind again
        return item

    return {"empty": lambda self: True, "qsize": lambda self: 0, "get": get,
            "get_nowait": lambda self: get(self, False)}  # fmt: skip


def _sealed(real: type, methods: dict[str, Any]) -> type:
    for name, method in methods.items():  # the class behind, too: ``super(type(q), q).empty()`` reaches it
        setattr(real, name, method)
    replaced = Sealed(
        real.__name__, (real,), {**methods, "__module__": real.__module__, "__qualname__": real.__qualname__}
    )
    type.__setattr__(replaced, "_sealed", True)
    return replaced
