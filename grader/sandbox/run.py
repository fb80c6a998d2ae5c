"""Stage 2: run one exercise's scenarios against a submission, in a sandbox of its own.

The runner (``grader.scenarios.runner``) is started at the chosen isolation level with a socket
this process owns; the scenarios go to it one at a time and their reports come back on that
socket, bounded and typed. Nothing is read back from a file the sandbox could replace. While a
scenario runs, this side watches the sandbox from outside: the deadline for the whole exercise,
the number of its processes and their memory. When the exercise ends, or is stopped, every
process of the sandbox is killed (its namespace, its user id, or its tree), and a last scan
confirms that none survived.

The rules that keep a grading steady and bounded (``Settled``) hold whether one sandbox runs every
start method in turn or each start method has a sandbox of its own, side by side
(``run_scenarios``' ``parallel``): the reports are the same.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import py_compile
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import psutil

from grader.errors import GraderError
from grader.models import Isolation, Limits
from grader.sandbox import deadlock, isolation, tree
from grader.sandbox.isolation import Launch, Layout
from grader.scenarios import records
from grader.scenarios.records import Expire, Outcome, Ready, Report, Request, Stop

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
POLL = 0.1  # seconds between looks at the sandbox's processes: cheap, and quick enough for a fork bomb
START_TIMEOUT = 30.0  # seconds for the runner to be ready, before --time-scale
BACKSTOP = 10.0  # seconds past a scenario's own timeout before the runner counts as lost
RUNNER_END = 2.0  # seconds the runner may take to end by itself once the last scenario is done
DEADLOCK_WINDOW = 0.1  # seconds every process is seen waiting for good, unchanged (two looks): a deadlock
LOG_LIMIT = 20_000
TEMP_PREFIX = "mpg-"  #: of the sandboxes' folders
ABANDONED_AFTER = 3600.0  # seconds: a sandbox's folder this old, which no grader holds, was left by a killed one


class Cancelled(Exception):
    """The run was stopped from outside (Ctrl-C in a batch); it has no result."""


@dataclass(frozen=True)
class SandboxRun:
    """What came out of one sandbox: a report per request, in order, and how it ended."""

    reports: tuple[Report, ...]
    isolation: Isolation
    submissions: tuple[str, ...]  #: the student's folder as each sandbox's processes saw it (their frames name it)
    stopped: Stop | None  #: what ended the sandbox before every request had run
    killed: int  #: processes the final sweep killed
    duration: float


@dataclass(frozen=True)
class Job:
    """What each sandbox of one grading is given: the student's file, and how to run it."""

    module: str  #: the name the scenarios import the student's file by
    filename: str
    source: bytes
    limits: Limits
    level: Isolation
    coverage: Path | None = None  #: the teacher's selfcheck: where coverage writes its data


def run_scenarios(
    job: Job, requests: list[Request], *, parallel: int = 1, cancel: threading.Event | None = None
) -> SandboxRun:
    """Run ``requests`` against the student's file; nothing started outlives this call. With
    ``parallel`` above 1, each start method's requests run in a sandbox of its own, ``parallel``
    sandboxes at a time (each with the whole of the limits): a start method's run neither waits
    for nor depends on another's, and the reports are those one sandbox running them all in turn
    would give, in the order of ``requests``. Setting ``cancel`` (from another thread) stops the
    run: ``Cancelled``."""
    methods = dict.fromkeys(request.method for request in requests)
    if parallel <= 1 or len(methods) <= 1:
        return _in_one_sandbox(job, requests, cancel or threading.Event())
    started = time.monotonic()
    stop = threading.Event()  # one sandbox failing stops the others, without cancelling the caller's other work
    groups = [[request for request in requests if request.method == method] for method in methods]

    def one(group: list[Request]) -> SandboxRun:
        try:
            return _in_one_sandbox(job, group, stop)
        except BaseException:
            stop.set()
            raise

    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix=f"{job.module}-method") as pool:
        futures = [pool.submit(one, group) for group in groups]
        try:
            while wait(futures, timeout=POLL).not_done:
                if cancel is not None and cancel.is_set():
                    stop.set()
        except BaseException:
            stop.set()
            raise
    errors = [error for error in (future.exception() for future in futures) if error is not None]
    if errors:  # the cause, not the other sandboxes' Cancelled that it led to
        raise next((error for error in errors if not isinstance(error, Cancelled)), errors[0])
    return merge(groups, [future.result() for future in futures], time.monotonic() - started)


