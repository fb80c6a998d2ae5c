"""Killing whole trees: children, SIGTERM-ignorers, and processes that left the tree."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import psutil

from grader.sandbox import tree

SPREAD = """
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for _ in range(5):                       # children that ignore SIGTERM
    if os.fork() == 0:
        time.sleep(600); os._exit(0)
middle = os.fork()
if middle == 0:                          # a daemon: setsid and a double fork
    os.setsid()
    if os.fork() == 0:
        time.sleep(600); os._exit(0)
    os._exit(0)
os.waitpid(middle, 0)
print("ready", flush=True)
time.sleep(600)
"""


def started(token: str) -> subprocess.Popen[str]:
    env = {**os.environ, "MPGRADE_TOKEN": token}
    process = subprocess.Popen(
        [sys.executable, "-c", SPREAD], env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def test_kill_all_finds_the_daemon_that_left_the_session() -> None:
    token = secrets.token_hex(8)
    root = started(token)
    try:
        assert len(tree.sandboxed(root.pid, token)) == 7
        killed = tree.kill_all(lambda: tree.sandboxed(root.pid, token))
        assert killed == 7
        assert tree.sandboxed(root.pid, token) == []
    finally:
        root.kill()
        root.wait()


def test_freezing_stops_a_process_from_forking_during_the_sweep(tmp_path: Path) -> None:
    token = secrets.token_hex(8)
    env = {**os.environ, "MPGRADE_TOKEN": token}
    bomb = (
        "import os, time\n"
        "while True:\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(600)\n"
        "        os._exit(0)\n"
        "    time.sleep(0.001)\n"
    )
    root = subprocess.Popen([sys.executable, "-c", bomb], env=env, start_new_session=True)
    try:
        while len(tree.sandboxed(root.pid, token)) < 20:
            time.sleep(0.01)
        tree.kill_all(lambda: tree.sandboxed(root.pid, token))
        assert tree.sandboxed(root.pid, token) == []
    finally:
        root.kill()
        root.wait()


def test_reap_orphans_leaves_known_children_to_their_owner() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.01)
    tree.reap_orphans(known={child.pid})
    assert psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE
    assert child.wait() == 0
