"""What the submission's code finds around itself: a new session, /dev/null for stdin, a private
working directory, a minimal environment, and a copy of its file rather than the file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grader.exercises import EXERCISES
from grader.pipeline import grade_exercise

SPY = """
import json, os, sys


def run_in_process(target, args=()):
    raise RuntimeError("SPY" + json.dumps({
        "sid": os.getsid(0),
        "stdin": os.readlink("/proc/self/fd/0"),
        "cwd": os.getcwd(),
        "env": sorted(os.environ),
        "file": __file__,
    }) + "SPY")
"""


@pytest.fixture
def seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setenv("MPGRADE_CANARY", "the grader's own environment")
    (tmp_path / "ex01_spawn.py").write_text(SPY)
    result = grade_exercise(EXERCISES["ex01"], tmp_path, start_methods=["fork"])
    message = result.checks[0].message
    return {**json.loads(message.split("SPY")[1]), "folder": str(tmp_path)}


def test_a_new_session_with_nothing_to_read(seen: dict[str, object]) -> None:
    assert seen["sid"] != os.getsid(0)
    assert seen["stdin"] == "/dev/null"


def test_a_private_working_directory_and_a_copy_of_the_file(seen: dict[str, object]) -> None:
    folder = str(seen["folder"])
    assert not str(seen["cwd"]).startswith(folder) and not str(seen["file"]).startswith(folder)


def test_a_minimal_environment(seen: dict[str, object]) -> None:
    env = set(seen["env"])  # type: ignore[call-overload]
    assert "MPGRADE_CANARY" not in env
    assert "MPGRADE_KEY" not in env and "MPGRADE_KEY_FD" not in env and "MPGRADE_RESULTS" not in env
    assert env <= {
        "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONSAFEPATH",
        "PYTHONIOENCODING", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "MPGRADE_SUBMISSION", "MPGRADE_DUMPS",
        "MPGRADE_TOKEN", "MPGRADE_LIMITS", "PYTEST_CURRENT_TEST", "PYTEST_VERSION",  # the last two: pytest
    }  # fmt: skip
