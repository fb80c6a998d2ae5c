"""The queues of ``adversary``: the worst case of a slow producer, and consumers that take turns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KIT

PIPELINE = """
import multiprocessing, sys
from grader.scenarios import adversary

if __name__ == "__mp_main__":  # a spawned child: as the sandbox's child.boot() does
    adversary.install()

def consumer(q, out):
    while True:
        item = q.get()
        out.put(item)  # the mistake: the SENTINEL is passed on too
        if item is None:
            break

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[2])
    adversary.install(turns=sys.argv[1])
    q, out = multiprocessing.Queue(), multiprocessing.Queue()
    for item in [*range(1, 31), None, None, None]:
        q.put(item)
    workers = [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(3)]
    for worker in workers:
        worker.start()
    print([out.get() for _ in range(30)])
    for worker in workers:
        worker.join()
"""


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_forwarded_sentinel_never_overtakes_the_last_items(start_method: str, tmp_path: Path) -> None:
    """Three consumers that pass the SENTINEL on: in turns, the 30 items come first, on every run."""
    script = tmp_path / "pipeline.py"
    script.write_text(PIPELINE)
    for _ in range(5):
        done = subprocess.run([sys.executable, str(script), str(tmp_path / "turn"), start_method],
                              capture_output=True, text=True, timeout=120, cwd=KIT)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(list(range(1, 31)))


BEHIND = """
import multiprocessing, multiprocessing.queues
from grader.scenarios import adversary

adversary.install()
for make in (multiprocessing.Queue, multiprocessing.JoinableQueue, multiprocessing.SimpleQueue):
    q = make()
    q.put(1)
    while q._poll() is False:  # (the test's own look at the pipe: the item is there)
        pass
    print(q.empty(), super(type(q), q).empty(), type(q).mro()[1].empty(q))
"""


def test_the_class_behind_a_queue_answers_as_the_queue_does(tmp_path: Path) -> None:
    """``super(type(q), q).empty()`` asks the class behind the grader's sealed queue: it answers as
    the producer that is behind too (red team, round 7)."""
    script = tmp_path / "behind.py"
    script.write_text(BEHIND)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=KIT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"] * 9
