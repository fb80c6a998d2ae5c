"""The reach gate at run time: an audit hook in every process of the sandbox that runs student code.

``grader.reach`` refuses, before anything runs, a file that names the tools for reaching into the
interpreter (``gc``, frames, ``sys.modules``...). Names can be hidden (``from os import sys as s``,
``operator.attrgetter``), so the same tools are refused again here, by what they do: CPython raises
an audit event for each of them, and this hook (which no code can remove once added) ends the
process at once. A process that ends cannot send anything, so nothing it found can reach the
report: the check fails with the reason in its output.

Some events are refused whoever causes them: no code of ours needs them once the student's module
is imported. Others (a frame, tracing) the standard library itself uses on a student's behalf
(``warnings``, ``logging``): they are refused only when the student's own code asks.
"""

from __future__ import annotations

import _thread
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs a spawned child 3 ms to import
    from types import FrameType
    from typing import Any

EXIT = 97  #: the exit code of a process the guard ended (``grader.feedback`` says why)
# refused whoever asks: nothing of ours needs them once the student's module is imported
# (and lowered limits: a limit of 0 open files or bytes makes the probes' records fail)
ALWAYS = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames",
                    "resource.setrlimit", "resource.prlimit"})  # fmt: skip
# refused unless our own code asks (the standard library too could do them for the student): the
# probes' notes folder is hidden by its mode (``Tools.folder``), and a program the student's code
# runs would have no guard
UNLESS_OURS = frozenset({"os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen"})
HIDDEN = ".probes"  #: the folder ``Tools.folder`` makes unlistable: its mode stays as it is
# refused when the student's own code asks: the standard library takes frames on its behalf
# (``warnings``, ``logging``, ``namedtuple``) and gives none back
FROM_STUDENT = frozenset({"sys._getframe", "sys._getframemodulename", "sys.settrace", "sys.setprofile"})
FRAME_ATTRIBUTES = frozenset({"tb_frame", "f_code", "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame",
                              "ag_code"})  # fmt: skip
# the environment every process the code starts inherits: PYTHONPATH, PYTHONWARNINGS or LD_PRELOAD
# would make a spawned child run a module or library of the student's as it starts, before its guard
ENVIRONMENT = ("os.putenv", "os.unsetenv")
STARTUP_VARIABLES = ("PYTHON", "LD_")
# ours tell each new process the student's module, the cores, the queues a scenario asked for
OUR_VARIABLES = "MPGRADE_"
PATHS = ("open", "os.listdir", "os.scandir")
# names of a process's files under /proc/<pid>, refused in a relative path (a folder opened first)
PROCESS_FILES = frozenset({"proc", "environ", "mem", "pagemap", "fd", "fdinfo", "map_files", "task", "auxv", "cwd",
                           "root", "exe"})  # fmt: skip
LINKS_INTO_PROC = ("/dev/", "/etc/")  # paths resolved before they are judged
PLAIN = frozenset({"status", "stat", "statm", "comm", "cmdline", "limits", "cpuinfo", "meminfo", "loadavg", "uptime"})
MODES = ("os.chmod", "os.chown")
# Code made at run time, which the static gate never read, that the student's code has the standard
# library compile and run (dataclasses' methods, a manager's proxy methods): the names it may not
# use, as the student's file may not (red team, rounds 10 and 11: a field's name that was code).
MADE_CODE_REFUSES = frozenset({
    "__import__", "__builtins__", "__globals__", "__dict__", "__code__", "__closure__", "__func__", "__self__",
    "__subclasses__", "__bases__", "__base__", "__mro__", "mro", "__getattribute__", "__reduce__", "__reduce_ex__",
    "modules", "_getframe", "f_globals", "f_locals", "f_back", "f_builtins", "f_code", "gi_frame", "gi_code",
    "tb_frame", "cr_frame", "co_code", "co_consts", "vars", "globals", "locals", "getattr", "setattr", "delattr",
    "exec", "eval", "compile", "open", "breakpoint", "help", "get_objects", "dispatch_table",
})  # fmt: skip
WATCHED = ALWAYS | UNLESS_OURS | FROM_STUDENT | {"object.__getattr__", "object.__setattr__", "os.symlink", "exec",
                                                  *PATHS, *MODES, *ENVIRONMENT}  # fmt: skip

