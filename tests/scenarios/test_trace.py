"""The tracer: calls of the student's lines, folded, and a mark where it stops keeping them."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from grader.scenarios import probes
from grader.scenarios.records import DROPPED
from grader.scenarios.trace import LIMIT, Tracer
from grader.scenarios.waits import ParentSleeps


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


def test_a_sleep_of_the_students_file_marks_the_release_asleep_until_it_ends_even_by_an_exception(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A held target stands while the parent's code sleeps: the release is told as the sleep starts,
    and again as it ends, also when it ends by an exception (a signal's handler raising). A sleep of
    the grader's or the standard library's own is not the parent's code sleeping."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    release = probes.Release.create(tmp_path / "release", timeout=30)
    ParentSleeps(tracer, release)
    seen: list[bool] = []

    def sleep(seconds: float) -> None:
        seen.append(probes.exists(release.folder, probes.ASLEEP))
        if seconds < 0:
            raise KeyboardInterrupt

    clock: Any = types.SimpleNamespace(sleep=sleep)
    tracer._wrap_function(clock, "sleep", "time.sleep", only_direct=True)
    clock.sleep(1)  # from here: not the student's file
    code = "clock.sleep(1)\ntry:\n    clock.sleep(-1)\nexcept KeyboardInterrupt:\n    pass\n"
    exec(compile(code, student, "exec"), {"clock": clock})
    assert seen == [False, True, True]
    assert not probes.exists(release.folder, probes.ASLEEP)
