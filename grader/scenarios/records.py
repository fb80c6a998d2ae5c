"""The records that cross the sandbox's wall, and their wire format.

Everything the runner sends the judge is a frozen dataclass of this package, encoded as JSON and
framed by length on a socket the judge owns. The judge decodes each message against the type it
expects (``decode``), checking every field's type: data of the wrong shape is rejected, never
executed or trusted (no pickle crosses the wall).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import socket
import struct
import sys
import types
import typing
from dataclasses import dataclass
from typing import Any, TypeVar, Union

T = TypeVar("T")

MAX_MESSAGE = 4 * 1024 * 1024  # bytes: far above any report, far below what could hurt the judge
HEADER = struct.Struct(">I")


class Outcome(str, enum.Enum):
    """How one run of a scenario ended."""

    RETURNED = "returned"  # the scenario ran to its end and observed what the student's code did
    RAISED = "raised"  # the student's code raised (any BaseException), at import or during the call
    UNUSABLE = "unusable"  # a function or name the exercise asks for is missing or has another signature
    TIMED_OUT = "timed_out"  # it did not finish within the scenario's time
    CRASHED = "crashed"  # the scenario's process ended before it reported (os._exit, a signal, a limit)
    STOPPED = "stopped"  # the judge stopped it: too many processes, too much memory, the deadline
    NOT_RUN = "not_run"  # it never ran: grading stopped before it, or an earlier run settles it


class Phase(str, enum.Enum):
    IMPORT = "import"  # while the student's module was being imported
    CALL = "call"  # while the scenario called the student's functions


def import_failed(report: Report) -> bool:
    """The student's module did not import: it raised, hung or ended the process while importing."""
    failures = (Outcome.RAISED, Outcome.TIMED_OUT, Outcome.CRASHED)
    return report.phase is Phase.IMPORT and report.outcome in failures


class Missing(str, enum.Enum):
    """Why the student's module cannot be used for a scenario."""

    FUNCTION = "function"  # no such name
    NOT_CALLABLE = "not_callable"
    SIGNATURE = "signature"  # it cannot be called as the exercise calls it
    CONSTANT = "constant"  # a module-level name the exercise asks to keep


class Stop(str, enum.Enum):
    """Why the judge stopped a scenario from outside."""

    PROCESSES = "processes"
    MEMORY = "memory"
    DEADLINE = "deadline"
    RUNNER_LOST = "runner_lost"  # the sandbox's runner itself ended or stopped answering


@dataclass(frozen=True)
class Frame:
    """One frame of a traceback or a stack dump, as the process saw its own files."""

    file: str
    line: int
    function: str


@dataclass(frozen=True)
class Raised:
    """An exception from the student's code, described without the exception object."""

    type: str  #: the class's name, e.g. ``ValueError``
    module: str  #: where the class is defined, e.g. ``builtins``
    message: str  #: ``str(exception)``, cut
    frames: tuple[Frame, ...]  #: outermost first, as a traceback prints them
    exit_code: str | None = None  #: ``repr(code)`` of a ``SystemExit``
    errno: int | None = None  #: of an ``OSError``
    remote: str = ""  #: the traceback text a Pool attaches to an error raised in a worker


@dataclass(frozen=True)
class Unusable:
    kind: Missing
    name: str
    wanted: str  #: how the exercise calls it, e.g. ``run_in_process(target, args=())``
    found: str = ""  #: its actual signature, when it has one


@dataclass(frozen=True)
class Dump:
    """What ``faulthandler`` wrote for one process when time ran out."""

    pid: int
    text: str
    main: bool = False  #: the scenario's own process, which called the student's function
    command: str = ""  #: for a process that is not Python: what it runs


@dataclass(frozen=True)
class Value:
    """A value the student's code returned or passed on, described as data.

    ``kind`` names its exact type (``bool`` is not ``int`` here, and a subclass is ``other``);
    ``data`` holds it when it is plain data (numbers, strings, None, lists and tuples of them);
    ``text`` is its ``repr``, cut, for messages.
    """

    kind: str  #: int, bool, float, str, none, list, tuple, dict, or other
    text: str
    data: Any = None
    type_name: str = ""  #: the class's name, for ``other``


