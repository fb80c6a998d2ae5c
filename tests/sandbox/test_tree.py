"""Killing whole trees: children, SIGTERM-ignorers, and processes that left the tree."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import wait_for

from grader.sandbox import tree
from grader.sandbox.isolation import free_uid

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
        assert len(tree.of_session_or_token(root.pid, token)) == 7
        killed = tree.kill_all(lambda: tree.of_session_or_token(root.pid, token))
        assert killed == 7
        assert tree.of_session_or_token(root.pid, token) == []
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
        while len(tree.of_session_or_token(root.pid, token)) < 20:
            time.sleep(0.01)
        tree.kill_all(lambda: tree.of_session_or_token(root.pid, token))
        assert tree.of_session_or_token(root.pid, token) == []
    finally:
        root.kill()
        root.wait()


@pytest.mark.parametrize("proc", [True, False], ids=["reading-proc", "through-psutil-as-on-macos"])
def test_of_user_finds_every_process_of_a_user_whatever_its_parent(proc: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not proc:
        monkeypatch.setattr(tree, "_all_pids", lambda: None)
    python = Path("/usr/bin/python3")  # any Python another user may run: the kit's may be private to root
    if os.geteuid() != 0 or not python.exists():
        pytest.skip("needs root and a system Python to run processes as another user")
    uid = free_uid()
    root = subprocess.Popen([str(python), "-c", SPREAD], user=uid, group=uid, extra_groups=[],
                            stdout=subprocess.PIPE, text=True, start_new_session=True, cwd="/")  # fmt: skip
    try:
        assert root.stdout is not None and root.stdout.readline() == "ready\n"
        assert uid in tree.users()
        assert len(tree.of_user(uid)) == 7  # the parent, five children, and the daemon that left them
        assert tree.kill_all(lambda: tree.of_user(uid)) == 7
        assert tree.of_user(uid) == []
    finally:
        root.kill()
        root.wait()


def test_a_stopped_process_is_told_from_a_running_and_a_gone_one() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        assert not tree.stopped(process.pid)
        process.send_signal(signal.SIGSTOP)
        wait_for(lambda: tree.stopped(process.pid), "the process shows as stopped")
        process.send_signal(signal.SIGCONT)
        wait_for(lambda: not tree.stopped(process.pid), "the process runs again")
    finally:
        process.kill()
        process.wait()
    assert not tree.stopped(process.pid)
