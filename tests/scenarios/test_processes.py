"""The runner's own view of processes (plain /proc): it finds every descendant and kills them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from conftest import wait_for

from grader.scenarios import processes

SPREAD = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for _ in range(3):
    if os.fork() == 0:
        time.sleep(600); os._exit(0)
print("ready", flush=True)
time.sleep(600)
"""


def test_descendants_and_kill_all_leave_nothing() -> None:
    root = subprocess.Popen([sys.executable, "-c", SPREAD], stdout=subprocess.PIPE, text=True)
    try:
        assert root.stdout is not None and root.stdout.readline() == "ready\n"
        below = processes.descendants(root.pid, processes.listing())  # (not the test's own: other tests leave helpers)
        assert len(below) == 3 and {proc.ppid for proc in below} == {root.pid}

        def living() -> list[int]:
            family = [root.pid, *(p.pid for p in processes.descendants(root.pid, processes.listing()) if not p.zombie)]
            return [pid for pid in family if root.poll() is None or pid != root.pid]

        assert processes.kill_all(living) == 4
        assert living() == []
    finally:
        if root.poll() is None:
            os.kill(root.pid, signal.SIGKILL)
        root.wait()


def test_a_listing_reads_session_user_and_state() -> None:
    me = next(proc for proc in processes.listing() if proc.pid == os.getpid())
    assert (me.ppid, me.sid, me.uid, me.zombie) == (os.getppid(), os.getsid(0), os.getuid(), False)


def test_cpu_wait_counts_the_time_a_process_was_kept_from_a_cpu() -> None:
    """Two loops on one core: each waits while the other runs, and the kernel counts it."""
    code = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\nwhile True: pass"
    loops = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    try:
        wait_for(lambda: all(processes.cpu_wait(loop.pid) > 0.05 for loop in loops), "both loops waited for the core")
        assert processes.cpu_wait(os.getpid()) >= 0.0
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    assert processes.cpu_wait(loops[0].pid) == 0.0  # gone: nothing to say
