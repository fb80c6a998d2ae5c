"""What the student's code asked of multiprocessing in the scenario's process, line by line.

The tracer wraps the multiprocessing API (and ``time.sleep``, ``os.fork``, threads and executors)
before the student's module is imported, and records each call made from the student's file: which
API, on which object, from which line. The calls a program makes are the same on every run, so they
are the steady part of what a scenario observes: the judge reads mistakes from them (``p.run()``,
a join inside the start loop, ``imap_unordered``) and the line to show. Listeners see each call as
it enters and leaves; the scenarios use them to release probes when the parent waits.

Only the scenario's own process is traced: a forked child inherits the wrappers, and they stand
aside there.
"""

from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import functools
import json
import multiprocessing.connection
import multiprocessing.context
import multiprocessing.pool
import multiprocessing.process
import multiprocessing.queues
import multiprocessing.sharedctypes
import multiprocessing.synchronize
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .records import DROPPED, ENDED_AT_LOOK, READY, RUNNING, Call, encode

Listener = Callable[[str, str, Any, tuple[Any, ...], dict[str, Any], Any], None]
"""``listener(when, api, obj, args, kwargs, result)``: ``when`` is enter, exit or received."""

LIMIT = 400  # calls kept; a loop's repeats fold into one, so this is only reached by odd programs
PERIOD = 8  # calls in a loop whose repeats fold

PROCESS_METHODS = ("start", "run", "join", "terminate", "kill", "close")
POOL_METHODS = (
    "__init__",
    "apply",
    "apply_async",
    "map",
    "map_async",
    "imap",
    "imap_unordered",
    "starmap",
    "starmap_async",
    "close",
    "terminate",
    "join",
    "__exit__",
)
QUEUE_METHODS = ("put", "get", "empty", "qsize", "get_nowait", "put_nowait", "close", "join_thread")
RESULT_CLASSES = ("ApplyResult", "MapResult", "IMapIterator", "IMapUnorderedIterator")


