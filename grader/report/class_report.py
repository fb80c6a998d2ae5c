"""The class overview for a teacher: one self-contained HTML page from a batch of results.

No external CSS, scripts, fonts or images (the page is opened from disk, often offline), and no
date or other state: the same results give the same bytes. Student names, messages and hints are
untrusted, so every piece of text goes through ``html.escape``.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from grader.models import CheckResult, ExerciseResult, Status, SubmissionResult

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
    sections = [
        _header(ordered),
        _nav(),
        _distribution(ordered),
        _exercise_table(exercises),
        _check_table(exercises),
        _common_failures(ordered),
        _slowest(ordered),
        _timed_out(ordered),
        _student_table(ordered, exercises),
    ]
    body = "\n".join(sections)
    title = f"Class report: {_plural(len(ordered), 'student')}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n<footer>Made by mpgrade from the batch results.</footer>\n"
        "</body>\n</html>\n"
    )


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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def _timeout_reasons(result: SubmissionResult) -> list[str]:
    """Why a submission counts as timed out: checks that ran out of time, an exercise stopped."""
    reasons = []
    for exercise in result.exercises:
        timed_out = [check for check in exercise.checks if check.status is Status.TIMEOUT]
        if timed_out:
            titles = ", ".join(check.title for check in timed_out)
            reasons.append(f"{exercise.exercise}: {_plural(len(timed_out), 'check')} timed out ({titles})")
        if timed_out and exercise.problem:  # the grader stopped the whole exercise: say why
            reasons.append(f"{exercise.exercise}: {_first_line(exercise.problem)}")
    return reasons


# --- sections -------------------------------------------------------------------------------


def _header(results: list[SubmissionResult]) -> str:
    totals = [result.score for result in results]
    max_total = max((result.max_score for result in results), default=0)
    everyone = f"of {len(results)}"
    cards = [
        ("Students", str(len(results)), ""),
        ("Mean total", _number(statistics.mean(totals)) if totals else "–", f"of {max_total}"),
        ("Median total", _number(statistics.median(totals)) if totals else "–", f"of {max_total}"),
        ("Full marks", str(sum(result.full_marks for result in results)), everyone),
        ("Late", str(sum(result.late for result in results)), everyone),
        ("Timed out", str(sum(bool(_timeout_reasons(result)) for result in results)), everyone),
    ]
    items = "".join(
        f'<div class="card"><div class="card-label">{escape(label)}</div>'
        f'<div class="card-value">{escape(value)}<span class="card-unit"> {escape(unit)}</span></div></div>'
        for label, value, unit in cards
    )
    return f'<header>\n<h1>Class report</h1>\n<div class="cards" id="summary">{items}</div>\n</header>'


def _nav() -> str:
    links = [
        ("distribution", "Score distribution"),
        ("exercises", "Exercises"),
        ("checks", "Checks"),
        ("failures", "Common failures"),
        ("slowest", "Slowest"),
        ("timeouts", "Timed out"),
        ("students", "Students"),
    ]
    items = "".join(f'<a href="#{anchor}">{escape(text)}</a>' for anchor, text in links)
    return f"<nav>{items}</nav>"


def _distribution(results: list[SubmissionResult]) -> str:
    max_total = max((result.max_score for result in results), default=0)
    bins = _bins(max_total)
    counts = [sum(low <= result.score <= high for result in results) for low, high in bins]
    return _section("distribution", "Score distribution", _histogram(bins, counts))


def _bins(max_total: int) -> list[tuple[int, int]]:
    """Score ranges, inclusive, from 0 to ``max_total``: one point each unless that is too many."""
    width = max(1, math.ceil((max_total + 1) / MAX_BINS))
    return [(low, min(low + width - 1, max_total)) for low in range(0, max_total + 1, width)]


def _histogram(bins: list[tuple[int, int]], counts: list[int]) -> str:
    """An SVG bar chart, one ``rect.bar`` per bin (empty bins too, with no height)."""
    width, height = 1056, 300  # the page's content width: drawn at 1:1, text as large as the tables'
    left, right, top, bottom = 56, 8, 16, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    step = _tick_step(max(counts, default=0), 5)
    y_max = max(step, math.ceil(max(counts, default=0) / step) * step)
    slot = plot_w / len(bins)
    gap = min(2.0, slot * 0.15)
    opening = (
        f'<svg class="histogram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Histogram of total scores">'
    )
    parts = [opening]
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = _tick_step(len(bins), 10)
    for index, ((low, high), count) in enumerate(zip(bins, counts, strict=True)):
        bar_h = plot_h * count / y_max
        x = left + index * slot + gap / 2
        label = f"{low}" if low == high else f"{low}–{high}"
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot - gap:.1f}" '
            f'height="{bar_h:.1f}" data-score="{escape(label)}" data-count="{count}">'
            f"<title>{escape(label)} points: {_plural(count, 'student')}</title></rect>"
        )
        if index % label_every == 0 or index == len(bins) - 1:
            center = left + (index + 0.5) * slot
            parts.append(
                f'<text class="tick" x="{center:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{low}</text>'
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
        f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>'
        f'<text class="axis-label" x="{left + plot_w / 2:.1f}" y="{height - 10}" text-anchor="middle">'
        "Total score (points)</text>"
        f'<text class="axis-label" transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">Students</text></svg>'
    )
    return "".join(parts)


def _tick_step(largest: int, most: int) -> int:
    """A round step (1, 2, 5, 10, 20, ...) that gives at most ``most`` ticks up to ``largest``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if largest / (factor * magnitude) <= most:
                return factor * magnitude
        magnitude *= 10


