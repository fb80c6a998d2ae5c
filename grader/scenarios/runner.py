"""The sandbox's runner: its first process, which runs each scenario in a fresh process of its own.

The judge starts it with a socket (``--fd``) and sends it ``Request``s, one at a time;
for each, the runner forks a scenario process, which imports the student's module, runs the
scenario and writes back a ``Report``. The runner never imports the student's module itself and
runs none of its code: it watches the scenario process's time, collects what its processes print,
asks every one of them for its stack when time runs out, and then kills every process but itself,
so each scenario starts from nothing.

In a PID namespace the runner is process 1: no process inside can signal it (the kernel drops
signals to init that it has no handler for) or trace it (it is not dumpable), and when it ends
the kernel ends every process in the namespace.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import importlib
import json
import multiprocessing
import os
import resource
import select
import signal
import socket
import stat
import sys
import time
import traceback
from _operator import _compare_digest as compare_digest  # hmac's, without hmac's OpenSSL
from collections.abc import Callable, Iterator
from pathlib import Path

from . import child, cpython, guard, probes, processes, records, unpickling
from .records import Call, Dump, Expire, Frame, Outcome, Phase, Raised, Ready, Report, Request
from .scenario import REGISTRY, Tools
from .student import Student, UnusableError
from .trace import Tracer

CHUNK = 1 << 16
DUMP_LIMIT = 64 * 1024  # bytes read from one process's stack dump
DUMP_PATIENCE = 1.0  # seconds to wait for every process to write its stacks
EXIT_GRACE = 2.0  # seconds a scenario process may take to exit after its report
TRACKER_PATIENCE = 1.0  # seconds the resource tracker may take to unlink what killed processes left
WAIT_STEP = 0.05  # seconds of waiting for a CPU worth growing a scenario's time by: fewer looks at /proc
NONCE = 16  # bytes that start a scenario process's report
CALLS = ".calls"  # the scenario process's calls so far, one per line: what the report holds if time runs out
IMPORTED = ".imported"  # the scenario process leaves this in its folder once the student's module is imported
PR_SET_CHILD_SUBREAPER, PR_SET_DUMPABLE = 36, 4


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    if options.drop_to is not None:
        os.setgroups([])
        os.setgid(options.drop_to)
        os.setuid(options.drop_to)
    harden()
    apply_limits(json.loads(options.limits))
    judge = socket.socket(fileno=options.fd)
    os.set_inheritable(options.fd, False)
    runner = Runner(options, judge)
    records.send(judge, Ready(os.getpid(), os.getuid(), sys.version.split()[0]))
    for request in requests(judge):
        records.send(judge, runner.run(request))
    runner.end_tracker()
    runner.sweep(tracker_too=True)
    judge.close()  # done: the grader, which waits for this, need not wait for this interpreter's own end
    return 0


def requests(judge: socket.socket) -> Iterator[Request]:
    """The judge's requests, until it closes the connection. An ``Expire`` read here came too late:
    the judge sent it while the scenario it would stop was ending (timed out, or reported)."""
    while True:
        try:
            message = records.receive(judge, Request | Expire)  # type: ignore[arg-type]
        except EOFError:
            return
        if isinstance(message, Request):
            yield message


@dataclasses.dataclass(frozen=True)
class Options:
    """The runner's command line, which ``grader.sandbox`` writes (``--output-limit 8192``): read
    without argparse, which would cost every sandbox 10 ms to import."""

    fd: int  #: the socket to the judge
    module: str  #: the student's module name
    submission: str  #: the folder that holds the student's file
    work: str  #: a writable folder for the scenarios
    dumps: str  #: where processes write their stacks
    scope: str  #: namespace, uid or session
    limits: str  #: JSON: memory_mb, cpu_seconds, file_size_mb, nproc
    output_limit: int  #: characters of output kept per scenario
    drop_to: int | None = None  #: the uid (and gid) to run as, when started as root
    cpus: int = 4  #: the cores every process of the sandbox is told it has


SCOPES = ("namespace", "uid", "session")


def parse(argv: list[str] | None) -> Options:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) % 2:
        raise SystemExit(f"runner: expected --name value pairs: {argv}")
    types = {field.name: field.type for field in dataclasses.fields(Options)}
    values: dict[str, object] = {}
    for flag, text in zip(argv[::2], argv[1::2], strict=True):
        name = flag.removeprefix("--").replace("-", "_")
        if not flag.startswith("--") or name not in types:
            raise SystemExit(f"runner: unknown option {flag!r}")
        values[name] = int(text) if str(types[name]).startswith("int") else text
    try:
        options = Options(**values)  # type: ignore[arg-type]
    except TypeError as error:  # a required option missing
        raise SystemExit(f"runner: {error}") from None
    if options.scope not in SCOPES:
        raise SystemExit(f"runner: --scope is one of {SCOPES}, not {options.scope!r}")
    return options


def harden() -> None:
    """Nothing in the sandbox may trace this process, read its memory or stop it with a signal."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans of the scenarios come to us
    for signum in catchable():
        with contextlib.suppress(OSError, ValueError):
            signal.signal(signum, signal.SIG_IGN)


