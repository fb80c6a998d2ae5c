"""What a benchmark run measured, as dataclasses that go to JSON as they are."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Spread:
    """Repeated measurements of one thing: the median, and how far the runs spread."""

    runs: int
    median: float
    minimum: float
    maximum: float
    q1: float  #: first quartile (equal to the median with fewer than 2 runs)
    q3: float
    values: tuple[float, ...]


@dataclass(frozen=True)
class Single:
    """`grade TARGET --submission DIR` in one configuration, run several times."""

    grader: str  #: "new" (this kit) or "old" (the kit before the rewrite)
    target: str  #: ex01 ... ex05, or all
    submission: str  #: "solutions" (reference) or "stubs" (untouched exercises/)
    start_method: str  #: fork, spawn, forkserver or all
    isolation: str  #: namespaces, uid, process (what the JSON says graded), or "tree" for the old kit
    python: str  #: which environment ran it: "kit" (.venv) or "system" (a venv of /usr/bin/python3)
    wall: Spread | None  #: seconds, the whole `grade` command
    in_checks: Spread | None  #: seconds spent in the checks (see README: Benchmark)
    overhead: Spread | None  #: wall / in_checks, run by run
    score: str = ""  #: e.g. "50/50", from the last run
    unavailable: str = ""  #: why this configuration could not run here


@dataclass(frozen=True)
class ClassRun:
    """One way of grading a whole class, timed once."""

    size: int  #: students
    files: int  #: exercise files handed in (the gradings)
    way: str  #: "grade -j 1", "grade -j 2", "pytest loop", "nbgrader autograde"
    wall: float  #: seconds
    students_per_minute: float
    files_per_minute: float
    leftover_processes: int | None = None  #: the pytest loop: found alive after the students' runs
    backstop_kills: int | None = None  #: the pytest loop: runs killed by the benchmark's backstop
    note: str = ""
    cores_busy: float | None = None  #: the machine's busy CPU seconds over the wall time (2.0: both cores, all along)


@dataclass(frozen=True)
class Fit:
    """Wall time against class size: a straight line, and the exponent of a power law."""

    way: str
    sizes: tuple[int, ...]
    intercept: float  #: seconds
    slope: float  #: seconds per student
    r_squared: float
    exponent: float  #: wall ~ size ** exponent; 1 is linear
    linear: bool


@dataclass(frozen=True)
class Machine:
    cores: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    kit_commit: str
    baseline_commit: str
    kit_python: str
    system_python: str
    started: str
    seconds: float


@dataclass
class Results:
    quick: bool
    repeat: int
    command: str = ""  #: the command that measured, as typed (its options narrow a run)
    machine: Machine | None = None
    singles: list[Single] = field(default_factory=list)
    classes: list[ClassRun] = field(default_factory=list)
    fits: list[Fit] = field(default_factory=list)
    leftovers: dict[str, int] = field(default_factory=dict)  #: pytest loop: processes found, by case
    notes: list[str] = field(default_factory=list)


def to_json(results: Results) -> str:
    return json.dumps(dataclasses.asdict(results), indent=2) + "\n"


def write_json(results: Results, path: Path) -> None:
    path.write_text(to_json(results))


def read_json(path: Path) -> Results:
    """A results file read back, to render its table and plots again without measuring."""
    data = json.loads(path.read_text())

    def spread(value: dict[str, Any] | None) -> Spread | None:
        return None if value is None else Spread(**{**value, "values": tuple(value["values"])})

    machine = data["machine"]
    return Results(
        quick=data["quick"],
        repeat=data["repeat"],
        command=data.get("command", ""),
        machine=None
        if machine is None
        else Machine(
            **{**machine, "load_before": tuple(machine["load_before"]), "load_after": tuple(machine["load_after"])}
        ),
        singles=[
            Single(
                **{
                    **s,
                    "wall": spread(s["wall"]),
                    "in_checks": spread(s["in_checks"]),
                    "overhead": spread(s["overhead"]),
                }
            )
            for s in data["singles"]
        ],  # fmt: skip
        classes=[ClassRun(**c) for c in data["classes"]],
        fits=[Fit(**{**f, "sizes": tuple(f["sizes"])}) for f in data["fits"]],
        leftovers=data["leftovers"],
        notes=data["notes"],
    )
