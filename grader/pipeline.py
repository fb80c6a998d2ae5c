"""The pipeline in one place: discover -> sandbox -> judge -> score, for one exercise or several.

Library first: the CLI, the batch grader and the teacher's selfcheck all call these functions.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader import discover
from grader.exercises import Exercise, available_start_methods
from grader.judge import Source, plan
from grader.judge.evaluate import judge
from grader.models import ExerciseResult, Limits
from grader.sandbox import isolation
from grader.sandbox.run import Job, run_scenarios
from grader.score import score, unrunnable


def grade_exercise(
    exercise: Exercise,
    folder: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    level: str = "auto",
    coverage: Path | None = None,
    parallel: int = 1,
) -> ExerciseResult:
    """Grade one exercise of the submission in ``folder`` (``parallel``: see ``grade_file``)."""
    return grade_file(
        exercise,
        folder / exercise.filename,
        start_methods=start_methods,
        limits=limits,
        level=level,
        coverage=coverage,
        parallel=parallel,
    )


def grade_file(
    exercise: Exercise,
    path: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    level: str = "auto",
    coverage: Path | None = None,
    cancel: threading.Event | None = None,
    parallel: int = 1,
) -> ExerciseResult:
    """Grade ``path`` as the file of ``exercise``, whatever it is called, at the isolation
    ``level`` asked for (``auto``: the best this machine allows), its start methods ``parallel``
    at a time (each in a sandbox of its own; the statuses are the same either way)."""
    methods = start_methods or available_start_methods()
    unknown = set(methods) - set(available_start_methods())
    if unknown:
        raise ValueError(f"start method {', '.join(sorted(unknown))} is not available here")
    chosen = isolation.choose(level)
    submission = discover.inspect(exercise, path)
    if submission.problem:
        return unrunnable(exercise, submission, methods)
    checks = exercise.judged()
    planned = plan(checks, submission.source, methods, limits)
    job = Job(exercise.module, exercise.filename, submission.source, limits, chosen, coverage)
    run = run_scenarios(job, [p.request for p in planned], parallel=parallel, cancel=cancel)
    source = Source(exercise.filename, submission.source.decode("utf-8"))
    verdicts = judge(checks, exercise.diagnoses(), planned, run, source, limits)
    return score(
        exercise, submission, verdicts.checks, methods, problem=verdicts.problem, causes=verdicts.causes,
        isolation=run.isolation, duration=run.duration,
    )  # fmt: skip


def grade(
    exercises: list[Exercise],
    folder: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    level: str = "auto",
    jobs: int | None = None,
) -> list[ExerciseResult]:
    """Grade several exercises of one submission, ``jobs`` sandboxes at a time (default: one per
    core); the results in the order of ``exercises``. With fewer exercises than that (``grade ex01``
    on two cores), each exercise runs all its start methods side by side, a sandbox each: a
    sandbox spends much of its time starting, stopping and waiting on its processes, so three on
    two cores end sooner than two followed by a third. On Ctrl-C every sandbox is stopped before
    the interrupt goes on."""
    cancel = threading.Event()
    jobs = jobs or os.cpu_count() or 1
    parallel = len(start_methods or available_start_methods()) if len(exercises) < jobs else 1
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="exercise") as pool:
        futures = [
            pool.submit(
                grade_file,
                exercise,
                folder / exercise.filename,
                start_methods=start_methods,
                limits=limits,
                level=level,
                cancel=cancel,
                parallel=parallel,
            )  # fmt: skip
            for exercise in exercises
        ]
        try:
            return [future.result() for future in futures]
        except BaseException:
            cancel.set()
            raise
