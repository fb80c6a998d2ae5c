"""A sandbox per start method, side by side (``run_scenarios`` with ``parallel``): the start methods
really run at once, and the grading gets the reports, statuses and messages that one sandbox running them in turn
gives, whatever the submission does (time out, fail to import, break a limit)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import psutil
import pytest
from conftest import wait_for

from grader.exercises import EXERCISES, available_start_methods
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


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """The sources compiled, with an empty cache of the user's (in ``tmp_path / "cache"``)."""
    compiled: list[str] = []
    compile_file = run.py_compile.compile

    def counted(source: str, *args: Any, **options: Any) -> Any:
        compiled.append(source)
        return compile_file(source, *args, **options)

    monkeypatch.setattr(run.py_compile, "compile", counted)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    run._compile_scenarios.cache_clear()
    yield compiled
    run._compile_scenarios.cache_clear()


def test_sandboxes_that_start_at_once_share_one_compiled_copy(compiled: list[str]) -> None:
    """The sandboxes of the start methods ask for the compiled scenarios at once: one compiles."""
    together = threading.Barrier(len(METHODS), timeout=60)

    def ask(_: str) -> Path:
        together.wait()
        return run.compiled_scenarios()

    with ThreadPoolExecutor(len(METHODS)) as pool:
        copies = list(pool.map(ask, METHODS))
    assert len(set(copies)) == 1
    assert sorted(Path(source).name for source in compiled) == sorted(path.name for path in copies[0].glob("*.py"))


