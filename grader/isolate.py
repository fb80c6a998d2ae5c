"""Stage 2: run one exercise's hidden suite against a submission, in a sandbox of its own.

The suite runs in a fresh Python process (pytest with the harness plugin), in a new session,
with stdin from /dev/null, a private working directory, a minimal environment and a copy of the
student's file. This side watches the process tree from outside: the deadline for the whole
exercise, the number of processes and their memory. When the suite ends, or is stopped, every
process it started is killed, found by parentage, session and an environment token, and a
last scan confirms that none survived.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil

from grader.errors import GraderError
from grader.exercises import Exercise
from grader.models import Limits
from grader.sandbox import records, stacks, tree

BOOT = Path(__file__).parent / "sandbox" / "boot"
POLL = 0.1  # seconds between looks at the tree: cheap, and quick enough for a fork bomb
LOG_LIMIT = 20_000


class Cancelled(Exception):
    """The run was stopped from outside (Ctrl-C in a batch); it has no result."""


@dataclass(frozen=True)
class SuiteRun:
    """What came out of one sandboxed run of a suite: the raw material for scoring."""

    records: tuple[dict[str, Any], ...]  #: one per check and start method that reported
    running: tuple[str, str] | None  #: (check, start method) that started and never reported
    finished: bool  #: the suite ran to its end
    stopped: str  #: why the grader stopped the suite early, in the student's terms; "" if not
    stacks: str  #: where each process was when the grader stopped the suite
    ended: str  #: how the suite's process ended, when it did not end normally
    killed: int  #: processes the final sweep had to kill
    survivors: tuple[int, ...]  #: processes alive after the sweep: always empty, or a bug
    duration: float


def run_suite(
    exercise: Exercise,
    source: Path,
    *,
    start_methods: list[str],
    limits: Limits,
    fail_fast: bool = False,
    coverage_rc: Path | None = None,
    cancel: threading.Event | None = None,
) -> SuiteRun:
    """Grade ``source`` with ``exercise``'s hidden suite; nothing it starts outlives this call.

    Setting ``cancel`` (from another thread) stops the run and raises ``Cancelled``.
    """
    root = Path(tempfile.mkdtemp(prefix=f"mpgrade-{exercise.id}-"))
    scratch = Path(tempfile.mkdtemp(prefix="mpg-", dir=short_temp()))
    try:
        sandbox = Sandbox(root, scratch, exercise, source, limits, coverage_rc)
        return sandbox.run(start_methods, fail_fast, cancel or threading.Event())
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def short_temp() -> str | None:
    """A folder with a short path for the submission's TMPDIR: multiprocessing puts Unix
    sockets there (forkserver, managers), and a socket path may not exceed 104-108 bytes,
    which macOS's long TMPDIR plus a sandbox's folders can."""
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else None


class Sandbox:
    def __init__(
        self, root: Path, scratch: Path, exercise: Exercise, source: Path, limits: Limits, coverage_rc: Path | None
    ) -> None:
        self.exercise = exercise
        self.limits = limits
        self.submission = root / "submission"
        self.work = root / "work"
        self.dumps = root / "dumps"
        # a name no submission writes to by accident ("results.jsonl" beside its working directory)
        self.results = root / f"records-{secrets.token_hex(8)}.jsonl"
        self.log = root / "pytest.log"
        self.scratch = scratch
        for folder in (self.submission, self.work, self.dumps):
            folder.mkdir(parents=True)
        shutil.copyfile(source, self.submission / exercise.filename)
        self.results.touch()
        self.key = secrets.token_hex(16)
        self.token = secrets.token_hex(16)
        self.coverage_rc = coverage_rc

    def environment(self) -> dict[str, str]:
        """Only what the suite needs; nothing of the grader's or the user's own environment."""
        env = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(self.work),
            "TMPDIR": str(self.scratch),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONPATH": os.pathsep.join([str(BOOT), str(self.submission)]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONSAFEPATH": "1",  # no working directory on sys.path (3.11+)
            "PYTHONIOENCODING": "utf-8",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "MPGRADE_SUBMISSION": str(self.submission),
            "MPGRADE_DUMPS": str(self.dumps),
            "MPGRADE_RESULTS": str(self.results),
            "MPGRADE_TOKEN": self.token,
            "MPGRADE_LIMITS": json.dumps(asdict(self.limits)),
        }
        if self.coverage_rc is not None:
            env["COVERAGE_PROCESS_START"] = str(self.coverage_rc)
        return env

    def command(self, start_methods: list[str], fail_fast: bool) -> list[str]:
        scale = self.limits.time_scale
        suite = Path(__import__(self.exercise.suite, fromlist=["_"]).__file__)  # type: ignore[arg-type]
        return [
            sys.executable, "-m", "pytest", str(suite),
            "-p", "pytest_timeout", "-p", "grader.suites.framework", "-p", "grader.sandbox.plugin",
            "-p", "no:cacheprovider", "-p", "no:warnings", "-p", "no:legacypath",
            "-p", "no:threadexception", "-p", "no:unraisableexception",
            "-c", os.devnull, "--rootdir", str(self.work), "-q", "--assert=plain", "--import-mode=importlib",
            "--timeout", f"{self.limits.test_timeout * scale:g}",
            "--start-methods", ",".join(start_methods), "--time-scale", f"{scale:g}",
            *(["-x"] if fail_fast else []),
        ]  # fmt: skip

    def run(self, start_methods: list[str], fail_fast: bool, cancel: threading.Event) -> SuiteRun:
        started = time.monotonic()
        # the key goes through a pipe the harness reads and closes before any student code runs:
        # in the environment, /proc/<pid>/environ would show it to that code
        key_out, key_in = os.pipe()
        os.write(key_in, self.key.encode())
        os.close(key_in)
        try:
            with open(self.log, "wb") as log:
                process = subprocess.Popen(
                    self.command(start_methods, fail_fast),
                    cwd=self.work,
                    env={**self.environment(), "MPGRADE_KEY_FD": str(key_out)},
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    pass_fds=(key_out,),
                )
        finally:
            os.close(key_out)
        try:
            stopped, stack_report = self.watch(process, started, cancel)
        finally:  # also on Ctrl-C: the sandbox's own session does not get the terminal's SIGINT
            killed = tree.kill_all(lambda: self.members(process.pid))
            returncode = process.wait()
        survivors = tuple(p.pid for p in self.members(process.pid))
        if cancel.is_set():
            raise Cancelled(self.exercise.id)
        results, running, finished = self.read_results()
        if running is None and not results and not finished and not stopped:
            raise GraderError(
                f"the hidden suite for {self.exercise.id} did not start (exit code {returncode}).\n"
                + self.log.read_text(errors="replace")[-LOG_LIMIT:]
            )
        internal = [record for record in results if record.get("status") == "internal"]
        if internal:
            raise GraderError(
                f"the hidden suite for {self.exercise.id} failed in check "
                f"{internal[0]['check']!r}:\n{internal[0]['message']}"
            )
        return SuiteRun(
            records=results,
            running=running,
            finished=finished,
            stopped=stopped,
            stacks=stack_report,
            ended="" if finished else describe_exit(returncode),
            killed=killed,
            survivors=survivors,
            duration=time.monotonic() - started,
        )

    def watch(self, process: subprocess.Popen[bytes], started: float, cancel: threading.Event) -> tuple[str, str]:
        """Wait for the suite, stopping it at the deadline or when the tree breaks a limit."""
        limits = self.limits
        deadline = started + limits.deadline * limits.time_scale
        while process.poll() is None and not cancel.is_set():
            try:
                family = tree.living([psutil.Process(process.pid), *tree.descendants(process.pid)])
            except psutil.Error:  # it ended just now
                continue
            if len(family) > limits.max_processes:
                return (
                    f"Your code had more than {limits.max_processes} processes running at once "
                    "(a fork bomb?), so the grader stopped all of them.",
                    "",
                )
            if _memory_mb(family) > limits.tree_memory_mb:
                return (
                    f"Your processes used more than {limits.tree_memory_mb} MB of memory "
                    "together, so the grader stopped all of them.",
                    "",
                )
            if time.monotonic() > deadline:
                pids = [p.pid for p in family]
                report = stacks.render(stacks.report(pids, self.dumps, self.submission, process.pid))
                return (
                    f"Grading stopped after {limits.deadline * limits.time_scale:g} s, the time "
                    "allowed for the whole exercise: your code kept running after a check "
                    "timed out.",
                    report,
                )
            cancel.wait(POLL)
        return "", ""

    def members(self, pid: int) -> list[psutil.Process]:
        found = {p.pid: p for p in tree.descendants(pid)}
        found.update((p.pid, p) for p in tree.sandboxed(pid, self.token))
        return list(found.values())

    def read_results(self) -> tuple[tuple[dict[str, Any], ...], tuple[str, str] | None, bool]:
        """The records the harness wrote: signed under this run's key, each result right after the
        start of its own check, and once; anything else is ignored."""
        results: list[dict[str, Any]] = []
        running: tuple[str, str] | None = None
        finished = False
        for line in self.results.read_text(errors="replace").splitlines():
            record = records.verify(self.key, line)
            if record is None or finished:
                continue
            event, run = record.get("event"), (record.get("check"), record.get("method"))
            if event == "start":
                running = run  # type: ignore[assignment]
            elif event == "result" and run == running:
                results.append(record)
                running = None
            elif event == "finished" and running is None:
                finished = True
        return tuple(results), running, finished


def _memory_mb(family: list[psutil.Process]) -> float:
    total = 0
    for process in family:
        try:
            info = process.memory_info()
            total += info.rss - getattr(info, "shared", 0)  # pages shared after fork count once
        except psutil.Error:
            pass
    return total / (1024 * 1024)


def describe_exit(returncode: int) -> str:
    """How the suite's process ended, for a student who made it end."""
    if returncode < 0:
        name = signal.Signals(-returncode).name
        if name == "SIGXCPU":
            return "it used up its CPU time limit"
        if name == "SIGKILL":
            return "it was killed (SIGKILL)"
        return f"it was killed by {name}"
    return f"it exited with code {returncode}: does your code call os._exit() or kill its parent?"