class Tracer:
    def __init__(self, student_file: str, sink: str | None = None) -> None:
        self.file = student_file
        self.sink = sink  #: a file each new call is appended to, for the runner to read if time runs out
        self.pid = os.getpid()
        self.calls: list[Call] = []
        self.started: list[int] = []  #: pids of the processes the student's code started, in order
        self.by_hand: list[int] = []  #: those its own lines started (``Process.start``), not a Pool's workers
        self.sentinels: dict[int, Any] = {}  #: of every process started, its process: what a wait may wait for
        self.listeners: list[Listener] = []
        #: processes a listener let end at the look now told (``waits.ParentWaits``): the look found them held
        self.ended_at_look: set[int] = set()
        self._numbers: dict[int, int] = {}
        self._objects: list[Any] = []  # keeps numbered objects alive, so their ids are not reused
        self._per_kind: dict[str, int] = {}
        self._lock = threading.RLock()
        self._loops = _loops(student_file)

    # --- what a listener or a scenario asks -----------------------------------------------------

    def number(self, obj: Any) -> int:
        """Objects numbered per kind (Process, Pool, Queue, ...) in the order they were first seen."""
        if obj is None:
            return 0
        with self._lock:
            if id(obj) not in self._numbers:
                kind = kind_of(obj)
                self._per_kind[kind] = self._per_kind.get(kind, 0) + 1
                self._numbers[id(obj)] = self._per_kind[kind]
                self._objects.append(obj)
            return self._numbers[id(obj)]

    def record(self, api: str, obj: Any = None, detail: str = "", depth: int = 2) -> bool:
        """Note a call if the student's file is on the stack (and say whether it was)."""
        site = self._site(sys._getframe(depth))
        if site is None:
            return False
        line, function, direct = site
        call = Call(api, self.number(obj), line, function, direct, detail)
        with self._lock:
            # a loop's repeats fold into the call of its first time round, for a loop of up to PERIOD
            # calls (red team, round 13: two lines that alternated, 400 times, filled the list)
            key = (api, call.obj, line, detail)
            back = next((n for n in range(1, min(PERIOD, len(self.calls)) + 1) if _key(self.calls[-n]) == key), None)
            if back is not None:
                last = self.calls[-back]
                self.calls[-back] = Call(api, call.obj, line, function, direct, detail, last.count + 1)
            elif len(self.calls) < LIMIT - 1:
                self.calls.append(call)
                self._spill(call)
            elif self.calls[-1].api == DROPPED:  # the judge is told, and fails what it can no longer follow
                self.calls[-1] = replace(self.calls[-1], count=self.calls[-1].count + 1)
            else:
                self.calls.append(Call(DROPPED, 0, line, function, direct))
                self._spill(self.calls[-1])
        return True

    def _spill(self, call: Call) -> None:
        if self.sink is None:
            return
        try:
            with open(self.sink, "a", encoding="utf-8") as sink:
                sink.write(json.dumps(encode(call)) + "\n")
        except OSError:
            self.sink = None

    def _site(self, frame: Any) -> tuple[int, str, bool] | None:
        direct: bool | None = None
        while frame is not None:
            name = frame.f_code.co_filename
            if name == self.file:
                return frame.f_lineno, frame.f_code.co_name, direct is None
            if name != __file__ and direct is None:
                direct = False
            frame = frame.f_back
        return None

    def _tell(self, when: str, api: str, obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> None:
        if os.getpid() != self.pid:  # a child forked in the middle of a call (os.fork itself)
            return
        for listener in self.listeners:
            listener(when, api, obj, args, kwargs, result)

    # --- installing the wrappers -----------------------------------------------------------------

    def install(self) -> None:
        process = multiprocessing.process.BaseProcess
        self._wrap(process, "__init__", "Process.__init__", _describe_process)
        for name in PROCESS_METHODS:
            self._wrap(process, name, f"Process.{name}", _describe_timeout if name == "join" else None)
        self._wrap_looks(process)
        self._wrap_function(multiprocessing.connection, "wait", "connection.wait", self._describe_wait)
        self._wrap_function(multiprocessing.process, "active_children", "active_children")
        # the same function, a context's static method, and the module's name for the default context's
        multiprocessing.context.BaseContext.active_children = staticmethod(multiprocessing.process.active_children)  # type: ignore[method-assign]
        multiprocessing.active_children = multiprocessing.process.active_children
        for name in POOL_METHODS:
            self._wrap(multiprocessing.pool.Pool, name, f"Pool.{name}", _describe_pool if name == "__init__" else None)
        for name in RESULT_CLASSES:
            self._wrap_received(getattr(multiprocessing.pool, name))
        for name in ("get", "wait", "ready"):  # reading a pool's results, or looking (MapResult inherits them)
            self._wrap(multiprocessing.pool.ApplyResult, name, f"ApplyResult.{name}", only_direct=True)
        for name in ("next", "__next__"):  # __next__ is the same function under a second name
            self._wrap(multiprocessing.pool.IMapIterator, name, "IMapIterator.next", only_direct=True)
        for name in QUEUE_METHODS:
            self._wrap(multiprocessing.queues.Queue, name, f"Queue.{name}", _describe_queue_call)
        for name in ("put", "get", "empty"):
            self._wrap(multiprocessing.queues.SimpleQueue, name, f"SimpleQueue.{name}")
        for cls in (multiprocessing.synchronize.Lock, multiprocessing.synchronize.RLock):
            self._wrap(cls, "__init__", f"{cls.__name__}.__init__")
        for name in ("Value", "RawValue", "Array", "RawArray"):
            self._wrap_function(multiprocessing.sharedctypes, name, name, _describe_value)
        self._wrap(threading.Thread, "__init__", "Thread.__init__", _describe_process, only_direct=True)
        self._wrap(threading.Thread, "start", "Thread.start", only_direct=True)
        self._wrap(threading.Thread, "join", "Thread.join", only_direct=True)
        for executor in (concurrent.futures.ProcessPoolExecutor, concurrent.futures.ThreadPoolExecutor):
            for method in ("__init__", "submit", "map"):
                self._wrap(executor, method, f"{executor.__name__}.{method}", only_direct=True)
        self._wrap_function(time, "sleep", "time.sleep", _describe_sleep, only_direct=True)
        # a wait for an event or a condition with a timeout sleeps too (Event().wait(3) instead of a join)
        for owner in (threading.Event, threading.Condition, multiprocessing.synchronize.Event):
            self._wrap_direct(owner, "wait", f"{owner.__name__}.wait", _describe_wait_for)
        self._wrap_direct(multiprocessing.synchronize.Condition, "wait", "Condition.wait", _describe_wait_for)
        if hasattr(os, "fork"):
            self._wrap_function(os, "fork", "os.fork", only_direct=True)
        self._wrap_select(select, multiprocessing.connection)

    def _wrap(
        self, owner: type, name: str, api: str, describe: Callable[..., str] | None = None, only_direct: bool = False
    ) -> None:
        original = owner.__dict__.get(name) or getattr(owner, name)
        tracer = self

        @functools.wraps(original)
        def traced(obj: Any, *args: Any, **kwargs: Any) -> Any:
            if os.getpid() != tracer.pid:
                return original(obj, *args, **kwargs)
            recorded = False
            if not only_direct or tracer._is_direct():
                recorded = tracer.record(api, obj, _safe(describe, obj, *args, **kwargs))
            tracer._tell("enter", api, obj, args, kwargs, None)
            result = original(obj, *args, **kwargs)
            if recorded and api == "Process.start" and isinstance(getattr(obj, "pid", None), int):
                tracer.started.append(obj.pid)
                if tracer._is_direct():
                    tracer.by_hand.append(obj.pid)
            if api == "Process.start":
                with contextlib.suppress(Exception):
                    tracer.sentinels[obj.sentinel] = obj
            tracer._tell("exit", api, obj, args, kwargs, result)
            return result

        setattr(owner, name, traced)

    def _wrap_direct(self, owner: type, name: str, api: str, describe: Callable[..., str]) -> None:
        """Trace a method only where the student's file calls it itself: a library's calls of it (a
        pool's threads wait on events and conditions all the time) go by untold."""
        original = owner.__dict__.get(name) or getattr(owner, name)
        tracer = self

        @functools.wraps(original)
        def traced(obj: Any, *args: Any, **kwargs: Any) -> Any:
            if os.getpid() != tracer.pid or not tracer._is_direct():
                return original(obj, *args, **kwargs)
            tracer.record(api, obj, _safe(describe, obj, *args, **kwargs))
            tracer._tell("enter", api, obj, args, kwargs, None)
            result = original(obj, *args, **kwargs)
            tracer._tell("exit", api, obj, args, kwargs, result)
            return result

        setattr(owner, name, traced)

    def _wrap_function(
        self, module: Any, name: str, api: str, describe: Callable[..., str] | None = None, only_direct: bool = False
    ) -> None:
        original = getattr(module, name)
        tracer = self

        @functools.wraps(original)
        def traced(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() != tracer.pid or (only_direct and not tracer._is_direct()):
                return original(*args, **kwargs)
            tracer.record(api, None, _safe(describe, *args, **kwargs))
            tracer._tell("enter", api, None, args, kwargs, None)
            result = original(*args, **kwargs)
            if api == "connection.wait":
                tracer._found_ended(args, kwargs, result)
            tracer._tell("exit", api, None, args, kwargs, result)
            return result

        setattr(module, name, traced)

    def _wrap_select(self, module: Any, connection: Any) -> None:
        """``select.select([p.sentinel], [], [])`` where the file calls it itself, on the sentinels of
        processes only: the same wait as ``connection.wait([p.sentinel])`` (traced, with its hold and
        its release), whose name it calls at each call. Any other select is the module's own."""
        original = module.select
        tracer = self

        @functools.wraps(original)
        def traced(rlist: Any, wlist: Any, xlist: Any, timeout: Any = None) -> Any:
            listed = list(rlist) if isinstance(rlist, (list, tuple)) else []
            on_sentinels = bool(listed) and all(type(each) is int and each in tracer.sentinels for each in listed)
            if os.getpid() != tracer.pid or not tracer._is_direct() or not on_sentinels or wlist or xlist:
                return original(rlist, wlist, xlist, timeout)
            ready = connection.wait(listed, timeout)
            return [each for each in listed if each in ready], [], []

        module.select = traced

    def _wrap_looks(self, owner: type) -> None:
        """``is_alive()`` and ``exitcode``, recorded with what they found: a look that found the
        process still running is part of a wait; looks after it ended, however many, are not."""
        is_alive, exitcode = owner.__dict__["is_alive"], owner.__dict__["exitcode"].fget
        tracer = self

        def look(api: str, obj: Any, get: Callable[[Any], Any]) -> Any:
            if os.getpid() != tracer.pid:
                return get(obj)
            tracer._tell("enter", api, obj, (), {}, None)
            result = get(obj)
            running = result is True if api == "Process.is_alive" else result is None
            ended_at_look = id(obj) in tracer.ended_at_look
            tracer.ended_at_look.discard(id(obj))
            tracer.record(api, obj, RUNNING if running else ENDED_AT_LOOK if ended_at_look else "", depth=3)
            tracer._tell("exit", api, obj, (), {}, result)
            return result

        @functools.wraps(is_alive)
        def traced_is_alive(obj: Any) -> Any:
            return look("Process.is_alive", obj, is_alive)

        def traced_exitcode(obj: Any) -> Any:
            return look("Process.exitcode", obj, exitcode)

        owner.is_alive = traced_is_alive  # type: ignore[attr-defined]
        owner.exitcode = property(traced_exitcode)  # type: ignore[attr-defined]

    def _wrap_received(self, owner: type) -> None:
        """A pool result arrived in the parent (its result-handler thread)."""
        original = owner.__dict__["_set"]
        tracer = self

        def _set(obj: Any, *args: Any, **kwargs: Any) -> Any:
            if os.getpid() == tracer.pid:
                tracer._tell("received", f"{owner.__name__}._set", obj, args, kwargs, None)
            return original(obj, *args, **kwargs)

        owner._set = _set  # type: ignore[attr-defined]

    def _describe_wait(self, object_list: Any, timeout: Any = None) -> str:
        """How many objects a wait was given, and of them the sentinels of processes (a wait on a
        pipe that is ready waits for no process)."""
        listed = list(object_list) if isinstance(object_list, (list, tuple, set)) else []
        sentinels = sum(1 for each in listed if type(each) is int and each in self.sentinels)
        return f"objects={len(listed)} sentinels={sentinels}" + ("" if timeout is None else f" timeout={timeout!r:.20}")

    def _found_ended(self, args: tuple[Any, ...], kwargs: dict[str, Any], ready: Any) -> None:
        """Note each process whose sentinel a ``connection.wait`` found ready, with the wait's timeout:
        without one, it waited for those, and only those (one for any of several returns at the first
        that is ready, a decoy's say: red team, round 18); with one, it saw them ended, as a look does
        (a join after it waits for nothing: a04)."""
        timeout = kwargs.get("timeout", args[1] if len(args) > 1 else None)
        if not isinstance(ready, list):
            return
        for each in ready:
            process = self.sentinels.get(each) if type(each) is int else None
            if process is not None:
                self.record(READY, process, "" if timeout is None else f"timeout={timeout!r:.20}", depth=3)

    def told_by_the_file(self) -> bool:
        """Whether the call now told to the listeners was made by the student's file itself, not by
        a library on its behalf (a pool's own threads look at its workers)."""
        return self.told_line() is not None

    def told_line(self) -> int | None:
        """The line of the student's file that made the call now told to the listeners itself; None
        if a library made it on the file's behalf."""
        frame: Any = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename == __file__:  # ``told_by_the_file``
            frame = frame.f_back
        while frame is not None and frame.f_code.co_filename != __file__:  # the listeners' frames, up to ``_tell``
            frame = frame.f_back
        site = self._site(frame)
        return site[0] if site is not None and site[2] else None

    def in_one_loop(self, first: int, second: int) -> bool:
        """Whether lines ``first`` and ``second`` of the student's file are in the body of one loop,
        as the file was when the tracer was made (before the student's code ran)."""
        return any(top <= min(first, second) and max(first, second) <= bottom for top, bottom in self._loops)

    def _is_direct(self) -> bool:
        caller = sys._getframe(2)
        return bool(caller.f_code.co_filename == self.file)


def _loops(path: str) -> list[tuple[int, int]]:
    """The lines each ``for`` or ``while`` of the file runs again and again: a while's test with its
    body; a for's body (its iterable runs once)."""
    try:
        with open(path, "rb") as file:
            tree = ast.parse(file.read(1 << 20))
    except (OSError, SyntaxError, ValueError):
        return []
    return [
        (node.lineno if isinstance(node, ast.While) else node.body[0].lineno, node.body[-1].end_lineno or 0)
        for node in ast.walk(tree)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While))
    ]


