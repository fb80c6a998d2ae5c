"""A sandbox per start method, side by side (``run_scenarios`` with ``parallel``): the start methods
really run at once, and the grading gets the reports, statuses and messages that one sandbox running them in turn
gives, whatever the submission does (time out, fail to import, break a limit)."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import psutil
import pytest
from conftest import wait_for

from grader.exercises import EXERCISES
from grader.judge import plan
from grader.models import Isolation, Limits
from grader.pipeline import grade_file
from grader.sandbox import isolation, run, tree
from grader.sandbox.run import Job, SandboxRun, merge, run_scenarios
from grader.scenarios.records import Outcome, Phase, Report, Request, Stop

METHODS = ("fork", "spawn", "forkserver")
TESTS = Path(__file__).parents[1]


def request(scenario: str, method: str) -> Request:
    return Request(scenario, method, {}, 5.0, 5.0, 1.0)


def sandbox_run(reports: list[Report], stopped: Stop | None = None) -> SandboxRun:
    return SandboxRun(tuple(reports), Isolation.PROCESS, ("/sandbox/submission",), stopped, 0, 1.0)


def test_each_start_method_has_a_sandbox_and_they_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    together = threading.Barrier(len(METHODS), timeout=60)  # broken unless every sandbox waits at once
    sandboxes: list[list[str]] = []

    def sandbox(job: Job, requests: list[Request], cancel: threading.Event) -> SandboxRun:
        sandboxes.append([r.method for r in requests])
        together.wait()
        return sandbox_run([Report(r.scenario, r.method, Outcome.RETURNED) for r in requests])

    monkeypatch.setattr(run, "_in_one_sandbox", sandbox)
    requests = [request(scenario, method) for method in METHODS for scenario in ("a", "b")]
    merged = run_scenarios(Job("ex01_spawn", "ex01_spawn.py", b"", Limits(), Isolation.PROCESS), requests,
                           parallel=len(METHODS))  # fmt: skip
    assert sorted(sandboxes) == sorted([[method, method] for method in METHODS])
    assert [(r.scenario, r.method) for r in merged.reports] == [(r.scenario, r.method) for r in requests]


def test_what_one_sandbox_would_have_skipped_does_not_count() -> None:
    groups = [[request(scenario, method) for scenario in ("slow", "quick")] for method in METHODS]
    timed_out = [Report("slow", "fork", Outcome.TIMED_OUT), Report("quick", "fork", Outcome.RETURNED)]
    stopped = [Report("slow", "spawn", Outcome.RETURNED), Report("quick", "spawn", Outcome.STOPPED, stop=Stop.DEADLINE)]
    ran = [Report("slow", "forkserver", Outcome.RETURNED), Report("quick", "forkserver", Outcome.RETURNED)]
    merged = merge(groups, [sandbox_run(timed_out), sandbox_run(stopped, Stop.DEADLINE), sandbox_run(ran)], 1.0)
    assert [report.outcome for report in merged.reports] == [
        Outcome.TIMED_OUT, Outcome.RETURNED,  # fork
        Outcome.NOT_RUN, Outcome.STOPPED,  # spawn: "slow" timed out under fork already
        Outcome.NOT_RUN, Outcome.NOT_RUN,  # forkserver: spawn's sandbox stopped
    ]  # fmt: skip
    assert merged.stopped is Stop.DEADLINE


def test_after_a_failed_import_nothing_counts() -> None:
    groups = [[request("only", method)] for method in METHODS]
    failed = Report("only", "fork", Outcome.RAISED, phase=Phase.IMPORT)
    runs = [sandbox_run([failed]), *(sandbox_run([Report("only", m, Outcome.RETURNED)]) for m in METHODS[1:])]
    outcomes = [report.outcome for report in merge(groups, runs, 1.0).reports]
    assert outcomes == [Outcome.RAISED, Outcome.NOT_RUN, Outcome.NOT_RUN]


SUBMISSIONS = [
    "sandbox/hostile/deadlock",  # times out (a deadlock)
    "sandbox/hostile/import-loop",  # never finishes importing
    "sandbox/hostile/fork-bomb",  # breaks the process limit
    "sandbox/hostile/os-exit-at-import",
    "judge/cases/wrong/ex04-lambda-in-pool-map",  # passes under fork only
    "judge/cases/beginners/ex05-put-then-check",  # consumers that take turns
    "judge/cases/correct/ex03-with-counter",
]
#: two defences race to stop a fork bomb (the process limit the judge watches, the one the kernel
#: enforces): the statuses are the same, the message names the one that came first
SAME_STATUSES_ONLY = {"sandbox/hostile/fork-bomb"}


@pytest.mark.parametrize("folder", SUBMISSIONS)
def test_side_by_side_gives_what_in_turn_gives(folder: str, no_survivors: None) -> None:
    path = next(path for path in (TESTS / folder).glob("ex0*.py"))
    exercise = next(exercise for exercise in EXERCISES.values() if exercise.filename == path.name)
    in_turn, side_by_side = (grade_file(exercise, path, parallel=parallel).checks for parallel in (1, len(METHODS)))
    if folder in SAME_STATUSES_ONLY:
        in_turn, side_by_side = (tuple(replace(c, message="", location=None) for c in checks)
                                 for checks in (in_turn, side_by_side))  # fmt: skip
    seen = [[(c.id, c.status, dict(c.start_methods), c.message, c.location) for c in checks]
            for checks in (in_turn, side_by_side)]  # fmt: skip
    assert seen[0] == seen[1]


def test_a_sandbox_whose_namespace_emptied_early_never_takes_another_for_its_own() -> None:
    """The kernel gives a freed PID namespace's number to the next one made. A sandbox whose
    processes all ended (its runner died) must still not count the next sandbox's processes,
    another student's, as its own: its teardown would find them "surviving", or kill them."""
    if isolation.unavailable(Isolation.NAMESPACES):
        pytest.skip(isolation.unavailable(Isolation.NAMESPACES))
    job = Job("ex01_spawn", "ex01_spawn.py", b"", Limits(), Isolation.NAMESPACES)
    emptied = run.Sandbox(job).__enter__()
    running = [emptied]
    try:
        os.kill(emptied.runner, signal.SIGKILL)
        wait_for(lambda: not tree.in_namespace(emptied.namespace), "the first sandbox's namespace emptied")
        other = run.Sandbox(job).__enter__()
        running.append(other)
        assert other.namespace != emptied.namespace
        assert other.runner not in [process.pid for process in emptied._members()]
        running.remove(emptied)
        emptied.__exit__()  # found nothing of the other's to kill, and no survivor
        assert psutil.Process(other.runner).status() != psutil.STATUS_ZOMBIE
    finally:
        for sandbox in running:
            sandbox.__exit__()


