"""The pipeline in one place: discover -> isolate -> score, for one exercise or several.

Library first: the CLI, the batch grader and the teacher's selfcheck all call these functions.
"""

from __future__ import annotations

import threading
from pathlib import Path

from grader import discover, isolate
from grader.errors import GraderError
from grader.exercises import Exercise, available_start_methods
from grader.models import ExerciseResult, Limits
from grader.score import score


def grade_exercise(
    exercise: Exercise,
    folder: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    fail_fast: bool = False,
    coverage_rc: Path | None = None,
) -> ExerciseResult:
    """Grade one exercise of the submission in ``folder``."""
    return grade_file(
        exercise, folder / exercise.filename,
        start_methods=start_methods, limits=limits, fail_fast=fail_fast, coverage_rc=coverage_rc,
    )  # fmt: skip


def grade_file(
    exercise: Exercise,
    path: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    fail_fast: bool = False,
    coverage_rc: Path | None = None,
    cancel: threading.Event | None = None,
) -> ExerciseResult:
    """Grade ``path`` as the file of ``exercise``, whatever it is called."""
    methods = start_methods or available_start_methods()
    unknown = set(methods) - set(available_start_methods())
    if unknown:
        raise ValueError(f"start method {', '.join(sorted(unknown))} is not available here")
    submission = discover.inspect(exercise, path)
    if submission.problem:
        return score(exercise, submission, None, methods)
    run = isolate.run_suite(
        exercise, submission.path, start_methods=methods, limits=limits,
        fail_fast=fail_fast, coverage_rc=coverage_rc, cancel=cancel,
    )  # fmt: skip
    if run.survivors:
        raise GraderError(
            f"processes {list(run.survivors)} of the {exercise.id} sandbox survived the "
            "grader's kill: stop them by hand and report this bug"
        )
    return score(exercise, submission, run, methods)


def grade(
    exercises: list[Exercise],
    folder: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    fail_fast: bool = False,
) -> list[ExerciseResult]:
    """Grade several exercises of one submission, one sandbox after another."""
    return [
        grade_exercise(exercise, folder, start_methods=start_methods, limits=limits, fail_fast=fail_fast)
        for exercise in exercises
    ]
