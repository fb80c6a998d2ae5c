from __future__ import annotations

from pathlib import Path

from grader import feedback

SUBMISSION = Path("/tmp/mpgrade-x/submission")
CHILD_CRASH = f'''Process Process-2:
Traceback (most recent call last):
  File "/usr/lib/python3.11/multiprocessing/process.py", line 314, in _bootstrap
    self.run()
  File "/usr/lib/python3.11/multiprocessing/process.py", line 108, in run
    self._target(*self._args, **self._kwargs)
  File "{SUBMISSION}/ex05_queue_sentinel.py", line 18, in consumer
    out.append(item)
    ^^^^^^^^^^
  File "/venv/site-packages/grader/suites/probes.py", line 40, in put
    raise GateBroken(secret_suite_line)
AttributeError: 'Queue' object has no attribute 'append'
'''


def test_child_tracebacks_keep_only_the_students_frames() -> None:
    cleaned = feedback.clean_output(CHILD_CRASH, SUBMISSION, 10_000)
    assert 'File "ex05_queue_sentinel.py", line 18, in consumer' in cleaned
    assert "out.append(item)" in cleaned
    assert "AttributeError: 'Queue' object has no attribute 'append'" in cleaned
    assert "self._target" not in cleaned and "secret_suite_line" not in cleaned and "/grader/" not in cleaned


def test_interleaved_tracebacks_of_two_children_are_both_cleaned() -> None:
    first, second = CHILD_CRASH.splitlines(), CHILD_CRASH.replace("line 18", "line 19").splitlines()
    mixed = "\n".join(line for pair in zip(first, second, strict=True) for line in pair)
    cleaned = feedback.clean_output(mixed, SUBMISSION, 10_000)
    assert "self._target" not in cleaned and "secret_suite_line" not in cleaned
    assert "line 18, in consumer" in cleaned and "line 19, in consumer" in cleaned


def test_output_is_cut_with_a_note() -> None:
    cleaned = feedback.clean_output("x" * 5000, SUBMISSION, 1000)
    assert cleaned.startswith("x" * 1000) and "4,000 more characters cut" in cleaned


def test_pickling_errors_get_the_spawn_hint() -> None:
    assert feedback.hint_for("PicklingError: Can't pickle <function <lambda>>") == feedback.SPAWN_HINT
    assert feedback.hint_for("RuntimeError: ... bootstrapping phase ...") == feedback.MAIN_GUARD_HINT
