"""The judge's rules, on reports made by hand: a check passes only on a positive verdict under every
start method; anything else (an exception, a timeout, a crash, a stop, no report, a damaged report)
earns nothing, and never breaks the grader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import KIT

from grader.exercises import EXERCISES
from grader.judge import Planned, Source, plan
from grader.judge.evaluate import judge
from grader.models import Isolation, Limits, Status, Submission
from grader.sandbox.run import SandboxRun
from grader.scenarios import records
from grader.scenarios.records import Outcome, Phase, Raised, Report, Stop, Value
from grader.score import score

EX01 = EXERCISES["ex01"]
METHODS = ["fork", "spawn", "forkserver"]
SOURCE = (KIT / "solutions" / "ex01_spawn.py").read_bytes()
FOLDER = "/mpgrade/submission"


def good_run(planned: Planned) -> Report:
    """What a correct solution's scenario reports."""
    params = planned.request.params
    code = 1 if params.get("raises") else (params.get("code") or 0)
    args = tuple(repr(arg) for arg in params.get("args", ()))
    observed = {
        "returned": records.encode(Value("int", str(code), code)),
        "caller": 10,
        "runs": [{"pid": 11, "args": list(args), "finished": True}],
        "running": [],
        "unjoined": [],
        "waited": True,
        "calls": [],
        "started": [11],
    }
    return Report(planned.request.scenario, planned.request.method, Outcome.RETURNED, observed=observed)


def graded(make: Callable[[Planned], Report], stopped: Stop | None = None) -> tuple[dict[str, object], str]:
    planned = plan(EX01.judged(), SOURCE, METHODS, Limits())
    reports = tuple(make(p) for p in planned)
    run = SandboxRun(reports, Isolation.NAMESPACES, (FOLDER,), stopped, 0, 1.0)
    verdicts = judge(EX01.judged(), EX01.diagnoses(), planned, run, Source(EX01.filename, SOURCE.decode()), Limits())
    result = score(EX01, Submission("ex01", Path(EX01.filename)), verdicts.checks, METHODS, problem=verdicts.problem)
    return {check.id: check for check in result.checks}, verdicts.problem


def test_good_reports_under_every_method_pass_with_full_points() -> None:
    checks, problem = graded(good_run)
    assert not problem
    assert all(check.status is Status.PASSED and check.score == check.max_score for check in checks.values())  # type: ignore[attr-defined]


def test_a_failure_under_one_method_fails_the_check_and_says_under_which() -> None:
    def spawn_returns_none(planned: Planned) -> Report:
        report = good_run(planned)
        if planned.request.method == "spawn" and report.observed is not None:
            report.observed["returned"] = records.encode(Value("none", "None"))
        return report

    checks, _ = graded(spawn_returns_none)
    success = checks["exit_code_success"]
    assert success.status is Status.FAILED and success.score == 0  # type: ignore[attr-defined]
    assert success.message.startswith("Passes under fork and forkserver, but not under spawn")  # type: ignore[attr-defined]
    assert checks["runs_in_child_process"].status is Status.PASSED  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "outcome, status",
    [
        (Report("x", "m", Outcome.RAISED, raised=Raised("SkipTest", "unittest", "skipped", ())), Status.ERROR),
        (Report("x", "m", Outcome.RAISED, raised=Raised("KeyboardInterrupt", "builtins", "", ())), Status.ERROR),
        (Report("x", "m", Outcome.CRASHED, status=-9), Status.ERROR),
        (Report("x", "m", Outcome.STOPPED, stop=Stop.PROCESSES), Status.ERROR),
        (Report("x", "m", Outcome.STOPPED, stop=Stop.DEADLINE), Status.TIMEOUT),
        (Report("x", "m", Outcome.TIMED_OUT), Status.TIMEOUT),
        (Report("x", "m", Outcome.NOT_RUN), Status.NOT_RUN),
    ],
    ids=["skip", "keyboard-interrupt", "crash", "fork-bomb", "deadline", "timeout", "no-report"],
)
def test_anything_but_an_observation_earns_nothing(outcome: Report, status: Status) -> None:
    def always(planned: Planned) -> Report:
        return Report(planned.request.scenario, planned.request.method, outcome.outcome, outcome.phase,
                      raised=outcome.raised, status=outcome.status, stop=outcome.stop)  # fmt: skip

    checks, _ = graded(always)
    assert all(check.score == 0 for check in checks.values())  # type: ignore[attr-defined]
    assert {check.status for check in checks.values()} == {status}  # type: ignore[attr-defined]


def test_a_damaged_observation_is_an_error_of_the_check_not_of_the_grader() -> None:
    def damaged(planned: Planned) -> Report:
        return Report(planned.request.scenario, planned.request.method, Outcome.RETURNED, observed={"returned": 0})

    checks, _ = graded(damaged)
    assert {check.status for check in checks.values()} == {Status.ERROR}  # type: ignore[attr-defined]
    assert "could not read what your code did" in checks["passes_args"].message  # type: ignore[attr-defined]


def test_a_run_that_timed_out_is_not_run_again_under_the_other_methods() -> None:
    def fork_hangs(planned: Planned) -> Report:
        if planned.request.method == "fork":
            return Report(planned.request.scenario, "fork", Outcome.TIMED_OUT)
        return Report(planned.request.scenario, planned.request.method, Outcome.NOT_RUN)

    checks, _ = graded(fork_hangs)
    assert checks["passes_args"].start_methods == {"fork": Status.TIMEOUT}  # type: ignore[attr-defined]


def test_a_module_that_does_not_import_fails_every_check_for_that_reason() -> None:
    planned = plan(EX01.judged(), SOURCE, METHODS, Limits())
    failure = Raised(
        "ZeroDivisionError", "builtins", "division by zero", (records.Frame(f"{FOLDER}/ex01_spawn.py", 3, "<module>"),)
    )
    reports = [Report(planned[0].request.scenario, "fork", Outcome.RAISED, Phase.IMPORT, raised=failure)]
    reports += [Report(p.request.scenario, p.request.method, Outcome.NOT_RUN) for p in planned[1:]]
    run = SandboxRun(tuple(reports), Isolation.NAMESPACES, (FOLDER,), None, 0, 1.0)
    verdicts = judge(EX01.judged(), EX01.diagnoses(), planned, run, Source(EX01.filename, SOURCE.decode()), Limits())
    checks, problem = verdicts.checks, verdicts.problem
    assert problem.startswith("Importing ex01_spawn.py raised ZeroDivisionError")
    assert all(check.status is Status.ERROR and check.message == problem for check in checks)
    assert all(check.location is not None and check.location.line == 3 for check in checks)


def test_inputs_come_from_the_file_itself() -> None:
    """The same file gets the same inputs on every run; another file gets others."""
    first = [p.request.params for p in plan(EX01.judged(), SOURCE, METHODS, Limits())]
    again = [p.request.params for p in plan(EX01.judged(), SOURCE, METHODS, Limits())]
    other = [p.request.params for p in plan(EX01.judged(), SOURCE + b"\n# another file\n", METHODS, Limits())]
    assert first == again and first != other
