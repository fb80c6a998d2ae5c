"""Where a batch's grades go besides ``gradebook.csv``: a Canvas or Moodle import, nbgrader's gradebook.

Used by ``grade batch`` as it finishes and by ``grade gradebook``, which renders the same files again
from a results folder (``<student>/result.json``), without grading anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.batch.store import write_atomically
from grader.errors import UsageError
from grader.exercises import EXERCISES
from grader.lms.roster import Roster
from grader.models import ExerciseResult, SubmissionResult
from grader.report import lms_csv

FORMATS = ("plain", "canvas", "moodle")
FILES = {"canvas": "canvas-gradebook.csv", "moodle": "moodle-grades.csv"}


@dataclass(frozen=True)
class Destinations:
    """What a teacher asked for on the command line, checked before any grading starts."""

    gradebook: str = "plain"  #: plain (gradebook.csv only), canvas or moodle
    roster: Roster | None = None
    blank_missing: bool = True  #: roster students who handed in nothing: empty cells, or 0
    nbgrader_db: str = ""  #: an SQLAlchemy URL of nbgrader's gradebook, e.g. sqlite:///gradebook.db
    assignment: str = ""  #: the assignment's name in nbgrader's gradebook

    def __post_init__(self) -> None:
        if self.gradebook not in FORMATS:
            raise UsageError(f"--gradebook {self.gradebook}: choose from {', '.join(FORMATS)}")
        if self.gradebook == "moodle" and self.roster is None:
            raise UsageError(lms_csv.MOODLE_NEEDS_ROSTER)
        if bool(self.nbgrader_db) != bool(self.assignment):
            raise UsageError("--nbgrader-db and --assignment go together: the gradebook's URL and the assignment")


def write(out: Path, results: list[SubmissionResult], exercises: list[str], where: Destinations) -> list[str]:
    """Write the LMS import (and record the grades in nbgrader); return what the teacher must look at."""
    notes: list[str] = []
    if where.gradebook in FILES:
        render = lms_csv.canvas if where.gradebook == "canvas" else lms_csv.moodle
        made = render(results, exercises, where.roster, where.blank_missing)
        write_atomically(out / FILES[where.gradebook], made.text)
        unmatched = out / f"{where.gradebook}-unmatched.txt"
        if made.unmatched:
            write_atomically(unmatched, "\n".join(made.unmatched) + "\n")
            notes.append(f"{len(made.unmatched)} students need a look before the import: see {unmatched}")
        else:
            unmatched.unlink(missing_ok=True)
    if where.nbgrader_db:
        from grader.lms import nbgrader_db  # nbgrader is an optional extra

        nbgrader_db.record(where.nbgrader_db, where.assignment, results, exercises)
    return notes


def read_results(out: Path) -> tuple[list[SubmissionResult], list[str]]:
    """Every student's ``result.json`` in a batch's results folder, and the exercises they cover."""
    results = []
    for path in sorted(out.glob("*/result.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            exercises = tuple(ExerciseResult.from_dict(exercise) for exercise in data["exercises"])
            results.append(
                SubmissionResult(data["submission"], exercises, data["student"], data["late"], tuple(data["notes"]))
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{path}: not a result of grade batch ({error})") from None
    if not results:
        raise UsageError(f"{out}: no <student>/result.json here; give the --out folder of grade batch")
    graded = {exercise.exercise for result in results for exercise in result.exercises}
    return results, [exercise for exercise in EXERCISES if exercise in graded]
