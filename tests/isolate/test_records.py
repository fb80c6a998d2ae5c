"""The grader trusts only its own records: signed, in sequence, once."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import KIT

from grader.exercises import EXERCISES
from grader.isolate import Sandbox
from grader.models import Limits
from grader.sandbox import records


def sandbox(tmp_path: Path) -> Sandbox:
    (tmp_path / "scratch").mkdir()
    return Sandbox(
        tmp_path / "root", tmp_path / "scratch", EXERCISES["ex01"], KIT / "solutions" / "ex01_spawn.py", Limits(), None
    )


def signed(box: Sandbox, lines: list[dict[str, str]]) -> str:
    """The lines as the harness signs them, except those whose "key" says otherwise."""
    text = ""
    for line in lines:
        key = line.pop("key")
        if key == box.key:
            text += records.sign(box.key, line)
        elif key == "guessed":
            text += records.sign("a guess", line)
        else:
            text += json.dumps(line) + "\n"
    return text


def test_only_signed_results_right_after_their_start_count_once(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    lines = [
        {"key": box.key, "event": "start", "check": "a", "method": "fork"},
        {"key": "guessed", "event": "result", "check": "a", "method": "fork", "status": "passed"},
        {"key": "unsigned", "event": "result", "check": "a", "method": "fork", "status": "passed"},
        {"key": box.key, "event": "result", "check": "a", "method": "fork", "status": "failed"},
        {"key": box.key, "event": "result", "check": "a", "method": "fork", "status": "passed"},  # again
        {"key": box.key, "event": "result", "check": "b", "method": "fork", "status": "passed"},  # never started
        {"key": box.key, "event": "start", "check": "c", "method": "spawn"},
    ]
    box.results.write_text(signed(box, lines) + "not json\n")
    records, running, finished = box.read_results()
    assert [(r["check"], r["status"]) for r in records] == [("a", "failed")]
    assert running == ("c", "spawn") and not finished


def test_nothing_counts_after_the_suite_finished(tmp_path: Path) -> None:
    box = sandbox(tmp_path)
    lines = [
        {"key": box.key, "event": "start", "check": "a", "method": "fork"},
        {"key": box.key, "event": "result", "check": "a", "method": "fork", "status": "failed"},
        {"key": box.key, "event": "finished"},
        {"key": box.key, "event": "start", "check": "a", "method": "spawn"},
        {"key": box.key, "event": "result", "check": "a", "method": "spawn", "status": "passed"},
    ]
    box.results.write_text(signed(box, lines))
    records, running, finished = box.read_results()
    assert [(r["method"], r["status"]) for r in records] == [("fork", "failed")]
    assert finished and running is None