def catchable() -> list[signal.Signals]:
    return [s for s in signal.Signals if s not in (signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD)]


def apply_limits(limits: dict[str, int]) -> None:
    """Per-process OS limits, inherited by every process of the sandbox. Hard equals soft, so no
    process can raise them again; past the soft CPU limit comes SIGXCPU, which says why."""
    megabyte = 1024 * 1024
    wanted = {
        "RLIMIT_AS": limits["memory_mb"] * megabyte,
        "RLIMIT_CPU": limits["cpu_seconds"],
        "RLIMIT_FSIZE": limits["file_size_mb"] * megabyte,
        "RLIMIT_CORE": 0,
    }
    if limits.get("nproc"):
        wanted["RLIMIT_NPROC"] = limits["nproc"]
    for name, value in wanted.items():
        hard = value + 2 if name == "RLIMIT_CPU" else value
        # not enforceable everywhere (RLIMIT_AS on macOS): the judge's watch remains
        with contextlib.suppress(AttributeError, ValueError, OSError):
            resource.setrlimit(getattr(resource, name), (value, hard))


class Runner:
    def __init__(self, options: Options, judge: socket.socket) -> None:
        self.options = options
        self.judge = judge
        self.dumps = Path(options.dumps)
        self.work = Path(options.work)
        self.dumps.mkdir(parents=True, exist_ok=True)
        self.work.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.tracker: int | None = None
        # every process from here on writes its stacks on SIGUSR1: forked ones through this hook,
        # spawned ones when they import their parent's __main__, which is ``child``
        os.environ[child.DUMPS] = str(self.dumps)
        child.install_dumps(str(self.dumps), now=False)

    # --- one scenario ----------------------------------------------------------------------------

    def run(self, request: Request) -> Report:
        started = time.monotonic()
        # the scenario's module, imported here once: every scenario process inherits it
        importlib.import_module(f"{__package__}.{request.scenario.split('.')[0]}")
        if request.method != "fork" or self.tracker is not None:
            self.share_tracker()
        self.count += 1
        work = self.work / f"s{self.count}"
        work.mkdir()
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        # the scenario process's report starts with this: code of the student's that writes to the
        # pipe by itself cannot know it (it is nowhere but in that process's own frames)
        nonce = os.urandom(NONCE)
        pid = os.fork()
        if pid == 0:  # the scenario process
            os.close(result_r)
            os.close(output_r)
            os.close(self.judge.detach())
            scenario_process(request, self.options, work, result_w, output_w, nonce)
        os.close(result_w)
        os.close(output_w)
        watch = Watch(pid, result_r, output_r, self.options.output_limit, nonce, self.judge)
        timed_out = not watch.until(started + request.timeout, lambda: self.cpu_wait(request))
        dumps = self.collect_dumps(pid) if timed_out else ()
        report = watch.report(request)
        left = set(self.members()) - set(report.helpers) - {pid}
        self.sweep()
        watch.drain()
        seconds = time.monotonic() - started
        for path in list(self.dumps.iterdir()):
            with contextlib.suppress(OSError):
                path.unlink()
        phase = Phase.CALL if (work / IMPORTED).exists() else Phase.IMPORT
        if timed_out:
            report = Report(request.scenario, request.method, Outcome.TIMED_OUT, phase, dumps=dumps,
                            deadlock=watch.expired, calls=calls_so_far(work / CALLS))  # fmt: skip
        elif report.outcome is Outcome.CRASHED:
            report = dataclasses.replace(report, phase=phase)
        remove(work)
        return dataclasses.replace(
            report,
            status=watch.status,
            output=watch.output.text(),
            output_cut=watch.output.cut,
            seconds=seconds,
            leftover=0 if timed_out else len(left),
            waited=watch.waited,
        )

    def cpu_wait(self, request: Request) -> float:
        """The longest any process of the scenario has waited for a CPU, up to what the request
        allows. Every one of them started during the scenario, so its count started there too; one
        that ended takes its count with it (it no longer holds the scenario up)."""
        waits = (processes.cpu_wait(pid) for pid in self.members())
        return min(request.cpu_wait, max(waits, default=0.0))

    # --- the processes of the sandbox -----------------------------------------------------------

    def share_tracker(self) -> None:
        """Start multiprocessing's resource tracker here, once, for every scenario process to inherit.

        Under spawn and forkserver, the first semaphore a process makes starts a tracker: a Python
        process of its own, which costs as much as a spawned child, once per scenario. Its work
        (removing the named semaphores that killed processes leave) spans scenarios anyway, and it
        runs no code of the student's; the sweeps spare it, and the last one ends it."""
        with contextlib.suppress(Exception):  # a no-op while it lives; a new one if the student's code killed it
            multiprocessing.resource_tracker.ensure_running()
        self.tracker = cpython.tracker_pid()

    def end_tracker(self) -> None:
        """End the shared resource tracker as the end of any program would, once the sweeps have
        killed every other holder of its pipe: it then unlinks the named semaphores the killed
        processes left. Killed instead, it would leave them in ``/dev/shm``, which at the process
        level is the machine's (a ``grade all`` left a hundred). Waited for up to a bound."""
        pid = cpython.end_tracker_pipe() if self.tracker is not None else None
        deadline = time.monotonic() + TRACKER_PATIENCE
        while pid is not None and time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] != 0:
                    return
            except ChildProcessError:  # reaped already
                return
            time.sleep(0.005)

    def members(self, tracker_too: bool = False) -> list[int]:
        """Every process of the sandbox but this one (and but the shared tracker, unless asked)."""
        me = os.getpid()
        listing = processes.listing()
        scope = self.options.scope
        if scope == "namespace":
            found = {proc.pid for proc in listing}
        else:
            found = {proc.pid for proc in processes.descendants(me, listing)}
            found |= {proc.pid for proc in listing if proc.sid == os.getsid(0)}
            if scope == "uid":
                found |= {proc.pid for proc in listing if proc.uid == os.getuid()}
        living = {proc.pid for proc in listing if not proc.zombie}
        spared = {me} if tracker_too or self.tracker is None else {me, self.tracker}
        return sorted((found & living) - spared)

    def sweep(self, tracker_too: bool = False) -> int:
        killed = processes.kill_all(lambda: self.members(tracker_too))
        if self.tracker is not None and not tracker_too:  # the student's code may have stopped it
            with contextlib.suppress(OSError):
                os.kill(self.tracker, signal.SIGCONT)
        processes.reap()
        return killed

    def collect_dumps(self, main: int) -> tuple[Dump, ...]:
        """Ask every process for its stacks (faulthandler, registered on SIGUSR1 by ``child``)."""
        pids = self.members()
        sizes: dict[int, int] = {}
        for pid in pids:
            path = self.dumps / f"{pid}.txt"
            with contextlib.suppress(OSError):
                sizes[pid] = path.stat().st_size
                os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + DUMP_PATIENCE
        previous: dict[int, int] = {}
        while time.monotonic() < deadline:
            now = {pid: _size(self.dumps / f"{pid}.txt") for pid in sizes}
            if all(now[pid] > sizes[pid] and previous.get(pid) == now[pid] for pid in sizes):
                break
            previous = now
            time.sleep(0.02)
        dumps = []
        for pid in pids:
            if pid in sizes:
                text = read_regular(self.dumps / f"{pid}.txt", sizes[pid], DUMP_LIMIT)
                dumps.append(Dump(pid, text, main=pid == main))
            else:
                dumps.append(Dump(pid, "", main=pid == main, command=command_of(pid)))
        return tuple(dumps)


