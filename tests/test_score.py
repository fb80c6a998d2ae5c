"""Scoring from the grader's own list of checks: records decide, their absence costs."""

from __future__ import annotations

from typing import Any

from grader.exercises import EXERCISES
from grader.isolate import SuiteRun
from grader.models import Status, Submission
from grader.score import score

EX01 = EXERCISES["ex01"]
METHODS = ["fork", "spawn", "forkserver"]


def suite_run(records: list[dict[str, Any]], **changes: Any) -> SuiteRun:
    fields: dict[str, Any] = dict(
        records=tuple(records),
        running=None,
        finished=True,
        stopped="",
        stacks="",
        ended="",
        killed=0,
        survivors=(),
        duration=1.0,
    )
    fields.update(changes)
    return SuiteRun(**fields)


def passed_everywhere() -> list[dict[str, Any]]:
    return [
        {"check": spec.id, "method": method, "status": "passed"}
        for spec in EX01.checks()
        for method in (METHODS if spec.per_start_method else METHODS[:1])
    ]


def graded(records: list[dict[str, Any]], **changes: Any):  # type: ignore[no-untyped-def]
    return score(EX01, Submission("ex01", EX01.filename), suite_run(records, **changes), METHODS)


def test_full_marks_need_every_check_under_every_method() -> None:
    assert graded(passed_everywhere()).full_marks


def test_a_check_with_no_record_earns_nothing() -> None:
    records = [r for r in passed_everywhere() if not (r["check"] == "passes_args" and r["method"] == "spawn")]
    result = graded(records)
    check = next(c for c in result.checks if c.id == "passes_args")
    assert (check.status, check.score) == (Status.NOT_RUN, 0)
    assert result.score == 9


def test_failing_under_one_method_only_says_so() -> None:
    records = passed_everywhere()
    for record in records:
        if record["check"] == "passes_args" and record["method"] == "spawn":
            record.update(status="error", message="Can't pickle", hint="")
    check = next(c for c in graded(records).checks if c.id == "passes_args")
    assert check.status is Status.ERROR
    assert check.message.startswith("Passes under fork and forkserver, but not under spawn: Can't pickle")
    assert check.hint == check.hint and check.hint  # falls back to the check's own hint


def test_skipped_after_a_failure_is_not_counted_as_missing() -> None:
    records = [r for r in passed_everywhere() if r["check"] != "passes_args"]
    records += [
        {"check": "passes_args", "method": "fork", "status": "failed", "message": "wrong args"},
        {"check": "passes_args", "method": "spawn", "status": "skipped"},
        {"check": "passes_args", "method": "forkserver", "status": "skipped"},
    ]
    check = next(c for c in graded(records).checks if c.id == "passes_args")
    assert (check.status, check.message, check.start_methods) == (Status.FAILED, "wrong args", {"fork": Status.FAILED})


def test_the_check_running_when_the_grader_stopped_is_a_timeout() -> None:
    records = [r for r in passed_everywhere() if r["check"] != "waits_for_child"]
    result = graded(records, running=("waits_for_child", "fork"), finished=False, stopped="Grading stopped after 60 s")
    check = next(c for c in result.checks if c.id == "waits_for_child")
    assert check.status is Status.TIMEOUT
    assert result.problem == "Grading stopped after 60 s (during the check 'Waits for the child to finish')"


def test_a_crash_of_the_suite_process_is_explained() -> None:
    result = graded([], running=("runs_in_child_process", "fork"), finished=False, ended="it exited with code 0")
    first, second = result.checks[:2]
    assert first.status is Status.ERROR and "ended while this check was running" in first.message
    assert second.status is Status.NOT_RUN
    assert result.score == 0


def test_a_submission_that_cannot_run_fails_every_check() -> None:
    result = score(EX01, Submission("ex01", EX01.filename, "ex01_spawn.py was not found"), None, METHODS)
    assert result.score == 0 and result.problem == "ex01_spawn.py was not found"
    assert {check.status for check in result.checks} == {Status.ERROR}
