"""The class overview for a teacher: one self-contained HTML page from a batch of results.

No external CSS, scripts, fonts or images (the page is opened from disk, often offline), and no
date or other state: the same results give the same bytes. Student names, messages and hints are
untrusted: this module only gathers plain data, and the template (``templates/class_report.html``)
is rendered by Jinja2 with autoescaping on, so every piece of text is escaped where it is written.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult
from grader.report.details import first_line, plural

TOP = 10  #: rows in the "most common failures" and "slowest submissions" tables
MAX_BINS = 60  #: one bar per point up to this many bars; above, each bar covers several points
NOT_PASSED = (Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.NOT_RUN)  #: the check table's columns
STATUS_LABELS = {
    Status.PASSED: "Passed",
    Status.FAILED: "Failed",
    Status.ERROR: "Error",
    Status.TIMEOUT: "Timeout",
    Status.NOT_RUN: "Not run",
}


NAV = [
    ("distribution", "Score distribution"),
    ("exercises", "Exercises"),
    ("checks", "Checks"),
    ("failures", "Common failures"),
    ("slowest", "Slowest"),
    ("timeouts", "Timed out"),
    ("students", "Students"),
]
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("grader", "templates"),
    autoescape=True,  # every template, whatever its name: nothing a student wrote is ever markup
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Head:
    """A column heading; ``max`` shows an exercise's points under it."""

    text: str
    css: str = ""
    title: str = ""
    max: int | None = None


@dataclass
class CheckInfo:
    """A check as the class met it: the first title and hint seen, and every student's status."""

    id: str
    title: str
    hint: str = ""
    statuses: Counter[Status] = field(default_factory=Counter)

    @property
    def attempts(self) -> int:
        return sum(self.statuses.values())


@dataclass
class ExerciseInfo:
    """An exercise as the class met it, with its checks in the suite's order."""

    id: str
    title: str
    max_score: int
    results: list[ExerciseResult] = field(default_factory=list)
    checks: dict[str, CheckInfo] = field(default_factory=dict)


def render(results: list[SubmissionResult]) -> str:
    """The whole page: a pure function of the results, whatever order they come in."""
    ordered = sorted(results, key=_sort_key)
    exercises = _exercises(ordered)
    page = TEMPLATES.get_template("class_report.html").render(
        title=f"Class report: {plural(len(ordered), 'student')}",
        cards=_cards(ordered),
        nav=NAV,
        top=TOP,
        chart=_histogram(ordered),
        heads=_heads(exercises),
        exercise_rows=[_exercise_row(info) for info in exercises],
        check_rows=[_check_row(info, check) for info in exercises for check in info.checks.values()],
        failure_rows=_common_failures(ordered),
        slowest_rows=[_student_row(result) for result in _slowest(ordered)],
        timeout_rows=[_student_row(result) for result in ordered if _timeout_reasons(result)],
        student_rows=[_student_row(result, exercises) for result in ordered],
    )
    return page


# --- gathering ------------------------------------------------------------------------------


def _sort_key(result: SubmissionResult) -> tuple[str, str, str]:
    name = _name(result)
    return (name.casefold(), name, result.submission)


def _name(result: SubmissionResult) -> str:
    return result.student or result.submission


def _exercises(results: list[SubmissionResult]) -> list[ExerciseInfo]:
    """Every exercise anyone was graded on, by id; titles and hints as first seen by name order."""
    found: dict[str, ExerciseInfo] = {}
    for result in results:
        for exercise in result.exercises:
            info = found.setdefault(exercise.exercise, ExerciseInfo(exercise.exercise, exercise.title, 0))
            info.max_score = max(info.max_score, exercise.max_score)
            info.results.append(exercise)
            for check in exercise.checks:
                check_info = info.checks.setdefault(check.id, CheckInfo(check.id, check.title))
                check_info.hint = check_info.hint or check.hint
                check_info.statuses[check.status] += 1
    return [found[key] for key in sorted(found)]


def _duration(result: SubmissionResult) -> float:
    return sum(exercise.duration for exercise in result.exercises)


