"""grade batch into nbgrader's gradebook and an LMS import, and grade gradebook from its results:
``nbgrader export`` gives gradebook.csv's totals, and a rerun updates instead of adding."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import KIT

from grader.exercises import EXERCISES

ROSTERS = KIT / "tests" / "lms" / "rosters"
CLASS = {  # student folder -> files handed in
    # as Moodle names a folder; 1001 is her Canvas ID too
    "Ada Lovelace_1001_assignsubmission_file_": ["solutions/ex01_spawn.py", "solutions/ex02_many_processes.py"],
    "turingalan_1003": ["tests/judge/cases/wrong/ex01-thread/ex01_spawn.py"],
    "nobody_2000": ["tests/judge/cases/wrong/ex02-drops-args/ex02_many_processes.py"],
}


def grade(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, timeout=600)


def rows(path: Path, key: str) -> dict[str, dict[str, str]]:
    return {row[key]: row for row in csv.DictReader(io.StringIO(path.read_text()))}


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"select count(*) from {table}").fetchone()[0])


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("gradebooks")
    for name, files in CLASS.items():
        (root / "class" / name).mkdir(parents=True)
        for file in files:
            shutil.copy(KIT / file, root / "class" / name)
    database = root / "gradebook.db"
    args = [
        "batch", str(root / "class"), "--out", str(root / "out"), "--exercises", "ex01,ex02", "--start-method",
        "fork", "-j", "2", "--nbgrader-db", f"sqlite:///{database}", "--assignment", "mp", "--gradebook", "canvas",
        "--roster", str(ROSTERS / "canvas-export.csv"),
    ]  # fmt: skip
    first = grade(*args)
    assert first.returncode == 0, first.stderr
    counts = {table: count(database, table) for table in ("student", "grade", "submitted_assignment")}
    again = grade(*args)
    assert again.returncode == 0 and "0 files graded" in again.stdout, again.stderr
    return {"root": root, "database": database, "out": root / "out", "first": first, "counts": counts}


def nbgrader_export(batch: dict[str, Any]) -> dict[str, dict[str, str]]:
    exported = batch["root"] / "export.csv"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        ["nbgrader", "export", f"--CourseDirectory.db_url=sqlite:///{batch['database']}",
         f"--CsvExportPlugin.to={exported}"],
        cwd=batch["root"], env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return rows(exported, "student_id")


def test_nbgrader_export_equals_the_gradebook(batch: dict[str, Any]) -> None:
    exported, gradebook = nbgrader_export(batch), rows(batch["out"] / "gradebook.csv", "student")
    assert set(exported) == set(gradebook) == {"Ada Lovelace_1001", "turingalan_1003", "nobody_2000"}
    for student, row in gradebook.items():
        assert float(exported[student]["score"]) == float(row["total"])
        assert float(exported[student]["max_score"]) == float(row["max_total"])
        assert exported[student]["assignment"] == "mp"


def test_a_rerun_updates_and_does_not_duplicate(batch: dict[str, Any]) -> None:
    counts = {table: count(batch["database"], table) for table in batch["counts"]}
    assert counts == batch["counts"] and counts["student"] == len(CLASS)
    checks = sum(len(EXERCISES[exercise].checks()) for exercise in ("ex01", "ex02"))
    assert counts["grade"] == len(CLASS) * checks  # a grade cell per check, per student


def test_the_canvas_import_and_its_unmatched_students(batch: dict[str, Any]) -> None:
    table = list(csv.reader(io.StringIO((batch["out"] / "canvas-gradebook.csv").read_text())))
    assert (
        table[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and table[1][0] == "Points Possible"
    )
    by_id = {row[1]: row for row in table[2:]}
    assert by_id["1001"][0] == "Lovelace, Ada" and by_id["1001"][5:] == ["10", "10"]
    assert by_id["1002"][5:] == ["", ""]  # in the roster, handed in nothing
    assert "nobody_2000: not in the roster" in (batch["out"] / "canvas-unmatched.txt").read_text()
    assert "students need a look before the import" in batch["first"].stderr


def test_grade_gradebook_renders_again_from_the_results(batch: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    done = grade("gradebook", str(out), "--format", "moodle", "--roster", str(ROSTERS / "moodle-export.csv"),
                 "--missing", "zero")  # fmt: skip
    assert done.returncode == 0, done.stderr
    moodle = rows(out / "moodle-grades.csv", "Email address")
    assert moodle["ada@uni.example"]["ex01 Run a function in a new process"] == "10"
    assert moodle["grace@uni.example"]["ex02 Run many processes at the same time"] == "0"  # --missing zero
    canvas = out / "canvas-gradebook.csv"
    canvas.unlink()
    assert (
        grade("gradebook", str(out), "--format", "canvas", "--roster", str(ROSTERS / "canvas-export.csv")).returncode
        == 0
    )
    assert canvas.read_bytes() == (batch["out"] / "canvas-gradebook.csv").read_bytes()
