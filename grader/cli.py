"""The ``grade`` command: parse arguments, call the library, print, pick the exit code.

Exit codes: 0 full marks (batch: every file graded), 1 graded but not full marks, 2 usage
error, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__, bundle, discover, exercises, pipeline, selfcheck
from grader.errors import GraderError, UsageError
from grader.exercises import available_start_methods
from grader.models import Limits, SubmissionResult
from grader.report import RENDERERS, github

if TYPE_CHECKING:
    from distributed import Client

FULL_MARKS, NOT_FULL_MARKS, USAGE, INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except UsageError as error:
        print(f"grade: error: {error}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("grade: interrupted; every process of the submissions was stopped", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: exit 3 with a log
        return internal_error(error)


def run(args: list[str]) -> int:
    """``grade COMMAND ...`` for the teachers' commands, else ``grade EXERCISE ...``."""
    commands = {
        "selfcheck": run_selfcheck,
        "batch": run_batch,
        "gradescope-bundle": run_gradescope_bundle,
        "github-workflow": run_github_workflow,
    }
    if args and args[0] in commands:
        return commands[args[0]](args[1:])
    return run_grade(args)


def run_grade(args: list[str]) -> int:
    options = grade_parser().parse_args(args)
    folder = relative(discover.submission_folder(options.submission, Path.cwd()))
    results = pipeline.grade(
        exercises.select(options.exercises),
        folder,
        start_methods=start_methods(options.start_method),
        limits=limits_from(options),
    )
    result = SubmissionResult(str(folder), tuple(results))
    color = options.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(RENDERERS[options.format](result, color))
    if options.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(github.summary(result))
    return FULL_MARKS if result.full_marks else NOT_FULL_MARKS


def run_github_workflow(args: list[str]) -> int:
    Parser(
        prog="grade github-workflow",
        description="Print the GitHub Actions workflow for a course repository "
        "(save it as .github/workflows/grade.yml).",
    ).parse_args(args)
    sys.stdout.write(bundle.github_workflow())
    return FULL_MARKS


def run_selfcheck(args: list[str]) -> int:
    parser = Parser(
        prog="grade selfcheck",
        description="Check the kit: reference solutions get full marks, stubs do not, and the "
        "hidden suites cover the reference solutions (run in the course repository).",
    )
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE", help="default: all")
    add_grading_options(parser)
    options = parser.parse_args(args)
    rows = selfcheck.selfcheck(
        exercises.select(options.exercises),
        discover.course_root(Path.cwd()),
        start_methods=start_methods(options.start_method),
        limits=limits_from(options),
    )
    sys.stdout.write(selfcheck.render(rows))
    return FULL_MARKS if all(row.ok for row in rows) else NOT_FULL_MARKS


def run_gradescope_bundle(args: list[str]) -> int:
    parser = Parser(prog="grade gradescope-bundle", description="Write the autograder zip to upload to Gradescope.")
    parser.add_argument("out", type=Path, metavar="OUT.zip")
    options = parser.parse_args(args)
    if not options.out.parent.is_dir():
        raise UsageError(f"{options.out.parent}: no such folder")
    print(f"wrote {bundle.gradescope_bundle(options.out)}: upload it as the autograder of the assignment")
    return FULL_MARKS


