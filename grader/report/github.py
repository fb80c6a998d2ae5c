"""``--format github``: workflow commands that GitHub Actions shows as annotations on the student's file."""

from __future__ import annotations

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report import markdown


def render(result: SubmissionResult, color: bool = False) -> str:
    """One ``::error`` per check not passed, then the score as a ``::notice``."""
    lines = [
        _annotation(exercise, check)
        for exercise in result.exercises
        for check in exercise.checks
        if check.status is not Status.PASSED
    ]
    lines.append(f"::notice title=mpgrade::{result.score}/{result.max_score}")
    return "".join(line + "\n" for line in lines)


def summary(result: SubmissionResult) -> str:
    """The Markdown for ``$GITHUB_STEP_SUMMARY``."""
    return markdown.render(result)


def _annotation(exercise: ExerciseResult, check: CheckResult) -> str:
    properties = {"file": exercise.file} if exercise.file else {}
    if check.location is not None:
        properties["line"] = str(check.location.line)
    properties["title"] = f"{exercise.exercise}: {check.title}"
    listed = ",".join(f"{name}={_escape_property(value)}" for name, value in properties.items())
    return f"::error {listed}::{_escape_data(check.message or check.status.value)}"


def _escape_data(text: str) -> str:
    """GitHub's escaping of a command's message: a raw newline would end the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """The message's escaping, plus the separators of the property list."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
