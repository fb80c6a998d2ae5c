"""Checks of exercise 2: ``run_concurrently(target, arg_tuples)``."""

from __future__ import annotations

import ast
import random
from dataclasses import replace

from grader.judge import PASS, Context, Run, Verdict, check, fail
from grader.judge.calls import (
    Calls,
    detail,
    polled_until_a_deadline,
    slept_with,
    stopped_from_outside,
    too_many_calls,
    unpaced_timed_joins,
    unvouched_poll,
)
from grader.judge.diagnose import Evidence, Finding, diagnosis
from grader.scenarios.ex02 import Empty, Meeting, MeetParams, Nothing

PROCESSES = 4
START_ALL_HINT = (
    "Start every process first (keep them in a list), and only then join them one by one. "
    "start() followed by join() inside the same loop runs them one after another."
)
JOIN_ALL_HINT = "join() every process you started before you return."
NO_TIMEOUT_HINT = "Call join() without a timeout on every process: it waits as long as the process runs."


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
        return waited(seen) or PASS
    if not indexes(seen):
        return fail("No target ever ran.")
    if seen.caller in pids:
        return fail(
            "The targets ran in the grader's own process, not in new processes.",
            "Start a multiprocessing.Process per tuple.",
        )
    if len(set(indexes(seen))) < PROCESSES:
        return fail(f"run_concurrently started only {len(set(indexes(seen)))} of {PROCESSES} processes.")
    if seen.broken or len(pids) != PROCESSES:
        return fail(
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
        return waited(seen) or PASS
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
    dropped = Calls(seen.calls).dropped()
    if dropped is not None:
        return fail(too_many_calls("run_concurrently"), JOIN_ALL_HINT, dropped.line)
    timed = unpaced_timed_joins(seen.calls, context.source.text, "run_concurrently")
    if timed and not seen.waited:  # they ended in time here: held past the timeout, they would not have
        return fail(
            f"run_concurrently waits with join({timed[0].detail}) only: after that time it stops waiting, and a "
            "process that runs longer is still running when it returns.",
            NO_TIMEOUT_HINT,
            timed[0].line,
        )
    outside = stopped_from_outside("run_concurrently", context.source.text)
    if outside is not None:
        return fail(outside[0], NO_TIMEOUT_HINT, outside[1])
    polled = polled_until_a_deadline(seen.calls, context.source.text, "run_concurrently")
    if polled is not None:
        return fail(
            unvouched_poll("run_concurrently", polled, "a process", context.source.text),
            NO_TIMEOUT_HINT,
            polled.line,
        )
    if not seen.waited and not Calls(seen.calls).polled():  # they went on by themselves: the parent did something else
        return fail(
            "run_concurrently never waited for its processes: they ended by themselves while it did something "
            "else (sleeping?); a process that runs longer is still running when it returns.",
            JOIN_ALL_HINT,
        )
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
        if indexes(seen) == list(range(len(wanted))):
            return PASS
        return fail(  # codes a child made up, without running its target
            f"run_concurrently returned the exit codes {wanted}, but the targets ran with the tuples numbered "
            f"{indexes(seen)} instead of each of {list(range(len(wanted)))} once: the codes are not theirs."
        )
    if seen.running:
        return waited(seen) or PASS
    if seen.broken:
        return fail("This check needs the processes to run at the same time (see the check above).", START_ALL_HINT)
    if seen.returned.kind != "list":
        return fail(f"run_concurrently returned {seen.returned.text}, not a list of exit codes.")
    if sorted(seen.returned.data or [], key=repr) == sorted(wanted, key=repr):
        return fail(
            f"The processes exited with codes {wanted} (in the order of arg_tuples), but run_concurrently "
            f"returned them as {seen.returned.text}: in the order the processes ended, not the order of arg_tuples."
        )
    return fail(
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


# --- the mistakes behind them ------------------------------------------------------------------

PROCESS_CHECKS = ("runs_all_at_once", "passes_each_tuple", "waits_for_all", "exit_codes_in_order")
ALL = (*PROCESS_CHECKS, "no_tuples")


def _running(evidence: Evidence) -> bool:
    return any(seen.running for run in ("meeting", "order") for seen in evidence.observations(run))


@diagnosis("threads-not-processes", explains=PROCESS_CHECKS, docs="process")
def threads_not_processes(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("meeting")
    threads = [] if calls.direct("Process.start") else calls.direct("Thread.__init__")  # not one beside a process
    seen = evidence.first("meeting")
    in_parent = seen is not None and seen.arrivals and all(pid == seen.caller for pid, _ in seen.arrivals)
    if not threads and not in_parent:
        return None
    return Finding(
        "run_concurrently runs the targets in threads of your own process, not in new processes: threads of "
        "one process do not run Python code in parallel, and a thread has no exit code.",
        "Start a multiprocessing.Process per tuple instead of a threading.Thread.",
        threads[0].line if threads else None,
    )


@diagnosis("executor-not-processes", explains=PROCESS_CHECKS, docs="process")
def executor_not_processes(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("meeting")
    pools = calls.direct("ThreadPoolExecutor.__init__") + calls.direct("ProcessPoolExecutor.__init__")
    if not pools:
        return None
    return Finding(
        f"run_concurrently hands the targets to a {pools[0].api.split('.')[0]}: an executor returns results, "
        "not the exit codes of processes, and runs as many at once as it has workers.",
        "Start one multiprocessing.Process per tuple, then join them all and read their exitcode.",
        pools[0].line,
    )


@diagnosis("pool-not-processes", explains=PROCESS_CHECKS, docs="process")
def pool_not_processes(evidence: Evidence) -> Finding | None:
    pools = evidence.calls("meeting").any("Pool.__init__")
    if not pools:
        return None
    return Finding(
        "run_concurrently hands the tuples to a Pool: a pool returns the targets' results, not the exit codes "
        "of processes, and runs only as many at once as it has workers.",
        "Start one multiprocessing.Process per tuple, then join them all and read their exitcode.",
        pools[0].line,
    )


@diagnosis("run-instead-of-start", explains=PROCESS_CHECKS, docs="start")
def run_instead_of_start(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("meeting")
    ran = [call for call in calls.direct("Process.run") if not calls.on(call.obj, "Process.start")]
    if not ran:
        return None
    return Finding(
        "run_concurrently calls run() on each process instead of start(): run() executes the target right "
        "there, in your own process, one after the other; start() starts a new process.",
        "Call start() on every process, then join() them.",
        ran[0].line,
    )


@diagnosis("target-called", explains=PROCESS_CHECKS, docs="process")
def target_called(evidence: Evidence) -> Finding | None:
    empty = evidence.calls("meeting").direct("Process.__init__", target="none")
    if not empty:
        return None
    return Finding(
        "`Process(target=target(*args))` calls the target right away, in your own process, and hands Process "
        "its result: the new process has nothing to run.",
        "Pass the function itself: Process(target=target, args=args).",
        empty[0].line,
    )


@diagnosis("drops-args", explains=PROCESS_CHECKS, docs="process")
def drops_args(evidence: Evidence) -> Finding | None:
    # the processes made to run the target: a throwaway one of print() needs no arguments
    made = [c for c in evidence.calls("meeting").direct("Process.__init__") if detail(c, "target") == "probe"]
    bare = [call for call in made if detail(call, "args") in ("tuple:0", "")]
    wrapped = [call for call in made if detail(call, "args") == "tuple:1"]
    if bare:
        return Finding(
            "run_concurrently makes each Process without its tuple of arguments, so every target is called with none.",
            "Pass the tuple on: Process(target=target, args=args).",
            bare[0].line,
        )
    if wrapped:
        return Finding(
            "run_concurrently wraps each tuple in one more tuple, so every target gets the whole tuple as its "
            "one argument instead of its items.",
            "Pass the tuple itself: Process(target=target, args=args), not args=(args,).",
            wrapped[0].line,
        )
    return None


@diagnosis("returns-in-loop", explains=ALL, docs="process")
def returns_in_loop(evidence: Evidence) -> Finding | None:
    inside = [
        node for node in evidence.facts.returns("run_concurrently")
        if evidence.facts.enclosing(node, ast.For, ast.While)
    ]  # fmt: skip
    seen = evidence.first("meeting")
    if not inside or seen is None or len(seen.started) >= len(evidence.params["meeting"].codes):
        return None
    return Finding(
        "run_concurrently returns from inside the loop that starts the processes: it returns after the first "
        "one, so the others are never started (and with no tuples it returns None).",
        "Return after the loops, once every process has been started and joined.",
        inside[0].lineno,
    )


@diagnosis("join-in-start-loop", explains=("runs_all_at_once", "exit_codes_in_order"), docs="join")
def join_in_start_loop(evidence: Evidence) -> Finding | None:
    inside = evidence.calls("meeting").joined_inside_start_loop()
    if inside is None:
        return None
    return Finding(
        "run_concurrently joins each process right after starting it, so each one ends before the next is "
        "started: they run one after another, never at the same time.",
        START_ALL_HINT,
        inside.line,
    )


@diagnosis("joins-some", explains=PROCESS_CHECKS, docs="join")
def joins_some(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("meeting")
    joined = {call.obj for call in calls.direct("Process.join") if not call.detail}
    started = {call.obj for call in calls.direct("Process.start")}
    if not joined or joined >= started or not _running(evidence):
        return None
    join = calls.direct("Process.join")[0]
    return Finding(
        f"run_concurrently joins {len(joined)} of its {len(started)} processes (line {join.line}): the others "
        "are still running when it returns, and their exit codes are still None.",
        JOIN_ALL_HINT + " Use a loop over all of them, after the loop that starts them.",
        join.line,
    )


@diagnosis("join-timeout", explains=PROCESS_CHECKS, docs="join")
def join_timeout(evidence: Evidence) -> Finding | None:
    short = [call for call in evidence.calls("meeting").direct("Process.join") if call.detail.startswith("timeout=")]
    if not short or not _running(evidence):
        return None
    return Finding(
        f"run_concurrently calls join({short[0].detail}): a join with a timeout stops waiting after that time, "
        "whether the process has ended or not, so it returns while processes still run.",
        "Call join() without a timeout on every process.",
        short[0].line,
    )


@diagnosis("sleeps-instead-of-join", explains=PROCESS_CHECKS, docs="join")
def sleeps_instead_of_join(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("meeting")
    sleeps = calls.sleeps()
    if not sleeps or calls.direct("Process.join") or not _running(evidence):
        return None
    return Finding(
        f"run_concurrently waits with {slept_with(sleeps[0])} instead of join(): that waits for a time, not for the "
        "processes, which may need longer, so it returns while they still run.",
        JOIN_ALL_HINT,
        sleeps[0].line,
    )


@diagnosis("no-join", explains=PROCESS_CHECKS, docs="join")
def no_join(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("meeting")
    if calls.direct("Process.join") or not _running(evidence):
        return None
    started = calls.direct("Process.start")
    return Finding(
        "run_concurrently never joins its processes: it returns while they are still running, so their exit "
        "codes are still None.",
        JOIN_ALL_HINT,
        started[0].line if started else None,
    )


@diagnosis("exitcode-before-join", explains=("exit_codes_in_order",), docs="exitcode")
def exitcode_before_join(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("order")
    for read in calls.direct("Process.exitcode"):
        if not calls.waited_before(read):
            return Finding(
                "run_concurrently reads a process's exitcode before joining it: until the process has ended, "
                "its exitcode is None.",
                "Join every process first, then read the exit codes in the order of arg_tuples.",
                read.line,
            )
    return None


@diagnosis("completion-order", explains=("exit_codes_in_order",), docs="join")
def completion_order(evidence: Evidence) -> Finding | None:
    seen = evidence.first("order")
    wanted = list(evidence.params["order"].codes)
    if seen is None or seen.returned.kind != "list" or seen.returned.data == wanted:
        return None
    if sorted(seen.returned.data or [], key=repr) != sorted(wanted, key=repr):
        return None
    waits = evidence.calls("order").direct("connection.wait")
    return Finding(
        "run_concurrently collects the exit codes in the order the processes end, not in the order of "
        "arg_tuples: a process that started first may end last.",
        "Join the processes in the order you started them and read each one's exitcode in that order.",
        waits[0].line if waits else None,
    )


@diagnosis("returns-tuple", explains=("exit_codes_in_order", "no_tuples"), docs="exitcode")
def returns_tuple(evidence: Evidence) -> Finding | None:
    returned = [seen.returned for run in ("order", "empty") for seen in evidence.observations(run)]
    if not any(value.kind == "tuple" for value in returned):
        return None
    returns = evidence.facts.returns("run_concurrently")
    return Finding(
        "run_concurrently returns a tuple; the exercise asks for a list of exit codes.",
        "Return a list: [process.exitcode for process in processes].",
        returns[-1].lineno if returns else None,
    )


@diagnosis("none-for-empty", explains=("no_tuples",), docs="process")
def none_for_empty(evidence: Evidence) -> Finding | None:
    seen = evidence.first("empty")
    if seen is None or seen.returned.kind != "none":
        return None
    early = [node for node in evidence.facts.returns("run_concurrently") if node.value is None or
             (isinstance(node.value, ast.Constant) and node.value.value is None)]  # fmt: skip
    function = evidence.facts.function("run_concurrently")
    return Finding(
        "With no tuples, run_concurrently returns None: there is nothing to start, and the list of exit codes "
        "is then empty.",
        "Return [] (the list of no exit codes).",
        early[0].lineno if early else (function.lineno if function else None),
    )
