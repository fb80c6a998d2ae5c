"""``--format gradescope``: the ``results.json`` of a Gradescope autograder.

Spec: https://gradescope-autograders.readthedocs.io/en/latest/specs/
"""

from __future__ import annotations

import json
import re
from typing import Any

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report.details import details
from grader.report.safe import inert_result


def render(result: SubmissionResult, color: bool = False) -> str:
    """The result as Gradescope's ``results.json``: one test per check."""
    result = inert_result(result)
    data = {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": round(sum(exercise.duration for exercise in result.exercises), 3),
        "output": _summary(result),
        "stdout_visibility": "hidden",  # the grader's log is for staff, not students
        "tests": [
            _test(exercise, _number(exercise, position), index, check)
            for position, exercise in enumerate(result.exercises, 1)
            for index, check in enumerate(exercise.checks, 1)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _summary(result: SubmissionResult) -> str:
    scores = "; ".join(f"{exercise.exercise} {exercise.score}/{exercise.max_score}" for exercise in result.exercises)
    sentences = [f"Score {result.score}/{result.max_score} ({scores or 'no exercises'})."]
    sentences += [f"{exercise.exercise}: {exercise.problem}" for exercise in result.exercises if exercise.problem]
    sentences += [
        f"{exercise.exercise}, mistake{f' at line {cause.location.line}' if cause.location else ''}: {cause.message}"
        for exercise in result.exercises
        for cause in exercise.causes
    ]
    sentences += [f"Could not be read: {note}" for note in result.notes]
    if result.late:
        sentences.append("The submission is late.")
    return " ".join(sentences)


def _test(exercise: ExerciseResult, number: int, index: int, check: CheckResult) -> dict[str, Any]:
    return {
        "name": f"{exercise.exercise} · {check.title}",
        "number": f"{number}.{index}",
        "score": check.score,
        "max_score": check.max_score,
        "status": "passed" if check.status is Status.PASSED else "failed",
        "output": details(check, exercise),
        "visibility": "visible",
    }


def _number(exercise: ExerciseResult, position: int) -> int:
    """5 for ``ex05``; the exercise's position when its id has no number."""
    digits = re.search(r"\d+", exercise.exercise)
    return int(digits.group()) if digits else position
