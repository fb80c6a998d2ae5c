"""Release held targets when the parent waits for their processes, and break gates that can no
longer open: the policies that make the process exercises steady.

A held target (``probes.Release``) finishes only when the parent waits for its process: a
``join()`` without a timeout, a ``multiprocessing.connection.wait`` on its sentinel without one, or
looks at ``is_alive()``, ``exitcode``, ``active_children()`` or a sentinel (a short
``connection.wait``) that go on for most of the hold (a polling loop that waits until the end, not
until a deadline of its own). A parent that waits in any other way (sleeping, a short timeout,
polling for a while, not at all) finds its processes still running when it returns, on every run:
a hold's time stands still once the parent's code has slept instead of waiting for half the hold
(``ParentSleeps``), so no sleep instead of a wait outlasts it. A timeout as long as the hold frees
them instead: they end, as they would after the hold, but unreleased, and the judge fails a wait
that only ever had a timeout (a child may take longer than any timeout).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Container
from multiprocessing.connection import wait as untraced_wait  # bound now: the tracer wraps the module's
from multiprocessing.pool import ApplyResult
from time import monotonic  # bound now: the student's code may replace time.monotonic later
from time import sleep as untraced_sleep
from typing import Any

from .probes import RESULTS, Gate, Release, Sealed, of_process, seal
from .trace import Tracer

untraced_result_wait = ApplyResult.wait  # bound now: the tracer wraps it

# A polling loop waits for good once it has polled for this part of the hold: long enough that a loop
# with a short deadline of its own (half a second, a second) stops first, on every run; short enough
# that a loop that polls until the end releases its target before the target goes on by itself. (A
# loop with a longer deadline of its own passes here; the judge tells it from the file, ``grader.judge.static``.)
# A loop the judge vouches for from the file (``patient``) is a wait as soon as it looks again.
POLLING = 0.75

KeyOf = Callable[[Any, tuple[Any, ...]], "str | None"]
"""``key_of(target, args)``: the release key of a process made with this target, or None if not ours.
A wait releases only the processes waited for: the key is combined with each one's pid (``of_process``)."""


def _target_and_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, tuple[Any, ...]]:
    """From ``Process.__init__(group, target, name, args, ...)``'s arguments (``self`` left out)."""
    target = kwargs.get("target", args[1] if len(args) > 1 else None)
    call_args = kwargs.get("args", args[3] if len(args) > 3 else ())
    return target, tuple(call_args) if isinstance(call_args, (tuple, list)) else ()


