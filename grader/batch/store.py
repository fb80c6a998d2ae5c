"""Batch results on disk: one JSON file per student and exercise, each written atomically.

A file is written as soon as its grading is known (temporary file, fsync, rename), so a batch
killed at any moment leaves whole results or none. Each file records what it was computed from
(the source's hash, the grader's version, the settings): a rerun reuses it only if all match.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from grader.models import ExerciseResult


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, slug: str, exercise: str) -> Path:
        return self.root / slug / "results" / f"{exercise}.json"

    def load(self, slug: str, exercise: str, key: dict[str, Any]) -> ExerciseResult | None:
        """The stored result, if it was computed from exactly ``key``."""
        try:
            data = json.loads(self.path(slug, exercise).read_text())
            return ExerciseResult.from_dict(data["result"]) if data["key"] == key else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, slug: str, exercise: str, key: dict[str, Any], result: ExerciseResult) -> None:
        write_atomically(self.path(slug, exercise), json.dumps({"key": key, "result": result.to_dict()}, indent=1))


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
