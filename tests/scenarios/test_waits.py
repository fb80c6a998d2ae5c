"""The policies that release held targets: what counts as the parent waiting for its processes."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest

from grader.exercises import EXERCISES
from grader.judge import plan
from grader.judge.ex01 import PLAIN
from grader.models import Isolation, Limits
from grader.sandbox.run import Job, run_scenarios
from grader.scenarios import probes, records, waits
from grader.scenarios.ex01 import Run
from grader.scenarios.records import RUNNING, Outcome, Request


class Parent(NamedTuple):
    """A parent's four started processes, as ``ParentWaits`` sees them, on a clock the test moves."""

    look: Any  #: the tracer's listener: ``look("enter", api, obj, args, kwargs, result)``
    processes: list[Any]
    release: probes.Release
    now: list[float]
    tracer: Any  #: ``loop``: whether the file's lines are in one loop

    def released(self) -> list[bool]:
        return [self.release.released(probes.of_process("target", process.pid)) for process in self.processes]


def a_tracer(by_the_file: bool) -> Any:
    """What ``ParentWaits`` asks of a tracer: whether the file itself made the call now told (on line 7),
    and whether two of its lines are in one loop (``loop``)."""
    tracer: Any = SimpleNamespace(listeners=[], ended_at_look=set(), loop=False)
    tracer.told_by_the_file = lambda: by_the_file
    tracer.told_line = lambda: 7 if by_the_file else None
    tracer.in_one_loop = lambda first, second: tracer.loop
    return tracer


@pytest.fixture
def parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Parent:
    return a_parent(tmp_path, monkeypatch)


def a_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patient: frozenset[int] = frozenset()) -> Parent:
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    now = [100.0]
    monkeypatch.setattr(waits, "monotonic", lambda: now[0])
    tracer = a_tracer(by_the_file=True)
    release = probes.Release.create(tmp_path, timeout=2.0)
    waits.ParentWaits(tracer, release, lambda target, args: "target", patient=patient)
    processes = [SimpleNamespace(pid=10 + n, sentinel=None) for n in range(4)]
    for process in processes:
        tracer.listeners[0]("enter", "Process.__init__", process, (), {}, None)
        tracer.listeners[0]("exit", "Process.start", process, (), {}, None)
    return Parent(tracer.listeners[0], processes, release, now, tracer)


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


@pytest.mark.parametrize(("patient", "released"), [({7}, [True] * 4), ({8}, [False] * 4), (set(), [False] * 4)])
def test_looks_again_from_a_loop_the_judge_vouches_for_are_a_wait_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patient: set[int], released: list[bool]
) -> None:
    """A loop the judge vouches for from the file (``Request.patient_lines``; the looks here come from
    line 7) ends only when the processes have ended: its second look is a wait, as a ``join()`` is,
    instead of after most of the hold (two correct polls of ex01 took 28 s of a class of 25's 135)."""
    parent = a_parent(tmp_path, monkeypatch, frozenset(patient))
    parent.look("enter", "active_children", None, (), {}, None)
    assert parent.released() == [False] * 4  # one look is no loop yet
    parent.look("enter", "active_children", None, (), {}, None)
    assert parent.released() == released


@pytest.mark.parametrize("in_one_loop", [True, False])
def test_a_loop_that_sleeps_first_has_polled_since_its_first_sleep(parent: Parent, in_one_loop: bool) -> None:
    """``while True: time.sleep(2.5)``, then a look: counted from that look, the poll's second look came
    past its check's time (0/10). Its first look lets the process end, and says so (the judge reads
    the loop). A sleep, then a look, not in one loop, is a sleep instead of a wait: nothing is released."""
    first = parent.processes[0]
    parent.tracer.loop = in_one_loop
    parent.look("enter", "time.sleep", None, (2.5,), {}, None)
    parent.now[0] += 2.5
    parent.look("enter", "Process.is_alive", first, (), {}, None)
    assert parent.released() == [in_one_loop, False, False, False]
    assert parent.tracer.ended_at_look == ({id(first)} if in_one_loop else set())


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


