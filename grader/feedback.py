"""What the student's code did that no verdict had to judge, turned into text a student can act on:
an exception it raised, a time-out, a crash, a limit it broke, and what it printed.

Only the student's own lines are ever quoted, from the judge's copy of the file: tracebacks are cut
down to the frames of their file, and nothing of the grader (its paths, modules, classes or
source) is ever shown.
"""

from __future__ import annotations

import errno
import re
import signal
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from grader.models import Limits, Location, Status
from grader.sandbox import stacks
from grader.sandbox.stacks import StudentFile
from grader.scenarios import guard, unpickling
from grader.scenarios.records import Frame, Missing, Outcome, Phase, Raised, Report, Stop

SPAWN_HINT = (
    "Whatever a Pool is given, and under spawn and forkserver whatever a Process is given, is "
    "pickled: use functions defined at the top level of your module, not lambdas or nested functions."
)
MAIN_GUARD_HINT = (
    "A spawned child imports your module again: code at the top level that starts processes "
    "must go under `if __name__ == '__main__':`."
)
UNPICKLING_HINT = (
    "Send only values (numbers, strings, lists, dicts...), multiprocessing's own objects, and the "
    "functions and classes of your module between processes; write nothing to a pipe by hand."
)
NAMES_HINT = "Keep the function names and parameters of the exercise file exactly as given."
TOP_LEVEL_HINT = "Only definitions belong at the top level; put anything that runs under `if __name__ == '__main__':`."


@dataclass(frozen=True)
class Described:
    """A report that is not an observation, as a check shows it."""

    status: Status
    message: str
    hint: str = ""
    location: Location | None = None
    stacks: str = ""
    output: str = field(default="", compare=False)


def describe(report: Report, student: StudentFile, function: str, limits: Limits) -> Described:
    """``report`` (anything but ``RETURNED``) for the student; ``function`` is the one the check calls."""
    outcome = report.outcome
    if outcome is Outcome.RAISED and report.raised is not None:
        if report.phase is Phase.IMPORT:
            return import_error(report.raised, student)
        return raised(report.raised, student, function)
    if outcome is Outcome.UNUSABLE and report.unusable is not None:
        missing = report.unusable
        if missing.kind is Missing.SIGNATURE:
            message = f"`{missing.name}` takes `{missing.found}`, but the exercise calls it as `{missing.wanted}`."
            return Described(
                Status.ERROR,
                message,
                "Keep the parameters of the exercise file: the grader calls "
                "your function exactly as the exercise describes.",
            )
        if missing.kind is Missing.NOT_CALLABLE:
            return Described(
                Status.ERROR, f"`{missing.name}` in your file is not a function: expected `{missing.wanted}`."
            )
        if missing.kind is Missing.CONSTANT:
            return Described(Status.ERROR, f"Your file has no `{missing.name}`: the exercise asks you to keep it.")
        return Described(
            Status.ERROR,
            f"Your file has no function `{missing.name}`: the exercise asks for `{missing.wanted}`.",
            NAMES_HINT,
        )
    if outcome is Outcome.TIMED_OUT:
        blocked = stacks.render(stacks.report(report.dumps, student))
        if report.phase is Phase.IMPORT:
            return Described(
                Status.TIMEOUT,
                f"Importing {student.name} did not finish: code at the top level of your file keeps running "
                "(an endless loop, a blocking call, or work that should be in a function).",
                TOP_LEVEL_HINT,
                stacks=blocked,
            )
        if report.deadlock:
            return Described(
                Status.TIMEOUT,
                "This check was stopped: every one of its processes was waiting for another, and none could "
                "ever go on (a deadlock).",
                stacks=blocked,
            )
        seconds = limits.test_timeout * limits.time_scale
        return Described(
            Status.TIMEOUT,
            f"This check did not finish within {seconds:g} s: something waits forever (a deadlock) or runs on and on.",
            stacks=blocked,
        )
    if outcome is Outcome.CRASHED:
        return Described(Status.ERROR, f"The check's process ended early: {describe_exit(report.status)}.")
    if outcome is Outcome.STOPPED:
        return stopped(report.stop, limits)
    return Described(Status.NOT_RUN, "Not run: grading of this exercise stopped before this check.")


def stopped(stop: Stop | None, limits: Limits) -> Described:
    if stop is Stop.PROCESSES:
        return Described(
            Status.ERROR,
            f"Your code had more than {limits.max_processes} processes running at once (a fork bomb?), "
            "so the grader stopped all of them.",
        )
    if stop is Stop.MEMORY:
        return Described(
            Status.ERROR,
            f"Your processes used more than {limits.tree_memory_mb} MB of memory together, "
            "so the grader stopped all of them.",
        )
    if stop is Stop.DEADLINE:
        return Described(
            Status.TIMEOUT,
            f"Grading stopped after {limits.deadline * limits.time_scale:g} s, the time allowed for the "
            "whole exercise.",
        )
    return Described(
        Status.ERROR,
        "The grading process stopped answering while this check ran: your code stopped or killed it.",
    )


def describe_exit(status: int | None) -> str:
    """How a process ended, for a student who made it end."""
    if status is None:
        return "it was stopped"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        if name == "SIGXCPU":
            return "it used up its CPU time limit"
        if name == "SIGKILL":
            return "it was killed (SIGKILL)"
        return f"it was killed by {name}"
    if status == guard.EXIT:
        return "your code reached into the running interpreter, which the grader does not allow (its output says how)"
    return f"it exited with code {status}: does your code call os._exit() or kill its parent?"


# --- exceptions ---------------------------------------------------------------------------------