class Output:
    """What the processes printed, kept up to a limit; the rest is counted and dropped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept = bytearray()
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        room = max(0, self.limit * 4 - len(self.kept))  # bytes: a character is at most 4
        self.kept += chunk[:room]
        self.dropped += len(chunk) - min(room, len(chunk))

    def text(self) -> str:
        text = self.kept.decode("utf-8", errors="replace")
        return text[: self.limit]

    @property
    def cut(self) -> int:
        text = self.kept.decode("utf-8", errors="replace")
        return max(0, len(text) - self.limit) + self.dropped


class Watch:
    """The scenario process from the runner's side: its report, its output, its end."""

    def __init__(
        self, pid: int, result: int, output: int, output_limit: int, nonce: bytes, judge: socket.socket
    ) -> None:
        self.pid = pid
        self.nonce = nonce
        self.judge = judge
        self.expired = False  #: the judge said to stop now
        self.result_fd, self.output_fd = result, output
        self.result = bytearray()
        self.output = Output(output_limit)
        self.status: int | None = None
        self.waited = 0.0  #: seconds the scenario's time grew by: its processes waited this long for a CPU
        self.open = {result, output}
        for fd in self.open:
            os.set_blocking(fd, False)

    def until(self, deadline: float, cpu_wait: Callable[[], float] = lambda: 0.0) -> bool:
        """Wait until the scenario process has reported and ended; False if time ran out. Once it
        is up, the time grows by ``cpu_wait()`` (asked again as the new time is up, while it grows):
        what a busy machine took from the scenario's processes is given back."""
        reported_at: float | None = None
        while True:
            ended = processes.reap()
            if self.pid in ended:
                self.status = ended[self.pid]
            if self.complete() and reported_at is None:
                reported_at = time.monotonic()
            if self.status is not None or (reported_at is not None and time.monotonic() > reported_at + EXIT_GRACE):
                self.read(self.result_fd)
                return True
            left = deadline + self.waited - time.monotonic()
            if left <= 0:
                waited = cpu_wait()
                if waited < self.waited + WAIT_STEP:
                    return False
                self.waited = waited
                continue
            # a process's end wakes no select (its children may hold the pipes): look often
            watched = [*self.open, self.judge.fileno()]
            ready, _, _ = select.select(watched, [], [], min(0.002 if reported_at else 0.02, left))
            if self.judge.fileno() in ready:  # the only thing the judge sends mid-scenario: stop it
                with contextlib.suppress(EOFError, OSError, records.Malformed):
                    records.receive(self.judge, Expire)
                self.expired = True
                return False
            for fd in ready:
                self.read(fd)

    def read(self, fd: int) -> None:
        while fd in self.open:
            try:
                chunk = os.read(fd, CHUNK)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.open.discard(fd)
                os.close(fd)
                return
            if fd == self.output_fd:
                self.output.add(chunk)
            elif len(self.result) <= records.MAX_MESSAGE + records.HEADER.size + NONCE:
                self.result += chunk

    def drain(self) -> None:
        """After the sweep every writer is gone: read what is left."""
        for fd in list(self.open):
            os.set_blocking(fd, True)
            self.read(fd)

    def complete(self) -> bool:
        start = NONCE + records.HEADER.size
        if len(self.result) < start:
            return False
        size: int = records.HEADER.unpack_from(self.result, NONCE)[0]
        return len(self.result) >= start + size

    def report(self, request: Request) -> Report:
        """The scenario process's report; if it has none (it ended early), a crash."""
        if self.complete() and compare_digest(bytes(self.result[:NONCE]), self.nonce):
            start = NONCE + records.HEADER.size
            size = records.HEADER.unpack_from(self.result, NONCE)[0]
            body = bytes(self.result[start : start + size])
            try:
                report: Report = records.decode(Report, json.loads(body))
                if (report.scenario, report.method) == (request.scenario, request.method):
                    return report
            except (ValueError, records.Malformed):
                pass
        return Report(request.scenario, request.method, Outcome.CRASHED)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_regular(path: Path, offset: int, limit: int) -> str:
    """Read a file the sandbox's processes could have replaced: only a regular file, only so much."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, limit).decode("utf-8", errors="replace")
    except OSError:
        return ""
    finally:
        os.close(fd)


def calls_so_far(path: Path) -> tuple[Call, ...]:
    """The calls the scenario process wrote down before it was stopped; whatever is not a call, skipped."""
    found = []
    for line in read_regular(path, 0, 1 << 20).splitlines():
        with contextlib.suppress(ValueError, records.Malformed):
            found.append(records.decode(Call, json.loads(line), "call"))
    return tuple(found)


def command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            parts = cmdline.read(400).split(b"\0")
        return " ".join(part.decode(errors="replace") for part in parts[:3] if part)
    except OSError:
        return ""


def remove(folder: Path) -> None:
    import shutil

    def readable(top: Path) -> None:  # listed by nobody while the scenario ran (Tools.folder, probes.keep)
        with contextlib.suppress(OSError):
            top.chmod(0o700)
            for entry in top.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    readable(entry)

    readable(folder / ".probes")
    shutil.rmtree(folder, ignore_errors=True)


# --- the scenario process ---------------------------------------------------------------------


def scenario_process(request: Request, options: Options, work: Path, result: int, output: int, nonce: bytes) -> None:
    """Runs in the forked scenario process; never returns."""
    report = Report(request.scenario, request.method, Outcome.CRASHED)
    try:
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for signum in catchable():  # what a Python program normally starts with
            if signum != signal.SIGUSR1:  # faulthandler's, registered again at fork by ``child``
                with contextlib.suppress(OSError, ValueError):
                    signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the file size limit a write fails instead
        os.chdir(work)
        # spawned and forkserver children import their parent's __main__ first: make it what every
        # process of the sandbox starts with (instead of the runner itself)
        sys.modules["__main__"] = child
        os.environ[child.CPUS] = str(options.cpus)  # inherited by spawned children, which boot with it too
        os.environ[unpickling.MODULE] = options.module  # what a pickle may name: ``unpickling``
        child.boot(guarded=False)
        multiprocessing.set_start_method(request.method, force=True)
        # the fork server's children inherit the probes they would otherwise each import, and take the key
        multiprocessing.set_forkserver_preload(["__main__", f"{__package__}.probes", f"{__package__}.keyed"])
        report = run_scenario(request, options, work)
    except BaseException as error:  # noqa: BLE001 - whatever happens, the runner gets a report
        report = Report(request.scenario, request.method, Outcome.RAISED, Phase.CALL, raised=raised(error))
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(Exception):
            body = json.dumps(records.encode(report), ensure_ascii=False).encode()
            if len(body) > records.MAX_MESSAGE:  # an observation this large is the student's doing
                body = json.dumps(records.encode(Report(request.scenario, request.method, Outcome.CRASHED))).encode()
            message = nonce + records.HEADER.pack(len(body)) + body
            while message:
                message = message[os.write(result, message) :]
        os._exit(0)


def run_scenario(request: Request, options: Options, work: Path) -> Report:
    scenario = REGISTRY[request.scenario]
    params = records.decode(scenario.params, request.params, "params")
    student_file = os.path.join(options.submission, f"{options.module}.py")
    tracer = Tracer(student_file, str(work / CALLS))
    tracer.install()
    tools = Tools(tracer, work, request.gate_timeout, request.hold_timeout, frozenset(request.patient_lines))
    phase = Phase.IMPORT
    probes.new_key()  # before the student's module: no pickle of its can bring a key of its own first
    guard.install()  # from here on, code may be the student's
    try:
        module = importlib.import_module(options.module)
        (work / IMPORTED).touch()
        phase = Phase.CALL
        observed = scenario.function(Student(module), params, tools)
    except UnusableError as missing:
        return Report(request.scenario, request.method, Outcome.UNUSABLE, phase, unusable=missing.record)
    except BaseException as error:  # noqa: BLE001 - any exception of the student's code is graded
        return Report(
            request.scenario, request.method, Outcome.RAISED, phase, raised=raised(error), calls=tuple(tracer.calls)
        )
    return Report(
        request.scenario,
        request.method,
        Outcome.RETURNED,
        phase,
        observed=records.encode(observed),
        helpers=tuple(sorted(cpython.helper_pids())),
    )


def raised(error: BaseException) -> Raised:
    """An exception described as data; nothing of it is called that could raise again."""
    try:
        message = str(error)[:2000]
    except BaseException:  # noqa: BLE001 - a student's __str__
        message = "?"
    frames = tuple(
        Frame(frame.filename, frame.lineno or 0, frame.name)
        for frame in traceback.extract_tb(error.__traceback__, limit=60)
    )
    code = None
    if isinstance(error, SystemExit):
        try:
            code = repr(error.code)[:200]
        except BaseException:  # noqa: BLE001
            code = "?"
    remote = ""
    cause = error.__cause__
    if cause is not None and type(cause).__name__ == "RemoteTraceback":
        with contextlib.suppress(BaseException):
            remote = str(cause)[:8000]
    errno = getattr(error, "errno", None) if isinstance(error, OSError) else None
    return Raised(
        type(error).__name__,
        type(error).__module__,
        message,
        frames,
        code,
        errno if isinstance(errno, int) else None,
        remote,
    )


if __name__ == "__main__":
    sys.exit(main())
