"""Checks of exercise 1: ``run_in_process(target, args=())``, and the mistakes behind their failures."""

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
from grader.scenarios.ex01 import Run as Observed
from grader.scenarios.ex01 import RunParams

JOIN_HINT = "After start(), call join() on the process, then return its exitcode."
WORDS = ("seven", "apple", "north", "queue", "lemon", "tiger")
ALL = ("runs_in_child_process", "passes_args", "exit_code_success", "exit_code_from_sys_exit",
       "exit_code_after_exception", "waits_for_child")  # fmt: skip
EXIT_CODES = ("exit_code_success", "exit_code_from_sys_exit", "exit_code_after_exception")


def plain(rng: random.Random) -> RunParams:
    return RunParams((rng.randint(2, 99), rng.choice(WORDS)))


PLAIN = Run("plain", "ex01.run", "run_in_process", plain)
EXITS = Run("exits", "ex01.run", "run_in_process", lambda rng: RunParams((), code=rng.randint(2, 120)))
RAISES = Run("raises", "ex01.run", "run_in_process", lambda rng: RunParams((), raises=True))


def genuine(seen: Observed) -> Observed:
    """The observation with only the runs the calls vouch for: in a process the student's code
    started, or in the grader's own process (a mistake). A note in the target's folder from anywhere
    else is not a run of the target."""
    runs = tuple(run for run in seen.runs if run.pid in seen.started or run.pid == seen.caller)
    return replace(seen, runs=runs)


# --- the checks ---------------------------------------------------------------------------------


@check(
    "Runs the target in a new child process",
    points=3,
    hint="Create multiprocessing.Process(target=target, args=args) and start() it. Calling "
    "target(*args) yourself, or writing Process(target=target(*args)), runs it in the parent.",
    run=PLAIN,
)
def runs_in_child_process(seen: Observed, context: Context) -> Verdict:
    seen = genuine(seen)
    if seen.running:
        return fail("run_in_process returned while the child process was still running.", JOIN_HINT)
    if not seen.runs:
        return fail("The target never ran.")
    if any(run.pid == seen.caller for run in seen.runs):
        return fail(
            "The target ran in the grader's own process (same PID), not in a new process: a thread, or "
            "calling the function directly, does not start a process."
        )
    if len(seen.runs) != 1:
        return fail(f"The target ran {len(seen.runs)} times; it should run once.")
    return PASS


@check("Passes args to the target", points=1, hint="Hand the tuple over as Process(target=target, args=args).",
       run=PLAIN)  # fmt: skip
def passes_args(seen: Observed, context: Context) -> Verdict:
    seen = genuine(seen)
    wanted = tuple(repr(arg) for arg in context.params.args)
    if seen.running:
        return fail("run_in_process returned while the child process was still running.", JOIN_HINT)
    if not seen.runs:
        return fail("The target never ran.")
    got = seen.runs[0].args
    if got != wanted:
        return fail(f"The target was called with ({', '.join(got)}) instead of ({', '.join(wanted)}).")
    return PASS


def returned_int(seen: Observed, wanted: int) -> bool:
    return seen.returned.kind == "int" and seen.returned.data == wanted


def exit_code(seen: Observed, wanted: int, wrong: str) -> Verdict:
    """``wanted`` returned, and as a child's exit code: the target ran in a process the code started
    (the right number returned without any child is not an exit code, whatever it says)."""
    if not returned_int(seen, wanted):
        return fail(wrong)
    if seen.running:  # (the target is held until the parent waits: a child not waited for is still running)
        return fail(
            f"run_in_process returned {wanted} while the child process was still running: the {wanted} is not its "
            "exit code.",
            JOIN_HINT,
        )
    if not any(run.pid in seen.started for run in genuine(seen).runs):
        return fail(
            f"run_in_process returned {wanted}, but the target never ran in a child process: the {wanted} is not "
            "the exit code of a process that ran it.",
            "Start a multiprocessing.Process for the target, join() it, and return its exitcode.",
        )
    return PASS


