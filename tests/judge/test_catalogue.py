"""Every suite gives the right verdict on the catalogue: full marks for the reference solutions
and the correct variants, and for each wrong solution a failure of the checks that catch it."""

from __future__ import annotations

import pytest
from judge.catalogue import Case, catalogue

from grader.models import Limits, Status
from grader.pipeline import grade_exercise

CATALOGUE = catalogue()


def test_the_catalogue_is_large_enough() -> None:
    for exercise in {case.exercise.id for case in CATALOGUE}:
        cases = [case for case in CATALOGUE if case.exercise.id == exercise]
        assert sum(not case.correct for case in cases) >= 6, exercise
        assert sum(case.correct for case in cases) >= 3, exercise  # the reference and two variants
    assert all(case.caught_by for case in CATALOGUE if not case.correct)


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_verdict(case: Case, no_survivors: None) -> None:
    # shorter timeouts can only make a wrong solution fail more; they save the waits for deadlocks
    result = grade_exercise(case.exercise, case.folder, limits=Limits() if case.correct else Limits(time_scale=0.4))
    statuses = {check.id: check.status for check in result.checks}
    if case.correct:
        assert result.full_marks, [(c.id, c.message) for c in result.checks if c.status is not Status.PASSED]
    else:
        assert result.score < result.max_score
        assert set(case.caught_by) <= set(statuses), case.caught_by
        assert all(statuses[check] is not Status.PASSED for check in case.caught_by), statuses
