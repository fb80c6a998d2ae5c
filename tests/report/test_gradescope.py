"""``--format gradescope``: Gradescope's results.json, one test per check."""

from __future__ import annotations

import json
from typing import Any

from report.samples import FAILED, MISTAKE, MIXED, TIMEOUT, WITH_MISTAKE

from grader.report import RENDERERS


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RENDERERS["gradescope"](MIXED, False))
    return data


def test_top_level_fields_and_types() -> None:
    data = load()
    assert (data["score"], data["max_score"]) == (MIXED.score, MIXED.max_score) == (4, 9)
    assert isinstance(data["execution_time"], (int, float)) and data["execution_time"] == 6.75
    assert data["stdout_visibility"] == "hidden"
    assert isinstance(data["output"], str) and "\n" not in data["output"]
    assert data["output"].startswith("Score 4/9 (ex01 2/2; ex05 2/7).")
    assert "late" in data["output"] and "not valid UTF-8" in data["output"]


def test_one_test_per_check_named_and_numbered_by_exercise() -> None:
    tests = load()["tests"]
    assert len(tests) == 6
    assert [test["number"] for test in tests] == ["1.1", "5.1", "5.2", "5.3", "5.4", "5.5"]
    assert tests[2]["name"] == f"ex05 · {FAILED.title}"
    assert [test["status"] for test in tests] == ["passed", "passed", "failed", "failed", "failed", "failed"]
    assert all(test["visibility"] == "visible" for test in tests)
    assert all(isinstance(test["score"], int) and isinstance(test["max_score"], int) for test in tests)
    assert sum(test["score"] for test in tests) == 4
    assert sum(test["max_score"] for test in tests) == 9


def test_output_explains_a_failure_and_is_empty_for_a_pass() -> None:
    tests = load()["tests"]
    assert tests[0]["output"] == ""
    failed = tests[2]["output"]
    assert failed.startswith(FAILED.message)
    assert "at ex05_queue_sentinel.py:14  if not item:" in failed
    assert "Your code printed:\ngot\\x00 0\\x1b[31m\tred\\x7f" in failed  # its control characters escaped
    assert failed.endswith("Hint: Compare with `is SENTINEL`.")
    assert TIMEOUT.stacks in tests[3]["output"]


def test_a_mistake_is_in_the_summary_and_in_each_check_it_broke() -> None:
    data = json.loads(RENDERERS["gradescope"](WITH_MISTAKE))
    assert f"ex05, mistake at line 24: {MISTAKE.message}" in data["output"]
    broken = [test for test in data["tests"] if MISTAKE.message in test["output"]]
    assert len(broken) == len(MISTAKE.checks)
