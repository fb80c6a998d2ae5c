"""One cause, one message: the mistakes behind the failed checks, each named once at its line.

A check's verdict says what went wrong (a symptom: "the target ran in the grader's own process").
A *diagnosis* says why (the cause: "you called run() instead of start(), line 9"), from what the
scenarios observed (the calls the student's code made, what it returned) and from where the file
says it (``static.Facts``). When a cause explains several failed checks, the student reads it once,
first, with its hint and the documentation to read; each check it broke refers to it.

A diagnosis is only ever made for checks that failed, from what ran: a pattern in the file that did
no harm is not mentioned, and where what ran and what the file seems to say disagree, what ran wins.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from grader.judge import Source
from grader.judge.calls import Calls
from grader.judge.static import Facts, facts
from grader.scenarios.records import Call

F = TypeVar("F", bound=Callable[..., Any])

DOCS = "https://docs.python.org/3/library/multiprocessing.html"
SECTIONS = {
    "process": f"{DOCS}#the-process-class",
    "start": f"{DOCS}#multiprocessing.Process.start",
    "join": f"{DOCS}#multiprocessing.Process.join",
    "exitcode": f"{DOCS}#multiprocessing.Process.exitcode",
    "start-methods": f"{DOCS}#contexts-and-start-methods",
    "spawn": f"{DOCS}#the-spawn-and-forkserver-start-methods",
    "sharing": f"{DOCS}#sharing-state-between-processes",
    "value": f"{DOCS}#multiprocessing.Value",
    "synchronization": f"{DOCS}#synchronization-between-processes",
    "pool": f"{DOCS}#module-multiprocessing.pool",
    "map": f"{DOCS}#multiprocessing.pool.Pool.map",
    "queues": f"{DOCS}#pipes-and-queues",
    "guidelines": f"{DOCS}#programming-guidelines",
}


@dataclass(frozen=True)
class Finding:
    message: str  #: what the student's code does wrong
    hint: str  #: what to do instead
    line: int | None = None  #: where it does it


@dataclass
class Evidence:
    """Everything the judge knows of one submission."""

    seen: dict[tuple[str, str], Any]  #: (run name, start method) -> its observation, decoded
    params: dict[str, Any]  #: run name -> the inputs the judge gave it
    failed: set[str]  #: the checks that did not pass
    source: Source
    called: dict[str, tuple[Call, ...]]  #: run name -> what the student's code called, also when it raised
    facts: Facts = field(init=False)

    def __post_init__(self) -> None:
        self.facts = facts(self.source.text)

    def observations(self, run: str) -> list[Any]:
        """The run's observations, fork first (the order start methods run in)."""
        return [seen for (name, _), seen in self.seen.items() if name == run]

    def first(self, run: str) -> Any | None:
        found = self.observations(run)
        return found[0] if found else None

    def calls(self, run: str) -> Calls:
        """What the student's code called in the run (under the first start method it reported)."""
        return Calls(self.called.get(run, ()))


@dataclass(frozen=True)
class Diagnosis:
    id: str
    explains: tuple[str, ...]  #: the checks this mistake can make fail
    docs: str
    find: Callable[[Evidence], Finding | None]


def diagnosis(id: str, *, explains: tuple[str, ...], docs: str) -> Callable[[F], F]:
    """Declare ``find(evidence) -> Finding | None`` the diagnosis of mistake ``id``; the order they are
    written in is the order they are tried in (the more specific first)."""

    def declare(find: F) -> F:
        find.diagnosis = Diagnosis(id, explains, SECTIONS.get(docs, docs), find)  # type: ignore[attr-defined]
        return find

    return declare


def diagnoses_of(module_name: str) -> tuple[Diagnosis, ...]:
    module = importlib.import_module(module_name)
    return tuple(
        value.diagnosis for value in vars(module).values() if isinstance(getattr(value, "diagnosis", None), Diagnosis)
    )
