"""Stack dumps turned into 'where was each process blocked', for the student."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.exercises import EXERCISES, available_start_methods
from grader.models import Limits, Status
from grader.pipeline import grade_exercise
from grader.sandbox import stacks
from grader.sandbox.stacks import StudentFile
from grader.scenarios.records import Dump

FOLDER = "/mpgrade/submission"
FILE = f"{FOLDER}/ex05_queue_sentinel.py"
LINES = {14: "item = q.get()", 30: "results = [out.get() for _ in items]", 31: "worker.join()"}
STUDENT = StudentFile((FOLDER,), "ex05_queue_sentinel.py", "\n".join(LINES.get(n, "") for n in range(1, 40)))
MP = "/usr/lib/python3.11/multiprocessing"


def dump(*threads: tuple[bool, list[tuple[str, int, str]]], main: bool = False) -> Dump:
    text = []
    for current, frames in threads:
        text.append(f"{'Current thread' if current else 'Thread'} 0x00007f0000000001 (most recent call first):")
        text += [f'  File "{file}", line {line} in {function}' for file, line, function in frames]
        text.append("")
    return Dump(42, "\n".join(text), main=main)


def test_a_forked_child_is_described_by_its_own_frames_not_its_parents() -> None:
    blocked = stacks.describe(
        dump((True, [
            (f"{MP}/connection.py", 395, "_recv"),
            (FILE, 14, "consumer"),
            (f"{MP}/process.py", 108, "run"),
            (f"{MP}/process.py", 314, "_bootstrap"),
            (f"{MP}/popen_fork.py", 71, "_launch"),
            (FILE, 30, "run_pipeline"),  # the parent's frame, copied by fork
        ])),
        STUDENT,
    )  # fmt: skip
    assert blocked is not None
    assert blocked.role == "process running consumer()"
    assert (blocked.location.line, blocked.location.code) == (14, "item = q.get()")  # type: ignore[union-attr]
    assert blocked.detail == "(waiting in connection._recv)"


def test_a_finished_producer_stuck_on_its_queue_is_explained() -> None:
    blocked = stacks.describe(
        dump((True, [
            ("/usr/lib/python3.11/threading.py", 1132, "_wait_for_tstate_lock"),
            (f"{MP}/queues.py", 199, "_finalize_join"),
            (f"{MP}/util.py", 360, "_exit_function"),
            (f"{MP}/process.py", 317, "_bootstrap"),
        ])),
        STUDENT,
    )  # fmt: skip
    assert blocked is not None and "cannot exit until the items it put on a queue are read" in blocked.detail


def test_the_fork_server_itself_is_not_reported() -> None:
    frames = [("/usr/lib/python3.11/selectors.py", 415, "select"), (f"{MP}/forkserver.py", 260, "main")]
    assert stacks.describe(dump((True, frames)), STUDENT) is None


def test_the_main_process_names_the_students_function_and_no_grader_frame() -> None:
    frames = [(f"{MP}/popen_fork.py", 27, "poll"), (FILE, 31, "run_pipeline"),
              ("/mpgrade/lib/mpgrade_scenarios/ex05.py", 60, "pipeline")]  # fmt: skip
    blocked = stacks.describe(dump((True, frames), main=True), STUDENT)
    assert blocked is not None and blocked.role == "main process, in run_pipeline()"
    assert "mpgrade" not in stacks.render([blocked])


def test_a_process_that_is_not_python_is_named_by_its_command() -> None:
    blocked = stacks.describe(Dump(7, "", command="sleep 600"), STUDENT)
    assert blocked is not None and blocked.detail == "running `sleep 600` (not a Python process)"


STUCK_CHILD = """\
import multiprocessing
import time


def stuck(target, args):
    time.sleep(600)


def run_in_process(target, args=()):
    child = multiprocessing.Process(target=stuck, args=(target, args))
    child.start()
    child.join()
    return child.exitcode
"""


@pytest.mark.parametrize("method", available_start_methods())
def test_a_timeout_shows_where_the_parent_and_its_child_were_under_every_start_method(
    tmp_path: Path, method: str
) -> None:
    """The runner asks every process of the sandbox for its stacks, children under any start method."""
    (tmp_path / "ex01_spawn.py").write_text(STUCK_CHILD)
    result = grade_exercise(EXERCISES["ex01"], tmp_path, start_methods=[method], limits=Limits(test_timeout=2))
    timed_out = [check for check in result.checks if check.status is Status.TIMEOUT]
    assert timed_out, [(check.id, check.status) for check in result.checks]
    report = timed_out[0].stacks
    assert "main process, in run_in_process()" in report and "ex01_spawn.py:12  child.join()" in report
    assert "process running stuck()" in report and "ex01_spawn.py:6  time.sleep(600)" in report
