"""Canvas's and Moodle's grade imports, read back with the rules of each importer (canvas-lms's
GradebookImporter, Moodle's gradeimport_csv), from sample roster exports kept in tests/lms/rosters."""

from __future__ import annotations

import csv
import io
import re

import pytest
from conftest import KIT

from grader.errors import UsageError
from grader.exercises import EXERCISES
from grader.lms.roster import Roster, read_roster
from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report import lms_csv

ROSTERS = KIT / "tests" / "lms" / "rosters"
EXERCISE_IDS = ["ex01", "ex02"]


def exercise(exercise_id: str, passed: int, problem: str = "") -> ExerciseResult:
    """``passed`` of the exercise's checks pass, in the suite's order."""
    checks = []
    for index, spec in enumerate(EXERCISES[exercise_id].checks()):
        ok = index < passed and not problem
        checks.append(
            CheckResult(
                spec.id, spec.title, Status.PASSED if ok else Status.FAILED, spec.points if ok else 0, spec.points,
                message="" if ok else f"{spec.title} went wrong\nsecond line",
            )
        )  # fmt: skip
    return ExerciseResult(exercise_id, EXERCISES[exercise_id].title, "f.py", tuple(checks), ("fork",), problem)


def student(name: str, *exercises: ExerciseResult) -> SubmissionResult:
    return SubmissionResult(f"class/{name}", exercises, student=name)


def scores(result: SubmissionResult) -> list[str]:
    return [str(e.score) for e in result.exercises]


CLASS = [
    student("lovelaceada_1001", exercise("ex01", 99), exercise("ex02", 2)),  # a Canvas download, in the roster
    student("alan@uni.example", exercise("ex01", 2)),  # a folder named by login
    student("stranger_2000", exercise("ex01", 0)),  # a Canvas download, not in the roster
    student("noname", exercise("ex02", 1)),  # neither an id nor in the roster
]


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def canvas_import(text: str) -> dict[str, object]:
    """What Canvas's GradebookImporter reads from the file, or an AssertionError where it would refuse it."""
    rows = table(text)
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1]  # row_has_student_headers?
    assert re.match(r"SIS\s+User\s+ID", header[2]) and re.match(r"SIS\s+Login\s+ID", header[3])
    assert "Section" in header[4]  # the last student column
    assignments = [re.match(r"\A(.*)\s\((\d+)\)\Z", column) or column for column in header[5:]]
    assert "Points Possible" in rows[1][0]
    points = [float(cell) for cell in rows[1][5:]]
    students = {}
    for row in rows[2:]:
        assert len(row) == len(header)
        assert row[1] == "" or row[1].isdigit()
        grades = [cell for cell in row[5:]]
        assert all(cell == "" or float(cell) >= 0 for cell in grades)
        students[row[1] or row[0]] = grades
    return {"assignments": assignments, "points": points, "students": students}


def test_canvas_with_a_roster() -> None:
    made = lms_csv.canvas(CLASS, EXERCISE_IDS, read_roster(ROSTERS / "canvas-export.csv"), blank=True)
    read = canvas_import(made.text)
    first = read["assignments"][0]  # type: ignore[index]
    assert isinstance(first, re.Match) and first[2] == "4101"  # the roster's own assignment: updated, not new
    assert read["assignments"][1] == "ex02 Run many processes at the same time"  # type: ignore[index]
    assert read["points"] == [10, 10]
    students = read["students"]
    assert students["1001"] == scores(CLASS[0]) == ["10", scores(CLASS[0])[1]]  # type: ignore[index]
    assert students["1003"] == [*scores(CLASS[1]), ""]  # type: ignore[index]  # matched by SIS login
    assert students["1002"] == ["", ""]  # type: ignore[index]  # in the roster, handed in nothing
    assert students["2000"] == ["0", ""]  # type: ignore[index]  # kept, with its Canvas ID
    assert students["noname"] == ["", *scores(CLASS[3])]  # type: ignore[index]  # kept: Canvas tries the name
    assert [line.split(":")[0] for line in made.unmatched] == ["noname", "stranger_2000"]
    rows = table(made.text)
    assert rows[2][2:5] == ["S1004", "mal@uni.example", "Tue lab"]  # sorted by name: the formula first
    assert rows[2][0].startswith("'=")  # a formula in a name is made inert
    assert "Lovelace, Ada" in made.text and "Mon lab" in made.text


