"""Code that reaches into the running interpreter: the grader does not run it.

The scenarios observe a submission from inside its own process: the calls it makes, the values
it returns. Code that can walk the interpreter's objects, frames and code (``gc``, ``sys.modules``,
``__globals__``, ``ctypes``, ``exec``...) could change those observations, or find the grader's
own objects, instead of solving the exercise. So could code that looks an object up by a name it
makes at run time (``string.Formatter().get_field("0.get_lock.__func__.__globals__", ...)``,
``pydoc.locate``, ``unittest.mock.patch``, a pickle, whose opcodes name any module attribute),
since the name cannot be read here. None of it is needed for these exercises, so a file that uses
any of it is refused before it runs, with the line to remove. (This is one layer of the defence:
the judge outside the sandbox and the sandbox itself do not depend on it.)
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import re
from dataclasses import dataclass

# why a name is refused, where "it reaches into the interpreter" alone would not say it
BY_NAME = "which looks up objects by a name made at run time"
RUNS = "which runs code made at run time"
UNPICKLES = "which unpickles bytes, and a pickle can name any object of the interpreter"
MEMBERS = "which hands back every attribute of an object"
IMPORTS = "which lets a module written at run time be imported"
PROGRAM = "which makes every new process run a program of its choice, which nothing checks"
PROBE_NAME = (
    "is a private name of the objects the grader hands your code, and a method called with one of them as its "
    "self would reach inside it, so the grader does not run it. Give your attribute another name."
)
RAW = "which carries raw bytes that recv() unpickles, and a pickle can name any object of the interpreter"
MULTIPROCESSING_NAME = (
    "is a private name of multiprocessing's own objects (a queue's pipe, a process's handle), which the grader "
    "watches through their public methods; a method called with one of them as its self would reach behind "
    "those, so the grader does not run it. Give your attribute another name."
)

# the modules a submission may import (with their submodules): what these exercises need, and the
# standard library's plain tools, none of which looks up, imports or runs anything by a name made at
# run time. Any other module could hold such a route that the names below do not know
# (``idlelib.calltip.get_entity`` evaluates a string; ``unittest.main`` imports a module named by one):
# a file that imports one is refused, with the list.
ALLOWED = frozenset({
    "multiprocessing", "concurrent", "threading", "queue", "os", "sys", "time", "signal", "atexit", "random",
    "math", "statistics", "itertools", "functools", "collections", "heapq", "bisect", "array", "operator",
    "typing", "dataclasses", "enum", "abc", "contextlib", "types", "copy", "numbers", "decimal", "fractions",
    "string", "re", "textwrap", "json", "datetime", "uuid", "secrets", "pathlib", "tempfile", "shutil", "io",
    "errno", "logging", "traceback", "warnings", "pprint", "platform", "resource", "struct", "stat", "glob",
    "fnmatch", "hashlib", "hmac", "base64", "binascii", "zlib", "select", "selectors", "fcntl", "socket",
    "subprocess", "ast", "__future__",
})  # fmt: skip
NOT_NEEDED = "which these exercises do not need; the grader runs only files that import from: " + ", ".join(
    sorted(ALLOWED - {"__future__"})
)
MADE_CLASS = "which makes a class of any attributes, code made from their names included (dataclasses)"
HOOK = "which decides what names a class has or how its objects are copied, and names can be made into code"
MODULE_VALUE = "a module passed around as a value, whose attributes the grader could then not read"
MODULES = {
    "gc", "ctypes", "_ctypes", "cffi", "inspect", "importlib", "builtins", "__builtin__", "marshal",
    "pickle", "_pickle", "copyreg", "dill", "cloudpickle", "dis", "code", "codeop", "pdb", "bdb", "trace",
    "tracemalloc", "faulthandler", "runpy", "pkgutil", "zipimport", "mpgrade_scenarios", "grader", "pytest",
    "_pytest", "_testcapi", "_testinternalcapi", "_xxsubinterpreters", "_interpreters", "_posixsubprocess",
    "mmap",  # writes a shared value's memory behind the probe that watches it
    "posix", "nt",  # os.environ's source: the environment a process started with, the probes' key in it
}  # fmt: skip
# modules that look an object up by a dotted name, run a string as code, or unpickle bytes
RESOLVING = {
    "pydoc": BY_NAME,  # pydoc.locate("sys.modules")
    "unittest.mock": BY_NAME, "mock": BY_NAME,  # patch("module.attribute")
    "logging.config": BY_NAME,  # BaseConfigurator.resolve, dictConfig's "()" and "ext://", fileConfig's eval
    "xmlrpc.server": BY_NAME,  # resolve_dotted_attribute
    "timeit": RUNS, "cProfile": RUNS, "profile": RUNS, "doctest": RUNS,  # their statements are strings
    "site": RUNS,  # the import lines of a .pth file
    "imp": RUNS,  # load_source (Python 3.10 and 3.11)
    "annotationlib": RUNS,  # string annotations evaluated (Python 3.14)
    "shelve": UNPICKLES,
    "multiprocessing.reduction": UNPICKLES,  # ForkingPickler, without importing pickle
    "multiprocessing.spawn": UNPICKLES,  # spawn_main unpickles from a file descriptor; import_main_path runs a file
    "multiprocessing.forkserver": UNPICKLES,
}  # fmt: skip
MODULES |= RESOLVING.keys()
NAMES = {
    "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "breakpoint", "__builtins__",
    "attrgetter", "methodcaller",  # attribute access by a name made at run time
    # attributes or objects looked up by a name made at run time, or all handed back
    "get_field", "vformat", "import_module", "loadTestsFromName", "loadTestsFromNames",
    "resolve_dotted_attribute", "getmembers", "getmembers_static", "getattr_static",
    # string annotations evaluated: any code
    "get_type_hints", "singledispatch", "singledispatchmethod", "evaluate_forward_ref",
    # unpickling, reached without importing pickle; raw bytes sent to a connection whose recv() unpickles them
    "ForkingPickler", "Unpickler", "reducer", "spawn_main", "import_main_path", "send_bytes",
    # a new process that runs another program, or imports modules named at run time
    "set_executable", "set_forkserver_preload",
}  # fmt: skip
LIMITS = "which lowers the limits under which the grader records what your code does"
REASONS = {
    **RESOLVING,
    **dict.fromkeys(("get_field", "vformat", "import_module", "loadTestsFromName", "loadTestsFromNames",
                     "resolve_dotted_attribute", "Formatter", "mock", "main", "TestProgram", "config"), BY_NAME),
    **dict.fromkeys(("getmembers", "getmembers_static", "getattr_static"), MEMBERS),
    "mro": "which hands back the classes behind an object's own (the grader's queues are subclasses)",
    "StrFormatStyle": BY_NAME,
    "register": RUNS,
    **dict.fromkeys(("setrlimit", "prlimit"), LIMITS),
    **dict.fromkeys(("get_type_hints", "singledispatch", "singledispatchmethod", "evaluate_forward_ref",
                     "import_main_path"), RUNS),
    "path": IMPORTS,
    "set_executable": PROGRAM,
    "set_forkserver_preload": IMPORTS,
    **dict.fromkeys(("ForkingPickler", "Unpickler", "reducer", "reduction", "spawn_main", "loads", "spawn",
                     "forkserver", "pickle", "_pickle", "marshal", "dill", "cloudpickle"), UNPICKLES),
    **dict.fromkeys(("send_bytes", "Connection", "Listener", "Client"), RAW),
}  # fmt: skip
REFLECTION = {"getattr", "setattr", "delattr", "hasattr"}  # refused with a name that is not a plain literal
MODULE_DUNDERS = {"__all__", "__file__", "__slots__", "__debug__"}  # names a module may read or set
# keywords that hand a call what then runs or opens: open(..., opener=f) gets a file object on any
# descriptor (a shared value's memory, behind its probe); a manager's exposed names are exec'd as methods
OPENS = "which makes a file object of any descriptor (a shared value's memory, behind the probe that watches it)"
KEYWORDS = {"opener": OPENS, "exposed": RUNS, "metaclass": "which makes the class's namespace, any names included"}
# methods that decide a class's namespace or its names (``__prepare__`` hands back ``__annotations__``
# of any names, ``__dir__`` the names a manager's proxy execs as methods) or how it is copied or pickled
HOOKS = {
    "__prepare__", "__dir__", "__getattr__", "__getattribute__", "__init_subclass__", "__set_name__",
    "__class_getitem__", "__mro_entries__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
}  # fmt: skip
DUNDERS = {
    "__name__", "__doc__", "__init__", "__new__", "__enter__", "__exit__", "__call__", "__class__", "__len__",
    "__iter__", "__next__", "__repr__", "__str__", "__eq__", "__hash__", "__qualname__", "__module__",
    "__getitem__", "__setitem__", "__contains__", "__main__",
}  # fmt: skip
FRAME_ATTRIBUTES = {
    "f_globals", "f_locals", "f_back", "f_builtins", "f_code", "f_trace", "tb_frame", "tb_next", "gi_frame",
    "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "co_code", "co_consts", "co_names",
}  # fmt: skip
# refused where read from (or imported from) the module: named by the last part of its name, so that
# ``multiprocessing.connection.Client``, ``os.sys.path`` and ``cmd.string.Formatter`` are seen too
MODULE_ATTRIBUTES = {
    "sys": {"modules", "_getframe", "_current_frames", "settrace", "setprofile", "addaudithook", "meta_path",
            "path_hooks", "path_importer_cache", "_xoptions",
            "path"},  # a module written at run time, then imported
    "threading": {"settrace", "setprofile", "settrace_all_threads", "setprofile_all_threads"},
    "string": {"Formatter"},  # get_field, or a format_field of its own, hands back what a field names
    "logging": {"config"},
    "unittest": {"mock", "main", "TestProgram"},  # main(module="a.b") imports it and keeps it as .module
    "connection": {"Connection", "Listener", "Client"},  # a connection over any descriptor or socket: recv() unpickles
    # reads and writes anywhere in a descriptor's file: a shared value's memory behind the probe that
    # watches it (its file is open in every process of the submission)
    "os": {"pwrite", "pwritev", "pread", "preadv", "lseek", "sendfile", "copy_file_range", "splice", "fdopen",
           "dup", "dup2", "ftruncate", "truncate"},
}  # fmt: skip
# refused on any object, not only on a name bound to the module (``from os import sys as s``); not
# ``path``, which ``os.path`` is too
ANYWHERE = (MODULE_ATTRIBUTES["sys"] - {"path"}) | MODULE_ATTRIBUTES["threading"]
ANYWHERE |= {"walk_stack", "walk_tb", "currentframe", "mro", "StrFormatStyle"}
ANYWHERE |= MODULE_ATTRIBUTES["os"] - {"truncate"}  # os reached through another module (``multiprocessing.util.os``)
ANYWHERE |= {"TracebackException", "StackSummary"}  # capture_locals: the repr of every local of the frames
ANYWHERE |= {"Arena", "rebuild_arena"}  # multiprocessing.heap.Arena(size, fd) maps a shared value's file afresh
ANYWHERE |= {"FileIO"}  # FileIO(name, mode, closefd, opener): a file object on any descriptor
ANYWHERE |= {"setrlimit", "prlimit"}  # a limit of 0 open files makes the probes' records fail (red team, round 12)
# copy's reducers see the memory behind a shared value, which multiprocessing hands over while a
# process is being spawned: copy.dispatch_table and set_spawning_popen (red team, round 10)
ANYWHERE |= {"dispatch_table", "set_spawning_popen", "get_spawning_popen"}
# code made from names: a proxy type's methods (exec'd from the names it exposes), a class made by a call
ANYWHERE |= {"MakeProxyType", "AutoProxy", "new_class"}
# a refused module is often an attribute of an allowed one (``zipfile.importlib``, ``dataclasses.inspect``,
# ``multiprocessing.reduction.pickle``, ``enum.bltns``): refused as an attribute too, but for the ordinary words
ORDINARY = {"code", "trace", "profile", "site"}  # module names that are ordinary words too
THROUGH = {name for name in MODULES if "." not in name and not name.startswith("_")} - ORDINARY
THROUGH |= {"bltns", "reduction", "spawn", "forkserver"}
# refused on anything but these modules: ``logging.Formatter`` formats records, ``json.loads`` reads JSON
ANYWHERE_BUT = {"Formatter": {"logging"}, "loads": {"json"}}
ANYWHERE_BUT["register"] = {"atexit"}  # a manager's register(): its proxy execs the names of the object's methods
PRIVATE_ALLOWED = {"_exit"}  # os._exit: a child that must end without clean-up
OWN = {"self", "cls"}  # a class's own private attributes are the student's to use
PROBE_PRIVATE = "_probe_"  # but not the probes' (``grader.scenarios.probes`` names all of its so)
# nor multiprocessing's, which a method of the student's may be called on too (``Mine.peek(q)`` with
# ``def peek(self): return self._poll()``): the private names of its objects (``multiprocessing_private``),
# but for a few ordinary words that a student's own class may well use
MULTIPROCESSING_MODULES = ("queues", "connection", "process", "pool", "synchronize", "sharedctypes", "managers",
                           "popen_fork", "context", "heap")  # fmt: skip
ORDINARY_PRIVATE = {"_name", "_args", "_kwargs", "_target", "_lock", "_count", "_items", "_value", "_state", "_id",
                    "_size", "_index", "_length", "_pid", "_process", "_processes", "_closed", "_thread", "_job",
                    "_flag"}  # fmt: skip
STYLES = ("%", "$")  # logging's formats that read no attribute ("{" would: "{msg._x}")
LOGGING_FORMATS = {"Formatter", "basicConfig"}


@dataclass(frozen=True)
class Reach:
    line: int
    what: str  #: e.g. ``gc``, ``sys.modules``, ``__globals__``
    why: str = ""  #: e.g. "which looks up objects by a name made at run time"


# a str.format field that reads a private attribute or a dunder: "{0._probe_folder}".format(counter)
FORMAT_FIELD = re.compile(r"\{[^{}!:]*\.\s*_")
FORMATTING = {"format", "format_map"}  # only on a literal, whose fields can be read here


def find(source: str) -> Reach | None:
    """The first use of something that reaches into the interpreter, or None."""
    tree = ast.parse(source)
    aliases, starred = _aliases(tree)
    calls = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found: list[Reach] = [reach for node in ast.walk(tree) for reach in _check(node, aliases, starred)]
    found += _reflection_not_called(tree) + _logging_formats(tree, calls) + _supers(tree, calls)
    found += _not_needed(tree) + _modules_passed_around(tree) + _made_at_run_time(tree, calls)
    if not found:
        return None
    first = min(found, key=lambda reach: reach.line)
    return Reach(first.line, first.what, first.why or _why(first.what))


def _aliases(tree: ast.AST) -> tuple[dict[str, str], list[str]]:
    """Local names bound to modules (``import sys as s`` binds ``s`` to ``sys``), and the modules
    whose names ``from module import *`` binds."""
    aliases, starred = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if alias.name == "*":
                    starred.append(node.module)
                else:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases, starred


def _check(node: ast.AST, aliases: dict[str, str], starred: list[str]) -> list[Reach]:
    line = getattr(node, "lineno", 0)
    if isinstance(node, ast.Import):
        return [Reach(line, alias.name) for alias in node.names if _refused_module(alias.name)]
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        found = [Reach(line, module)] if _refused_module(module) else []
        for alias in node.names:
            named = f"{module}.{alias.name}"
            refused = alias.name in _attributes_of(module) | NAMES | REFLECTION | THROUGH
            if refused or module and _refused_module(named):  # from unittest import mock
                found.append(Reach(line, named))
        return found
    if isinstance(node, ast.Name):
        if node.id in NAMES:
            return [Reach(line, node.id)]
        if node.id.startswith("__") and node.id.endswith("__") and node.id not in DUNDERS | MODULE_DUNDERS:
            return [Reach(line, node.id)]  # __annotations__ = {...}: dataclasses compiles code from its keys
        for module in starred:  # from sys import *: modules
            if node.id in _attributes_of(module) or node.id in THROUGH:
                return [Reach(line, f"{module}.{node.id}")]
    if isinstance(node, ast.Attribute):
        if node.attr.startswith("__") and node.attr.endswith("__") and node.attr not in DUNDERS:
            return [Reach(line, node.attr)]
        if isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id, node.value.id)
            if node.attr in _attributes_of(module):
                return [Reach(line, f"{module}.{node.attr}")]
        if node.attr in FRAME_ATTRIBUTES or node.attr in ANYWHERE or node.attr in NAMES:
            return [Reach(line, node.attr)]
        base = _base(node.value, aliases)
        if node.attr in _attributes_of(base) or node.attr in THROUGH or node.attr in REFLECTION:
            return [Reach(line, _dotted(node, aliases))]
        if node.attr in ANYWHERE_BUT and base not in ANYWHERE_BUT[node.attr]:
            return [Reach(line, _dotted(node, aliases))]
        own = isinstance(node.value, ast.Name) and node.value.id in OWN
        if node.attr.startswith(PROBE_PRIVATE):  # on self too: a method may be called with a probe as self
            return [Reach(line, _dotted(node, aliases), PROBE_NAME)]
        if own and _private(node.attr) and node.attr in multiprocessing_private():
            return [Reach(line, _dotted(node, aliases), MULTIPROCESSING_NAME)]
        if _private(node.attr) and not own:
            return [Reach(line, f"the private attribute {node.attr}")]
        if node.attr == "__class__" and not isinstance(node.ctx, ast.Load):  # counter.__class__ = Mine
            return [Reach(line, f"{_dotted(node, aliases)} =")]
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and FORMAT_FIELD.search(node.value):
        return [Reach(line, "a format field that reads a private attribute", BY_NAME)]
    if isinstance(node, ast.Attribute) and node.attr in FORMATTING and not _literal(node.value):  # str.format too
        return [Reach(line, f"{node.attr}() of a format string made at run time", BY_NAME)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFLECTION:
        name = node.args[1] if len(node.args) > 1 else None
        literal = isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.isidentifier()
        if not literal or name.value.startswith("_") and name.value not in PRIVATE_ALLOWED:  # type: ignore[union-attr]
            return [Reach(line, f"{node.func.id}() with a computed, private or non-identifier name")]
        # getattr(sys, "modules") is sys.modules: checked as if written so
        written = ast.Attribute(node.args[0], name.value, ast.Load(), lineno=line)  # type: ignore[union-attr]
        return _check(written, aliases, starred)
    return []


@functools.cache
def multiprocessing_private() -> frozenset[str]:
    """The private names of multiprocessing's classes and of what their code uses on its objects
    (``self._reader``), read once, from this Python's own multiprocessing."""
    found: set[str] = set()
    for name in MULTIPROCESSING_MODULES:
        module = importlib.import_module(f"multiprocessing.{name}")
        found |= {attribute for value in vars(module).values() if isinstance(value, type) for attribute in dir(value)}
        with open(module.__file__ or "", encoding="utf-8") as file:
            found |= set(re.findall(r"\bself\.(_\w+)", file.read()))
    return frozenset(name for name in found if _private(name)) - ORDINARY_PRIVATE


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _attributes_of(module: str) -> set[str]:
    """The attributes refused on ``module``, found by its full name or by the last part of it."""
    return MODULE_ATTRIBUTES.get(module) or MODULE_ATTRIBUTES.get(module.rsplit(".", 1)[-1], set())


