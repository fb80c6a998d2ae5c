"""What a pickle may name inside the sandbox.

multiprocessing carries objects between the sandbox's processes as pickles, and a pickle's opcodes
name any object of the interpreter by its module and a dotted name
(``mpgrade_scenarios.probes.WatchedCounter.get_lock.__globals__``), then call it. Bytes that the
student's code writes into a pipe by hand (``os.write(w.fileno(), ...)``, then ``r.recv()``) would
look up, and call, what no line of the file names: past ``grader.reach``, which reads the file.
So every unpickler of the sandbox's processes (``Connection.recv``, ``Queue.get``, the start of a
spawned child) is this one, and a pickle may name only:

- the student's own module's classes and functions, by names that are not dunders (private
  ones only at its top level, as the file itself may use them);
- multiprocessing's own classes, and the functions its pickles call to rebuild an object;
- classes of plain values and exceptions (``int``, ``dict``, ``Fraction``, ``ValueError``...);
- the classes of the probes the scenarios hand the student's code (which its code may call anyway);
- ``getattr``, as pickles of bound methods use it: methods only, of a class or of an object of
  the student's module or of multiprocessing, never a dunder, private only of the student's.

Never a module, a function of ours, or an object that exists already (a probe kept in a class
attribute, say, whose state a pickle's BUILD would then set), and through classes only: not
``a_generator.gi_frame``. Anything else raises ``UnpicklingError`` saying what was refused, in the
student's process: the check that was running fails with it.
"""

from __future__ import annotations

