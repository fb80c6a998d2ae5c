"""``--format markdown``: a student's feedback (``feedback.md`` in batch grading, the GitHub step summary)."""

from __future__ import annotations

import re

from grader.models import Cause, CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report.details import because, where
from grader.report.safe import inert_result

# what Markdown reads as syntax anywhere in a line: backslash (it would undo an escape), code,
# emphasis, a link or image, a table cell, strikethrough, math; an underscore inside a word is none
# (run_in_process stays as it is)
INLINE = re.compile(r"[\\`*\[|~$]|(?<![^\W_])_|_(?![^\W_])")
# and at a line's start: a heading, a setext underline or a rule, a list item (``- ``, ``+ ``, ``1. ``)
LINE_START = re.compile(r"^([ \t]*\d*)((?<=\d)[.)]|(?<!\d)[#=+\-])", re.MULTILINE)
HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}  # a tag, an entity, an autolink, a quote block


def render(result: SubmissionResult, color: bool = False) -> str:
    """The feedback as a Markdown document."""
    result = inert_result(result)
    title = f"Feedback for {escape_line(result.student)}" if result.student else "Feedback"
    parts = [f"# {title}", f"**Total: {result.score}/{result.max_score}**"]
    if result.late:
        parts.append("> **Late:** the submission was flagged as late.")
    if result.notes:
        parts.append("## Could not be read\n\n" + "\n".join(f"- {escape_line(note)}" for note in result.notes))
    parts += [_exercise(exercise) for exercise in result.exercises]
    return "\n\n".join(parts) + "\n"


def _exercise(exercise: ExerciseResult) -> str:
    parts = [f"## {exercise.exercise} · {exercise.title}: {exercise.score}/{exercise.max_score}"]
    if exercise.isolation:
        parts.append(f"_Graded with isolation level `{exercise.isolation}`._")
    if exercise.problem:
        parts.append(f"**Problem:** {escape(exercise.problem)}")
    if all(check.status is Status.NOT_RUN for check in exercise.checks):  # not submitted, or not graded
        parts.append(f"None of its {len(exercise.checks)} checks ran.")
        return "\n\n".join(parts)
    rows = [
        f"| {_status(check)} | {_cell(check.title)} | {check.score}/{check.max_score} |" for check in exercise.checks
    ]
    parts.append("\n".join(["| Result | Check | Points |", "| --- | --- | --- |", *rows]))
    numbered = len(exercise.causes) > 1
    parts += [_mistake(cause, index if numbered else 0) for index, cause in enumerate(exercise.causes, 1)]
    parts += [_failure(check, exercise) for check in exercise.checks if check.status is not Status.PASSED]
    return "\n\n".join(parts)


def _mistake(cause: Cause, number: int) -> str:
    """A diagnosed mistake, told once before the checks it made fail."""
    parts = [f"### Mistake{f' {number}' if number else ''}", escape(cause.message)]
    if cause.location is not None:
        parts.append("**Where:**\n\n" + _fenced(where(cause.location).removeprefix("at ")))
    parts.append(f"**Hint:** {cause.hint}")
    if cause.docs:
        parts.append(f"**Read:** <{cause.docs}>")
    return "\n\n".join(parts)


def _failure(check: CheckResult, exercise: ExerciseResult) -> str:
    parts = [f"### {_status(check).capitalize()}: {check.title}"]
    if check.cause:  # its message and hint are the mistake's, told above
        parts.append(because(exercise, check))
        if check.stacks:
            parts.append("Where each process was blocked:\n\n" + _fenced(check.stacks))
        if check.output:
            parts.append("Your code printed:\n\n" + _fenced(check.output))
        return "\n\n".join(parts)
    if check.message:
        parts.append(escape(check.message))
    if check.location is not None:
        parts.append("**Where:**\n\n" + _fenced(where(check.location).removeprefix("at ")))
    if check.stacks:
        parts.append("Where each process was blocked:\n\n" + _fenced(check.stacks))
    if check.output:
        parts.append("Your code printed:\n\n" + _fenced(check.output))
    if check.hint:
        parts.append(f"**Hint:** {check.hint}")
    return "\n\n".join(parts)


def escape(text: str) -> str:
    """Text that may quote the student's code (a message, a problem) as Markdown that shows it as
    written: it cannot open a fence, a heading, a list, a table, a link or any HTML. HTML's
    characters become entities, which every Markdown decodes; the rest get a backslash."""
    text = "".join(HTML.get(char, char) for char in text)
    return LINE_START.sub(r"\1\\\2", INLINE.sub(r"\\\g<0>", text))


def escape_line(text: str) -> str:
    """``escape`` for one line of the document (a heading, an item of a list): a newline would end it."""
    return escape(" ".join(text.split()))


def _status(check: CheckResult) -> str:
    return check.status.value.replace("_", " ")


def _cell(text: str) -> str:
    """A table cell: a pipe would start a new cell and a newline would end the table."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code that survives backticks in ``text``: a longer run of them delimits it."""
    ticks = "`" * (_longest_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fenced(text: str) -> str:
    """A fenced block that the student's own output cannot close early."""
    fence = "`" * max(3, _longest_run(text) + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _longest_run(text: str) -> int:
    return max((len(run) for run in re.findall("`+", text)), default=0)
