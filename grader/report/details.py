"""The details of a check that did not pass, as plain text (shared by the junit and gradescope formats),
and the small pieces of wording every format uses."""

from __future__ import annotations

from grader.models import Cause, CheckResult, ExerciseResult, Location, Status


def details(check: CheckResult, exercise: ExerciseResult | None = None) -> str:
    """Message, location, deadlock report, printed output and hint of a check; empty when it passed.
    A check that failed because of a diagnosed mistake shows the mistake instead of its own message."""
    if check.status is Status.PASSED:
        return ""
    cause = exercise.cause(check.cause) if exercise is not None and check.cause else None
    if cause is not None:
        parts = [f"Fails because of this mistake: {mistake(cause)}"]
        parts += [check.stacks, f"Your code printed:\n{check.output}" if check.output else ""]
        return "\n\n".join(part.rstrip() for part in parts if part.strip())
    parts = [check.message]
    if check.location is not None:
        parts.append(where(check.location))
    if check.stacks:
        parts.append(check.stacks)
    if check.output:
        parts.append(f"Your code printed:\n{check.output}")
    if check.hint:
        parts.append(f"Hint: {check.hint}")
    return "\n\n".join(part.rstrip() for part in parts if part.strip())


def mistake(cause: Cause) -> str:
    """A diagnosed mistake as plain text: what, where, what to do, what to read."""
    parts = [cause.message]
    if cause.location is not None:
        parts.append(where(cause.location))
    parts.append(f"Hint: {cause.hint}")
    if cause.docs:
        parts.append(f"Read: {cause.docs}")
    return "\n".join(parts)


def because(exercise: ExerciseResult, check: CheckResult) -> str:
    """What a check broken by a diagnosed mistake says instead of its own message."""
    if len(exercise.causes) == 1:
        return "Fails because of the mistake above."
    number = next(index for index, cause in enumerate(exercise.causes, 1) if cause.id == check.cause)
    return f"Fails because of mistake {number} above."


def where(location: Location) -> str:
    """``at FILE:LINE`` and the line of code; with a column, the code on a line of its own and a caret
    under the spot, as Python shows a syntax error (``FILE:LINE`` is what editors jump to)."""
    if location.column and location.code:
        caret = " " * (location.column - 1) + "^"
        return f"at {location.file}:{location.line}\n    {location.code}\n    {caret}"
    code = f"  {location.code}" if location.code else ""
    return f"at {location.file}:{location.line}{code}"


def first_line(text: str) -> str:
    """The first line of a message, stripped: what a table or a one-line summary shows of it."""
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
