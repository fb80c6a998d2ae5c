"""Checks of exercise 1: ``run_in_process(target, args=())``."""

from __future__ import annotations

import random
from dataclasses import replace

from grader.judge import PASS, Context, Run, Verdict, check, fail
from grader.judge.calls import Calls
from grader.scenarios.ex01 import Run as Observed
from grader.scenarios.ex01 import RunParams

JOIN_HINT = "After start(), call join() on the process, then return its exitcode."
WORDS = ("seven", "apple", "north", "queue", "lemon", "tiger")


def plain(rng: random.Random) -> RunParams:
    return RunParams((rng.randint(2, 99), rng.choice(WORDS)))


PLAIN = Run("plain", "ex01.run", "run_in_process", plain)
EXITS = Run("exits", "ex01.run", "run_in_process", lambda rng: RunParams((), code=rng.randint(2, 120)))
RAISES = Run("raises", "ex01.run", "run_in_process", lambda rng: RunParams((), raises=True))


def cause(seen: Observed) -> Verdict | None:
    """The mistake behind a failure, read from what the student's code called: the same on every run."""
    calls = Calls(seen.calls)
    made = calls.made("Process.__init__", target="probe")
    if calls.direct("Thread.__init__", target="probe"):
        return fail(
            "run_in_process runs the target in a threading.Thread: a thread is part of the grader's own "
            "process, so nothing runs in a new process and there is no exit code to return.",
            "Use multiprocessing.Process(target=target, args=args) instead of threading.Thread.",
            calls.direct("Thread.__init__", target="probe")[0].line,
        )
    calls_run = [call for call in calls.direct("Process.run") if call.obj in made]
    if calls_run and not calls.on(calls_run[0].obj, "Process.start"):
        return fail(
            "run_in_process calls run() on the process instead of start(): run() executes the target "
            "right there, in the grader's own process; start() is what starts a new process.",
            "Call process.start(), then process.join().",
            calls_run[0].line,
        )
    empty = calls.direct("Process.__init__", target="none")
    if not made and empty and any(run.pid == seen.caller for run in seen.runs):
        return fail(
            "The target ran in the grader's own process while the Process was being made: "
            "`Process(target=target(*args))` calls the function and hands its result to Process.",
            "Pass the function itself: Process(target=target, args=args).",
            empty[0].line,
        )
    if not made and any(run.pid == seen.caller for run in seen.runs):
        return fail(
            "run_in_process calls the target itself, in the grader's own process: no new process is started.",
            "Create multiprocessing.Process(target=target, args=args) and start() it; do not call target yourself.",
        )
    stopped = [call for call in calls.direct("Process.terminate") + calls.direct("Process.kill") if call.obj in made]
    if stopped and not calls.waited_before(stopped[0]):
        return fail(
            f"run_in_process stops the child with {stopped[0].api.split('.')[1]}() before it has finished "
            "its work: the target is killed, not run to its end.",
            "Do not terminate the process: join() it, and it ends when its target returns.",
            stopped[0].line,
        )
    return None


def waited(seen: Observed) -> Verdict | None:
    """Without join the child may not even have started: say that before anything else."""
    if not seen.running:
        return None
    calls = Calls(seen.calls)
    short = [call for call in calls.direct("Process.join") if call.detail.startswith("timeout=")]
    sleeps = calls.direct("time.sleep")
    if short and not seen.waited:
        return fail(
            f"run_in_process returned while the child process was still running: join({short[0].detail}) "
            "stops waiting after that time, whether the child has ended or not.",
            "Call join() without a timeout: it waits as long as the child runs.",
            short[0].line,
        )
    if sleeps and not seen.waited:
        return fail(
            "run_in_process returned while the child process was still running: time.sleep() waits for a "
            "time, not for the process, which may need longer.",
            "Wait for the process itself with join().",
            sleeps[0].line,
        )
    return fail("run_in_process returned while the child process was still running.", JOIN_HINT)


def genuine(seen: Observed) -> Observed:
    """The observation with only the runs the calls vouch for: in a process the student's code
    started, or in the grader's own process (a mistake). A note in the target's folder from anywhere
    else is not a run of the target."""
    runs = tuple(run for run in seen.runs if run.pid in seen.started or run.pid == seen.caller)
    return replace(seen, runs=runs)


def explained(seen: Observed, message: str, hint: str | None = None) -> Verdict:
    """A failure, named by its cause when the calls show one."""
    return cause(seen) or waited(seen) or fail(message, hint)


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
        return explained(seen, "")
    if not seen.runs:
        return explained(seen, "The target never ran.")
    if any(run.pid == seen.caller for run in seen.runs):
        return explained(
            seen,
            "The target ran in the grader's own process (same PID), not in a new process: a thread, or "
            "calling the function directly, does not start a process.",
        )
    if len(seen.runs) != 1:
        return explained(seen, f"The target ran {len(seen.runs)} times; it should run once.")
    return PASS


@check(
    "Passes args to the target", points=1, hint="Hand the tuple over as Process(target=target, args=args).", run=PLAIN
)
def passes_args(seen: Observed, context: Context) -> Verdict:
    seen = genuine(seen)
    params: RunParams = context.params
    wanted = tuple(repr(arg) for arg in params.args)
    if seen.running:
        return explained(seen, "")
    if not seen.runs:
        return explained(seen, "The target never ran.")
    got = seen.runs[0].args
    if got != wanted:
        return explained(seen, f"The target was called with ({', '.join(got)}) instead of ({', '.join(wanted)}).")
    return PASS


def returned_int(seen: Observed, wanted: int) -> bool:
    return seen.returned.kind == "int" and seen.returned.data == wanted


@check("Returns 0 when the target returns normally", points=1, hint=JOIN_HINT, run=PLAIN)
def exit_code_success(seen: Observed, context: Context) -> Verdict:
    if returned_int(seen, 0):
        return PASS
    return explained(seen, f"run_in_process returned {seen.returned.text}; a child that ends normally has exit code 0.")


@check(
    "Returns the code the target passed to sys.exit",
    points=2,
    hint="Return process.exitcode after join(); it holds the code given to sys.exit.",
    run=EXITS,
)
def exit_code_from_sys_exit(seen: Observed, context: Context) -> Verdict:
    code = context.params.code
    if returned_int(seen, code):
        return PASS
    return explained(seen, f"The target called sys.exit({code}) but run_in_process returned {seen.returned.text}.")


@check(
    "Returns 1 when the target raises an exception",
    points=1,
    hint="An uncaught exception in the child gives exitcode 1; do not catch it in the parent.",
    run=RAISES,
)
def exit_code_after_exception(seen: Observed, context: Context) -> Verdict:
    if returned_int(seen, 1):
        return PASS
    return explained(seen, f"The target raised an exception but run_in_process returned {seen.returned.text}.")


@check(
    "Waits for the child to finish",
    points=2,
    hint=JOIN_HINT + " join() without a timeout waits as long as the child runs.",
    run=PLAIN,
)
def waits_for_child(seen: Observed, context: Context) -> Verdict:
    seen = genuine(seen)
    if seen.running:
        return explained(seen, "")
    if seen.unjoined:
        return explained(seen, "The child finished but was never joined (it is left as a zombie process).")
    if not seen.runs:
        return explained(seen, "The target never ran.")
    if not all(run.finished for run in seen.runs):
        return explained(seen, "run_in_process returned before the child had finished its work.")
    return PASS