def _in_one_sandbox(job: Job, requests: list[Request], cancel: threading.Event) -> SandboxRun:
    started = time.monotonic()
    with Sandbox(job) as box:
        reports: list[Report] = []
        settled = Settled()
        for request in requests:
            if cancel.is_set():
                raise Cancelled(job.module)
            report = not_run(request) if settled.skips(request) else box.run(request, cancel)
            settled.saw(request, report)
            settled.saw_stop(box.stopped)
            reports.append(report)
        stopped = box.stopped
    if cancel.is_set():
        raise Cancelled(job.module)
    return SandboxRun(
        tuple(reports), job.level, (box.launch.submission,), stopped, box.killed, time.monotonic() - started
    )


def merge(groups: list[list[Request]], runs: list[SandboxRun], duration: float) -> SandboxRun:
    """The runs of a sandbox per start method as the one run of a sandbox that ran them all in
    turn: what that sandbox would have skipped (``Settled``) did not run."""
    settled, reports = Settled(), []
    for group, run in zip(groups, runs, strict=True):
        for request, report in zip(group, run.reports, strict=True):
            reports.append(not_run(request) if settled.skips(request) else report)
            settled.saw(request, reports[-1])
        settled.saw_stop(run.stopped)
    stopped = next((run.stopped for run in runs if run.stopped is not None), None)
    folders = tuple(dict.fromkeys(folder for run in runs for folder in run.submissions))
    return SandboxRun(tuple(reports), runs[0].isolation, folders, stopped, sum(run.killed for run in runs), duration)


class Settled:
    """The rules that keep a grading steady and bounded, over its requests in planned order: after
    the sandbox stopped, or the student's module failed to import (it raised, hung or ended its
    process while importing), nothing runs; a run (a scenario with its inputs) that ran out of time
    is not run again under a later start method."""

    def __init__(self) -> None:
        self.over = False
        self.timed_out: set[str] = set()

    def skips(self, request: Request) -> bool:
        return self.over or _run(request) in self.timed_out

    def saw(self, request: Request, report: Report) -> None:
        if report.outcome is Outcome.TIMED_OUT:
            self.timed_out.add(_run(request))
        self.over = self.over or records.import_failed(report)

    def saw_stop(self, stopped: Stop | None) -> None:
        self.over = self.over or stopped is not None


def _run(request: Request) -> str:
    return f"{request.scenario} {json.dumps(request.params, sort_keys=True)}"


_compiling = threading.Lock()


def compiled_scenarios() -> Path:
    """The scenarios package with its bytecode: the sandbox's copy is read-only, so without it every
    process the scenarios spawn would compile it again. Compiled once per version of the scenarios
    and of Python, into the user's cache (``~/.cache/mpgrade``; a folder of this process's where that
    cannot be written), where every later ``grade`` finds it. The bytecode is not checked against the
    source (they are copied together, and no one can change them in the sandbox). The sandboxes of
    start methods side by side ask at once: one thread looks or compiles, the others wait for it."""
    with _compiling:
        return _compile_scenarios()


@functools.cache
def _compile_scenarios() -> Path:
    digest = hashlib.sha256(sys.implementation.cache_tag.encode())
    for source in sorted(SCENARIOS.glob("*.py")):
        text = source.read_bytes()
        digest.update(f"{source.name} {len(text)} ".encode() + text)
    try:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mpgrade"
        built = cache / f"scenarios-{digest.hexdigest()[:24]}"
        if (built / isolation.PACKAGE).is_dir():
            return built / isolation.PACKAGE
        cache.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix="building-", dir=cache))
    except (OSError, RuntimeError):  # no home, or none to write: a copy of this process's own
        own = Path(tempfile.mkdtemp(prefix="mpgrade-scenarios-"))
        atexit.register(shutil.rmtree, own, True)
        return _compile_into(own)
    try:
        _compile_into(building)
        building.rename(built)  # whole or not at all; another grader may have been first
    except OSError:
        if not (built / isolation.PACKAGE).is_dir():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return built / isolation.PACKAGE


