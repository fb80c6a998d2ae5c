"""Instruments the scenarios hand to a submission; most of them run in its child processes.

Everything that crosses into a child is a top-level function or class of this module, so it
pickles by reference under fork, spawn and forkserver alike. Probes report through small files in
a folder (not through queues or managers), so that a probe cannot deadlock on the very mistakes it
is there to observe, and the scenario can read what every process did after the fact.

The student's processes can reach those folders too (a probe's ``folder`` is a public field), so
every file a probe writes or looks for is named ``<name>.<mac>``: a MAC of the name under a key of
the scenario's (``signed``). The key is no probe's field (a probe's pickle is bytes the student's
code can read back from a pipe): it is a global of this module, which a forked child inherits and a
spawned one takes as it starts (``unpickling.carry_key``), before any code of the student's runs;
no name of the student's reaches this module. A file without the right
MAC is not seen: a submission cannot forge a note or a release, and cannot delete a note it
cannot name (the folder is unlistable, and a name never shows in ``/proc/self/fd``: files are
written under a temporary name, then renamed).

Where the order of events would otherwise be left to the scheduler, the probes take it out of
its hands: a target finishes only when the parent waits for it (``Release``), processes finish in
an order the scenario chooses, and a gate is broken at once when the parent can no longer let it
open. That makes each observation the same on every run, on any machine, under any load.
"""

from __future__ import annotations

import json
import os
import queue
import select
import sys
import threading
import time
from _blake2 import blake2s

from . import guard

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing, dataclasses and pathlib cost a spawned child 20 ms to import: kept out
    from collections.abc import Callable
    from types import FrameType
    from typing import Any, NoReturn

    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**options: object) -> object:
        return lambda function: function


# What the probes decide with, bound as this module is imported, before any code of the student's runs
# (in a child too: a spawned child imports this module before it unpickles its target, and a forked
# one inherits it): a target wrapped in the student's own function may replace ``os.path.exists``,
# which would make a release seem to exist (red team, round 17).
_probe_exists, _probe_join, _probe_stat = os.path.exists, os.path.join, os.stat
_probe_monotonic, _probe_sleep, _probe_time = time.monotonic, time.sleep, time.time

POLL = 0.002  # seconds between looks at a folder: cheap, and far below any timeout
ASLEEP = "asleep"  #: a release's note while the parent sleeps instead of waiting


class Sealed(type):
    """The metaclass of every object a scenario hands the student's code. Once ``seal``ed, a class
    cannot be changed: ``type(counter).get_lock = ...`` raises instead of silencing the probe. (The
    assignment is plain Python that no static check can tell from the student's own classes, and
    CPython raises no audit event for it.) The private names of these classes all start with
    ``_probe_``, which ``grader.reach`` refuses even on ``self``: a method of the student's own class
    may be called with a probe as its ``self``, and ``self._x`` would then reach inside it."""

    def __setattr__(cls, name: str, value: Any) -> None:
        cls._probe_refuse(name)
        super().__setattr__(name, value)

    def __delattr__(cls, name: str) -> None:
        cls._probe_refuse(name)
        super().__delattr__(name)

    def _probe_refuse(cls, name: str) -> None:
        if cls.__dict__.get("_sealed"):
            raise TypeError(f"{name!r} of an object the grader handed your code cannot be changed")


def seal(namespace: dict[str, Any]) -> None:
    """Seal every class made with ``Sealed`` in a module's namespace (after its decorators ran)."""
    for value in list(namespace.values()):
        if isinstance(value, Sealed) and "_sealed" not in value.__dict__:
            type.__setattr__(value, "_sealed", True)


SEAL = "_probe_seal"  #: the field of a frozen probe that vouches for the others (``frozen``)


@dataclass_transform(frozen_default=True)
def frozen(cls: Sealed) -> Sealed:
    """What ``@dataclass(frozen=True)`` would make of a probe (fields from its annotations, in order,
    with their defaults; equality; a repr; no assignment), without importing ``dataclasses``.

    One more field, the seal: a MAC of the others under the scenario's key, made when a scenario
    makes the probe, and carried by its copies (pickles). The student's code can make an object of
    the class with fields of its choosing (``type(target)(gate, my_release)``), but not its seal;
    what a probe does for whoever holds it (note a run, stand at a gate, let a target go on) it
    does only when sealed (``unsealed``)."""
    names = (*cls.__dict__.get("__annotations__", {}), SEAL)

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        given = {**dict(zip(names[: len(args)], args, strict=True)), **kwargs}
        for name in names[:-1]:
            object.__setattr__(self, name, given[name] if name in given else cls.__dict__[name])
        seal = given.get(SEAL, "")
        object.__setattr__(self, SEAL, seal or (_seal_of(self) if _made_by_a_scenario() else ""))

    def fields(self: object) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in names)

    def __setattr__(self: object, name: str, *value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __eq__(self: object, other: object) -> bool:
        return type(other) is type(self) and fields(other) == fields(self)

    def __hash__(self: object) -> int:
        return hash(fields(self))

    def __repr__(self: object) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names if not name.startswith("_probe_"))
        return f"{type(self).__name__}({shown})"

    def __reduce__(self: object) -> tuple[Any, ...]:
        return (type(self), fields(self))

    for method in (__init__, __setattr__, __eq__, __hash__, __repr__, __reduce__):
        setattr(cls, method.__name__, method)
    cls.__delattr__ = __setattr__  # type: ignore[assignment]
    return cls


