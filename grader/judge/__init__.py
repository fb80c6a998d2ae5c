"""Stage 3: the judge. What the scenarios observed, turned into a verdict for each check.

The judge runs in the grader's own process, outside the sandbox: no code of the submission ever
runs here, and what comes out of the sandbox is data of a known shape, decoded and checked before
a verdict reads it. A check names the ``Run`` it looks at (a scenario with the inputs the judge
chose for this submission) and a verdict function that reads the run's typed observation and says
passed, or failed with a message written for the student. The hidden expectations, messages and
hints live here only; the sandbox never sees them.

A check passes only on a positive verdict under every start method it ran under: an exception of
any class, a timeout, a crash, or no report at all earns nothing.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from grader.judge.polls import patient_lines
from grader.judge.static import facts
from grader.models import CheckSpec, Limits, Location
from grader.scenarios import records
from grader.scenarios.records import Request
from grader.scenarios.scenario import REGISTRY, Scenario

F = TypeVar("F", bound=Callable[..., Any])

# A gate only times out when its parties never come: correct code opens it as soon as its processes
# have started, however slowly a loaded machine starts them, so it may wait as long as a check may run.
# A held target goes on by itself after HOLD, well before the check's own time is up, so that a
# parent that waits in a way the probes do not see still gets the same result on every run.
HOLD = 2.0  # seconds, before --time-scale


@dataclass(frozen=True)
class Verdict:
    """What a check concluded from an observation."""

    passed: bool
    message: str = ""  #: what went wrong, in the student's terms
    hint: str | None = None  #: instead of the check's own hint
    line: int | None = None  #: the line of the student's file to show, when the verdict knows it


PASS = Verdict(True)


def fail(message: str, hint: str | None = None, line: int | None = None) -> Verdict:
    return Verdict(False, message, hint, line)


@dataclass(frozen=True)
class Run:
    """A scenario with the inputs the judge gives it; several checks may read the same run."""

    name: str  #: unique within an exercise
    scenario: str  #: ``<exercise>.<function>`` in ``grader.scenarios``
    function: str  #: the student's function it is about: a failure points at its ``def`` by default
    params: Callable[[random.Random], Any]  #: the scenario's inputs, from a generator seeded by the file

    @property
    def declared(self) -> Scenario:
        module, _ = self.scenario.split(".")
        importlib.import_module(f"grader.scenarios.{module}")
        return REGISTRY[self.scenario]


@dataclass(frozen=True)
class Source:
    """The student's file as the judge read it (never as the sandbox left it)."""

    name: str  #: e.g. ``ex01_spawn.py``
    text: str

    def code(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""

    def location(self, line: int) -> Location:
        return Location(self.name, line, self.code(line))

    def definition(self, function: str) -> int | None:
        """The line of ``def function`` at the top level of the file."""
        try:
            tree = ast.parse(self.text)
        except (SyntaxError, ValueError):
            return None
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
                return node.lineno
        return None


@dataclass(frozen=True)
class Context:
    """What a verdict knows besides the observation."""

    method: str
    params: Any
    source: Source


Verdicts = Callable[[Any, Context], Verdict]
Reading = Callable[[Source], "Verdict | None"]


@dataclass(frozen=True)
class Check:
    spec: CheckSpec
    run: Run
    verdict: Verdicts
    #: what the file alone fails the check for, whatever its run did (passed, timed out, raised): a
    #: fault that shows only when the machine is slow (a consumer that gives up after a quiet while)
    #: then fails the check on every run, instead of on the runs that were slow enough
    unvouched: Reading | None = None


def check(title: str, *, points: int, hint: str, run: Run, unvouched: Reading | None = None) -> Callable[[F], F]:
    """Declare a verdict function a graded check of ``run``; its name is the check's id."""

    def declare(verdict: F) -> F:
        spec = CheckSpec(verdict.__name__, title, points, hint, run.declared.per_start_method)
        verdict.check = Check(spec, run, verdict, unvouched)  # type: ignore[attr-defined]
        return verdict

    return declare


def checks_of(module_name: str) -> tuple[Check, ...]:
    """The checks of a judge module, in the order they are written."""
    module = importlib.import_module(module_name)
    return tuple(value.check for value in vars(module).values() if isinstance(getattr(value, "check", None), Check))


# --- planning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    request: Request
    run: Run


def plan(checks: tuple[Check, ...], source: bytes, methods: list[str], limits: Limits) -> list[Planned]:
    """The requests for one grading: every run under each start method it needs, start method by
    start method. Inputs come from a generator seeded by the file
    itself, so the same file gets the same inputs on every run, and another file other inputs."""
    scale = limits.time_scale
    timeout, gate, hold = limits.test_timeout * scale, limits.test_timeout * scale, HOLD * scale
    cpu_wait = timeout * limits.load_allowance  # README: Timeouts and limits
    runs = list({check.run.name: check.run for check in checks}.values())
    patient = {function: _patient_lines(source, function) for function in {run.function for run in runs}}
    planned: list[Planned] = []
    for index, method in enumerate(methods):
        for run in runs:
            if index == 0 or run.declared.per_start_method:
                params = records.encode(run.params(random.Random(_seed(source, run.name))))
                request = Request(run.scenario, method, params, timeout, gate, hold, cpu_wait, patient[run.function])
                planned.append(Planned(request, run))
    return planned


def _patient_lines(source: bytes, function: str) -> tuple[int, ...]:
    return tuple(sorted(patient_lines(facts(source.decode("utf-8", "replace")), function)))


def _seed(source: bytes, name: str) -> int:
    return int.from_bytes(hashlib.sha256(source + b"\0" + name.encode()).digest()[:8], "big")
