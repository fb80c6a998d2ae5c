"""``--format junit``: JUnit XML, one test suite per exercise, for CI systems that show test reports."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report.details import details
from grader.report.safe import inert_result

# characters XML 1.0 forbids even as references: student output may print any of them
FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(result: SubmissionResult, color: bool = False) -> str:
    """The result as a ``<testsuites>`` document."""
    result = inert_result(result)
    root = ET.Element("testsuites", name="mpgrade")
    suites = [_suite(exercise) for exercise in result.exercises]
    root.extend(suites)
    for counter in ("tests", "failures", "errors", "skipped"):
        root.set(counter, str(sum(int(suite.get(counter, "0")) for suite in suites)))
    root.set("time", _seconds(sum(exercise.duration for exercise in result.exercises)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(exercise: ExerciseResult) -> ET.Element:
    statuses = [check.status for check in exercise.checks]
    suite = ET.Element(
        "testsuite",
        name=_clean(f"{exercise.exercise} {exercise.title}"),
        tests=str(len(statuses)),
        failures=str(statuses.count(Status.FAILED)),
        errors=str(statuses.count(Status.ERROR) + statuses.count(Status.TIMEOUT)),
        skipped=str(statuses.count(Status.NOT_RUN)),
        time=_seconds(exercise.duration),
    )
    suite.extend(_case(exercise, check) for check in exercise.checks)
    if exercise.problem:
        ET.SubElement(suite, "system-err").text = _clean(exercise.problem)
    return suite


def _case(exercise: ExerciseResult, check: CheckResult) -> ET.Element:
    name, seconds = _clean(check.title), _seconds(check.duration)
    case = ET.Element("testcase", classname=exercise.exercise, name=name, time=seconds)
    message = _clean(check.message)
    if check.status is Status.FAILED:
        ET.SubElement(case, "failure", message=message).text = _clean(details(check, exercise))
    elif check.status in (Status.ERROR, Status.TIMEOUT):
        ET.SubElement(case, "error", type=check.status.value, message=message).text = _clean(details(check, exercise))
    elif check.status is Status.NOT_RUN:
        ET.SubElement(case, "skipped", message=message)
    return case


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (ElementTree would write them as is)."""
    return FORBIDDEN.sub("", text)


def _seconds(duration: float) -> str:
    return f"{duration:.3f}"
