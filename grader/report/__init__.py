"""Stage 4: render a ``SubmissionResult`` in each output format; each is a pure function of it."""

from __future__ import annotations

from collections.abc import Callable

from grader.models import SubmissionResult
from grader.report import github, gradescope, json_format, junit, markdown, text

RENDERERS: dict[str, Callable[[SubmissionResult, bool], str]] = {
    "text": text.render,
    "json": json_format.render,
    "junit": junit.render,
    "gradescope": gradescope.render,
    "github": github.render,
    "markdown": markdown.render,
}
