"""Batch results in nbgrader's gradebook, so that ``nbgrader export`` and formgrader show them.

The assignment gets a notebook per exercise (named like the exercise's module) and a grade cell per
check; each student's submission gets each check's score as its ``auto_score``. Running it again
updates the same rows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
from sqlalchemy.exc import SQLAlchemyError

from grader.errors import UsageError
from grader.exercises import EXERCISES
from grader.models import SubmissionResult


def open_gradebook(db_url: str) -> Gradebook:
    """The gradebook at ``db_url`` (made if it is a new SQLite file); a usage error if it cannot be opened."""
    scripts = str(Path(sys.executable).parent)  # nbgrader runs `alembic` to make a new database
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    try:
        return Gradebook(db_url)
    except (SQLAlchemyError, ValueError, OSError) as error:
        raise UsageError(f"--nbgrader-db {db_url}: cannot open nbgrader's gradebook ({error})") from None


def record(db_url: str, assignment: str, results: list[SubmissionResult], exercises: list[str]) -> None:
    """Create or update the assignment, its students and their grades in the gradebook at ``db_url``."""
    with open_gradebook(db_url) as gradebook:
        gradebook.update_or_create_assignment(assignment)
        for exercise in exercises:
            spec = EXERCISES[exercise]
            gradebook.update_or_create_notebook(spec.module, assignment)
            for check in spec.checks():
                gradebook.update_or_create_grade_cell(
                    check.id, spec.module, assignment, max_score=check.points, cell_type="code"
                )
        for result in results:
            gradebook.update_or_create_student(result.student)
            scores = {
                (EXERCISES[exercise.exercise].module, check.id): check.score
                for exercise in result.exercises
                if exercise.exercise in exercises
                for check in exercise.checks
            }
            try:
                _set_scores(gradebook, assignment, result.student, scores)
            except (MissingEntry, InvalidEntry):  # made before some check existed: make it anew
                gradebook.remove_submission(assignment, result.student)
                _set_scores(gradebook, assignment, result.student, scores)


def _set_scores(gradebook: Gradebook, assignment: str, student: str, scores: dict[tuple[str, str], int]) -> None:
    gradebook.update_or_create_submission(assignment, student)
    for (notebook, cell), score in scores.items():
        gradebook.find_grade(cell, notebook, assignment, student).auto_score = score
    gradebook.db.commit()
