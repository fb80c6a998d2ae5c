"""Steady verdicts: every catalogue case gets the same status for every check, under every start
method, on every one of its 6 gradings, with two busy CPU loops running.

One of the gradings is one at a time in this process (``-j 1``); the other five are ``grade
batch -j 2`` runs of the whole catalogue as a class (one student per case): the first before the
rest, then the others in two lanes of batches, which run meanwhile. The load on the machine is then
the two loops, the two batches' four workers and the grading in this process, and each of those
five takes about as long to do its share. Each grading runs one start method: each batch the next
in turn (fork, spawn, forkserver, fork, ...), and in this process the next case the next (so every
method is graded one at a time too). A check's status under all three is a function of its status
under each (the first that did not pass decides), so steady statuses under each method make steady
statuses under all, at a third of the cost. The second fork batch is killed half-way and resumed:
its gradebook must be byte-identical to that of the first, which ran uninterrupted (a resume test
of its own cost a whole batch more). ``MPGRADE_STRESS_REPEATS`` changes the number of gradings (at
least 5; CI's time set 6: two per start method, since the catalogue grew to over 200 cases; 12 took
half an hour). The figures (gradings, unsteady cases, seconds) are written to test-artifacts/stress.json."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import psutil
import pytest
from conftest import ARTIFACTS, sandbox_processes, survivors, wait_for
from judge.catalogue import Case, catalogue

from grader.exercises import available_start_methods
from grader.pipeline import grade_exercise

pytestmark = pytest.mark.stress
REPEATS = int(os.environ.get("MPGRADE_STRESS_REPEATS", "6"))  #: gradings of every case
ONE_AT_A_TIME = REPEATS // 5  #: of them in this process (-j 1); the rest in batches, which grade two at a time
LANES = 2  #: batches that run at once
Statuses = dict[str, str]  #: check id -> its status under the grading's start method


@contextlib.contextmanager
def busy_cpus() -> Iterator[None]:
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


@pytest.fixture(scope="module")
def cases() -> dict[str, Case]:
    return {case.name: case for case in catalogue()}


@pytest.fixture(scope="module")
def klass(cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole catalogue as a class: a student per case, named after it, with its one file."""
    root = tmp_path_factory.mktemp("catalogue-class")
    for name, case in cases.items():
        (root / name).mkdir()
        shutil.copy(case.folder / case.exercise.filename, root / name / case.exercise.filename)
    return root


class Batch(NamedTuple):
    out: Path
    seconds: float


