"""Gradebook imports for Canvas and Moodle: pure functions of the results and the LMS's roster.

Canvas (its gradebook importer, ``GradebookImporter`` in canvas-lms): a header whose first columns are
``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``; every later column is an
assignment, matched by the id in ``Title (id)`` or else by title, and created when neither matches; a
row whose first cell contains ``Points Possible`` gives each new assignment its points; a student is
found by ``ID``, then SIS ids, then name; an empty cell changes nothing.
Moodle (``gradeimport_csv``): one column identifies the user (id, ID number, email or username) and the
import stops at a value it cannot find, so only students of the roster are written; each other column
is mapped by hand to a grade item (or a new one) or to an item's feedback; ``-`` or empty is no grade.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from grader.errors import UsageError
from grader.exercises import EXERCISES, Exercise
from grader.lms.roster import CANVAS_DOWNLOAD, Person, Roster
from grader.models import ExerciseResult, Status, SubmissionResult
from grader.report.details import first_line
from grader.report.gradebook import inert

CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"
MOODLE_IDENTIFIERS = {"email": "Email address", "username": "Username", "idnumber": "ID number"}  # in that order
MOODLE_NEEDS_ROSTER = (
    "--gradebook moodle needs --roster CSV (Moodle's grade export or participants list): Moodle's "
    "import finds students by email address, username or ID number, which submissions do not carry"
)
TITLE_AND_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z")  # Canvas's Assignment.title_and_id


@dataclass(frozen=True)
class Import:
    """A file to import, and the students the teacher must look at: never silently dropped."""

    text: str
    unmatched: tuple[str, ...] = ()


def item_title(exercise: Exercise) -> str:
    """The grade item of one exercise, as the LMS shows it."""
    return f"{exercise.id} {exercise.title}"


def points(exercise: Exercise) -> int:
    return sum(check.points for check in exercise.checks())


def summary(exercise: ExerciseResult) -> str:
    """The kit's one-line verdict on an exercise: the score, and what to look at first."""
    verdict = f"{exercise.score}/{exercise.max_score}"
    if exercise.problem:
        return f"{verdict}: {first_line(exercise.problem)}"
    missed = [check for check in exercise.checks if check.status is not Status.PASSED]
    if not missed:
        return f"{verdict}: every check passed."
    first = missed[0]
    what = first_line(first.message) or first.status.value
    return f"{verdict}: {len(missed)} of {len(exercise.checks)} checks not passed; first: {first.title}: {what}"


def canvas(results: list[SubmissionResult], exercises: list[str], roster: Roster | None, blank: bool) -> Import:
    """Canvas's gradebook import: a column per exercise, students by Canvas ID, roster order kept."""
    specs = [EXERCISES[exercise] for exercise in exercises]
    rows: list[tuple[str, list[str]]] = []
    unmatched: list[str] = []
    seen: set[Person] = set()
    for result in _ordered(results):
        person = roster.find(result.student) if roster else None
        download = CANVAS_DOWNLOAD.match(result.student)
        if person is not None:
            seen.add(person)
            identity = [person.name, person.id, person.sis_user_id, person.sis_login_id, person.section]
        elif download:
            identity = [download["name"], download["id"], "", "", ""]
            if roster:
                unmatched.append(f"{result.student}: not in the roster; Canvas will look for ID {download['id']}")
        else:
            identity = [result.student, "", "", "", ""]
            unmatched.append(f"{result.student}: no Canvas ID (not in the roster); Canvas will look for the name")
        scores = {exercise.exercise: str(exercise.score) for exercise in result.exercises}
        rows.append((identity[0], identity + [scores.get(spec.id, "") for spec in specs]))
    for person in roster.people if roster else ():
        if person not in seen:
            empty = "" if blank else "0"
            identity = [person.name, person.id, person.sis_user_id, person.sis_login_id, person.section]
            rows.append((person.name, identity + [empty] * len(specs)))
    header = CANVAS_IDENTITY + [_canvas_column(spec, roster) for spec in specs]
    table = [header, [POINTS_POSSIBLE, "", "", "", "", *(str(points(spec)) for spec in specs)]]
    table += [row for _, row in sorted(rows, key=lambda item: (item[0].casefold(), item[1]))]
    return Import(_csv(table), tuple(unmatched))


def moodle(results: list[SubmissionResult], exercises: list[str], roster: Roster | None, blank: bool) -> Import:
    """Moodle's CSV grade import: an identifier column, then a grade and a feedback column per exercise."""
    if roster is None:
        raise UsageError(MOODLE_NEEDS_ROSTER)
    field = next((name for name in MOODLE_IDENTIFIERS if name in roster.fields), None)
    if field is None:
        raise UsageError(f"--roster: Moodle needs one of the columns {', '.join(MOODLE_IDENTIFIERS.values())}")
    specs = [EXERCISES[exercise] for exercise in exercises]
    graded: dict[Person, SubmissionResult] = {}
    unmatched: list[str] = []
    for result in _ordered(results):
        person = roster.find(result.student)
        if person is None or not getattr(person, field):
            unmatched.append(f"{result.student}: not in the roster, so not in the file (Moodle would stop there)")
        elif person in graded:
            unmatched.append(f"{result.student}: the same person as {graded[person].student}; only that one is kept")
        else:
            graded[person] = result
    header = [MOODLE_IDENTIFIERS[field]]
    for spec in specs:
        header += [item_title(spec), f"{item_title(spec)} (feedback)"]
    table = [header]
    for person in sorted(roster.people, key=lambda person: (person.name.casefold(), getattr(person, field))):
        if not getattr(person, field):
            continue
        handed_in = graded.get(person)
        scores = {exercise.exercise: exercise for exercise in handed_in.exercises} if handed_in else {}
        row = [getattr(person, field)]
        for spec in specs:
            found = scores.get(spec.id)
            row += [str(found.score), summary(found)] if found else ["" if blank else "0", "Not submitted."]
        table.append(row)
    return Import(_csv(table), tuple(unmatched))


def _canvas_column(exercise: Exercise, roster: Roster | None) -> str:
    """The roster's own column for the exercise's assignment (``Title (id)``) when it has one."""
    for column in roster.columns if roster else ():
        match = TITLE_AND_ID.match(column)
        title = match[1] if match else column
        if title == item_title(exercise) or title.split(" ", 1)[0].rstrip(":") == exercise.id:
            return column
    return item_title(exercise)


def _ordered(results: list[SubmissionResult]) -> list[SubmissionResult]:
    return sorted(results, key=lambda result: (result.student.casefold(), result.student))


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[inert(cell) for cell in row] for row in rows])
    return buffer.getvalue()
