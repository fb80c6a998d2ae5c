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
    pids = _all_pids()
    if pids is None:  # no /proc (macOS)
        return living(p for p in psutil.process_iter(["uids"]) if uid in (p.info["uids"] or ())[:2])
    return living(_processes(pid for pid in pids if uid in _real_and_effective_uid(pid)))


def users() -> set[int]:
    """The real user ids of every process on the machine."""
    pids = _all_pids()
    if pids is None:
        return {p.info["uids"].real for p in psutil.process_iter(["uids"]) if p.info["uids"]}
    return {uids[0] for uids in map(_real_and_effective_uid, pids) if uids}


def in_namespace(inode: int) -> list[psutil.Process]:
    """Living processes in the PID namespace with this inode."""
    return living(_processes(pid for pid in _all_pids() or () if _pid_namespace(pid) == inode))


# Every teardown scans every process of the machine several times (freeze, kill, look for
# survivors): reading /proc directly costs a tenth of psutil's scan, which builds a Process for
# each one; only the processes found become psutil Processes.


def _all_pids() -> list[int] | None:
    try:
        return [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return None


def _real_and_effective_uid(pid: int) -> tuple[int, ...]:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"Uid:"):
                    return tuple(int(field) for field in line.split()[1:3])
    except (OSError, ValueError):
        pass
    return ()


def _pid_namespace(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}/ns/pid").st_ino
    except OSError:
        return None


def _processes(pids: Iterable[int]) -> list[psutil.Process]:
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            found.append(psutil.Process(pid))
    return found


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


def stopped(pid: int) -> bool:
    """The process is stopped (SIGSTOP, SIGTSTP, a tracer), not gone and not running."""
    try:
        return psutil.Process(pid).status() in (psutil.STATUS_STOPPED, psutil.STATUS_TRACING_STOP)
    except psutil.Error:
        return False


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