def _exercise_table(exercises: list[ExerciseInfo]) -> str:
    rows = []
    for info in exercises:
        graded = len(info.results)
        full = sum(result.full_marks for result in info.results)
        mean = statistics.mean(result.score for result in info.results) if graded else 0.0
        rows.append(
            f'<tr><td class="id">{escape(info.id)}</td><td>{escape(info.title)}</td>'
            f'<td class="num">{full}&#8239;/&#8239;{graded}</td><td>{_meter(full, graded)}</td>'
            f'<td class="num">{_number(mean)}&#8239;/&#8239;{info.max_score}</td>'
            f"<td>{_meter(mean, info.max_score)}</td></tr>"
        )
    head = (
        '<tr><th>Exercise</th><th>Title</th><th class="num">Full marks</th><th>Pass rate</th>'
        '<th class="num">Mean score</th><th>Share of points</th></tr>'
    )
    note = '<p class="note">Pass rate: the share of students with full marks on the exercise.</p>'
    return _section("exercises", "Exercises", note + _table(head, rows, "exercise-table"))


def _check_table(exercises: list[ExerciseInfo]) -> str:
    rows = []
    for info in exercises:
        for check in info.checks.values():
            passed = check.statuses[Status.PASSED]
            counts = "".join(
                f'<td class="num status-{status.value}{" zero" if not check.statuses[status] else ""}">'
                f"{check.statuses[status]}</td>"
                for status in NOT_PASSED
            )
            rows.append(
                f'<tr><td class="id">{escape(info.id)}</td><td>{escape(check.title)}</td>'
                f'<td class="num">{passed}&#8239;/&#8239;{check.attempts}</td>'
                f"<td>{_meter(passed, check.attempts)}</td>{counts}</tr>"
            )
    status_heads = "".join(f'<th class="num">{escape(STATUS_LABELS[status])}</th>' for status in NOT_PASSED)
    head = f'<tr><th>Exercise</th><th>Check</th><th class="num">Passed</th><th>Pass rate</th>{status_heads}</tr>'
    return _section("checks", "Checks", _table(head, rows, "check-table"))


def _common_failures(results: list[SubmissionResult]) -> str:
    groups: Counter[tuple[str, str, str]] = Counter()
    hints: dict[tuple[str, str, str], str] = {}
    for exercise, check in _failed_checks(results):
        key = (
            exercise.exercise,
            check.title,
            _first_line(check.message) or f"({STATUS_LABELS[check.status].lower()})",
        )
        groups[key] += 1
        hints[key] = hints.get(key) or check.hint
    top = sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:TOP]
    rows = []
    for key, count in top:
        exercise_id, title, message = key
        rows.append(
            f'<tr><td class="num">{count}</td><td class="id">{escape(exercise_id)}</td><td>{escape(title)}</td>'
            f'<td class="message">{escape(message)}</td><td class="hint">{escape(hints[key])}</td></tr>'
        )
    head = '<tr><th class="num">Count</th><th>Exercise</th><th>Check</th><th>Message</th><th>Hint</th></tr>'
    body = _table(head, rows, "failure-table") if rows else '<p class="empty">No check failed.</p>'
    return _section("failures", f"Most common failures (top {TOP})", body)


