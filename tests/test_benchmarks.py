"""The benchmark's pure parts on fixed numbers: spreads, time in checks, fits, the table, the JSON.

The benchmark itself is run by hand (README: Benchmark); no test here measures or asserts a time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import KIT

if str(KIT) not in sys.path:  # the benchmarks package sits beside the kit's package, not inside it
    sys.path.insert(0, str(KIT))

from benchmarks import classes, measure, report, stats  # noqa: E402
from benchmarks.model import ClassRun, Machine, Results, Single, read_json, write_json  # noqa: E402


def test_spread_gives_median_extremes_and_quartiles() -> None:
    found = stats.spread([3.0, 1.0, 2.0, 5.0, 4.0])
    assert (found.runs, found.median, found.minimum, found.maximum) == (5, 3.0, 1.0, 5.0)
    assert (found.q1, found.q3) == (2.0, 4.0)
    assert found.values == (3.0, 1.0, 2.0, 5.0, 4.0)  # in the order measured
    one = stats.spread([7.0])
    assert (one.median, one.q1, one.q3, one.minimum, one.maximum) == (7.0, 7.0, 7.0, 7.0, 7.0)
    with pytest.raises(ValueError):
        stats.spread([])


def test_a_scenario_run_read_by_several_checks_counts_once() -> None:
    exercise = {
        "checks": [
            {"name": "runs_in_child", "duration": 0.3},
            {"name": "passes_args", "duration": 0.3},
            {"name": "exit_code", "duration": 0.2},
            {"name": "unknown_check", "duration": 0.1},  # not in the mapping: a run of its own
            {"name": "not_run", "duration": None},
        ]
    }
    runs_of = {"runs_in_child": "plain", "passes_args": "plain", "exit_code": "exits", "not_run": "later"}
    assert stats.distinct_run_seconds(exercise, runs_of) == pytest.approx(0.6)
    assert stats.summed_check_seconds(exercise) == pytest.approx(0.9)


def test_a_straight_line_is_linear_and_a_square_is_not() -> None:
    line = stats.fit("grade -j 1", [(25, 2 + 3 * 25), (50, 2 + 3 * 50), (100, 2 + 3 * 100), (200, 2 + 3 * 200)])
    assert line.slope == pytest.approx(3.0)
    assert line.intercept == pytest.approx(2.0)
    assert line.r_squared == pytest.approx(1.0)
    assert 0.95 < line.exponent < 1.0 and line.linear
    square = stats.fit("pytest loop", [(n, n * n / 10) for n in (25, 50, 100, 200)])
    assert square.exponent == pytest.approx(2.0)
    assert not square.linear
    with pytest.raises(ValueError):
        stats.fit("nbgrader autograde", [(25, 10.0), (25, 11.0)])


def class_runs() -> list[ClassRun]:
    return [
        ClassRun(25, 34, "grade -j 1", 100.0, 15.0, 20.4, cores_busy=1.25),
        ClassRun(25, 34, "grade -j 2", 55.0, 27.3, 37.1, cores_busy=1.9),
        ClassRun(25, 34, "pytest loop", 180.0, 8.3, 11.3, leftover_processes=412, backstop_kills=1),
        ClassRun(50, 67, "grade -j 1", 200.0, 15.0, 20.1),
        ClassRun(50, 67, "grade -j 2", 110.0, 27.3, 36.5),
    ]


def test_fits_only_for_ways_timed_on_two_sizes_and_ratios_per_size() -> None:
    runs = class_runs()
    assert [fit.way for fit in stats.fits(runs)] == ["grade -j 1", "grade -j 2"]
    assert stats.ratio(runs, 25, "grade -j 1", "grade -j 2") == pytest.approx(100 / 55)
    assert stats.ratio(runs, 25, "pytest loop", "grade -j 2") == pytest.approx(180 / 55)
    assert stats.ratio(runs, 50, "pytest loop", "grade -j 1") is None
    assert stats.per_minute(34, 100.0) == pytest.approx(20.4)
    assert stats.speed_up_ceiling(runs, 25, cores=2) == pytest.approx(2 / 1.25)  # -j 1 kept 1.25 cores busy
    assert stats.speed_up_ceiling(runs, 50, cores=2) is None  # not measured


def results() -> Results:
    spread = stats.spread([1.0, 1.2, 1.1])
    found = Results(quick=False, repeat=3)
    found.machine = Machine(2, (1.0, 1.5, 2.0), (1.2, 1.4, 1.9), "abc1234", "a715309", "3.11.7", "3.11.2", "now", 60.0)
    found.singles = [
        Single("new", "all", "solutions", "all", "namespaces", "kit", spread, stats.spread([0.8, 1.0, 0.9]),
               stats.spread([1.25, 1.2, 1.22]), "50/50"),
        Single("old", "all", "solutions", "all", "tree", "kit", stats.spread([2.0, 2.2, 2.4]), None, None, "50/50"),
        Single("new", "all", "solutions", "all", "uid", "system", None, None, None, "",
               "--isolation uid is not available here: it needs the grader to run as root"),
        Single("new", "all", "solutions", "all", "namespaces", "system", stats.spread([1.0, 1.1, 1.2]), None, None,
               "50/50"),
        Single("old", "all", "solutions", "all", "tree", "system", stats.spread([0.8, 0.9, 1.0]), None, None, "50/50"),
    ]  # fmt: skip
    found.classes = class_runs()
    found.fits = stats.fits(found.classes)
    found.leftovers = {"hostile/fork-bomb": 400, "wrong/ex01-no-join": 12}
    found.notes = ["a note"]
    return found


def test_the_table_has_every_section_and_the_ratios() -> None:
    text = report.render(results(), ".venv/bin/python -m benchmarks")
    assert "| `all` | 1.10 s (1.00–1.20) | 2.20 s (2.00–2.40) | 0.50× |" in text
    assert "1.22× (1.20–1.25)" in text  # the overhead, run by run
    assert "unavailable*" in text and "it needs the grader to run as root" in text
    # each level against the old kit on the same (system) Python, not the old kit's own: 1.1 / 0.9, not 1.1 / 2.2
    assert "| `all` | 0.90 s (0.80–1.00) | 1.10 s (1.00–1.20), 1.22× | unavailable* | not run |" in text
    assert (
        "| 25 | 34 | 100 s (20/min) | 55.0 s (37/min) | 180 s (11/min) | not run | 1.25 | 1.90 | 1.82× | 1.60× |"
        in text
    )
    assert "| 50 | 67 | 200 s (20/min) | 110 s (36/min) | not run | not run | n/a | n/a | 1.82× | n/a |" in text
    assert "| 25 | 1.80× | 3.27× | n/a | n/a | 412 | 1 |" in text
    assert "| `hostile/fork-bomb` | 400 |" in text
    assert "- a note" in text


def test_results_go_to_json_and_back(tmp_path: Path) -> None:
    written = results()
    write_json(written, tmp_path / "results.json")
    assert read_json(tmp_path / "results.json") == written


def test_a_smaller_class_is_the_start_of_a_larger_one_in_the_same_proportions() -> None:
    small, large = classes.generate(20), classes.generate(200)
    assert large[:20] == small
    kinds = [file.kind for student in large for file in student.files]
    assert kinds.count("hostile") < kinds.count("reference") < kinds.count("wrong")
    for student in large:
        exercises = [file.exercise for file in student.files]
        assert len(exercises) == len(set(exercises))  # two files of one student are two exercises
    left_out = {file.case for student in large for file in student.files} & {
        f"hostile/{name}" for name in classes.LEFT_OUT
    }
    assert not left_out


def test_the_pytest_loop_counts_its_backstop_and_not_a_submission_that_kills_pytest() -> None:
    assert measure.backstopped("ex01 137 120", 120.0)
    assert not measure.backstopped("ex01 137 3", 120.0)  # kills-grader: SIGKILL from the student's own child
    assert not measure.backstopped("ex01 1 130", 120.0)
    assert not measure.backstopped("garbage", 120.0)