def test_the_scenarios_of_a_sandbox_share_one_resource_tracker() -> None:
    """Under spawn, each scenario's first semaphore would start a resource tracker, a Python process
    that costs as much as a spawned child. The runner starts one for every scenario of the sandbox,
    and no scenario counts it as a process the student's code left behind."""
    exercise = EXERCISES["ex05"]
    source = (TESTS.parent / "solutions" / exercise.filename).read_bytes()
    requests = [planned.request for planned in plan(exercise.judged(), source, ["spawn"], Limits())]
    job = Job(exercise.module, exercise.filename, source, Limits(), Isolation.PROCESS)
    reports = run_scenarios(job, requests).reports
    assert len(reports) > 1
    assert all(report.outcome is Outcome.RETURNED and report.leftover == 0 for report in reports)
    (trackers,) = {report.helpers for report in reports}
    assert len(trackers) == 1


def test_sandboxes_that_start_at_once_share_one_compiled_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandboxes of the start methods ask for the compiled scenarios at once: one compiles."""
    compiled: list[str] = []
    compile_file = run.py_compile.compile

    def counted(source: str, *args: Any, **options: Any) -> Any:
        compiled.append(source)
        return compile_file(source, *args, **options)

    together = threading.Barrier(len(METHODS), timeout=60)

    def ask(_: str) -> Path:
        together.wait()
        return run.compiled_scenarios()

    monkeypatch.setattr(run.py_compile, "compile", counted)
    run._compile_scenarios.cache_clear()
    try:
        with ThreadPoolExecutor(len(METHODS)) as pool:
            copies = list(pool.map(ask, METHODS))
    finally:
        run._compile_scenarios.cache_clear()
    assert len(set(copies)) == 1
    assert sorted(compiled) == sorted(str(path) for path in copies[0].glob("*.py"))  # each once


def test_the_compiled_scenarios_are_where_the_sandbox_looks_whatever_the_graders_pycache_prefix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A teacher's PYTHONPYCACHEPREFIX would have put the bytecode where the sandbox's Python never
    looks: every process of every sandbox then compiled the scenarios again."""
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    run._compile_scenarios.cache_clear()
    try:
        package = run.compiled_scenarios()
    finally:
        run._compile_scenarios.cache_clear()
    tag = sys.implementation.cache_tag
    assert [path.stem for path in package.glob("*.py")] != []
    for source in package.glob("*.py"):
        assert (package / "__pycache__" / f"{source.stem}.{tag}.pyc").is_file(), source.name
    assert list(tmp_path.iterdir()) == []


def test_the_exercise_gets_back_the_time_its_checks_waited_for_a_cpu_up_to_its_allowance() -> None:
    """A check's time that a busy machine took is given back to the deadline too, up to
    ``load_allowance`` times the deadline: code that spins reaches it no sooner than on a quiet machine,
    and still ends."""
    limits = Limits(deadline=10, time_scale=2, load_allowance=0.25)
    box = run.Sandbox(Job("ex05_queue_sentinel", "ex05_queue_sentinel.py", b"", limits, Isolation.PROCESS))
    try:
        start = box.deadline
        box._give_back(3.0)
        assert box.deadline == start + 3.0
        box._give_back(3.0)
        assert box.deadline == start + 5.0 == start + limits.longest - 20
    finally:
        shutil.rmtree(box.layout.root)
        box.stderr.close()
