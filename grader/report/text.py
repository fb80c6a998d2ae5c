"""``--format text``: what a student reads in the terminal; colour only on a terminal."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult

LABELS = {
    Status.PASSED: ("PASS", "green"),
    Status.FAILED: ("FAIL", "red"),
    Status.ERROR: ("ERROR", "red"),
    Status.TIMEOUT: ("TIME", "magenta"),
    Status.NOT_RUN: ("SKIP", "yellow"),
}


def render(result: SubmissionResult, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=100, highlight=False)
    for exercise in result.exercises:
        _exercise(console, exercise)
    if len(result.exercises) > 1:
        console.print(f"[bold]Total: {result.score}/{result.max_score}[/]")
    return buffer.getvalue()


def _exercise(console: Console, exercise: ExerciseResult) -> None:
    colour = "green" if exercise.full_marks else "red"
    console.print(
        f"[bold]{exercise.exercise}[/] {escape(exercise.title)}  "
        f"[bold {colour}]{exercise.score}/{exercise.max_score}[/]"
        f"  [dim]({', '.join(exercise.start_methods)}; {exercise.duration:.1f} s)[/]"
    )
    if exercise.problem:
        console.print(f"  [bold red]![/] {escape(exercise.problem)}")
    for check in exercise.checks:
        _check(console, check)
    console.print()


def _check(console: Console, check: CheckResult) -> None:
    label, colour = LABELS[check.status]
    console.print(f"  [{colour}]{label:<5}[/] {escape(check.title)}  [dim]{check.score}/{check.max_score}[/]")
    if check.status is Status.PASSED:
        return
    for line in check.message.splitlines():
        console.print(f"        {escape(line)}")
    if check.location is not None and check.location.file not in check.message:
        code = f"  {check.location.code}" if check.location.code else ""
        console.print(f"        at {check.location.file}:{check.location.line}{escape(code)}")
    for line in check.stacks.splitlines():
        console.print(f"        {escape(line)}")
    if check.output:
        console.print("        Your code printed:")
        for line in check.output.splitlines()[:20]:
            console.print(f"        [dim]| {escape(line)}[/]")
    if check.hint:
        console.print(f"        [cyan]Hint:[/] {escape(check.hint)}")
