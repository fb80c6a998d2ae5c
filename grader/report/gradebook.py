"""``gradebook.csv``: one row per student, a column per exercise, the total; for spreadsheets and LMSs."""

from __future__ import annotations

import csv
import io

from grader.models import SubmissionResult


def render(results: list[SubmissionResult], exercises: list[str]) -> str:
    """Rows sorted by student, so the same results always give the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *exercises, "total", "max_total", "late", "isolation", "notes"])
    for result in sorted(results, key=lambda result: (result.student.casefold(), result.student)):
        scores = {exercise.exercise: exercise.score for exercise in result.exercises}
        writer.writerow([
            inert(result.student),
            *(scores.get(exercise, 0) for exercise in exercises),
            result.score,
            result.max_score,
            "yes" if result.late else "",
            "/".join(sorted({exercise.isolation for exercise in result.exercises if exercise.isolation})),
            inert(" | ".join(result.notes)),
        ])  # fmt: skip
    return buffer.getvalue()


def inert(cell: str) -> str:
    """Text a spreadsheet will not run as a formula (names and file names come from students)."""
    return f"'{cell}" if cell.startswith(("=", "+", "-", "@", "\t", "\r")) else cell