def _timeout_reasons(result: SubmissionResult) -> list[str]:
    """Why a submission counts as timed out: checks that ran out of time, an exercise stopped."""
    reasons = []
    for exercise in result.exercises:
        timed_out = [check for check in exercise.checks if check.status is Status.TIMEOUT]
        if timed_out:
            titles = ", ".join(check.title for check in timed_out)
            reasons.append(f"{exercise.exercise}: {plural(len(timed_out), 'check')} timed out ({titles})")
        if timed_out and exercise.problem:  # the grader stopped the whole exercise: say why
            reasons.append(f"{exercise.exercise}: {first_line(exercise.problem)}")
    return reasons


# --- what each part of the page shows -------------------------------------------------------


def _cards(results: list[SubmissionResult]) -> list[tuple[str, str, str]]:
    totals = [result.score for result in results]
    max_total = max((result.max_score for result in results), default=0)
    everyone = f"of {len(results)}"
    return [
        ("Students", str(len(results)), ""),
        ("Mean total", _number(statistics.mean(totals)) if totals else "–", f"of {max_total}"),
        ("Median total", _number(statistics.median(totals)) if totals else "–", f"of {max_total}"),
        ("Full marks", str(sum(result.full_marks for result in results)), everyone),
        ("Late", str(sum(result.late for result in results)), everyone),
        ("Timed out", str(sum(bool(_timeout_reasons(result)) for result in results)), everyone),
    ]


def _bins(max_total: int) -> list[tuple[int, int]]:
    """Score ranges, inclusive, from 0 to ``max_total``: one point each unless that is too many."""
    width = max(1, math.ceil((max_total + 1) / MAX_BINS))
    return [(low, min(low + width - 1, max_total)) for low in range(0, max_total + 1, width)]


def _histogram(results: list[SubmissionResult]) -> dict[str, Any]:
    """The SVG bar chart's geometry: one bar per bin (empty bins too, with no height)."""
    bins = _bins(max((result.max_score for result in results), default=0))
    counts = [sum(low <= result.score <= high for result in results) for low, high in bins]
    width, height = 1056, 300  # the page's content width: drawn at 1:1, text as large as the tables'
    left, right, top, bottom = 56, 8, 16, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    step = _tick_step(max(counts, default=0), 5)
    y_max = max(step, math.ceil(max(counts, default=0) / step) * step)
    slot = plot_w / len(bins)
    gap = min(2.0, slot * 0.15)
    label_every = _tick_step(len(bins), 10)
    ticks = []
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        ticks.append({"value": tick, "y": f"{y:.1f}", "text_y": f"{y + 4:.1f}"})
    bars = []
    for index, ((low, high), count) in enumerate(zip(bins, counts, strict=True)):
        bar_h = plot_h * count / y_max
        labelled = index % label_every == 0 or index == len(bins) - 1
        bars.append({
            "x": f"{left + index * slot + gap / 2:.1f}", "y": f"{top + plot_h - bar_h:.1f}",
            "width": f"{slot - gap:.1f}", "height": f"{bar_h:.1f}", "count": count, "low": low,
            "label": f"{low}" if low == high else f"{low}–{high}", "students": plural(count, "student"),
            "tick_x": f"{left + (index + 0.5) * slot:.1f}" if labelled else "",
        })  # fmt: skip
    return {
        "width": width, "height": height, "left": left, "right": width - right, "top": top,
        "bottom": top + plot_h, "ticks": ticks, "bars": bars,
        "x_label": f"{left + plot_w / 2:.1f}", "y_label": f"{top + plot_h / 2:.1f}",
    }  # fmt: skip


