"""The CPython internals the kit relies on, in one place, each with a fallback.

multiprocessing does not publish the pids of its own helper processes or the names of the
functions its processes sit in; faulthandler's text has no documented format. The kit needs all of
these, so they are read here only, and ``tests/scenarios/internals.py`` checks each one on every
supported Python (``test_cpython.py`` on this one, ``tests/test_pythons.py`` on the others).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.heap
import multiprocessing.resource_tracker
import os
import re
from dataclasses import dataclass

from .records import Frame


def end_tracker_pipe() -> int | None:
    """Close this process's end of the resource tracker's pipe, as the end of a program would: with
    no writer left, the tracker unlinks the named semaphores and shared memory that processes
    registered and never unlinked (killed ones), then exits. Its pid, or None if there is none."""
    tracker = getattr(multiprocessing.resource_tracker, "_resource_tracker", None)
    fd, pid = getattr(tracker, "_fd", None), tracker_pid()
    if not isinstance(fd, int) or pid is None:
        return None
    try:
        os.close(fd)
    except OSError:
        return None
    tracker._fd = None  # type: ignore[union-attr]  # (so that nothing of this process writes to a closed one)
    return pid


def helper_pids() -> set[int]:
    """The fork server and resource tracker this process started: multiprocessing's, not the student's."""
    pids = {getattr(getattr(multiprocessing.forkserver, "_forkserver", None), "_forkserver_pid", None), tracker_pid()}
    return {pid for pid in pids if isinstance(pid, int) and pid > 0}


def tracker_pid() -> int | None:
    """The resource tracker this process started or inherited, if any."""
    pid = getattr(getattr(multiprocessing.resource_tracker, "_resource_tracker", None), "_pid", None)
    return pid if isinstance(pid, int) and pid > 0 else None


def arena_descriptors() -> list[int]:
    """The descriptors of the files under this process's shared memory (``Value``, ``Array``...)."""
    heap = getattr(multiprocessing.heap.BufferWrapper, "_heap", None)
    fds = (getattr(arena, "fd", -1) for arena in getattr(heap, "_arenas", ()))
    return [fd for fd in fds if isinstance(fd, int) and fd >= 0]


# Functions a multiprocessing process sits in, by what they mean: read in stack dumps.
BOOTSTRAP = ("_bootstrap", "process.py")  #: a child starts here; outer frames are its parent's, copied by fork
QUEUE_FLUSH = "_finalize_join"  #: a child that put items on a queue waits here at exit until they are read
EXIT_JOIN = "_exit_function"  #: a process at exit waits here for its own children
POOL_WORKER = "worker"  #: a pool worker waiting for a task
MANAGER = "serve_forever"  #: a manager's server process
HELPER_FILES = ("forkserver.py", "resource_tracker.py")  #: the fork server and resource tracker

THREAD_HEADER = re.compile(r"^(Current thread|Thread) 0x[0-9a-f]+")
FRAME = re.compile(r'^\s+File "(?P<file>.*)", line (?P<line>\d+) in (?P<function>.*)$')


@dataclass(frozen=True)
class ThreadStack:
    current: bool
    frames: tuple[Frame, ...]  #: innermost first, as faulthandler prints them


def parse_dump(text: str) -> list[ThreadStack]:
    """faulthandler's ``dump_traceback(all_threads=True)`` text, as threads of frames."""
    threads: list[ThreadStack] = []
    current = False
    frames: list[Frame] = []
    for line in text.splitlines():
        header = THREAD_HEADER.match(line)
        if header:
            if frames:
                threads.append(ThreadStack(current, tuple(frames)))
            current, frames = header.group(1) == "Current thread", []
            continue
        frame = FRAME.match(line)
        if frame:
            frames.append(Frame(frame["file"], int(frame["line"]), frame["function"]))
    if frames:
        threads.append(ThreadStack(current, tuple(frames)))
    return threads
