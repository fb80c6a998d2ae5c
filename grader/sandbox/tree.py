"""Find a sandbox's processes from the host, and kill them for good.

Killing is freeze-then-kill: a stopped process cannot fork any more, so a fork bomb cannot outrun
the sweep. At the process level, where the sandbox shares the grader's user, its processes are
found by parentage, by session and by a token in their environment; at the other levels by the
sandbox's own user id or PID namespace.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable

import psutil


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


def of_session_or_token(session: int, token: str) -> list[psutil.Process]:
    """Living processes of a process-level sandbox found without parentage: members of its session,
    and processes whose environment holds ``MPGRADE_TOKEN=token``."""
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


def of_user(uid: int) -> list[psutil.Process]:
    """Living processes whose real or effective user id is ``uid``."""
    found = []
    for process in psutil.process_iter(["uids"]):
        uids = process.info["uids"]
        if uids is not None and uid in (uids.real, uids.effective):
            found.append(process)
    return living(found)


def in_namespace(inode: int) -> list[psutil.Process]:
    """Living processes in the PID namespace with this inode."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(OSError):
            if os.stat(f"/proc/{process.pid}/ns/pid").st_ino == inode:
                found.append(process)
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


def memory_mb(family: list[psutil.Process]) -> float:
    """Resident memory of ``family``; pages shared after a fork count once."""
    total = 0
    for process in family:
        try:
            info = process.memory_info()
            total += info.rss - getattr(info, "shared", 0)
        except psutil.Error:
            pass
    return total / (1024 * 1024)
