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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__, discover, exercises, pipeline
from grader.errors import GraderError, UsageError
from grader.exercises import available_start_methods
from grader.models import Isolation, Limits, SubmissionResult
from grader.report import RENDERERS
from grader.sandbox import isolation

if TYPE_CHECKING:
    from distributed import Client

    from grader.lms.gradebooks import Destinations

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
    """``grade COMMAND ...`` for the teachers' commands (``COMMANDS``), else ``grade EXERCISE ...``."""
    if args and args[0] in COMMANDS:
        return COMMANDS[args[0]](args[1:])
    return run_grade(args)


def run_grade(args: list[str]) -> int:
    options = grade_parser().parse_args(args)
    chosen = exercises.select(options.exercises)
    with tempfile.TemporaryDirectory(prefix="mpgrade-submission-") as scratch:
        folder = relative(discover.submission_folder(options.submission, Path.cwd(), chosen, Path(scratch)))
        results = pipeline.grade(
            chosen,
            folder,
            start_methods=start_methods(options.start_method),
            limits=limits_from(options),
            level=isolation.choose(options.isolation).value,
        )
    shown = options.submission if options.submission is not None and options.submission.is_file() else folder
    result = SubmissionResult(str(shown), tuple(results))
    color = options.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(RENDERERS[options.format](result, color))
    if options.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from grader.report import github

        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(github.summary(result))
    return FULL_MARKS if result.full_marks else NOT_FULL_MARKS


def run_github_workflow(args: list[str]) -> int:
    Parser(
        prog="grade github-workflow",
        description="Print the GitHub Actions workflow for a course repository "
        "(save it as .github/workflows/grade.yml).",
    ).parse_args(args)
    from grader import bundle  # here: a student's `grade` need not pay for what only teachers' commands use

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
    from grader import selfcheck  # here: it loads coverage

    rows = selfcheck.selfcheck(
        exercises.select(options.exercises),
        discover.course_root(Path.cwd()),
        start_methods=start_methods(options.start_method),
        limits=limits_from(options),
        level=isolation.choose(options.isolation).value,
    )
    sys.stdout.write(selfcheck.render(rows))
    return FULL_MARKS if all(row.ok for row in rows) else NOT_FULL_MARKS


def run_gradescope_bundle(args: list[str]) -> int:
    parser = Parser(prog="grade gradescope-bundle", description="Write the autograder zip to upload to Gradescope.")
    parser.add_argument("out", type=Path, metavar="OUT.zip")
    options = parser.parse_args(args)
    if not options.out.parent.is_dir():
        raise UsageError(f"{options.out.parent}: no such folder")
    from grader import bundle

    print(f"wrote {bundle.gradescope_bundle(options.out)}: upload it as the autograder of the assignment")
    return FULL_MARKS


def run_notebooks(args: list[str]) -> int:
    parser = Parser(
        prog="grade notebooks",
        description="Write an nbgrader course: nbgrader_config.py and one source notebook per exercise in "
        "COURSE_DIR/source/ASSIGNMENT (run in the course repository).",
    )
    parser.add_argument("course", type=Path, metavar="COURSE_DIR")
    parser.add_argument("--assignment", default="multiprocessing", metavar="NAME", help="default: multiprocessing")
    parser.add_argument("--exercises", default="all", metavar="ex01,ex03", help="default: all")
    add_grading_options(parser)
    options = parser.parse_args(args)
    from grader.lms import notebooks

    written = notebooks.write_course(
        options.course,
        discover.course_root(Path.cwd()),
        assignment=options.assignment,
        exercises=exercises.select(options.exercises.split(",")),
        start_methods=None if options.start_method == "all" else [options.start_method],
        limits=limits_from(options),
    )
    print(
        f"wrote {written[0]} and {len(written) - 1} notebooks in {written[1].parent}: "
        f"in {options.course}, run nbgrader generate_assignment {options.assignment}"
    )
    return FULL_MARKS


def run_batch(args: list[str]) -> int:
    from grader.batch import grading, progress, runner  # only teachers need rich's live display
    from grader.lms import gradebooks

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
    parser.add_argument(
        "--allow-weak-isolation",
        action="store_true",
        help="grade even where only the process level is available (students could reach each other's grading)",
    )
    add_destination_options(parser, "--gradebook", default="plain")
    add_grading_options(parser)
    options = parser.parse_args(args)
    destinations = destinations_from(options, options.gradebook)
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("-j must be at least 1")
    level = isolation.choose(options.isolation)
    if level is Isolation.PROCESS and not options.allow_weak_isolation:
        raise UsageError(
            "only the process isolation level is available here: one student's code could stop or read "
            "another's grading and the grader itself (README: Threat model). Run as root or where user "
            "namespaces are allowed, or give --allow-weak-isolation to grade anyway"
        )
    settings = grading.Settings(
        tuple(exercise.id for exercise in exercises.select(options.exercises.split(","))),
        tuple(start_methods(options.start_method)),
        limits_from(options),
        level.value,
    )
    shown = progress.Bar() if sys.stderr.isatty() else progress.Lines()
    try:
        with dask_client(options.scheduler) as client:
            summary = runner.grade_batch(
                options.submissions, options.out, settings=settings, jobs=options.jobs, client=client,
                progress=shown, destinations=destinations,
            )  # fmt: skip
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
    if destinations.gradebook in gradebooks.FILES:
        print(f"{destinations.gradebook + ':':<10} {summary.out / gradebooks.FILES[destinations.gradebook]}")
    for note in summary.notes:
        print(f"grade: {note}", file=sys.stderr)
    for failure in summary.failures:
        print(f"grade: internal error of the grader on {failure}", file=sys.stderr)
    return INTERNAL if summary.failures else FULL_MARKS


