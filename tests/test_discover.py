from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader import discover, reach
from grader.errors import UsageError
from grader.exercises import EXERCISES

EX03 = EXERCISES["ex03"]


def test_finds_the_course_exercises_from_a_folder_below(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / EX03.filename).write_text("x = 1\n")
    below = tmp_path / "notes" / "week1"
    below.mkdir(parents=True)
    assert discover.submission_folder(None, below, [], tmp_path) == tmp_path / "exercises"


def test_outside_a_course_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no exercises/ folder"):
        discover.submission_folder(None, tmp_path, [], tmp_path)


def test_submission_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        discover.submission_folder(tmp_path / "nope", tmp_path, [], tmp_path)


def test_submission_folder_may_be_a_clone_of_the_course(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / EX03.filename).write_text("x = 1\n")
    assert discover.submission_folder(tmp_path, Path("/"), [], tmp_path) == tmp_path / "exercises"


def test_missing_file(tmp_path: Path) -> None:
    found = discover.find(EX03, tmp_path)
    assert found.problem == f"{EX03.filename} was not found in {tmp_path}."


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_text("def increment(counter, times)\n    pass\n")
    found = discover.find(EX03, tmp_path)
    assert found.problem == f"{EX03.filename}:1: syntax error: expected ':'."
    assert found.location is not None and (found.location.line, found.location.column) == (1, 30)
    assert found.location is not None and (found.location.file, found.location.line) == (EX03.filename, 1)


def test_a_file_too_deep_to_compile_is_a_problem_of_the_file(tmp_path: Path) -> None:
    """Red team, round 14: compile() raised RecursionError, and the grader exited 3."""
    (tmp_path / EX03.filename).write_text("def increment(counter, times):\n    return " + "not " * 4000 + "True\n")
    found = discover.find(EX03, tmp_path)
    assert found.problem == f"{EX03.filename} {discover.TOO_DEEP}"


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_bytes(b"x = 1\ny = '\xff'\n")
    found = discover.find(EX03, tmp_path)
    assert "is not UTF-8 text (line 2, byte 11)" in found.problem
    assert found.location is not None and found.location.line == 2


def test_a_link_is_not_followed(tmp_path: Path) -> None:
    """A link could point at another student's file, or at the reference solution."""
    (tmp_path / "elsewhere.py").write_text("x = 1\n")
    (tmp_path / EX03.filename).symlink_to(tmp_path / "elsewhere.py")
    assert "it is a symbolic link: submit the file itself" in discover.find(EX03, tmp_path).problem


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    """Reading a FIFO would wait forever for a writer."""
    os.mkfifo(tmp_path / EX03.filename)
    assert "could not be read" in discover.find(EX03, tmp_path).problem