@check("Returns 0 when the target returns normally", points=1, hint=JOIN_HINT, run=PLAIN)
def exit_code_success(seen: Observed, context: Context) -> Verdict:
    return exit_code(
        seen, 0, f"run_in_process returned {seen.returned.text}; a child that ends normally has exit code 0."
    )


@check(
    "Returns the code the target passed to sys.exit",
    points=2,
    hint="Return process.exitcode after join(); it holds the code given to sys.exit.",
    run=EXITS,
)
def exit_code_from_sys_exit(seen: Observed, context: Context) -> Verdict:
    code = context.params.code
    return exit_code(
        seen, code, f"The target called sys.exit({code}) but run_in_process returned {seen.returned.text}."
    )


@check(
    "Returns 1 when the target raises an exception",
    points=1,
    hint="An uncaught exception in the child gives exitcode 1; do not catch it in the parent.",
    run=RAISES,
)
def exit_code_after_exception(seen: Observed, context: Context) -> Verdict:
    return exit_code(seen, 1, f"The target raised an exception but run_in_process returned {seen.returned.text}.")


@check(
    "Waits for the child to finish",
    points=2,
    hint=JOIN_HINT + " join() without a timeout waits as long as the child runs.",
    run=PLAIN,
)
def waits_for_child(seen: Observed, context: Context) -> Verdict:
    seen = genuine(seen)
    if seen.running:
        return fail("run_in_process returned while the child process was still running.", JOIN_HINT)
    if seen.unjoined:
        return fail("The child finished but was never joined (it is left as a zombie process).")
    if not seen.runs:
        return fail("The target never ran.")
    if not all(run.finished for run in seen.runs):
        return fail("run_in_process returned before the child had finished its work.")
    dropped = Calls(seen.calls).dropped()
    if dropped is not None:
        return fail(too_many_calls("run_in_process"), JOIN_HINT, dropped.line)
    timed = unpaced_timed_joins(seen.calls, context.source.text, "run_in_process")
    if timed and not seen.waited:  # the child ended in time here: held past the timeout, it would not have
        return fail(
            f"run_in_process waits for the child with join({timed[0].detail}) only: after that time it stops "
            "waiting, and a child that runs longer is still running when it returns.",
            "Call join() without a timeout: it waits as long as the child runs.",
            timed[0].line,
        )
    outside = stopped_from_outside("run_in_process", context.source.text)
    if outside is not None:
        return fail(outside[0], JOIN_HINT, outside[1])
    polled = polled_until_a_deadline(seen.calls, context.source.text, "run_in_process")
    if polled is not None:
        return fail(
            unvouched_poll("run_in_process", polled, "the child", context.source.text),
            "Call join() without a timeout: it waits as long as the child runs.",
            polled.line,
        )
    if not seen.waited and not Calls(seen.calls).polled():  # it went on by itself: the parent did something else
        return fail(
            "run_in_process never waited for the child: the child ended by itself while run_in_process did "
            "something else (sleeping?); a child that runs longer is still running when it returns.",
            JOIN_HINT,
        )
    return PASS


# --- the mistakes behind them ------------------------------------------------------------------


def _first(evidence: Evidence) -> Observed | None:
    seen: Observed | None = evidence.first("plain")
    return seen


def _in_parent(evidence: Evidence) -> bool:
    return any(run.pid == seen.caller for seen in evidence.observations("plain") for run in seen.runs)


