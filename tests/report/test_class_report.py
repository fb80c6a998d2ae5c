"""The class report: what each section counts, escaping, determinism, and the page in a real browser."""

from __future__ import annotations

import random
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS

from grader.models import Cause, CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report import class_report

HOSTILE = "<script>alert(1)</script>"

# (exercise, title, [(check id, title, points)]): 5 exercises of 10 points, 50 in all.
EXERCISES = [
    (
        f"ex0{number}",
        f"Exercise {number}",
        [(f"check{index}", f"ex0{number} check {index}", index) for index in range(1, 5)],
    )
    for number in range(1, 6)
]
NOT_PASSED = [Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.NOT_RUN]
DEADLINE = "Grading stopped after 60 s, the time allowed for the whole exercise: your code kept running."


# --- building results by hand -----------------------------------------------------------------


def check(
    check_id: str, status: Status, points: int = 1, title: str = "", message: str = "", hint: str = ""
) -> CheckResult:
    passed = status is Status.PASSED
    return CheckResult(
        check_id,
        title or check_id,
        status,
        points if passed else 0,
        points,
        message="" if passed else message or f"{check_id} went wrong: {status.value}\nsecond line",
        hint="" if passed else hint or f"Look at {check_id}.",
        start_methods={"fork": status},
        duration=0.1,
    )


def exercise(exercise_id: str, checks: list[CheckResult], duration: float = 1.0, problem: str = "") -> ExerciseResult:
    return ExerciseResult(
        exercise_id, f"Exercise {exercise_id}", f"exercises/{exercise_id}.py", tuple(checks), ("fork",),
        problem=problem, duration=duration,
    )  # fmt: skip


def student(
    name: str, exercises: list[ExerciseResult], late: bool = False, notes: tuple[str, ...] = ()
) -> SubmissionResult:
    return SubmissionResult(f"submissions/{name}", tuple(exercises), student=name, late=late, notes=notes)


def generated_student(number: int, name: str = "") -> SubmissionResult:
    """Student ``number`` of the big class: seeded, so the class is the same on every run; some
    students are stronger than others, and later exercises are harder."""
    rng = random.Random(number)
    ability = rng.uniform(0.55, 0.97)
    exercises = []
    for offset, (exercise_id, _title, checks) in enumerate(EXERCISES):
        results = []
        for check_id, title, points in checks:
            passed = rng.random() < ability - 0.05 * offset
            status = Status.PASSED if passed else rng.choices(NOT_PASSED, weights=[6, 3, 1, 1])[0]
            results.append(check(check_id, status, points, title))
        problem = DEADLINE if number in (5, 18) and offset == 2 else ""
        exercises.append(exercise(exercise_id, results, duration=round(rng.uniform(0.8, 6.0), 2), problem=problem))
    return student(name or f"Student {number:02d}", exercises, late=number % 9 == 4)


@pytest.fixture
def small_class() -> list[SubmissionResult]:
    """Three students, one exercise of two checks: counts that can be checked by hand."""
    return [
        student(
            "Cleo",
            [exercise("ex01", [check("a", Status.PASSED), check("b", Status.FAILED, message="Off by one.")])],
        ),
        student("Abe", [exercise("ex01", [check("a", Status.PASSED), check("b", Status.PASSED)])]),
        student(
            "Bea",
            [exercise("ex01", [check("a", Status.TIMEOUT), check("b", Status.FAILED, message="Off by one.")])],
        ),
    ]


@pytest.fixture(scope="module")
def big_class() -> list[SubmissionResult]:
    """32 students: passed, failed, error, timeout and not_run checks, a deadline problem, late
    submissions, a student with notes, a perfect one and a hostile name."""
    students = [generated_student(number) for number in range(1, 30)]
    perfect = [exercise(eid, [check(cid, Status.PASSED, points, title) for cid, title, points in checks])
               for eid, _title, checks in EXERCISES]  # fmt: skip
    students.append(student("Zoë Perfect", perfect))
    students.append(student("Noted Student", perfect[:4], notes=("ex05_queue_sentinel.py: not UTF-8", "extra.zip")))
    hostile = generated_student(30, name=HOSTILE)
    students.append(student(HOSTILE, list(hostile.exercises), late=True))
    statuses = {c.status for result in students for e in result.exercises for c in e.checks}
    assert statuses == set(Status)  # every kind of outcome occurs
    return students