def _failed_checks(results: list[SubmissionResult]) -> Iterable[tuple[ExerciseResult, CheckResult]]:
    for result in results:
        for exercise in result.exercises:
            for check in exercise.checks:
                if check.status is not Status.PASSED:
                    yield exercise, check


def _slowest(results: list[SubmissionResult]) -> str:
    ranked = sorted(results, key=lambda result: (-_duration(result), _sort_key(result)))[:TOP]
    rows = []
    for result in ranked:
        slowest = max(result.exercises, key=lambda exercise: exercise.duration, default=None)
        detail = f"{slowest.exercise}, {slowest.duration:.1f} s" if slowest else "–"
        rows.append(
            f'<tr><td>{_student_link(result)}</td><td class="num">{_duration(result):.1f} s</td>'
            f'<td class="num">{result.score}&#8239;/&#8239;{result.max_score}</td>'
            f"<td>{escape(detail)}</td></tr>"
        )
    head = '<tr><th>Student</th><th class="num">Total time</th><th class="num">Score</th><th>Slowest exercise</th></tr>'
    body = _table(head, rows, "slowest-table") if rows else '<p class="empty">No submissions.</p>'
    return _section("slowest", f"Slowest submissions (top {TOP})", body)


def _timed_out(results: list[SubmissionResult]) -> str:
    rows = []
    for result in results:
        reasons = _timeout_reasons(result)
        if reasons:
            items = "".join(f"<li>{escape(reason)}</li>" for reason in reasons)
            rows.append(
                f'<tr><td>{_student_link(result)}</td><td class="num">{_duration(result):.1f} s</td>'
                f'<td><ul class="reasons">{items}</ul></td></tr>'
            )
    head = '<tr><th>Student</th><th class="num">Total time</th><th>What ran out of time or hit a limit</th></tr>'
    body = _table(head, rows, "timeout-table") if rows else '<p class="empty">No submission timed out.</p>'
    return _section("timeouts", f"Timed-out submissions ({len(rows)})", body)


def _student_table(results: list[SubmissionResult], exercises: list[ExerciseInfo]) -> str:
    rows = []
    for result in results:
        scores = {exercise.exercise: exercise for exercise in result.exercises}
        cells = "".join(_score_cell(scores.get(info.id)) for info in exercises)
        late = '<span class="badge late">late</span>' if result.late else ""
        notes = escape("\n".join(result.notes))
        notes_cell = (
            f'<td class="num" title="{notes}">{len(result.notes)}</td>'
            if result.notes
            else '<td class="num zero">0</td>'
        )
        total_class = "full" if result.full_marks else ""
        rows.append(
            f"<tr><td>{_student_link(result)}</td>{cells}"
            f'<td class="num total {total_class}">{result.score}&#8239;/&#8239;{result.max_score}</td>'
            f"<td>{late}</td>{notes_cell}</tr>"
        )
    exercise_heads = "".join(
        f'<th class="num" title="{escape(info.title)}">{escape(info.id)}<br>'
        f'<span class="max">/&#8239;{info.max_score}</span></th>'
        for info in exercises
    )
    head = f'<tr><th>Student</th>{exercise_heads}<th class="num">Total</th><th>Late</th><th class="num">Notes</th></tr>'
    note = '<p class="note">Sorted by name. Each name links to the student\'s feedback.</p>'
    return _section("students", f"All students ({len(results)})", note + _table(head, rows, "student-table"))


# --- small pieces ---------------------------------------------------------------------------


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}">\n<h2>{escape(title)}</h2>\n{body}\n</section>'


def _table(head: str, rows: list[str], css_class: str) -> str:
    body = "\n".join(rows)
    table = f'<table class="{css_class}">\n<thead>{head}</thead>\n<tbody>\n{body}\n</tbody>\n</table>'
    return f'<div class="table-wrap">{table}</div>'


