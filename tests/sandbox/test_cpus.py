"""Verdicts do not depend on the grading machine's cores: the sandbox tells the submission's code it
has ``Limits.cpus`` cores, whatever the machine has, and the exercises whose code may size a pool or
a set of processes by the core count (ex02, ex04) get the same statuses for 1, 2, 4 and 64 cores
(graded side by side, as a class is)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from judge.catalogue import Case, catalogue

from grader.exercises import EXERCISES
from grader.models import Limits, Status
from grader.pipeline import grade_exercise

CORES = (1, 2, 4, 64)
CASES = [case for case in catalogue() if case.exercise.id in ("ex02", "ex04")]


def statuses(case_folder: Path, exercise: str, cores: int) -> dict[str, Status]:
    result = grade_exercise(EXERCISES[exercise], case_folder, start_methods=["fork"], limits=Limits(cpus=cores))
    return {check.id: check.status for check in result.checks}


def test_the_code_is_told_the_cores_in_every_process(tmp_path: Path) -> None:
    (tmp_path / "ex01_spawn.py").write_text(
        "import multiprocessing, os\n"
        "def run_in_process(target, args=()):\n"
        "    print('cores', os.cpu_count(), multiprocessing.cpu_count())\n"
        "    with multiprocessing.Pool(2) as pool:\n"
        "        print('pool', pool.apply(os.cpu_count))\n"
        "    return 7\n"
    )
    for method in ("fork", "spawn", "forkserver"):
        result = grade_exercise(EXERCISES["ex01"], tmp_path, start_methods=[method], limits=Limits(cpus=64))
        output = next(check.output for check in result.checks if check.output)
        assert "cores 64 64" in output and "pool 64" in output, (method, output)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_same_statuses_for_any_number_of_cores(case: Case) -> None:
    with ThreadPoolExecutor(len(CORES)) as pool:
        graded = {cores: pool.submit(statuses, case.folder, case.exercise.id, cores) for cores in CORES}
        found = {cores: grading.result() for cores, grading in graded.items()}
    assert all(found[cores] == found[CORES[0]] for cores in CORES), found
