"""The catalogue of submissions under cases/: what each must score, read from its header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import KIT

from grader.exercises import EXERCISES, Exercise

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    exercise: Exercise
    correct: bool
    caught_by: tuple[str, ...]  #: checks a wrong case must not pass

    def __str__(self) -> str:
        return self.name


def header(path: Path, field: str) -> str:
    match = re.search(rf"^# {field}: (.*)$", path.read_text(), re.MULTILINE)
    return match.group(1).strip() if match else ""


def catalogue() -> list[Case]:
    """Reference solutions, correct variants and wrong solutions, in a stable order."""
    cases = [Case(f"reference-{exercise.id}", KIT / "solutions", exercise, True, ()) for exercise in EXERCISES.values()]
    for kind in ("correct", "wrong"):
        for folder in sorted((CASES / kind).iterdir()):
            exercise = EXERCISES[folder.name.split("-")[0]]
            caught_by = tuple(header(folder / exercise.filename, "caught-by").split())
            cases.append(Case(f"{kind}-{folder.name}", folder, exercise, kind == "correct", caught_by))
    return cases