def test_a_huge_file_is_not_read_whole(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_bytes(b"#" * (discover.MAX_SIZE + 1))
    assert "larger than" in discover.find(EX03, tmp_path).problem


@pytest.mark.parametrize(
    "code, what",
    [
        ("import gc", "gc"),
        ("from ctypes import CDLL", "ctypes"),
        ("modules = sys.modules", "sys.modules"),
        ("frame = s._getframe()", "sys._getframe"),
        ("code = run.__code__", "__code__"),
        ("x = (lambda: 0).__globals__", "__globals__"),
        ("exec('x = 1')", "exec"),
        ("x = getattr(object, 'get' + 'objects')", "getattr() with a computed, private or non-identifier name"),
        ("x = getattr(object, '__subclasses__')", "getattr() with a computed, private or non-identifier name"),
        ("x = getattr(counter, '_lock')", "getattr() with a computed, private or non-identifier name"),
        ("g = getattr", "getattr passed around"),
        ("import importlib", "importlib"),
        ("modules = os.sys.modules", "modules"),  # sys reached through another module
        ("f = operator.attrgetter('f_locals')", "attrgetter"),
        ("x = counter._folder", "the private attribute _folder"),
        ("frames = traceback.walk_stack(None)", "walk_stack"),
        ("import mpgrade_scenarios.runner", "mpgrade_scenarios.runner"),
    ],
)
def test_code_that_reaches_into_the_interpreter_is_refused_with_its_line(tmp_path: Path, code: str, what: str) -> None:
    (tmp_path / EX03.filename).write_text(f"import sys\nimport sys as s\n\n\ndef run():\n    {code}\n")
    found = discover.find(EX03, tmp_path)
    assert f"uses `{what}` on line 6" in found.problem
    assert found.location is not None and (found.location.line, found.location.code) == (6, code)


@pytest.mark.parametrize(
    "code, what, why",
    [
        ("f = string.Formatter().get_field", "get_field", reach.BY_NAME),  # the red team's route
        ("from string import Formatter", "string.Formatter", reach.BY_NAME),
        ("class F(cmd.string.Formatter): pass", "cmd.string.Formatter", reach.BY_NAME),  # a format_field of its own
        ("text = formatter.vformat(spec, args, {})", "vformat", reach.BY_NAME),
        ("import pydoc", "pydoc", reach.BY_NAME),
        ("found = cgitb.pydoc.locate(name)", "cgitb.pydoc", reach.BY_NAME),
        ("from unittest import mock", "unittest.mock", reach.BY_NAME),
        ("patch = unittest.mock.patch", "unittest.mock", reach.BY_NAME),
        ("module = unittest.main(module=name, exit=False).module", "unittest.main", reach.BY_NAME),
        ("suite = loader.loadTestsFromName(name, counter)", "loadTestsFromName", reach.BY_NAME),
        ("import logging.config", "logging.config", reach.BY_NAME),
        ("logging.config.dictConfig(settings)", "logging.config", reach.BY_NAME),
        ("from xmlrpc.server import resolve_dotted_attribute", "xmlrpc.server", reach.BY_NAME),
        ("module = zipfile.importlib.import_module(name)", "import_module", reach.BY_NAME),
        ("members = dataclasses.inspect.getmembers(counter)", "getmembers", reach.MEMBERS),
        ("hints = typing.get_type_hints(function)", "get_type_hints", reach.RUNS),  # string annotations: eval
        ("from functools import singledispatch", "functools.singledispatch", reach.RUNS),
        ("import timeit", "timeit", reach.RUNS),
        ("import site", "site", reach.RUNS),
        ("sys.path.insert(0, folder)", "sys.path", reach.IMPORTS),
        ("import multiprocessing.reduction", "multiprocessing.reduction", reach.UNPICKLES),
        ("pickler = multiprocessing.get_context().reducer", "reducer", reach.UNPICKLES),
        ("pickle = logging.handlers.pickle", "logging.handlers.pickle", reach.UNPICKLES),
        ("value = other.loads(raw)", "other.loads", reach.UNPICKLES),
        ("from multiprocessing.spawn import spawn_main", "multiprocessing.spawn", reach.UNPICKLES),
        ("a.send_bytes(raw)", "send_bytes", reach.RAW),
        ("from multiprocessing.connection import Client", "multiprocessing.connection.Client", reach.RAW),
        ("getter = subprocess.builtins.getattr", "subprocess.builtins.getattr", ""),
        ("multiprocessing.set_executable(written_at_run_time)", "set_executable", reach.PROGRAM),
        # red team, round 3
        ("modules = getattr(sys, 'modules')", "sys.modules", ""),  # a literal name, as if written out
        ("counter.__class__ = Quiet", "counter.__class__ =", ""),
        ("import mmap", "mmap", ""),
        ("os.pwrite(fd, data, offset)", "os.pwrite", ""),  # red team, round 5: the counter's memory
        ("from os import fdopen", "os.fdopen", ""),
        (
            "where = ('{0.' + '_probe_folder}').format(counter)",
            "format() of a format string made at run time",
            reach.BY_NAME,
        ),  # red team, round 4  # fmt: skip
        ("where = '{0._probe_folder}'.format(counter)", "a format field that reads a private attribute", reach.BY_NAME),
        (
            "text = '{c.__class__.__init__.__globals__}'.format_map(d)",
            "a format field that reads a private attribute",
            reach.BY_NAME,
        ),  # fmt: skip
        ("context.set_forkserver_preload([name])", "set_forkserver_preload", reach.IMPORTS),
        # red team, round 6: format strings made at run time, by str.format itself or by logging
        ("fill = str.format", "format() of a format string made at run time", reach.BY_NAME),
        (
            "formatter = logging.Formatter(spec, None, '{')",
            "logging's Formatter with a format of the {} style",
            reach.BY_NAME,
        ),
        (
            "logging.basicConfig(format=spec, style=brace)",
            "logging's basicConfig with a format of the {} style",
            reach.BY_NAME,
        ),
        # red team, round 7: the style unpacked, the class behind a queue's own
        (
            "formatter = logging.Formatter(spec, **{'style': '{'})",
            "logging's Formatter with a format of the {} style",
            reach.BY_NAME,
        ),
        (
            "make = functools.partial(logging.Formatter, spec, None, '{')",
            "logging's Formatter with a format of the {} style",
            reach.BY_NAME,
        ),
        ("empty = super(type(q), q).empty()", "super() with a class and an object of the file's choosing", ""),
        (
            "base = type(q).mro()[1]",
            "mro",
            "which hands back the classes behind an object's own (the grader's queues are subclasses)",
        ),
    ],
)
def test_reaching_by_a_name_made_at_run_time_is_refused_with_its_line(
    tmp_path: Path, code: str, what: str, why: str
) -> None:
    """Tools that look an object up by a string (or run one, or unpickle bytes): the string is made
    at run time, so the gate cannot read the name, and refuses the tool."""
    (tmp_path / EX03.filename).write_text(f"import sys\nimport sys as s\n\n\ndef run():\n    {code}\n")
    found = discover.find(EX03, tmp_path)
    assert f"uses `{what}` on line 6{', ' + why if why else ''}: that reaches" in found.problem
    assert found.location is not None and (found.location.line, found.location.code) == (6, code)


@pytest.mark.parametrize("name", ["_poll", "_reader", "_popen", "_buffer"])
def test_a_private_name_of_multiprocessing_is_refused_on_self_too(tmp_path: Path, name: str) -> None:
    """``Mine.peek(q)`` with ``def peek(self): return self._poll()`` asks the queue's pipe behind the
    methods the grader watches (red team, round 6)."""
    (tmp_path / EX03.filename).write_text(f"class Mine:\n    def peek(self):\n        return self.{name}\n")
    found = discover.find(EX03, tmp_path)
    assert f"uses `self.{name}` on line 3: `{name}` is a private name of multiprocessing's own objects" in found.problem


def test_a_probes_private_name_is_refused_on_self_too(tmp_path: Path) -> None:
    """A method of the student's class may be called with a probe as its self (red team, round 3)."""
    (tmp_path / EX03.filename).write_text("def quiet(self):\n    setattr(self._probe_local, 'split', True)\n")
    found = discover.find(EX03, tmp_path)
    assert "uses `self._probe_local` on line 2: `_probe_local` is a private name of the objects" in found.problem
    assert "Give your attribute another name." in found.problem


@pytest.mark.parametrize(
    "source, what",
    [
        ("from sys import *\nfound = modules", "sys.modules"),
        ("from string import *\nclass F(Formatter): pass", "string.Formatter"),
        ("from multiprocessing.connection import *\nserver = Listener()", "multiprocessing.connection.Listener"),
        ("from logging.handlers import *\nunpickler = pickle", "logging.handlers.pickle"),
    ],
)
def test_a_star_import_does_not_hide_what_reaches(source: str, what: str) -> None:
    found = reach.find(source)
    assert found is not None and (found.line, found.what) == (2, what)


def test_the_red_teams_formatter_reach_is_refused_at_its_line(tmp_path: Path) -> None:
    """The attack catalogue's formatter-get-field: refused before it runs, with its line."""
    attack = Path(__file__).parent / "sandbox" / "attacks" / "formatter-get-field" / EX03.filename
    (tmp_path / EX03.filename).write_text(attack.read_text())
    found = discover.find(EX03, tmp_path)
    assert "uses `get_field` on line 13, which looks up objects by a name made at run time" in found.problem
    assert found.location is not None and found.location.code == "_reach = string.Formatter().get_field"


@pytest.mark.parametrize(
    "line",
    [
        "if __name__ == '__main__': pass",
        "class Worker(multiprocessing.Process):\n    def __init__(self):\n        super().__init__()",
        "name = type(object()).__name__",
        "x = getattr(multiprocessing, 'Process')",
        "import sys\nsys.exit(0) if False else None",
        "import os\nos._exit(0) if False else None",
        "class Box:\n    def __init__(self):\n        self._items = []",
        "path = '/proc/self/status'",  # reading /proc is the sandbox's and the run-time guard's concern
        "import logging\nformatter = logging.Formatter('%(message)s')",
        "import logging\nformatter = logging.Formatter('%(message)s', style='%')",
        "import logging\nlogging.basicConfig(format='$message', style='$')",
        "class Worker:\n    def __init__(self):\n        self._name, self._work, self._id = 'w', [], 1",
        "class Worker(multiprocessing.Process):\n    def __init__(self):\n        super(Worker, self).__init__()",
        "class Worker(multiprocessing.Process):\n    def run(self):\n        super().run()",
        "import json\nvalue = json.loads('[1]')",
        "import os\nfolder = os.path.dirname(os.path.abspath('x'))",
        "import multiprocessing.connection\nready = multiprocessing.connection.wait([])",
        "a, b = multiprocessing.Pipe()\na.send(1)\nvalue = b.recv()",
        "text = '{0.value}'.format(object())",  # a format string's fields give back a string, not the object
        "import string\nletters = string.ascii_letters",
        "import traceback\ntraceback.print_exc()",
        "from os import path\nname = path.basename('x')",
        "import concurrent.futures as cf\npool = cf.ProcessPoolExecutor(2)",
        "from multiprocessing import pool\nworkers = pool.Pool(2)",
        "with open('notes.txt', 'w', encoding='utf-8') as notes:\n    notes.write('x')",
        "kind = type(object())",
        "class Row:\n    __slots__ = ('a',)",
        "context = multiprocessing.get_context('spawn')",
    ],
)
def test_ordinary_code_is_not_refused(tmp_path: Path, line: str) -> None:
    (tmp_path / EX03.filename).write_text(f"import multiprocessing\n\n{line}\n")
    assert discover.find(EX03, tmp_path).problem == ""


@pytest.mark.parametrize(
    "source, line, what",
    [
        ("import multiprocessing\nimport idlelib.calltip", 2, "idlelib.calltip"),  # get_entity evaluates a string
        ("from idlelib.calltip import get_entity", 1, "idlelib.calltip"),
        ("import unittest", 1, "unittest"),  # main(module=...) imports a module named by a string
        ("import os, asyncio", 1, "asyncio"),
        ("from . import helpers", 1, "."),
    ],
)
def test_a_module_the_exercises_do_not_need_is_refused(tmp_path: Path, source: str, line: int, what: str) -> None:
    """Red team, round 9: a module of the standard library that no name list knows (idlelib) can
    evaluate a string; only the modules on a list may be imported, and the message lists them."""
    (tmp_path / EX03.filename).write_text(source + "\n")
    found = discover.find(EX03, tmp_path)
    assert f"imports `{what}` on line {line}, which these exercises do not need" in found.problem
    assert "multiprocessing, numbers, operator, os," in found.problem and found.problem.endswith("Remove that import.")


@pytest.mark.parametrize(
    "source, what",
    [
        ("import os\no = os\nwrite = o.pwrite", "os"),  # red team, round 9: pwrite not seen on o
        ("import multiprocessing as mp\nhelp(mp)", "mp"),
        ("from os import path\nmodules = [path]", "path"),
    ],
)
def test_a_module_passed_around_as_a_value_is_refused(tmp_path: Path, source: str, what: str) -> None:
    (tmp_path / EX03.filename).write_text(source + "\n")
    found = discover.find(EX03, tmp_path)
    assert f"uses the module `{what}` as a value on line 2" in found.problem


@pytest.mark.parametrize(
    "source, what",
    [
        # red team, round 10
        ("import copy\ncopy.dispatch_table[int] = print", "dispatch_table"),
        ("import multiprocessing.context\nmultiprocessing.context.set_spawning_popen(1)", "set_spawning_popen"),
        ("x = 1\nf = open('arena', 'r+b', opener=lambda path, flags: 7)", "opener="),
        ("x = 1\nf = open('a', 'r', -1, None, None, None, True, print)", "open() with an opener, or passed around"),
        ("x = 1\nf = open('a', **{'opener': print})", "open() with an opener, or passed around"),
        ("import io\nmine = io.open", "open() with an opener, or passed around"),
        ("import io\nf = io.FileIO(7)", "FileIO"),
        ("class Row:\n    __annotations__ = {'a)': int}", "__annotations__"),
        ("x = 1\nRow = type('Row', (), {})", "type() with a class's name, bases and attributes"),
        ("x = 1\nsetattr(x, 'a(): pass', 1)", "setattr() with a computed, private or non-identifier name"),
        ("x = 1\nproxy = make_proxy(list, exposed=['a'])", "exposed="),
        (
            "from multiprocessing import managers\nmanagers.BaseManager.register('t', list)",
            "multiprocessing.managers.BaseManager.register",
        ),
        ("class Meta(type):\n    def __prepare__(name, bases):\n        return {}", "a method __prepare__"),
        ("class Base: ...\nclass Row(Base, metaclass=type): ...", "metaclass="),
    ],
)
def test_what_turns_names_into_code_or_descriptors_into_files_is_refused(source: str, what: str) -> None:
    found = reach.find(source)
    assert found is not None and (found.line, found.what) == (2, what)


def test_the_tools_that_write_behind_a_value_are_refused_on_any_module() -> None:
    """os reached through another module (``multiprocessing.util.os``) is still os."""
    found = reach.find("import multiprocessing.util\nwrite = multiprocessing.util.os.pwrite\n")
    assert found is not None and (found.line, found.what) == (2, "pwrite")


def test_an_exercises_link_is_not_followed(tmp_path: Path) -> None:
    """A submission whose exercises/ is a link (to the course's solutions/, say) is not read through."""
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / EX03.filename).write_text("x = 1\n")
    submitted = tmp_path / "submitted"
    submitted.mkdir()
    (submitted / "exercises").symlink_to(solutions)
    folder = discover.submission_folder(submitted, tmp_path, [], tmp_path)
    assert folder == submitted
    assert "symbolic link" in discover.find(EX03, folder).problem


def test_a_good_file_has_no_problem(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_text("x = 1\n")
    assert discover.find(EX03, tmp_path).problem == ""
