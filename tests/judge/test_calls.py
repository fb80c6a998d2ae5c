"""What the judge reads from the calls a run recorded: polls, and where the record stops."""

from __future__ import annotations

from dataclasses import replace

from judge.catalogue import CASES

from grader.judge.calls import Calls, polled_until_a_deadline, unpaced_timed_joins
from grader.scenarios.records import DROPPED, READY, RUNNING, Call


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


def call(api: str, obj: int, detail: str = "") -> Call:
    return Call(api, obj, 20, "run_in_process", True, detail)


def test_only_a_join_that_could_wait_exempts_the_looks_at_a_process() -> None:
    """A join of a process that a look had seen ended waits for nothing (``if p.exitcode is not None:
    p.join()``), a join of a decoy exempts no look at another process, and one wait on a decoy's
    sentinel exempts no look at all (red team, round 17), nor does a join before the process started."""
    poll = [look(12, True, 40), look(12, False)]
    started = [call("Process.start", 1)]
    assert Calls((*started, *poll, call("Process.join", 1))).polls_without_waiting() == poll
    assert Calls((*started, poll[0], call("Process.join", 1))).polls_without_waiting() == []
    decoy = [call("Process.start", 2), call("Process.join", 2)]
    assert Calls((*started, *decoy, poll[0])).polls_without_waiting() == [poll[0]]
    children = Call("active_children", 0, 13, "run_in_process", True, "")
    assert Calls((*started, *decoy, children)).polls_without_waiting() == [children]
    assert Calls((*started, *decoy, call("Process.join", 1), children)).polls_without_waiting() == []
    on_the_decoy = [call("connection.wait", 0, "objects=1 sentinels=1"), call(READY, 2)]
    assert Calls((*started, *decoy, *on_the_decoy, poll[0])).polls_without_waiting() == [poll[0]]
    # a wait for any of both that found only the decoy ended waited for no other (red team, round 18)
    on_both = call("connection.wait", 0, "objects=2 sentinels=2")
    assert Calls((*started, *decoy, on_both, call(READY, 2), poll[0])).polls_without_waiting() == [poll[0]]
    assert Calls((*started, *decoy, on_both, call(READY, 1), poll[0])).polls_without_waiting() == []
    assert Calls((*started, poll[1], on_both, call(READY, 1))).polls_without_waiting() == [poll[1]]  # seen ended
    # a join before start() raises, and waits for nothing (red team, round 18)
    assert Calls((call("Process.join", 1), *started, poll[0])).polls_without_waiting() == [poll[0]]
    # a short wait on the sentinel that found it ended saw it ended, as a look does: a join after it waits for
    # nothing (a04: polled until a deadline of its own, then joined once a wait found it ready)
    short = [call("connection.wait", 0, "objects=1 sentinels=1 timeout=0.05"), call(READY, 1, "timeout=0.05")]
    assert Calls((*started, *short, call("Process.join", 1))).polls_without_waiting() == [short[0]]


PACED = (CASES / "correct" / "ex01-join-timeout-in-poll" / "ex01_spawn.py").read_text()  # the look: line 10


def test_a_timed_join_that_paces_a_poll_until_the_end_waits_for_good() -> None:
    """``while process.is_alive(): process.join(timeout=5)`` lost 2 points as a join with a timeout only."""
    timed = call("Process.join", 1, "timeout=5")
    poll = [look(10, True), timed, look(10, False)]
    assert unpaced_timed_joins((call("Process.start", 1), *poll), PACED, "run_in_process") == []
    # a join with a timeout alone, or of a process the poll did not watch to its end, stops waiting after it
    assert unpaced_timed_joins((call("Process.start", 1), timed), PACED, "run_in_process") == [timed]
    other = call("Process.join", 2, "timeout=5")
    assert unpaced_timed_joins((call("Process.start", 1), *poll, other), PACED, "run_in_process") == [other]
    # nor in a loop the judge cannot vouch for, which may end at a limit of its own
    gives_up = PACED.replace("timeout=5)", "timeout=5)\n        break")
    assert unpaced_timed_joins((call("Process.start", 1), *poll), gives_up, "run_in_process") == [timed]


def test_a_poll_with_a_limit_of_its_own_is_vouched_for_only_if_a_join_after_it_waits_whatever_became_of_it() -> None:
    """``for _ in range(5): if not p.is_alive(): break`` then ``p.join()``: the join waits for good
    (it lost the waits check); the same loop without the join, or with a join only if the look saw
    the process running, stops at its limit."""
    head = "def run_in_process(target, args=()):\n    p = start(target, args)\n    for _ in range(5):\n"
    loop = head + "        if not p.is_alive():\n            break\n        time.sleep(1)\n"
    poll = (call("Process.start", 1), look(4, True, 2), look(4, False))
    join = Call("Process.join", 1, 7, "run_in_process", True, "")
    assert polled_until_a_deadline((*poll, join), loop + "    p.join()\n", "run_in_process") is None
    assert polled_until_a_deadline(poll, loop, "run_in_process") == poll[1]
    skipped = loop + "    if p.exitcode is None:\n        p.join()\n"
    assert polled_until_a_deadline((*poll, replace(join, line=8)), skipped, "run_in_process") == poll[1]
    assert polled_until_a_deadline((*poll, replace(join, obj=2)), loop + "    p.join()\n", "run_in_process") == poll[1]
