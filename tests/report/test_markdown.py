"""``--format markdown``: the feedback a student reads (feedback.md, the GitHub step summary)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from report.samples import ALL_PASSED, EX05, FAILED, MISTAKE, MIXED, TIMEOUT, WITH_MISTAKE

from grader.exercises import EXERCISES
from grader.models import Submission, SubmissionResult
from grader.report import RENDERERS
from grader.score import unrunnable


def render(result: SubmissionResult) -> str:
    return RENDERERS["markdown"](result, False)


def test_a_result_with_full_marks_has_a_table_and_no_failure_section() -> None:
    shown = render(ALL_PASSED)
    assert shown.startswith("# Feedback\n")
    assert "**Total: 2/2**" in shown
    assert "## ex01 · Run a function in a new process: 2/2" in shown
    assert "| passed | producer puts sentinels | 2/2 |" in shown
    assert "###" not in shown and "Hint" not in shown and "Late" not in shown and "Could not be read" not in shown


def test_student_late_and_unreadable_files_are_said_first() -> None:
    shown = render(MIXED)
    assert shown.startswith("# Feedback for Ada Lovelace\n\n**Total: 4/9**\n")
    assert "**Late:**" in shown
    assert "## Could not be read\n\n- ex02_many_processes.py: not valid UTF-8\n" in shown
    assert f"**Problem:** {EX05.problem}" in shown


def test_a_failure_shows_message_location_output_and_hint() -> None:
    shown = render(MIXED)
    section = shown.split("### Failed: ")[1].split("\n### ")[0]
    assert 'The consumer stopped at the item 0 &amp; said "bye" &lt;here&gt;.' in section  # HTML as text
    assert "**Where:**\n\n```text\nex05_queue_sentinel.py:14  if not item:\n```" in section
    assert "Your code printed:\n\n```text\ngot\\x00 0\\x1b[31m\tred\\x7f\n```" in section
    assert "**Hint:** Compare with `is SENTINEL`." in section
    assert [line for line in shown.splitlines() if line.startswith("### ")] == [
        f"### Failed: {FAILED.title}",
        "### Timeout: parent joins, then stops",
        "### Error: consumer survives an empty queue",
        "### Not run: results come back in order",
    ]


def test_a_deadlock_report_is_fenced() -> None:
    assert f"Where each process was blocked:\n\n```text\n{TIMEOUT.stacks}\n```" in render(MIXED)


def test_pipes_in_a_title_stay_in_their_cell() -> None:
    row = next(line for line in render(MIXED).splitlines() if line.startswith("| failed |"))
    assert row == r"| failed | consumer passes on 0 \| '' \| False | 0/1 |"


def test_backticks_in_output_cannot_close_the_fence() -> None:
    check = dataclasses.replace(FAILED, output="```\n# not a heading", location=None)
    shown = render(SubmissionResult("x", (dataclasses.replace(EX05, checks=(check,)),)))
    assert "````text\n```\n# not a heading\n````" in shown


def test_a_mistake_is_told_once_before_the_checks_it_broke() -> None:
    shown = render(WITH_MISTAKE)
    assert shown.count("\\`not item\\` tests the item's truth") == 1  # escaped: it quotes the student's code
    mistake = shown.split("### Mistake\n\n")[1].split("\n### ")[0]
    assert "**Where:**\n\n```text\nex05_queue_sentinel.py:24  if not item:\n```" in mistake
    assert f"**Hint:** {MISTAKE.hint}" in mistake and f"**Read:** <{MISTAKE.docs}>" in mistake
    assert shown.index("### Mistake") < shown.index(f"### Failed: {FAILED.title}")
    broken = shown.split(f"### Failed: {FAILED.title}")[1].split("\n### ")[0]
    assert "Fails because of the mistake above." in broken and FAILED.hint not in broken
    assert f"```text\n{TIMEOUT.stacks}\n```" in shown  # a broken check keeps its own deadlock report


def test_an_exercise_not_submitted_is_a_few_lines() -> None:
    missing = unrunnable(
        EXERCISES["ex03"], Submission("ex03", Path("x.py"), "Not submitted.", submitted=False), ["fork"]
    )
    shown = render(SubmissionResult("s", (missing,)))
    section = shown.split("## ex03")[1]
    assert "**Problem:** Not submitted." in section and f"None of its {len(missing.checks)} checks ran." in section
    assert "| Result |" not in section and "###" not in section
    assert len(section.strip().splitlines()) <= 5
