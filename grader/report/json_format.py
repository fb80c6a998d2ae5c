"""``--format json``: the schema documented in the README."""

from __future__ import annotations

import json

from grader.models import SubmissionResult
from grader.report.safe import UNSAFE


def render(result: SubmissionResult, color: bool = False) -> str:
    """The result as data, every text as the student's code made it (the other formats are for
    reading); ``json.dumps`` escapes only C0 controls, so the rest of what ``UNSAFE`` matches is
    written as ``\\uXXXX`` too: the same data, nothing raw for a terminal the JSON is printed on."""
    dumped = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    return UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", dumped)
