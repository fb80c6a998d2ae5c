"""selfcheck's coverage counts lines that only ever run in child processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KIT

from grader import selfcheck
from grader.exercises import EXERCISES, available_start_methods

ONLY_IN_CHILDREN = """import multiprocessing


def _in_child(target, args):
    target(*args)  # line 5: runs in the child processes only


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=_in_child, args=(target, args)) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
"""


@pytest.mark.parametrize("method", available_start_methods())
def test_lines_run_only_in_children_are_covered(tmp_path: Path, method: str) -> None:
    exercise = EXERCISES["ex02"]
    submission, src = tmp_path / "submission", tmp_path / "src"
    submission.mkdir()
    src.mkdir()
    (submission / exercise.filename).write_text(ONLY_IN_CHILDREN)
    shutil.copy(submission / exercise.filename, src)
    data = tmp_path / "data"
    data.mkdir()
    (data / "coveragerc").write_text(selfcheck.COVERAGE_RC.format(src=src))
    result = selfcheck.grade_exercise(exercise, submission, start_methods=[method], coverage=data)
    percent, missing = selfcheck.measured(data, src / exercise.filename)
    assert result.full_marks
    assert 5 not in missing and percent == 100.0


def test_render_marks_a_failing_row() -> None:
    rows = [
        selfcheck.SelfcheckRow("ex01", 10, 0, 10, 100.0, ()),
        selfcheck.SelfcheckRow("ex02", 10, 10, 10, 100.0, ()),
        selfcheck.SelfcheckRow("ex03", 10, 0, 10, 90.0, (12, 13)),
        selfcheck.SelfcheckRow("ex04", 7, 0, 10, 100.0, (), ("pool_map closes its pool before it returns: left open",)),
    ]
    shown = selfcheck.render(rows)
    assert [row.ok for row in rows] == [True, False, False, False]
    assert "12,13" in shown
    assert [line.endswith("FAILED") for line in shown.splitlines()[1:5]] == [False, True, True, True]
    assert "ex02: the stub in exercises/ got full marks: it holds a solution, not a stub." in shown
    assert "ex03: the checks run only 90.0% of the reference solution (at least 95% needed)" in shown
    assert "ex04: the reference solution in solutions/ lost points: pool_map closes its pool" in shown
    assert "ex01:" not in shown.split("\n", 5)[-1]  # a row that is ok gives no reason


def test_selfcheck_passes_on_the_kit() -> None:
    """What a teacher runs in the course repository, as a teacher runs it."""
    done = subprocess.run([sys.executable, "-m", "grader", "selfcheck"], cwd=KIT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[1:6]]
    assert [row[0] for row in rows] == ["ex01", "ex02", "ex03", "ex04", "ex05"]
    assert all(row[1] == "10/10" and row[2] != "10/10" and float(row[3].rstrip("%")) >= 95 for row in rows)
