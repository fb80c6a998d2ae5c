"""Queues that answer like a producer that is always behind: the worst case, on every run.

With a real producer, ``q.empty()`` is True or False depending on who ran first, so a consumer that
trusts it loses items on some runs only. Here the answers that depend on timing always take the
unlucky side: ``empty()`` is True, ``qsize()`` is 0, a non-blocking ``get`` finds nothing, and the
first ``get(timeout=...)`` on a queue times out. Blocking ``get()`` is untouched: code that waits
for what it needs is unaffected; code that guesses fails, every time.

Installed in the scenario's process and, through ``MPGRADE_QUEUES`` and ``child``, in every
process it starts under any start method.
"""

from __future__ import annotations

import multiprocessing.queues
import os
import queue
from typing import Any

VARIABLE = "MPGRADE_QUEUES"


def install() -> None:
    os.environ[VARIABLE] = "behind"
    Queue = multiprocessing.queues.Queue
    if getattr(Queue, "_mpgrade_behind", False):
        return
    real_get = Queue.get
    timed_out: set[int] = set()  # queues whose first get(timeout=...) has timed out, in this process

    def get(self: Any, block: bool = True, timeout: float | None = None) -> Any:
        if not block:
            raise queue.Empty
        if timeout is not None and id(self) not in timed_out:
            timed_out.add(id(self))
            raise queue.Empty
        return real_get(self, block, timeout)

    Queue.empty = lambda self: True  # type: ignore[method-assign]
    Queue.qsize = lambda self: 0  # type: ignore[method-assign]
    Queue.get = get  # type: ignore[method-assign]
    Queue.get_nowait = lambda self: get(self, False)  # type: ignore[method-assign]
    multiprocessing.queues.SimpleQueue.empty = lambda self: True  # type: ignore[method-assign]
    Queue._mpgrade_behind = True  # type: ignore[attr-defined]
