"""Shared helpers for the project's own tests."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

KIT = Path(__file__).resolve().parents[1]
DAEMON_MARK = "7301"  # hostile cases that escape the tree exec `sleep 7301` with an empty environment


def sandbox_processes(root: Path) -> list[psutil.Process]:
    """Living processes of the sandboxes made under ``root``: by their environment, or by the
    marker of the hostile daemons that clear it."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.pid == os.getpid() or process.status() == psutil.STATUS_ZOMBIE:
                continue
            submission = process.environ().get("MPGRADE_SUBMISSION", "")
            if submission.startswith(str(root)) or DAEMON_MARK in process.cmdline():
                found.append(process)
        except psutil.Error:
            pass
    return found


@pytest.fixture
def no_survivors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make sandboxes under this test's folder; after the test, scan every process on the
    machine and fail if one of them is still alive."""
    root = tmp_path / "sandboxes"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield
    survivors = [(process.pid, process.cmdline()) for process in sandbox_processes(root)]
    assert not survivors, survivors