DROPPED = "calls-dropped"  #: the ``api`` of the last ``Call`` kept once the list is full; its count: how many were not
RUNNING = "running"  #: a ``Call``'s detail for a look (``is_alive()``, ``exitcode``) that found the process running
#: the detail of a look that found the process held and saw it end: the scenario released it as a poll's look
ENDED_AT_LOOK = "ended-at-look"
#: the ``api`` of a ``Call`` for a process a ``connection.wait`` found ended (its detail: the wait's timeout, if any)
READY = "connection.ready"


@dataclass(frozen=True)
class Call:
    """One call the student's code made to the multiprocessing API (or a few others) in the
    scenario's process, with the line of their file it came from. Repeats of the same call from the
    same line on the same object are folded into one, with a count."""

    api: str  #: e.g. ``Process.start``, ``Pool.__init__``, ``connection.wait``, ``time.sleep``
    obj: int  #: which object (numbered per kind in order of creation); 0 for a function
    line: int  #: the innermost line of the student's file on the stack
    function: str  #: the student's function that line is in (``<module>`` at import)
    direct: bool  #: the student's own line made the call (not multiprocessing on their behalf)
    detail: str = ""  #: e.g. ``timeout=0.01``, ``processes=3``, ``target=student:increment``
    count: int = 1


@dataclass(frozen=True)
class Request:
    """The judge asks the runner to run one scenario under one start method."""

    scenario: str  #: ``ex01.plain_run``
    method: str  #: ``fork``, ``spawn`` or ``forkserver``
    params: dict[str, Any]  #: the scenario's inputs, chosen by the judge
    timeout: float  #: seconds, already scaled
    gate_timeout: float  #: seconds a process waits for its siblings, already scaled
    hold_timeout: float  #: seconds a held target waits for the parent to wait for it, already scaled
    #: seconds ``timeout`` may grow by, for the time the scenario's processes waited for a CPU that
    #: other work kept busy: time a busy machine took from the check is given back, up to this
    cpu_wait: float = 0.0
    #: lines of the student's file whose looks at a process are in a loop the judge vouches for: it
    #: waits until the processes end, or a join that does follows it (``grader.judge.polls.patient_lines``);
    #: a look again from one is a wait
    patient_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Expire:
    """The judge tells the runner to stop the scenario now: its processes are deadlocked."""

    scenario: str
    method: str


@dataclass(frozen=True)
class Report:
    """What came of one ``Request``."""

    scenario: str
    method: str
    outcome: Outcome
    phase: Phase = Phase.CALL
    observed: dict[str, Any] | None = None  #: the scenario's observation, encoded; decoded by the judge
    raised: Raised | None = None
    unusable: Unusable | None = None
    status: int | None = None  #: the scenario process's exit: a code, or minus the signal that ended it
    output: str = ""  #: what the processes printed, cut to the limit
    output_cut: int = 0  #: characters left out
    dumps: tuple[Dump, ...] = ()  #: stacks of every process, when it timed out
    seconds: float = 0.0
    stop: Stop | None = None
    deadlock: bool = False  #: timed out early: the judge saw every process waiting for good
    calls: tuple[Call, ...] = ()  #: what the student's code called before it raised (an observation has its own)
    helpers: tuple[int, ...] = ()  #: multiprocessing's own helper processes (fork server, resource tracker)
    leftover: int = 0  #: processes of the student's still running when the scenario ended: killed
    waited: float = 0.0  #: seconds its timeout grew by: the longest one of its processes waited for a CPU


@dataclass(frozen=True)
class Ready:
    """The runner's first message: it is set up and waits for requests."""

    pid: int  #: the runner's pid as it sees itself (1 inside a PID namespace)
    uid: int
    python: str


