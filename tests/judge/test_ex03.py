"""Verdicts of exercise 3 that read the file as well as the run."""

from __future__ import annotations

import pytest
from conftest import KIT
from judge.catalogue import CASES

from grader.exercises import EXERCISES
from grader.judge import Context, Source
from grader.judge.evaluate import one
from grader.judge.ex03 import COUNTS, threaded_count
from grader.models import Limits, Status
from grader.sandbox.stacks import StudentFile
from grader.scenarios.ex03 import CountParams
from grader.scenarios.records import Outcome, Report

EX03 = EXERCISES["ex03"]


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ("import threading\nlock = threading.Lock()\n", None),  # a lock is no thread
        ("import threading\nT = threading.Thread\n", 2),
        ('import threading\nstart = getattr(threading, "Thread")\n', 2),
        ("from concurrent.futures import ThreadPoolExecutor\n", 1),
        ("from multiprocessing.dummy import Process\n", 1),
        ("import multiprocessing.dummy\n", 1),
        ("for dummy in range(3):\n    pass\n", None),  # a name of the file's
    ],
)
def test_a_file_that_starts_threads_by_any_name_is_not_vouched_for(code: str, line: int | None) -> None:
    verdict = threaded_count(Source(EX03.filename, code))
    assert (verdict is None) is (line is None)
    assert verdict is None or verdict.line == line


def judged(path: str, outcome: Outcome) -> dict[str, Status]:
    file = KIT / path
    source = Source(EX03.filename, file.read_text())
    student = StudentFile((str(file.parent),), source.name, source.text)
    context = Context("spawn", CountParams(3, 2000), source)
    report = Report("ex03.count", "spawn", outcome)
    return {
        c.spec.id: one(c, report, None, context, student, Limits()).status for c in EX03.judged() if c.spec.id in COUNTS
    }


@pytest.mark.parametrize("outcome", [Outcome.TIMED_OUT, Outcome.RAISED])
def test_a_count_made_in_threads_fails_the_same_way_however_its_run_went(outcome: Outcome) -> None:
    """Reading in one thread and writing in another (red team, round 13) lost updates on a quiet
    machine and ran out of time on a loaded one: the count checks now fail it the same way on both."""
    threads = CASES.relative_to(KIT) / "wrong" / "ex03-read-and-write-in-two-threads" / EX03.filename
    assert set(judged(str(threads), outcome).values()) == {Status.FAILED}
    reference = judged(f"solutions/{EX03.filename}", outcome)
    assert Status.FAILED not in reference.values()  # its run decides: a time-out, an error
