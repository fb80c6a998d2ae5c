"""The policies that release held targets: what counts as the parent waiting for its processes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest

from grader.scenarios import probes, waits


class Parent(NamedTuple):
    """A parent's four started processes, as ``ParentWaits`` sees them, on a clock the test moves."""

    look: Any  #: the tracer's listener: ``look("enter", api, obj, args, kwargs, result)``
    processes: list[Any]
    release: probes.Release
    now: list[float]

    def released(self) -> list[bool]:
        return [self.release.released(probes.of_process("target", process.pid)) for process in self.processes]


@pytest.fixture
def parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Parent:
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    now = [100.0]
    monkeypatch.setattr(waits, "monotonic", lambda: now[0])
    tracer: Any = SimpleNamespace(listeners=[], told_by_the_file=lambda: True)  # the looks are the file's own
    release = probes.Release.create(tmp_path, timeout=2.0)
    waits.ParentWaits(tracer, release, lambda target, args: "target")
    processes = [SimpleNamespace(pid=10 + n, sentinel=None) for n in range(4)]
    for process in processes:
        tracer.listeners[0]("enter", "Process.__init__", process, (), {}, None)
        tracer.listeners[0]("exit", "Process.start", process, (), {}, None)
    return Parent(tracer.listeners[0], processes, release, now)


def test_looks_at_several_processes_wait_for_all_of_them_once_they_went_on_for_most_of_the_hold(parent: Parent) -> None:
    """``active_children()`` looks at every process at once: each one's looks began with the first,
    so all are released together once the looks went on long enough (not one more process per
    POLLING of the hold, which let a correct poll of four processes run out of its check's time)."""
    look, now, release, released = parent.look, parent.now, parent.release, parent.released
    look("enter", "active_children", None, (), {}, None)
    now[0] += waits.POLLING * release.timeout / 2
    look("enter", "active_children", None, (), {}, None)
    assert released() == [False] * 4  # a few looks are no wait
    now[0] += waits.POLLING * release.timeout / 2
    look("enter", "active_children", None, (), {}, None)
    assert released() == [True] * 4


def test_a_poll_that_looks_at_one_process_after_another_has_polled_each_from_its_first_look(parent: Parent) -> None:
    """``while any(p.is_alive() for p in processes)`` looks at the second process only once the first
    ended: that first look at it, seconds into the poll, is a wait for it too (counted from its own
    first look, it released it or not as the machine's load had let its hold run out: CI, stress)."""
    first, second, *_ = parent.processes
    parent.look("enter", "Process.is_alive", first, (), {}, None)
    parent.now[0] += waits.POLLING * parent.release.timeout / 2
    parent.look("enter", "Process.is_alive", first, (), {}, None)
    assert parent.released() == [False] * 4
    parent.now[0] += waits.POLLING * parent.release.timeout / 2
    parent.look("enter", "Process.is_alive", first, (), {}, None)
    parent.look("enter", "Process.is_alive", second, (), {}, None)
    assert parent.released() == [True, True, False, False]  # each process only once looked at


def test_a_look_before_the_process_started_begins_no_poll(parent: Parent) -> None:
    """``assert not p.is_alive()`` before ``start()``, then a sleep: the look after it is the poll's first
    (red team, round 18: counted from the look before start(), it released the process at once)."""
    first = parent.processes[0]
    unstarted = SimpleNamespace(pid=None, sentinel=None)
    parent.look("enter", "Process.__init__", unstarted, (), {}, None)
    parent.look("enter", "Process.is_alive", unstarted, (), {}, None)
    parent.now[0] += waits.POLLING * parent.release.timeout
    parent.look("enter", "Process.is_alive", first, (), {}, None)
    assert parent.released() == [False] * 4
