"""Verdicts of exercise 5 that read the file as well as the run."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge import Context, Source
from grader.judge.ex05 import pipeline_one_consumer
from grader.scenarios.ex05 import Piped, PipeParams
from grader.scenarios.student import describe

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
def test_a_pipeline_that_stops_reading_at_a_limit_of_its_own_fails_though_every_result_came(reading: str) -> None:
    source = (
        "def run_pipeline(items, consumers=1):\n    out = multiprocessing.Queue()\n"
        + textwrap.indent(reading, "    ")
        + "\n"
    )
    items = (3, 1, 2)
    seen = Piped(describe(list(items)), (), 1, ())
    verdict = pipeline_one_consumer(
        seen, Context("fork", PipeParams(items, 1), Source("ex05_queue_sentinel.py", source))
    )
    assert verdict.passed is (READS[reading] is None)
    assert verdict.line == READS[reading]