def _base(node: ast.expr, aliases: dict[str, str]) -> str:
    """The module an attribute is read from, as far as the source shows: ``s`` of ``import sys as s``
    is ``sys``, ``os.sys`` is ``sys``, a call or a subscript is not known ("")."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id, node.id).rsplit(".", 1)[-1]
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _dotted(node: ast.Attribute, aliases: dict[str, str]) -> str:
    """``a.b.c`` as written, a name bound to a module replaced by the module's name; only the
    attribute when the chain holds a call or a subscript."""
    parts, value = [node.attr], node.value
    while isinstance(value, ast.Attribute):
        parts.append(value.attr)
        value = value.value
    if not isinstance(value, ast.Name):
        return node.attr
    return ".".join([aliases.get(value.id, value.id), *reversed(parts)])


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__") and name not in PRIVATE_ALLOWED


def _reflection_not_called(tree: ast.AST) -> list[Reach]:
    """``getattr`` and its kin used other than as a direct call (``g = getattr``), where the name
    they are given cannot be seen."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return [
        Reach(node.lineno, f"{node.id} passed around")
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in REFLECTION and id(node) not in called
    ]


def _logging_formats(tree: ast.AST, calls: dict[int, ast.Call]) -> list[Reach]:
    """logging's ``{`` style formats a record's fields with ``str.format``, whose fields read
    attributes (``"{msg._x}"``): ``Formatter`` and ``basicConfig`` only called directly, with a style
    that reads none, written out (not ``**{"style": "{"}``)."""
    found = []
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if name not in LOGGING_FORMATS:
            continue
        call = calls.get(id(node))
        styles = [keyword.value for keyword in call.keywords if keyword.arg == "style"] if call else []
        if call is not None and name == "Formatter" and len(call.args) > 2:
            styles.append(call.args[2])
        unpacked = call is not None and (
            any(isinstance(arg, ast.Starred) for arg in call.args) or any(kw.arg is None for kw in call.keywords)
        )
        if call is None or unpacked or any(not (_literal(style) and style.value in STYLES) for style in styles):  # type: ignore[attr-defined]
            found.append(
                Reach(getattr(node, "lineno", 0), f"logging's {name} with a format of the {{}} style", BY_NAME)
            )
    return found


