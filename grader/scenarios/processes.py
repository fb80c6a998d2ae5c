"""Processes as the runner sees them, from ``/proc``: who is there, and a kill that leaves none.

The runner cannot rely on anything a submission could change, so this is plain reading of
``/proc`` (Linux); elsewhere it asks ``ps``. Killing is freeze-then-kill: a stopped process
cannot fork any more, so a fork bomb cannot outrun the sweep.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    sid: int
    uid: int
    zombie: bool


def listing() -> list[Proc]:
    """Every process this process can see."""
    if not os.path.isdir("/proc/self"):
        return _from_ps()
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            proc = _read(int(name))
            if proc is not None:
                found.append(proc)
    return found


def _read(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read().decode(errors="replace")
        uid = os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None
    # the command name is in parentheses and may hold anything: the fields follow its last ")"
    fields = text[text.rindex(")") + 2 :].split()
    return Proc(pid, int(fields[1]), int(fields[3]), uid, fields[0] in ("Z", "X"))


def cpu_wait(pid: int) -> float:
    """Seconds the process (its main thread) has been ready to run but waited for a CPU, since it
    started: Linux's ``run_delay``. 0 where the system does not say."""
    try:
        with open(f"/proc/{pid}/schedstat", "rb") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def _from_ps() -> list[Proc]:
    done = subprocess.run(["ps", "-A", "-o", "pid=,ppid=,sess=,uid=,stat="], capture_output=True, text=True)
    found = []
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 5 and all(part.lstrip("-").isdigit() for part in parts[:4]):
            pid, ppid, sid, uid = (int(part) for part in parts[:4])
            found.append(Proc(pid, ppid, sid, uid, parts[4].startswith("Z")))
    return found


def descendants(root: int, procs: list[Proc]) -> list[Proc]:
    children: dict[int, list[Proc]] = {}
    for proc in procs:
        children.setdefault(proc.ppid, []).append(proc)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child.pid)
    return found


def kill_all(find: Callable[[], list[int]], rounds: int = 200) -> int:
    """Freeze, then kill, what ``find()`` returns (living processes), until it returns none."""
    killed: set[int] = set()
    for _ in range(rounds):
        frozen: dict[int, None] = {}
        for _ in range(50):  # stop whatever appears while we stop the others
            fresh = [pid for pid in find() if pid not in frozen]
            if not fresh:
                break
            for pid in fresh:
                _signal(pid, signal.SIGSTOP)
                frozen[pid] = None
        if not frozen:
            return len(killed)
        for pid in frozen:
            _signal(pid, signal.SIGKILL)
            killed.add(pid)
        reap()
        time.sleep(0.002)
    return len(killed)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signum)


def reap() -> dict[int, int]:
    """Collect every child of this process that has ended; their statuses, by pid."""
    ended = {}
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        ended[pid] = os.waitstatus_to_exitcode(status)
    return ended