def test_the_next_grader_finds_the_compiled_scenarios_in_the_users_cache_until_they_change(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = run.compiled_scenarios()
    assert first.is_relative_to(tmp_path / "cache" / "mpgrade") and compiled
    compiled.clear()
    run._compile_scenarios.cache_clear()  # as in the next grader's process
    assert run.compiled_scenarios() == first and compiled == []
    changed = tmp_path / "scenarios"
    shutil.copytree(run.SCENARIOS, changed, ignore=shutil.ignore_patterns("__pycache__"))
    with (changed / "ex05.py").open("a") as source:
        source.write("\n# changed\n")
    monkeypatch.setattr(run, "SCENARIOS", changed)
    run._compile_scenarios.cache_clear()
    again = run.compiled_scenarios()
    assert again != first and (again / "ex05.py").read_text().endswith("# changed\n") and compiled
    assert sorted(path.name for path in (tmp_path / "cache" / "mpgrade").iterdir()) == sorted(
        [first.parent.name, again.parent.name]
    )  # whole copies only: nothing half-built is left


def test_without_a_cache_to_write_the_grader_compiles_a_copy_of_its_own(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
    package = run.compiled_scenarios()
    assert not package.is_relative_to(tmp_path) and (package / "runner.py").is_file() and compiled


def test_the_compiled_scenarios_are_where_the_sandbox_looks_whatever_the_graders_pycache_prefix(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A teacher's PYTHONPYCACHEPREFIX would have put the bytecode where the sandbox's Python never
    looks: every process of every sandbox then compiled the scenarios again."""
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    package = run.compiled_scenarios()
    tag = sys.implementation.cache_tag
    assert [path.stem for path in package.glob("*.py")] != [] and compiled
    for source in package.glob("*.py"):
        assert (package / "__pycache__" / f"{source.stem}.{tag}.pyc").is_file(), source.name
    assert list(prefix.iterdir()) == []


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
        os.close(box.held)
        box.stderr.close()


def test_only_the_old_sandbox_folders_that_no_grader_holds_are_removed(tmp_path: Path) -> None:
    """A killed grader's folders go; a live grader's (held), a young one, another name, and a link
    to a folder (whose files stay) do not."""
    names = ("mpg-ex01-abandoned", "mpg-ex01-live", "mpg-ex01-young", "mine-not-mpg", "elsewhere")
    for name in names:
        (tmp_path / name / "submission").mkdir(parents=True)
        (tmp_path / name / "submission" / "ex01_spawn.py").write_text("# a student's file\n")
    (tmp_path / "mpg-ex01-link").symlink_to(tmp_path / "elsewhere")
    old = time.time() - 2 * run.ABANDONED_AFTER
    for name in ("mpg-ex01-abandoned", "mpg-ex01-live", "mine-not-mpg", "elsewhere", "mpg-ex01-link"):
        os.utime(tmp_path / name, (old, old), follow_symlinks=False)
    live = run.held(tmp_path / "mpg-ex01-live")
    try:
        assert run.remove_abandoned(str(tmp_path)) == ["mpg-ex01-abandoned"]
    finally:
        os.close(live)
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == ["elsewhere", "mine-not-mpg", "mpg-ex01-link", "mpg-ex01-live", "mpg-ex01-young"]
    assert (tmp_path / "elsewhere" / "submission" / "ex01_spawn.py").is_file()
    assert run.remove_abandoned(str(tmp_path)) == ["mpg-ex01-live"]  # let go of: now the next grader's to remove


HANGS = """import time


def greet(name):
    time.sleep(600)  # {marker}


def start_greeter(name):
    time.sleep(600)
"""


@pytest.mark.parametrize("level", list(Isolation), ids=lambda level: level.value)
def test_a_killed_graders_sandbox_folder_is_its_users_alone_and_the_next_grader_removes_it(
    level: Isolation, tmp_path: Path, no_survivors: None
) -> None:
    """SIGKILL (or the OOM killer) leaves the grader no time to remove its sandbox's folder, which holds a
    copy of the student's file: no other user of the machine can read that copy, and the next grading
    removes the folder once it is older than any grading."""
    if reason := isolation.unavailable(level):
        pytest.skip(f"the {level.value} level is not available here: {reason}")
    marker = f"killed-grader-{os.getpid()}-{level.value}"
    (tmp_path / "ex01_spawn.py").write_text(HANGS.format(marker=marker))
    temp = Path(run.short_temp())
    grader = subprocess.Popen(
        [sys.executable, "-m", "grader", "ex01", "--submission", str(tmp_path), "--isolation", level.value],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def copies() -> list[Path]:
        found = []
        for copy in temp.glob(f"{run.TEMP_PREFIX}ex01-*/submission/ex01_spawn.py"):
            with contextlib.suppress(OSError):
                if marker in copy.read_text():
                    found.append(copy)
        return found

    methods = len(available_start_methods())
    try:  # (the copy is never another user's to read, so its modes may be read at any moment)
        wait_for(lambda: len(copies()) == methods, "a copy of the file in the sandbox of each start method")
    finally:
        grader.kill()
        grader.wait()
    others = 0o077 if level is Isolation.PROCESS else 0o007  # (else the group is the sandbox's user's own)
    old = time.time() - 2 * run.ABANDONED_AFTER
    left = copies()  # a sandbox per start method, each with its copy
    for copy in left:
        assert [oct(path.stat().st_mode & others) for path in (copy, copy.parent)] == ["0o0", "0o0"]
        os.utime(copy.parents[1], (old, old))
    removed = run.remove_abandoned(str(temp))
    assert left and all(copy.parents[1].name in removed and not copy.parents[1].exists() for copy in left)


@pytest.mark.skipif(not os.path.isdir("/dev/shm"), reason="named semaphores are files of /dev/shm on Linux only")
@pytest.mark.parametrize("exercise", ["ex03", "ex05"])
def test_at_the_process_level_the_semaphores_that_killed_processes_made_do_not_stay_on_the_machine(
    exercise: str, no_survivors: None
) -> None:
    """Under spawn and forkserver a lock's named semaphore is unlinked by its process when it ends, or
    else by the resource tracker when the tracker ends; the runner kills the processes of every
    scenario, so the tracker must end well. At the process level ``/dev/shm`` is the machine's."""
    before = set(os.listdir("/dev/shm"))
    graded = EXERCISES[exercise]
    result = grade_file(graded, TESTS.parent / "solutions" / graded.filename, level="process")
    assert result.score == result.max_score
    assert sorted(set(os.listdir("/dev/shm")) - before) == []