def _supers(tree: ast.AST, calls: dict[int, ast.Call]) -> list[Reach]:
    """``super(type(q), q).empty()`` is the method of the class behind a queue's own (the grader's
    queues are subclasses that watch ``empty()``): ``super`` only as ``super()`` or, in a method,
    ``super(TheClass, self)``, whose object must then be one of the student's own class."""
    own: set[int] = set()  # super(TheClass, self) in a method of TheClass
    for klass in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        for method in klass.body:
            if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.args.args:
                names = [klass.name, method.args.args[0].arg]
                own |= {
                    id(node)
                    for node in ast.walk(method)
                    if id(node) in calls and [getattr(arg, "id", None) for arg in calls[id(node)].args] == names
                }
    return [
        Reach(node.lineno, "super() with a class and an object of the file's choosing")
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "super" and id(node) not in own
        and (id(node) not in calls or calls[id(node)].args or calls[id(node)].keywords)
    ]  # fmt: skip


def _made_at_run_time(tree: ast.AST, calls: dict[int, ast.Call]) -> list[Reach]:
    """What turns names into code, or a descriptor into a file: a keyword of ``KEYWORDS``, ``open``
    other than called directly with at most its first seven arguments (the eighth is the opener; ``**``
    could hold it), ``type`` with three (a class made from a dict of any names), a method of ``HOOKS``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in KEYWORDS:
            found.append(Reach(node.value.lineno, f"{node.arg}=", KEYWORDS[node.arg]))
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        call = calls.get(id(node))
        if name == "open" and (call is None or _opener(call)):
            found.append(Reach(getattr(node, "lineno", 0), "open() with an opener, or passed around", OPENS))
        if name in ("type", "__new__") and call is not None and len(call.args) > 1 + (name == "__new__"):
            found.append(Reach(call.lineno, f"{name}() with a class's name, bases and attributes", MADE_CLASS))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in HOOKS:
            found.append(Reach(node.lineno, f"a method {node.name}", HOOK))
    return found


def _opener(call: ast.Call) -> bool:
    return (
        len(call.args) > 7
        or any(isinstance(arg, ast.Starred) for arg in call.args)
        or any(keyword.arg is None for keyword in call.keywords)
    )


def _not_needed(tree: ast.AST) -> list[Reach]:
    """Imports of a module outside ``ALLOWED`` (the refused ones say why instead), relative ones too."""
    found = []
    for node in ast.walk(tree):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            names = [("." * node.level) + (node.module or "")]
        found += [
            Reach(getattr(node, "lineno", 0), name, NOT_NEEDED)
            for name in names
            if name.split(".")[0] not in ALLOWED and not _refused_module(name)
        ]
    return found


def _modules_passed_around(tree: ast.AST) -> list[Reach]:
    """A name bound to a module by ``import`` used other than as ``module.attribute`` (``o = os``,
    ``f(unittest)``): the attributes read from it then are not seen as the module's."""
    modules = {
        alias.asname or alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ALLOWED
        for alias in node.names
        if _is_a_module(f"{node.module}.{alias.name}")
    }
    read = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    read |= {  # getattr(os, "getpid"), which _check reads as os.getpid
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in REFLECTION and node.args
    }
    return [
        Reach(node.lineno, node.id, MODULE_VALUE)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in modules and isinstance(node.ctx, ast.Load) and id(node) not in read
    ]