def test_a_wait_for_any_ends_one_of_the_processes_standing_and_none_beside_anything_else(parent: Parent) -> None:
    """A wait for any of several returns at the first that is ready: one process ends (the first
    listed), and none when anything else is listed, a decoy's sentinel or a pipe, which may be ready
    first (a wait on a decoy and the process released both: red team, round 18)."""
    watch = parent.look.__self__
    for n, process in enumerate(parent.processes):
        process.sentinel = 50 + n
        probes.touch(parent.release.folder, f"arrived-{process.pid}")  # each stands at its hold
    first, second, *_ = parent.processes
    assert watch.first_to_end([first, second], [50, 51]) == [first]
    assert watch.first_to_end([first, second], [50, 51, 99]) == []
    assert watch.first_to_end([first], [50, "a pipe"]) == []


class Started(NamedTuple):
    """One process started under ``ParentWaits``, on the real clock, with a short hold."""

    look: Any
    process: Any
    release: probes.Release

    def poll_until_released(self) -> None:
        """Two looks, most of a hold apart: the second one releases the process."""
        self.look("enter", "Process.is_alive", self.process, (), {}, None)
        time.sleep(waits.POLLING * self.release.timeout)
        self.look("enter", "Process.is_alive", self.process, (), {}, None)
        assert self.release.released(probes.of_process("target", self.process.pid))


def start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str, target: Any, *args: Any) -> Started:
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    tracer = a_tracer(by_the_file=True)
    release = probes.Release.create(tmp_path, timeout=0.1, patience=60)
    waits.ParentWaits(tracer, release, lambda target, args: "target")
    look = tracer.listeners[0]
    process = multiprocessing.get_context(method).Process(target=target, args=args)
    look("enter", "Process.__init__", process, (), {}, None)
    process.start()
    look("exit", "Process.start", process, (), {}, None)
    return Started(look, process, release)


def test_the_look_that_releases_its_processes_sees_them_end_however_long_they_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll that looks every 2.5 s stops at the look that released its processes, even when they
    end many holds later (a loaded machine may be slow to start them): one look later was past the
    check's time."""
    started = start(tmp_path, monkeypatch, "spawn", time.sleep, 2.0)
    started.poll_until_released()
    assert not started.process.is_alive()


def _closes_its_sentinel_then_runs_on(seconds: float) -> None:
    os.closerange(3, 1 << 16)  # as the kernel does a moment before the process becomes a zombie
    time.sleep(seconds)


def test_the_look_that_releases_its_processes_sees_them_exited_not_only_their_sentinels_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process closes its sentinel a moment before it has exited: on a loaded machine, the
    ``is_alive()`` right after the releasing look found it still running, and a correct poll every
    2.5 s ran out of its check's time (CI on record)."""
    started = start(tmp_path, monkeypatch, "fork", _closes_its_sentinel_then_runs_on, 2.0)
    started.poll_until_released()
    assert not started.process.is_alive()


