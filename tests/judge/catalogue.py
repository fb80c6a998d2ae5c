"""The catalogue of submissions under cases/: what each must score and which mistake it must be told
about, read from its header.

- ``cases/correct/``: variants of a correct solution: full marks under every start method;
- ``cases/wrong/``: wrong solutions (``# caught-by:`` the checks that must not pass);
- ``cases/beginners/``: first attempts of new students, each with the mistake it must be told:
  ``# diagnosis:`` a pattern the feedback of its failed checks must match, ``# line:`` the line of its
  file that feedback must point at. Wrong solutions carry the same two headers.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pytest
from conftest import KIT, survivors

from grader.exercises import EXERCISES, Exercise
from grader.models import ExerciseResult, Location, Status

CASES = Path(__file__).parent / "cases"
KINDS = ("correct", "wrong", "beginners")


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    exercise: Exercise
    correct: bool
    caught_by: tuple[str, ...] = ()  #: checks a wrong case must not pass
    diagnosis: str = ""  #: a pattern its feedback must match
    line: int = 0  #: the line that feedback must point at

    def __str__(self) -> str:
        return self.name


def header(path: Path, field: str) -> str:
    match = re.search(rf"^# {field}: (.*)$", path.read_text(), re.MULTILINE)
    return match.group(1).strip() if match else ""


def catalogue(kinds: tuple[str, ...] = KINDS) -> list[Case]:
    """Reference solutions, correct variants, wrong solutions and beginners' mistakes, in a stable order."""
    cases = [Case(f"reference-{exercise.id}", KIT / "solutions", exercise, True) for exercise in EXERCISES.values()]
    for kind in kinds:
        for folder in sorted((CASES / kind).iterdir()):
            exercise = EXERCISES[folder.name.split("-")[0]]
            file = folder / exercise.filename
            line = header(file, "line")
            cases.append(
                Case(
                    f"{kind}-{folder.name}",
                    folder,
                    exercise,
                    kind == "correct",
                    tuple(header(file, "caught-by").split()),
                    header(file, "diagnosis"),
                    int(line) if line else 0,
                )  # fmt: skip
            )
    return cases


def told(result: ExerciseResult) -> list[tuple[str, Location | None]]:
    """What the student reads about each failed check, with the line it points at: the mistake that
    broke it, else its own message. Passing checks and quoted code are not part of it."""
    told = []
    for check in result.checks:
        if check.status is Status.PASSED:
            continue
        cause = result.cause(check.cause) if check.cause else None
        if cause is not None:
            told.append((f"{cause.message}\nHint: {cause.hint}", cause.location))
        else:
            told.append((f"{check.message}\nHint: {check.hint}", check.location))
    if result.problem:
        told.append((result.problem, next((c.location for c in result.checks if c.location), None)))
    return told


Graded = TypeVar("Graded")


@dataclass(frozen=True)
class Ahead(Generic[Graded]):
    """Gradings started before the tests that read them, a few at a time."""

    results: dict[str, Future[Graded]]  #: by case name

    def left_running(self) -> list[tuple[int, list[str]]]:
        """The processes of any sandbox still alive once every grading is over (the tests run one
        at a time: every sandbox on the machine is one of these gradings')."""
        for result in self.results.values():
            result.result()
        return survivors()


@contextlib.contextmanager
def graded_ahead(
    request: pytest.FixtureRequest, test: str, grade: Callable[[Case], Graded], at_once: int
) -> Iterator[Ahead[Graded]]:
    """``grade`` run ``at_once`` at a time on every case this session runs ``test`` (a test of the
    requesting module, parametrized by ``case``) on, in the order of the tests: a grading spends most
    of its time waiting on its processes (holds, polls, a deadlock's timeout), and a verdict must not
    depend on the load (the stress test proves it harder)."""
    tests = [item for item in request.session.items if isinstance(item, pytest.Function)
             and item.module is request.module and item.originalname == test]  # fmt: skip
    pool = ThreadPoolExecutor(at_once, thread_name_prefix="case")
    try:
        cases: list[Case] = [item.callspec.params["case"] for item in tests]
        yield Ahead({case.name: pool.submit(grade, case) for case in cases})
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure with -x, the rest is not waited out
