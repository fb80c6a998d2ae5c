"""grade batch on a Dask cluster: a LocalCluster of two worker processes on loopback grades a class
of 30 to the gradebook of a local run, byte for byte, also when a worker is killed midway or the
batch is interrupted and resumed; a grading that kills its worker each time is that student's
failure after a bounded number of tries; what a worker sends back is trusted no further than its
schema; an unreachable scheduler is a usage error."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dask
import psutil
import pytest
from batch.classes import as_folders, generated
from conftest import KIT, survivors, wait_for
from distributed import Client, LocalCluster, WorkerPlugin, get_task_stream

from grader import __version__
from grader.batch import dask as on_dask
from grader.batch.grading import Grading, Settings
from grader.batch.runner import grade_batch, not_submitted
from grader.errors import GraderError
from grader.exercises import EXERCISES
from grader.models import ExerciseResult, Limits

ALLOWED_FAILURES = 2  # worker deaths a grading may take part in before Dask gives it up
SETTINGS = Settings(tuple(EXERCISES), ("fork",), Limits())  # what the command line below asks for


@pytest.fixture(scope="module")
def sandboxes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The TMPDIR of the workers (and of the local run); sandboxes go to /tmp whatever it is (short socket paths)."""
    root = tmp_path_factory.mktemp("sandboxes")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(root))  # workers restarted after a kill inherit it too
        yield root


@pytest.fixture(scope="module")
def cluster(sandboxes: Path) -> Iterator[LocalCluster]:
    """Two worker processes of one thread each, on loopback, no dashboard. A worker runs only the
    grading it was given (worker-saturation 1.0): a worker's death then counts against that
    grading alone, as the README advises for a real cluster."""
    config = {
        "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
        "distributed.scheduler.worker-saturation": 1.0,
    }
    with dask.config.set(config), LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as running:  # fmt: skip
        yield running


@pytest.fixture(scope="module")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster, set_as_default=False) as connected:
        yield connected


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return as_folders(generated(30), tmp_path_factory.mktemp("class") / "folders")


def command(source: Path, out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "grader", "batch", str(source), "--out", str(out), "--start-method", "fork", *args]


