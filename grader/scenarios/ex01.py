"""Scenarios for exercise 1: ``run_in_process(target, args=())``."""

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
class RunParams:
    args: tuple[Any, ...]  #: what run_in_process passes on to the target
    code: int | None = None  #: the target ends with sys.exit(code)
    raises: bool = False  #: the target raises an exception


@dataclass(frozen=True)
class TargetRun:
    """One run of the grader's target."""

    pid: int
    args: tuple[str, ...]  #: repr of each argument it got
    finished: bool  #: it reached its end before run_in_process returned


@dataclass(frozen=True)
class Run:
    returned: Value
    caller: int  #: the pid of the process that called run_in_process
    runs: tuple[TargetRun, ...]  #: read when run_in_process returned
    running: tuple[int, ...]  #: processes still running when it returned
    unjoined: tuple[int, ...]  #: processes that had ended but were never waited for
    waited: bool  #: the target was released by a wait of the parent's (join, sentinel, polling), not by its own timeout
    calls: tuple[Call, ...]
    started: tuple[int, ...] = ()  #: pids of the processes the student's code started (from its calls)


def key_of(target: Any, args: tuple[Any, ...]) -> str | None:
    """Any process the student's function makes runs the grader's target, if only wrapped in their own."""
    return "target"


@scenario(RunParams, Run)
def run(student: Student, params: RunParams, tools: Tools) -> Run:
    """One call of run_in_process with a target that finishes only when the parent waits for it."""
    run_in_process = student.function("run_in_process", "target", "args=()")
    folder = tools.folder("runs")
    release = tools.release()
    ParentWaits(tools.tracer, release, key_of, arrivals=True, patient=tools.patient_lines)
    target = probes.Reporter(str(folder), release, "target", params.code, params.raises)
    returned = run_in_process(target, tuple(params.args))
    running, unjoined = tools.running(), tools.unjoined()
    ended = probes.notes(folder, "done-")
    done = {record["pid"] for record in ended}
    runs = tuple(
        TargetRun(record["pid"], tuple(record["args"]), record["pid"] in done)
        for record in probes.notes(folder, "ran-")
    )
    return Run(
        describe(returned),
        os.getpid(),
        runs,
        tuple(running),
        tuple(unjoined),
        # released as the child saw it, and as the parent's waits did (a child's word alone is the
        # student's code's: red team, round 17)
        bool(ended)
        and all(
            record["released"] and release.released(probes.of_process("target", record["pid"])) for record in ended
        ),
        tuple(tools.tracer.calls),
        tuple(tools.tracer.started),
    )