def _tick_step(largest: int, most: int) -> int:
    """A round step (1, 2, 5, 10, 20, ...) that gives at most ``most`` ticks up to ``largest``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if largest / (factor * magnitude) <= most:
                return factor * magnitude
        magnitude *= 10


def _heads(exercises: list[ExerciseInfo]) -> dict[str, list[Head]]:
    num = "num"
    return {
        "exercise-table": [Head("Exercise"), Head("Title"), Head("Full marks", num), Head("Pass rate"),
                           Head("Mean score", num), Head("Share of points")],
        "check-table": [Head("Exercise"), Head("Check"), Head("Passed", num), Head("Pass rate"),
                        *(Head(STATUS_LABELS[status], num) for status in NOT_PASSED)],
        "failure-table": [Head("Count", num), Head("Exercise"), Head("Check or mistake"), Head("Message"),
                          Head("Hint")],
        "slowest-table": [Head("Student"), Head("Total time", num), Head("Score", num), Head("Slowest exercise")],
        "timeout-table": [Head("Student"), Head("Total time", num), Head("What ran out of time or hit a limit")],
        "student-table": [Head("Student"), *(Head(info.id, num, info.title, info.max_score) for info in exercises),
                          Head("Total", num), Head("Late"), Head("Notes", num)],
    }  # fmt: skip


def _exercise_row(info: ExerciseInfo) -> dict[str, Any]:
    graded = len(info.results)
    full = sum(result.full_marks for result in info.results)
    mean = statistics.mean(result.score for result in info.results) if graded else 0.0
    return {
        "id": info.id, "title": info.title, "full": full, "graded": graded, "full_percent": _percent(full, graded),
        "mean": _number(mean), "max_score": info.max_score, "mean_percent": _percent(mean, info.max_score),
    }  # fmt: skip


def _check_row(info: ExerciseInfo, check: CheckInfo) -> dict[str, Any]:
    passed = check.statuses[Status.PASSED]
    return {
        "exercise": info.id, "title": check.title, "passed": passed, "attempts": check.attempts,
        "percent": _percent(passed, check.attempts),
        "counts": [(status.value, check.statuses[status]) for status in NOT_PASSED],
    }  # fmt: skip


def _common_failures(results: list[SubmissionResult]) -> list[dict[str, Any]]:
    """The mistakes the judge named, counted once per student who made them, and the failed checks
    it named no mistake for, counted per student too: what to go over again in class."""
    groups: Counter[tuple[str, str, str]] = Counter()
    hints: dict[tuple[str, str, str], str] = {}
    for exercise, check in _failed_checks(results):
        if check.cause:
            continue
        key = (exercise.exercise, check.title, first_line(check.message) or f"({STATUS_LABELS[check.status].lower()})")
        groups[key] += 1
        hints[key] = hints.get(key) or check.hint
    for result in results:
        for exercise in result.exercises:
            for cause in exercise.causes:
                key = (exercise.exercise, f"mistake: {cause.id}", first_line(cause.message))
                groups[key] += 1
                hints[key] = hints.get(key) or cause.hint
    top = sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    return [
        {"count": count, "exercise": key[0], "title": key[1], "message": key[2], "hint": hints[key]}
        for key, count in top
    ]


def _failed_checks(results: list[SubmissionResult]) -> Iterable[tuple[ExerciseResult, CheckResult]]:
    for result in results:
        for exercise in result.exercises:
            for check in exercise.checks:
                if check.status is not Status.PASSED:
                    yield exercise, check


def _slowest(results: list[SubmissionResult]) -> list[SubmissionResult]:
    return sorted(results, key=lambda result: (-_duration(result), _sort_key(result)))[:TOP]


def _student_row(result: SubmissionResult, exercises: list[ExerciseInfo] | None = None) -> dict[str, Any]:
    """A student's link, time and score; with ``exercises``, a score cell per exercise too."""
    slowest = max(result.exercises, key=lambda exercise: exercise.duration, default=None)
    scores = {exercise.exercise: exercise for exercise in result.exercises}
    return {
        "slug": result.slug, "name": _name(result), "duration": f"{_duration(result):.1f} s",
        "score": result.score, "max_score": result.max_score, "full_marks": result.full_marks,
        "slowest": f"{slowest.exercise}, {slowest.duration:.1f} s" if slowest else "–",
        "reasons": _timeout_reasons(result), "late": result.late, "notes": list(result.notes),
        "cells": [_score_cell(scores.get(info.id)) for info in exercises or []],
    }  # fmt: skip


def _score_cell(exercise: ExerciseResult | None) -> dict[str, Any] | None:
    if exercise is None:
        return None
    css = "full" if exercise.full_marks else "zero-score" if exercise.score == 0 else ""
    return {"css": css, "score": exercise.score}


def _percent(part: float, whole: float) -> float:
    return 100 * part / whole if whole else 0.0


def _number(value: float) -> str:
    return f"{value:.1f}"
