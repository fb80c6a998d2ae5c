"""What a pickle may name in the sandbox's processes: multiprocessing's traffic and the student's
own module go through; what no line of the file names (our globals, dunders, modules, code runners)
is refused, by every unpickler of the process and of the processes it spawns."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from grader.scenarios import probes, unpickling
from grader.scenarios.unpickling import look_up, safe_getattr

STUDENT = "student_module"
SOURCE = """
import os

def work(x):
    return x

_helper = work

def _counting():
    yield 1

_gen = _counting()

class _Sentinel:
    def __reduce__(self):
        return "SENTINEL"  # pickled by its name: the one object on both sides

SENTINEL = _Sentinel()

def __square_impl(x):  # a private name with two underscores, not a dunder
    return x * x

class Worker:
    kept = None  # where a probe could be put, for a pickle's BUILD to set its state

    def run(self):
        pass

    def _step(self):
        pass
"""


@pytest.fixture(autouse=True)
def student_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{STUDENT}.py").write_text(SOURCE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(unpickling.MODULE, STUDENT)


@pytest.mark.parametrize(
    "module, name",
    [
        (STUDENT, "work"),
        (STUDENT, "_helper"),  # the file's own private names, at its top level
        (STUDENT, "__square_impl"),
        (STUDENT, "SENTINEL"),  # an object of the file's own class, at its top level
        ("concurrent.futures.process", "_process_chunk"),  # ProcessPoolExecutor.map
        ("builtins", "Ellipsis"),
        ("operator", "mul"),
        ("math", "sqrt"),
        ("multiprocessing.synchronize", "Lock"),
        ("multiprocessing.connection", "rebuild_connection"),
        ("multiprocessing.pool", "mapstar"),
        ("builtins", "dict"),
        ("builtins", "abs"),
        ("builtins", "ZeroDivisionError"),
        ("fractions", "Fraction"),
        ("queue", "Empty"),
        ("grader.scenarios.probes", "WatchedCounter"),  # a probe handed to a child
        ("grader.scenarios.probes", "meet_in_pool"),  # a pool task of a scenario's
    ],
)
def test_what_multiprocessing_sends_is_found(module: str, name: str) -> None:
    found = look_up(module, name)
    assert found is getattr(sys.modules[module], name)


@pytest.mark.parametrize(
    "module, name",
    [
        ("grader.scenarios.probes", "WatchedCounter.get_lock.__globals__"),  # the attack that got 10/10
        ("grader.scenarios.probes", "note"),  # a function of ours: forged notes
        ("grader.scenarios.probes", "_repr"),
        ("__mp_main__", "boot"),
        (STUDENT, "os"),  # a module
        (STUDENT, "work.__globals__"),
        (STUDENT, "work.__code__"),
        (STUDENT, "_gen.gi_frame.f_builtins"),  # red team: a frame, then the interpreter's builtins
        (STUDENT, "_gen"),  # an object, not a class or a function
        (STUDENT, "Worker.kept"),
        ("posix", "system"),
        ("os", "system"),
        ("builtins", "eval"),
        ("builtins", "exec"),
        ("builtins", "__import__"),
        ("builtins", "setattr"),
        ("types", "CodeType"),
        ("types", "FunctionType"),
        ("sys", "modules"),
        ("subprocess", "Popen"),
        ("multiprocessing.spawn", "import_main_path"),
        ("multiprocessing.reduction", "ForkingPickler.loads"),
        ("multiprocessing.util", "_run_finalizers"),
        ("importlib", "import_module"),
        ("operator", "attrgetter"),
        ("operator", "methodcaller"),
        ("math", "__loader__"),
    ],
)
def test_what_no_line_names_is_refused(module: str, name: str) -> None:
    with pytest.raises(pickle.UnpicklingError, match=unpickling.REFUSED):
        look_up(module, name)


def test_the_refusal_never_names_an_object_of_the_graders() -> None:
    with pytest.raises(pickle.UnpicklingError) as refused:
        look_up("grader.scenarios.probes", "note")
    assert "probes" not in str(refused.value) and "an object of the grader's" in str(refused.value)


def test_getattr_gives_methods_only() -> None:
    import multiprocessing.managers

    worker = sys.modules[STUDENT].Worker()
    assert safe_getattr(worker, "run") == worker.run
    assert safe_getattr(worker, "_step") == worker._step  # the student's own private method
    assert safe_getattr(str, "upper") is str.upper
    assert safe_getattr("{}!", "format")(1) == "1!"  # a value's method, mapped by a pool
    assert safe_getattr(multiprocessing.managers.SyncManager, "_run_server") is not None  # a manager, spawned
    context = multiprocessing.get_context()
    for obj, name in [
        ({}, "get"),  # red team: builtins' get("__import__")
        (len, "__self__"),
        (os, "getcwd"),
        (probes.Traced(1), "value"),  # nothing of ours
        (worker, "__class__"),
        (sys.modules[STUDENT].Worker, "kept"),  # not a method
        (context, "set_executable"),
        (multiprocessing.managers.BaseProxy, "_callmethod"),
    ]:
        with pytest.raises(pickle.UnpicklingError):
            safe_getattr(obj, name)


ATTACK = """
import multiprocessing, os, struct, sys
from grader.scenarios import unpickling
if sys.argv[1] == "installed":
    unpickling.install()
payload = b"\\x80\\x04\\x8c\\x03sys\\x8c\\x07modules\\x93."  # sys.modules, named by the bytes alone
reader, writer = multiprocessing.Pipe(duplex=False)
os.write(writer.fileno(), struct.pack("!i", len(payload)) + payload)
try:
    print(type(reader.recv()).__name__)
except pickle.UnpicklingError as error:
    print("refused:", error)
""".replace("except pickle.", "except __import__('pickle').")


@pytest.mark.parametrize("installed", [True, False])
def test_bytes_written_into_a_pipe_by_hand_are_refused(installed: bool) -> None:
    done = subprocess.run([sys.executable, "-c", ATTACK, "installed" if installed else "not"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused:" if installed else "dict"), done.stdout


SPAWNED = """
import multiprocessing, os, sys
from grader.scenarios import unpickling

class Path(str):  # a str that, unpickled, runs a command: spawned children unpickle sys.argv first
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[2],))

def child():
    pass

if __name__ == "__main__":
    if sys.argv[1] == "installed":
        unpickling.install()
    sys.argv.append(Path("x"))
    process = multiprocessing.get_context("spawn").Process(target=child)
    process.start()
    process.join()
    print(process.exitcode)
"""


@pytest.mark.parametrize("installed", [True, False])
def test_a_spawned_child_unpickles_with_the_sandboxs_unpickler_from_its_start(tmp_path: Path, installed: bool) -> None:
    script, ran = tmp_path / "spawning.py", tmp_path / "ran"
    script.write_text(SPAWNED)
    done = subprocess.run([sys.executable, str(script), "installed" if installed else "not", str(ran)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ran.exists() is not installed  # without it, the command runs before anything of ours
    if installed:
        assert unpickling.REFUSED in done.stderr and done.stdout.strip() != "0"
