"""Verdicts that never flake: the whole catalogue, graded 20 times each, with two busy CPU loops.

Two gradings at a time. A wrong solution is graded as a user grades it, under every start method
(some mistakes are only certain to show under one of them), with shorter timeouts and stopping
at its first failed check: both can only make it fail more, so neither can hide a wrong verdict.
A correct solution must pass under each start method on its own, so each repetition grades it
under one of them, in turn. Figures are written to test-artifacts/stress.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import KIT
from judge.catalogue import Case, catalogue

from grader.exercises import available_start_methods
from grader.models import Limits, Status
from grader.pipeline import grade_exercise

pytestmark = pytest.mark.stress
REPEATS = 20
WRONG_LIMITS = Limits(time_scale=0.4)


@pytest.fixture(scope="module")
def busy_cpus() -> Iterator[None]:
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield
    for loop in loops:
        loop.kill()
        loop.wait()


def verdict(case: Case, repeat: int) -> dict[str, object]:
    started = time.monotonic()
    if case.correct:
        methods = available_start_methods()
        result = grade_exercise(case.exercise, case.folder, start_methods=[methods[repeat % len(methods)]])
    else:
        result = grade_exercise(case.exercise, case.folder, limits=WRONG_LIMITS, fail_fast=True)
    statuses = {check.id: check.status for check in result.checks}
    if case.correct:
        wrong = not result.full_marks
    else:  # full marks, or a check that catches it passed (fail-fast leaves later checks not run)
        wrong = result.full_marks or any(statuses.get(check) is Status.PASSED for check in case.caught_by)
    failed = [f"{c.id}: {c.message[:200]}" for c in result.checks if c.status is not Status.PASSED]
    return {
        "case": case.name,
        "repeat": repeat,
        "score": result.score,
        "seconds": time.monotonic() - started,
        "wrong_verdict": wrong,
        "failed": failed if wrong else [],
    }


def test_no_wrong_verdict_under_load(busy_cpus: None, no_survivors: None) -> None:
    jobs = [(case, repeat) for repeat in range(REPEATS) for case in catalogue()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(lambda job: verdict(*job), jobs))
    flakes = [v for v in verdicts if v["wrong_verdict"]]
    cases = sorted({str(v["case"]) for v in verdicts})
    figures = {
        "repeats": REPEATS,
        "gradings": len(verdicts),
        "cases": len(cases),
        "wrong_verdicts": len(flakes),
        "slowest_correct_seconds": max(float(v["seconds"]) for v in verdicts if "wrong-" not in str(v["case"])),
        "flakes": flakes,
    }
    artefacts = KIT / "test-artifacts"
    artefacts.mkdir(exist_ok=True)
    (artefacts / "stress.json").write_text(json.dumps(figures, indent=2))
    assert not flakes, flakes
