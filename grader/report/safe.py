"""Text from the student's code made inert before any format shows it.

An exception's message, what the code printed, the repr of what it returned and the lines of its
file are the student's to choose: on a terminal an escape sequence in them can move the cursor and
print over the report (a forged "10/10"), and a bidirectional control reorders what is shown after
it. Each such character is written as its escape instead, so the student still sees it was there.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from typing import Any

from grader.models import SubmissionResult

# C0 controls but tab and newline, DEL, C1 controls (U+009B alone is a CSI to some terminals); a
# carriage return, unless it ends a line (CRLF), would print the rest over the line's start; the
# bidirectional marks, embeddings, overrides and isolates ("Trojan Source"); and the line and
# paragraph separators, a line break to Python's splitlines but none to a terminal or Markdown
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)"
)


def inert(text: str) -> str:
    """``text`` with each character that could act on a terminal or reorder the display written as
    its Python escape: ``\\x1b``, ``\\r``, ``\\u202e``."""
    return UNSAFE.sub(lambda match: repr(match[0])[1:-1], text)  # each is unprintable: repr escapes it


def inert_result(result: SubmissionResult) -> SubmissionResult:
    """``result`` with ``inert`` applied to every text in it: what each renderer shows.

    Every text rather than a list of fields: a message quotes the student's exception, an output
    their prints, a location their line, a note or a file name their archive, a mistake their code;
    the grader's own text has nothing to escape."""
    shown: SubmissionResult = _inert(result)
    return shown


def _inert(value: Any) -> Any:
    if isinstance(value, Enum):  # a Status is a str too, and must stay a Status
        return value
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, tuple):
        return tuple(_inert(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{field.name: _inert(getattr(value, field.name)) for field in fields(value)})
    return value  # numbers, and the start methods' statuses, keyed by the grader's names
