"""Results built by hand for the renderer tests: every status, and text that breaks naive formats."""

from __future__ import annotations

from dataclasses import replace

from grader.models import Cause, CheckResult, ExerciseResult, Location, Status, SubmissionResult

PASSED = CheckResult(
    "producer", "producer puts sentinels", Status.PASSED, 2, 2, start_methods={"fork": Status.PASSED}, duration=0.5
)
FAILED = CheckResult(
    "falsy",
    "consumer passes on 0 | '' | False",
    Status.FAILED,
    0,
    1,
    message='The consumer stopped at the item 0 & said "bye" <here>.',
    hint="Compare with `is SENTINEL`.",
    location=Location("ex05_queue_sentinel.py", 14, "if not item:"),
    output="got\x00 0\x1b[31m\tred\x7f\n",
    start_methods={"fork": Status.FAILED},
    duration=0.25,
)
TIMEOUT = CheckResult(
    "join",
    "parent joins, then stops",
    Status.TIMEOUT,
    0,
    2,
    message="Timed out after 5 s: the processes are blocked.",
    hint="Put one sentinel per consumer.",
    stacks="consumer (pid 4242):\n  ex05_queue_sentinel.py:20 in consume: item = q.get()",
    duration=5.0,
)
ERROR = CheckResult(
    "crash",
    "consumer survives an empty queue",
    Status.ERROR,
    0,
    1,
    message="NameError: name 'queue' is not defined",
    hint="Import what you use.",
)
NOT_RUN = CheckResult(
    "later",
    "results come back in order",
    Status.NOT_RUN,
    0,
    1,
    message="Not run: grading of this exercise stopped before this check.",
)

EX01 = ExerciseResult(
    "ex01", "Run a function in a new process", "exercises/ex01_spawn.py", (PASSED,), ("fork",), duration=0.5
)
EX05 = ExerciseResult(
    "ex05",
    "Stop a consumer with a sentinel",
    "exercises/ex05_queue_sentinel.py",
    (PASSED, FAILED, TIMEOUT, ERROR, NOT_RUN),
    ("fork",),
    problem="The exercise ran out of time (during the check 'parent joins, then stops').",
    duration=6.25,
)

ALL_PASSED = SubmissionResult("exercises", (EX01,))
MIXED = SubmissionResult(
    "exercises", (EX01, EX05), student="Ada Lovelace", late=True, notes=("ex02_many_processes.py: not valid UTF-8",)
)

# a diagnosed mistake that made two checks fail: told once, the checks refer to it
MISTAKE = Cause(
    "truthiness",
    "`not item` tests the item's truth: it stops at the first 0 as well as at the SENTINEL.",
    "Compare with the SENTINEL itself: `if item is SENTINEL: break`.",
    Location("ex05_queue_sentinel.py", 24, "if not item:"),
    "https://docs.python.org/3/library/multiprocessing.html#pipes-and-queues",
    ("falsy", "join"),
)
DIAGNOSED = replace(
    EX05, checks=(PASSED, replace(FAILED, cause="truthiness"), replace(TIMEOUT, cause="truthiness")), causes=(MISTAKE,)
)
WITH_MISTAKE = SubmissionResult("exercises", (DIAGNOSED,))
