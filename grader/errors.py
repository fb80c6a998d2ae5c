"""The grader's own exceptions. A student's mistake is never one of these: it is a failed check."""

from __future__ import annotations


class GraderError(Exception):
    """Something the grader itself cannot do: shown as an internal error (exit 3)."""


class UsageError(GraderError):
    """The command was asked for something that does not exist (exit 2)."""
