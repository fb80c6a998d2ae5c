from __future__ import annotations

import pytest

from grader.errors import UsageError
from grader.exercises import EXERCISES, select


def test_all_selects_every_exercise_in_order() -> None:
    assert [exercise.id for exercise in select(["all"])] == ["ex01", "ex02", "ex03", "ex04", "ex05"]


def test_duplicates_are_graded_once() -> None:
    assert [exercise.id for exercise in select(["ex05", "ex02", "ex05"])] == ["ex05", "ex02"]


def test_unknown_exercise() -> None:
    with pytest.raises(UsageError, match="unknown exercise ex9"):
        select(["ex9"])


@pytest.mark.parametrize("exercise", EXERCISES.values(), ids=EXERCISES)
def test_each_suite_is_worth_ten_points_and_every_check_has_a_hint(exercise) -> None:  # type: ignore[no-untyped-def]
    checks = exercise.checks()
    assert sum(check.points for check in checks) == 10
    assert len({check.id for check in checks}) == len(checks)
    assert all(check.title and check.hint and check.points > 0 for check in checks)