@diagnosis("thread-not-process", explains=ALL, docs="process")
def thread_not_process(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    threads = calls.direct("Thread.__init__")
    if not threads or calls.direct("Process.start"):  # a thread beside a process (one that watches it) is not this
        return None
    return Finding(
        "run_in_process runs the target in a threading.Thread: a thread is part of your own process, so "
        "no new process is started, and a thread has no exit code to return.",
        "Use multiprocessing.Process(target=target, args=args) instead of threading.Thread.",
        threads[0].line,
    )


@diagnosis("executor-not-process", explains=ALL, docs="process")
def executor_not_process(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    pools = calls.direct("ThreadPoolExecutor.__init__") + calls.direct("ProcessPoolExecutor.__init__")
    if not pools:
        return None
    kind = pools[0].api.split(".")[0]
    return Finding(
        f"run_in_process hands the target to a {kind}: an executor returns the target's result, not a "
        "process's exit code, and runs it in a worker it keeps for other tasks.",
        "Start one multiprocessing.Process(target=target, args=args), join() it, return its exitcode.",
        pools[0].line,
    )


@diagnosis("os-fork", explains=ALL, docs="start-methods")
def os_fork(evidence: Evidence) -> Finding | None:
    forks = evidence.calls("plain").direct("os.fork")
    if not forks:
        return None
    return Finding(
        "run_in_process forks by hand with os.fork(): the grader (and the exercise) runs your code under "
        "every start method, and only multiprocessing.Process starts a child under spawn and forkserver too.",
        "Use multiprocessing.Process(target=target, args=args), start() and join() it.",
        forks[0].line,
    )


@diagnosis("run-instead-of-start", explains=ALL, docs="start")
def run_instead_of_start(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    ran = [call for call in calls.direct("Process.run") if not calls.on(call.obj, "Process.start")]
    if not ran:
        return None
    return Finding(
        "run_in_process calls run() on the process instead of start(): run() executes the target right "
        "there, in your own process; start() is what starts a new process and runs it there.",
        "Call process.start(), then process.join().",
        ran[0].line,
    )


@diagnosis("join-before-start", explains=ALL, docs="join")
def join_before_start(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    for join in calls.direct("Process.join"):
        started = calls.on(join.obj, "Process.start")
        if not started or calls.calls.index(started[0]) > calls.calls.index(join):
            return Finding(
                "run_in_process joins the process before it starts it: there is nothing to wait for yet, and "
                "join() of a process that was never started fails.",
                "First start() the process, then join() it.",
                join.line,
            )
    return None


@diagnosis("join-not-called", explains=ALL, docs="join")
def join_not_called(evidence: Evidence) -> Finding | None:
    if evidence.calls("plain").direct("Process.join"):
        return None
    named = [
        node for node in evidence.facts.nodes("run_in_process")
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Attribute) and node.value.attr == "join"
    ]  # fmt: skip
    if not named:
        return None
    return Finding(
        f"`{evidence.facts.found(named[0]).code}` names the method join without calling it: without the "
        "parentheses nothing waits, and the function returns while the child still runs.",
        "Call it: process.join().",
        named[0].lineno,
    )


@diagnosis("target-called", explains=ALL, docs="process")
def target_called(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    empty = calls.direct("Process.__init__", target="none")
    if not empty or not _in_parent(evidence):
        return None
    return Finding(
        "`Process(target=target(*args))` calls the target right away, in your own process, and hands "
        "Process its result (None): the new process has nothing to run.",
        "Pass the function itself, without calling it: Process(target=target, args=args).",
        empty[0].line,
    )


@diagnosis("runs-target-twice", explains=ALL, docs="process")
def runs_target_twice(evidence: Evidence) -> Finding | None:
    if not evidence.calls("plain").direct("Process.start") or not _in_parent(evidence):
        return None
    function = evidence.facts.function("run_in_process")
    name = function.args.args[0].arg if function is not None and function.args.args else "target"
    called = evidence.facts.calls_named(name, within="run_in_process")
    return Finding(
        "run_in_process starts a process for the target, but calls the target itself as well, in your own "
        "process: it runs twice, once where it should not.",
        "Only the new process runs the target: remove the direct call.",
        called[0].lineno if called else None,
    )


@diagnosis("calls-target-directly", explains=ALL, docs="process")
def calls_target_directly(evidence: Evidence) -> Finding | None:
    if evidence.calls("plain").direct("Process.__init__") or not _in_parent(evidence):
        return None
    function = evidence.facts.function("run_in_process")
    name = function.args.args[0].arg if function is not None and function.args.args else "target"
    called = [call for call in evidence.facts.calls_named(name, within="run_in_process")]
    return Finding(
        "run_in_process calls the target itself, in your own process: no new process is started.",
        "Create multiprocessing.Process(target=target, args=args) and start() it; do not call target yourself.",
        called[0].lineno if called else None,
    )


@diagnosis("args-not-a-tuple", explains=ALL, docs="process")
def args_not_a_tuple(evidence: Evidence) -> Finding | None:
    made = evidence.calls("plain").direct("Process.__init__")
    odd = [call for call in made if detail(call, "args").split(":")[0] not in ("tuple", "list", "")]
    if not odd:
        return None
    kind = detail(odd[0], "args").split(":")[0]
    return Finding(
        f"run_in_process gives Process `args` that are not a tuple but a {kind}: `args=(x)` is just x in "
        "parentheses; a tuple of one needs a comma, `(x,)`.",
        "Pass the tuple you were given as it is: Process(target=target, args=args).",
        odd[0].line,
    )


@diagnosis("drops-args", explains=("passes_args",), docs="process")
def drops_args(evidence: Evidence) -> Finding | None:
    wanted = len(evidence.params["plain"].args)
    # the processes made to run the target: a throwaway one of print() needs no arguments
    made = [c for c in evidence.calls("plain").direct("Process.__init__") if detail(c, "target") == "probe"]
    dropped = [call for call in made if detail(call, "args") in ("tuple:0", "")]
    wrapped = [call for call in made if detail(call, "args") == "tuple:1" and wanted != 1]
    if dropped:
        return Finding(
            "run_in_process makes the Process without `args`, so the target is called with no arguments.",
            "Hand the tuple over: Process(target=target, args=args).",
            dropped[0].line,
        )
    if wrapped:
        return Finding(
            "run_in_process wraps `args` in another tuple, so the target gets the whole tuple as its one "
            "argument instead of its items.",
            "Pass the tuple itself: Process(target=target, args=args), not args=(args,).",
            wrapped[0].line,
        )
    return None


@diagnosis("terminates-child", explains=ALL, docs="join")
def terminates_child(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    stopped = calls.direct("Process.terminate") + calls.direct("Process.kill")
    early = [call for call in stopped if not calls.waited_before(call)]
    if not early:
        return None
    return Finding(
        f"run_in_process stops the child with {early[0].api.split('.')[1]}() before it has finished its "
        "work: the target is killed, not run to its end, and the exit code is that of a killed process.",
        "Do not terminate the process: join() it, and it ends when its target returns.",
        early[0].line,
    )


def _returned_early(evidence: Evidence) -> bool:
    return any(seen.running for seen in evidence.observations("plain"))


@diagnosis("join-timeout", explains=ALL, docs="join")
def join_timeout(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    short = [call for call in calls.direct("Process.join") if call.detail.startswith("timeout=")]
    if not short or not _returned_early(evidence):
        return None
    return Finding(
        f"run_in_process calls join({short[0].detail}): a join with a timeout stops waiting after that "
        "time, whether the child has ended or not, so it returns while the child still runs and its "
        "exitcode is still None.",
        "Call join() without a timeout: it waits as long as the child runs.",
        short[0].line,
    )


@diagnosis("sleeps-instead-of-join", explains=ALL, docs="join")
def sleeps_instead_of_join(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    sleeps = calls.sleeps()
    if not sleeps or calls.direct("Process.join") or not _returned_early(evidence):
        return None
    return Finding(
        f"run_in_process waits with {slept_with(sleeps[0])} instead of join(): that waits for a time, not for the "
        "process, which may need longer, so it returns while the child still runs.",
        "Wait for the process itself: process.join().",
        sleeps[0].line,
    )


@diagnosis("no-join", explains=ALL, docs="join")
def no_join(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("plain")
    if calls.direct("Process.join") or not _returned_early(evidence):
        return None
    started = calls.direct("Process.start")
    return Finding(
        "run_in_process never joins the child: it returns while the child is still running, so the exit "
        "code it reads is still None.",
        JOIN_HINT,
        started[0].line if started else None,
    )


@diagnosis("exitcode-before-join", explains=EXIT_CODES, docs="exitcode")
def exitcode_before_join(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("exits")
    reads = calls.direct("Process.exitcode")
    joins = calls.direct("Process.join")
    if not reads or not joins or calls.calls.index(reads[0]) > calls.calls.index(joins[0]):
        return None
    return Finding(
        "run_in_process reads the exitcode before it joins the process: until the child has ended, exitcode is None.",
        "Join first, then read process.exitcode.",
        reads[0].line,
    )


def _return_line(evidence: Evidence) -> int | None:
    returns = evidence.facts.returns("run_in_process")
    return returns[-1].lineno if returns else None


@diagnosis("returns-bool", explains=EXIT_CODES, docs="exitcode")
def returns_bool(evidence: Evidence) -> Finding | None:
    if not any(seen.returned.kind == "bool" for run in ("plain", "exits") for seen in evidence.observations(run)):
        return None
    return Finding(
        "run_in_process returns True or False (whether the child succeeded), not the exit code: sys.exit(3) "
        "must come back as 3.",
        "Return process.exitcode itself.",
        _return_line(evidence),
    )


@diagnosis("returns-pid", explains=EXIT_CODES, docs="exitcode")
def returns_pid(evidence: Evidence) -> Finding | None:
    seen = evidence.first("exits")
    if seen is None or seen.returned.kind != "int" or seen.returned.data not in seen.started:
        return None
    return Finding(
        "run_in_process returns the child's pid (process.pid), the number of the process, not its exit code.",
        "Return process.exitcode.",
        _return_line(evidence),
    )


@diagnosis("returns-process", explains=EXIT_CODES, docs="exitcode")
def returns_process(evidence: Evidence) -> Finding | None:
    seen = evidence.first("exits")
    if seen is None or seen.returned.kind != "other" or "Process" not in seen.returned.type_name:
        return None
    return Finding(
        "run_in_process returns the Process object itself, not its exit code.",
        "Return process.exitcode, the number the child ended with.",
        _return_line(evidence),
    )


@diagnosis("always-zero", explains=EXIT_CODES, docs="exitcode")
def always_zero(evidence: Evidence) -> Finding | None:
    literal = [r for r in evidence.facts.returns("run_in_process") if isinstance(r.value, ast.Constant)]
    if not literal:
        return None
    value = literal[0].value.value  # type: ignore[union-attr]
    returned = [evidence.first(run) for run in ("exits", "raises")]
    if not all(seen is not None and seen.returned.data == value for seen in returned):
        return None
    return Finding(
        f"run_in_process returns {value!r} whatever the child did: the exit code tells how the child ended, "
        "and differs from run to run.",
        "Return process.exitcode after join().",
        literal[0].lineno,
    )


@diagnosis("exit-code-squashed", explains=("exit_code_from_sys_exit",), docs="exitcode")
def exit_code_squashed(evidence: Evidence) -> Finding | None:
    exits, raises = evidence.first("exits"), evidence.first("raises")
    if exits is None or raises is None or exits.returned.data not in (1, True) or raises.returned.data not in (1, True):
        return None
    return Finding(
        "run_in_process turns the exit code into failed-or-not (1 or 0): sys.exit(n) gives exit code n, and "
        "that n is what it must return.",
        "Return process.exitcode as it is.",
        _return_line(evidence),
    )


@diagnosis("child-catches-exception", explains=("exit_code_after_exception",), docs="exitcode")
def child_catches_exception(evidence: Evidence) -> Finding | None:
    raises = evidence.first("raises")
    made = evidence.calls("raises").direct("Process.__init__")
    wrappers = {
        detail(call, "target").removeprefix("student:")
        for call in made
        if detail(call, "target").startswith("student:")
    }
    handlers = [node for name in wrappers for node in evidence.facts.nodes(name) if isinstance(node, ast.Try)]
    if raises is None or raises.returned.data != 0 or not handlers:
        return None
    return Finding(
        "The process runs the target inside a try/except that catches its exception: the child then ends "
        "normally, with exit code 0, and the failure is lost.",
        "Let the exception end the child: give Process the target itself, not a wrapper that catches it.",
        handlers[0].lineno,
    )
