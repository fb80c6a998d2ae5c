"""``--format text``: what a student reads in the terminal; colour only on a terminal."""

from __future__ import annotations

import io
import textwrap

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report.details import because, where
from grader.report.safe import inert_result

LABELS = {
    Status.PASSED: ("PASS", "green"),
    Status.FAILED: ("FAIL", "red"),
    Status.ERROR: ("ERROR", "red"),
    Status.TIMEOUT: ("TIME", "magenta"),
    Status.NOT_RUN: ("SKIP", "yellow"),
}
INDENT = 8
WIDTH = 100


def render(result: SubmissionResult, color: bool = False) -> str:
    result = inert_result(result)
    buffer = io.StringIO()
    console = Console(  # never Jupyter's display: the text is returned, even inside a notebook's kernel
        file=buffer, force_terminal=color, force_jupyter=False, no_color=not color, width=WIDTH, highlight=False
    )
    for exercise in result.exercises:
        _exercise(console, exercise)
    if len(result.exercises) > 1:
        console.print(f"[bold]Total: {result.score}/{result.max_score}[/]")
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _exercise(console: Console, exercise: ExerciseResult) -> None:
    colour = "green" if exercise.full_marks else "red"
    console.print(
        f"[bold]{exercise.exercise}[/] {escape(exercise.title)}  "
        f"[bold {colour}]{exercise.score}/{exercise.max_score}[/]"
        f"  [dim]({', '.join(exercise.start_methods)}; {_isolated(exercise)}{exercise.duration:.1f} s)[/]"
    )
    if exercise.problem:  # under the header; the rest of it (an exception raised on import may hold lines made to
        # look like the report's own) indented deeper than the report's lines, as a check's details are
        first, _, rest = exercise.problem.partition("\n")
        _block(console, first, "bold red", indent=2, hang=True)
        if rest:
            _block(console, rest, "bold red")
    for number, cause in enumerate(exercise.causes, 1):
        label = f"MISTAKE {number}" if len(exercise.causes) > 1 else "MISTAKE"
        console.print(f"  [bold yellow]{label}[/]")
        _block(console, cause.message)
        if cause.location is not None:
            _block(console, where(cause.location))
        _block(console, f"Hint: {cause.hint}", "cyan")
        if cause.docs:
            _block(console, f"Read: {cause.docs}", "dim")
    previous: tuple[object, ...] = ()
    for check in exercise.checks:
        label, colour = LABELS[check.status]
        console.print(f"  [{colour}]{label:<5}[/] {escape(check.title)}  [dim]{check.score}/{check.max_score}[/]")
        if check.status is not Status.PASSED and check.cause:
            _block(console, because(exercise, check), "dim")
            _evidence(console, check)
        elif check.status is not Status.PASSED:
            problem = (check.message, check.location, check.stacks, check.output, check.hint)
            _details(console, check, repeated=problem[:-1] == previous[:-1], hint_told=problem == previous)
            previous = problem
    console.print()


def _isolated(exercise: ExerciseResult) -> str:
    """Which isolation level graded it: the student (and a teacher reading over their shoulder) should know."""
    return f"isolation: {exercise.isolation}; " if exercise.isolation else ""


def _details(console: Console, check: CheckResult, repeated: bool, hint_told: bool) -> None:
    if repeated:  # one broken function fails many checks: say it once
        _block(console, "(the same problem as above)", "dim")
    else:
        _block(console, check.message)
        if check.location is not None:
            _block(console, where(check.location))
        _evidence(console, check)
    if check.hint and not hint_told:
        _block(console, f"Hint: {check.hint}", "cyan")


def _evidence(console: Console, check: CheckResult) -> None:
    """Where each process was, and what the code printed."""
    if check.stacks:
        _block(console, check.stacks)
    if check.output:
        lines = check.output.splitlines()
        shown = "\n".join(f"| {line[:200]}{' [...]' if len(line) > 200 else ''}" for line in lines[:20])
        more = f"\n| ... {len(lines) - 20} more lines" if len(lines) > 20 else ""
        _block(console, f"Your code printed:\n{shown}{more}", "dim")


def _block(console: Console, text: str, style: str = "", indent: int = INDENT, hang: bool = False) -> None:
    """Indented text whose wrapped lines keep the indent; an indented line (an entry of a list,
    such as one process of a deadlock report), or any with ``hang``, wraps under itself with a
    hanging indent."""
    for line in text.splitlines() or [""]:
        own = len(line) - len(line.lstrip(" "))
        hanging = "  " if own or hang else ""
        wrapped = textwrap.fill(
            line[own:],
            width=WIDTH - indent - own,
            subsequent_indent=hanging,
            break_long_words=False,
            break_on_hyphens=False,
        )
        console.print(Padding(Text(wrapped, style=style), (0, 0, 0, indent + own), expand=False))
