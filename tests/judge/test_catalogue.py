"""Every exercise gives the right verdict on the catalogue: full marks for the reference solutions and
the correct variants; for each wrong solution and each beginner's mistake, a failure of the checks
that catch it and the diagnosis of its mistake at its line.

The cases are graded a few at a time (``AT_ONCE``), each with its start methods side by side as
``grade exNN`` does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from judge.catalogue import Ahead, Case, catalogue, graded_ahead, told

import grader
from grader.exercises import EXERCISES
from grader.models import ExerciseResult, Status, SubmissionResult
from grader.pipeline import grade_exercise
from grader.report import RENDERERS, github

CATALOGUE = catalogue()
AT_ONCE = 2  #: cases graded side by side (4 at once had a correct ex05 time out under forkserver)
GRADER = Path(grader.__file__).parent
# the grader's own names: its modules and packages, and the classes a scenario hands the student's code
# (a traceback the student's own processes print is theirs: its frames of the grader's code are left out)
INTERNALS = re.compile(
    r"\b(?:grader\.\w+|mpgrade_scenarios)\b|\b(?:"
    + "|".join(
        sorted(
            {path.stem for path in GRADER.rglob("*.py")}
            - {"__init__", "cli", "child", "student", "trace"}
            - {"ex01", "ex02", "ex03", "ex04", "ex05"}
        )
    )  # fmt: skip
    + r")\.py\b|\b(?:WatchedCounter|WatchedLock|GateBroken|Reporter|Meeter|Arrival|Ticket|HeldTask|"
    r"SlowProducerQueue|RecordingQueue|ConsumerWaitsForever|UnusableError)\b"
)


def test_the_catalogue_is_large_enough() -> None:
    for exercise in EXERCISES:
        cases = [case for case in CATALOGUE if case.exercise.id == exercise]
        assert sum(case.name.startswith("wrong-") for case in cases) >= 6, exercise
        assert sum(case.name.startswith("beginners-") for case in cases) >= 8, exercise
        assert sum(case.correct for case in cases) >= 3, exercise  # the reference and two variants
    assert sum(case.name.startswith("beginners-") for case in CATALOGUE) >= 40
    assert all(case.diagnosis and case.line for case in CATALOGUE if not case.correct)


@pytest.fixture(scope="module")
def gradings(request: pytest.FixtureRequest) -> Iterator[Ahead[ExerciseResult]]:
    with graded_ahead(request, "test_verdict", grade, AT_ONCE) as ahead:
        yield ahead


def grade(case: Case) -> ExerciseResult:
    return grade_exercise(case.exercise, case.folder, parallel=3)  # as `grade exNN` does with cores to spare


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_verdict(case: Case, gradings: Ahead[ExerciseResult]) -> None:
    result = gradings.results[case.name].result()
    assert_no_internals(result)
    statuses = {check.id: check.status for check in result.checks}
    if case.correct:
        assert result.full_marks, [(c.id, c.message) for c in result.checks if c.status is not Status.PASSED]
        return
    assert result.score < result.max_score
    assert set(case.caught_by) <= set(statuses), case.caught_by
    assert all(statuses[check] is not Status.PASSED for check in case.caught_by), statuses
    matching = [(text, where) for text, where in told(result) if re.search(case.diagnosis, text, re.IGNORECASE)]
    assert matching, f"{case.diagnosis!r} not told; the student read:\n" + "\n---\n".join(t for t, _ in told(result))
    lines = [where.line for _, where in matching if where is not None]
    assert case.line in lines, f"told at lines {lines}, not {case.line}"


def test_no_grading_left_a_process_running(gradings: Ahead[ExerciseResult]) -> None:
    assert not gradings.left_running()


def assert_no_internals(result: ExerciseResult) -> None:
    """No output format shows a module, a class or a traceback of the grader's own code."""
    submission = SubmissionResult("submitted", (result,), student="someone")
    for name, render in {**RENDERERS, "github summary": lambda r, color=False: github.summary(r)}.items():
        shown = render(submission, False)
        leaked = INTERNALS.findall(shown)
        assert not leaked, f"{name} shows the grader's internals {leaked}:\n{shown}"
