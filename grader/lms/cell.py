"""What the locked autograder cell of an exercise notebook runs: the kit grades the module that the
student's ``%%writefile`` cell wrote, exactly as ``grade`` would.

nbgrader reads the score from the cell's outputs (``nbgrader.utils.determine_grade``): an error or
anything on stderr gives 0 points, and an ``execute_result`` that is a number gives that many points
(partial credit). So the feedback goes to stdout, the score is the cell's value, and stderr is
written only when the grader itself failed, which gives 0 and a short message, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from pathlib import Path
from typing import Any

from grader.exercises import EXERCISES, available_start_methods
from grader.models import Limits, SubmissionResult
from grader.pipeline import grade_file
from grader.report import text


def grade_cell(exercise_id: str, start_methods: list[str] | None = None, **limits: Any) -> int | None:
    """Grade ``<module>.py`` in the working directory, print the feedback and return the score."""
    exercise = EXERCISES[exercise_id]
    path = Path(exercise.filename)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")  # a warning on stderr would cost the student every point
            result = grade_file(
                exercise, path, start_methods=start_methods or available_start_methods(), limits=Limits(**limits)
            )
    except Exception as error:  # noqa: BLE001 - the grader's fault: 0 points and a message, not a traceback
        from grader.cli import internal_error

        internal_error(error)  # writes a log, and a two-line message on stderr
        return None
    sys.stdout.write(text.render(SubmissionResult(str(path), (result,))))
    return result.score
