"""Hidden suite for exercise 1: ``run_in_process(target, args=())``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grader.suites import probes
from grader.suites.framework import Student, check, expect, never_joined, still_running

EXERCISE = "ex01"

JOIN_HINT = "After start(), call join() on the process, then return its exitcode."


def run(student: Student, *call: object) -> object:
    return student.function("run_in_process", "target", "args=()")(*call)


def ran_in(folder: Path) -> list[dict[str, Any]]:
    return probes.notes(folder, "ran-")


@dataclass(frozen=True)
class Observed:
    code: object
    runs: list[dict[str, Any]]
    running: list[int]  #: processes still running when run_in_process returned


@pytest.fixture(scope="module")
def plain_run(student: Student, start_method: str, tmp_path_factory: pytest.TempPathFactory) -> Observed:
    """One ordinary call, shared by the checks that look at different sides of it."""
    folder = tmp_path_factory.mktemp("plain")
    code = run(student, probes.report, (str(folder), 7, "seven"))
    return Observed(code, ran_in(folder), still_running())


def expect_waited(running: list[int]) -> None:
    """Without join the child may not even have started: say that before anything else."""
    expect(not running, "run_in_process returned while the child process was still running.", hint=JOIN_HINT)


@check(
    "Runs the target in a new child process",
    points=3,
    hint="Create multiprocessing.Process(target=target, args=args) and start() it. Calling "
    "target(*args) yourself, or writing Process(target=target(*args)), runs it in the parent.",
)
def test_runs_in_child_process(plain_run: Observed) -> None:
    expect_waited(plain_run.running)
    expect(plain_run.runs, "The target never ran.")
    expect(
        all(record["pid"] != os.getpid() for record in plain_run.runs),
        "The target ran in the grader's own process (same PID), not in a new process: "
        "a thread, or calling the function directly, does not start a process.",
    )
    expect(len(plain_run.runs) == 1, f"The target ran {len(plain_run.runs)} times; it should run once.")


@check(
    "Passes args to the target",
    points=1,
    hint="Hand the tuple over as Process(target=target, args=args).",
)
def test_passes_args(plain_run: Observed) -> None:
    expect_waited(plain_run.running)
    expect(plain_run.runs, "The target never ran.")
    got = plain_run.runs[0]["args"]
    expect(
        got == [repr(7), repr("seven")],
        f"The target was called with ({', '.join(got)}) instead of (7, 'seven').",
    )


@check(
    "Returns 0 when the target returns normally",
    points=1,
    hint=JOIN_HINT,
)
def test_exit_code_success(plain_run: Observed) -> None:
    code = plain_run.code
    expect(code == 0, f"run_in_process returned {code!r}; a child that ends normally has exit code 0.")


@check(
    "Returns the code the target passed to sys.exit",
    points=2,
    hint="Return process.exitcode after join(); it holds the code given to sys.exit.",
)
def test_exit_code_from_sys_exit(student: Student, tmp_path: Path) -> None:
    code = run(student, probes.report_then_exit, (str(tmp_path), 3))
    expect(code == 3, f"The target called sys.exit(3) but run_in_process returned {code!r}.")


@check(
    "Returns 1 when the target raises an exception",
    points=1,
    hint="An uncaught exception in the child gives exitcode 1; do not catch it in the parent.",
)
def test_exit_code_after_exception(student: Student, tmp_path: Path) -> None:
    code = run(student, probes.report_then_raise, (str(tmp_path),))
    expect(code == 1, f"The target raised an exception but run_in_process returned {code!r}.")


@check(
    "Waits for the child to finish",
    points=2,
    hint=JOIN_HINT + " join() without a timeout waits as long as the child runs.",
)
def test_waits_for_child(student: Student, tmp_path: Path) -> None:
    run(student, probes.report_when_done, (str(tmp_path), 0.1))
    expect_waited(still_running())
    expect(not never_joined(), "The child finished but was never joined (it is left as a zombie process).")
    expect(ran_in(tmp_path), "The target never ran.")
    expect(probes.notes(tmp_path, "done-"), "run_in_process returned before the child had finished its work.")
