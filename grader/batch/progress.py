"""How a batch shows its progress: a live bar on a terminal, plain lines in a CI log."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from grader.batch.grading import Grading
from grader.models import ExerciseResult


class Tally:
    """Done and passed so far: the pass rate both displays show."""

    def __init__(self) -> None:
        self.done = 0
        self.full = 0

    def add(self, result: ExerciseResult) -> None:
        self.done += 1
        self.full += result.full_marks

    @property
    def pass_rate(self) -> str:
        return f"{100 * self.full / self.done:.0f}% full marks" if self.done else "-"


class Bar:
    """A rich progress bar: done/total, pass rate so far, time left."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.tally = Tally()
        self.bar = Progress(
            TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(), console=Console(file=stream),
        )  # fmt: skip
        self.task = self.bar.add_task("grading", total=0, rate="-")

    def start(self, total: int, reused: int) -> None:
        if reused:
            self.bar.console.print(f"reusing {reused} results of an earlier run")
        self.bar.update(self.task, total=total)
        self.bar.start()

    def advance(self, grading: Grading, result: ExerciseResult) -> None:
        self.tally.add(result)
        self.bar.update(self.task, advance=1, rate=self.tally.pass_rate)

    def stop(self) -> None:
        self.bar.stop()


class Lines:
    """One line per finished grading, for logs: nothing redraws."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tally = Tally()
        self.total = 0
        self.started = time.monotonic()

    def start(self, total: int, reused: int) -> None:
        self.total = total
        self.started = time.monotonic()
        print(f"grading {total} files ({reused} results reused from an earlier run)", file=self.stream, flush=True)

    def advance(self, grading: Grading, result: ExerciseResult) -> None:
        self.tally.add(result)
        elapsed = time.monotonic() - self.started
        left = elapsed / self.tally.done * (self.total - self.tally.done)
        print(
            f"[{self.tally.done}/{self.total}] {grading.student} {grading.exercise} "
            f"{result.score}/{result.max_score}  ({self.tally.pass_rate}, about {left:.0f} s left)",
            file=self.stream, flush=True,
        )  # fmt: skip

    def stop(self) -> None:
        pass
