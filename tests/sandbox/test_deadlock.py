"""The deadlock detector: every process blocked for good is a deadlock; a wait that can end is not."""

from __future__ import annotations

import multiprocessing
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import wait_for

from grader.sandbox import deadlock
from grader.scenarios import probes

pytestmark = pytest.mark.skipif(platform.machine() not in deadlock.WAITS, reason="no system call table here")

HOLD_AND_WAIT = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[1] + ".held", "w").close()
os.read(os.pipe()[0], 1)  # no one will ever write: blocked for good, holding the lock
"""
TAKE = "import fcntl, os, sys; fcntl.flock(os.open(sys.argv[1], os.O_RDWR), fcntl.LOCK_EX)"
TRY_AGAIN_AND_AGAIN = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
while True:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        time.sleep(0.01)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A process that holds an ``flock`` on a file and then waits for good."""
    lock = tmp_path / "lock"
    process = subprocess.Popen([sys.executable, "-c", HOLD_AND_WAIT, str(lock)])
    wait_for(lambda: (tmp_path / "lock.held").exists(), "the lock taken")
    yield process, lock
    process.kill()
    process.wait()


def looks(pids: list[int], horizon: float = float("inf")) -> tuple[deadlock.Snapshot | None, deadlock.Snapshot | None]:
    """Two looks at ``pids``, the second once every one of them sits in a system call."""
    first = None
    for _ in range(300):  # bounded by a count: the processes may take a while to reach their waits
        first = deadlock.snapshot(pids, horizon)
        if first is not None:
            break
        time.sleep(0.01)
    time.sleep(0.05)
    return first, deadlock.snapshot(pids, horizon)


def test_a_process_waiting_for_an_flock_its_holder_never_gives_back_is_deadlocked(
    holder: tuple[subprocess.Popen[bytes], Path],
) -> None:
    process, lock = holder
    waiter = subprocess.Popen([sys.executable, "-c", TAKE, str(lock)])
    try:
        before, now = looks([process.pid, waiter.pid])
        assert deadlock.deadlocked(before, now)
    finally:
        waiter.kill()
        waiter.wait()


def test_a_process_that_tries_the_lock_again_and_again_is_not(holder: tuple[subprocess.Popen[bytes], Path]) -> None:
    process, lock = holder
    poller = subprocess.Popen([sys.executable, "-c", TRY_AGAIN_AND_AGAIN, str(lock)])
    try:
        wait_for(lambda: deadlock.snapshot([process.pid]) is not None, "the holder waiting")
        seen = [deadlock.snapshot([process.pid, poller.pid]) for _ in range(20)]
        assert not any(deadlock.deadlocked(a, b) for a, b in zip(seen, seen[1:], strict=False))
    finally:
        poller.kill()
        poller.wait()


def arrive(gate: probes.Gate) -> None:
    gate.arrive()  # only the scenarios (and this test, trusted below) may stand at a gate


def test_a_process_asleep_at_a_gate_waits_for_good_if_the_gate_outlasts_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gate's sleeper polls with the gate's whole timeout: as long as the check's, or longer, it
    can only end once the check's time is up; the arrival of the last party still wakes it at once."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    gate = probes.Gate.create(tmp_path / "gate", 2, timeout=30)
    sleeper = multiprocessing.get_context("fork").Process(target=arrive, args=(gate,))
    sleeper.start()
    try:
        wait_for(lambda: gate.count == 1, "the first party at the gate")
        assert deadlock.deadlocked(*looks([sleeper.pid], horizon=30))  # type: ignore[list-item]
        assert deadlock.snapshot([sleeper.pid], horizon=31) is None  # type: ignore[list-item]
        arrive(gate)
        sleeper.join(timeout=60)
        assert sleeper.exitcode == 0
    finally:
        sleeper.kill()
        sleeper.join()
