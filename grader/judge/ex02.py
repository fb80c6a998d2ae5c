"""Checks of exercise 2: ``run_concurrently(target, arg_tuples)``."""

from __future__ import annotations

import random
from dataclasses import replace

from grader.judge import PASS, Context, Run, Verdict, check, fail
from grader.judge.calls import Calls, detail
from grader.scenarios.ex02 import Empty, Meeting, MeetParams, Nothing

PROCESSES = 4
START_ALL_HINT = (
    "Start every process first (keep them in a list), and only then join them one by one. "
    "start() followed by join() inside the same loop runs them one after another."
)
JOIN_ALL_HINT = "join() every process you started before you return."


def codes(rng: random.Random) -> tuple[int, ...]:
    """One distinct exit code per process, 0 among them, in an order that sorting cannot restore."""
    chosen = [0, *rng.sample(range(2, 100), PROCESSES - 1)]
    while chosen == sorted(chosen) or chosen == sorted(chosen, reverse=True):
        rng.shuffle(chosen)
    return tuple(chosen)


MEETING = Run("meeting", "ex02.meet", "run_concurrently", lambda rng: MeetParams(codes(rng)))
ORDER = Run("order", "ex02.meet", "run_concurrently", lambda rng: MeetParams(codes(rng), cascade=True))
EMPTY = Run("empty", "ex02.no_tuples", "run_concurrently", lambda rng: Nothing())


def genuine(seen: Meeting) -> Meeting:
    """Only what the calls vouch for: runs and arrivals in processes the student's code started (or in
    the grader's own process, a mistake). Notes from anywhere else are not the target's."""
    vouched = {*seen.started, seen.caller}
    runs = tuple(run for run in seen.runs if run[1] in vouched)
    arrivals = tuple(arrival for arrival in seen.arrivals if arrival[0] in vouched)
    return replace(seen, runs=runs, arrivals=arrivals)


def indexes(seen: Meeting) -> list[int]:
    return sorted(index for index, _ in seen.runs)


def cause(seen: Meeting) -> Verdict | None:
    """The mistake behind a failure, read from what the student's code called."""
    calls = Calls(seen.calls)
    threads = calls.direct("Thread.__init__", target="probe")
    if threads or (seen.arrivals and all(pid == seen.caller for pid, _ in seen.arrivals)):
        return fail(
            "The targets ran in threads of the grader's own process, not in new processes: a thread has "
            "no exit code, and threads of one process do not run Python code in parallel.",
            "Start a multiprocessing.Process per tuple.",
            threads[0].line if threads else None,
        )
    bare = [call for call in calls.direct("Process.__init__", target="probe") if detail(call, "args") == "tuple:0"]
    if bare:
        return fail(
            "run_concurrently makes each Process without its tuple of arguments, so every target is called with none.",
            "Pass the tuple on: Process(target=target, args=args).",
            bare[0].line,
        )
    inside = calls.joined_inside_start_loop()
    if inside is not None:
        return fail(
            "run_concurrently joins each process right after starting it, so each one ends before the "
            "next is started: they run one after another, never at the same time.",
            START_ALL_HINT,
            inside.line,
        )
    return None


def waited(seen: Meeting) -> Verdict | None:
    if not seen.running:
        return None
    return fail(
        f"run_concurrently returned while {len(seen.running)} of its processes were still running.",
        JOIN_ALL_HINT,
        Calls(seen.calls).last_join_line(),
    )


@check("Runs all the processes at the same time", points=4, hint=START_ALL_HINT, run=MEETING)
def runs_all_at_once(seen: Meeting, context: Context) -> Verdict:
    seen = genuine(seen)
    pids = {pid for pid, _ in seen.arrivals}
    if seen.running:
        return cause(seen) or waited(seen) or PASS
    if not indexes(seen):
        return cause(seen) or fail("No target ever ran.")
    if seen.caller in pids:
        return cause(seen) or fail(
            "The targets ran in the grader's own process, not in new processes.",
            "Start a multiprocessing.Process per tuple.",
        )
    if len(set(indexes(seen))) < PROCESSES:
        return cause(seen) or fail(f"run_concurrently started only {len(set(indexes(seen)))} of {PROCESSES} processes.")
    if seen.broken or len(pids) != PROCESSES:
        return cause(seen) or fail(
            f"Only {len(pids)} of {PROCESSES} processes were running at the same time: each process was "
            "waiting for the others, which had not been started yet."
        )
    return PASS


@check(
    "Passes each tuple's arguments to its own process",
    points=1,
    hint="Use Process(target=target, args=args) with the tuple as it is.",
    run=MEETING,
)
def passes_each_tuple(seen: Meeting, context: Context) -> Verdict:
    seen = genuine(seen)
    if seen.running:
        return cause(seen) or waited(seen) or PASS
    if indexes(seen) != list(range(PROCESSES)):
        return fail(
            f"The targets ran with the tuples numbered {indexes(seen)} instead of each of "
            f"{list(range(PROCESSES))} once."
        )
    return PASS


@check("Waits for every process before returning", points=1, hint=JOIN_ALL_HINT, run=MEETING)
def waits_for_all(seen: Meeting, context: Context) -> Verdict:
    seen = genuine(seen)
    if seen.running:
        return waited(seen) or PASS
    if seen.unjoined:
        return fail("Some processes finished but were never joined (they are left as zombie processes).")
    return PASS


@check(
    "Returns the exit codes in the order of arg_tuples",
    points=3,
    hint="Collect process.exitcode after joining, walking the processes in the order you started them, "
    "not in the order they finished.",
    run=ORDER,
)
def exit_codes_in_order(seen: Meeting, context: Context) -> Verdict:
    seen = genuine(seen)
    params: MeetParams = context.params
    wanted = list(params.codes)
    if seen.returned.kind == "list" and seen.returned.data == wanted:
        return PASS
    if seen.running:
        return cause(seen) or waited(seen) or PASS
    if seen.broken:
        return cause(seen) or fail(
            "This check needs the processes to run at the same time (see the check above).", START_ALL_HINT
        )
    if seen.returned.kind != "list":
        return fail(f"run_concurrently returned {seen.returned.text}, not a list of exit codes.")
    if sorted(seen.returned.data or [], key=repr) == sorted(wanted, key=repr):
        return fail(
            f"The processes exited with codes {wanted} (in the order of arg_tuples), but run_concurrently "
            f"returned them as {seen.returned.text}: in the order the processes ended, not the order of arg_tuples."
        )
    return cause(seen) or fail(
        f"The processes exited with codes {wanted} (in the order of arg_tuples), but run_concurrently "
        f"returned {seen.returned.text}."
    )


@check(
    "Returns an empty list for no tuples",
    points=1,
    hint="With no tuples there is nothing to start: return [].",
    run=EMPTY,
)
def no_tuples(seen: Empty, context: Context) -> Verdict:
    if seen.returned.kind == "list" and seen.returned.data == []:
        return PASS
    return fail(f"run_concurrently(target, []) returned {seen.returned.text} instead of [].")
