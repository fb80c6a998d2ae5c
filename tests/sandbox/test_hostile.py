"""Hostile and broken submissions: each is a real folder under hostile/, graded as a user would.

Each must give a specific message, a score below full marks, no traceback of the grader, no line of
the grader's checks or scenarios, and leave no process of the submission alive (found by scanning
/proc, not by trusting the kill). Limits a case needs are in its case.toml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib

from grader.exercises import EXERCISES
from grader.models import Limits, SubmissionResult
from grader.pipeline import grade_exercise
from grader.report import text

CASES = sorted(path for path in (Path(__file__).parent / "hostile").iterdir() if path.is_dir())
GRADER = Path(__import__("grader").__file__).parent


def grader_lines() -> set[str]:
    """Distinctive source lines of the checks and scenarios: none may reach a student."""
    lines = set()
    for path in [*(GRADER / "judge").glob("*.py"), *(GRADER / "scenarios").glob("*.py")]:
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith(("#", '"', "def ", "import ", "from ", 'f"', "return fail")):
                lines.add(line)
    return lines


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_submission(case: Path, no_survivors: None) -> None:
    spec = tomllib.loads((case / "case.toml").read_text())
    exercise = EXERCISES[spec["exercise"]]
    before = snapshot(case)
    result = grade_exercise(exercise, case, limits=Limits(**spec.get("limits", {})), parallel=3)  # as `grade exNN`
    shown = text.render(SubmissionResult(str(case), (result,)))
    flat = re.sub(r"\s+", " ", shown)

    assert result.score < result.max_score
    for phrase in spec["says"]:
        assert re.sub(r"\s+", " ", phrase) in flat, f"{phrase!r} not in:\n{shown}"
    assert "Traceback (most recent call last)" not in shown or "left out" in shown
    leaked = [line for line in grader_lines() if line in shown]
    assert not leaked, leaked
    assert "mpgrade_scenarios" not in shown and "grader." not in shown
    assert snapshot(case) == before  # the submission folder is read, never written


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(path): (path.stat().st_size, path.stat().st_mtime_ns) for path in folder.rglob("*")}