# the folders whose code may call a probe's ``ours_only`` methods: the scenarios', and the kit's
# tests of the probes (``MPGRADE_PROBES_TRUSTED``, which a sandbox's environment never holds and the
# guard lets no student's code set)
_THIS_FILE = os.path.abspath(__file__)
_TRUSTED = {os.path.dirname(_THIS_FILE), *filter(None, [os.environ.get("MPGRADE_PROBES_TRUSTED")])}


def _made_by_a_scenario() -> bool:
    """Whether the code that makes a probe is a scenario's: not the student's (also not through a
    function of this module, ``Gate.create``), nor a pickle's (the unpickler is ours, but what it
    builds is what the pickle says, seal included)."""
    frame: FrameType | None = sys._getframe(2)  # _made_by_a_scenario <- __init__ <- the maker
    while frame is not None and os.path.abspath(frame.f_code.co_filename) == _THIS_FILE:
        frame = frame.f_back
    caller = os.path.abspath(frame.f_code.co_filename) if frame is not None else ""
    return os.path.dirname(caller) in _TRUSTED and os.path.basename(caller) != "unpickling.py"


def _seal_of(probe: Any) -> str:
    values = (getattr(value, SEAL, None) or repr(value) for name, value in vars(probe).items() if name != SEAL)
    text = repr((type(probe).__name__, *values))
    return blake2s(text.encode(), key=scenario_key(), digest_size=16).hexdigest()


def unsealed(probe: Any) -> bool:
    """A probe the student's code made (or a copy of one with other fields): it does nothing for it."""
    seal = getattr(probe, SEAL, "")
    return not seal or seal != _seal_of(probe)


def refuse_unsealed(probe: Any) -> None:
    if unsealed(probe):
        raise PermissionError(f"{type(probe).__name__}: this object of the grader's was remade with other values")


def ours_only(method: Any) -> Any:
    """A probe's method that only the scenarios call: what it does (release a target, stand at a
    gate) is what the probe is there to observe, and it signs with the probe's key. Called by any
    other code (the student's, or the standard library's on its behalf: a thread's target, ``map``),
    it raises."""

    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        caller = sys._getframe(1).f_code.co_filename
        if os.path.dirname(os.path.abspath(caller)) not in _TRUSTED:
            raise PermissionError(
                f"{method.__name__}() of an object the grader handed your code is the grader's to call"
            )
        refuse_unsealed(self)  # and the scenarios' own code calls it on what the student's code hands them
        return method(self, *args, **kwargs)

    guarded.__name__, guarded.__qualname__, guarded.__doc__ = method.__name__, method.__qualname__, method.__doc__
    return guarded


_KEY = b""  #: in the scenario's process: its key for the names of the probes' files (``signed``)


def new_key() -> bytes:
    """A fresh key, in the scenario's process before the student's module is imported."""
    global _KEY
    _KEY = os.urandom(16)
    return _KEY


def scenario_key() -> bytes:
    """The scenario's key, in its process and in every process it starts (a process that got none
    makes one of its own: its notes are then seen by no one)."""
    return _KEY or new_key()


def take_key(key: bytes) -> None:
    """In a spawned child, as it starts: its parent's key (``unpickling.carry_key``)."""
    global _KEY
    _KEY = key


def signed(name: str) -> str:
    return f"{name}.{blake2s(name.encode(), key=scenario_key(), digest_size=8).hexdigest()}"


def _unsigned(found: str) -> str | None:
    """The name a file of ours was signed with, or None for a file we did not write."""
    name = found.rpartition(".")[0]
    return name if name and signed(name) == found else None


