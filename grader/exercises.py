"""The five exercises of the kit and where their checks live."""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.errors import UsageError
from grader.models import CheckSpec

if TYPE_CHECKING:
    from grader.judge import Check
    from grader.judge.diagnose import Diagnosis


@dataclass(frozen=True)
class Exercise:
    id: str  #: what the student types: ``grade ex05``
    module: str  #: the file's module name in ``exercises/``
    title: str

    @property
    def filename(self) -> str:
        return f"{self.module}.py"

    @property
    def judge(self) -> str:
        """The module of its checks: the hidden expectations, never shown to a student."""
        return f"grader.judge.{self.id}"

    def judged(self) -> tuple[Check, ...]:
        """The checks in the order they are shown: the grader's own list of what must pass."""
        from grader.judge import checks_of

        return checks_of(self.judge)

    def checks(self) -> tuple[CheckSpec, ...]:
        return tuple(check.spec for check in self.judged())

    def diagnoses(self) -> tuple[Diagnosis, ...]:
        """The mistakes the judge can name for this exercise, in the order it tries them."""
        from grader.judge.diagnose import diagnoses_of

        return diagnoses_of(self.judge)


EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise
    for exercise in (
        Exercise("ex01", "ex01_spawn", "Run a function in a new process"),
        Exercise("ex02", "ex02_many_processes", "Run many processes at the same time"),
        Exercise("ex03", "ex03_shared_counter", "Fix a race on a shared counter"),
        Exercise("ex04", "ex04_pool_map", "A pool of worker processes"),
        Exercise("ex05", "ex05_queue_sentinel", "Stop a consumer with a sentinel"),
    )
}


def select(names: list[str]) -> list[Exercise]:
    """The exercises named on the command line (``all`` means every one), in course order."""
    if not names or "all" in names:
        return list(EXERCISES.values())
    unknown = [name for name in names if name not in EXERCISES]
    if unknown:
        raise UsageError(f"unknown exercise {', '.join(unknown)}: choose from {', '.join(EXERCISES)} or all")
    return [EXERCISES[name] for name in dict.fromkeys(names)]


def available_start_methods() -> list[str]:
    """fork, spawn, forkserver: those this platform has, in that order."""
    present = multiprocessing.get_all_start_methods()
    return [method for method in ("fork", "spawn", "forkserver") if method in present]
