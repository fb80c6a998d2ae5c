"""The Markdown table of a run: pure rendering of ``Results``, no measuring."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import stats
from .model import ClassRun, Results, Single, Spread

TARGETS = ("ex01", "ex02", "ex03", "ex04", "ex05", "all")
METHODS = ("fork", "spawn", "forkserver", "all")
LEVELS = ("namespaces", "uid", "process")
WAYS = ("grade -j 1", "grade -j 2", "pytest loop", "nbgrader autograde")
DASH = "–"


def seconds(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def spread_cell(value: Spread | None, unit: str = " s") -> str:
    """``median (min–max)``."""
    if value is None:
        return "n/a"
    if value.runs == 1:
        return f"{seconds(value.median)}{unit}"
    return f"{seconds(value.median)}{unit} ({seconds(value.minimum)}{DASH}{seconds(value.maximum)})"


def ratio_cell(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def find(singles: Sequence[Single], **wanted: str) -> Single | None:
    for single in singles:
        if all(getattr(single, key) == value for key, value in wanted.items()):
            return single
    return None


def median_ratio(a: Single | None, b: Single | None) -> float | None:
    if a is None or b is None or a.wall is None or b.wall is None or b.wall.median <= 0:
        return None
    return a.wall.median / b.wall.median


def wall_of(single: Single | None) -> str:
    if single is None:
        return "not run"
    if single.unavailable:
        return "unavailable*"
    return spread_cell(single.wall)


def per_exercise(results: Results) -> str:
    """New against old on each exercise and on all, under every start method."""
    rows = []
    for target in TARGETS:
        row = [f"`{target}`"]
        for submission in ("solutions", "stubs"):
            new = find(
                results.singles, grader="new", python="kit", target=target, submission=submission, start_method="all"
            )
            old = find(
                results.singles, grader="old", python="kit", target=target, submission=submission, start_method="all"
            )
            row += [wall_of(new), wall_of(old), ratio_cell(median_ratio(new, old))]
        rows.append(row)
    header = ["target", "new: reference", "old: reference", "new / old", "new: stubs", "old: stubs", "new / old"]
    return table(header, rows)


def per_method(results: Results, submission: str) -> str:
    rows = []
    for target in TARGETS:
        row = [f"`{target}`"]
        for method in METHODS:
            for grader in ("new", "old"):
                wanted = {"target": target, "submission": submission, "start_method": method}
                found = find(results.singles, grader=grader, python="kit", **wanted)
                row.append(wall_of(found))
        rows.append(row)
    header = ["target", *(f"{method} {grader}" for method in METHODS for grader in ("new", "old"))]
    return table(header, rows)


def per_level(results: Results) -> str:
    """The new kit at each level against the old one, both in a venv of the system Python."""
    rows = []
    reasons: dict[str, str] = {}
    for target in TARGETS:
        row = [f"`{target}`"]
        for submission in ("solutions", "stubs"):
            old = find(results.singles, grader="old", python="system", target=target, submission=submission)
            row.append(wall_of(old))
            for level in LEVELS:
                wanted = {"target": target, "submission": submission, "isolation": level}
                found = find(results.singles, grader="new", python="system", **wanted)
                if found is not None and found.unavailable:
                    reasons[level] = found.unavailable
                ratio = median_ratio(found, old)
                row.append(wall_of(found) + ("" if ratio is None else f", {ratio_cell(ratio)}"))
        rows.append(row)
    header = ["target"]
    for submission in ("reference", "stubs"):
        header += [f"old: {submission}", *(f"{level}: {submission}, new / old" for level in LEVELS)]
    text = table(header, rows)
    for level, reason in reasons.items():
        text += f"\n\\* `--isolation {level}`: {reason}\n"
    return text


def overhead(results: Results) -> str:
    rows = []
    for target in TARGETS:
        row = [f"`{target}`"]
        for grader in ("new", "old"):
            found = find(
                results.singles, grader=grader, python="kit", target=target, submission="solutions", start_method="all"
            )
            if found is None or found.wall is None:
                row += ["n/a"] * 3
                continue
            row += [spread_cell(found.wall), spread_cell(found.in_checks), spread_cell(found.overhead, "×")]
        rows.append(row)
    header = ["target", "new: wall", "new: in checks", "new: overhead", "old: wall", "old: in checks", "old: overhead"]
    return table(header, rows)


def sizes_of(runs: Sequence[ClassRun]) -> list[int]:
    return sorted({run.size for run in runs})


def class_table(runs: Sequence[ClassRun], cores: int | None) -> str:
    rows = []
    for size in sizes_of(runs):
        at = {run.way: run for run in runs if run.size == size}
        files = next(iter(at.values())).files
        row = [str(size), str(files)]
        for way in WAYS:
            run = at.get(way)
            row.append(f"{seconds(run.wall)} s ({run.files_per_minute:.0f}/min)" if run else "not run")
        for way in ("grade -j 1", "grade -j 2"):
            busy = at[way].cores_busy if way in at else None
            row.append("n/a" if busy is None else f"{busy:.2f}")
        row.append(ratio_cell(stats.ratio(runs, size, "grade -j 1", "grade -j 2")))
        row.append(ratio_cell(stats.speed_up_ceiling(runs, size, cores) if cores else None))
        rows.append(row)
    header = [
        "students", "files", *(f"{way} (files/min)" for way in WAYS), "cores busy at -j 1", "cores busy at -j 2",
        "speed-up -j 1 → -j 2", "most it could be (cores / cores busy at -j 1)",
    ]  # fmt: skip
    return table(header, rows)


def baseline_table(runs: Sequence[ClassRun]) -> str:
    rows = []
    for size in sizes_of(runs):
        at = {run.way: run for run in runs if run.size == size}
        loop = at.get("pytest loop")
        row = [str(size)]
        for slower in ("pytest loop", "nbgrader autograde"):
            for faster in ("grade -j 1", "grade -j 2"):
                row.append(ratio_cell(stats.ratio(runs, size, slower, faster)))
        row.append(str(loop.leftover_processes) if loop and loop.leftover_processes is not None else "n/a")
        row.append(str(loop.backstop_kills) if loop and loop.backstop_kills is not None else "n/a")
        rows.append(row)
    header = [
        "students", "pytest loop / -j 1", "pytest loop / -j 2", "nbgrader / -j 1", "nbgrader / -j 2",
        "processes the pytest loop left behind", "pytest runs that never ended (killed at the backstop)",
    ]  # fmt: skip
    return table(header, rows)


def fit_table(results: Results) -> str:
    rows = [
        [
            fit.way,
            ", ".join(map(str, fit.sizes)),
            f"{fit.intercept:.1f} s",
            f"{fit.slope:.2f} s",
            f"{fit.r_squared:.4f}",
            f"{fit.exponent:.2f}",
            "yes" if fit.linear else "no",
        ]  # fmt: skip
        for fit in results.fits
    ]
    header = ["way", "class sizes", "intercept", "per student", "R²", "exponent", "linear"]
    return table(header, rows)


def leftover_table(results: Results) -> str:
    ordered = sorted(results.leftovers.items(), key=lambda item: (-item[1], item[0]))
    return table(["student's files", "processes left behind"], [[f"`{case}`", str(n)] for case, n in ordered])


def render(results: Results, command: str) -> str:
    machine = results.machine
    parts = [f"# mpgrade benchmark{' (quick)' if results.quick else ''}\n"]
    parts.append(f"`{command}`")
    if machine is not None:
        load = ", ".join(f"{x:.2f}" for x in machine.load_before)
        after = ", ".join(f"{x:.2f}" for x in machine.load_after)
        parts.append(
            f"on {machine.started}, {machine.cores} cores, load average {load} before and {after} after "
            f"(1, 5, 15 min); took {machine.seconds / 60:.0f} min. New kit: {machine.kit_commit}, "
            f"Python {machine.kit_python}; old kit: {machine.baseline_commit}; system Python "
            f"{machine.system_python}. Times are wall-clock seconds, the median of {results.repeat} runs "
            f"(min{DASH}max in brackets)."
        )
    cores = machine.cores if machine else None
    sections: list[tuple[str, Callable[[], str], bool]] = [
        ("`grade` per exercise, new against old (every start method, strongest isolation)",
         lambda: per_exercise(results), bool(results.singles)),
        ("Per start method: reference solutions", lambda: per_method(results, "solutions"), bool(results.singles)),
        ("Per start method: untouched stubs", lambda: per_method(results, "stubs"), bool(results.singles)),
        ("Per isolation level, new against old (both kits in a venv of the system Python, every start method)",
         lambda: per_level(results), bool(results.singles)),
        ("Overhead: wall time over time in checks (reference solutions)", lambda: overhead(results),
         bool(results.singles)),
        ("A class, graded four ways", lambda: class_table(results.classes, cores), bool(results.classes)),
        ("Against the baselines", lambda: baseline_table(results.classes), bool(results.classes)),
        ("Does time grow linearly with the class?", lambda: fit_table(results), bool(results.fits)),
        ("What the pytest loop left running, by student (largest class)", lambda: leftover_table(results),
         bool(results.leftovers)),
    ]  # fmt: skip
    for title, body, shown in sections:
        if shown:
            parts.append(f"## {title}\n\n{body()}")
    if results.notes:
        parts.append("## Notes\n\n" + "\n".join(f"- {note}" for note in results.notes) + "\n")
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"
