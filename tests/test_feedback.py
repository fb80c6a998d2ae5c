"""What the student sees of what their code raised or printed: only their own lines, never the grader's."""

from __future__ import annotations

from grader import feedback
from grader.models import Limits, Status
from grader.sandbox.stacks import StudentFile
from grader.scenarios.records import Frame, Outcome, Phase, Raised, Report

FOLDER = "/mpgrade/submission"
SOURCE = "\n".join(f"line {n}" for n in range(1, 30)) + "\n"
STUDENT = StudentFile((FOLDER,), "ex05_queue_sentinel.py", SOURCE.replace("line 18", "    out.append(item)"))
CHILD_CRASH = f'''Process Process-2:
Traceback (most recent call last):
  File "/usr/lib/python3.11/multiprocessing/process.py", line 314, in _bootstrap
    self.run()
  File "/usr/lib/python3.11/multiprocessing/process.py", line 108, in run
    self._target(*self._args, **self._kwargs)
  File "{FOLDER}/ex05_queue_sentinel.py", line 18, in consumer
    out.append(item)
    ^^^^^^^^^^
  File "/mpgrade/lib/mpgrade_scenarios/probes.py", line 40, in put
    raise GateBroken(secret_probe_line)
AttributeError: 'Queue' object has no attribute 'append'
'''


def test_child_tracebacks_keep_only_the_students_frames() -> None:
    cleaned = feedback.clean_output(CHILD_CRASH, STUDENT, 10_000)
    assert 'File "ex05_queue_sentinel.py", line 18, in consumer' in cleaned
    assert "out.append(item)" in cleaned
    assert "AttributeError: 'Queue' object has no attribute 'append'" in cleaned
    assert "self._target" not in cleaned and "secret_probe_line" not in cleaned and "mpgrade" not in cleaned


def test_interleaved_tracebacks_of_two_children_are_both_cleaned() -> None:
    first, second = CHILD_CRASH.splitlines(), CHILD_CRASH.replace("line 18", "line 19").splitlines()
    mixed = "\n".join(line for pair in zip(first, second, strict=True) for line in pair)
    cleaned = feedback.clean_output(mixed, STUDENT, 10_000)
    assert "self._target" not in cleaned and "secret_probe_line" not in cleaned
    assert "line 18, in consumer" in cleaned and "line 19, in consumer" in cleaned


def test_output_is_cut_with_a_note() -> None:
    cleaned = feedback.clean_output("x" * 5000, STUDENT, 1000)
    assert cleaned.startswith("x" * 1000) and "4,000 more characters cut" in cleaned
    assert "12,000 more characters cut" in feedback.clean_output("x" * 1000, STUDENT, 1000, cut=12_000)


def raised(kind: str, message: str = "", line: int = 18, **more: object) -> Report:
    frames = (Frame(f"{FOLDER}/ex05_queue_sentinel.py", line, "consumer"),)
    return Report("ex05.consume", "fork", Outcome.RAISED, raised=Raised(kind, "builtins", message, frames, **more))  # type: ignore[arg-type]


def test_an_exception_names_the_students_line_and_nothing_of_the_grader() -> None:
    described = feedback.describe(raised("AttributeError", "'Queue' object has no attribute 'append'"), STUDENT,
                                  "consumer", Limits())  # fmt: skip
    assert described.status is Status.ERROR
    assert described.message.startswith("Your code raised AttributeError: 'Queue' object has no attribute 'append'")
    assert "ex05_queue_sentinel.py:18 in consumer: out.append(item)" in described.message
    assert described.location is not None and described.location.line == 18


def test_sys_exit_in_a_function_and_at_import_say_what_it_does() -> None:
    in_function = feedback.describe(raised("SystemExit", exit_code="0"), STUDENT, "consumer", Limits())
    assert "raised sys.exit(0) in consumer(): that ends the whole program" in in_function.message
    at_import = Report("common.imports", "fork", Outcome.RAISED, Phase.IMPORT,
                       raised=Raised("SystemExit", "builtins", "", (), exit_code="0"))  # fmt: skip
    assert "calls sys.exit(0) when it is imported" in feedback.describe(at_import, STUDENT, "", Limits()).message


def test_the_graders_target_ending_the_function_means_it_ran_in_the_parent() -> None:
    frames = (Frame(f"{FOLDER}/ex05_queue_sentinel.py", 9, "run_in_process"),
              Frame("/mpgrade/lib/mpgrade_scenarios/probes.py", 140, "target"))  # fmt: skip
    report = Report("ex01.run", "fork", Outcome.RAISED, raised=Raised("SystemExit", "builtins", "", frames, "3"))
    described = feedback.describe(report, STUDENT, "run_in_process", Limits())
    assert "ran in the grader's own process" in described.message and "probes" not in described.message


def test_pickling_errors_get_the_spawn_hint() -> None:
    pickling = Raised("PicklingError", "pickle", "Can't pickle <function <lambda>>", ())
    assert feedback.hint_for(pickling) == feedback.SPAWN_HINT
    assert feedback.hint_for(Raised("RuntimeError", "builtins", "... bootstrapping phase ...", ())) == (
        feedback.MAIN_GUARD_HINT
    )


def test_ends_and_limits_are_told_in_the_students_terms() -> None:
    assert feedback.describe_exit(-24) == "it used up its CPU time limit"
    assert feedback.describe_exit(-9) == "it was killed (SIGKILL)"
    assert "os._exit()" in feedback.describe_exit(0)
    crashed = feedback.describe(Report("x", "fork", Outcome.CRASHED, status=-9), STUDENT, "f", Limits())
    assert crashed.status is Status.ERROR and "ended early: it was killed (SIGKILL)" in crashed.message
