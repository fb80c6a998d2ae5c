"""How a scenario is declared, and the tools it is handed.

A scenario is a function ``(student, params, tools) -> observation``: it calls the student's
functions with the probes and returns a frozen dataclass of what it saw. ``@scenario`` registers
it under ``<exercise>.<name>`` with the type of its parameters (chosen by the judge) and of its
observation (read by the judge), and whether it runs under each start method.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import cpython, guard, probes, processes
from .probes import Gate, Release
from .trace import Tracer
from .waits import ParentSleeps

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Scenario:
    name: str  #: ``ex01.plain_run``
    function: Callable[..., Any]
    params: type  #: the dataclass of its inputs
    observation: type  #: the dataclass it returns
    per_start_method: bool = True  #: False for scenarios that start no process


REGISTRY: dict[str, Scenario] = {}


def scenario(params: type, observation: type, *, per_start_method: bool = True) -> Callable[[F], F]:
    def register(function: F) -> F:
        exercise = function.__module__.rsplit(".", 1)[-1]
        name = f"{exercise}.{function.__name__}"
        REGISTRY[name] = Scenario(name, function, params, observation, per_start_method)
        return function

    return register


@dataclass
class Tools:
    """What a scenario works with, in the scenario's own process."""

    tracer: Tracer
    work: Path  #: a fresh folder for this scenario
    gate_timeout: float  #: seconds a process waits for its siblings
    hold_timeout: float  #: seconds a held target waits for the parent to wait for it
    patient_lines: frozenset[int] = frozenset()  #: ``Request.patient_lines``
    _count: Any = field(default_factory=lambda: itertools.count())
    _hidden: Path | None = None

    def folder(self, name: str, listable: bool = False) -> Path:
        """A fresh folder for the probes' notes, at a path the student's code cannot find: under a
        random name in a folder nobody may list (and changing that mode is refused by ``guard``),
        so the notes cannot be found to be deleted or written by anyone but the probes."""
        if self._hidden is None:
            hidden = self.work / guard.HIDDEN
            self._hidden = hidden / os.urandom(16).hex()
            self._hidden.mkdir(parents=True)
            os.chmod(hidden, 0o111)  # os itself: the guard lets only our own code change a mode
        # no one renames a notes folder away (a decoy in its place would take the notes written
        # meanwhile): the folder that holds them is only writable while one is made
        os.chmod(self._hidden, 0o700)
        path = self._hidden / f"{name}-{next(self._count)}"
        path.mkdir()
        os.chmod(self._hidden, 0o100)
        probes.keep(path, listable)  # unless a child lists it, only the scenario can (``probes.keep``)
        return path

    def gate(self, parties: int) -> Gate:
        return Gate.create(self.folder("gate"), parties, self.gate_timeout)

    def release(self) -> Release:
        release = Release.create(self.folder("release"), self.hold_timeout, self.gate_timeout)
        ParentSleeps(self.tracer, release)
        return release

    def running(self) -> list[int]:
        """The processes the student's code started that are alive now (zombies excluded): ask
        right after their function returns, to see whether it waited for its processes."""
        helpers = cpython.helper_pids()
        listing = processes.listing()
        return sorted(
            proc.pid
            for proc in processes.descendants(os.getpid(), listing)
            if not proc.zombie and proc.pid not in helpers
        )

    def unjoined(self) -> list[int]:
        """Children that ended but that nobody waited for: they linger as zombies."""
        return sorted(proc.pid for proc in processes.listing() if proc.ppid == os.getpid() and proc.zombie)