# --- encoding ---------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A record as JSON-ready data: dataclasses become objects, enums their values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


class Malformed(ValueError):
    """Data that does not have the shape of the record it claims to be."""


def decode(kind: Any, data: Any, where: str = "record") -> Any:
    """``data`` checked against the type ``kind`` and built into it; ``Malformed`` if it does not fit."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return _json_value(data, where)
    if origin in (Union, types.UnionType):
        for option in typing.get_args(kind):
            try:
                return decode(option, data, where)
            except Malformed:
                continue
        raise Malformed(f"{where}: {data!r:.80} fits none of {kind}")
    if kind is type(None):
        if data is not None:
            raise Malformed(f"{where}: expected null")
        return None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        try:
            return kind(data)
        except ValueError:
            raise Malformed(f"{where}: {data!r:.80} is not a {kind.__name__}") from None
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise Malformed(f"{where}: expected an object for {kind.__name__}")
        hints = typing.get_type_hints(kind, vars(sys.modules[kind.__module__]))
        fields = {field.name: field for field in dataclasses.fields(kind)}
        unknown = set(data) - set(fields)
        if unknown:
            raise Malformed(f"{where}: unknown fields {sorted(unknown)} for {kind.__name__}")
        values: dict[str, Any] = {}
        for name, field in fields.items():
            if name in data:
                values[name] = decode(hints[name], data[name], f"{where}.{name}")
            elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise Malformed(f"{where}: {kind.__name__} lacks {name}")
        return kind(**values)
    if origin in (tuple, list):
        if not isinstance(data, list):
            raise Malformed(f"{where}: expected a list")
        args = typing.get_args(kind)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(args) != len(data):
                raise Malformed(f"{where}: expected {len(args)} items")
            return tuple(
                decode(arg, item, f"{where}[{i}]") for i, (arg, item) in enumerate(zip(args, data, strict=True))
            )
        items = [decode(args[0], item, f"{where}[{i}]") for i, item in enumerate(data)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        key_type, value_type = typing.get_args(kind)
        if not isinstance(data, dict) or key_type is not str:
            raise Malformed(f"{where}: expected an object")
        return {key: decode(value_type, item, f"{where}[{key!r}]") for key, item in data.items()}
    if kind is float:
        if type(data) not in (int, float):
            raise Malformed(f"{where}: expected a number")
        return float(data)
    if kind in (int, str, bool):
        if type(data) is not kind:
            raise Malformed(f"{where}: expected {kind.__name__}, not {type(data).__name__}")
        return data
    raise TypeError(f"cannot decode {kind!r}")  # a record of ours with a type this module does not know


def _json_value(data: Any, where: str) -> Any:
    """Plain JSON data (for fields typed ``Any``), checked to be made of JSON's own types."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if isinstance(data, list):
        return [_json_value(item, where) for item in data]
    if isinstance(data, dict) and all(type(key) is str for key in data):
        return {key: _json_value(item, where) for key, item in data.items()}
    raise Malformed(f"{where}: not JSON data")


# --- framing ----------------------------------------------------------------------------------


def send(sock: socket.socket, record: Any) -> None:
    body = json.dumps(encode(record), ensure_ascii=False).encode()
    if len(body) > MAX_MESSAGE:
        raise ValueError(f"a message of {len(body)} bytes is over the limit")
    sock.sendall(HEADER.pack(len(body)) + body)


def receive(sock: socket.socket, kind: type[T]) -> T:
    """The next message, decoded as ``kind``. ``EOFError`` when the other side closed."""
    size = HEADER.unpack(_exactly(sock, HEADER.size))[0]
    if size > MAX_MESSAGE:
        raise Malformed(f"a message of {size} bytes is over the limit")
    try:
        data = json.loads(_exactly(sock, size))
    except ValueError as error:
        raise Malformed(f"not JSON: {error}") from None
    result: T = decode(kind, data, getattr(kind, "__name__", "message"))
    return result


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks += chunk
    return bytes(chunks)
