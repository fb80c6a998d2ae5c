from __future__ import annotations

from pathlib import Path

import pytest

from grader import discover
from grader.errors import UsageError
from grader.exercises import EXERCISES

EX03 = EXERCISES["ex03"]


def test_finds_the_course_exercises_from_a_folder_below(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / EX03.filename).write_text("x = 1\n")
    below = tmp_path / "notes" / "week1"
    below.mkdir(parents=True)
    assert discover.submission_folder(None, below) == tmp_path / "exercises"


def test_outside_a_course_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no exercises/ folder"):
        discover.submission_folder(None, tmp_path)


def test_submission_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        discover.submission_folder(tmp_path / "nope", tmp_path)


def test_submission_folder_may_be_a_clone_of_the_course(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / EX03.filename).write_text("x = 1\n")
    assert discover.submission_folder(tmp_path, Path("/")) == tmp_path / "exercises"


def test_missing_file(tmp_path: Path) -> None:
    found = discover.find(EX03, tmp_path)
    assert found.problem == f"{EX03.filename} was not found in {tmp_path}."


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_text("def increment(counter, times)\n    pass\n")
    found = discover.find(EX03, tmp_path)
    assert "syntax error on line 1" in found.problem
    assert found.location is not None and (found.location.file, found.location.line) == (EX03.filename, 1)


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_bytes(b"x = '\xff'\n")
    assert "is not UTF-8 text (byte 5)" in discover.find(EX03, tmp_path).problem


def test_a_good_file_has_no_problem(tmp_path: Path) -> None:
    (tmp_path / EX03.filename).write_text("x = 1\n")
    assert discover.find(EX03, tmp_path).problem == ""
