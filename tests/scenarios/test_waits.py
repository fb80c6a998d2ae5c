"""The policies that release held targets: what counts as the parent waiting for its processes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from grader.scenarios import probes, waits


def test_looks_at_several_processes_wait_for_all_of_them_once_they_went_on_for_most_of_the_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``active_children()`` looks at every process at once: each one's looks began with the first,
    so all are released together once the looks went on long enough (not one more process per
    POLLING of the hold, which let a correct poll of four processes run out of its check's time)."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    now = [100.0]
    monkeypatch.setattr(waits, "monotonic", lambda: now[0])
    tracer: Any = SimpleNamespace(listeners=[])
    release = probes.Release.create(tmp_path, timeout=2.0)
    waits.ParentWaits(tracer, release, lambda target, args: "target")
    processes = [SimpleNamespace(pid=10 + n) for n in range(4)]
    for process in processes:
        tracer.listeners[0]("enter", "Process.__init__", process, (), {}, None)
        tracer.listeners[0]("exit", "Process.start", process, (), {}, None)
    look = tracer.listeners[0]

    def released() -> list[bool]:
        return [release.released(probes.of_process("target", process.pid)) for process in processes]

    look("enter", "active_children", None, (), {}, None)
    now[0] += waits.POLLING * release.timeout / 2
    look("enter", "active_children", None, (), {}, None)
    assert released() == [False] * 4  # a few looks are no wait
    now[0] += waits.POLLING * release.timeout / 2
    look("enter", "active_children", None, (), {}, None)
    assert released() == [True] * 4
