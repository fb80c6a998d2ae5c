"""The judge at work: every check of an exercise, over the start methods it ran under.

A check's status under one start method comes from its run's report: an observation goes to the
check's verdict function; anything else (an exception, a time-out, a crash, a limit, no report) is
described by ``grader.feedback``. The check passes only if it passed under every start method it
had to run under; otherwise the first start method that did not pass (in the order fork, spawn,
forkserver) gives its status and message.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader import feedback
from grader.judge import Check, Context, Planned, Source, Verdict
from grader.models import CheckResult, Limits, Location, Status
from grader.sandbox.run import SandboxRun
from grader.sandbox.stacks import StudentFile
from grader.scenarios import records
from grader.scenarios.records import Outcome, Report


@dataclass(frozen=True)
class Judged:
    """One check under one start method."""

    status: Status
    message: str = ""
    hint: str = ""
    location: Location | None = None
    output: str = ""
    stacks: str = ""
    seconds: float = 0.0


def judge(
    checks: tuple[Check, ...], planned: list[Planned], run: SandboxRun, source: Source, limits: Limits
) -> tuple[tuple[CheckResult, ...], str]:
    """The checks' results, and the problem that stopped the exercise as a whole ("" if none)."""
    student = StudentFile(run.submission, source.name, source.text)
    reports = {
        (plan.request.scenario, plan.run.name, plan.request.method): report
        for plan, report in zip(planned, run.reports, strict=True)
    }
    failed = next((report for report in run.reports if records.import_failed(report)), None)
    problem = ""
    if failed is not None:
        problem = feedback.describe(failed, student, "", limits).message
    elif run.stopped is not None:
        problem = feedback.stopped(run.stopped, limits).message
    methods = list(dict.fromkeys(plan.request.method for plan in planned))
    results = []
    for check in checks:
        expected = methods if check.spec.per_start_method else methods[:1]
        judged: dict[str, Judged] = {}
        for method in expected:
            report = reports[(check.run.scenario, check.run.name, method)]
            if report.outcome is Outcome.NOT_RUN and failed is not None:
                report = failed  # the module does not import: every check fails for that reason
            elif report.outcome is Outcome.NOT_RUN and _timed_out_before(reports, check, methods, method):
                continue  # ran out of time under an earlier start method: not run again
            judged[method] = one(check, report, method, planned, student, source, limits)
        results.append(combine(check, judged))
    return tuple(results), problem


def _timed_out_before(
    reports: dict[tuple[str, str, str], Report], check: Check, methods: list[str], method: str
) -> bool:
    earlier = methods[: methods.index(method)]
    return any(reports[(check.run.scenario, check.run.name, m)].outcome is Outcome.TIMED_OUT for m in earlier)


def one(
    check: Check,
    report: Report,
    method: str,
    planned: list[Planned],
    student: StudentFile,
    source: Source,
    limits: Limits,
) -> Judged:
    output = feedback.clean_output(report.output, student, limits.output_kb * 1024, report.output_cut)
    if report.leftover:
        left = f"{report.leftover} process{'es' if report.leftover > 1 else ''}"
        output = "\n".join(part for part in (output, f"(the grader stopped {left} your code left running)") if part)
    if report.outcome is not Outcome.RETURNED or report.observed is None:
        described = feedback.describe(report, student, check.run.function, limits)
        return Judged(
            described.status,
            described.message,
            described.hint,
            described.location,
            output,
            described.stacks,
            report.seconds,
        )
    plan = next(plan for plan in planned if plan.run is check.run and plan.request.method == method)
    declared = check.run.declared
    try:
        observed = records.decode(declared.observation, report.observed, declared.observation.__name__)
        params = records.decode(declared.params, plan.request.params, "params")
    except records.Malformed:
        return Judged(
            Status.ERROR,
            "The grader could not read what your code did in this check: "
            "its report was damaged (does your code write to files it did not open?).",
            output=output,
            seconds=report.seconds,
        )
    verdict: Verdict = check.verdict(observed, Context(method, params, source))
    if verdict.passed:
        return Judged(Status.PASSED, seconds=report.seconds)
    line = verdict.line or source.definition(check.run.function)
    return Judged(
        Status.FAILED,
        verdict.message,
        verdict.hint if verdict.hint is not None else check.spec.hint,
        source.location(line) if line else None,
        output,
        seconds=report.seconds,
    )


def combine(check: Check, judged: dict[str, Judged]) -> CheckResult:
    spec = check.spec
    statuses = {method: one.status for method, one in judged.items()}
    seconds = sum(one.seconds for one in judged.values())
    failure = next(((method, one) for method, one in judged.items() if one.status is not Status.PASSED), None)
    if failure is None:
        return CheckResult(
            spec.id, spec.title, Status.PASSED, spec.points, spec.points, start_methods=statuses, duration=seconds
        )
    method, one = failure
    passed_under = [m for m, status in statuses.items() if status is Status.PASSED]
    message = one.message
    if passed_under:
        message = f"Passes under {' and '.join(passed_under)}, but not under {method}: {message}"
    return CheckResult(
        spec.id,
        spec.title,
        one.status,
        0,
        spec.points,
        message=message,
        hint=one.hint or spec.hint,
        location=one.location,
        start_methods=statuses,
        output=one.output,
        stacks=one.stacks,
        duration=seconds,
    )