def import_error(error: Raised, student: StudentFile) -> Described:
    where = innermost(error.frames, student)
    if error.type == "SystemExit":
        return Described(
            Status.ERROR,
            f"Your file calls sys.exit({error.exit_code}) when it is imported, so nothing in it can be graded.",
            "Put code that runs the program under `if __name__ == '__main__':`.",
            where,
        )
    if error.type == "EOFError" or (error.type.endswith("Error") and "stdin" in error.message):
        return Described(
            Status.ERROR,
            "Your file calls input() when it is imported; the grader types nothing.",
            "Remove the input() call, or move it under `if __name__ == '__main__':`.",
            where,
        )
    return Described(
        Status.ERROR, f"Importing {student.name} raised {error.type}: {error.message}", hint_for(error), where
    )


def raised(error: Raised, student: StudentFile, function: str) -> Described:
    where = innermost(error.frames, student)
    if error.type in ("SystemExit", "KeyboardInterrupt"):
        what = f"sys.exit({error.exit_code})" if error.type == "SystemExit" else "KeyboardInterrupt"
        if (
            error.frames
            and PurePosixPath(error.frames[-1].file).name == "probes.py"
            and "mpgrade" in error.frames[-1].file
        ):
            return Described(
                Status.ERROR,
                f"The grader's target called {what} and that ended {function}() itself: the target ran in "
                "the grader's own process instead of in a new process.",
                "Pass the function to multiprocessing.Process(target=...) and start() it; do not call it.",
                where,
            )
        return Described(
            Status.ERROR,
            f"Your code raised {what} in {function}(): that ends the whole program; a function should "
            "return its result instead.",
            location=where,
        )
    if error.type == "NotImplementedError" and where is not None:
        name = next((frame.function for frame in reversed(error.frames) if student.owns(frame)), function)
        return Described(
            Status.ERROR,
            f"{name}() is not written yet: it still raises NotImplementedError ({where.file}:{where.line}).",
            location=where,
        )
    if error.type == "MemoryError":
        message = "Your code ran out of memory: it went past the memory limit of a process."
    elif error.errno == errno.EFBIG:
        message = "Your code wrote more than the file size limit allows."
    elif error.errno == errno.EAGAIN and error.type == "BlockingIOError":  # fork() past the process limit
        message = (
            "Your code could not start another process: it already had as many processes as the grader allows "
            "(a fork bomb?), so the operating system refused to start more."
        )
    else:
        message = f"Your code raised {error.type}: {error.message}"
    own = [frame for frame in error.frames if student.owns(frame)] + remote_frames(error.remote, student)
    if own:
        message += "\n" + "\n".join(
            f"  {student.name}:{frame.line} in {frame.function}: {student.location(frame.line).code}"
            for frame in own[-5:]
        )
    if where is None and own:
        where = student.location(own[-1].line)
    return Described(Status.ERROR, message, hint_for(error), where)


def innermost(frames: tuple[Frame, ...], student: StudentFile) -> Location | None:
    own = [frame for frame in frames if student.owns(frame)]
    return student.location(own[-1].line) if own else None


REMOTE_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>.*)$', re.MULTILINE)


def remote_frames(text: str, student: StudentFile) -> list[Frame]:
    """The student's frames in the traceback text a Pool attaches to an error from a worker."""
    frames = [Frame(match["file"], int(match["line"]), match["function"]) for match in REMOTE_FRAME.finditer(text)]
    return [frame for frame in frames if student.owns(frame)]


def hint_for(error: Raised) -> str:
    """A hint for errors whose cause a student cannot see from the message alone."""
    text = f"{error.type}: {error.message} {error.remote}"
    if unpickling.REFUSED in text:
        return UNPICKLING_HINT
    if re.search(r"pickl|Can't get attribute|lambda|<locals>", text, re.IGNORECASE):
        return SPAWN_HINT
    if "bootstrapping phase" in text:
        return MAIN_GUARD_HINT
    return ""


# --- printed output -------------------------------------------------------------------------------


FILE_LINE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>.*)$')
CODE_LINE = re.compile(r"^\s{4,}\S|^\s*[~^]+\s*$")  # a frame's source line, or 3.11's ^^^^ marks
GRADER_WORDS = re.compile(r"\S*/mpgrade/\S*|\S*mpgrade_scenarios\S*|\S*/grader/\S*")


def clean_output(text: str, student: StudentFile, limit: int, cut: int = 0) -> str:
    """What the student's processes printed, with tracebacks cut to the student's own frames.

    Children that crash print their traceback to stderr; those frames pass through
    multiprocessing and the grader's probes, whose source lines must not be shown. Line by line,
    because tracebacks of processes that crash together arrive interleaved.
    """
    kept: list[str] = []
    dropping = False  # inside a frame that is not the student's: its source lines go too
    for line in text.splitlines():
        frame = FILE_LINE.match(line)
        if frame:
            dropping = frame["file"] not in student.paths
            if dropping:
                if not kept or not kept[-1].endswith("code left out)"):
                    kept.append("  (frames of Python's and the grader's code left out)")
                continue
            line = f'  File "{student.name}", line {frame["line"]}, in {frame["function"]}'
        elif dropping and CODE_LINE.match(line):
            continue
        else:
            dropping = False
        kept.append(GRADER_WORDS.sub("<grader>", student.shown(line)))
    return trim("\n".join(kept), limit, cut)


def trim(text: str, limit: int, cut: int = 0) -> str:
    """At most ``limit`` characters, saying how much was left out."""
    if len(text) > limit:
        cut += len(text) - limit
        text = text[:limit]
    if not cut:
        return text
    return f"{text}\n[... {cut:,} more characters cut: output is limited to {limit:,}]"