def test_canvas_without_a_roster_and_with_zeros() -> None:
    made = lms_csv.canvas(CLASS, EXERCISE_IDS, None, blank=False)
    students = canvas_import(made.text)["students"]
    assert students["1001"] == scores(CLASS[0]) and students["2000"] == ["0", ""]  # type: ignore[index]
    assert made.unmatched == ("alan@uni.example: no Canvas ID (not in the roster); Canvas will look for the name",
                              "noname: no Canvas ID (not in the roster); Canvas will look for the name")  # fmt: skip
    with_zeros = lms_csv.canvas([], EXERCISE_IDS, read_roster(ROSTERS / "canvas-export.csv"), blank=False)
    assert canvas_import(with_zeros.text)["students"]["1002"] == ["0", "0"]  # type: ignore[index]


def moodle_import(text: str, roster: Roster) -> dict[str, list[str]]:
    """What Moodle's CSV import would take: it stops at an identifier it cannot find."""
    rows = table(text)
    field = {"Email address": "email", "Username": "username", "ID number": "idnumber"}[rows[0][0]]
    known = {getattr(person, field) for person in roster.people}
    found = {}
    for row in rows[1:]:
        assert len(row) == len(rows[0]) and row[0] in known, row
        for grade in row[1::2]:
            assert grade in ("", "-") or 0 <= float(grade) <= 100  # gradepointmax
        assert all("\n" not in feedback for feedback in row[2::2])
        found[row[0]] = row[1:]
    return found


def test_moodle_with_a_roster() -> None:
    roster = read_roster(ROSTERS / "moodle-export.csv")
    results = [*CLASS, student("Grace Hopper_77", exercise("ex01", 0, problem="Not submitted.")),
               student("Twin Name_5", exercise("ex01", 3))]  # fmt: skip
    made = lms_csv.moodle(results, EXERCISE_IDS, roster, blank=True)
    header = table(made.text)[0]
    items = [lms_csv.item_title(EXERCISES[exercise]) for exercise in EXERCISE_IDS]
    assert items == ["ex01 Run a function in a new process", "ex02 Run many processes at the same time"]
    assert header == ["Email address", items[0], f"{items[0]} (feedback)", items[1], f"{items[1]} (feedback)"]
    found = moodle_import(made.text, roster)
    alan = found["alan@uni.example"]
    assert alan[0] == scores(CLASS[1])[0] and alan[1].startswith(f"{alan[0]}/10: ") and "checks not passed" in alan[1]
    assert alan[2:] == ["", "Not submitted."]
    assert found["grace@uni.example"][:2] == ["0", "0/10: Not submitted."]  # matched by name
    assert found["twin1@uni.example"] == ["", "Not submitted.", "", "Not submitted."]  # a name two people share
    assert {line.split(":")[0] for line in made.unmatched} == {
        "lovelaceada_1001",
        "stranger_2000",
        "noname",
        "Twin Name_5",
    }


def test_moodle_needs_a_roster_with_an_identifier() -> None:
    with pytest.raises(UsageError, match="needs --roster"):
        lms_csv.moodle(CLASS, EXERCISE_IDS, None, blank=True)
    with pytest.raises(UsageError, match="Email address"):
        lms_csv.moodle(CLASS, EXERCISE_IDS, read_roster(ROSTERS / "canvas-export.csv"), blank=True)


def test_a_roster_that_names_no_student_is_refused() -> None:
    with pytest.raises(UsageError, match="no column names the students"):
        read_roster(ROSTERS / "no-identity.csv")


def test_the_summary_is_one_line() -> None:
    assert lms_csv.summary(exercise("ex01", 99)) == "10/10: every check passed."
    line = lms_csv.summary(exercise("ex01", 0))
    assert "\n" not in line and line.startswith("0/10: ") and "went wrong" in line
