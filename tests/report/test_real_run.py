"""Every format renders a real grading run: the untouched stub of ex01, graded under fork."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import KIT

from grader.exercises import EXERCISES
from grader.models import Status, SubmissionResult
from grader.pipeline import grade_exercise
from grader.report import RENDERERS


def test_the_ex01_stub_renders_in_every_format(no_survivors: None) -> None:
    exercise = grade_exercise(EXERCISES["ex01"], KIT / "exercises", start_methods=["fork"])
    result = SubmissionResult("exercises", (exercise,))
    failing = [check for check in exercise.checks if check.status is not Status.PASSED]
    assert failing and exercise.score < exercise.max_score

    suite = ET.fromstring(RENDERERS["junit"](result, False).encode()).find("testsuite")
    assert suite is not None and len(suite.findall("testcase")) == len(exercise.checks)

    tests = json.loads(RENDERERS["gradescope"](result, False))["tests"]
    assert [test["status"] for test in tests].count("failed") == len(failing)

    annotations = RENDERERS["github"](result, False).splitlines()
    errors = [line for line in annotations if line.startswith("::error file=")]
    assert len(errors) == 1 and f"(and {len(failing) - 1} more checks)" in errors[0]  # one cause: the stub raises
    assert annotations[-1] == f"::notice title=mpgrade::{exercise.score}/{exercise.max_score}"

    feedback = RENDERERS["markdown"](result, False)
    assert f"## ex01 · {exercise.title}: {exercise.score}/{exercise.max_score}" in feedback