# --- reading the page back --------------------------------------------------------------------


class Tables(HTMLParser):
    """Each table's body rows, as lists of cell texts, by the table's class."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self._table = ""
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._table = attributes.get("class") or ""
            self.tables[self._table] = []
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.tables[self._table].append([])
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "a" and "student" in (attributes.get("class") or ""):
            self.links.append(attributes.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(page: str) -> Tables:
    tables = Tables()
    tables.feed(page)
    return tables


# --- unit tests -------------------------------------------------------------------------------


def test_every_section_is_there(big_class: list[SubmissionResult]) -> None:
    page = class_report.render(big_class)
    assert page.startswith("<!DOCTYPE html>")
    for anchor in (
        "summary",
        "distribution",
        "exercises",
        "checks",
        "failures",
        "slowest",
        "timeouts",
        "students",
    ):
        assert f'id="{anchor}"' in page
    assert "<svg" in page and 'class="bar"' in page
    assert ">Total score (points)</text>" in page and ">Students</text>" in page


def test_the_page_loads_nothing_from_outside(big_class: list[SubmissionResult]) -> None:
    page = class_report.render(big_class)
    for needle in ("<script", "<link", "<img", "@import", "url(", "http://", "https://"):
        if needle == "http://":  # the SVG namespace is a name, not something fetched
            page = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert needle not in page


def test_a_hostile_student_name_is_escaped(big_class: list[SubmissionResult]) -> None:
    page = class_report.render(big_class)
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page


def test_messages_and_hints_are_escaped() -> None:
    bad = check("a", Status.FAILED, message="<b onmouseover=x>bold</b>", hint='"><img src=x>')
    page = class_report.render([student("Ann", [exercise("ex01", [bad])], notes=('"><i>',))])
    assert "<b onmouseover" not in page and "<img" not in page and "<i>" not in page
    assert (
        "&lt;b onmouseover=x&gt;bold&lt;/b&gt;" in page and "&#34;&gt;&lt;img src=x&gt;" in page
    )  # markupsafe's entity for a quote


def test_header_counts_students_and_gives_mean_and_median(small_class: list[SubmissionResult]) -> None:
    page = class_report.render(small_class)  # totals 1, 2, 0
    assert "<title>Class report: 3 students</title>" in page
    assert 'Students</div><div class="card-value">3<' in page
    assert 'Mean total</div><div class="card-value">1.0<' in page
    assert 'Median total</div><div class="card-value">1.0<' in page


def test_pass_rate_per_exercise_counts_full_marks(small_class: list[SubmissionResult]) -> None:
    [row] = parse(class_report.render(small_class)).tables["exercise-table"]
    assert row[0] == "ex01"
    assert row[2] == "1\u202f/\u202f3"  # only Abe has full marks
    assert row[3] == "33%"
    assert row[4] == "1.0\u202f/\u202f2"  # mean of 1, 2 and 0 points


def test_pass_rate_per_check_counts_each_status(small_class: list[SubmissionResult]) -> None:
    rows = parse(class_report.render(small_class)).tables["check-table"]
    # exercise, title, passed, pass rate, then failed / error / timeout / not run
    assert rows == [
        ["ex01", "a", "2\u202f/\u202f3", "67%", "0", "0", "1", "0"],
        ["ex01", "b", "1\u202f/\u202f3", "33%", "2", "0", "0", "0"],
    ]


def test_common_failures_are_grouped_by_check_and_first_line(big_class: list[SubmissionResult]) -> None:
    small = [
        student(
            name,
            [exercise("ex01", [check("b", Status.FAILED, message="Off by one.\nat line 3", hint="Count.")])],
        )
        for name in ("Ann", "Bob")
    ]
    small.append(student("Cid", [exercise("ex01", [check("b", Status.FAILED, message="Wrong type.", hint="Type.")])]))
    rows = parse(class_report.render(small)).tables["failure-table"]
    assert rows == [["2", "ex01", "b", "Off by one.", "Count."], ["1", "ex01", "b", "Wrong type.", "Type."]]
    assert len(parse(class_report.render(big_class)).tables["failure-table"]) == 10


def test_a_mistake_counts_once_per_student_whatever_it_broke() -> None:
    mistake = Cause("run-instead-of-start", "run() runs the target in your own process.\nmore", "Call start().", None,
                    "", ("a", "b"))  # fmt: skip
    broken = [replace(check(name, Status.FAILED), cause=mistake.id) for name in ("a", "b")]
    small = [student(name, [replace(exercise("ex01", broken), causes=(mistake,))]) for name in ("Ann", "Bob")]
    small.append(student("Cid", [exercise("ex01", [check("a", Status.FAILED, message="Other.", hint="H.")])]))
    rows = parse(class_report.render(small)).tables["failure-table"]
    assert rows == [
        ["2", "ex01", "mistake: run-instead-of-start", "run() runs the target in your own process.", "Call start()."],
        ["1", "ex01", "a", "Other.", "H."],
    ]


def test_slowest_and_timed_out_submissions(big_class: list[SubmissionResult]) -> None:
    tables = parse(class_report.render(big_class))
    slowest = tables.tables["slowest-table"]
    durations = [float(row[1].removesuffix(" s")) for row in slowest]
    assert len(slowest) == 10 and durations == sorted(durations, reverse=True)
    timed_out = {row[0] for row in tables.tables["timeout-table"]}
    expected = {
        result.student
        for result in big_class
        if any(c.status is Status.TIMEOUT for e in result.exercises for c in e.checks)
        or any(e.problem for e in result.exercises)
    }
    assert timed_out == expected and "Student 05" in timed_out  # Student 05 ran past the deadline


def test_an_exercise_stopped_at_the_deadline_says_why() -> None:
    stopped = exercise("ex03", [check("a", Status.PASSED), check("b", Status.TIMEOUT)], problem=DEADLINE)
    finished = exercise("ex04", [check("a", Status.FAILED)], problem="ex04_pool_map.py was not found.")
    rows = parse(class_report.render([student("Ann", [stopped, finished])])).tables["timeout-table"]
    assert len(rows) == 1 and rows[0][0] == "Ann"
    assert f"ex03: {DEADLINE}" in rows[0][2] and "ex04" not in rows[0][2]


def test_students_are_sorted_by_name_with_scores_late_and_notes(big_class: list[SubmissionResult]) -> None:
    tables = parse(class_report.render(list(reversed(big_class))))
    rows = tables.tables["student-table"]
    names = [row[0] for row in rows]
    assert names == sorted(names, key=str.casefold) and len(rows) == len(big_class)
    by_name = {row[0]: row for row in rows}
    assert by_name["Zoë Perfect"][1:] == ["10", "10", "10", "10", "10", "50\u202f/\u202f50", "", "0"]
    assert by_name["Noted Student"][-1] == "2" and by_name["Noted Student"][5] == "–"  # ex05 not graded
    assert by_name[HOSTILE][-2] == "late" and by_name["Student 04"][-2] == "late"


def test_links_point_to_each_students_feedback(big_class: list[SubmissionResult]) -> None:
    links = parse(class_report.render(big_class)).links
    for result in big_class:
        assert f"{result.slug}/feedback.md" in links
    assert "script_alert_1_script/feedback.md" in links  # the hostile name's slug
    assert not any(link.startswith(("/", "http", "file:")) for link in links)


def test_identical_input_gives_identical_bytes(big_class: list[SubmissionResult]) -> None:
    first = class_report.render(big_class)
    assert class_report.render(list(big_class)) == first
    assert class_report.render(list(reversed(big_class))) == first


def test_histogram_has_one_bar_per_score_from_zero_to_max(big_class: list[SubmissionResult]) -> None:
    page = class_report.render(big_class)
    assert page.count('<rect class="bar"') == 51
    for score in (0, 37, 50):
        count = sum(result.score == score for result in big_class)
        assert f'data-score="{score}" data-count="{count}"' in page


def test_an_empty_class_still_renders() -> None:
    page = class_report.render([])
    assert "<title>Class report: 0 students</title>" in page and page.count('<rect class="bar"') == 1


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_the_report_renders_in_chromium(
    browser_context: Any, big_class: list[SubmissionResult], tmp_path: Path
) -> None:
    report = tmp_path / "class-report.html"
    report.write_text(class_report.render(big_class), encoding="utf-8")
    for result in big_class:
        (tmp_path / result.slug).mkdir(exist_ok=True)
        (tmp_path / result.slug / "feedback.md").write_text(f"# Feedback for {result.student}\n", encoding="utf-8")
    page = browser_context.new_page()
    try:
        page.goto(report.as_uri())
        assert page.title() == f"Class report: {len(big_class)} students"
        assert page.locator("svg.histogram rect.bar").count() == 51  # scores 0..50
        box = page.locator("svg.histogram").bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        assert page.locator("table.student-table tbody tr").count() == len(big_class)
        assert page.locator("h1").inner_text() == "Class report"
        assert page.locator("table.student-table").get_by_text(HOSTILE).count() == 1  # shown as text

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class-report.png"), full_page=True)

        page.locator("table.student-table a.student", has_text="Noted Student").click()
        page.wait_for_load_state()
        assert page.url == (tmp_path / "Noted_Student" / "feedback.md").as_uri()
        assert "Feedback for Noted Student" in page.locator("body").inner_text()
    finally:
        page.close()


# Text a student controls, written to run script in the teacher's browser if it were not escaped:
# each sets window.pwned, or opens a dialog.
ATTACKS = [
    "<script>window.pwned = 'script'</script>",
    "<img src=x onerror=\"window.pwned = 'img'\">",
    '"><svg onload="window.pwned = \'svg\'">',
    "' onmouseover='window.pwned = 1' x='",
    "javascript:window.pwned = 'link'",
    "</title><script>window.pwned = 'title'</script>",
]


@pytest.mark.browser
def test_hostile_text_runs_no_script_in_chromium(browser_context: Any, tmp_path: Path) -> None:
    students = []
    for attack in ATTACKS:  # in the name, the folder, a check's title, message and hint, a problem, notes
        bad = check("a", Status.TIMEOUT, title=attack, message=attack, hint=attack)
        stopped = exercise("ex01", [bad, check("b", Status.PASSED)], problem=attack)
        students.append(student(attack, [stopped], late=True, notes=(attack, f"{attack}.zip")))
    report = tmp_path / "report.html"
    report.write_text(class_report.render(students), encoding="utf-8")
    page = browser_context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(report.as_uri())
        page.locator("table.student-table a.student").first.hover()  # would fire an onmouseover
        assert page.evaluate("window.pwned") is None and not dialogs
        assert page.locator("script").count() == 0 and page.locator("img").count() == 0
        assert page.locator("svg").count() == 1  # only the histogram
        assert page.title() == f"Class report: {len(ATTACKS)} students"
        names = page.locator("table.student-table a.student").all_inner_texts()
        assert sorted(names) == sorted(ATTACKS)  # each shown as the text it is
        for link in page.locator("a.student").evaluate_all("links => links.map(link => link.href)"):
            assert link.startswith(tmp_path.as_uri() + "/") and link.endswith("/feedback.md")
        failures = page.locator("table.failure-table td.message").all_inner_texts()
        assert set(failures) == set(ATTACKS)
    finally:
        page.close()
