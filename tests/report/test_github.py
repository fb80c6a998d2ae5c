"""``--format github``: one annotation per check not passed, escaped so no message can break a command."""

from __future__ import annotations

import dataclasses

from report.samples import EX05, FAILED, MIXED

from grader.models import Location, SubmissionResult
from grader.report import RENDERERS, github, markdown


def lines(result: SubmissionResult) -> list[str]:
    return RENDERERS["github"](result, False).splitlines()


def test_one_error_per_check_not_passed_then_the_score() -> None:
    shown = lines(MIXED)
    errors = [line for line in shown if line.startswith("::error ")]
    assert len(errors) == 4 == len(shown) - 1
    assert shown[-1] == "::notice title=mpgrade::4/9"
    assert errors[0] == (
        f"::error file=exercises/ex05_queue_sentinel.py,line=14,title=ex05%3A {FAILED.title}::{FAILED.message}"
    )


def test_without_a_location_the_annotation_names_the_file_but_no_line() -> None:
    timeout = lines(MIXED)[1]
    assert timeout.startswith(
        "::error file=exercises/ex05_queue_sentinel.py,title=ex05%3A parent joins%2C then stops::"
    )
    assert "line=" not in timeout


def test_without_a_file_the_property_is_left_out() -> None:
    exercise = dataclasses.replace(EX05, file="")
    assert lines(SubmissionResult("x", (exercise,)))[0].startswith("::error line=14,title=")


def test_data_and_properties_are_escaped() -> None:
    check = dataclasses.replace(
        FAILED, title="a: b, c", message="100% wrong\r\nsecond line", location=Location("f.py", 3)
    )
    exercise = dataclasses.replace(EX05, file="dir,x/ex:05.py", checks=(check,))
    shown = lines(SubmissionResult("x", (exercise,)))
    assert shown[0] == (
        "::error file=dir%2Cx/ex%3A05.py,line=3,title=ex05%3A a%3A b%2C c::100%25 wrong%0D%0Asecond line"
    )
    assert len(shown) == 2  # the message's newline did not end the command


def test_step_summary_is_the_markdown_feedback() -> None:
    assert github.summary(MIXED) == markdown.render(MIXED)
