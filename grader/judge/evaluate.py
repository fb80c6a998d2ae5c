"""The judge at work: every check of an exercise, over the start methods it ran under, and the
mistakes behind the ones that failed.

A check's status under one start method comes from its run's report: an observation goes to the
check's verdict function; anything else (an exception, a time-out, a crash, a limit, no report) is
described by ``grader.feedback``. The check passes only if it passed under every start method it
had to run under; otherwise the first start method that did not pass (in the order fork, spawn,
forkserver) gives its status and message. Then the exercise's diagnoses name the causes of the
failures (``grader.judge.diagnose``), each once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from grader import feedback
from grader.judge import Check, Context, Planned, Source, Verdict
from grader.judge.diagnose import Diagnosis, Evidence
from grader.models import Cause, CheckResult, Limits, Location, Status
from grader.sandbox.run import SandboxRun
from grader.sandbox.stacks import StudentFile
from grader.scenarios import records
from grader.scenarios.records import Missing, Outcome, Phase, Report

DAMAGED = (
    "The grader could not read what your code did in this check: its report was damaged (does your code "
    "write to files it did not open?)."
)
# a verdict or a diagnosis that fails on what the file says (an expression nested a thousand deep, a
# value of a class of the student's): this check's error, not the grader's, nor the whole class's
UNJUDGED = (
    "The grader could not judge this check on your file ({error}): is some of its code unusually deep or "
    "large (an expression of hundreds of parts, thousands of functions)? Write it more simply."
)


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


@dataclass(frozen=True)
class Verdicts:
    """What the judge concluded of one grading."""

    checks: tuple[CheckResult, ...]
    causes: tuple[Cause, ...]
    problem: str  #: what stopped the exercise as a whole ("" if nothing did)


def judge(
    checks: tuple[Check, ...],
    diagnoses: tuple[Diagnosis, ...],
    planned: list[Planned],
    run: SandboxRun,
    source: Source,
    limits: Limits,
) -> Verdicts:
    student = StudentFile(run.submissions, source.name, source.text)
    reports = {(plan.run.name, plan.request.method): report for plan, report in zip(planned, run.reports, strict=True)}
    params = {
        plan.run.name: records.decode(plan.run.declared.params, plan.request.params, "params") for plan in planned
    }
    seen = {key: observed for key, observed in ((key, _decode(planned, key, report)) for key, report in reports.items())
            if observed is not None}  # fmt: skip
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
            report = reports[(check.run.name, method)]
            if report.outcome is Outcome.NOT_RUN and failed is not None:
                report = failed  # the module does not import: every check fails for that reason
            elif report.outcome is Outcome.NOT_RUN and _timed_out_before(reports, check, methods, method):
                continue  # ran out of time under an earlier start method: not run again
            context = Context(method, params[check.run.name], source)
            judged[method] = one(check, report, seen.get((check.run.name, method)), context, student, limits)
        results.append(combine(check, judged))
    called: dict[str, tuple[Any, ...]] = {}
    for (name, _), report in reports.items():  # fork first: the order the start methods ran in
        calls = report.calls or tuple(getattr(seen.get((name, _)), "calls", ()))
        if calls and name not in called:
            called[name] = calls
    evidence = Evidence(seen, params, _not_passed(results), source, called)
    return diagnose(tuple(results), diagnoses, evidence, problem, missing_functions(checks, reports))


def missing_functions(checks: tuple[Check, ...], reports: dict[tuple[str, str], Report]) -> Cause | None:
    """Every function of the exercise the file lacks, named together once, for all the checks that
    could not call one (a scenario only ever finds the first one it looks for missing)."""
    wanted: dict[str, str] = {}
    broken: list[str] = []
    for check in checks:
        for (name, _), report in reports.items():
            missing = report.unusable
            if name == check.run.name and missing is not None and missing.kind is Missing.FUNCTION:
                wanted[missing.name] = missing.wanted
                broken.append(check.spec.id)
                break
    if not wanted:
        return None
    names = " and no function ".join(f"`{name}`" for name in wanted)
    signatures = " and ".join(f"`{signature}`" for signature in wanted.values())
    return Cause("missing-function", f"Your file has no function {names}: the exercise asks for {signatures}.",
                 feedback.NAMES_HINT, None, "", tuple(broken))  # fmt: skip


def _decode(planned: list[Planned], key: tuple[str, str], report: Report) -> Any | None:
    if report.outcome is not Outcome.RETURNED or report.observed is None:
        return None
    declared = next(plan.run.declared for plan in planned if plan.run.name == key[0])
    try:
        return records.decode(declared.observation, report.observed, declared.observation.__name__)
    except records.Malformed:
        return None


def _timed_out_before(reports: dict[tuple[str, str], Report], check: Check, methods: list[str], method: str) -> bool:
    earlier = methods[: methods.index(method)]
    return any(reports[(check.run.name, m)].outcome is Outcome.TIMED_OUT for m in earlier)


def one(
    check: Check, report: Report, observed: Any | None, context: Context, student: StudentFile, limits: Limits
) -> Judged:
    output = feedback.clean_output(report.output, student, limits.output_kb * 1024, report.output_cut)
    if report.leftover:
        left = f"{report.leftover} process{'es' if report.leftover > 1 else ''}"
        output = "\n".join(part for part in (output, f"(the grader stopped {left} your code left running)") if part)
    ran = report.phase is Phase.CALL and report.outcome not in (Outcome.NOT_RUN, Outcome.UNUSABLE)
    if ran and check.unvouched is not None:
        try:
            unvouched = check.unvouched(context.source)
        except Exception as error:  # noqa: BLE001 - as a verdict's
            return Judged(
                Status.ERROR, UNJUDGED.format(error=type(error).__name__), output=output, seconds=report.seconds
            )
        if unvouched is not None:
            return failed(check, unvouched, context, output, report.seconds)
    if report.outcome is not Outcome.RETURNED:
        described = feedback.describe(report, student, check.run.function, limits)
        return Judged(described.status, described.message, described.hint, described.location, output,
                      described.stacks, report.seconds)  # fmt: skip
    if observed is None:
        return Judged(Status.ERROR, DAMAGED, output=output, seconds=report.seconds)
    try:
        verdict: Verdict = check.verdict(observed, context)
    except Exception as error:  # noqa: BLE001 - whatever the file makes a verdict do, it is this check's
        return Judged(Status.ERROR, UNJUDGED.format(error=type(error).__name__), output=output, seconds=report.seconds)
    if verdict.passed:
        return Judged(Status.PASSED, seconds=report.seconds)
    return failed(check, verdict, context, output, report.seconds)


def failed(check: Check, verdict: Verdict, context: Context, output: str, seconds: float) -> Judged:
    line = verdict.line or context.source.definition(check.run.function)
    hint = verdict.hint if verdict.hint is not None else check.spec.hint
    location = context.source.location(line) if line else None
    return Judged(Status.FAILED, verdict.message, hint, location, output, seconds=seconds)


def combine(check: Check, judged: dict[str, Judged]) -> CheckResult:
    spec = check.spec
    statuses = {method: one.status for method, one in judged.items()}
    seconds = sum(one.seconds for one in judged.values())
    failure = next(((method, one) for method, one in judged.items() if one.status is not Status.PASSED), None)
    if failure is None:
        return CheckResult(spec.id, spec.title, Status.PASSED, spec.points, spec.points,
                           start_methods=statuses, duration=seconds)  # fmt: skip
    method, one = failure
    passed_under = [m for m, status in statuses.items() if status is Status.PASSED]
    message = one.message
    if passed_under:
        message = f"Passes under {' and '.join(passed_under)}, but not under {method}: {message}"
    return CheckResult(
        spec.id, spec.title, one.status, 0, spec.points, message=message, hint=one.hint or spec.hint,
        location=one.location, start_methods=statuses, output=one.output, stacks=one.stacks, duration=seconds,
    )  # fmt: skip


def _not_passed(results: list[CheckResult]) -> set[str]:
    return {result.id for result in results if result.status is not Status.PASSED}


def diagnose(
    results: tuple[CheckResult, ...],
    diagnoses: tuple[Diagnosis, ...],
    evidence: Evidence,
    problem: str,
    missing: Cause | None = None,
) -> Verdicts:
    """Name the cause of each failed check that a diagnosis explains; a cause once, for all it broke."""
    if problem:  # the exercise as a whole did not run: that is the one cause, said by the problem
        return Verdicts(results, (), problem)
    causes: list[Cause] = [missing] if missing else []
    claimed: dict[str, str] = dict.fromkeys(missing.checks, missing.id) if missing else {}
    for diagnosis in diagnoses:
        broken = [check for check in diagnosis.explains if check in evidence.failed and check not in claimed]
        if not broken:
            continue
        try:
            finding = diagnosis.find(evidence)
        except Exception:  # noqa: BLE001 - a cause not named: the checks' own messages still say what failed
            continue
        if finding is None:
            continue
        location = evidence.source.location(finding.line) if finding.line else None
        order = [result.id for result in results if result.id in broken]
        causes.append(Cause(diagnosis.id, finding.message, finding.hint, location, diagnosis.docs, tuple(order)))
        claimed.update((check, diagnosis.id) for check in broken)
    position = {result.id: index for index, result in enumerate(results)}
    causes.sort(key=lambda cause: position[cause.checks[0]])
    checks = tuple(replace(result, cause=claimed.get(result.id, "")) for result in results)
    return Verdicts(checks, tuple(causes), problem)
