"""The records that flow through the pipeline: discover -> sandbox -> judge -> score -> report.

Every output format is rendered from an ``ExerciseResult`` (see ``grader.report``), so this
module is the one schema of the kit. (What crosses the sandbox's wall has its own records, in
``grader.scenarios.records``: the sandbox sees nothing of this module.)
"""

from __future__ import annotations

import enum
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


class Status(str, enum.Enum):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"  # the suite found a mistake
    ERROR = "error"  # the student's code raised, or could not be imported
    TIMEOUT = "timeout"  # the check ran out of time (deadlock, endless loop)
    NOT_RUN = "not_run"  # the check never reported: grading stopped before or during it


class Isolation(str, enum.Enum):
    """How strongly a grading was walled off from the machine (README: "Threat model")."""

    NAMESPACES = "namespaces"  # its own user, PID, mount, IPC and network namespaces (bubblewrap)
    UID = "uid"  # a user id of its own, without namespaces (as root where namespaces are forbidden)
    PROCESS = "process"  # a process tree of the grader's own user: the weakest


@dataclass(frozen=True)
class CheckSpec:
    """A check of a hidden suite, as its author declared it with ``@check``."""

    id: str  #: the test function's name, stable across versions
    title: str  #: one line for the student: what the check demands
    points: int  #: what a pass earns
    hint: str  #: shown on failure: what to look at, without giving the answer away
    per_start_method: bool = True  #: False for checks that start no process


@dataclass(frozen=True)
class Location:
    """A line of the student's own file."""

    file: str  #: the file's name as the student knows it, e.g. ``ex05_queue_sentinel.py``
    line: int
    code: str = ""  #: the source line, stripped
    column: int = 0  #: where in ``code`` (1-based) the mistake is, when known (a syntax error): a caret goes there


@dataclass(frozen=True)
class CheckResult:
    """One check of one exercise, over every start method it ran under."""

    id: str
    title: str
    status: Status
    score: int
    max_score: int
    message: str = ""  #: what went wrong, in the student's terms; empty when passed
    hint: str = ""  #: shown when not passed
    location: Location | None = None  #: where in the student's file, when known
    start_methods: dict[str, Status] = field(default_factory=dict)
    output: str = ""  #: what the student's code printed, trimmed; only when not passed
    stacks: str = ""  #: where each process was blocked, for timeouts
    duration: float = 0.0  #: seconds, summed over start methods
    cause: str = ""  #: the id of the diagnosed mistake (``ExerciseResult.causes``) that made it fail


@dataclass(frozen=True)
class Cause:
    """A mistake the judge diagnosed: told once, before the checks it made fail, at its line."""

    id: str  #: stable, e.g. ``run-instead-of-start``: what a class report counts
    message: str  #: what the student's code does wrong, in their terms
    hint: str  #: what to do instead (never what their code already does)
    location: Location | None  #: the line that does it
    docs: str  #: the section of the multiprocessing documentation to read
    checks: tuple[str, ...]  #: the checks it made fail


@dataclass(frozen=True)
class ExerciseResult:
    """The graded outcome of one exercise for one submission."""

    exercise: str  #: e.g. ``ex05``
    title: str
    file: str  #: the submission file's path, as given
    checks: tuple[CheckResult, ...]
    start_methods: tuple[str, ...]
    problem: str = ""  #: what stopped grading as a whole (missing file, deadline, limits)
    duration: float = 0.0
    isolation: str = ""  #: the ``Isolation`` level that graded it; "" when nothing ran
    causes: tuple[Cause, ...] = ()  #: the mistakes diagnosed, in the order of the checks they broke

    def cause(self, id: str) -> Cause | None:
        return next((cause for cause in self.causes if cause.id == id), None)

    @property
    def score(self) -> int:
        return sum(check.score for check in self.checks)

    @property
    def max_score(self) -> int:
        return sum(check.max_score for check in self.checks)

    @property
    def full_marks(self) -> bool:
        return self.score == self.max_score

    def to_dict(self) -> dict[str, Any]:
        """The JSON form documented in the README (schema version 1)."""
        data = asdict(self)
        data["checks"] = [_check_dict(check) for check in self.checks]
        data["causes"] = [{**asdict(cause), "checks": list(cause.checks)} for cause in self.causes]
        data["start_methods"] = list(self.start_methods)
        data["score"] = self.score
        data["max_score"] = self.max_score
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExerciseResult:
        """The inverse of ``to_dict``: batch grading stores results as JSON and reads them back."""
        checks = tuple(
            CheckResult(
                id=check["name"],
                title=check["title"],
                status=Status(check["status"]),
                score=check["score"],
                max_score=check["max_score"],
                message=check["message"],
                hint=check["hint"],
                location=Location(**check["location"]) if check["location"] else None,
                start_methods={method: Status(status) for method, status in check["start_methods"].items()},
                output=check["output"],
                stacks=check["stacks"],
                duration=check["duration"],
                cause=check.get("cause", ""),
            )
            for check in data["checks"]
        )
        causes = tuple(
            Cause(
                cause["id"],
                cause["message"],
                cause["hint"],
                Location(**cause["location"]) if cause["location"] else None,
                cause["docs"],
                tuple(cause["checks"]),
            )  # fmt: skip
            for cause in data.get("causes", [])
        )
        return cls(
            data["exercise"], data["title"], data["file"], checks, tuple(data["start_methods"]),
            data["problem"], data["duration"], data.get("isolation", ""), causes,
        )  # fmt: skip