def _compile_into(folder: Path) -> Path:
    package = folder / isolation.PACKAGE
    shutil.copytree(SCENARIOS, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for source in package.glob("*.py"):
        # where the sandbox's Python looks: beside the source, whatever PYTHONPYCACHEPREFIX the grader
        # has (compileall would follow it, and every process of the sandbox would compile them all)
        bytecode = source.parent / "__pycache__" / f"{source.stem}.{sys.implementation.cache_tag}.pyc"
        py_compile.compile(
            str(source), str(bytecode), doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
        )
    return package


def not_run(request: Request) -> Report:
    return Report(request.scenario, request.method, Outcome.NOT_RUN)


def short_temp() -> str:
    """A folder with a short path for the sandboxes: multiprocessing puts Unix sockets in the
    sandbox's TMPDIR (forkserver, managers), and a socket path may not exceed 104-108 bytes."""
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else tempfile.gettempdir()


def held(folder: Path) -> int:
    """An open descriptor of ``folder`` with an ``flock`` on it: the folder is in use while it is
    open (the kernel lets go of it when this process ends, however it ends)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def remove_abandoned(temp: str) -> list[str]:
    """Remove the folders of sandboxes that a killed grader (SIGKILL, the OOM killer) left behind,
    each with a copy of a student's file; return their names. A folder that nobody ``held``, and
    that is older than any grading can be, has no grader left."""
    removed = []
    with os.scandir(temp) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if not entry.name.startswith(TEMP_PREFIX) or not entry.is_dir(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                if info.st_uid != os.geteuid() or time.time() - info.st_mtime < ABANDONED_AFTER:
                    continue
                fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if a grader still holds it
                    shutil.rmtree(entry.path)
                    removed.append(entry.name)
                finally:
                    os.close(fd)
    return removed


@functools.cache
def _remove_abandoned_once(temp: str) -> None:
    remove_abandoned(temp)


class Sandbox:
    """One running sandbox: its files, its runner, and the socket to it."""

    open = 0  #: sandboxes of this process that share its user, now
    lock = threading.Lock()

    def __init__(self, job: Job) -> None:
        self.module, self.filename, self.source = job.module, job.filename, job.source
        self.limits = job.limits
        self.level = job.level
        temp = short_temp()
        _remove_abandoned_once(temp)
        self.layout = Layout(Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{job.module[:4]}-", dir=temp)), job.coverage)
        self.held = held(self.layout.root)
        self.stopped: Stop | None = None
        self.killed = 0
        self.counted = False  #: in ``Sandbox.open``
        self.deadline = time.monotonic() + job.limits.deadline * job.limits.time_scale
        self.given_back = 0.0  #: seconds the deadline grew by (``_give_back``)
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - the runner's own errors, read only if it fails to start

    # --- start and stop --------------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        try:
            self._prepare()
            self._start()
        except BaseException:
            self._teardown()
            raise
        return self

    def __exit__(self, kind: object = None, *exc: object) -> None:
        self._teardown(ended_well=kind is None and self.stopped is None)

    def _prepare(self) -> None:
        layout = self.layout
        shutil.copytree(compiled_scenarios(), layout.lib / isolation.PACKAGE)
        if layout.coverage is not None:  # selfcheck: coverage itself, and nothing else of the grader's environment
            import coverage

            shutil.copytree(
                Path(coverage.__file__).parent, layout.lib / "coverage", ignore=shutil.ignore_patterns("__pycache__")
            )
        for path in (layout.lib, *layout.lib.rglob("*")):  # every user's to read: the sandbox's user's too
            path.chmod(0o755 if path.is_dir() else 0o644)
        # the student's file and what the sandbox writes are no other user's to read, at any moment;
        # ``_start`` lets the sandbox's own user in, when it has one
        layout.submission.mkdir(mode=0o700)
        copy = os.open(layout.submission / self.filename, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(copy, "wb") as written:
            written.write(self.source)
        layout.scratch.mkdir(mode=0o700)
        layout.root.chmod(0o711)

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        self.sock = ours
        scale = self.limits.time_scale
        limits = {
            "memory_mb": self.limits.memory_mb,
            "cpu_seconds": self.limits.cpu_seconds,
            "file_size_mb": self.limits.file_size_mb,
            "nproc": self._nproc(),
        }
        runner = [
            "--module",
            self.module,
            "--limits",
            json.dumps(limits),
            "--output-limit",
            str(self.limits.output_kb * 1024),
            "--cpus",
            str(self.limits.cpus),
        ]
        self.launch: Launch = isolation.launch(self.level, self.layout, runner, theirs.fileno())
        uid = self.launch.sandbox_uid
        if uid is not None:  # the file is this sandbox's alone: another student's sandbox, another uid, cannot read it
            for path, mode in ((self.layout.submission, 0o750), (self.layout.submission / self.filename, 0o640)):
                os.chown(path, 0, uid)
                path.chmod(mode)
            if self.level is Isolation.UID:  # (in namespaces, the sandbox writes to a tmpfs of its own)
                os.chown(self.layout.scratch, uid, uid)
        if self.layout.coverage is not None and uid is not None:
            for path in (self.layout.coverage, *self.layout.coverage.rglob("*")):
                os.chown(path, uid, uid)
        user = self.launch.user
        try:
            self.process = subprocess.Popen(
                self.launch.argv,
                env=self.launch.env,
                cwd=self.layout.root if user is None else "/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.stderr,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
                user=user,
                group=user,
                extra_groups=[] if user is not None else None,
            )
        finally:
            theirs.close()
        self.sock.settimeout(START_TIMEOUT * scale)
        try:
            self.ready = records.receive(self.sock, Ready)
        except (OSError, EOFError, records.Malformed) as error:
            raise GraderError(f"the {self.level.value} sandbox did not start ({error}):\n{self._log()}") from None
        self.sock.settimeout(None)
        self.runner = self._find_runner()
        if self.level is Isolation.NAMESPACES:
            # held open until the sandbox is gone: the kernel gives a freed namespace's number to the
            # next namespace made (another student's sandbox), so only a namespace kept alive can be
            # told by its number
            self.namespace_fd = os.open(f"/proc/{self.runner}/ns/pid", os.O_RDONLY)
            self.namespace = os.fstat(self.namespace_fd).st_ino
            self.runner_fd = os.pidfd_open(self.runner)

    def _nproc(self) -> int:
        """RLIMIT_NPROC counts every process of the user: a sandbox user of its own needs room
        only for its own; one that shares the grader's user, for the grader's processes too, and
        for those of the grader's other sandboxes (start methods and exercises side by side)."""
        room = self.limits.max_processes + 4
        if os.geteuid() == 0:
            return room
        mine = sum(1 for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == os.getuid())
        with Sandbox.lock:
            Sandbox.open += 1
            self.counted, sharing = True, Sandbox.open
        return mine + room * sharing

    def _find_runner(self) -> int:
        """The runner's pid on the host: the sandbox's first process (under bwrap, its child)."""
        if self.level is not Isolation.NAMESPACES:
            return self.process.pid
        children = psutil.Process(self.process.pid).children()
        if len(children) != 1:
            raise GraderError(f"bubblewrap started {len(children)} processes, not the runner alone")
        return int(children[0].pid)

    def _log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read(LOG_LIMIT).decode(errors="replace")

    def _teardown(self, ended_well: bool = False) -> None:
        if os.environ.get("MPGRADE_DEBUG") and not self.stderr.closed:
            print(self._log(), file=sys.stderr)
        process = getattr(self, "process", None)
        if hasattr(self, "sock"):
            if process is not None and ended_well and self.level is Isolation.PROCESS:
                # no more requests: the runner ends the resource tracker, which unlinks the semaphores that
                # killed processes left in the machine's /dev/shm (a namespace has its own; the uid level
                # removes its user's itself), then ends, which closes its side of the socket
                with contextlib.suppress(OSError):
                    self.sock.shutdown(socket.SHUT_WR)
                    select.select([self.sock], [], [], RUNNER_END * self.limits.time_scale)
            self.sock.close()
        survivors = []
        if process is not None:
            self.killed += tree.kill_all(self._members)
            runner_fd = getattr(self, "runner_fd", None)  # none if the sandbox failed before it was known
            if runner_fd is not None:
                with contextlib.suppress(OSError):  # by its pidfd: never another process with its pid
                    signal.pidfd_send_signal(runner_fd, signal.SIGKILL)  # the kernel kills the namespace's rest
            if self.level is Isolation.NAMESPACES:
                with contextlib.suppress(OSError):
                    process.kill()
            process.wait()
            survivors = [p.pid for p in self._members()]
        self.stderr.close()
        for fd in (getattr(self, "runner_fd", None), getattr(self, "namespace_fd", None)):
            if fd is not None:
                os.close(fd)
        if self.counted:
            with Sandbox.lock:
                Sandbox.open -= 1
        launch = getattr(self, "launch", None)
        if self.level is Isolation.UID and launch is not None and launch.sandbox_uid is not None:
            _remove_shared_memory(launch.sandbox_uid)
        shutil.rmtree(self.layout.root, ignore_errors=True)
        os.close(self.held)
        if survivors:
            raise GraderError(
                f"processes {survivors} of the {self.module} sandbox survived the grader's kill: "
                "stop them by hand and report this bug"
            )

    def _members(self) -> list[psutil.Process]:
        """Every living process of the sandbox, the runner included, found by what the level allows."""
        found: dict[int, psutil.Process] = {}
        with contextlib.suppress(psutil.Error):
            found[self.process.pid] = psutil.Process(self.process.pid)
        found.update((p.pid, p) for p in tree.descendants(self.process.pid))
        launch = getattr(self, "launch", None)
        if self.level is Isolation.NAMESPACES and getattr(self, "namespace", None) is not None:
            found.update((p.pid, p) for p in tree.in_namespace(self.namespace))
        if launch is not None and launch.sandbox_uid is not None:
            found.update((p.pid, p) for p in tree.of_user(launch.sandbox_uid))
        if self.level is Isolation.PROCESS and launch is not None:
            found.update((p.pid, p) for p in tree.of_session_or_token(self.process.pid, launch.token))
        found.pop(os.getpid(), None)
        return tree.living(found.values())

    # --- one scenario ----------------------------------------------------------------------------

    def run(self, request: Request, cancel: threading.Event) -> Report:
        """Send ``request``; wait for its report, watching the sandbox's limits meanwhile."""
        try:
            records.send(self.sock, request)
        except OSError:
            return self._lose(request)
        timed_out = time.monotonic() + request.timeout
        backstop = timed_out + request.cpu_wait + BACKSTOP * self.limits.time_scale
        stop: Stop | None = None
        stuck = Stuck(request.timeout)
        while not cancel.is_set():
            ready, _, _ = select.select([self.sock], [], [], POLL)
            if ready:
                try:
                    report = records.receive(self.sock, Report)
                except (OSError, EOFError, records.Malformed):
                    return self._lose(request)
                if (report.scenario, report.method) != (request.scenario, request.method):
                    return self._lose(request)
                self._give_back(min(max(report.waited, 0.0), request.cpu_wait))
                if stop is not None:
                    report = dataclasses.replace(report, outcome=Outcome.STOPPED, stop=stop, dumps=())
                return report
            if stop is None:
                stop = self._over_limits()
            if stop is None and stuck.now(tree.descendants(self.runner)):
                with contextlib.suppress(OSError):
                    records.send(self.sock, Expire(request.scenario, request.method))
            now = time.monotonic()
            if now > self.deadline:
                return self._end(request, Stop.DEADLINE)
            # a runner still stopped once the scenario's time is up cannot end it: no use waiting
            # out the backstop (it is there for a runner too busy to answer, not for a frozen one)
            if now > backstop or (now > timed_out and tree.stopped(self.runner)):
                return self._end(request, Stop.RUNNER_LOST)
        return self._end(request, Stop.RUNNER_LOST)

    def _give_back(self, waited: float) -> None:
        """The time a check's processes waited for a CPU, given back to the exercise too (up to
        ``load_allowance`` times the deadline): on a busy machine, code that runs out its checks'
        time reaches the deadline no sooner than on a quiet one."""
        most = self.limits.longest - self.limits.deadline * self.limits.time_scale
        given = min(waited, most - self.given_back)
        self.given_back += given
        self.deadline += given

    def _over_limits(self) -> Stop | None:
        """Kill the scenario's processes (not the runner) if together they break a limit."""
        family = tree.descendants(self.runner)
        if len(family) > self.limits.max_processes:
            stop = Stop.PROCESSES
        elif tree.memory_mb(family) > self.limits.tree_memory_mb:
            stop = Stop.MEMORY
        else:
            return None
        self.killed += tree.kill_all(lambda: tree.descendants(self.runner))
        return stop

    def _lose(self, request: Request) -> Report:
        return self._end(request, Stop.RUNNER_LOST)

    def _end(self, request: Request, stop: Stop) -> Report:
        """The sandbox cannot go on: kill it now; this request was stopped, the rest will not run."""
        self.stopped = stop
        self.killed += tree.kill_all(self._members)
        return Report(request.scenario, request.method, Outcome.STOPPED, stop=stop)


class Stuck:
    """Every process of the scenario waiting for good, unchanged for a while: a deadlock. Said once."""

    def __init__(self, horizon: float) -> None:
        self.horizon = horizon  #: seconds the check may run: a wait at least this long is a wait for good
        self.seen: deadlock.Snapshot | None = None
        self.since = 0.0
        self.said = False

    def now(self, family: list[psutil.Process]) -> bool:
        taken = deadlock.snapshot([process.pid for process in family], self.horizon)
        if not deadlock.deadlocked(self.seen, taken):
            self.seen, self.since = taken, time.monotonic()
            return False
        if self.said or time.monotonic() - self.since < DEADLOCK_WINDOW:
            return False
        self.said = True
        return True


def _remove_shared_memory(uid: int) -> None:
    """Semaphores and shared memory a killed process of the sandbox's user left in /dev/shm."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        return
    for path in shm.iterdir():
        try:
            if path.lstat().st_uid == uid:
                path.unlink()
        except OSError:
            pass
