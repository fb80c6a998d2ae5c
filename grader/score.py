"""Stage 4: the judged checks scored, as the exercise's result.

Scoring is a pure function of the checks' statuses: a check earns its points when it passed, and
nothing otherwise.
"""

from __future__ import annotations

from dataclasses import replace

from grader.exercises import Exercise
from grader.models import Cause, CheckResult, ExerciseResult, Isolation, Status, Submission


def score(
    exercise: Exercise,
    submission: Submission,
    checks: tuple[CheckResult, ...],
    start_methods: list[str],
    *,
    problem: str = "",
    causes: tuple[Cause, ...] = (),
    isolation: Isolation | None = None,
    duration: float = 0.0,
) -> ExerciseResult:
    scored = tuple(replace(check, score=check.max_score if check.status is Status.PASSED else 0) for check in checks)
    return ExerciseResult(
        exercise.id,
        exercise.title,
        str(submission.path),
        scored,
        tuple(start_methods),
        problem or submission.problem,
        duration,
        isolation.value if isolation else "",
        causes,
    )


def unrunnable(exercise: Exercise, submission: Submission, start_methods: list[str]) -> ExerciseResult:
    """Every check failed for the one reason the file cannot be run (missing, not text, syntax error)."""
    status = Status.ERROR if submission.submitted else Status.NOT_RUN
    checks = tuple(
        CheckResult(
            spec.id, spec.title, status, 0, spec.points, message=submission.problem, location=submission.location
        )
        for spec in exercise.checks()
    )
    return score(exercise, submission, checks, start_methods)