def run_batch(args: list[str]) -> int:
    from grader.batch import progress, runner  # only teachers need rich's live display

    parser = Parser(
        prog="grade batch",
        description="Grade a whole class: a folder with a sub-folder per student, a zip of it, or a "
        "flat Canvas download. Rerun the same command to resume an interrupted batch.",
    )
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS")
    parser.add_argument("--out", type=Path, required=True, metavar="RESULTS_DIR")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="submissions graded at a time (default: the number of cores)",
    )
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="grade on the workers of this Dask scheduler instead (needs mpgrade[dask] here and on the workers)",
    )
    parser.add_argument("--exercises", default="all", metavar="ex01,ex03", help="default: all")
    add_grading_options(parser)
    options = parser.parse_args(args)
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("-j must be at least 1")
    settings = runner.Settings(
        tuple(exercise.id for exercise in exercises.select(options.exercises.split(","))),
        tuple(start_methods(options.start_method)),
        limits_from(options),
    )
    shown = progress.Bar() if sys.stderr.isatty() else progress.Lines()
    try:
        with dask_client(options.scheduler) as client:
            summary = runner.grade_batch(
                options.submissions, options.out, settings=settings, jobs=options.jobs, client=client, progress=shown
            )
    except KeyboardInterrupt:
        print(
            f"grade: interrupted; the results so far are kept in {options.out}: run the same "
            "command again to grade the rest",
            file=sys.stderr,
        )
        return 130
    print(
        f"{summary.students} students: {summary.graded} files graded, {summary.reused} results reused.\n"
        f"gradebook: {summary.out / 'gradebook.csv'}\nreport:    {summary.out / 'report.html'}"
    )
    for failure in summary.failures:
        print(f"grade: internal error of the grader on {failure}", file=sys.stderr)
    return INTERNAL if summary.failures else FULL_MARKS


def dask_client(address: str | None) -> contextlib.AbstractContextManager[Client | None]:
    """A client of the Dask scheduler at ``address``, closed after the batch; none without one."""
    if address is None:
        return contextlib.nullcontext()
    try:
        from grader.batch import dask
    except ImportError as error:
        raise UsageError(f"--scheduler needs Dask ({error}): pip install 'mpgrade[dask]'") from None
    return dask.connect(address)


class Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so every error leaves one way."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def grade_parser() -> Parser:
    parser = Parser(
        prog="grade",
        description="Grade multiprocessing exercises with hidden tests. Other commands: "
        "grade selfcheck, grade batch, grade gradescope-bundle, grade github-workflow "
        "(each with --help).",
        epilog="Exit codes: 0 full marks, 1 not full marks, 2 usage error, 3 internal error, 130 interrupted.",
    )
    parser.add_argument(
        "exercises", nargs="+", metavar="EXERCISE",
        help=f"{', '.join(exercises.EXERCISES)} or all",
    )  # fmt: skip
    parser.add_argument(
        "--submission",
        type=Path,
        metavar="DIR",
        help="grade the files in DIR instead of the course's exercises/ folder",
    )
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    add_grading_options(parser)
    parser.add_argument("--version", action="version", version=f"mpgrade {__version__}")
    return parser


def add_grading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--start-method", choices=[*available_start_methods(), "all"], default="all",
        help="grade under one start method only (default: all this platform has)",
    )  # fmt: skip
    limits = parser.add_argument_group("limits (per exercise; see README)")
    for field in dataclasses.fields(Limits):
        limits.add_argument(
            f"--{field.name.replace('_', '-')}", type=type(field.default), default=field.default,
            metavar="N", help=f"default {field.default}",
        )  # fmt: skip


def relative(folder: Path) -> Path:
    """Below the working directory, a relative path: shorter to read, and what GitHub's
    annotations need to find the student's file in the repository."""
    try:
        return folder.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return folder


def start_methods(choice: str) -> list[str]:
    return available_start_methods() if choice == "all" else [choice]


def limits_from(options: argparse.Namespace) -> Limits:
    try:
        return Limits(**{field.name: getattr(options, field.name) for field in dataclasses.fields(Limits)})
    except ValueError as error:
        raise UsageError(str(error)) from None


def internal_error(error: BaseException) -> int:
    """Say the grader is broken (not the student's code), and where the details are."""
    folder = Path(tempfile.gettempdir()) / "mpgrade-logs"
    folder.mkdir(exist_ok=True)
    log = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    details = str(error) if isinstance(error, GraderError) else ""
    log.write_text(f"mpgrade {__version__}\n{details}\n\n{''.join(traceback.format_exception(error))}")
    summary = (str(error).splitlines() or [type(error).__name__])[0]
    print(
        f"grade: internal error of the grader (not of the code being graded): {summary}\n"
        f"grade: details are in {log}; please send that file to the course staff.",
        file=sys.stderr,
    )
    return INTERNAL
