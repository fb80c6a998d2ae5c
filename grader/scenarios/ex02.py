"""Scenarios for exercise 2: ``run_concurrently(target, arg_tuples)``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from . import probes
from .records import Call, Value
from .scenario import Tools, scenario
from .student import Student, describe
from .waits import ParentWaits


@dataclass(frozen=True)
class MeetParams:
    codes: tuple[int, ...]  #: the exit code each process ends with, one process per code
    cascade: bool = False  #: processes end one at a time, last first


@dataclass(frozen=True)
class Meeting:
    returned: Value
    caller: int  #: the pid of the process that called run_concurrently
    arrivals: tuple[tuple[int, int], ...]  #: (pid, thread) of each target at the gate
    broken: bool  #: the gate never opened: they were not all running at once
    runs: tuple[tuple[int, int], ...]  #: (tuple index, pid) of each run of the target
    running: tuple[int, ...]  #: processes still running when it returned
    unjoined: tuple[int, ...]  #: processes that had ended but were never waited for
    calls: tuple[Call, ...]
    started: tuple[int, ...] = ()  #: pids of the processes the student's code started (from its calls)
    waited: bool = False  #: every target was released by a wait of the parent's, none went on by itself


def key_of(target: Any, args: tuple[Any, ...]) -> str | None:
    """A process runs tuple i when it is made with the grader's target and (i, code)."""
    if isinstance(target, probes.Meeter) and args and type(args[0]) is int:
        return str(args[0])
    for arg in args:  # the grader's target wrapped in the student's own function
        if isinstance(arg, (tuple, list)) and arg and type(arg[0]) is int:
            return str(arg[0])
    return None


@scenario(MeetParams, Meeting)
def meet(student: Student, params: MeetParams, tools: Tools) -> Meeting:
    """One call whose targets finish only once all are alive at the same time, and each only when
    the parent waits for it (in order, last first, with ``cascade``)."""
    run_concurrently = student.function("run_concurrently", "target", "arg_tuples")
    gate = tools.gate(len(params.codes))
    release = tools.release()
    ParentWaits(tools.tracer, release, key_of, cascade=params.cascade, gate=gate, patient=tools.patient_lines)
    target = probes.Meeter(gate, release, params.cascade)
    returned = run_concurrently(target, [(index, code) for index, code in enumerate(params.codes)])
    running, unjoined = tools.running(), tools.unjoined()
    runs = tuple(sorted((record["index"], record["pid"]) for record in probes.notes(gate.folder, "ran-")))
    return Meeting(
        describe(returned),
        os.getpid(),
        tuple(gate.arrivals()),
        gate.broken,
        runs,
        tuple(running),
        tuple(unjoined),
        tuple(tools.tracer.calls),
        tuple(tools.tracer.started),
        # none went on by itself as the children saw it, and each was released by a wait of the
        # parent's (a child's word alone is the student's code's: red team, round 17)
        bool(runs)
        and not probes.notes(gate.folder, "unreleased-")
        and all(release.released(probes.of_process(str(index), pid)) for index, pid in runs),
    )


@dataclass(frozen=True)
class Nothing:
    """No inputs."""


@dataclass(frozen=True)
class Empty:
    returned: Value


@scenario(Nothing, Empty, per_start_method=False)
def no_tuples(student: Student, params: Nothing, tools: Tools) -> Empty:
    run_concurrently = student.function("run_concurrently", "target", "arg_tuples")
    return Empty(describe(run_concurrently(probes.Meeter(tools.gate(1), tools.release()), [])))
