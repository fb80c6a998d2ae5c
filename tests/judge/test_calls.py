"""What the judge reads from the calls a run recorded: polls, and where the record stops."""

from __future__ import annotations

from grader.judge.calls import Calls
from grader.scenarios.records import DROPPED, RUNNING, Call


def look(line: int, running: bool, count: int = 1) -> Call:
    return Call("Process.is_alive", 1, line, "run_in_process", True, RUNNING if running else "", count)


def test_a_line_that_looked_until_the_process_ended_is_a_poll() -> None:
    assert Calls((look(12, True, 40), look(12, False))).polled()


def test_looks_then_something_else_then_a_look_that_finds_it_ended_are_no_poll() -> None:
    # red team, round 14: two looks right after start(), time.sleep(3), then exitcode on another line
    assert not Calls((look(12, True), look(13, True), look(15, False))).polled()
    assert not Calls((look(15, False, 3),)).polled()


def test_the_record_says_where_it_stopped_keeping_calls() -> None:
    kept = (look(12, True),)
    assert Calls(kept).dropped() is None
    stopped = Call(DROPPED, 0, 16, "run_in_process", True, "", 50)
    assert Calls((*kept, stopped)).dropped() == stopped