def touch(*path: str) -> None:
    """Create the file ``path`` (signed), under another name first: its own never shows as open."""
    final = _probe_join(*path[:-1], signed(path[-1]))
    partial = _probe_join(*path[:-1], f".{os.getpid()}.{threading.get_ident()}.{time.monotonic_ns()}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT, 0o644))
        os.replace(partial, final)
    except OSError as error:
        _cannot_record(error)


def exists(*path: str) -> bool:
    return _probe_exists(_probe_join(*path[:-1], signed(path[-1])))


_KEPT: dict[str, int] = {}  #: in the scenario's process: a descriptor of each notes folder, opened as it was made


def keep(folder: str | os.PathLike[str], listable: bool = False) -> None:
    """In the scenario's process, as a notes folder is made: hold it open, and unless a child must
    list it, let no one list it by its path (the student's processes write there, but cannot see
    what is there to delete it). The scenario reads it through what it holds, which also tells a
    folder put in its place (``_listing``)."""
    path = os.fspath(folder)
    if path not in _KEPT:
        _KEPT[path] = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        if not listable:
            os.chmod(path, 0o300)


def _forget() -> None:
    """In a forked child: the scenario's descriptors are not the student's to list."""
    for fd in _KEPT.values():
        try:  # noqa: SIM105 - contextlib costs a spawned child its import
            os.close(fd)
        except OSError:
            pass
    _KEPT.clear()


os.register_at_fork(after_in_child=_forget)


def _listing(folder: str | os.PathLike[str]) -> tuple[list[str], int | None]:
    path = os.fspath(folder)
    fd = _KEPT.get(path)
    if fd is None:
        return os.listdir(path), None
    if _probe_stat(path).st_ino != os.fstat(fd).st_ino:
        raise RuntimeError("a folder of the grader's probes was replaced while the scenario ran")
    return os.listdir(fd), fd


def names(folder: str | os.PathLike[str], prefix: str = "") -> list[str]:
    """The names of the signed files in ``folder`` that start with ``prefix``, in order."""
    listed, _ = _listing(folder)
    found = (_unsigned(entry) for entry in listed if entry.startswith(prefix))
    return sorted(name for name in found if name is not None)


def note(folder: str | os.PathLike[str], name: str, **data: Any) -> None:
    """Write a small JSON record atomically, so a reader never sees half of it."""
    path = _probe_join(folder, signed(name))
    partial = _probe_join(folder, f".{os.getpid()}.{threading.get_ident()}.{time.monotonic_ns()}")
    try:
        with open(partial, "w") as file:
            file.write(json.dumps(data))
        os.replace(partial, path)
    except OSError as error:
        _cannot_record(error)


def _cannot_record(error: OSError) -> NoReturn:
    """A record the probes could not write ends the process: caught, the failure would lose what
    it saw, and the probes note each kind of thing once (red team 12: a limit of 0 open files
    around one unlocked write, after which no unlocked write was noted)."""
    reason = os.strerror(error.errno) if error.errno else type(error).__name__
    message = f"\nThe grader stopped this process: its probes could not record what it did ({reason}).\n"
    try:
        os.write(2, message.encode())
    finally:
        os._exit(guard.EXIT)


def notes(folder: str | os.PathLike[str], prefix: str) -> list[dict[str, Any]]:
    """Every record whose name starts with ``prefix``, in name order."""
    found = []
    _, fd = _listing(folder)
    for name in names(folder, prefix):
        try:
            opened = os.open(signed(name), os.O_RDONLY, dir_fd=fd) if fd is not None else None
            with open(opened if opened is not None else _probe_join(folder, signed(name))) as file:
                found.append(json.loads(file.read()))
        except (OSError, ValueError):
            continue
    return found


def wait_for(folder: str, name: str, timeout: float) -> bool:
    deadline = _probe_monotonic() + timeout
    while not exists(folder, name):
        if _probe_monotonic() > deadline:
            return False
        _probe_sleep(POLL)
    return True


WAKE = "wake"  #: the FIFO a gate's sleepers wait on


class GateBroken(Exception):
    """Not every party reached a gate in time: the processes did not run at the same time."""


@frozen
class Gate(metaclass=Sealed):
    """A one-shot barrier across processes: it opens once ``parties`` processes stand at it.

    It pickles as a folder name, so it travels in ``Process`` arguments, ``Pool`` tasks and the
    counter of exercise 3 under every start method (a ``multiprocessing.Barrier`` cannot ride in a
    Pool task). Each arrival leaves a file naming its PID, which proves that the parties were
    distinct processes alive at the same time: no timing is measured, only who arrived. The
    scenario breaks it at once (``break_now``) when the parent blocks in a way that means the
    missing parties can never come.
    """

    folder: str
    parties: int
    timeout: float  #: how long an early arrival waits for the others before giving up

    @classmethod
    def create(cls, folder: str | os.PathLike[str], parties: int, timeout: float) -> Gate:
        os.makedirs(_probe_join(folder, "arrived"))
        os.mkfifo(_probe_join(folder, WAKE))
        keep(_probe_join(folder, "arrived"), listable=True)  # every party counts the others
        keep(folder)
        return cls(os.fspath(folder), parties, timeout)

    @ours_only
    def arrive(self) -> None:
        """Wait until ``parties`` processes have arrived; raise ``GateBroken`` if they do not."""
        if self.broken:  # once broken, broken for every later arrival too
            raise GateBroken("the other processes gave up waiting for this one")
        # opened before standing: a wake-up written from then on waits in the FIFO for this process
        wake = os.open(_probe_join(self.folder, WAKE), os.O_RDWR | os.O_NONBLOCK)
        try:
            self.stand()
            deadline = _probe_monotonic() + self.timeout
            while not self.open:
                if self.broken or _probe_monotonic() > deadline:
                    self.break_now()
                    raise GateBroken(f"only {self.count} of {self.parties} processes were running at the same time")
                self._probe_sleep(wake)
        finally:
            os.close(wake)

    def _probe_sleep(self, wake: int) -> None:
        """Sleep until the gate opens or breaks, when a byte comes down ``wake``. The sleep is a
        ``poll`` of the gate's whole timeout (never a shorter one), which the deadlock detector reads
        as waiting for good: a gate whose parties are all blocked is then stopped at once, not
        at the end of the check's time."""
        poller = select.poll()
        poller.register(wake, select.POLLIN)
        if poller.poll(max(1, round(self.timeout * 1000))) and not (self.open or self.broken):
            try:  # a byte while neither open nor broken is not ours: taken away, or the poll spins
                taken = os.read(wake, 64)
            except BlockingIOError:
                taken = b"-"
            if not taken:  # not a FIFO any more
                _probe_sleep(POLL)

    def _probe_wake(self) -> None:
        """Wake every process sleeping at the gate; the byte stays until the last of them has gone."""
        try:
            wake = os.open(_probe_join(self.folder, WAKE), os.O_RDWR | os.O_NONBLOCK)
        except OSError:
            return
        try:
            os.write(wake, b"!")
        except OSError:
            pass  # full: a byte is already there
        finally:
            os.close(wake)

    @ours_only
    def stand(self) -> None:
        """Leave this process's (and thread's) mark at the gate, without waiting."""
        touch(self.folder, "arrived", f"{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}")
        if self.open:
            self._probe_wake()

    @property
    def count(self) -> int:
        """The processes that arrived: threads of one process, or one process arriving again, are one."""
        return len(set(self.arrival_pids()))

    @property
    def open(self) -> bool:
        return self.count >= self.parties

    @property
    def broken(self) -> bool:
        return exists(self.folder, "broken")

    @ours_only
    def break_now(self) -> None:
        if not self.open:
            touch(self.folder, "broken")
            self._probe_wake()

    def arrivals(self) -> list[tuple[int, int]]:
        """(PID, thread id) of each arrival: one PID with several threads means a thread pool."""
        found = names(_probe_join(self.folder, "arrived"))
        return sorted((int(pid), int(thread)) for pid, thread, _ in (name.split("-") for name in found))

    def arrival_pids(self) -> list[int]:
        return [pid for pid, _ in self.arrivals()]


@frozen
class Release(metaclass=Sealed):
    """Lets a child finish only when the parent waits for it.

    A target stands at ``hold(key)`` until the scenario, watching the parent's calls, releases it:
    when the parent joins that process, or waits on its sentinel. A parent that never waits leaves
    it standing, so it is still running when the parent returns, on every run. A target that finds
    itself in the parent's own process (a thread, a direct call) does not stand at all: there is no
    one to release it, and it is already wrong.
    """

    folder: str
    parent: int  #: the pid of the process that calls the student's function
    timeout: float  #: how long a target stands before it goes on by itself
    #: how long the parent's side waits for a process to come to its hold, or to end once released: as
    #: long as a check may run, since a loaded machine may take seconds to start a process (CI on record)
    patience: float

    @classmethod
    def create(cls, folder: str | os.PathLike[str], timeout: float, patience: float | None = None) -> Release:
        os.makedirs(folder, exist_ok=True)
        keep(folder)
        return cls(os.fspath(folder), os.getpid(), timeout, timeout if patience is None else patience)

    def hold(self, key: str, *, in_pool: bool = False) -> bool:
        """Stand until released; False if it went on by itself after ``timeout``, or did not stand:
        only in a ``Process`` the parent can wait for (not in a child of a bare ``os.fork()``; in a
        pool's worker only a pool's task, ``in_pool``) is there anyone to release it."""
        if unsealed(self):
            return False
        if os.getpid() == self.parent:
            return True
        import multiprocessing

        name = multiprocessing.current_process().name  # a bare fork's child keeps its parent's
        if name == "MainProcess" or ("PoolWorker" in name) != in_pool:
            return False
        touch(self.folder, f"arrived-{os.getpid()}")
        released, freed = signed(f"release-{key}"), signed(f"freed-{key}")
        left, then = self.timeout, _probe_monotonic()
        while not _probe_exists(_probe_join(self.folder, released)):
            now = _probe_monotonic()
            if not self._probe_long_asleep():  # the hold's time runs on
                left -= now - then
            then = now
            if _probe_exists(_probe_join(self.folder, freed)) or left < 0:
                return _probe_exists(_probe_join(self.folder, released))
            _probe_sleep(POLL)
        return True

    def _probe_long_asleep(self) -> bool:
        """Whether the parent has slept instead of waiting (neither looked at nor waited for a
        process since a sleep began) for half the hold or more: from then on, the hold's time stands
        still until it looks or waits. A poll's sleeps pass as the parent's time, as any other; a
        sleep instead of a wait cannot outlast the hold, however late the target began to stand. (A
        3 s sleep against a 2 s hold that began late on a loaded machine saw its processes end on
        some runs and not on others.)"""
        try:
            since = _probe_stat(_probe_join(self.folder, signed(ASLEEP))).st_mtime
        except OSError:
            return False
        return _probe_time() - since >= self.timeout / 2

    @ours_only
    def release(self, key: str) -> None:
        touch(self.folder, f"release-{key}")

    @ours_only
    def asleep(self, sleeping: bool) -> None:
        """The parent's code began to sleep instead of waiting, or looked or waited at last
        (``_probe_long_asleep``)."""
        if sleeping:
            touch(self.folder, ASLEEP)
        else:
            try:  # noqa: SIM105 - contextlib stays out of what a child imports
                os.remove(_probe_join(self.folder, signed(ASLEEP)))
            except OSError:
                pass

    @ours_only
    def free(self, key: str) -> None:
        """Let the target go on now, as if its time were up: the parent waits with a timeout as long
        as the hold, which would see it end whether or not it waited for good (and the judge says so)."""
        touch(self.folder, f"freed-{key}")

    def arrival(self, pid: int, sentinel: Any) -> None:
        """Wait until the process ``pid`` stands at a hold, or has ended: then a ``terminate()`` right
        after ``start()`` finds its target running on every run, never sometimes before it began."""
        from multiprocessing.connection import wait

        marker = _probe_join(self.folder, signed(f"arrived-{pid}"))
        deadline = _probe_monotonic() + self.patience
        while sentinel is not None and not _probe_exists(marker) and _probe_monotonic() < deadline:
            if wait([sentinel], timeout=POLL):
                return

    def released(self, key: str) -> bool:
        return exists(self.folder, f"release-{key}")

    def stood(self, pid: int) -> bool:
        """Whether the process ``pid`` stood at a hold of this release."""
        return exists(self.folder, f"arrived-{pid}")

    def any_released(self, key: str) -> bool:
        """Whether any process held on ``key`` was released (in the scenario's process only, which
        can list the folder)."""
        return bool(names(self.folder, f"release-{of_process(key, '')}"))


def of_process(key: str, pid: int | str) -> str:
    """The key one process holds on: a wait for another process (a decoy the parent joins, say)
    releases not this one."""
    return f"{key}@{pid}"


# --- exercise 1: targets that report which process ran them --------------------------------


@frozen
class Reporter(metaclass=Sealed):
    """A target: notes which process ran it with which arguments, stands until the parent waits
    for it, notes that it finished, then returns, exits with ``code`` or raises."""

    folder: str
    release: Release
    key: str
    code: int | None = None  #: sys.exit(code) at the end, if set
    raises: bool = False

    def __call__(self, *args: Any) -> None:
        refuse_unsealed(self)
        note(
            self.folder,
            f"ran-{os.getpid()}-{threading.get_ident()}",
            pid=os.getpid(),
            args=[_repr(a) for a in args],
        )
        released = self.release.hold(of_process(self.key, os.getpid()))
        note(self.folder, f"done-{os.getpid()}-{threading.get_ident()}", pid=os.getpid(), released=released)
        if self.raises:
            raise RuntimeError("raised on purpose by the grader's target, to see the exit code")
        if self.code is not None:
            sys.exit(self.code)


# what a student's traceback calls the grader's targets: their own word for it, not the grader's classes
Reporter.__call__.__qualname__ = "target"


def _repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # noqa: BLE001 - a student's object whose repr fails
        return f"<{type(value).__name__}>"


# --- exercise 2: targets that must all be alive at once ------------------------------------


@frozen
class Meeter(metaclass=Sealed):
    """A target for ``run_concurrently``: waits at the gate with every sibling, stands until the
    parent waits for it, then exits with the code its tuple names.

    With ``cascade``, process i also waits until process i + 1 has ended: processes end last
    first, so a parent that reports exit codes in the order the processes ended gets them reversed.
    """

    gate: Gate
    release: Release
    cascade: bool = False

    def __call__(self, index: int, code: int) -> None:
        refuse_unsealed(self)
        note(self.gate.folder, f"ran-{index}-{os.getpid()}-{threading.get_ident()}", pid=os.getpid(), index=index)
        if os.getpid() == self.release.parent:  # run in the parent itself: no sibling can ever come
            self.gate.stand()
            sys.exit(code)
        try:
            self.gate.arrive()
        except GateBroken:
            sys.exit(1)
        if not self.release.hold(
            of_process(str(index), os.getpid())
        ):  # the parent never waited for it in a way that lasts
            note(self.gate.folder, f"unreleased-{index}", index=index)
        if self.cascade and index + 1 < self.gate.parties:
            wait_for(self.gate.folder, f"ended-{index + 1}", self.release.timeout)
        touch(self.gate.folder, f"ended-{index}")
        sys.exit(code)


Meeter.__call__.__qualname__ = "target"


# --- exercise 3: a shared counter that audits how it is used -------------------------------


_ARRIVED: set[str] = set()  # gates this process stood at; a forked child starts with its creator's: none


@frozen
class Arrival(metaclass=Sealed):
    """A child process's first use of the counter or its lock: waits at ``gate`` for its siblings,
    then until the parent waits for the workers (``release``), before it counts anything."""

    gate: Gate
    release: Release
    creator: int  #: the process that made the counter: it never waits

    def arrive(self) -> None:  # once per process and gate (``_ARRIVED``), whoever calls it: as its first use would
        if os.getpid() == self.creator or self.gate.folder in _ARRIVED:
            return
        refuse_unsealed(self)
        _ARRIVED.add(self.gate.folder)
        note(self.gate.folder, f"worker-{os.getpid()}", pid=os.getpid())
        try:
            self.gate.arrive()
        except GateBroken:
            return  # counted anyway: the scenario saw the gate broken, which is what it reports
        self.release.hold(of_process("workers", os.getpid()))


class WatchedLock(metaclass=Sealed):
    """Wraps the counter's real lock and tracks, per thread, whether this process holds it.

    ``epoch`` counts acquisitions, so the counter can tell one critical section from two. A child
    waits at the gate *before* its first acquisition: waiting while holding the lock would stop
    the others from ever arriving.
    """

    def __init__(self, lock: Any, arrival: Arrival | None = None) -> None:
        self._probe_lock = lock
        self.arrival = arrival
        self._probe_local = threading.local()
        self._probe_ending: list[Callable[[], None]] = []  #: called as a hold ends, the lock still held

    def __reduce__(self) -> tuple[Any, ...]:
        return (WatchedLock, (self._probe_lock, self.arrival))

    def arrive(self) -> None:
        if self.arrival is not None:
            self.arrival.arrive()

    @property
    def held(self) -> bool:
        return getattr(self._probe_local, "depth", 0) > 0

    @property
    def epoch(self) -> int:
        return getattr(self._probe_local, "epoch", 0)

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        self.arrive()
        got = self._probe_lock.acquire(block, timeout) if timeout is not None else self._probe_lock.acquire(block)
        if got:
            depth = getattr(self._probe_local, "depth", 0)
            if depth == 0:
                self._probe_local.epoch = self.epoch + 1
            self._probe_local.depth = depth + 1
        return bool(got)

    def release(self) -> None:
        self._probe_local.depth = getattr(self._probe_local, "depth", 0) - 1
        if self._probe_local.depth == 0:
            for ending in self._probe_ending:
                ending()
        self._probe_lock.release()

    __enter__ = acquire

    def __exit__(self, *exc: object) -> None:
        self.release()


class WatchedCounter(metaclass=Sealed):
    """Stands in for ``multiprocessing.Value('i', 0)`` (or ``RawValue``) and notes each unsafe update.

    A write is safe when this thread holds ``get_lock()`` and, if it read the value since its last
    write, read it while holding the lock, in the same acquisition. A value read without the lock
    may be stale by the time it is written back, and so may one read under a hold that ended before
    any write: once a process has read so, its next hold of the lock finds the counter one higher,
    as if another process had counted in between (a *phantom* update, taken back as the hold ends),
    and a write that does not build on it is a lost update.
    Violations are noted as files in ``folder``: that catches a lost update every time, where
    counting lost updates only catches them with some probability. Unless ``audit_creator``, only
    child processes are audited.
    A counter made without a lock (``lock=False``, ``RawValue``) has ``lock`` None: every write
    is then unsafe, and ``get_lock`` does not exist, as on the real object.
    """

    def __init__(
        self,
        raw: Any,
        lock: WatchedLock | None,
        folder: str,
        creator: int,
        audit_creator: bool = True,
        arrival: Arrival | None = None,
    ) -> None:
        self._probe_raw = raw
        self._probe_lock = lock
        self._probe_folder = folder
        self._probe_creator = creator
        self._probe_audit_creator = audit_creator
        self._probe_arrival = arrival
        self._probe_local = threading.local()
        self._probe_stale = False  #: this process read the value without the lock since its last hold
        self._probe_phantom: int | None = None  #: the value the phantom update made in this hold
        if lock is not None:
            lock._probe_ending.append(self._probe_take_back)
        if creator == os.getpid():  # made here (not rebuilt in a child): its memory file is new
            park_offsets()

    def __reduce__(self) -> tuple[Any, ...]:
        from multiprocessing.context import assert_spawning

        assert_spawning(self)  # like a real Value: shared memory only travels to new processes
        return (
            WatchedCounter,
            (
                self._probe_raw,
                self._probe_lock,
                self._probe_folder,
                self._probe_creator,
                self._probe_audit_creator,
                self._probe_arrival,
            ),
        )

    def __copy__(self, *memo: Any) -> WatchedCounter:
        # copy's reducers would see the shared memory that __reduce__ hands a spawning process (red team, round 10)
        raise RuntimeError("Synchronized objects should only be shared between processes through inheritance")

    __deepcopy__ = __copy__

    def __repr__(self) -> str:  # a read like any other (red team, round 15: the value parsed from the repr)
        return f"<Synchronized wrapper for c_int({self.value})>"

    def __enter__(self) -> bool:
        return self._probe_need_lock().__enter__()

    def __exit__(self, *exc: object) -> None:
        self._probe_need_lock().__exit__(*exc)

    def get_lock(self) -> WatchedLock:
        lock = self._probe_need_lock()
        self._probe_arrive()
        return lock

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        return self._probe_need_lock().acquire(block, timeout)

    def release(self) -> None:
        self._probe_need_lock().release()

    def _probe_need_lock(self) -> WatchedLock:
        if self._probe_lock is None:
            raise AttributeError("'c_int' object has no attribute 'get_lock'")
        return self._probe_lock

    def get_obj(self) -> WatchedObj:
        """The c_int under the wrapper: its ``value`` is this counter's, audited the same way (the
        real one has no lock of its own, so an update through it races just as well)."""
        return WatchedObj(self)

    @property
    def has_lock(self) -> bool:
        return self._probe_lock is not None

    def _probe_arrive(self) -> None:
        if self._probe_lock is not None:
            self._probe_lock.arrive()
        elif self._probe_arrival is not None:
            self._probe_arrival.arrive()

    @property
    def value(self) -> int:
        if self._probe_audited():
            self._probe_arrive()
            held = self._probe_lock is not None and self._probe_lock.held
            self._probe_local.read_epoch = self._probe_lock.epoch if held and self._probe_lock is not None else None
            self._probe_local.unwritten = held  # a read under the lock that no write of this hold follows, yet
            if not held:
                self._probe_stale = True
            elif self._probe_stale and self._probe_phantom is None:
                self._probe_raw.value += 1  # another process's update, between the stale read and this hold
                self._probe_phantom = int(self._probe_raw.value)
        return int(self._probe_raw.value)

    @value.setter
    def value(self, new: int) -> None:
        if self._probe_audited():
            self._probe_arrive()
            if self._probe_lock is None or not self._probe_lock.held:
                self._probe_violation("unlocked-write")
            elif getattr(self._probe_local, "read_epoch", None) != self._probe_lock.epoch:
                # read under another hold of the lock, or not at all by this thread (red team, round 13: the
                # read in one new thread, the write in another, each its own first use)
                self._probe_violation("split")
            elif self._probe_phantom is not None and new <= self._probe_phantom:
                # built on a value read before the phantom update: a stale read, a read under the lock thrown
                # away (red team, rounds 14 and 15)
                self._probe_violation("split")
            if self._probe_lock is not None:
                self._probe_local.read_epoch = self._probe_lock.epoch
            self._probe_local.unwritten = False
            if self._probe_phantom is not None:  # taken back: the count is the student's own
                new -= 1
                self._probe_phantom = None
                self._probe_stale = False
        elif self._probe_overwrites(new):
            self._probe_local.overwrote = True
            note(self._probe_folder, f"overwrite-{os.getpid()}", pid=os.getpid())
        self._probe_raw.value = new

    def _probe_take_back(self) -> None:
        """As a hold ends with the phantom update unused (no write built on it), it is taken back; the
        stale read still waits for the write it may feed, in a later hold. A hold that ends with a read
        no write followed leaves that read stale too: another process may count before the next hold
        (red team, round 16: read under one hold, written under the next)."""
        if self._probe_phantom is not None:
            self._probe_raw.value -= 1
            self._probe_phantom = None
        if getattr(self._probe_local, "unwritten", False):
            self._probe_stale = True
            self._probe_local.unwritten = False

    def _probe_overwrites(self, new: int) -> bool:
        """A write of the parent's once it waited for the workers, which were held until then: it
        sets what they counted; or of anything but 0 at any time: a count the workers did not make
        (red team, round 13: workers that only read, and the parent writing the total before they
        were released). Setting it to 0 first is harmless."""
        arrival = self._probe_arrival
        overwrote = getattr(self._probe_local, "overwrote", False)
        return arrival is not None and not overwrote and (new != 0 or arrival.release.any_released("workers"))

    def _probe_audited(self) -> bool:
        return self._probe_audit_creator or os.getpid() != self._probe_creator

    def _probe_violation(self, kind: str) -> None:
        if not getattr(self._probe_local, kind, False):
            note(self._probe_folder, f"violation-{kind}-{os.getpid()}", kind=kind, pid=os.getpid())
            self._probe_local.__dict__[kind] = True  # once noted: a note that failed ended the process

    def _probe_final_value(self) -> int:
        """What the scenario reads after the fact, bypassing the audit (private: the student's code
        may not call it, ``grader.reach``)."""
        return int(self._probe_raw.value)

    def violations(self) -> list[str]:
        return sorted({record["kind"] for record in notes(self._probe_folder, "violation-")})

    def overwritten(self) -> bool:
        """Whether the process that made the counter set it after a worker had used it."""
        return bool(notes(self._probe_folder, "overwrite-"))


def park_offsets() -> None:
    """Move each shared-memory file's offset to its end, past the memory mapped from it.

    A counter's int is the first one of its file, which a process holds open (and passes on to its
    children): one ``os.write`` to that descriptor would set the count behind the probe. Nothing
    tells that call from a legitimate one (no audit event, and the name is too common to refuse),
    but it writes at the file's offset, which every descriptor of the file shares (inherited on
    fork, passed whole on spawn) and which nothing the student may call moves back (``lseek``,
    ``pwrite``... are refused, ``grader.reach``): parked at the end, such a write lands past the
    memory."""
    from . import cpython  # only where counters are made: a spawned child need not import it

    for fd in cpython.arena_descriptors():
        try:
            os.lseek(fd, 0, os.SEEK_END)
        except OSError:  # closed by the student's code: then nothing writes through it either
            continue


class WatchedObj(metaclass=Sealed):
    """``WatchedCounter.get_obj()``: the shared c_int, with the counter's audit on its ``value``."""

    def __init__(self, counter: WatchedCounter) -> None:
        self._probe_counter = counter

    def __repr__(self) -> str:
        return f"c_int({self._probe_counter.value})"

    @property
    def value(self) -> int:
        return self._probe_counter.value

    @value.setter
    def value(self, new: int) -> None:
        self._probe_counter.value = new


# --- exercise 4: pool tasks ----------------------------------------------------------------


@frozen
class Ticket(metaclass=Sealed):
    """A pool task's item: the gate its task waits at, and who the parent is."""

    gate: Gate
    parent: int


@frozen
class HeldTask(metaclass=Sealed):
    """A pool task that starts only once the parent asks for the results (``Pool.map``, a result's
    ``get`` or ``wait``, an ``imap`` iterator's ``next``, ``Pool.join``: see ``waits.PoolReads``).

    Whether a pool's tasks finish before a ``with`` block terminates the pool is otherwise left to
    the scheduler: results read after the block are then sometimes there and sometimes never come.
    Held, they are never there, on every run. (A parent that reads in a way no one watches waits
    ``release.timeout`` more, and gets its results.)"""

    func: Any
    release: Release

    def __call__(self, *args: Any) -> Any:
        self.release.hold(RESULTS, in_pool=True)
        return self.func(*args)


RESULTS = "results"  #: the key ``HeldTask``s wait on


def meet_in_pool(ticket: Ticket) -> int:
    """A pool task that only returns once every worker holds a task at the same time. Run in the
    parent itself (the builtin map), it notes its arrival and goes on: no one else could come."""
    refuse_unsealed(ticket)
    if os.getpid() == ticket.parent:
        ticket.gate.stand()
        return os.getpid()
    ticket.gate.arrive()
    return os.getpid()


def square_first_one_last(task: tuple[str, int, int, float, int]) -> int:
    """Square ``n``; the first item's task waits until the parent has received another result.

    A ``pool_map`` that collects results as they arrive then has the first item's square after
    another one, on every run; ``Pool.map`` and ``imap`` keep the order of the items whatever the
    order of arrival. The wait is bounded, so a pool of one worker is slow here rather than stuck;
    in the parent itself (the builtin map) there is nothing to wait for.
    """
    folder, position, n, patience, parent = task
    if position == 0 and os.getpid() != parent:
        deadline = _probe_monotonic() + patience
        while not names(folder, "received-") and _probe_monotonic() < deadline:  # signed by the scenario
            _probe_sleep(POLL)
    return n * n


# --- exercise 5: queues that behave like a slow producer, and traced items -----------------


class ConsumerWaitsForever(Exception):
    """The consumer asked for an item after the last sentinel: it would block forever."""


# Looks in a row at a queue whose producer is behind before an item arrives: more than a consumer
# that gives up after a few timeouts or polls would make, so it gives up early on every run.
PATIENCE = 20
# ...and, before the first item, seconds of looking (each look answered in a moment, ``QUIET_LOOK``): a
# consumer that gives up after a few hundred looks gives up first, whatever number it read here (red team,
# round 12: 25 timeouts in a row outlasted the 20 looks). A longer limit of its own gets its items here, but
# the judge vouches only for a consumer whose file shows that nothing but the SENTINEL ends it
# (``grader.judge.consumers``), so this time need not outlast any limit: it is paid by every pipeline.
PATIENT_FOR = 0.5
QUIET_LOOK = 0.001  # a moment, not at once: a consumer that asks again and again waits rather than spins


def arrived(looks: int, first_look: float) -> bool:
    """Whether an item arrives at a consumer's look, the ``looks``-th in a row, its first at ``first_look``."""
    waited = _probe_monotonic() - first_look
    if waited < PATIENT_FOR:
        _probe_sleep(QUIET_LOOK)
        return False
    return looks > PATIENCE


class SlowProducerQueue(metaclass=Sealed):
    """A queue whose producer is slower than the consumer: the honest worst case for ``empty()``.

    An item only "arrives" when the consumer waits for it: a blocking ``get()``, or ``PATIENCE``
    looks in a row (``empty()``, ``qsize()``, ``get_nowait()``, ``get(timeout=...)``, each answered
    at once, or in ``QUIET_LOOK`` before the first item), as when the producer pauses before each
    item, the first of them ``PATIENT_FOR`` seconds after the first look. A consumer that stops on
    ``empty()`` or after a timeout or a few therefore stops early, deterministically; a consumer
    that waits until the sentinel, by blocking or by asking until something comes, gets every item.
    """

    def __init__(self, items: list[Any]) -> None:
        self._probe_items = list(items)
        self._probe_looks = 0
        self._probe_first_look: float | None = None
        self._probe_calls: list[str] = []

    def _probe_deliver(self) -> Any:
        if not self._probe_items:
            raise ConsumerWaitsForever("asked for an item after the last one")
        self._probe_looks = 0
        return self._probe_items.pop(0)

    def _probe_arrived(self) -> bool:
        self._probe_looks += 1
        if self._probe_first_look is None:
            self._probe_first_look = _probe_monotonic()
        return bool(self._probe_items) and arrived(self._probe_looks, self._probe_first_look)

    def empty(self) -> bool:
        self._probe_calls.append("empty")
        return not self._probe_arrived()

    def qsize(self) -> int:
        self._probe_calls.append("qsize")
        return 1 if self._probe_arrived() else 0

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if not block:
            return self.get_nowait()
        if timeout is not None:
            self._probe_calls.append("get-timeout")
            if not self._probe_arrived():
                raise queue.Empty
        else:
            self._probe_calls.append("get")
        return self._probe_deliver()

    def get_nowait(self) -> Any:
        self._probe_calls.append("get_nowait")
        if not self._probe_arrived():
            raise queue.Empty
        return self._probe_deliver()

    def looks(self) -> tuple[str, ...]:
        """How the consumer asked, in order (a copy: nothing the student's code does to it counts)."""
        return tuple(self._probe_calls)


class RecordingQueue(metaclass=Sealed):
    """Stands in for a queue that is only written to: it keeps what was put, in order."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        self.items.append(item)

    def put_nowait(self, item: Any) -> None:
        self.items.append(item)


class Traced(metaclass=Sealed):
    """An item that records the PID of every process that pickles it.

    Queues pickle what they carry in the sending process, so an item that went from a producer
    process through a consumer process comes back with both PIDs in its ``trail``.
    """

    def __init__(self, value: int, trail: tuple[int, ...] = ()) -> None:
        self.value = value
        self.trail = trail

    def __reduce__(self) -> tuple[Any, ...]:
        return (Traced, (self.value, (*self.trail, os.getpid())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Traced) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"item {self.value}"


# in the student's error messages the stand-ins have the names of what they stand in for
# ("unsupported operand type(s) for +=: 'Synchronized' and 'int'"); pickles find them by those names
for _stand_in, _name in ((WatchedCounter, "Synchronized"), (WatchedLock, "RLock")):
    _stand_in.__name__ = _stand_in.__qualname__ = _name
    globals()[_name] = _stand_in

seal(globals())
