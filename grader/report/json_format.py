"""``--format json``: the schema documented in the README."""

from __future__ import annotations

import json

from grader.models import SubmissionResult


def render(result: SubmissionResult, color: bool = False) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
