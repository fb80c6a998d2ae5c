"""``grade selfcheck``: the teacher's proof that the kit grades correctly on this machine.

Every reference solution must get full marks under every start method, every untouched stub
must not, and each hidden suite must run at least ``MIN_COVERAGE`` of its reference solution's
lines, counting the lines that only run in child processes (coverage is started in every
Python process of the sandbox, forked, spawned or forkserver). A process that ends normally
saves what it ran; one killed by a signal does not (``Pool.terminate`` kills idle workers):
saving on SIGTERM made forked pool workers hang now and then, so it is off.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import coverage
from coverage.exceptions import CoverageWarning

from grader.errors import UsageError
from grader.exercises import Exercise
from grader.models import Limits, Status
from grader.pipeline import grade_exercise
from grader.report.details import first_line

MIN_COVERAGE = 95.0

COVERAGE_RC = """\
[run]
data_file = ${{MPGRADE_COVERAGE}}/.coverage
parallel = true
include = */submission/*.py
concurrency = multiprocessing
patch = _exit, fork
sigterm = false

[paths]
source =
    {src}
    */submission/
"""


@dataclass(frozen=True)
class SelfcheckRow:
    exercise: str
    reference_score: int
    stub_score: int
    max_score: int
    coverage: float  #: percent of the reference solution's lines the suite ran
    missing_lines: tuple[int, ...]
    reference_failures: tuple[str, ...] = ()  #: the checks the reference did not pass, with why

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def reasons(self) -> list[str]:
        """Why the row FAILED, for the teacher to act on."""
        found = []
        if self.reference_score < self.max_score:
            failures = "; ".join(self.reference_failures)
            found.append(f"the reference solution in solutions/ lost points: {failures}")
        if self.stub_score >= self.max_score:
            found.append("the stub in exercises/ got full marks: it holds a solution, not a stub")
        if self.coverage < MIN_COVERAGE:
            found.append(
                f"the checks run only {self.coverage:.1f}% of the reference solution (at least {MIN_COVERAGE:g}% "
                "needed): a check is missing for the lines listed"
            )
        return found


def course_folders(course: Path) -> tuple[Path, Path]:
    solutions, stubs = course / "solutions", course / "exercises"
    if not solutions.is_dir() or not stubs.is_dir():
        raise UsageError(f"selfcheck needs solutions/ and exercises/ in {course}: run it in the course repository")
    return solutions, stubs


def selfcheck(
    exercises: list[Exercise],
    course: Path,
    *,
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
    level: str = "auto",
) -> list[SelfcheckRow]:
    solutions, stubs = course_folders(course)
    return [check_exercise(exercise, solutions, stubs, start_methods, limits, level) for exercise in exercises]


def check_exercise(
    exercise: Exercise, solutions: Path, stubs: Path, start_methods: list[str] | None, limits: Limits, level: str
) -> SelfcheckRow:
    with tempfile.TemporaryDirectory(prefix="mpgrade-coverage-") as scratch:
        folder = Path(scratch)
        src = folder / "src"
        src.mkdir()
        shutil.copyfile(solutions / exercise.filename, src / exercise.filename)
        data = folder / "data"
        data.mkdir()
        (data / "coveragerc").write_text(COVERAGE_RC.format(src=src))
        reference = grade_exercise(
            exercise, solutions, start_methods=start_methods, limits=limits, level=level, coverage=data
        )
        percent, missing = measured(data, src / exercise.filename)
    stub = grade_exercise(exercise, stubs, start_methods=start_methods, limits=limits, level=level)
    failures = tuple(
        f"{check.title}: {first_line(check.message)}" for check in reference.checks if check.status is not Status.PASSED
    )
    return SelfcheckRow(exercise.id, reference.score, stub.score, reference.max_score, percent, missing, failures)


def measured(data: Path, source: Path) -> tuple[float, tuple[int, ...]]:
    """Combine the data files every process wrote; the share of ``source``'s lines that ran.

    The one place the grader reads what a sandbox wrote: the teacher's own reference solutions."""
    os.environ["MPGRADE_COVERAGE"] = str(data)
    cov = coverage.Coverage(config_file=str(data / "coveragerc"))
    with warnings.catch_warnings():  # a data file left empty by a process killed at clean-up
        warnings.simplefilter("ignore", CoverageWarning)
        cov.combine(keep=False)
    cov.load()
    _, statements, _, missing, _ = cov.analysis2(str(source))
    if not statements:
        return 0.0, ()
    return 100.0 * (len(statements) - len(missing)) / len(statements), tuple(missing)


def render(rows: list[SelfcheckRow]) -> str:
    lines = [f"{'exercise':<9}{'reference':>11}{'stub':>8}{'coverage':>10}  missing lines  verdict"]
    for row in rows:
        lines.append(
            f"{row.exercise:<9}{f'{row.reference_score}/{row.max_score}':>11}"
            f"{f'{row.stub_score}/{row.max_score}':>8}{row.coverage:>9.1f}%  "
            f"{','.join(map(str, row.missing_lines)) or '-':<13}  {'ok' if row.ok else 'FAILED'}"
        )
    lines += [f"{row.exercise}: {reason}." for row in rows for reason in row.reasons]
    passed = all(row.ok for row in rows)
    lines.append(
        "selfcheck passed: every reference solution has full marks, no stub has, "
        f"and every suite covers at least {MIN_COVERAGE:g}% of its solution."
        if passed
        else "selfcheck FAILED: see why above."
    )
    return "\n".join(lines) + "\n"