def _student_link(result: SubmissionResult) -> str:
    return f'<a class="student" href="{escape(result.slug)}/feedback.md">{escape(_name(result))}</a>'


def _score_cell(exercise: ExerciseResult | None) -> str:
    if exercise is None:
        return '<td class="num missing" title="not graded">–</td>'
    css = "full" if exercise.full_marks else "zero-score" if exercise.score == 0 else ""
    return f'<td class="num {css}">{exercise.score}</td>'


def _meter(part: float, whole: float) -> str:
    """A small horizontal bar and the percentage it shows."""
    return (
        f'<span class="meter" aria-hidden="true"><span style="width:{_percent(part, whole):.1f}%"></span></span>'
        f'<span class="pct">{_percent(part, whole):.0f}%</span>'
    )


def _percent(part: float, whole: float) -> float:
    return 100 * part / whole if whole else 0.0


def _number(value: float) -> str:
    return f"{value:.1f}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


CSS = """
:root {
  --text: #1f2933; --muted: #616e7c; --faint: #9aa5b1; --line: #e4e7eb; --bg: #ffffff;
  --panel: #f5f7fa; --accent: #3e6b8a; --accent-soft: #d9e4ec; --good: #2f6f4f; --bad: #9b2c2c;
  --warn-bg: #fdf3e1; --warn: #8a5a00;
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body {
  margin: 0; color: var(--text); background: var(--bg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "DejaVu Sans", sans-serif;
}
main { max-width: 1120px; margin: 0 auto; padding: 32px 32px 16px; }
footer { max-width: 1120px; margin: 0 auto; padding: 8px 32px 32px; color: var(--faint); font-size: 12px; }
h1 { font-size: 26px; font-weight: 600; margin: 0 0 16px; letter-spacing: -0.01em; }
h2 {
  font-size: 17px; font-weight: 600; margin: 0 0 12px; padding-bottom: 6px;
  border-bottom: 1px solid var(--line);
}
section { margin: 32px 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card-value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card-unit { font-size: 13px; font-weight: 400; color: var(--muted); }
nav {
  display: flex; flex-wrap: wrap; gap: 4px 18px; margin-top: 20px; padding: 10px 0;
  border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); font-size: 13px;
}
.note, .empty { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
.histogram { display: block; max-width: 100%; height: auto; }
.histogram .bar { fill: var(--accent); }
.histogram .grid { stroke: var(--line); stroke-width: 1; }
.histogram .axis { stroke: var(--muted); stroke-width: 1; }
.histogram .tick { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
.histogram .axis-label { fill: var(--text); font-size: 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
th {
  font-size: 12px; font-weight: 600; color: var(--muted); background: var(--panel);
  border-bottom: 1px solid #cbd2d9; white-space: nowrap; vertical-align: bottom;
}
tbody tr:nth-child(even) td { background: #fafbfc; }
tbody tr:hover td { background: #eef2f6; }
.num { text-align: right; white-space: nowrap; }
.id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: 13px; white-space: nowrap; }
.zero { color: var(--faint); }
.full { color: var(--good); font-weight: 600; }
.zero-score { color: var(--bad); }
.missing { color: var(--faint); }
.total { font-weight: 600; }
.max { font-weight: 400; color: var(--faint); }
.status-failed:not(.zero), .status-error:not(.zero) { color: var(--bad); }
.status-timeout:not(.zero) { color: var(--warn); }
.meter {
  display: inline-block; width: 120px; height: 8px; margin-right: 4px; vertical-align: middle;
  background: var(--accent-soft); border-radius: 4px; overflow: hidden;
}
.meter > span { display: block; height: 100%; background: var(--accent); }
.pct { display: inline-block; min-width: 2.6em; text-align: right; color: var(--muted); font-size: 13px; }
.message { max-width: 360px; }
.hint { color: var(--muted); max-width: 320px; }
.reasons { margin: 0; padding-left: 18px; }
.badge {
  display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11px; font-weight: 600;
  line-height: 18px; text-transform: uppercase; letter-spacing: 0.04em;
}
.badge.late { background: var(--warn-bg); color: var(--warn); border: 1px solid #f0d9a8; }
@media print { nav { display: none; } tbody tr:hover td { background: none; } }
"""
