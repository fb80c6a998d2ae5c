"""Stack dumps turned into 'where was each process blocked', for the student."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from grader.sandbox import stacks

SUBMISSION = Path("/sandbox/submission")
FILE = SUBMISSION / "ex05_queue_sentinel.py"


def dump(*threads: tuple[bool, list[tuple[str, int, str]]]) -> str:
    text = []
    for current, frames in threads:
        text.append(f"{'Current thread' if current else 'Thread'} 0x00007f0000000001 (most recent call first):")
        text += [f'  File "{file}", line {line} in {function}' for file, line, function in frames]
        text.append("")
    return "\n".join(text)


MP = "/usr/lib/python3.11/multiprocessing"


def test_a_forked_child_is_described_by_its_own_frames_not_its_parents() -> None:
    text = dump(
        (
            True,
            [
                (f"{MP}/connection.py", 395, "_recv"),
                (str(FILE), 14, "consumer"),
                (f"{MP}/process.py", 108, "run"),
                (f"{MP}/process.py", 314, "_bootstrap"),
                (f"{MP}/popen_fork.py", 71, "_launch"),
                (str(FILE), 30, "run_pipeline"),  # the parent's frame, copied by fork
            ],
        )
    )
    blocked = stacks.describe(42, stacks.parse(text), SUBMISSION, main_pid=1)
    assert blocked is not None
    assert blocked.role == "process running consumer()"
    assert (blocked.location.file, blocked.location.line) == ("ex05_queue_sentinel.py", 14)  # type: ignore[union-attr]
    assert blocked.detail == "(waiting in connection._recv)"


def test_a_finished_producer_stuck_on_its_queue_is_explained() -> None:
    text = dump(
        (
            True,
            [
                ("/usr/lib/python3.11/threading.py", 1132, "_wait_for_tstate_lock"),
                (f"{MP}/queues.py", 199, "_finalize_join"),
                (f"{MP}/util.py", 360, "_exit_function"),
                (f"{MP}/process.py", 317, "_bootstrap"),
            ],
        )
    )
    blocked = stacks.describe(42, stacks.parse(text), SUBMISSION, main_pid=1)
    assert blocked is not None and "cannot exit until the items it put on a queue are read" in blocked.detail


def test_the_fork_server_itself_is_not_reported() -> None:
    text = dump((True, [("/usr/lib/python3.11/selectors.py", 415, "select"), (f"{MP}/forkserver.py", 260, "main")]))
    assert stacks.describe(42, stacks.parse(text), SUBMISSION, main_pid=1) is None


def test_the_main_process_names_the_students_function() -> None:
    text = dump(
        (
            True,
            [
                (f"{MP}/popen_fork.py", 27, "poll"),
                (str(FILE), 31, "run_pipeline"),
                ("/site-packages/grader/suites/ex05.py", 60, "run_pipeline"),
            ],
        )
    )
    blocked = stacks.describe(1, stacks.parse(text), SUBMISSION, main_pid=1)
    assert blocked is not None and blocked.role == "main process, in run_pipeline()"


@pytest.mark.parametrize("method", multiprocessing.get_all_start_methods())
def test_capture_reaches_children_under_every_start_method(tmp_path: Path, method: str) -> None:
    """sitecustomize registers faulthandler in every Python process, children included."""
    boot = Path(stacks.__file__).parent / "boot"
    script = tmp_path / "tree.py"
    script.write_text(
        "import multiprocessing, sys, time\n"
        "from stack_targets import sleeper\n"
        "if __name__ == '__main__':\n"
        f"    ctx = multiprocessing.get_context({method!r})\n"
        "    ready = ctx.Event()\n"
        "    child = ctx.Process(target=sleeper, args=(ready,))\n"
        "    child.start(); ready.wait()\n"
        "    print(child.pid, flush=True)\n"
        "    time.sleep(60)\n"
    )
    (tmp_path / "stack_targets.py").write_text(
        "import time\n\ndef sleeper(ready):\n    ready.set()\n    time.sleep(60)\n"
    )
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    env = {**os.environ, "MPGRADE_DUMPS": str(dumps), "PYTHONPATH": f"{boot}{os.pathsep}{tmp_path}"}
    parent = subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        for _ in range(50):  # either may still be finishing the line before its sleep
            captured = stacks.capture([parent.pid, child], dumps)
            described = stacks.describe(child, captured[child], tmp_path, main_pid=parent.pid)
            main = stacks.describe(parent.pid, captured[parent.pid], tmp_path, main_pid=parent.pid)
            lines = [blocked.location.line if blocked and blocked.location else 0 for blocked in (described, main)]
            if lines == [5, 9]:
                break
        assert described is not None and main is not None
        assert described.role == "process running sleeper()"
        assert described.location is not None and described.location.code == "time.sleep(60)"
        assert main.location is not None and main.location.code == "time.sleep(60)"
    finally:
        for process in psutil.Process(parent.pid).children(recursive=True):
            process.kill()
        parent.kill()
        parent.wait()