def run_gradebook(args: list[str]) -> int:
    from grader.lms import gradebooks

    parser = Parser(
        prog="grade gradebook",
        description="Write the Canvas or Moodle import (or record nbgrader's gradebook) again from the "
        "results folder of grade batch, without grading anything.",
    )
    parser.add_argument("results", type=Path, metavar="RESULTS_DIR")
    add_destination_options(parser, "--format", default=None)
    options = parser.parse_args(args)
    destinations = destinations_from(options, options.format or "plain")
    if options.format is None and not destinations.nbgrader_db:
        raise UsageError("say what to write: --format canvas|moodle, or --nbgrader-db URL --assignment NAME")
    results, graded = gradebooks.read_results(options.results)
    for note in gradebooks.write(options.results, results, graded, destinations):
        print(f"grade: {note}", file=sys.stderr)
    targets = [str(options.results / gradebooks.FILES[options.format])] if options.format else []
    if destinations.nbgrader_db:
        targets.append(f"{destinations.nbgrader_db} (assignment {destinations.assignment})")
    print(f"{len(results)} students: wrote {', '.join(targets)}")
    return FULL_MARKS


def add_destination_options(parser: argparse.ArgumentParser, flag: str, default: str | None) -> None:
    """Where the grades go besides gradebook.csv: an LMS import, nbgrader's gradebook."""
    from grader.lms.gradebooks import FORMATS

    lms = parser.add_argument_group("gradebooks (see README: Canvas, Moodle, nbgrader)")
    shown = f" (default {default}: gradebook.csv only)" if default else ""
    lms.add_argument(
        flag, choices=FORMATS if default else FORMATS[1:], default=default,
        help=f"also write the import file of this LMS{shown}",
    )  # fmt: skip
    lms.add_argument("--roster", type=Path, metavar="CSV", help="the class list exported from Canvas or Moodle")
    lms.add_argument(
        "--missing", choices=["blank", "zero"], default="blank",
        help="roster students who handed in nothing: an empty cell (default) or 0",
    )  # fmt: skip
    lms.add_argument("--nbgrader-db", default="", metavar="URL", help="also record in nbgrader's gradebook, "
                     "e.g. sqlite:///gradebook.db")  # fmt: skip
    lms.add_argument("--assignment", default="", metavar="NAME", help="the assignment's name in nbgrader")


def destinations_from(options: argparse.Namespace, gradebook: str) -> Destinations:
    """The checked destinations: a bad roster, format or database stops before any grading."""
    from grader.lms.gradebooks import Destinations
    from grader.lms.roster import read_roster

    roster = read_roster(options.roster) if options.roster else None
    destinations = Destinations(gradebook, roster, options.missing == "blank", options.nbgrader_db, options.assignment)
    if destinations.nbgrader_db:
        try:
            from grader.lms.nbgrader_db import open_gradebook
        except ImportError as error:
            raise UsageError(f"--nbgrader-db needs nbgrader: pip install 'mpgrade[nbgrader]' ({error})") from None
        open_gradebook(destinations.nbgrader_db).close()
    return destinations


COMMANDS: dict[str, Callable[[list[str]], int]] = {  #: the teachers' commands: the one table of them
    "selfcheck": run_selfcheck,
    "batch": run_batch,
    "gradebook": run_gradebook,
    "notebooks": run_notebooks,
    "gradescope-bundle": run_gradescope_bundle,
    "github-workflow": run_github_workflow,
}


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
        + ", ".join(f"grade {command}" for command in COMMANDS)
        + " (each with --help).",
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
    parser.add_argument(
        "--isolation", choices=["auto", *(level.value for level in Isolation)], default="auto",
        help="how to wall off the submission (default: the strongest this machine allows; README: Threat model)",
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
    details = str(error) if isinstance(error, GraderError) else ""
    text = f"mpgrade {__version__}\n{details}\n\n{''.join(traceback.format_exception(error))}"
    try:
        # a folder of this user's own: another user's (or a submission's) folder of that name is not used
        folder = Path(tempfile.gettempdir()) / f"mpgrade-logs-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        if folder.is_symlink() or folder.stat().st_uid != os.getuid():
            raise OSError(f"{folder} is not this user's")
        # a name of its own: a notebook's kernel may fail twice in one second
        fd, name = tempfile.mkstemp(
            prefix=f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-", suffix=".log", dir=folder
        )
        log = Path(name)
        with open(fd, "w") as file:
            file.write(text)
        where = f"details are in {log}; please send that file to the course staff."
    except OSError as error_writing:  # the message must get out even if no log can be written
        where = f"no log could be written ({error_writing}); the details follow.\n{text}"
    summary = (str(error).splitlines() or [type(error).__name__])[0]
    print(
        f"grade: internal error of the grader (not of the code being graded): {summary}\ngrade: {where}",
        file=sys.stderr,
    )
    return INTERNAL