@functools.cache
def _is_a_module(name: str) -> bool:
    """``os.path`` of ``from os import path`` (only asked of the modules a file may import)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError, AttributeError):
        return False


def _refused_module(name: str) -> bool:
    return any(name == module or name.startswith(f"{module}.") for module in MODULES)


def _why(what: str) -> str:
    """What a refused name does, if it is one of those that look objects up by a name made at run
    time: ``logging.config.dictConfig`` by its module, ``cmd.string.Formatter`` by its last part,
    ``multiprocessing.context.reduction.pickle`` by the last part that says."""
    parts = what.split(".")
    prefixes = (".".join(parts[:end]) for end in range(len(parts), 0, -1))
    return next((REASONS[name] for name in (*prefixes, *reversed(parts)) if name in REASONS), "")


def explain(reach: Reach, filename: str) -> str:
    if reach.why == NOT_NEEDED:
        return f"{filename} imports `{reach.what}` on line {reach.line}, {reach.why}. Remove that import."
    if reach.why == MODULE_VALUE:
        return (
            f"{filename} uses the module `{reach.what}` as a value on line {reach.line} ({reach.why}). "
            f"Name the module where you use it (`{reach.what}.something`, not `alias = {reach.what}`)."
        )
    if reach.why in (PROBE_NAME, MULTIPROCESSING_NAME):
        return f"{filename} uses `{reach.what}` on line {reach.line}: `{reach.what.rpartition('.')[2]}` {reach.why}"
    why = f", {reach.why}" if reach.why else ""
    return (
        f"{filename} uses `{reach.what}` on line {reach.line}{why}: that reaches into the running interpreter "
        "(its objects, frames or code), which could change what the grader observes of your code, so "
        "the grader does not run it. The exercise needs none of it: remove that line."
    )
