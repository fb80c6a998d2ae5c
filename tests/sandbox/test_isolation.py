"""What a submission finds around itself at each isolation level: a new session, /dev/null for stdin,
a private folder, a minimal environment, a copy of its file; and at the stronger levels, a user of
its own, no view of the grader's processes or files, no network."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import KIT

from grader.exercises import EXERCISES
from grader.models import Isolation
from grader.pipeline import grade_exercise
from grader.sandbox import isolation

SPY = """
import json, os, socket, sys


def reach(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def run_in_process(target, args=()):
    raise RuntimeError("SPY" + json.dumps({
        "sid_is_own": os.getsid(0) in (os.getpid(), os.getppid()),
        "stdin_is_null": os.fstat(0).st_rdev == os.stat("/dev/null").st_rdev,
        "cwd": os.getcwd(),
        "env": sorted(os.environ),
        "file": __file__,
        "uid": os.getuid(),
        "processes": sum(os.path.isdir("/proc/%d" % pid) for pid in range(1, 1000)),  # (listing /proc is refused)
        "sees_kit": os.path.exists(KIT),
        "can_write_kit": os.access(KIT, os.W_OK),
        "network": reach(PORT),
    }) + "SPY")
"""
ALLOWED_ENV = {
    "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONNOUSERSITE",
    "PYTHONSAFEPATH", "PYTHONIOENCODING", "PYTHONHASHSEED", "PYTHONWARNINGS", "MPGRADE_TOKEN", "MPGRADE_DUMPS",
    "MPGRADE_CPUS", "MPGRADE_MODULE",  # the student's module: what a pickle may name (scenarios.unpickling)
    "PWD",  # bubblewrap sets it for the folder it starts in
}  # fmt: skip


@pytest.fixture
def listening() -> Any:
    """A port on the host's loopback: a sandbox with a network of its own cannot reach it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


def spy(folder: Path, port: int) -> None:
    (folder / "ex01_spawn.py").write_text(f"KIT = {str(KIT)!r}\nPORT = {port}\n" + SPY)


def seen_in(message: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(message.split("SPY")[1])
    return found


def spied(level: Isolation, tmp_path: Path, port: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("MPGRADE_CANARY", "the grader's own environment")
    spy(tmp_path, port)
    result = grade_exercise(EXERCISES["ex01"], tmp_path, start_methods=["fork"], level=level.value)
    assert result.isolation == level.value
    return {**seen_in(result.checks[0].message), "folder": str(tmp_path)}


def common(seen: dict[str, Any]) -> None:
    assert seen["sid_is_own"] and seen["stdin_is_null"]
    assert not seen["cwd"].startswith(seen["folder"]) and not seen["file"].startswith(seen["folder"])
    assert set(seen["env"]) <= ALLOWED_ENV, set(seen["env"]) - ALLOWED_ENV


def test_process_level_a_session_and_a_minimal_environment(
    tmp_path: Path, listening: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = spied(Isolation.PROCESS, tmp_path, listening, monkeypatch)
    common(seen)
    assert seen["uid"] == os.getuid()  # the same user: see README, Threat model


def test_namespaces_level_sees_nothing_of_the_host(
    tmp_path: Path, listening: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isolation.unavailable(Isolation.NAMESPACES):
        pytest.skip(isolation.unavailable(Isolation.NAMESPACES))
    seen = spied(Isolation.NAMESPACES, tmp_path, listening, monkeypatch)
    common(seen)
    assert seen["uid"] == isolation.NOBODY or os.geteuid() == 0  # root's sandbox drops to a uid of its own
    assert seen["processes"] <= 4  # its own PID namespace: the runner, the scenario, nothing of the host
    assert not seen["sees_kit"] and not seen["network"]
    assert seen["file"] == "/mpgrade/submission/ex01_spawn.py"


def test_uid_level_runs_as_a_user_of_its_own(system_kit: Path, tmp_path: Path, listening: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("the uid level needs root")
    spy(tmp_path, listening)
    done = subprocess.run(
        [str(system_kit / "grade"), "ex01", "--submission", str(tmp_path), "--isolation", "uid",
         "--start-method", "fork", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    exercise = json.loads(done.stdout)["exercises"][0]
    assert exercise["isolation"] == "uid"
    seen = {**seen_in(exercise["checks"][0]["message"]), "folder": str(tmp_path)}
    common(seen)
    assert seen["uid"] not in (0, os.getuid())
    assert seen["sees_kit"] and not seen["can_write_kit"]  # the course is readable, not writable: Threat model
