"""Verdicts do not depend on the grading machine's cores: the sandbox tells the submission's code it
has ``run.CPUS`` cores, whatever the machine has, and the exercises whose code may size a pool or a
set of processes by the core count (ex02, ex04) get the same statuses for 1, 2, 4 and 64 cores."""

from __future__ import annotations

from pathlib import Path

import pytest
from judge.catalogue import catalogue

from grader.exercises import EXERCISES
from grader.models import Status
from grader.pipeline import grade_exercise
from grader.sandbox import run

CORES = (1, 2, 4, 64)
CASES = [case for case in catalogue() if case.exercise.id in ("ex02", "ex04")]


def statuses(case_folder: Path, exercise: str, cores: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Status]:
    monkeypatch.setattr(run, "CPUS", cores)
    result = grade_exercise(EXERCISES[exercise], case_folder, start_methods=["fork"])
    return {check.id: check.status for check in result.checks}


def test_the_code_is_told_the_cores_in_every_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ex01_spawn.py").write_text(
        "import multiprocessing, os\n"
        "def run_in_process(target, args=()):\n"
        "    print('cores', os.cpu_count(), multiprocessing.cpu_count())\n"
        "    with multiprocessing.Pool(2) as pool:\n"
        "        print('pool', pool.apply(os.cpu_count))\n"
        "    return 7\n"
    )
    monkeypatch.setattr(run, "CPUS", 64)
    for method in ("fork", "spawn", "forkserver"):
        result = grade_exercise(EXERCISES["ex01"], tmp_path, start_methods=[method])
        output = next(check.output for check in result.checks if check.output)
        assert "cores 64 64" in output and "pool 64" in output, (method, output)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_same_statuses_for_any_number_of_cores(case: object, monkeypatch: pytest.MonkeyPatch) -> None:
    found = {cores: statuses(case.folder, case.exercise.id, cores, monkeypatch) for cores in CORES}  # type: ignore[attr-defined]
    assert all(found[cores] == found[CORES[0]] for cores in CORES), found