def _key(call: Call) -> tuple[str, int, int, str]:
    return call.api, call.obj, call.line, call.detail


def kind_of(obj: Any) -> str:
    for base in type(obj).__mro__:
        if base is multiprocessing.process.BaseProcess:
            return "Process"
        if base is multiprocessing.pool.Pool:
            return "Pool"
        if base in (multiprocessing.queues.Queue, multiprocessing.queues.SimpleQueue):
            return "Queue"
        if base is threading.Thread:
            return "Thread"
    return type(obj).__name__


def _safe(describe: Callable[..., str] | None, *args: Any, **kwargs: Any) -> str:
    if describe is None:
        return ""
    try:
        return describe(*args, **kwargs)
    except Exception:  # noqa: BLE001 - odd arguments are the student's; the call itself will tell
        return "?"


def target_kind(target: Any, student_module: str | None = None) -> str:
    """``probe``, ``none``, ``lambda``, ``nested:<qualname>``, ``student:<name>`` or ``other:<type>``."""
    if target is None:
        return "none"
    module = getattr(target, "__module__", None) or type(target).__module__
    if module and module.endswith("probes"):
        return "probe"
    name = getattr(target, "__qualname__", None)
    if name == "<lambda>":
        return "lambda"
    if name and "<locals>" in name:
        return f"nested:{name}"
    if name and module not in ("builtins", None) and not module.startswith(("multiprocessing", "threading")):
        return f"student:{name}"
    return f"other:{type(target).__name__}"


