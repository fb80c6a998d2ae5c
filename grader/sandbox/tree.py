"""Find every process of a submission, wherever it went, and kill it for good.

Used from both sides of the sandbox: the pytest process cleans up after each check, and the
grader sweeps the whole tree when an exercise ends. Killing is freeze-then-kill: a stopped
process cannot fork any more, so a fork bomb cannot outrun the sweep.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable

import psutil

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux), so double forks stay in its tree."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)


def living(processes: Iterable[psutil.Process]) -> list[psutil.Process]:
    """Those that have not ended (a zombie has ended; it only waits to be reaped)."""
    result = []
    for process in processes:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                result.append(process)
        except psutil.Error:
            pass
    return result


def descendants(pid: int) -> list[psutil.Process]:
    """The living processes below ``pid``."""
    try:
        return living(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return []


def sandboxed(session: int, token: str) -> list[psutil.Process]:
    """Living processes of a sandbox, found without relying on parentage.

    Members of its session (the sandbox starts one), and processes whose environment holds
    ``MPGRADE_TOKEN=token``: a process that called ``setsid`` and double-forked away from the
    tree still inherited the sandbox's environment.
    """
    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():
            continue
        try:
            if _session(process.pid) == session or process.environ().get("MPGRADE_TOKEN") == token:
                found.append(process)
        except psutil.Error:
            pass
    return living(found)


def _session(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


def kill_all(find: Callable[[], list[psutil.Process]], patience: float = 10.0) -> int:
    """Freeze, then kill, every process ``find`` returns, until it returns none.

    Returns how many processes were killed. ``find`` is called again after each round, so
    children forked while the sweep ran are found too.
    """
    killed: set[int] = set()
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        frozen = _freeze(find)
        if not frozen:
            return len(killed)
        for process in frozen:
            _signal(process, signal.SIGKILL)
            killed.add(process.pid)
        _until_dead(frozen, timeout=0.5)
    return len(killed)


def _until_dead(processes: list[psutil.Process], timeout: float) -> None:
    """Wait until each process has died, without reaping it: ``psutil.wait_procs`` would reap our
    own children, and multiprocessing's ``join()`` of them would then fail."""
    deadline = time.monotonic() + timeout
    while living(processes) and time.monotonic() < deadline:
        time.sleep(0.005)


def _freeze(find: Callable[[], list[psutil.Process]]) -> list[psutil.Process]:
    """SIGSTOP everything ``find`` returns, and what appears meanwhile, until nothing new does."""
    frozen: dict[int, psutil.Process] = {}
    for _ in range(100):
        fresh = [process for process in find() if process.pid not in frozen]
        if not fresh:
            break
        for process in fresh:
            _signal(process, signal.SIGSTOP)
            frozen[process.pid] = process
    return list(frozen.values())


def _signal(process: psutil.Process, signum: int) -> None:
    with contextlib.suppress(psutil.Error):
        process.send_signal(signum)


def reap_orphans(known: set[int]) -> None:
    """Collect the exit status of dead children this process adopted as subreaper.

    Children in ``known`` belong to someone who will wait for them (multiprocessing's own
    ``Process`` objects): reaping them here would make their ``join()`` lose the exit code.
    """
    for child in psutil.Process().children():
        if child.pid in known:
            continue
        try:
            if child.status() == psutil.STATUS_ZOMBIE:
                os.waitpid(child.pid, os.WNOHANG)
        except (psutil.Error, ChildProcessError):
            pass