def batch(source: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(source, out, *args), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def local(klass: Path, sandboxes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The class graded on this machine, two at a time: the gradebook the cluster must give."""
    out = tmp_path_factory.mktemp("local")
    done = batch(klass, out, "-j", "2")
    assert done.returncode == 0, done.stderr
    return out


def same_outputs(out: Path, expected: Path) -> None:
    """The same gradebook, byte for byte, and the same verdict on every check of every student
    (the rest of a result may differ: durations, and what a hostile submission printed)."""
    assert (out / "gradebook.csv").read_bytes() == (expected / "gradebook.csv").read_bytes()
    for result in expected.glob("*/result.json"):
        assert verdicts(out / result.parent.name / "result.json") == verdicts(result), result.parent.name


def verdicts(result: Path) -> list[tuple[str, str, str, int]]:
    exercises = json.loads(result.read_text())["exercises"]
    return [(e["exercise"], c["name"], c["status"], c["score"]) for e in exercises for c in e["checks"]]


def test_the_cluster_gives_the_gradebook_of_a_local_run(
    klass: Path, local: Path, client: Client, tmp_path: Path
) -> None:
    with get_task_stream(client) as stream:
        done = batch(klass, tmp_path, "--scheduler", client.scheduler.address)
    assert done.returncode == 0, done.stderr
    same_outputs(tmp_path, local)
    graded = int(done.stdout.split(" files graded")[0].rsplit(" ", 1)[-1])
    keys = [task["key"] for task in stream.data if task["key"].startswith("mpgrade-")]
    assert len(keys) == len(set(keys)) == graded  # each file graded once, by a worker
    assert len({task["worker"] for task in stream.data}) == 2  # by both workers


class KillAWorker:
    """Progress that kills the worker process of a running grading once ``after`` results are in."""

    def __init__(self, after: int, cluster: LocalCluster, client: Client) -> None:
        self.after, self.cluster, self.client = after, cluster, client
        self.advanced: list[tuple[str, str]] = []
        self.interrupted: tuple[str, str] | None = None  #: the grading the dead worker was running
        self.sandbox: list[psutil.Process] = []  #: its sandbox's processes when it was killed

    def start(self, total: int, reused: int) -> None:
        pass

    def advance(self, grading: Grading, result: ExerciseResult) -> None:
        self.advanced.append((grading.student, grading.exercise))
        if len(self.advanced) == self.after:
            wait_for(self.kill_one_grading, "a worker grading a file")

    def kill_one_grading(self) -> bool:
        for address, keys in self.client.processing().items():
            worker = psutil.Process(self.cluster.scheduler.workers[address].pid)
            sandbox = worker.children(recursive=True)
            if len(keys) == 1 and sandbox:  # the grading has begun: its suite runs
                worker.kill()
                student, exercise, _ = keys[0].split("-", 2)[2].rsplit("-", 2)  # mpgrade-N-student-exercise-batch
                self.interrupted, self.sandbox = (student, exercise), sandbox
                return True
        return False

    def stop(self) -> None:
        pass


def test_a_worker_killed_midway_loses_nothing(
    klass: Path, local: Path, cluster: LocalCluster, client: Client, sandboxes: Path, tmp_path: Path
) -> None:
    killer = KillAWorker(5, cluster, client)
    summary = grade_batch(klass, tmp_path, settings=SETTINGS, client=client, progress=killer)
    assert not summary.failures
    assert len(killer.advanced) == len(set(killer.advanced)) == summary.graded  # each grading counted once
    assert killer.interrupted in killer.advanced[5:]  # graded again after the kill, by another worker
    same_outputs(tmp_path, local)
    psutil.wait_procs(killer.sandbox, timeout=30)  # the dead worker's sandbox stops itself
    assert not [process for process in killer.sandbox if process.is_running()]
    assert not survivors()


def test_a_grading_that_kills_its_worker_each_time_is_a_failure_after_bounded_tries(
    klass: Path, local: Path, client: Client, tmp_path: Path
) -> None:
    tries = tmp_path / "tries"

    class KillsItsWorker(WorkerPlugin):
        """Kills the worker that begins to grade the student "killer", on every try: as code that
        got out of its sandbox, or used up the worker's memory, would."""

        name = "kills-its-worker"

        def transition(self, key: object, start: str, finish: str, **kwargs: object) -> None:
            if finish == "executing" and "-killer-" in str(key):
                with open(tries, "a") as tried:
                    print(os.getpid(), file=tried)
                os.kill(os.getpid(), signal.SIGKILL)

    source = tmp_path / "class"
    shutil.copytree(klass, source)
    (source / "killer").mkdir()
    shutil.copy(KIT / "solutions" / "ex01_spawn.py", source / "killer")  # full marks, if graded
    client.register_plugin(KillsItsWorker())  # on every worker, those restarted after a kill too
    try:
        done = batch(source, tmp_path / "out", "--scheduler", client.scheduler.address)
    finally:
        client.unregister_worker_plugin(KillsItsWorker.name)
    assert done.returncode == 3  # a file was not graded: the teacher is told, and a rerun tries it again
    assert "grade: internal error of the grader on killer ex01: each of the 3 Dask workers" in done.stderr
    killed = tries.read_text().split()
    assert len(killed) == len(set(killed)) == ALLOWED_FAILURES + 1  # one try per worker, then no more
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text().splitlines()
    assert gradebook[1].startswith("killer,0,0,0,0,0,0,50,")  # sorted first, graded first
    assert [gradebook[0], *gradebook[2:]] == (local / "gradebook.csv").read_text().splitlines()  # the rest graded
    assert not (tmp_path / "out" / "killer" / "results").exists()  # not stored: a rerun grades it again


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    with socket.socket() as closed:  # bound, never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
        env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
        unreachable = command(KIT / "solutions", tmp_path / "out", "--scheduler", address)
        done = subprocess.run(unreachable, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith(f"grade: error: cannot reach the Dask scheduler at {address} (")
    assert done.stderr.count("\n") == 1 and not (tmp_path / "out").exists()


def answer(**changes: object) -> str:
    """A worker's answer for ex01, with some of its fields changed."""
    result = not_submitted("ex01", SETTINGS).to_dict()
    data = {"grader": __version__, "result": {**result, **changes}}
    return json.dumps(data)


def test_a_well_formed_answer_is_the_result_it_describes() -> None:
    assert on_dask.parse(answer(), "ex01") == ExerciseResult.from_dict(json.loads(answer())["result"])


@pytest.mark.parametrize(
    "sent, says",
    [
        ({"grader": __version__}, "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        ("{", "Expecting property name"),
        (json.dumps({"grader": "0.0.1", "result": {}}), "runs mpgrade 0.0.1"),
        (json.dumps({"grader": __version__}), "KeyError"),
        (answer(exercise="ex02"), "not the schema of a result of this exercise"),
        (answer(score=99), "not the schema of a result of this exercise"),
        (answer(checks=[{"name": "x"}]), "KeyError"),
        (answer(checks=[{**json.loads(answer())["result"]["checks"][0], "status": "won"}]), "'won' is not a valid"),
        (answer(checks=[{**json.loads(answer())["result"]["checks"][0], "score": "3"}]), "TypeError"),
    ],
)
def test_a_malformed_answer_is_refused(sent: object, says: str) -> None:
    with pytest.raises(ValueError) as refused:
        on_dask.parse(sent, "ex01")
    assert says in str(refused.value)


def test_what_breaks_on_a_worker_is_that_gradings_failure(client: Client) -> None:
    def broken() -> str:
        raise OSError("disk full")

    for future, says in [
        (client.submit(broken, pure=False), "it failed on the Dask worker: OSError: disk full"),
        (client.submit(str, answer(exercise="ex05")), "not the schema of a result of this exercise"),
    ]:
        outcome = on_dask.outcome(future, "ex01")
        assert isinstance(outcome, GraderError) and says in str(outcome)


def test_interrupted_on_the_cluster_then_resumed_gives_the_same_gradebook(
    klass: Path, local: Path, client: Client, tmp_path: Path
) -> None:
    on_cluster = command(klass, tmp_path, "--scheduler", client.scheduler.address)
    running = subprocess.Popen(on_cluster, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(list(tmp_path.glob("*/results/*.json"))) >= 5, "5 results stored")
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=120)
    assert running.returncode == 130, err
    assert "run the same command again" in err and "Traceback" not in err
    kept = len(list(tmp_path.glob("*/results/*.json")))

    resumed = batch(klass, tmp_path, "--scheduler", client.scheduler.address)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{kept} results reused" in resumed.stdout
    same_outputs(tmp_path, local)
    again = batch(klass, tmp_path, "--scheduler", client.scheduler.address)
    assert again.returncode == 0 and "0 files graded" in again.stdout
