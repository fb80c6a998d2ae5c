"""``--format github``: an annotation per cause of failure, at most ten, escaped so no message can break a
command; what does not fit goes to the step summary."""

from __future__ import annotations

import dataclasses

from report.samples import EX05, FAILED, MIXED, WITH_MISTAKE

from grader.exercises import EXERCISES
from grader.models import CheckResult, ExerciseResult, Location, Status, SubmissionResult
from grader.report import RENDERERS, github, markdown


def lines(result: SubmissionResult) -> list[str]:
    return RENDERERS["github"](result, False).splitlines()


def test_one_error_per_cause_then_the_score() -> None:
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


def stub_like() -> SubmissionResult:
    """Every check of every exercise fails, as with the untouched stubs: ex01-ex04 for one reason
    each (the stub raises), ex05 for a different reason at a different line in each check."""
    exercises = []
    for exercise in EXERCISES.values():
        checks = []
        for index, spec in enumerate(exercise.checks()):
            distinct = exercise.id == "ex05"
            checks.append(
                CheckResult(
                    spec.id, spec.title, Status.FAILED, 0, spec.points,
                    message=f"problem {index}" if distinct else "NotImplementedError: write it",
                    location=Location(exercise.filename, 10 + index if distinct else 7),
                )
            )  # fmt: skip
        exercises.append(
            ExerciseResult(exercise.id, exercise.title, f"exercises/{exercise.filename}", tuple(checks), ("fork",))
        )
    return SubmissionResult("exercises", tuple(exercises))


def test_a_stub_gets_at_most_ten_errors_one_per_exercise_first() -> None:
    result = stub_like()
    failed = sum(len(exercise.checks) for exercise in result.exercises)
    shown = lines(result)
    errors = [line for line in shown if line.startswith("::error ")]
    assert failed > github.MAX_ERRORS and len(errors) == github.MAX_ERRORS
    firsts = [line.split("title=")[1].split("%3A")[0] for line in errors[: len(EXERCISES)]]
    assert firsts == list(EXERCISES)  # one per exercise before any exercise gets a second
    ex01 = len(EXERCISES["ex01"].checks())
    assert errors[0].startswith("::error file=exercises/ex01_spawn.py,line=7,title=ex01%3A ")
    assert f"(and {ex01 - 1} more checks)" in errors[0] and "The same problem fails: " in errors[0]
    shown_causes, rest = github.annotated(result)
    assert sum(len(cause.checks) for cause in shown_causes + rest) == failed  # nothing lost
    assert (
        shown[-2]
        == f"::warning title=mpgrade::{len(rest)} more problems ({len(rest)} checks) are listed in the job summary"
    )
    summary = github.summary(result)
    assert summary.startswith("## Not shown as annotations")
    for cause in rest:
        assert f"| ex05 | exercises/ex05_queue_sentinel.py:{cause.line} | {cause.checks[0].title} |" in summary
    assert summary.endswith(markdown.render(result))


def test_a_mistake_is_one_annotation_at_its_line_with_its_hint() -> None:
    lines = RENDERERS["github"](WITH_MISTAKE).splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    assert len(errors) == 1
    assert "line=24," in errors[0] and "(and 1 more check)" in errors[0]
    assert "Hint: Compare with the SENTINEL itself" in errors[0]
