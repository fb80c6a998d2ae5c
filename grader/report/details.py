"""The details of a check that did not pass, as plain text (shared by the junit and gradescope formats),
and the small pieces of wording every format uses."""

from __future__ import annotations

from grader.models import CheckResult, Status


def details(check: CheckResult) -> str:
    """Message, location, deadlock report, printed output and hint of a check; empty when it passed."""
    if check.status is Status.PASSED:
        return ""
    parts = [check.message]
    # a syntax error's message already names file and line: say it once
    if check.location is not None and check.location.file not in check.message:
        code = f"  {check.location.code}" if check.location.code else ""
        parts.append(f"at {check.location.file}:{check.location.line}{code}")
    if check.stacks:
        parts.append(check.stacks)
    if check.output:
        parts.append(f"Your code printed:\n{check.output}")
    if check.hint:
        parts.append(f"Hint: {check.hint}")
    return "\n\n".join(part.rstrip() for part in parts if part.strip())


def first_line(text: str) -> str:
    """The first line of a message, stripped: what a table or a one-line summary shows of it."""
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
