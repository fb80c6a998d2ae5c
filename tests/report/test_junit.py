"""``--format junit``: the XML parses back, counts what happened, and survives any student output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from report.samples import EX05, FAILED, MISTAKE, MIXED, WITH_MISTAKE

from grader.report import RENDERERS


def parse() -> ET.Element:
    return ET.fromstring(RENDERERS["junit"](MIXED, False).encode())


def test_one_suite_per_exercise_and_one_case_per_check() -> None:
    root = parse()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == [
        "ex01 Run a function in a new process",
        "ex05 Stop a consumer with a sentinel",
    ]
    assert [len(suite.findall("testcase")) for suite in suites] == [1, 5]
    ex05 = suites[1]
    counts = {name: ex05.get(name) for name in ("tests", "failures", "errors", "skipped", "time")}
    assert counts == {"tests": "5", "failures": "1", "errors": "2", "skipped": "1", "time": "6.250"}
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "1", "2")
    case = ex05.findall("testcase")[1]
    assert (case.get("classname"), case.get("name"), case.get("time")) == ("ex05", FAILED.title, "0.250")


def test_each_status_has_its_element() -> None:
    cases = parse().findall("testsuite")[1].findall("testcase")
    passed, failed, timeout, error, not_run = cases
    assert list(passed) == []
    assert [child.tag for child in failed] == ["failure"]
    assert [(child.tag, child.get("type")) for child in timeout] == [("error", "timeout")]
    assert [(child.tag, child.get("type")) for child in error] == [("error", "error")]
    assert [child.tag for child in not_run] == ["skipped"]
    assert not_run[0].get("message", "").startswith("Not run")


def test_a_failure_carries_message_location_output_and_hint() -> None:
    failure = parse().find("testsuite[2]/testcase[2]/failure")
    assert failure is not None
    assert failure.get("message") == FAILED.message  # quotes, & and < round-trip
    body = failure.text or ""
    assert FAILED.message in body
    assert "at ex05_queue_sentinel.py:14  if not item:" in body
    assert "Hint: Compare with `is SENTINEL`." in body
    assert "Your code printed:\ngot\\x00 0" in body


def test_control_characters_are_shown_escaped_tab_and_newline_kept() -> None:
    shown = RENDERERS["junit"](MIXED, False)
    assert not any(char in shown for char in "\x00\x1b")
    assert "&amp;" in shown and "&quot;" in shown
    failure = parse().find("testsuite[2]/testcase[2]/failure")
    assert failure is not None and "got\\x00 0\\x1b[31m\tred\\x7f" in (failure.text or "")


def test_timeouts_show_the_deadlock_report_and_problems_go_to_system_err() -> None:
    suite = parse().findall("testsuite")[1]
    error = suite.find("testcase[3]/error")
    assert error is not None and "item = q.get()" in (error.text or "")
    assert suite.findtext("system-err") == EX05.problem


def test_a_check_broken_by_a_mistake_carries_the_mistake() -> None:
    root = ET.fromstring(RENDERERS["junit"](WITH_MISTAKE))
    case = next(case for case in root.iter("testcase") if case.get("name") == FAILED.title)
    text = case.find("failure").text or ""  # type: ignore[union-attr]
    assert text.startswith("Fails because of this mistake: " + MISTAKE.message)
    assert f"Hint: {MISTAKE.hint}" in text and f"Read: {MISTAKE.docs}" in text
