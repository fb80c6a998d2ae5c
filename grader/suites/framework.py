"""What the hidden suites are written with: ``@check``, ``Mistake`` and the shared fixtures.

Loaded as a pytest plugin inside the sandbox (``-p grader.suites.framework``). A suite states
each check's title, points and hint with ``@check``; it reports a mistake by raising
``Mistake`` with a message written for the student. Assertion rewriting is off in the sandbox,
so nothing of a suite's source ever reaches a student: only these messages do.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import linecache
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import psutil
import pytest

from grader import feedback
from grader.exercises import EXERCISES, available_start_methods
from grader.models import CheckSpec, Location
from grader.suites import probes
from grader.suites.probes import Gate

F = TypeVar("F", bound=Callable[..., Any])

GATE_TIMEOUT = 3.0  # seconds an early process waits for its siblings, before --time-scale


class Mistake(AssertionError):
    """A check found a mistake: ``str(self)`` tells the student what, ``hint`` what to look at."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class BrokenSubmission(Exception):
    """The submission cannot be used at all (does not import, lacks a function)."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.location = location
        self.hint = hint


def expect(condition: object, message: str, hint: str | None = None) -> None:
    """Raise ``Mistake(message, hint)`` unless ``condition`` holds."""
    if not condition:
        raise Mistake(message, hint)


def check(
    title: str,
    *,
    points: int,
    hint: str,
    per_start_method: bool = True,
    timeout: float | None = None,
) -> Callable[[F], F]:
    """Declare a test function a graded check."""

    def declare(test: F) -> F:
        name = test.__name__.removeprefix("test_")
        test.check = CheckSpec(name, title, points, hint, per_start_method, timeout)  # type: ignore[attr-defined]
        return test

    return declare


# --- options and collection ----------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mpgrade")
    group.addoption("--start-methods", default=",".join(available_start_methods()))
    group.addoption("--time-scale", type=float, default=1.0)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    methods = metafunc.config.getoption("--start-methods").split(",")
    spec: CheckSpec | None = getattr(metafunc.function, "check", None)
    if spec is not None and not spec.per_start_method:
        methods = methods[:1]
    # module scope groups the runs by start method, so module fixtures run once per method
    metafunc.parametrize("start_method", methods, indirect=True, scope="module")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scale = config.getoption("--time-scale")
    for item in items:
        spec: CheckSpec | None = getattr(getattr(item, "function", None), "check", None)
        if spec is not None and spec.timeout is not None:
            item.add_marker(pytest.mark.timeout(spec.timeout * scale))


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def start_method(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every process the student's code starts during the check uses this start method."""
    method: str = request.param
    multiprocessing.set_start_method(method, force=True)
    yield method


@pytest.fixture(scope="module")
def time_scale(request: pytest.FixtureRequest) -> float:
    return float(request.config.getoption("--time-scale"))


@pytest.fixture
def gate(tmp_path: Path, time_scale: float) -> Callable[[int], Gate]:
    """Make a ``Gate`` for n parties in a fresh folder."""
    count = iter(range(1_000))

    def make(parties: int) -> Gate:
        return Gate.create(tmp_path / f"gate{next(count)}", parties, GATE_TIMEOUT * time_scale)

    return make


@dataclass
class Student:
    """The submission's module, with checked access to what the exercise asks for."""

    module: ModuleType

    def function(self, name: str, *params: str) -> Callable[..., Any]:
        """The function ``name``, checked to accept ``params`` (e.g. ``"args=()"``) by position."""
        wanted = f"{name}({', '.join(params)})"
        found = getattr(self.module, name, None)
        if found is None:
            raise BrokenSubmission(
                f"Your file has no function `{name}`: the exercise asks for `{wanted}`.",
                hint="Keep the function names and parameters of the exercise file exactly as given.",
            )
        if not callable(found):
            raise BrokenSubmission(f"`{name}` in your file is not a function: expected `{wanted}`.")
        required = sum("=" not in param for param in params)
        try:
            signature = inspect.signature(found)
            for count in {required, len(params)}:
                signature.bind(*[None] * count)
        except TypeError:
            raise BrokenSubmission(
                f"`{name}` takes `{name}{signature}`, but the exercise calls it as `{wanted}`.",
                hint="Keep the parameters of the exercise file: the grader calls your function "
                "exactly as the exercise describes.",
            ) from None
        except ValueError:  # builtins without a signature: let the call itself tell
            pass
        return guarded(found)

    def constant(self, name: str) -> Any:
        if not hasattr(self.module, name):
            raise BrokenSubmission(f"Your file has no `{name}`: the exercise asks you to keep it.")
        return getattr(self.module, name)