class ParentWaits(metaclass=Sealed):
    """Watches the parent's calls (through the tracer) and releases what it waits for.

    ``cascade`` orders the ends: the held keys are "0".."n-1", a wait for process i releases it and
    every later one, and a wait for any of several processes releases only the latest of them, so
    that one process ends at a time, last first. ``gate``, if given, is broken as soon as the parent
    blocks while fewer than its parties have been started: they can never all meet. ``arrivals``:
    a ``terminate()`` or ``kill()`` reaches a process only once it stands at its hold (or has ended),
    never sometimes before its target began.
    """

    def __init__(
        self,
        tracer: Tracer,
        release: Release,
        key_of: KeyOf,
        *,
        cascade: bool = False,
        gate: Gate | None = None,
        arrivals: bool = False,
        patient: Container[int] = (),
    ) -> None:
        self.release = release
        self.patient = patient  #: lines of looks in a loop the judge vouches for (``Request.patient_lines``)
        self.looked_from: set[int] = set()  #: the lines the parent's looks came from
        self.arrivals = arrivals
        self.key_of = key_of
        self.cascade = cascade
        self.gate = gate
        self.tracer = tracer
        self.keys: dict[int, str] = {}  # id(process) -> its key
        self.processes: dict[int, Any] = {}
        self.started: set[int] = set()
        self.polling_since: float | None = None  #: when the parent first looked at one of its processes
        self.sleeping: tuple[float, int] | None = None  #: since when, and on which line, the file sleeps without a look
        tracer.listeners.append(self.listen)

    def listen(self, when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if api == "Process.__init__" and when == "enter":
            target, call_args = _target_and_args(args, kwargs)
            key = self.key_of(target, call_args)
            if key is not None:
                self.keys[id(obj)] = key
                self.processes[id(obj)] = obj
        elif id(obj) not in self.keys and api.startswith("Process."):
            return
        elif api == "Process.start" and when == "exit":
            self.started.add(id(obj))
        elif api in ("Process.terminate", "Process.kill") and when == "enter" and self.arrivals:
            if self.tracer.told_by_the_file():  # not a pool's terminate() of its workers, which never stand
                self.release.arrival(obj.pid, _sentinel(obj))
        elif api == "Process.join" and when == "enter":
            self.waiting([obj], every=True, timeout=_timeout(args, kwargs, 0))
        elif api in ("Process.is_alive", "Process.exitcode") and when == "enter":
            self.looking([obj], at_look=True)
        elif sleeps(api, args, kwargs) and when == "enter" and self.started and self.sleeping is None:
            line = self.tracer.told_line()
            if line is not None:
                self.sleeping = (monotonic(), line)
        elif api == "active_children" and when == "enter":  # a look at every process at once
            self.looking([p for p in self.processes.values() if id(p) in self.started])
        elif api == "connection.wait" and not self.tracer.told_by_the_file():
            return  # a pool's own threads wait for its workers: in ex01 each is one of the student's processes
        elif api == "connection.wait" and when == "enter":
            listed = args[0] if args else kwargs.get("object_list", ())
            waited = [p for p in self.processes.values() if _sentinel(p) in _as_list(listed)]
            timeout = _timeout(args, kwargs, 1)
            if timeout is not None and _number(timeout) < self.release.timeout:
                self.looking(waited)  # a short wait, again and again, is a poll
            else:
                self.waiting(waited, every=False, timeout=timeout, listed=_as_list(listed))
        elif api == "connection.wait" and when == "exit":  # the processes it found ended have exited
            ready = [p for p in self.processes.values() if p.pid is not None and _sentinel(p) in _as_list(result)]
            self.exited(ready, monotonic() + self.release.patience)

    def looking(self, processes: list[Any], at_look: bool = False) -> None:
        """A look at whether ``processes`` still run: a wait for them once the looks went on long enough.

        The looks are the parent's, not each process's: a loop that looks at one process after another
        (``any(p.is_alive() for p in processes)`` looks at the next only once the one before ended)
        has polled them all from its first look. Counted per process, the next one's first look came
        when its hold had or had not run out, as the machine's load had it (stress test, CI). A loop
        that sleeps first and looks then has polled since its first sleep (``while True: sleep(2.5)``,
        then a look: its second look came past its check's time, 0/10); a sleep, then a look, not in
        one loop, is a sleep instead of a wait (the judge reads a loop that gives up). Only the file's
        own looks count: ``start()`` under forkserver looks at the processes started before (a
        ``connection.wait`` of no time), a pool's own threads look at its workers. A look ``at_look``
        (``is_alive()``, ``exitcode``) that lets a held process end is told so (``Tracer.ended_at_look``):
        it found the process running, and the judge reads its loop."""
        processes = [p for p in processes if id(p) in self.started]  # a look before start() polls nothing
        line = self.tracer.told_line()
        if not processes or line is None:
            return
        now, sleeping, self.sleeping = monotonic(), self.sleeping, None
        if self.polling_since is None:
            polls = sleeping is not None and self.tracer.in_one_loop(sleeping[1], line)
            self.polling_since = sleeping[0] if sleeping is not None and polls else now
        went_round = line in self.patient and line in self.looked_from  # a vouched loop looks again
        self.looked_from.add(line)
        if went_round or now - self.polling_since >= POLLING * self.release.timeout:
            held = [p for p in processes if id(p) in self.keys and p.pid is not None]
            held = [p for p in held if not self.release.released(of_process(self.keys[id(p)], p.pid))]
            self.waiting(processes, every=True)
            self.ending(processes)
            if at_look:
                self.tracer.ended_at_look.update(id(p) for p in held)

    def ending(self, processes: list[Any]) -> None:
        """Let the look that released ``processes`` see them end, as a ``join()`` would: a poll that
        would look again only seconds later (every 2.5 s, say) stops at this look, on every run,
        instead of one look later, past the check's time on a loaded machine (red team, round 17).
        For as long as a check may run: a loaded machine may be slow to start them, and one that
        wraps the grader's target in the student's own function may never call it."""
        released = [p for p in processes if p.pid is not None and id(p) in self.keys]
        released = [p for p in released if self.release.released(of_process(self.keys[id(p)], p.pid))]
        waiting = [sentinel for sentinel in map(_sentinel, released) if sentinel is not None]
        deadline = monotonic() + self.release.patience
        while waiting and deadline > monotonic():
            ended = untraced_wait(waiting, max(0.0, deadline - monotonic()))
            waiting = [sentinel for sentinel in waiting if sentinel not in ended]
        self.exited(released, deadline)

    def exited(self, processes: list[Any], deadline: float) -> None:
        """Wait until ``processes``, whose sentinels are ready, have exited (``_exited``)."""
        for process in processes:
            while not _exited(process.pid) and deadline > monotonic():
                untraced_sleep(0.001)

    def waiting(self, processes: list[Any], every: bool, timeout: Any = None, listed: list[Any] | None = None) -> None:
        """The parent blocks until ``processes`` end (``every``) or until the first of ``listed`` is
        ready, or for ``timeout``: a wait that long shows that the gate can no longer open, and frees
        the targets (they end as they would once held that long) without releasing them: a process
        may take longer than any timeout, so only a wait without one counts as waiting."""
        if timeout is not None and _number(timeout) < self.release.timeout:
            return
        if self.gate is not None and not self.gate.open and len(self.started) < self.gate.parties:
            self.gate.break_now()
        held = [p for p in processes if id(p) in self.keys and p.pid is not None]
        if not every:
            held = self.first_to_end(held, listed or [])
        elif self.cascade and held:  # it, and every later one, which it waits for
            held = self.standing(held)
            if held:
                first = min(self.index(p) for p in held)
                held += [p for p in self.processes.values() if p.pid is not None and self.index(p) > first]
        for process in held:  # a wait with a timeout sees them end all the same, sooner than their hold would
            key = of_process(self.keys[id(process)], process.pid)
            (self.release.release if timeout is None else self.release.free)(key)
        if not every:
            self.ending(held)

    def first_to_end(self, processes: list[Any], listed: list[Any]) -> list[Any]:
        """Of the ``processes`` a wait for any of ``listed`` is given, the one to end now: the latest
        still held with ``cascade`` (one process ends at a time, last first), else the first listed.
        None if anything else is listed: a decoy's sentinel, a pipe, a process that does not stand at a
        hold may be ready first, as it would be without the grader (a wait on a decoy and the process
        released both, and a poll with a deadline after it passed: red team, round 18). It ends before
        the wait looks (``ending``), so the wait finds the same ones ready on every run."""
        standing = self.standing(processes)
        sentinels = [_sentinel(p) for p in standing]
        if any(type(each) is not int or each not in sentinels for each in listed):
            return []
        pending = [p for p in standing if not self.release.released(of_process(self.keys[id(p)], p.pid))]
        if not pending:
            return []
        return [max(pending, key=self.index)] if self.cascade else pending[:1]

    def index(self, process: Any) -> int:
        return int(self.keys[id(process)])

    def standing(self, processes: list[Any]) -> list[Any]:
        """Those of ``processes`` that run a held target (once each stands at its hold, or has
        ended): a process the student's code made with a tuple of its own, which never holds,
        releases no other process with that tuple's index."""
        for process in processes:
            self.release.arrival(process.pid, _sentinel(process))
        return [process for process in processes if self.release.stood(process.pid)]


def _exited(pid: int) -> bool:
    """Whether the child ``pid`` has become a zombie (not reaped: ``is_alive()`` does that). A process
    closes its sentinel a moment before: on a loaded machine, long enough that ``is_alive()`` or
    ``exitcode`` right after its sentinel was ready still found it running (a poll every 2.5 s looked
    again past its check's time: CI on record). A process that is not our child (under forkserver)
    has exited once its sentinel is ready: the forkserver writes its exit code there after reaping it."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except (ChildProcessError, AttributeError):  # not ours; no waitid() (a platform without it)
        return True


def sleeps(api: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """A call that sleeps: ``time.sleep``, or a wait for an event or a condition with a timeout (one
    nothing sets: ``Event().wait(3)`` instead of a join)."""
    return api == "time.sleep" or api in ("Event.wait", "Condition.wait") and _timeout(args, kwargs, 0) is not None


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _timeout(args: tuple[Any, ...], kwargs: dict[str, Any], position: int) -> Any:
    """The ``timeout`` a call got, by name or at ``position``; None if none."""
    return kwargs.get("timeout", args[position] if len(args) > position else None)


def _pid(process: Any) -> Any:
    try:
        return process.pid
    except Exception:  # noqa: BLE001 - an object of the student's: not a process the grader can see
        return None


def _sentinel(process: Any) -> Any:
    try:
        return process.sentinel
    except (ValueError, AttributeError):  # not started
        return None


def _as_list(listed: Any) -> list[Any]:
    try:
        return list(listed)
    except TypeError:
        return []


class ParentSleeps(metaclass=Sealed):
    """Tells a release when the parent's code sleeps instead of waiting: a ``time.sleep`` (or a timed
    wait for an event, ``sleeps``) of the student's file that no look at a process came before (since
    the sleep before it). From then until its next look or wait, in one long sleep or many short ones,
    the held targets do not go on by themselves (``probes.Release.hold``). A poll's sleep follows a
    look, and passes as any other time: a poll that sleeps 3 s between its looks finds its process
    ended by itself."""

    LOOKS = (
        "Process.is_alive",
        "Process.exitcode",
        "Process.join",
        "active_children",
        "connection.wait",
        "ApplyResult.ready",
    )

    def __init__(self, tracer: Tracer, release: Release) -> None:
        self.tracer = tracer
        self.release = release
        self.looked = False  #: a look at a process since the last sleep began
        self.idle = False  #: the release was told the parent sleeps instead of waiting
        self.lock = threading.Lock()
        tracer.listeners.append(self.listen)

    def listen(self, when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if when != "enter" or (api not in self.LOOKS and not sleeps(api, args, kwargs)):
            return
        if not self.tracer.told_by_the_file():  # start() under forkserver looks at the processes before
            return
        if api.startswith("Process.") and _pid(obj) is None:  # a process not started yet: a look at nothing
            return
        if api == "ApplyResult.ready" and not polls_results(self.tracer):
            return
        with self.lock:
            if api in self.LOOKS:
                self.looked = True
                if self.idle:
                    self.idle = False
                    self.release.asleep(False)
            else:
                if not self.looked and not self.idle:
                    self.idle = True
                    self.release.asleep(True)
                self.looked = False


class PoolWatch(metaclass=Sealed):
    """Breaks a gate as soon as the parent hands a pool its tasks in a way that cannot let
    ``gate.parties`` workers meet: one task at a time (``apply``), or a pool with fewer workers.
    ``default_size`` is what ``Pool()`` makes here (the scenario sets ``os.cpu_count``)."""

    BATCH = ("Pool.map", "Pool.map_async", "Pool.imap", "Pool.imap_unordered", "Pool.starmap", "Pool.starmap_async")

    def __init__(self, tracer: Tracer, gate: Gate, default_size: int) -> None:
        self.gate = gate
        self.default_size = default_size
        self.sizes: dict[int, int] = {}
        tracer.listeners.append(self.listen)

    def listen(self, when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if when != "enter":
            return
        if api == "Pool.__init__":
            size = kwargs.get("processes", args[0] if args else None)
            self.sizes[id(obj)] = size if isinstance(size, int) and size > 0 else self.default_size
        elif api == "Pool.apply" or (api in self.BATCH and self._too_few(obj, args, kwargs)):
            self.gate.break_now()

    def _too_few(self, pool: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
        """Fewer workers, or fewer chunks of items, than the gate has parties: they can never all meet."""
        if self.sizes.get(id(pool), self.gate.parties) < self.gate.parties:
            return True
        items = kwargs.get("iterable", args[1] if len(args) > 1 else None)
        chunksize = kwargs.get("chunksize", args[2] if len(args) > 2 else None)
        if isinstance(items, (list, tuple)) and isinstance(chunksize, int) and chunksize > 0:
            return -(-len(items) // chunksize) < self.gate.parties
        return False


def polls_results(tracer: Tracer) -> bool:
    """Whether the ``ready()`` now told is a poll's: the file's own (not ``get()``'s), from a line in a
    loop. Looks in straight code (``ready()``, a sleep, ``ready()`` again, then out of the pool's
    ``with`` block) are no wait: the tasks stay held, and the results never come, on every run."""
    line = tracer.told_line()
    return line is not None and tracer.in_one_loop(line, line)


class PoolReads(metaclass=Sealed):
    """Releases the ``HeldTask``s of a pool when the parent asks for their results, or when a poll of
    whether they are ready (``polls_results``) went on for most of the hold (``while not r.ready():
    sleep(0.1)`` scored 1/10: its sleeps held the tasks for ever). From then on, a look waits until the results it looks
    at have come, as a ``get()`` would: a parent that looks again only seconds later, then leaves the
    pool's ``with`` block, finds them ready on every run, never only when the tasks were quick."""

    READS = ("Pool.map", "Pool.starmap", "Pool.join", "ApplyResult.get", "ApplyResult.wait", "IMapIterator.next")

    def __init__(self, tracer: Tracer, release: Release) -> None:
        self.tracer = tracer
        self.release = release
        self.polling_since: float | None = None  #: when the file first looked whether results were ready
        tracer.listeners.append(self.listen)

    def listen(self, when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if when != "enter":
            return
        if api == "ApplyResult.ready" and polls_results(self.tracer):
            self.polling_since = monotonic() if self.polling_since is None else self.polling_since
            if monotonic() - self.polling_since >= POLLING * self.release.timeout:
                self.release.release(RESULTS)
                untraced_result_wait(obj, self.release.patience)
        elif api in self.READS:
            self.release.release(RESULTS)


seal(globals())
