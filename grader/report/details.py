"""The details of a check that did not pass, as plain text (shared by the junit and gradescope formats),
and the small pieces of wording every format uses."""

from __future__ import annotations

from grader.models import CheckResult, Location, Status


def details(check: CheckResult) -> str:
    """Message, location, deadlock report, printed output and hint of a check; empty when it passed."""
    if check.status is Status.PASSED:
        return ""
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