CALLED: list[Callable[..., Any]] = []  # the student's functions a check called, in order; the harness clears it


def definition(function: Callable[..., Any]) -> Location | None:
    """Where the student defined ``function``: the line a mistake in it is reported at."""
    code = getattr(function, "__code__", None)
    if code is None or Path(code.co_filename).parent != submission_folder():
        return None
    line = code.co_firstlineno
    return Location(Path(code.co_filename).name, line, linecache.getline(code.co_filename, line).strip())


def guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, with sys.exit() and Ctrl-C from it turned into a graded failure.

    Left alone they are BaseExceptions that stop pytest itself, not just the check.
    """

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        CALLED.append(function)
        try:
            return function(*args, **kwargs)
        except (SystemExit, KeyboardInterrupt) as stop:
            what = f"sys.exit({stop.code!r})" if isinstance(stop, SystemExit) else "KeyboardInterrupt"
            if raised_by_a_probe(stop):  # the grader's own target, run where it should not be
                raise BrokenSubmission(
                    f"The grader's target called {what} and that ended {function.__name__}() itself: "
                    "the target ran in the grader's own process instead of in a new process.",
                    student_location(stop),
                    hint="Pass the function to multiprocessing.Process(target=...) and start() it; do not call it.",
                ) from None
            raise BrokenSubmission(
                f"Your code raised {what} in {function.__name__}(): that ends the whole "
                "program; a function should return its result instead.",
                student_location(stop),
            ) from None

    return call


def raised_by_a_probe(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename) == Path(probes.__file__)


@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> Student:
    """Import the submission once per suite; every check reports the same import failure."""
    exercise = EXERCISES[request.module.EXERCISE]
    return Student(import_submission(exercise.module))


def import_submission(name: str) -> ModuleType:
    filename = f"{name}.py"
    try:
        return importlib.import_module(name)
    except pytest.fail.Exception:  # our timer fired in the middle of the import
        raise BrokenSubmission(
            f"Importing {filename} did not finish: code at the top level of your file keeps "
            "running (an endless loop, a blocking call, or work that should be in a function).",
            hint="Only definitions belong at the top level; put anything that runs under `if __name__ == '__main__':`.",
        ) from None
    except SyntaxError as error:
        line = error.lineno or 0
        raise BrokenSubmission(
            f"{filename} has a syntax error on line {line}: {error.msg}.",
            Location(filename, line, (error.text or "").strip()),
        ) from None
    except SystemExit as stop:
        raise BrokenSubmission(
            f"Your file calls sys.exit({stop.code!r}) when it is imported, so nothing in it can be graded.",
            student_location(stop),
            hint="Put code that runs the program under `if __name__ == '__main__':`.",
        ) from None
    except (EOFError, OSError) as error:
        if "stdin" not in str(error) and not isinstance(error, EOFError):
            raise BrokenSubmission(import_failure(filename, error), student_location(error)) from None
        raise BrokenSubmission(
            "Your file calls input() when it is imported; the grader types nothing.",
            student_location(error),
            hint="Remove the input() call, or move it under `if __name__ == '__main__':`.",
        ) from None
    except Exception as error:  # noqa: BLE001 - any failure of student code is graded
        raise BrokenSubmission(import_failure(filename, error), student_location(error)) from None


def import_failure(filename: str, error: BaseException) -> str:
    return f"Importing {filename} raised {type(error).__name__}: {error}"


def submission_folder() -> Path:
    """Where the sandbox put the student's file."""
    return Path(os.environ["MPGRADE_SUBMISSION"])


def student_location(error: BaseException) -> Location | None:
    return feedback.student_location(error, submission_folder())


def unreaped(pid: int) -> bool:
    """Whether ``pid`` has ended without its parent waiting for it (a zombie: never joined)."""
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def infrastructure() -> set[int]:
    """PIDs of multiprocessing's own long-lived helpers in this process: not the student's."""
    pids = {
        getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None),
        getattr(multiprocessing.resource_tracker._resource_tracker, "_pid", None),
    }
    return {pid for pid in pids if pid}


def still_running() -> list[int]:
    """The processes the student's code started that are alive now: call it right after their
    function returns, to see whether it waited for its processes."""
    helpers = infrastructure()
    return [
        process.pid
        for process in psutil.Process().children(recursive=True)
        if process.pid not in helpers and not unreaped(process.pid)
    ]


def never_joined() -> list[int]:
    """Children that finished but that nobody joined: they linger as zombies."""
    return [process.pid for process in psutil.Process().children() if unreaped(process.pid)]
