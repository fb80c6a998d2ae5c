"""The layouts teachers download: per-student folders, a zip of them, a flat Canvas folder."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from grader.batch.layouts import read_class
from grader.errors import UsageError


def write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folders_per_student_find_files_at_any_depth(tmp_path: Path) -> None:
    src = tmp_path / "class"
    write(src / "ann-clone" / "exercises" / "ex01_spawn.py")
    write(src / "ann-clone" / "solutions" / "ex01_spawn.py")  # an exercises/ folder wins
    write(src / "ann-clone" / ".git" / "ex02_many_processes.py")  # hidden folders are not looked in
    write(src / "Bo Li_4242_assignsubmission_file_" / "ex03_shared_counter.py")
    write(src / "Bo Li_4242_assignsubmission_file_" / "my_notes.py")
    klass = read_class(src, tmp_path / "scratch")
    ann, bo = klass.students
    assert ann.student == "ann-clone" and ann.files == {"ex01": src / "ann-clone" / "exercises" / "ex01_spawn.py"}
    assert bo.student == "Bo Li_4242" and set(bo.files) == {"ex03"}
    assert bo.notes == (
        "my_notes.py: the name matches no exercise (ex01_spawn.py, ex02_many_processes.py, "
        "ex03_shared_counter.py, ex04_pool_map.py, ex05_queue_sentinel.py)",
    )


def test_a_zip_of_the_class_and_zips_inside_a_student_folder(tmp_path: Path) -> None:
    nested = tmp_path / "work.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        archive.writestr("exercises/ex04_pool_map.py", "x = 4\n")
    whole = tmp_path / "class.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("download/cy/ex05_queue_sentinel.py", "x = 5\n")
        archive.write(nested, "download/cy/work.zip")
        archive.writestr("download/dee/broken.zip", b"not a zip at all")
    klass = read_class(whole, tmp_path / "scratch")
    cy, dee = klass.students
    assert set(cy.files) == {"ex04", "ex05"} and cy.files["ex04"].read_text() == "x = 4\n"
    assert dee.files == {} and "broken.zip: cannot be unpacked" in dee.notes[0]


def test_a_zip_that_escapes_its_folder_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../outside.py", "x = 1\n")
    with pytest.raises(UsageError, match="points outside the archive"):
        read_class(evil, tmp_path / "scratch")
    assert not (tmp_path / "outside.py").exists()


def test_not_a_zip_and_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read it as a zip file"):
        read_class(write(tmp_path / "class.zip", "garbage"), tmp_path / "scratch")
    with pytest.raises(UsageError, match="no such folder"):
        read_class(tmp_path / "missing", tmp_path / "scratch")


def test_canvas_groups_per_student_keeps_the_latest_and_flags_late(tmp_path: Path) -> None:
    src = tmp_path / "canvas"
    write(src / "lovelaceada_101_5001_ex01_spawn.py", "first = 1\n")
    write(src / "lovelaceada_101_5001_ex01_spawn-1.py", "reupload = 1\n")
    write(src / "lovelaceada_LATE_101_5009_ex02_many_processes.py")
    write(src / "turingalan_102_5002_ex01_spawn-2.py", "second = 1\n")
    write(src / "turingalan_102_5002_ex01_spawn-1.py", "first = 1\n")
    write(src / "turingalan_102_5002_homework.py")
    write(src / "README.txt")
    klass = read_class(src, tmp_path / "scratch")
    ada, alan = klass.students
    assert ada.student == "lovelaceada_101" and ada.late
    assert ada.files["ex01"].read_text() == "reupload = 1\n" and set(ada.files) == {"ex01", "ex02"}
    assert not alan.late and alan.files["ex01"].read_text() == "second = 1\n"
    assert alan.notes == ("homework.py: the name matches no exercise",)
    assert klass.notes == ("README.txt: not in Canvas's naming, so it belongs to no student",)


def test_names_that_would_share_a_results_folder_are_told_apart(tmp_path: Path) -> None:
    write(tmp_path / "c" / "Ann Lee" / "ex01_spawn.py")
    write(tmp_path / "c" / "Ann_Lee" / "ex01_spawn.py")
    names = [student.student for student in read_class(tmp_path / "c", tmp_path / "s").students]
    assert names == ["Ann Lee", "Ann_Lee (2)"]
