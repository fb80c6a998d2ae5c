"""Where was each process blocked? Stack dumps turned into lines of the student's own file.

Every Python process of the sandbox has ``faulthandler`` registered on SIGUSR1 with a file of
its own (see ``boot/sitecustomize.py``). ``capture`` signals them all and reads what each wrote;
``describe`` keeps only what a student can act on: the line of *their* file each process was
on, and in plain words what a process with no line of theirs was doing. Nothing of the hidden
suite is ever quoted.
"""

from __future__ import annotations

import linecache
import os
import re
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import psutil

from grader.models import Location

THREAD_HEADER = re.compile(r"^(Current thread|Thread) 0x[0-9a-f]+")
FRAME = re.compile(r'^\s+File "(?P<file>.*)", line (?P<line>\d+) in (?P<function>.*)$')


@dataclass(frozen=True)
class Frame:
    file: str
    line: int
    function: str


@dataclass(frozen=True)
class Thread:
    current: bool
    frames: tuple[Frame, ...]  #: innermost first, as faulthandler prints them


@dataclass(frozen=True)
class Blocked:
    """One process, described for the student."""

    pid: int
    role: str  #: e.g. "main process, in your run_pipeline()"
    location: Location | None  #: the innermost line of the student's file, if any
    detail: str  #: the call it waits in, or what it is doing when no line is the student's

    def line(self) -> str:
        where = f"{self.location.file}:{self.location.line}  {self.location.code}" if self.location else ""
        return "  ".join(part for part in (f"{self.role} (pid {self.pid}):", where, self.detail) if part)


def capture(pids: Iterable[int], folder: Path, patience: float = 1.0) -> dict[int, list[Thread]]:
    """Ask each process for its stacks and wait (at most ``patience`` s) until each answered."""
    offsets: dict[int, int] = {}
    for pid in pids:
        dump = folder / f"{pid}.txt"
        if not dump.exists():
            continue  # not a Python process of ours: SIGUSR1 would simply kill it
        offsets[pid] = dump.stat().st_size
        try:
            os.kill(pid, signal.SIGUSR1)
        except ProcessLookupError:
            del offsets[pid]
    deadline = time.monotonic() + patience
    answered: dict[int, int] = {}
    while time.monotonic() < deadline:
        sizes = {pid: (folder / f"{pid}.txt").stat().st_size for pid in offsets}
        settled = [pid for pid, size in sizes.items() if size > offsets[pid] and answered.get(pid) == size]
        answered = sizes
        if len(settled) == len(offsets):
            break
        time.sleep(0.02)
    stacks = {}
    for pid, offset in offsets.items():
        with open(folder / f"{pid}.txt", errors="replace") as answer:
            answer.seek(offset)
            stacks[pid] = parse(answer.read())
    return stacks


def parse(text: str) -> list[Thread]:
    threads: list[Thread] = []
    current = False
    frames: list[Frame] = []
    for line in text.splitlines():
        header = THREAD_HEADER.match(line)
        if header:
            if frames:
                threads.append(Thread(current, tuple(frames)))
            current, frames = header.group(1) == "Current thread", []
            continue
        frame = FRAME.match(line)
        if frame:
            frames.append(Frame(frame["file"], int(frame["line"]), frame["function"]))
    if frames:
        threads.append(Thread(current, tuple(frames)))
    return threads


# What processes with no line of the student's are doing, recognised by the function they are in.
SITUATIONS = (
    ("_finalize_join", "has finished, but cannot exit until the items it put on a queue are read"),
    ("_exit_function", "has finished, but waits for its own children or queues before it exits"),
    ("arrive", "the grader's target, waiting for the other processes to start"),
    ("worker", "a pool worker, waiting for a task"),
    ("serve_forever", "a multiprocessing manager process"),
)
INFRASTRUCTURE = ("forkserver.py", "resource_tracker.py")


def describe(pid: int, threads: list[Thread], submission: Path, main_pid: int) -> Blocked | None:
    """What ``pid`` was doing, for the student; None for multiprocessing's own helpers."""
    theirs = [thread for thread in threads if any(_is_theirs(frame, submission) for frame in thread.frames)]
    thread = next((t for t in theirs if t.current), theirs[0] if theirs else None)
    if thread is None:
        thread = next((t for t in threads if t.current), threads[0] if threads else None)
    if thread is None or not thread.frames:
        return None
    frames = _own_part(_without_harness(thread.frames))
    if not frames:
        return None
    own = [frame for frame in frames if _is_theirs(frame, submission)]
    functions = {frame.function for frame in frames}
    if not own and "_bootstrap" not in functions and any(Path(f.file).name in INFRASTRUCTURE for f in frames):
        return None  # the fork server or resource tracker itself, not a process of the student's
    main = pid == main_pid
    if own:
        outer = own[-1].function
        role = "your file, while it was being imported" if outer == "<module>" else f"{outer}()"
        role = f"main process, in {role}" if main else f"process running {role}"
        inner = own[0]
        code = linecache.getline(inner.file, inner.line).strip()
        blocked_in = frames[0] if frames[0] is not inner else None
        detail = f"(waiting in {_module(blocked_in.file)}{blocked_in.function})" if blocked_in else ""
        return Blocked(pid, role, Location(Path(inner.file).name, inner.line, code), detail)
    role = "main process" if main else "process"
    for function, situation in SITUATIONS:
        if function in functions:
            return Blocked(pid, role, None, situation)
    return Blocked(pid, role, None, f"in {_module(frames[0].file)}{frames[0].function}")


HARNESS = Path(__file__).parent


def _without_harness(frames: tuple[Frame, ...]) -> tuple[Frame, ...]:
    """Drop the innermost frames of this package: the timeout handler that asked for the dump."""
    index = 0
    while index < len(frames) and Path(frames[index].file).parent == HARNESS:
        index += 1
    return frames[index:]


def _own_part(frames: tuple[Frame, ...]) -> tuple[Frame, ...]:
    """A child's frames from its ``Process._bootstrap`` inwards: under fork, the frames outside it
    are the parent's, copied at the moment of the fork, and say nothing about the child."""
    for index, frame in enumerate(frames):
        if frame.function == "_bootstrap" and Path(frame.file).name == "process.py":
            return frames[: index + 1]
    return frames


def _is_theirs(frame: Frame, submission: Path) -> bool:
    return Path(frame.file).parent == submission


def _module(path: str) -> str:
    """``queues.`` for multiprocessing/queues.py: enough to recognise the call, nothing more."""
    name = Path(path).stem
    return "" if name.startswith("<") else f"{name}."


def non_python(pid: int) -> Blocked:
    try:
        command = " ".join(psutil.Process(pid).cmdline()[:3]) or "?"
    except psutil.Error:
        command = "?"
    return Blocked(pid, "process", None, f"running `{command}` (not a Python process)")


def report(pids: list[int], folder: Path, submission: Path, main_pid: int) -> list[Blocked]:
    """Capture and describe every process in ``pids``, the main process first."""
    stacks = capture(pids, folder)
    described = []
    for pid in sorted(pids, key=lambda pid: (pid != main_pid, pid)):
        if pid in stacks:
            blocked = describe(pid, stacks[pid], submission, main_pid)
            if blocked is not None:
                described.append(blocked)
        else:
            described.append(non_python(pid))
    return described


def render(blocked: list[Blocked]) -> str:
    if not blocked:
        return ""
    return "Where each process was when time ran out:\n" + "\n".join(f"  {entry.line()}" for entry in blocked)
