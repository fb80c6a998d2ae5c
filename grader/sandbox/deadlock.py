"""Seen from outside: are all of a scenario's processes blocked for good (a deadlock)?

A deadlocked check would otherwise cost its whole time limit. From the host, the grader reads what
every thread of the scenario's processes is waiting in (``/proc/<pid>/task/<tid>/syscall``): a read
from a pipe, a lock, a ``join``, all without a timeout. When every thread of every process is in
such a wait, and none of them has run between two looks, nothing inside can ever wake them: the
scenario is stopped at once, and it is the same verdict the time limit would have given, on every
run. A ``poll`` whose timeout is at least the check's whole time counts as a wait for good too:
it cannot end before the time limit would (the probes' gates wait so). A sleep, a shorter timeout,
a running thread or a process this side may not inspect (the process level, where the sandbox
shares the grader's user) means "not certain", and the time limit decides as before.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable

WNOHANG = 1
LOCK_NB = 4
FUTEX_WAITS = {0, 6, 9, 11, 13}  # WAIT, LOCK_PI, WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2

Args = list[int]
Wait = Callable[[Args, int], bool]  #: (a system call's arguments, the horizon in ms) -> waits for good?


def _minus_one(value: int) -> bool:
    return value & 0xFFFFFFFF == 0xFFFFFFFF


def _forever(_: Args, horizon: int) -> bool:
    return True


def _write(args: Args, horizon: int) -> bool:
    """A write that blocks waits for a reader; except on stdout and stderr, which the runner reads."""
    return args[0] not in (1, 2)


def _futex(args: Args, horizon: int) -> bool:
    return args[1] & 127 in FUTEX_WAITS and args[3] == 0


def _null(index: int) -> Wait:
    return lambda args, horizon: args[index] == 0


def _infinite(index: int) -> Wait:
    return lambda args, horizon: _minus_one(args[index])


def _beyond_horizon(index: int) -> Wait:
    """A timeout in milliseconds: none (-1), or one at least as long as the whole check may run,
    which cannot end before the check's time is up (the probes' gates sleep so)."""
    return lambda args, horizon: _minus_one(args[index]) or (args[index] & 0xFFFFFFFF) in range(horizon, 2**31)


def _no_wnohang(index: int) -> Wait:
    return lambda args, horizon: not args[index] & WNOHANG


def _blocking_flock(args: Args, horizon: int) -> bool:
    """``flock`` waits until the holder lets go, unless asked not to (``LOCK_NB``)."""
    return not args[1] & LOCK_NB


#: system call number -> does it wait without a timeout, given its arguments?
WAITS: dict[str, dict[int, Wait]] = {
    "x86_64": {
        0: _forever, 17: _forever, 19: _forever, 34: _forever, 43: _forever, 45: _forever, 47: _forever,
        130: _forever, 288: _forever,
        1: _write, 18: _write, 20: _write, 44: _write, 46: _write,
        7: _beyond_horizon(2), 23: _null(4), 61: _no_wnohang(2), 73: _blocking_flock, 202: _futex, 232: _infinite(3),
        247: _no_wnohang(3), 270: _null(4), 271: _null(2), 281: _infinite(3), 299: _null(4), 441: _null(3),
        449: _null(3),
    },
    "aarch64": {
        63: _forever, 65: _forever, 67: _forever, 133: _forever, 202: _forever, 207: _forever, 212: _forever,
        242: _forever,
        64: _write, 66: _write, 68: _write, 206: _write, 211: _write,
        22: _infinite(3), 32: _blocking_flock, 72: _null(4), 73: _null(2), 95: _no_wnohang(3), 98: _futex,
        243: _null(4),
        260: _no_wnohang(2), 441: _null(3), 449: _null(3),
    },
}  # fmt: skip

Snapshot = dict[tuple[int, int], int]  # (pid, thread) -> nanoseconds it has run


def snapshot(pids: list[int], horizon: float = float("inf")) -> Snapshot | None:
    """How long each thread has run, if every thread of ``pids`` waits for good (or for at least
    ``horizon`` seconds: the check's whole time); else None."""
    table = WAITS.get(platform.machine())
    if table is None or not pids:
        return None
    taken: Snapshot = {}
    for pid in pids:
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return None
        for tid in threads:
            ran = _waiting_for_good(pid, int(tid), table, int(min(horizon * 1000, 2**31 - 1)))
            if ran is None:
                return None
            taken[pid, int(tid)] = ran
    return taken


def _waiting_for_good(pid: int, tid: int, table: dict[int, Wait], horizon: int) -> int | None:
    folder = f"/proc/{pid}/task/{tid}"
    try:
        with open(f"{folder}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
        if state in ("Z", "X"):
            return 0  # ended: waits for nothing
        with open(f"{folder}/schedstat") as schedstat:
            ran = int(schedstat.read().split()[0])
        if state in ("T", "t"):
            return ran  # stopped: only another process could continue it
        if state != "S":
            return None
        with open(f"{folder}/syscall") as syscall:
            fields = syscall.read().split()
    except (OSError, ValueError, IndexError):
        return None  # gone, or not ours to inspect: not certain
    if not fields or not fields[0].isdigit():
        return None  # running, or not in a system call
    number, args = int(fields[0]), [int(field, 16) for field in fields[1:7]]
    waits = table.get(number)
    return ran if waits is not None and len(args) == 6 and waits(args, horizon) else None


def deadlocked(before: Snapshot | None, now: Snapshot | None) -> bool:
    """Two looks, every thread waiting for good in both, and none has run in between."""
    return before is not None and now is not None and before == now
