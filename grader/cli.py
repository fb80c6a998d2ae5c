"""The ``grade`` command: parse arguments, call the library, print, pick the exit code.

Exit codes: 0 full marks, 1 graded but not full marks, 2 usage error, 3 internal error.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from grader import __version__, discover, exercises, pipeline, selfcheck
from grader.errors import GraderError, UsageError
from grader.models import Limits, SubmissionResult
from grader.report import RENDERERS
from grader.suites.framework import available_start_methods

FULL_MARKS, NOT_FULL_MARKS, USAGE, INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except UsageError as error:
        print(f"grade: error: {error}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("grade: interrupted; every process of the submission was stopped", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: exit 3 with a log
        return internal_error(error)


def run(args: list[str]) -> int:
    if args[:1] == ["selfcheck"]:
        return run_selfcheck(args[1:])
    parser = grade_parser()
    options = parser.parse_args(args)
    folder = discover.submission_folder(options.submission, Path.cwd())
    results = pipeline.grade(
        exercises.select(options.exercises),
        folder,
        start_methods=start_methods(options.start_method),
        limits=limits_from(options),
    )
    result = SubmissionResult(str(folder), tuple(results))
    color = options.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(RENDERERS[options.format](result, color))
    return FULL_MARKS if result.full_marks else NOT_FULL_MARKS


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


class Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so every error leaves one way."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def grade_parser() -> Parser:
    parser = Parser(
        prog="grade",
        description="Grade multiprocessing exercises with hidden tests.",
        epilog="Exit codes: 0 full marks, 1 not full marks, 2 usage error, 3 internal error.",
    )
    parser.add_argument(
        "exercises", nargs="+", metavar="EXERCISE",
        help=f"{', '.join(exercises.EXERCISES)} or all",
    )  # fmt: skip
    parser.add_argument("--submission", type=Path, metavar="DIR",
                        help="grade the files in DIR instead of the course's exercises/ folder")
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
