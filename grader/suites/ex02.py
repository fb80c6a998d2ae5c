"""Hidden suite for exercise 2: ``run_concurrently(target, arg_tuples)``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

from grader.suites import probes
from grader.suites.framework import GATE_TIMEOUT, Mistake, Student, check, expect, never_joined, still_running

EXERCISE = "ex02"

CODES = [0, 3, 7, 12]  # one distinct exit code per process, to see the order they come back in
REAP_PATIENCE = 0.5  # seconds the first process waits for its parent to collect a sibling
START_ALL_HINT = (
    "Start every process first (keep them in a list), and only then join them one by one. "
    "start() followed by join() inside the same loop runs them one after another."
)


def run(student: Student, target: object, arg_tuples: list[tuple[Any, ...]]) -> Any:
    return student.function("run_concurrently", "target", "arg_tuples")(target, arg_tuples)


@dataclass(frozen=True)
class Meeting:
    codes: Any
    gate: probes.Gate
    runs: list[dict[str, Any]]
    running: list[int]  #: processes still running when run_concurrently returned
    unjoined: list[int]  #: processes that finished but were never joined


@pytest.fixture(scope="module")
def meeting(
    student: Student, start_method: str, tmp_path_factory: pytest.TempPathFactory, time_scale: float
) -> Meeting:
    """One run whose targets only finish once all of them are alive at the same time."""
    gate = probes.Gate.create(tmp_path_factory.mktemp("meet"), len(CODES), GATE_TIMEOUT * time_scale)
    codes = run(student, probes.meet, [(gate, index, 0, 0.05) for index in range(len(CODES))])
    running, unjoined = still_running(), never_joined()
    return Meeting(codes, gate, probes.notes(gate.folder, "ran-"), running, unjoined)


def expect_waited(meeting: Meeting) -> None:
    """Without join the grader cannot see the processes run: say that first."""
    expect(
        not meeting.running,
        f"run_concurrently returned while {len(meeting.running)} of its processes were still running.",
        hint="join() every process you started before you return.",
    )


@check("Runs all the processes at the same time", points=4, hint=START_ALL_HINT)
def test_runs_all_at_once(meeting: Meeting) -> None:
    expect_waited(meeting)
    pids = meeting.gate.arrival_pids()
    expect(pids, "No target ever ran.")
    expect(
        os.getpid() not in pids,
        "The targets ran in the grader's own process, not in new processes.",
        hint="Start a multiprocessing.Process per tuple.",
    )
    expect(
        not meeting.gate.broken and len(set(pids)) == len(CODES),
        f"Only {len(set(pids))} of {len(CODES)} processes were running at the same time: "
        "each process was waiting for the others, which had not been started yet.",
    )


@check(
    "Passes each tuple's arguments to its own process",
    points=1,
    hint="Use Process(target=target, args=args) with the tuple as it is.",
)
def test_passes_each_tuple(meeting: Meeting) -> None:
    expect_waited(meeting)
    indexes = sorted(record["index"] for record in meeting.runs)
    expect(
        indexes == list(range(len(CODES))),
        f"The targets ran with the tuples numbered {indexes} instead of each of {list(range(len(CODES)))} once.",
    )


@check(
    "Waits for every process before returning",
    points=1,
    hint="join() every process you started before you return.",
)
def test_waits_for_all(meeting: Meeting) -> None:
    expect_waited(meeting)
    expect(
        not meeting.unjoined,
        "Some processes finished but were never joined (they are left as zombie processes).",
    )


@check(
    "Returns the exit codes in the order of arg_tuples",
    points=3,
    hint="Collect process.exitcode after joining, walking the processes in the order you "
    "started them, not in the order they finished.",
)
def test_exit_codes_in_order(
    student: Student,
    meeting: Meeting,
    start_method: str,
    tmp_path_factory: pytest.TempPathFactory,
    time_scale: float,
) -> None:
    if meeting.gate.broken:
        raise Mistake(
            "This check needs the processes to run at the same time (see the check above).",
            hint=START_ALL_HINT,
        )
    gate = probes.Gate.create(tmp_path_factory.mktemp("order"), len(CODES), GATE_TIMEOUT * time_scale)
    if start_method == "fork":  # certain, at the cost of a short wait for a parent that joins in order
        patience = REAP_PATIENCE * time_scale
        outlasting = [(gate, index, code, patience) for index, code in enumerate(CODES)]
        codes = run(student, probes.meet_then_outlast_a_reaped_sibling, outlasting)
    else:  # free, and certain unless the parent is slower than the cascade of exits
        cascading = [(gate, index, code) for index, code in enumerate(CODES)]
        codes = run(student, probes.meet_then_finish_last_first, cascading)
    expect(isinstance(codes, list), f"run_concurrently returned {codes!r}, not a list of exit codes.")
    expect(
        codes == CODES,
        f"The processes exited with codes {CODES} (in the order of arg_tuples), but not in that "
        f"order, and run_concurrently returned {codes}.",
    )


@check(
    "Returns an empty list for no tuples",
    points=1,
    hint="With no tuples there is nothing to start: return [].",
    per_start_method=False,
)
def test_no_tuples(student: Student) -> None:
    codes = run(student, probes.report, [])
    expect(codes == [], f"run_concurrently(target, []) returned {codes!r} instead of [].")
