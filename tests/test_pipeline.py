"""How ``grade`` spreads a submission over sandboxes: with cores to spare (one exercise, two cores)
every start method gets a sandbox of its own, all at once; with as many exercises as cores, each
exercise runs its start methods in turn in one sandbox."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from grader.exercises import EXERCISES
from grader.models import Isolation
from grader.pipeline import grade
from grader.sandbox import run
from grader.sandbox.run import Job, SandboxRun
from grader.scenarios.records import Outcome, Report, Request

METHODS = ["fork", "spawn", "forkserver"]
SOLUTIONS = Path(__file__).parents[1] / "solutions"


def sandboxes_of(monkeypatch: pytest.MonkeyPatch, exercises: list[str], together: int) -> list[tuple[str, ...]]:
    """The start methods of each sandbox ``grade`` makes; ``together`` of them must wait at once."""
    barrier = threading.Barrier(together, timeout=60)  # broken unless that many sandboxes run at once
    made: list[tuple[str, ...]] = []

    def sandbox(job: Job, requests: list[Request], cancel: threading.Event) -> SandboxRun:
        made.append(tuple(dict.fromkeys(r.method for r in requests)))
        barrier.wait()
        reports = tuple(Report(r.scenario, r.method, Outcome.RETURNED) for r in requests)
        return SandboxRun(reports, Isolation.PROCESS, ("/sandbox/submission",), None, 0, 1.0)

    monkeypatch.setattr(run, "_in_one_sandbox", sandbox)
    grade([EXERCISES[name] for name in exercises], SOLUTIONS, start_methods=METHODS, level="process", jobs=2)
    return made


def test_one_exercise_on_two_cores_runs_every_start_method_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made = sandboxes_of(monkeypatch, ["ex01"], together=len(METHODS))
    assert sorted(made) == sorted((method,) for method in METHODS)


def test_as_many_exercises_as_cores_run_their_start_methods_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    made = sandboxes_of(monkeypatch, ["ex01", "ex02"], together=2)
    assert made == [tuple(METHODS)] * 2