def _check_dict(check: CheckResult) -> dict[str, Any]:
    data = asdict(check)
    data["name"] = data.pop("id")
    data["status"] = check.status.value
    data["start_methods"] = {method: status.value for method, status in check.start_methods.items()}
    return data


@dataclass(frozen=True)
class Limits:
    """Resource limits for one exercise's process tree (README: "Limits")."""

    test_timeout: float = 5.0  #: seconds per check and start method, before ``time_scale``
    deadline: float = 60.0  #: seconds for the whole exercise, before ``time_scale``
    time_scale: float = 1.0  #: multiplies every timeout: raise it on slow machines
    #: a check's time grows by the time its processes waited for a CPU that other work kept busy, up
    #: to this many times itself (and the deadline by as much): the load around a grading (other
    #: students' in a batch) does not time out a correct solution, and code that spins still ends
    load_allowance: float = 1.0
    memory_mb: int = 1024  #: address space of each process
    tree_memory_mb: int = 2048  #: resident memory of all the submission's processes together
    cpu_seconds: int = 120  #: CPU time of each process
    max_processes: int = 64  #: processes alive at once in the submission's tree
    output_kb: int = 8  #: printed output kept per check
    file_size_mb: int = 16  #: largest file (or captured output) a process may write
    cpus: int = (
        4  #: the cores the submission's code is told the machine has, whatever it has: the same verdicts everywhere
    )

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value <= 0:
                raise ValueError(f"limit {name} must be positive, not {value}")

    @property
    def longest(self) -> float:
        """Seconds one exercise may take at the most: its deadline, and as much time again as
        ``load_allowance`` gives back on a busy machine."""
        return self.deadline * self.time_scale * (1 + self.load_allowance)


@dataclass(frozen=True)
class Submission:
    """One exercise file to grade, as discover found it."""

    exercise: str
    path: Path  #: where the file is (or should be)
    problem: str = ""  #: why it cannot be run at all (missing, unreadable, syntax error)
    location: Location | None = None  #: for a syntax error
    submitted: bool = True  #: False when a student handed in no file for the exercise
    source: bytes = b""  #: the file's bytes as read once: what is judged is what is run


@dataclass(frozen=True)
class SubmissionResult:
    """Every exercise graded for one submission: what each output format renders."""

    submission: str  #: the folder graded
    exercises: tuple[ExerciseResult, ...]
    student: str = ""  #: in batch grading, who submitted it
    late: bool = False  #: the LMS flagged the submission as late
    notes: tuple[str, ...] = ()  #: what could not be read in the submission (batch grading)

    @property
    def slug(self) -> str:
        return slug(self.student)

    @property
    def score(self) -> int:
        return sum(exercise.score for exercise in self.exercises)

    @property
    def max_score(self) -> int:
        return sum(exercise.max_score for exercise in self.exercises)

    @property
    def full_marks(self) -> bool:
        return self.score == self.max_score

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "submission": self.submission,
            "student": self.student,
            "late": self.late,
            "notes": list(self.notes),
            "score": self.score,
            "max_score": self.max_score,
            "exercises": [exercise.to_dict() for exercise in self.exercises],
        }


SCHEMA_VERSION = 1


def slug(student: str) -> str:
    """A student's name made safe as a folder name (batch results, links in reports)."""
    cleaned = re.sub(r"[^\w.-]+", "_", student).strip("._")
    return cleaned or "student"
