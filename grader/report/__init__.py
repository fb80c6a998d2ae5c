"""Stage 4: render a ``SubmissionResult`` in each output format; each is a pure function of it."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from grader.models import SubmissionResult


def _renderer(module: str) -> Callable[..., str]:
    """``grader.report.<module>.render``, imported when first used: a student's `grade --format
    json` need not load rich, nor the text report the XML library."""

    def render(result: SubmissionResult, color: bool = False) -> str:
        rendered: str = importlib.import_module(f"grader.report.{module}").render(result, color)
        return rendered

    return render


RENDERERS: dict[str, Callable[..., str]] = {
    "text": _renderer("text"),
    "json": _renderer("json_format"),
    "junit": _renderer("junit"),
    "gradescope": _renderer("gradescope"),
    "github": _renderer("github"),
    "markdown": _renderer("markdown"),
}
