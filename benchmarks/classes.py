"""A mixed class of any size: reference solutions, correct variants, the whole wrong-solution
catalogue (deadlocks included) and hostile submissions, in the same proportions at every size.

Unlike ``tests/batch/classes.py`` (steady, fast cases, so that two gradebooks can be compared byte
for byte), this class has everything a real one may have, slow cases included: a benchmark wants
the cost of the whole catalogue.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
CASES = KIT / "tests" / "judge" / "cases"
HOSTILE = KIT / "tests" / "sandbox" / "hostile"
EXERCISES = ("ex01", "ex02", "ex03", "ex04", "ex05")
# Left out of the class: hostile cases that take gigabytes of memory. The plain pytest loop has no
# memory limit, and this machine is shared; the kit's own tests cover what the grader does with them.
LEFT_OUT = {"memory-hog": "takes 4 GiB", "memory-hog-children": "takes 300 MB per process"}
# One cycle of 20 students: 4 reference, 6 correct variants, 8 wrong solutions, 2 hostile.
PATTERN = "RWCWRCWHCWRWCWRCWHCW"
SECOND_FILE_EVERY = 3  #: every third student hands in two exercises


@dataclass(frozen=True)
class Submitted:
    """One file a student handed in."""

    kind: str  #: reference, correct, wrong, hostile
    case: str  #: e.g. wrong/ex05-join-before-read
    exercise: str
    path: Path


@dataclass(frozen=True)
class Student:
    name: str
    files: tuple[Submitted, ...]


def exercise_of(path: Path) -> str:
    return path.name[:4]


def pool(kind: str) -> list[Submitted]:
    """Every file of one kind, taken round-robin over the exercises (consecutive picks differ)."""
    found: list[Submitted] = []
    if kind == "reference":
        found = [
            Submitted(kind, f"reference/{p.stem}", exercise_of(p), p)
            for p in sorted((KIT / "solutions").glob("ex*.py"))
        ]
    elif kind in ("correct", "wrong"):
        for folder in sorted((CASES / kind).iterdir()):
            for path in sorted(folder.glob("ex*.py")):
                found.append(Submitted(kind, f"{kind}/{folder.name}", exercise_of(path), path))
    elif kind == "hostile":
        for folder in sorted(HOSTILE.iterdir()):
            if folder.name in LEFT_OUT:
                continue
            for path in sorted(folder.glob("ex*.py")):  # missing-file has none: nothing to hand in
                found.append(Submitted(kind, f"hostile/{folder.name}", exercise_of(path), path))
    else:
        raise ValueError(kind)
    by_exercise = [[s for s in found if s.exercise == exercise] for exercise in EXERCISES]
    return [s for group in itertools.zip_longest(*by_exercise) for s in group if s is not None]


KINDS = {"R": "reference", "C": "correct", "W": "wrong", "H": "hostile"}


def generate(size: int) -> list[Student]:
    """``size`` students; the first ``n`` of a class are the class of ``n``."""
    pools = {letter: pool(kind) for letter, kind in KINDS.items()}
    taken = dict.fromkeys(KINDS, 0)
    students = []
    for number in range(size):
        letter = PATTERN[number % len(PATTERN)]
        wanted = 2 if number % SECOND_FILE_EVERY == 0 else 1
        files: list[Submitted] = []
        while len(files) < wanted:
            pick = pools[letter][taken[letter] % len(pools[letter])]
            taken[letter] += 1
            if all(pick.exercise != other.exercise for other in files):
                files.append(pick)
        students.append(Student(f"student{number:03d}", tuple(files)))
    return students


def write(students: list[Student], root: Path) -> Path:
    """A folder per student, each file under its exercise's name (what ``grade batch`` reads)."""
    for student in students:
        folder = root / student.name
        folder.mkdir(parents=True)
        for submitted in student.files:
            shutil.copyfile(submitted.path, folder / submitted.path.name)
    return root


def describe(students: list[Student]) -> str:
    files = [f for s in students for f in s.files]
    counts = {kind: sum(f.kind == kind for f in files) for kind in KINDS.values()}
    return f"{len(students)} students, {len(files)} files (" + ", ".join(f"{n} {k}" for k, n in counts.items()) + ")"