@pytest.fixture(scope="module")
def fork_batch(klass: Path, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """The first of the stress test's batches (fork, under load), and the gradebook the resumed batch must give."""
    out = tmp_path_factory.mktemp("fork-batch") / "out"
    started = time.monotonic()
    with busy_cpus():
        run_batch(klass, out, "fork")
    return Batch(out, time.monotonic() - started)


def test_repeats_give_every_start_method_at_each_level_of_parallelism(cases: dict[str, Case]) -> None:
    methods = available_start_methods()
    assert len(methods) <= min(len(cases), REPEATS - ONE_AT_A_TIME) and ONE_AT_A_TIME >= 1


def method(repeat: int) -> str:
    methods = available_start_methods()
    return methods[repeat % len(methods)]


def run_batch(klass: Path, out: Path, start_method: str) -> subprocess.CompletedProcess[str]:
    """A batch of the whole catalogue, which must end well, and within 15 minutes (it takes one or two)."""
    try:
        done = subprocess.run(batch_command(klass, out, start_method), capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired as hung:
        raise AssertionError(f"the {start_method} batch hung:\n{str(hung.stderr)[-3000:]}") from None
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def batch_command(source: Path, out: Path, start_method: str) -> list[str]:
    return [sys.executable, "-m", "grader", "batch", str(source), "--out", str(out), "-j", "2",
            "--start-method", start_method]  # fmt: skip


def batch_statuses(out: Path) -> dict[str, Statuses]:
    """Each student's (case's) per-check statuses, from the result.json the batch wrote."""
    found = {}
    for result in sorted(out.glob("*/result.json")):
        data = json.loads(result.read_text())
        (exercise,) = [e for e in data["exercises"] if e["checks"] and e["problem"] != "Not submitted."]
        found[result.parent.name] = {check["name"]: check["status"] for check in exercise["checks"]}
    return found


class Resumed(NamedTuple):
    out: Path
    kept: int  #: results stored when the batch was killed
    output: str  #: what the batch that resumed it printed


class Load(NamedTuple):
    seen: dict[tuple[str, str], list[Statuses]]  #: (case, method) -> each grading's statuses
    seconds: float  #: the first batch, then this process's gradings and the lanes of batches at once
    seconds_in_process: float
    seconds_in_batch: float
    resumed: Resumed | None  #: the fork batch of the lanes that was killed half-way, then resumed
    survivors: list[tuple[int, list[str]]]  #: sandbox processes left on the machine afterwards


@pytest.fixture(scope="module")
def load(cases: dict[str, Case], klass: Path, fork_batch: Batch, tmp_path_factory: pytest.TempPathFactory) -> Load:
    """Every grading of the stress test: the first batch's, this process's and the lanes' batches'."""
    assert method(0) == "fork"  # the first batch is the fixture's
    root = tmp_path_factory.mktemp("load")
    seen: dict[tuple[str, str], list[Statuses]] = defaultdict(list)
    with busy_cpus(), ThreadPoolExecutor(LANES) as alongside:
        started = time.monotonic()
        lanes = [alongside.submit(run_batches, klass, root, lane) for lane in range(LANES)]
        for repeat in range(ONE_AT_A_TIME):
            for index, case in enumerate(cases.values()):
                start_method = method(repeat + index)
                result = grade_exercise(case.exercise, case.folder, start_methods=[start_method])
                seen[(case.name, start_method)].append({check.id: check.status.value for check in result.checks})
        in_process = time.monotonic() - started
        done = [lane.result() for lane in lanes]
        both = time.monotonic() - started + fork_batch.seconds
    for repeat, out in enumerate([fork_batch.out, *sorted(root.glob("batch-*"), key=batch_number)]):
        for name, statuses in batch_statuses(out).items():
            seen[(name, method(repeat))].append(statuses)
    resumed = next((lane_resumed for _, lane_resumed in done if lane_resumed is not None), None)
    in_batch = max(seconds for seconds, _ in done) + fork_batch.seconds
    return Load(seen, both, in_process, in_batch, resumed, survivors())


def test_every_check_is_steady_under_load(cases: dict[str, Case], load: Load) -> None:
    seen = load.seen
    unsteady = {
        f"{name} ({start_method})": gradings
        for (name, start_method), gradings in seen.items()
        if any(statuses != gradings[0] for statuses in gradings)
    }
    gradings = sum(len(found) for found in seen.values())
    wrong = [
        name for name, case in cases.items() if wrong_verdict(case, {m: g for (n, m), g in seen.items() if n == name})
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    figures = {
        "cases": len(cases),
        "gradings": gradings,
        "unsteady_cases": len(unsteady),
        "wrong_verdicts": len(wrong),
        "seconds": round(load.seconds, 1),
        "seconds_in_process": round(load.seconds_in_process, 1),
        "seconds_in_batch": round(load.seconds_in_batch, 1),
        "unsteady": {name: [dict(sorted(s.items())) for s in found] for name, found in unsteady.items()},
        "wrong": {name: {m: found for (n, m), found in seen.items() if n == name} for name in wrong},
    }
    (ARTIFACTS / "stress.json").write_text(json.dumps(figures, indent=2))
    assert not load.survivors, load.survivors
    assert gradings == REPEATS * len(cases)
    assert not wrong, json.dumps(figures["wrong"], indent=1)[:5000]
    assert not unsteady, json.dumps(figures["unsteady"], indent=1)[:5000]


RESUMED = next((repeat for repeat in range(1, REPEATS - ONE_AT_A_TIME) if method(repeat) == "fork"), None)
"""The batch of the lanes that is killed half-way and then resumed (a fork batch, as the first one is)."""


def run_batches(klass: Path, root: Path, lane: int) -> tuple[float, Resumed | None]:
    """This lane's share of batches 1, 2, ... of the whole catalogue, one after another: the seconds
    they took, and the resumed batch's figures if it was one of them."""
    started, resumed = time.monotonic(), None
    for repeat in range(1 + lane, REPEATS - ONE_AT_A_TIME, LANES):
        out = root / f"batch-{repeat}"
        if repeat == RESUMED:
            resumed = kill_half_way_then_resume(klass, out)
        else:
            run_batch(klass, out, method(repeat))
    return time.monotonic() - started, resumed


def kill_half_way_then_resume(klass: Path, out: Path) -> Resumed:
    """A fork batch killed (-9) once half of the class is graded, then run again to the end."""
    running = subprocess.Popen(batch_command(klass, out, "fork"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    half = len(list(klass.iterdir())) // 2
    wait_for(lambda: len(list(out.glob("*/results/*.json"))) >= half, f"{half} results stored")
    # its sandboxes, told from those of the lane alongside by whose they are
    every = set(sandbox_processes())
    sandboxes = [process for process in psutil.Process(running.pid).children(recursive=True) if process in every]
    running.send_signal(signal.SIGKILL)
    running.wait()
    assert not survivors(sandboxes, grace=30), "a sandbox left after kill -9"
    kept = len(list(out.glob("*/results/*.json")))
    return Resumed(out, kept, run_batch(klass, out, "fork").stdout)


def batch_number(out: Path) -> int:
    return int(out.name.rpartition("-")[2])


def wrong_verdict(case: Case, by_method: dict[str, list[Statuses]]) -> bool:
    """A correct case must pass every check in every grading; a wrong one must fail, under some start
    method, every check that catches it (a fork-only mistake passes under fork), and never get full marks."""
    if case.correct:
        return any(
            status != "passed" for found in by_method.values() for statuses in found for status in statuses.values()
        )
    caught = all(any(found[0][check] != "passed" for found in by_method.values()) for check in case.caught_by)
    full = all(all(status == "passed" for status in found[0].values()) for found in by_method.values())
    return full or not caught


def test_killed_then_resumed_batch_of_the_whole_catalogue_gives_the_same_gradebook(
    klass: Path, fork_batch: Batch, load: Load
) -> None:
    if load.resumed is None:
        pytest.skip(f"no fork batch among the {REPEATS - ONE_AT_A_TIME - 1} batches of the lanes")
    uninterrupted, resumed = fork_batch.out, load.resumed.out
    assert f"{load.resumed.kept} results reused" in load.resumed.output
    assert (resumed / "gradebook.csv").read_bytes() == (uninterrupted / "gradebook.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO((resumed / "gradebook.csv").read_text())))
    assert len(rows) == len(list(klass.iterdir()))
