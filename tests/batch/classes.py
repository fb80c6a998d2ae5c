"""A generated class: the same students written in each layout teachers download."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from conftest import KIT

from grader.exercises import EXERCISES

CASES = KIT / "tests" / "judge" / "cases"
# Wrong solutions whose every check gives the same verdict on every run (measured: five runs
# each), and that fail fast (no deadlock to wait out): the gradebooks of two runs can then be
# compared byte for byte, in little time.
# Left out for that reason: ex04-imap-unordered (abs over three items may finish in order) and
# ex05-forwards-sentinel (with three consumers a forwarded sentinel may or may not be read).
# named, as the wrong ones are: a case added to the catalogue changes neither the class nor the time its tests take
CORRECT = [
    "ex01-exitcode-poll", "ex01-from-import-close", "ex01-is-alive-poll", "ex01-spawn-context", "ex02-context",
    "ex02-join-reversed", "ex02-wait-sentinels", "ex03-acquire-finally", "ex03-counter-acquire",
    "ex03-lock-whole-loop", "ex03-with-counter", "ex04-close-join", "ex04-imap-chunked", "ex04-imap-chunksize-2",
    "ex04-map-async", "ex04-map-chunksize-4", "ex05-iter-sentinel", "ex05-join-producer-first",
    "ex05-read-loop-then-join", "ex05-timeout-retry",
]  # fmt: skip
STEADY_WRONG = [
    "ex01-always-zero", "ex01-calls-target-in-parent", "ex01-drops-args", "ex01-returns-pid", "ex01-thread",
    "ex02-completion-order", "ex02-drops-args", "ex02-none-for-empty", "ex02-threads",
    "ex03-returns-value-object", "ex03-value-lock-false", "ex03-work-in-parent",
    "ex04-builtin-map", "ex04-lambda-in-pool-map", "ex04-square-xor", "ex04-squares-drops-processes",
    "ex04-threadpool", "ex04-squares-own-pool", "ex05-all-in-parent", "ex05-get-timeout",
]  # fmt: skip


HOSTILE = ["fork-bomb", "output-flood"]  # fast and steady among the hostile cases


@dataclass
class Student:
    name: str
    files: dict[str, Path] = field(default_factory=dict)  #: the file name it is handed in as -> content
    late: bool = False


def sources() -> list[Path]:
    """Reference solutions, correct variants and steady wrong solutions, as files."""
    found = [KIT / "solutions" / exercise.filename for exercise in EXERCISES.values()]
    for name in CORRECT:
        (source,) = (CASES / "correct" / name).glob("*.py")
        found.append(source)
    for name in STEADY_WRONG:
        (source,) = (CASES / "wrong" / name).glob("*.py")
        found.append(source)
    return found


def generated(size: int = 36) -> list[Student]:
    pool = sources()
    students = []
    for number in range(size):
        student = Student(f"student{number:02d}", late=number % 9 == 4)
        for pick in (number, number * 7 + 3)[: 1 + (number % 3 == 0)]:
            source = pool[pick % len(pool)]
            student.files[source.name] = source
        students.append(student)
    students[5].files["notes.py"] = KIT / "exercises" / "ex01_spawn.py"  # a name that matches no exercise
    for student, case in zip(students[-len(HOSTILE) :], HOSTILE, strict=True):  # one bad apple cannot stall the batch
        (source,) = (KIT / "tests" / "sandbox" / "hostile" / case).glob("*.py")
        student.files[source.name] = source
    return students


def as_folders(students: list[Student], root: Path) -> Path:
    for student in students:
        folder = root / student.name
        folder.mkdir(parents=True)
        for name, source in student.files.items():
            shutil.copy(source, folder / name)
    return root


def as_zip(students: list[Student], archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as opened:
        for student in students:
            for name, source in student.files.items():
                opened.write(source, f"class-download/{student.name}/{name}")
    return archive


def as_canvas(students: list[Student], root: Path) -> Path:
    """Canvas names; a late student's file gets LATE, and every third student re-uploaded once."""
    root.mkdir(parents=True)
    for number, student in enumerate(students):
        late = "LATE_" if student.late else ""
        for name, source in student.files.items():
            stem, suffix = name.rsplit(".", 1)
            final = f"{stem}-1.{suffix}" if number % 3 == 1 else name
            shutil.copy(source, root / f"{student.name}_{late}{1000 + number}_{5000 + number}_{final}")
            if number % 3 == 1:  # the first upload: an untouched stub, which the re-upload replaces
                stub = KIT / "exercises" / name
                if stub.exists():
                    shutil.copy(stub, root / f"{student.name}_{late}{1000 + number}_{5000 + number}_{name}")
    (root / "grades-export.txt").write_text("not a submission\n")
    return root