import importlib
import io
import os
import pickle
import sys
import threading
from types import (
    BuiltinFunctionType,
    ClassMethodDescriptorType,
    FunctionType,
    MethodDescriptorType,
    MethodType,
    MethodWrapperType,
    ModuleType,
    WrapperDescriptorType,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs a spawned child 3 ms to import
    from typing import Any

MODULE = "MPGRADE_MODULE"  #: the student's module name, set by the runner, inherited by every process
PACKAGE = __package__ or "mpgrade_scenarios"  #: the scenarios' package (``grader.scenarios`` outside the sandbox)
MAINS = ("__main__", "__mp_main__")  # ``child``, every process's main module in the sandbox
MULTIPROCESSING = ("multiprocessing.", "concurrent.futures.")
# what multiprocessing's pickles call to rebuild an object (its classes are allowed as classes)
REBUILDERS = frozenset({
    "rebuild_connection", "rebuild_arena", "rebuild_ctype", "synchronized", "rebuild_exc", "_rebuild_exc",
    "_rebuild_partial", "_rebuild_socket", "RebuildProxy", "AutoProxy", "Array", "worker", "mapstar",
    "starmapstar", "_helper_reraises_exception", "_process_worker", "_process_chunk",
})  # fmt: skip
# the functions of ours that a scenario hands a pool as its task
TASKS = {f"{PACKAGE}.probes": frozenset({"meet_in_pool", "square_first_one_last"})}
VALUES = {
    "builtins": {"bool", "int", "float", "complex", "str", "bytes", "bytearray", "list", "tuple", "dict", "set",
                 "frozenset", "range", "slice", "object", "Ellipsis", "NotImplemented",
                 # functions a pool may map: they run no code of their own and look nothing up
                 "abs", "len", "sum", "min", "max", "sorted", "round", "pow", "divmod", "repr", "ascii", "format",
                 "hash", "ord", "chr", "hex", "oct", "bin", "all", "any", "print", "isinstance", "callable"},
    "collections": {"OrderedDict", "defaultdict", "Counter", "deque", "ChainMap", "UserDict", "UserList",
                    "UserString"},
    "pathlib": {"Path", "PosixPath", "PurePath", "PurePosixPath"},
    "uuid": {"UUID", "SafeUUID"},
    "operator": {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos", "abs", "not_", "truth",
                 "eq", "ne", "lt", "le", "gt", "ge", "and_", "or_", "xor", "concat", "contains", "index",
                 "itemgetter"},  # not attrgetter or methodcaller, which look attributes up by name
    "time": {"sleep", "time", "monotonic", "perf_counter"},  # a pool may map them too
    "coverage.multiproc": {"Stowaway"},  # the selfcheck's coverage, in a spawned child's preparation data
    "os": {"getpid", "getppid", "cpu_count", "process_cpu_count"},  # child.set_cores's stand-ins pickle so
    "fractions": {"Fraction"},
    "decimal": {"Decimal"},
    "datetime": {"date", "time", "datetime", "timedelta", "timezone"},
    "functools": {"partial"},
    "array": {"array", "_array_reconstructor"},
    "ctypes": {"c_bool", "c_char", "c_wchar", "c_byte", "c_ubyte", "c_short", "c_ushort", "c_int", "c_uint",
               "c_long", "c_ulong", "c_longlong", "c_ulonglong", "c_float", "c_double", "c_longdouble"},
    "copyreg": {"_reconstructor"},
    "queue": {"Queue", "LifoQueue", "PriorityQueue", "SimpleQueue", "Empty", "Full"},
    "_queue": {"SimpleQueue", "Empty"},
    "threading": {"Event", "Semaphore", "BoundedSemaphore", "Condition", "Barrier", "RLock"},  # a manager's
    "_thread": {"allocate_lock"},
    "types": {"SimpleNamespace"},
}  # fmt: skip
# what getattr may give a pickle: a method or a function, nothing with a state to set
METHODS = (FunctionType, MethodType, BuiltinFunctionType, MethodDescriptorType, ClassMethodDescriptorType,
           WrapperDescriptorType, MethodWrapperType)  # fmt: skip
IMMUTABLE = (str, bytes, int, float, complex, tuple, frozenset, range)  # whose methods ("{}".format) a pool may map
PRIVATE_METHODS = frozenset({"_run_server"})  # a manager's server process starts with it
# names getattr refuses on anything: what would run a file, another executable or an unchecked pickle
NEVER = frozenset({"set_executable", "set_forkserver_preload", "get_preparation_data", "prepare",
                   "import_main_path", "spawn_main", "loads", "load"})  # fmt: skip


REFUSED = "the grader's sandbox refused to unpickle"  #: how the feedback knows the error (its hint)


def refused(what: str, ours: bool = False) -> pickle.UnpicklingError:
    """The error for a name a pickle may not name: a standard one, as the student sees its class;
    the name, unless it is one of ours (whose names the student's feedback never shows)."""
    shown = "an object of the grader's" if ours else what
    return pickle.UnpicklingError(
        f"{REFUSED} {shown}: between processes it carries values, the objects of multiprocessing and "
        "the functions and classes of your own module, nothing else"
    )


class SandboxUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        return look_up(module, name)


def look_up(module: str, name: str) -> Any:
    """The object a pickle names, if it may name it."""
    what = f"{module}.{name}"
    parts = name.split(".")
    if any(_dunder(part) or not part for part in parts):
        raise refused(what)
    if module == os.environ.get(MODULE):  # private names at its top level only, as the file may use them
        if any(part.startswith("_") for part in parts[1:]):
            raise refused(what)
        found = getattr(_module(module), parts[0])
        if len(parts) == 1 and type(found).__module__ == module:  # a sentinel of the file's own class
            return found
        return _walk(module, parts, what)
    if _ours(module):  # a probe's class or a pool task: nothing else of ours, nothing private
        if module not in MAINS and not any(part.startswith("_") for part in parts):
            found = _walk(module, parts, what)
            if isinstance(found, type) and found.__module__ == module or name in TASKS.get(module, ()):
                return found
        raise refused(what, ours=True)
    if name in VALUES.get(module, ()) or module == "math" and not name.startswith("_"):
        return getattr(_module(module), name)
    if module == "builtins" and name == "getattr":
        return safe_getattr
    if module.startswith(MULTIPROCESSING):  # its classes, and the functions that rebuild its objects
        found = _walk(module, parts, what)
        if isinstance(found, type) or parts[-1] in REBUILDERS and callable(found):
            return found
    elif module in sys.modules:  # an exception of a module in use (never imported only to unpickle)
        found = _walk(module, parts, what)
        if isinstance(found, type) and issubclass(found, BaseException):
            return found
    raise refused(what)


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _ours(module: str) -> bool:
    return module in MAINS or module == PACKAGE or module.startswith(f"{PACKAGE}.")


def _module(name: str) -> ModuleType:
    return sys.modules.get(name) or importlib.import_module(name)


def _walk(module: str, parts: list[str], what: str) -> Any:
    """``module.a.b``: through classes only, as a pickle names a class, a function or a method by
    its qualified name, and never to a module or an object (whose state BUILD could then set)."""
    found: Any = _module(module)
    for number, part in enumerate(parts):
        if number and not isinstance(found, type):
            raise refused(what)
        found = getattr(found, part)
    if not isinstance(found, (type, FunctionType, BuiltinFunctionType)):
        raise refused(what)
    return found


def safe_getattr(obj: Any, name: str, *default: Any) -> Any:
    """``getattr`` for a pickle: a bound method's is ``getattr(its object, its name)``, a method
    descriptor's ``getattr(its class, its name)``. Only methods, of a class or of an object of the
    student's module or of multiprocessing; private ones only of the student's."""
    kind = obj if isinstance(obj, type) else type(obj)
    module = str(getattr(kind, "__module__", ""))
    what = f"getattr(..., {name!r})"
    if _ours(module):
        raise refused(what, ours=True)
    student = module == os.environ.get(MODULE)
    if (
        not isinstance(name, str)
        or name.startswith("__")
        or name in NEVER
        or name.startswith("_")
        and not student
        and name not in PRIVATE_METHODS
        or not (isinstance(obj, (type, *IMMUTABLE)) or student or module.startswith(MULTIPROCESSING))
    ):
        raise refused(what)
    found = getattr(obj, name, *default)
    if not isinstance(found, METHODS):
        raise refused(what)
    return found


def loads(data: Any, /, *, fix_imports: bool = True, encoding: str = "ASCII", errors: str = "strict",
          buffers: Any = ()) -> Any:  # fmt: skip
    file = io.BytesIO(data)
    return SandboxUnpickler(file, fix_imports=fix_imports, encoding=encoding, errors=errors, buffers=buffers).load()


def load(file: Any, *, fix_imports: bool = True, encoding: str = "ASCII", errors: str = "strict",
         buffers: Any = ()) -> Any:  # fmt: skip
    return SandboxUnpickler(file, fix_imports=fix_imports, encoding=encoding, errors=errors, buffers=buffers).load()


def install() -> None:
    """Make every unpickler of this process, and of the processes it starts, this one. A spawned
    child unpickles what its parent sends before it imports anything of ours (``child`` comes with
    that), so its command line installs this module first, which also takes the probes' key
    (``carry_key``)."""
    from multiprocessing import reduction, spawn

    pickle.loads, pickle.load, pickle.Unpickler = loads, load, SandboxUnpickler  # type: ignore[misc]
    reduction.ForkingPickler.loads = staticmethod(loads)
    if not getattr(spawn.get_command_line, "starts_with", ""):
        spawn.get_command_line = _starting_with("install", spawn.get_command_line)
    carry_key()


def carry_key() -> None:
    """Start every spawned child of this process (and the fork server) with the probes' key, and take
    it here if this process was started so (``install`` does it too; the kit's tests use it alone).

    The key travels in the new process's environment, set at the C level only (``os.putenv``: not in
    ``os.environ``, which the student's code in this process could read) for just the time it takes
    to start it, and the new process takes it and removes it before any code of the student's runs.
    Not in the preparation data: another thread of the parent can read the pipe that carries that
    to the child before the child does (red team, round 7)."""
    from multiprocessing import spawn, util

    if not getattr(spawn.get_command_line, "starts_with", ""):
        spawn.get_command_line = _starting_with("carry_key", spawn.get_command_line)
    if not getattr(util.spawnv_passfds, "carries_key", False):
        util.spawnv_passfds = _carrying_key(util.spawnv_passfds)
    key = os.environ.pop(KEY, "")  # (os.environ's pop unsets it at the C level too)
    posix_environ = getattr(sys.modules.get(os.name), "environ", {})
    posix_environ.pop(KEY.encode(), None)  # os.environ's source, a module the static gate refuses
    if key:
        from . import probes

        probes.take_key(bytes.fromhex(key))


def _starting_with(function: str, get_command_line: Any) -> Any:
    """A spawned child's command line that calls ``function`` of this module first."""

    def command_line(**kwds: Any) -> list[str]:
        line: list[str] = get_command_line(**kwds)
        code = line.index("-c") + 1
        line[code] = f"from {__name__} import {function}; {function}(); {line[code]}"
        return line

    command_line.starts_with = function  # type: ignore[attr-defined]
    return command_line


KEY = "MPGRADE_KEY"  #: the variable that carries the probes' key to a new process, as it starts
_SPAWNING = threading.Lock()  # one start at a time sets and unsets it


def _new_lock() -> None:  # a child forked while another thread held it would wait forever
    global _SPAWNING
    _SPAWNING = threading.Lock()


os.register_at_fork(after_in_child=_new_lock)


def _carrying_key(spawnv_passfds: Any) -> Any:
    def spawning(path: Any, args: Any, passfds: Any) -> int:
        from . import probes

        if not any(b"spawn_main" in os.fsencode(arg) or b"forkserver" in os.fsencode(arg) for arg in args):
            return int(spawnv_passfds(path, args, passfds))  # the resource tracker: no code of the student's
        with _SPAWNING:
            os.putenv(KEY, probes.scenario_key().hex())
            try:
                pid: int = spawnv_passfds(path, args, passfds)
            finally:
                os.unsetenv(KEY)
        return pid

    spawning.carries_key = True  # type: ignore[attr-defined]
    return spawning
