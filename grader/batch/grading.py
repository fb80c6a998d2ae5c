"""One grading of a batch: its settings, the file as content (an ``Upload``), and the one call that
grades it on whatever machine runs it. Shared by the local runner and the Dask executor
(``grader.batch.dask``), which import it and not each other."""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.exercises import EXERCISES
from grader.models import ExerciseResult, Limits
from grader.pipeline import grade_file


@dataclass(frozen=True)
class Settings:
    """What a result depends on besides the source: part of each stored result's key."""

    exercises: tuple[str, ...]
    start_methods: tuple[str, ...]
    limits: Limits
    isolation: str = "auto"  #: the level to grade at (chosen once, before the batch starts)


@dataclass(frozen=True)
class Upload:
    """What grading one file takes, the file included as content: what travels to a worker."""

    exercise: str
    name: str  #: the file's name as handed in
    content: bytes = field(repr=False)
    settings: Settings


@dataclass(frozen=True)
class Grading:
    """One student's file for one exercise, to be graded."""

    student: str
    exercise: str
    source: Path
    key: dict[str, Any]
    settings: Settings
    content: bytes = field(repr=False)  #: read once: the bytes hashed into ``key`` are the bytes graded

    def upload(self) -> Upload:
        """What travels to the machine that grades it."""
        return Upload(self.exercise, self.source.name, self.content, self.settings)


def grade_upload(upload: Upload, cancel: threading.Event | None = None, parallel: int = 1) -> ExerciseResult:
    """Write the file into a temporary folder here and grade it there: the one grading call of
    every executor, local or remote; a top-level function, so that any executor can run it.
    ``parallel``: its start methods' sandboxes at a time (``grade_file``)."""
    with tempfile.TemporaryDirectory(prefix="mpgrade-upload-") as folder:
        path = Path(folder) / upload.name
        path.write_bytes(upload.content)
        return grade_file(
            EXERCISES[upload.exercise], path,
            start_methods=list(upload.settings.start_methods), limits=upload.settings.limits,
            level=upload.settings.isolation, cancel=cancel, parallel=parallel,
        )  # fmt: skip
