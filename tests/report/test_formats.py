from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from grader.models import CheckResult, ExerciseResult, Location, Status, SubmissionResult
from grader.report import RENDERERS, gradebook

RESULT = SubmissionResult(
    "exercises",
    (
        ExerciseResult(
            "ex05",
            "Stop a consumer with a sentinel",
            "exercises/ex05_queue_sentinel.py",
            (
                CheckResult(
                    "producer", "producer puts sentinels", Status.PASSED, 2, 2, start_methods={"fork": Status.PASSED}
                ),
                CheckResult(
                    "falsy",
                    "consumer passes on 0",
                    Status.FAILED,
                    0,
                    1,
                    message="The consumer stopped at the item 0.",
                    hint="Compare with `is SENTINEL`.",
                    location=Location("ex05_queue_sentinel.py", 14, "if not item:"),
                    start_methods={"fork": Status.FAILED},
                ),
            ),
            ("fork",),
        ),
    ),
)


def test_json_has_the_documented_schema() -> None:
    data = json.loads(RENDERERS["json"](RESULT, False))
    assert (data["schema"], data["score"], data["max_score"]) == (1, 2, 3)
    check = data["exercises"][0]["checks"][1]
    assert {"name", "title", "score", "max_score", "status", "message", "hint", "location", "start_methods"} <= set(
        check
    )
    assert (check["name"], check["status"], check["start_methods"]) == ("falsy", "failed", {"fork": "failed"})


def test_text_shows_what_failed_why_where_and_a_hint_without_colour() -> None:
    shown = RENDERERS["text"](RESULT, False)
    assert "\x1b[" not in shown
    assert "FAIL  consumer passes on 0  0/1" in shown
    assert "The consumer stopped at the item 0." in shown
    assert "at ex05_queue_sentinel.py:14  if not item:" in shown
    assert "Hint: Compare with `is SENTINEL`." in shown


def test_text_uses_colour_on_a_terminal() -> None:
    assert "\x1b[" in RENDERERS["text"](RESULT, True)


def test_results_read_back_from_json_are_equal() -> None:
    from grader.models import ExerciseResult

    exercise = RESULT.exercises[0]
    assert ExerciseResult.from_dict(json.loads(json.dumps(exercise.to_dict()))) == exercise


def _timed_out(name: str, stacks: str) -> CheckResult:
    return CheckResult(name, name, Status.TIMEOUT, 0, 1, message="This check did not finish within 5 s.", stacks=stacks)


def _text_of(*checks: CheckResult) -> str:
    exercise = ExerciseResult("ex05", "Stop a consumer with a sentinel", "ex05_queue_sentinel.py", checks, ("fork",))
    return RENDERERS["text"](SubmissionResult("exercises", (exercise,)), False)


def test_text_says_a_repeated_problem_once_but_shows_every_different_deadlock_report() -> None:
    joined = "Where each process was:\n  main process:  ex05_queue_sentinel.py:66  worker.join()"
    getting = "Where each process was:\n  consumer:  ex05_queue_sentinel.py:49  q.get()"
    shown = _text_of(_timed_out("a", joined), _timed_out("b", joined), _timed_out("c", getting))
    assert shown.count("worker.join()") == 1
    assert shown.count("(the same problem as above)") == 1
    assert "ex05_queue_sentinel.py:49  q.get()" in shown


def test_text_gives_the_hint_of_a_repeated_problem_once_unless_another_check_hints_otherwise() -> None:
    def failed(name: str, hint: str) -> CheckResult:
        return CheckResult(name, name, Status.FAILED, 0, 1, message="run_pipeline gives up.", hint=hint)

    shown = _text_of(failed("a", "Read with out.get()."), failed("b", "Read with out.get()."), failed("c", "Join."))
    assert shown.count("Hint: Read with out.get().") == 1
    assert shown.count("(the same problem as above)") == 2
    assert "Hint: Join." in shown


def test_text_wraps_a_long_process_entry_under_itself() -> None:
    entry = "  main process, in run_pipeline() (pid 6675):  ex05_queue_sentinel.py:66  worker.join() " + "x" * 30
    lines = _text_of(_timed_out("a", f"Where each process was:\n{entry}")).splitlines()
    first = next(i for i, line in enumerate(lines) if "main process" in line)
    assert lines[first].startswith(" " * 10 + "main process")
    assert lines[first + 1] == " " * 12 + "x" * 30
    assert all(len(line) <= 100 for line in lines)


def test_the_isolation_level_is_said_in_the_text_the_markdown_and_the_gradebook() -> None:
    graded = replace(RESULT, exercises=tuple(replace(exercise, isolation="uid") for exercise in RESULT.exercises))
    assert "isolation: uid" in RENDERERS["text"](graded, False)
    assert "isolation level `uid`" in RENDERERS["markdown"](graded, False)
    header, row = csv.reader(io.StringIO(gradebook.render([graded], ["ex05"])))
    assert row[header.index("isolation")] == "uid"
    assert "isolation" not in RENDERERS["text"](RESULT, False)  # an older result says nothing: nothing is made up
