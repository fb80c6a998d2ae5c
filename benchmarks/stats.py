"""Pure functions on measured numbers: spreads, time in checks, straight-line fits. No timing here."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from .model import ClassRun, Fit, Spread

LINEAR_R_SQUARED = 0.99  #: a fit at least this good, with an exponent within LINEAR_EXPONENT of 1, is linear
LINEAR_EXPONENT = 0.1


def spread(values: Sequence[float]) -> Spread:
    """Median, extremes and quartiles of repeated runs."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    median = statistics.median(ordered)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = median
    return Spread(len(ordered), median, ordered[0], ordered[-1], q1, q3, tuple(values))


def distinct_run_seconds(exercise: Mapping[str, Any], runs_of: Mapping[str, str]) -> float:
    """Seconds an exercise of ``grade --format json`` spent in its scenario runs, each counted once.

    A check's ``duration`` is the seconds of the scenario run it reads, summed over the start
    methods it ran under; several checks read the same run (``runs_of``: check name -> run name, from
    the grader's judge), so summing checks would count a run several times. Checks of one run
    have the same duration; the largest is taken. A check the mapping does not know is a run of its own.
    """
    by_run: dict[str, float] = {}
    for check in exercise["checks"]:
        run = runs_of.get(check["name"], f"check:{check['name']}")
        by_run[run] = max(by_run.get(run, 0.0), float(check.get("duration") or 0.0))
    return sum(by_run.values())


def summed_check_seconds(exercise: Mapping[str, Any]) -> float:
    """The old kit's time in checks: each check's pytest run (its fixtures with its first user)."""
    return sum(float(check.get("duration") or 0.0) for check in exercise["checks"])


def fit(way: str, points: Sequence[tuple[int, float]]) -> Fit:
    """Least squares of wall time on class size, and of log wall on log size (the exponent)."""
    if len({size for size, _ in points}) < 2:
        raise ValueError("a fit needs two class sizes")
    sizes = [float(size) for size, _ in points]
    walls = [wall for _, wall in points]
    slope, intercept = _line(sizes, walls)
    mean = statistics.fmean(walls)
    total = sum((wall - mean) ** 2 for wall in walls)
    residual = sum((wall - (intercept + slope * size)) ** 2 for size, wall in zip(sizes, walls, strict=True))
    r_squared = 1.0 - residual / total if total > 0 else 1.0
    exponent, _ = _line([math.log(size) for size in sizes], [math.log(wall) for wall in walls])
    linear = r_squared >= LINEAR_R_SQUARED and abs(exponent - 1.0) <= LINEAR_EXPONENT
    return Fit(way, tuple(int(size) for size in sizes), intercept, slope, r_squared, exponent, linear)


def _line(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Slope and intercept of the least-squares line through (xs, ys)."""
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread_x = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread_x
    return slope, mean_y - slope * mean_x


def fits(runs: Sequence[ClassRun]) -> list[Fit]:
    """A fit per way of grading that was timed on at least two class sizes."""
    found = []
    for way in dict.fromkeys(run.way for run in runs):
        points = [(run.size, run.wall) for run in runs if run.way == way]
        if len({size for size, _ in points}) >= 2:
            found.append(fit(way, points))
    return found


def ratio(runs: Sequence[ClassRun], size: int, slower: str, faster: str) -> float | None:
    """How many times longer ``slower`` took than ``faster`` on the class of ``size``; None if either is missing."""
    walls = {run.way: run.wall for run in runs if run.size == size}
    if slower not in walls or faster not in walls or walls[faster] <= 0:
        return None
    return walls[slower] / walls[faster]


def speed_up_ceiling(runs: Sequence[ClassRun], size: int, cores: int) -> float | None:
    """The most ``-j 2`` could gain over ``-j 1`` on the class of ``size``: work that kept ``c``
    cores busy at ``-j 1`` takes at least ``c / cores`` of that time with every core busy."""
    busy = next((run.cores_busy for run in runs if run.size == size and run.way == "grade -j 1"), None)
    return cores / busy if busy else None


def per_minute(count: int, seconds: float) -> float:
    return 60.0 * count / seconds if seconds > 0 else 0.0
