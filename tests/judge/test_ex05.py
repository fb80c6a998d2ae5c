"""Verdicts of exercise 5 that read the file as well as the run."""

from __future__ import annotations

import textwrap

import pytest
from conftest import KIT
from judge.catalogue import CASES

from grader.exercises import EXERCISES
from grader.judge import Context, Source
from grader.judge.evaluate import one
from grader.judge.ex05 import CONSUMER_GIVES_UP, PIPELINES, unvouched_pipeline
from grader.models import Limits, Status
from grader.sandbox.stacks import StudentFile
from grader.scenarios import records
from grader.scenarios.ex05 import Piped, PipeParams
from grader.scenarios.records import Outcome, Report
from grader.scenarios.student import describe

EX05 = EXERCISES["ex05"]

READS = {
    "results = [out.get() for _ in items]": None,
    "results = []\nwhile len(results) < len(items):\n    try:\n        results.append(out.get(timeout=0.1))\n"
    "    except queue.Empty:\n        pass": None,
    # red team, round 12: until nothing has come for a while, which the results here beat
    "results = []\nquiet_since = time.monotonic()\nwhile time.monotonic() - quiet_since < 3:\n    try:\n"
    "        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        continue\n"
    "    quiet_since = time.monotonic()": 7,
}


@pytest.mark.parametrize("reading", READS)
def test_a_pipeline_that_stops_reading_at_a_limit_of_its_own_is_not_vouched_for(reading: str) -> None:
    source = (
        "def run_pipeline(items, consumers=1):\n    out = multiprocessing.Queue()\n"
        + textwrap.indent(reading, "    ")
        + "\n"
    )
    verdict = unvouched_pipeline(Source("ex05_queue_sentinel.py", source))
    assert (verdict is None) is (READS[reading] is None)
    assert verdict is None or verdict.line == READS[reading]


def pipeline_run(items: tuple[int, ...], outcome: Outcome) -> tuple[Report, Piped | None]:
    seen = Piped(describe(list(items)), (), 1, ())
    observed = records.encode(seen) if outcome is Outcome.RETURNED else None
    return Report("ex05.pipeline", "fork", outcome, observed=observed), seen if observed else None


@pytest.mark.parametrize("outcome", [Outcome.RETURNED, Outcome.TIMED_OUT, Outcome.RAISED])
def test_a_consumer_that_gives_up_after_a_quiet_while_fails_every_pipeline_check_on_every_run(
    outcome: Outcome,
) -> None:
    """It gave up after 3 s of quiet (red team, round 17): on a quiet machine its pipelines returned
    every item, on a loaded one some did not; each pipeline check fails it either way, for its loop."""
    path = CASES / "wrong" / "ex05-default-arg-str" / EX05.filename
    source = Source(EX05.filename, path.read_text())
    for check in (c for c in EX05.judged() if c.spec.id in PIPELINES):
        items = (4, 5, 6)
        report, seen = pipeline_run(items, outcome)
        context = Context("fork", PipeParams(items, 1), source)
        judged = one(check, report, seen, context, StudentFile((str(path.parent),), source.name, source.text), Limits())
        assert judged.status is Status.FAILED, check.spec.id
        assert judged.message == CONSUMER_GIVES_UP
        assert judged.location is not None and judged.location.line == 43


def test_a_pipeline_the_judge_vouches_for_is_judged_by_its_run() -> None:
    path = KIT / "solutions" / EX05.filename
    source = Source(EX05.filename, path.read_text())
    check = next(c for c in EX05.judged() if c.spec.id == "pipeline_one_consumer")
    student = StudentFile((str(path.parent),), source.name, source.text)
    for outcome, status in ((Outcome.RETURNED, Status.PASSED), (Outcome.TIMED_OUT, Status.TIMEOUT)):
        report, seen = pipeline_run((4, 5, 6), outcome)
        judged = one(check, report, seen, Context("fork", PipeParams((4, 5, 6), 1), source), student, Limits())
        assert judged.status is status