_OURS = os.path.dirname(os.path.abspath(__file__))
_LIB = os.path.dirname(_OURS)  # the sandbox's own modules, ours beside them (coverage, for the selfcheck)
_STDLIB = os.path.dirname(os.path.abspath(os.__file__))
_busy: set[int] = set()  #: the threads inside the hook (whose own calls raise events too)


def install() -> None:
    sys.addaudithook(_hook)
    if "logging" in sys.modules:
        _plain_logging_formats(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _WhenLoggingLoads())


class _WhenLoggingLoads:
    """An import hook that makes logging's ``{`` style formats plain as logging is imported."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "logging":
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            execute = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                execute(module)
                _plain_logging_formats(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _plain_logging_formats(logging: Any) -> None:
    """logging's ``{`` style formats a record with ``str.format``, whose fields read attributes and
    items (``"{msg.__call__.__globals__}"``): a format made at run time would read what no line of
    the file names (the static gate refuses the ways of asking for one it knows). Such a format
    raises instead."""
    style = logging.StrFormatStyle
    formatted = style._format

    def _format(self: Any, record: Any) -> str:
        if _reads_attributes(self._fmt):
            raise ValueError("a logging format whose fields read attributes or items: the grader's sandbox refuses it")
        return str(formatted(self, record))

    style._format = _format


def _reads_attributes(text: str) -> bool:
    import _string

    return any(
        field and ("." in field or "[" in field) or spec and _reads_attributes(spec)
        for _, field, spec, _ in _string.formatter_parser(text)
    )


def _hook(event: str, args: tuple[Any, ...]) -> None:
    thread = _thread.get_ident()
    if thread in _busy or event not in WATCHED:
        return
    _busy.add(thread)
    try:
        refused = _refused(event, args)
        if refused:
            _end(refused)
    finally:
        _busy.discard(thread)


def _refused(event: str, args: tuple[Any, ...]) -> str:
    if event in ALWAYS:
        return event
    if event in UNLESS_OURS:
        return event if _caller() != "ours" else ""
    if event in ENVIRONMENT:  # os.environ's own code is what calls putenv
        name = os.fsdecode(args[0]).upper()
        startup = name.startswith(STARTUP_VARIABLES)
        ours = name.startswith(OUR_VARIABLES) and _caller(past_stdlib=True) != "ours"
        return f"{event}({name!r})" if startup or ours else ""
    if event in MODES:  # of the hidden folder, or of a file by its descriptor (which could be it)
        path = args[0]
        hidden = isinstance(path, int) or HIDDEN in os.path.abspath(os.fsdecode(path)).split(os.sep)
        return f"{event}({path!r})" if hidden and _caller() != "ours" else ""
    if event in PATHS:
        if isinstance(args[0], int) and event != "open" and _caller(past_stdlib=True) == "student":
            return f"{event}() of an open folder ({args[0]})"  # the probes' folders the scenario holds open
        if isinstance(args[0], int) and event == "open" and _caller() == "student":
            return f"open() of a file descriptor ({args[0]})"  # a shared value's memory, behind its probe
        path = os.fsdecode(args[0]) if isinstance(args[0], (str, bytes)) else ""
        if path and _is_a_process_file(path) and _caller(past_stdlib=True) != "ours":
            return f"{event}({path!r})"
        return ""
    if event == "exec":  # (a module's code comes from its file, which the static gate read)
        code = args[0]
        made = getattr(code, "co_filename", "x").startswith("<") and not code.co_filename.startswith("<frozen")
        if made and _caller(past_stdlib=True) == "student":
            refused = _refused_in_made_code(code)
            return f"code made at run time that uses {refused}" if refused else ""
        return ""
    if event == "os.symlink" and _caller(past_stdlib=True) != "ours":  # a link into /proc, opened by its name
        return f"{event}{args[:2]!r}"
    if event == "object.__setattr__":  # (a class's attributes raise no event: the probes' are sealed)
        if args[1] == "__code__":
            return f"setting __code__ of {getattr(args[0], '__qualname__', '?')}"
        probe = type(args[0]).__module__.startswith(f"{__package__}.")
        return "changing the class of an object the grader handed it" if args[1] == "__class__" and probe else ""
    frame_attribute = event == "object.__getattr__" and args[1] in FRAME_ATTRIBUTES
    if (event in FROM_STUDENT or frame_attribute) and _caller() == "student":
        return f"the attribute {args[1]}" if frame_attribute else event
    return ""


def _refused_in_made_code(code: Any) -> str:
    """A name of ``MADE_CODE_REFUSES``, a private name of the probes', or an import, in ``code`` or the
    code it holds (its functions, lambdas, comprehensions), or ""."""
    import opcode

    imports = {opcode.opmap["IMPORT_NAME"], opcode.opmap["IMPORT_FROM"]}
    for name in code.co_names:
        if name in MADE_CODE_REFUSES or name.startswith("_probe"):
            return str(name)
    if any(operation in imports for operation in code.co_code[::2]):
        return "an import"
    inner = (constant for constant in code.co_consts if type(constant) is type(code))
    return next((found for found in map(_refused_in_made_code, inner) if found), "")


def _is_a_process_file(path: str) -> bool:
    """A file of a process's, under ``/proc``: its memory, the environment it started with (where a
    new process finds the probes' key), its open files (a shared value's memory, opened afresh)...
    by its path, through a link (``/dev/fd/N``, ``/dev/stdin``), or by a name relative to a folder
    the code opened (``dir_fd``, which the event does not show): a relative path through one of
    their names is refused too."""
    if not os.path.isabs(path) and not PROCESS_FILES.isdisjoint(path.split("/")):
        return True
    written = "/" + os.path.abspath(path).lstrip("/")  # "//proc" is /proc, which abspath leaves as it is
    # (the links into /proc there are (/dev/fd, /dev/stdin, /etc/mtab); no code of the student's can make one)
    for where in (written, os.path.realpath(written)) if written.startswith(LINKS_INTO_PROC) else (written,):
        parts = ("/" + where.lstrip("/")).split("/")
        plain = parts[-1] in PLAIN and PROCESS_FILES.isdisjoint(parts[2:])  # /proc/self/status
        if where.startswith("/dev/fd") or parts[1] == "proc" and not plain:
            return True
    return False


def _caller(past_stdlib: bool = False) -> str:
    """Whose is the nearest Python code that raised the event: "ours", "stdlib" or "student" (or,
    ``past_stdlib``, the nearest that is not the standard library's: "ours" or "student")."""
    frame: FrameType | None = sys._getframe(3)  # _caller <- _refused <- _hook <- the code that raised the event
    while frame is not None:
        owner = _owner(frame.f_code.co_filename)
        if not past_stdlib or owner != "stdlib":
            return owner
        frame = frame.f_back
    return "stdlib"


_OWNERS: dict[str, str] = {}  #: absolute filename -> its owner: every step of a walk up the stack asks


def _owner(filename: str) -> str:
    owner = _OWNERS.get(filename)
    if owner is None:
        owner = _owner_of(filename)
        if os.path.isabs(filename):  # (a relative one is read from the working folder, which can change)
            _OWNERS[filename] = owner
    return owner


def _owner_of(filename: str) -> str:
    if filename.startswith("<frozen"):
        return "stdlib"
    path = os.path.abspath(filename)
    if path.startswith(_OURS):
        return "ours"
    if path.startswith((_STDLIB, _LIB + os.sep)) or "-packages" + os.sep in path:
        return "stdlib"
    return "student"


def _end(what: str) -> None:
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and _owner(frame.f_code.co_filename) != "student":
        frame = frame.f_back
    where = f" ({os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno})" if frame is not None else ""
    message = f"\nThe grader stopped this process: it reached into the interpreter with {what}{where}.\n"
    try:
        os.write(2, message.encode(errors="replace"))
    finally:
        os._exit(EXIT)
