"""The tracer: calls of the student's lines, folded, and a mark where it stops keeping them."""

from __future__ import annotations

from pathlib import Path

from grader.scenarios.records import DROPPED
from grader.scenarios.trace import LIMIT, Tracer


def test_past_its_limit_the_tracer_keeps_one_mark_that_counts_what_it_dropped(tmp_path: Path) -> None:
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    # calls that do not fold: 9 lengths of sleep, again and again, from the student's file
    loop = "for n in range(600):\n    tracer.record('time.sleep', None, str(n % 9 + n), depth=1)\n"
    code = compile(loop, student, "exec")
    exec(code, {"tracer": tracer})
    assert len(tracer.calls) == LIMIT
    assert [call.api for call in tracer.calls].count(DROPPED) == 1
    assert tracer.calls[-1].api == DROPPED and tracer.calls[-1].count == 600 - (LIMIT - 1)
    assert tracer.calls[-1].line == 2