def test_a_wait_on_sentinels_returns_once_the_processes_it_found_ended_have_exited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``exitcode`` right after ``connection.wait`` found a sentinel ready is the process's exit
    code on every run, not None on a loaded machine."""
    started = start(tmp_path, monkeypatch, "fork", _closes_its_sentinel_then_runs_on, 2.0)
    sentinels = [started.process.sentinel]
    started.look("exit", "connection.wait", None, (sentinels,), {}, sentinels)
    assert started.process.exitcode == 0


def test_a_pools_own_terminate_and_waits_wait_for_no_worker_to_stand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In ex01 every process the student's code makes is one of its processes, a pool's workers too,
    which never stand at a hold: the pool's own ``terminate()`` and waits must not wait for them to
    (as long as a check may run: a pool in ex01 timed out, CI)."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    tracer = a_tracer(by_the_file=False)  # the pool's own calls
    release = probes.Release.create(tmp_path, timeout=0.1, patience=600)
    waits.ParentWaits(tracer, release, lambda target, args: "target", arrivals=True)
    look = tracer.listeners[0]
    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(600,))
    look("enter", "Process.__init__", worker, (), {}, None)
    worker.start()
    look("exit", "Process.start", worker, (), {}, None)
    try:
        look("enter", "connection.wait", None, ([worker.sentinel, 99],), {}, None)
        look("enter", "Process.terminate", worker, (), {}, None)
        assert worker.is_alive()  # neither waited for it: they returned at once
    finally:
        worker.kill()
        worker.join()


def test_a_poll_of_ready_releases_a_pools_held_tasks_once_it_went_on_for_most_of_the_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``while not result.ready(): time.sleep(0.1)``, then ``get()``: the tasks start once the poll has
    shown it waits (it scored 1/10: its sleeps held them for ever); one look, or a few, release nothing."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    now = [100.0]
    monkeypatch.setattr(waits, "monotonic", lambda: now[0])
    tracer = a_tracer(by_the_file=True)
    tracer.loop = True  # looks from a line in a loop
    release = probes.Release.create(tmp_path, timeout=2.0, patience=600)
    waits.PoolReads(tracer, release)
    look = tracer.listeners[0]
    result: Any = SimpleNamespace(_event=threading.Event())  # what ApplyResult.wait waits on
    look("enter", "ApplyResult.ready", result, (), {}, None)
    now[0] += waits.POLLING * release.timeout / 2
    look("enter", "ApplyResult.ready", result, (), {}, None)
    assert not release.released(probes.RESULTS)
    now[0] += waits.POLLING * release.timeout / 2
    came = threading.Timer(0.2, result._event.set)  # the results come a moment after the release
    came.start()
    look("enter", "ApplyResult.ready", result, (), {}, None)
    assert release.released(probes.RESULTS)
    assert result._event.is_set()  # the look that released them returned once they had come


def test_looks_at_ready_in_straight_code_release_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ready()``, a sleep, ``ready()`` again, then out of the pool's ``with`` block: no wait, the tasks
    stay held (released at the second look, whether they ended before the pool's terminate() was a race)."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    now = [100.0]
    monkeypatch.setattr(waits, "monotonic", lambda: now[0])
    tracer = a_tracer(by_the_file=True)
    release = probes.Release.create(tmp_path, timeout=2.0)
    waits.PoolReads(tracer, release)
    tracer.listeners[0]("enter", "ApplyResult.ready", None, (), {}, None)
    now[0] += release.timeout
    tracer.listeners[0]("enter", "ApplyResult.ready", None, (), {}, None)
    assert not release.released(probes.RESULTS)


# --- end to end: the judge tells the run which lines it vouches for ------------------------------

CASES = Path(__file__).parents[1] / "judge" / "cases"
POLLERS = {  # correct solutions that never join: they poll until the child has ended
    "is_alive": CASES / "correct" / "ex01-annotated-constant" / "ex01_spawn.py",
    "active_children": CASES / "correct" / "ex01-active-children-poll" / "ex01_spawn.py",
}
GIVES_UP = CASES / "wrong" / "ex01-active-children-deadline" / "ex01_spawn.py"  # polls until a deadline of its own


def planned(path: Path) -> tuple[bytes, Request]:
    source = path.read_bytes()
    requests = plan(EXERCISES["ex01"].judged(), source, ["fork"], Limits())
    return source, next(p.request for p in requests if p.run is PLAIN)


def observed(source: bytes, request: Request) -> Run:
    job = Job("ex01_spawn", "ex01_spawn.py", source, Limits(), Isolation.PROCESS)
    (report,) = run_scenarios(job, [request]).reports
    assert report.outcome is Outcome.RETURNED and report.observed is not None
    seen: Run = records.decode(Run, report.observed, "observed")
    return seen


def running_looks(seen: Run) -> int:
    """How many of the parent's looks found the child still running."""
    return sum(call.count for call in seen.calls if call.detail == RUNNING or call.api == "active_children")


@pytest.mark.parametrize("look", sorted(POLLERS))
def test_a_vouched_poll_is_a_wait_from_its_second_look(look: str) -> None:
    source, request = planned(POLLERS[look])
    assert request.patient_lines  # the judge vouches for the loop
    seen = observed(source, request)
    assert seen.waited and not seen.running
    assert running_looks(seen) <= 2  # the first look, and the one that released the child
    # without the lines, the same loop looks for most of the hold before its looks count as a wait
    slow = observed(source, replace(request, patient_lines=()))
    assert slow.waited and running_looks(slow) > 10


def test_a_poll_with_a_deadline_of_its_own_is_vouched_for_by_no_line() -> None:
    source, request = planned(GIVES_UP)
    assert request.patient_lines == ()
