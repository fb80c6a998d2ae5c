"""Stage 3: turn a suite's records into scored checks.

The score is built from the grader's own list of checks (``Exercise.checks``) and the records
the harness signed: whatever the submission printed or wrote, a check with no record earns
nothing, and a check passes only if it passed under every start method it had to run under.
"""

from __future__ import annotations

from typing import Any

from grader.exercises import Exercise
from grader.isolate import SuiteRun
from grader.models import CheckResult, CheckSpec, ExerciseResult, Location, Status, Submission


def score(exercise: Exercise, submission: Submission, run: SuiteRun | None, start_methods: list[str]) -> ExerciseResult:
    """The graded result; ``run`` is None when the submission could not be run at all."""
    specs = exercise.checks()
    if run is None:
        checks = tuple(unrunnable(spec, submission) for spec in specs)
        return ExerciseResult(
            exercise.id, exercise.title, str(submission.path), checks, tuple(start_methods), submission.problem
        )
    records: dict[str, dict[str, dict[str, Any]]] = {}
    for record in run.records:
        records.setdefault(record["check"], {})[record["method"]] = record
    checks = tuple(judge(spec, records.get(spec.id, {}), run, start_methods) for spec in specs)
    return ExerciseResult(
        exercise.id,
        exercise.title,
        str(submission.path),
        checks,
        tuple(start_methods),
        problem=problem(run, specs),
        duration=run.duration,
    )


def unrunnable(spec: CheckSpec, submission: Submission) -> CheckResult:
    status = Status.ERROR if submission.submitted else Status.NOT_RUN
    return CheckResult(
        spec.id, spec.title, status, 0, spec.points,
        message=submission.problem, location=submission.location,
    )  # fmt: skip


def judge(spec: CheckSpec, runs: dict[str, dict[str, Any]], run: SuiteRun, start_methods: list[str]) -> CheckResult:
    """One check over the start methods it had to pass under."""
    expected = start_methods if spec.per_start_method else start_methods[:1]
    statuses: dict[str, Status] = {}
    failure: dict[str, Any] | None = None
    for method in expected:
        record = runs.get(method) or missing(spec, method, run)
        if record["status"] == "skipped":  # already failed under an earlier method
            continue
        statuses[method] = Status(record["status"])
        if failure is None and statuses[method] is not Status.PASSED:
            failure = {**record, "method": method}
    duration = sum(record.get("duration", 0.0) for record in runs.values())
    if failure is None:
        return CheckResult(spec.id, spec.title, Status.PASSED, spec.points, spec.points,
                           start_methods=statuses, duration=duration)  # fmt: skip
    message = failure.get("message") or ""
    passed_under = [method for method, status in statuses.items() if status is Status.PASSED]
    if passed_under:
        message = f"Passes under {' and '.join(passed_under)}, but not under {failure['method']}: {message}"
    location = failure.get("location")
    return CheckResult(
        spec.id,
        spec.title,
        statuses[failure["method"]],
        0,
        spec.points,
        message=message,
        hint=failure.get("hint") or spec.hint,
        location=Location(**location) if location else None,
        start_methods=statuses,
        output=failure.get("output", ""),
        stacks=failure.get("stacks", ""),
        duration=duration,
    )


def missing(spec: CheckSpec, method: str, run: SuiteRun) -> dict[str, Any]:
    """The record a check would have, had the suite not stopped before it reported."""
    if run.running == (spec.id, method):
        if run.stopped:
            return {"status": Status.TIMEOUT.value, "message": run.stopped, "stacks": run.stacks}
        return {
            "status": Status.ERROR.value,
            "message": f"The grading process ended while this check was running: {run.ended}",
        }
    return {
        "status": Status.NOT_RUN.value,
        "message": "Not run: grading of this exercise stopped before this check.",
    }


def problem(run: SuiteRun, specs: tuple[CheckSpec, ...]) -> str:
    """What stopped the exercise as a whole, if anything did."""
    titles = {spec.id: spec.title for spec in specs}
    during = f" (during the check '{titles.get(run.running[0], run.running[0])}')" if run.running else ""
    if run.stopped:
        return run.stopped + during
    if not run.finished:
        return f"The grading process ended early{during}: {run.ended}"
    return ""
