"""Where was each process blocked? Stack dumps from the sandbox, turned into lines of the
student's own file.

The runner collects what ``faulthandler`` wrote for every process when a scenario ran out of time
(``records.Dump``). Here, outside the sandbox, each dump is read as data and described in terms a
student can act on: the line of *their* file each process was on (quoted from the judge's own copy
of the file), and in plain words what a process with no line of theirs was doing. Nothing of the
grader's code is ever quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from grader.models import Location
from grader.scenarios import cpython
from grader.scenarios.cpython import ThreadStack
from grader.scenarios.records import Dump, Frame

# What processes with no line of the student's are doing, recognised by the function they are in.
SITUATIONS = (
    (cpython.QUEUE_FLUSH, "has finished, but cannot exit until the items it put on a queue are read"),
    (cpython.EXIT_JOIN, "has finished, but waits for its own children or queues before it exits"),
    ("arrive", "the grader's target, waiting for the other processes to start"),
    ("hold", "the grader's target, waiting for the parent to wait for it"),
    (cpython.POOL_WORKER, "a pool worker, waiting for a task"),
    (cpython.MANAGER, "a multiprocessing manager process"),
)


@dataclass(frozen=True)
class Blocked:
    """One process, described for the student."""

    pid: int
    role: str  #: e.g. "main process, in run_pipeline()"
    location: Location | None  #: the innermost line of the student's file, if any
    detail: str  #: the call it waits in, or what it is doing when no line is the student's

    def line(self) -> str:
        where = f"{self.location.file}:{self.location.line}  {self.location.code}" if self.location else ""
        return "  ".join(part for part in (f"{self.role} (pid {self.pid}):", where, self.detail) if part)


class StudentFile:
    """The student's file: where the sandboxes' processes saw it (a sandbox per start method may see
    it in a folder of its own), and its text as the judge read it."""

    def __init__(self, folders: tuple[str, ...], name: str, text: str) -> None:
        self.paths = frozenset(str(PurePosixPath(folder, name)) for folder in folders)
        self.name = name
        self.lines = text.splitlines()

    def owns(self, frame: Frame) -> bool:
        return frame.file in self.paths

    def shown(self, text: str) -> str:
        """``text`` with the file's paths in the sandboxes replaced by its name."""
        for path in self.paths:
            text = text.replace(path, self.name)
        return text

    def location(self, line: int) -> Location:
        code = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return Location(self.name, line, code)


def describe(dump: Dump, student: StudentFile) -> Blocked | None:
    """What the process of ``dump`` was doing, for the student; None for multiprocessing's helpers."""
    if not dump.text:
        command = dump.command or "?"
        return Blocked(dump.pid, "process", None, f"running `{command}` (not a Python process)")
    threads = cpython.parse_dump(dump.text)
    theirs = [thread for thread in threads if any(student.owns(frame) for frame in thread.frames)]
    thread: ThreadStack | None = next((t for t in theirs if t.current), theirs[0] if theirs else None)
    if thread is None:
        thread = next((t for t in threads if t.current), threads[0] if threads else None)
    if thread is None or not thread.frames:
        return None
    frames = _own_part(thread.frames)
    own = [frame for frame in frames if student.owns(frame)]
    functions = {frame.function for frame in frames}
    names = {PurePosixPath(frame.file).name for frame in frames}
    if not own and "_bootstrap" not in functions and names & set(cpython.HELPER_FILES):
        return None  # the fork server or resource tracker itself, not a process of the student's
    if own:
        outer = own[-1].function
        role = "your file, while it was being imported" if outer == "<module>" else f"{outer}()"
        role = f"main process, in {role}" if dump.main else f"process running {role}"
        inner = own[0]
        blocked_in = next((frame for frame in frames[: frames.index(inner)] if not _ours(frame)), None)
        detail = f"(waiting in {_module(blocked_in.file)}{blocked_in.function})" if blocked_in else ""
        return Blocked(dump.pid, role, student.location(inner.line), detail)
    role = "main process" if dump.main else "process"
    for function, situation in SITUATIONS:
        if function in functions:
            return Blocked(dump.pid, role, None, situation)
    innermost = next((frame for frame in frames if not _ours(frame)), frames[0])
    return Blocked(dump.pid, role, None, f"in {_module(innermost.file)}{innermost.function}")


def _ours(frame: Frame) -> bool:
    """A frame of the grader's probes or tracer: named to no student."""
    return "mpgrade" in frame.file


def _own_part(frames: tuple[Frame, ...]) -> tuple[Frame, ...]:
    """A child's frames from its ``Process._bootstrap`` inwards: under fork, the frames outside it
    are the parent's, copied at the moment of the fork, and say nothing about the child."""
    function, file = cpython.BOOTSTRAP
    for index, frame in enumerate(frames):
        if frame.function == function and PurePosixPath(frame.file).name == file:
            return frames[: index + 1]
    return frames


def _module(path: str) -> str:
    """``queues.`` for multiprocessing/queues.py: enough to recognise the call, nothing more."""
    name = PurePosixPath(path).stem
    return "" if name.startswith("<") or "mpgrade" in path else f"{name}."


def report(dumps: tuple[Dump, ...], student: StudentFile) -> list[Blocked]:
    """Every process described, the main process first."""
    ordered = sorted(dumps, key=lambda dump: (not dump.main, dump.pid))
    return [blocked for blocked in (describe(dump, student) for dump in ordered) if blocked is not None]


def render(blocked: list[Blocked]) -> str:
    if not blocked:
        return ""
    return "Where each process was when the check was stopped:\n" + "\n".join(f"  {entry.line()}" for entry in blocked)