def _describe_process(obj: Any, *args: Any, **kwargs: Any) -> str:
    target = kwargs.get("target", args[1] if len(args) > 1 else None)
    call_args = kwargs.get("args", args[3] if len(args) > 3 else ())
    shape = (
        f"args={type(call_args).__name__}:{len(call_args)}"
        if isinstance(call_args, (tuple, list))
        else (f"args={type(call_args).__name__}")
    )
    return f"target={target_kind(target)} {shape} {type(obj).__name__}"


def _describe_timeout(obj: Any, timeout: Any = None) -> str:
    return "" if timeout is None else f"timeout={timeout!r:.20}"


def _describe_pool(obj: Any, processes: Any = None, *args: Any, **kwargs: Any) -> str:
    processes = kwargs.get("processes", processes)
    if isinstance(processes, int) and not isinstance(processes, bool):  # its number, not what its class says it is
        return f"processes={int.__repr__(processes)} {type(obj).__name__}"
    return f"processes={processes!r:.20} {type(obj).__name__}"


def _describe_queue_call(obj: Any, *args: Any, **kwargs: Any) -> str:
    timeout = kwargs.get("timeout", args[1] if len(args) > 1 else None)
    return "" if timeout is None else f"timeout={timeout!r:.20}"


def _describe_value(*args: Any, **kwargs: Any) -> str:
    lock = kwargs.get("lock", True)
    return f"typecode={args[0]!r:.10}" + ("" if lock is True else f" lock={lock!r:.20}")


def _describe_wait_for(obj: Any, timeout: Any = None, *args: Any, **kwargs: Any) -> str:
    timeout = kwargs.get("timeout", timeout)
    return "" if timeout is None else f"timeout={timeout!r:.20}"


def _describe_sleep(seconds: Any = None) -> str:
    return f"seconds={seconds!r:.20}"
