"""``--format github``: workflow commands that GitHub Actions shows as annotations on the student's file.

GitHub shows at most 10 error annotations of a step (and drops the rest), so the failed checks are
grouped by cause (same exercise, same line, same first line of message: a stub that only raises
fails every check of its exercise for one reason), each exercise's first cause comes first, and
what does not fit is listed in the step summary, next to the full feedback.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.models import Cause as Mistake
from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report import markdown
from grader.report.details import first_line, plural
from grader.report.safe import inert_result

MAX_ERRORS = 10  #: error annotations GitHub shows per step


@dataclass(frozen=True)
class Cause:
    """Checks of one exercise that failed for one reason, at one line of the student's file."""

    exercise: ExerciseResult
    checks: tuple[CheckResult, ...]
    mistake: Mistake | None = None  #: the judge's diagnosis, when it named one

    @property
    def line(self) -> int | None:
        location = self.mistake.location if self.mistake else self.checks[0].location
        return location.line if location else None

    @property
    def message(self) -> str:
        if self.mistake is not None:
            return f"{self.mistake.message}\n\nHint: {self.mistake.hint}"
        return self.checks[0].message or self.checks[0].status.value


def render(result: SubmissionResult, color: bool = False) -> str:
    """An ``::error`` per cause, at most ``MAX_ERRORS``; a ``::warning`` if some are left for the
    summary; then the score as a ``::notice``."""
    result = inert_result(result)
    shown, rest = annotated(result)
    lines = [_annotation(cause) for cause in shown]
    if rest:
        checks = sum(len(cause.checks) for cause in rest)
        lines.append(
            f"::warning title=mpgrade::{plural(len(rest), 'more problem')} ({plural(checks, 'check')}) "
            "are listed in the job summary"
        )
    lines.append(f"::notice title=mpgrade::{result.score}/{result.max_score}")
    return "".join(line + "\n" for line in lines)


def summary(result: SubmissionResult) -> str:
    """The Markdown for ``$GITHUB_STEP_SUMMARY``: what no annotation shows, then the whole feedback."""
    result = inert_result(result)
    _, rest = annotated(result)
    if not rest:
        return markdown.render(result)
    rows = [
        f"| {cause.exercise.exercise} | {markdown.escape_line(_where(cause))} "
        f"| {_cell(', '.join(c.title for c in cause.checks))} | {markdown.escape_line(first_line(cause.message))} |"
        for cause in rest
    ]
    table = "\n".join(["| Exercise | Line | Checks | Problem |", "| --- | --- | --- | --- |", *rows])
    return f"## Not shown as annotations\n\n{table}\n\n{markdown.render(result)}"


def annotated(result: SubmissionResult) -> tuple[list[Cause], list[Cause]]:
    """The causes to annotate (each exercise's first, then each one's second, ...) and the rest."""
    queues = [causes(exercise) for exercise in result.exercises]
    ordered = [queue[rank] for rank in range(max(map(len, queues), default=0)) for queue in queues if rank < len(queue)]
    return ordered[:MAX_ERRORS], ordered[MAX_ERRORS:]


def causes(exercise: ExerciseResult) -> list[Cause]:
    """The exercise's failed checks grouped by the mistake the judge named, else by line and first line
    of message; located causes first, then those that cost the most checks."""
    groups: dict[tuple[int | None, str], list[CheckResult]] = {}
    for check in exercise.checks:
        if check.status is not Status.PASSED:
            line = check.location.line if check.location else None
            key = (
                (None, f"mistake {check.cause}")
                if check.cause
                else (line, first_line(check.message) or check.status.value)
            )
            groups.setdefault(key, []).append(check)
    found = [Cause(exercise, tuple(checks), exercise.cause(checks[0].cause)) for checks in groups.values()]
    return sorted(found, key=lambda cause: (cause.line is None, -len(cause.checks)))  # stable: suite order


def _annotation(cause: Cause) -> str:
    properties = {"file": cause.exercise.file} if cause.exercise.file else {}
    if cause.line is not None:
        properties["line"] = str(cause.line)
    first, others = cause.checks[0], cause.checks[1:]
    title = f"{cause.exercise.exercise}: {first.title}"
    message = cause.message
    if others:
        title += f" (and {plural(len(others), 'more check')})"
        message += "\n\nThe same problem fails: " + "; ".join(check.title for check in others)
    properties["title"] = title
    listed = ",".join(f"{name}={_escape_property(value)}" for name, value in properties.items())
    return f"::error {listed}::{_escape_data(message)}"


def _where(cause: Cause) -> str:
    return f"{cause.exercise.file}:{cause.line}" if cause.line is not None else cause.exercise.file


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _escape_data(text: str) -> str:
    """GitHub's escaping of a command's message: a raw newline would end the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """The message's escaping, plus the separators of the property list."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
