"""Stage 1: find the submission's files and check that each one can be run at all.

Nothing here executes student code: a file is read and compiled, which is enough to report a
missing file, bytes that are not text, or a syntax error with its line, without a sandbox.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from grader import reach
from grader.errors import UsageError
from grader.exercises import EXERCISES, Exercise
from grader.models import Location, Submission


def submission_folder(submission: Path | None, cwd: Path, chosen: list[Exercise], scratch: Path) -> Path:
    """The folder that holds the exercise files: ``--submission`` (a folder, a ``.zip``, or one
    file), or the course's ``exercises/``. A zip or a file is put in ``scratch`` first."""
    if submission is None:
        return course_root(cwd) / "exercises"
    if submission.is_file() and submission.suffix == ".zip":
        return _from_zip(submission, scratch)
    if submission.is_file():
        return _from_file(submission, chosen, scratch)
    if not submission.is_dir():
        raise UsageError(f"--submission {submission}: no such folder, .zip or file")
    nested = submission / "exercises"
    # a link could lead anywhere on the grading machine (the course's solutions/): never followed
    if not _holds_exercises(submission) and not nested.is_symlink() and _holds_exercises(nested):
        return nested
    return submission


def _from_zip(archive: Path, scratch: Path) -> Path:
    """The exercise files of a zip, found by name at any depth (as ``grade batch`` finds them)."""
    from grader.batch import layouts

    unpacked = scratch / "unzipped"
    try:
        layouts.unpack(archive, unpacked)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UsageError(f"--submission {archive}: cannot read it as a zip file ({error})") from None
    found = layouts.read_student_folder(unpacked, scratch / "nested")
    folder = scratch / "submission"
    folder.mkdir()
    for exercise, path in found.files.items():
        (folder / EXERCISES[exercise].filename).write_bytes(read_file(path))
    return folder


def _from_file(file: Path, chosen: list[Exercise], scratch: Path) -> Path:
    """One file: graded as the exercise its name says, or as the one exercise asked for."""
    named = [exercise for exercise in EXERCISES.values() if exercise.filename == file.name]
    if named:
        return file.parent
    if len(chosen) != 1:
        names = ", ".join(exercise.filename for exercise in EXERCISES.values())
        raise UsageError(
            f"--submission {file}: its name is not an exercise's ({names}): "
            "name the one exercise to grade it as, e.g. `grade ex03 --submission FILE`"
        )
    folder = scratch / "submission"
    folder.mkdir()
    try:
        (folder / chosen[0].filename).write_bytes(read_file(file))
    except OSError as error:
        raise UsageError(f"--submission {file}: cannot be read ({error})") from None
    return folder


def course_root(cwd: Path) -> Path:
    """The course repository holding ``cwd``: the nearest folder with an ``exercises/`` folder."""
    for folder in (cwd, *cwd.parents):
        if _holds_exercises(folder / "exercises"):
            return folder
    raise UsageError(
        f"no exercises/ folder in {cwd} or above it: run grade inside your copy of the course, "
        "or name the folder with --submission DIR"
    )


def _holds_exercises(folder: Path) -> bool:
    return any((folder / exercise.filename).is_file() for exercise in EXERCISES.values())


def find(exercise: Exercise, folder: Path) -> Submission:
    """The exercise's file in ``folder``, with the reason it cannot be run, if there is one."""
    return inspect(exercise, folder / exercise.filename)


def inspect(exercise: Exercise, path: Path) -> Submission:
    """``path`` as the exercise's file (its own name may differ, as in an LMS download)."""
    folder = path.parent
    if not path.exists() and not path.is_symlink():
        linked = " (its exercises/ is a symbolic link, which the grader does not follow)"
        why = linked if (folder / "exercises").is_symlink() else ""
        return Submission(exercise.id, path, f"{exercise.filename} was not found in {folder}{why}.")
    try:
        raw = read_file(path)
    except OSError as error:
        return Submission(exercise.id, path, f"{exercise.filename} could not be read: {error.strerror or error}.")
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Submission(
            exercise.id,
            path,
            f"{exercise.filename} {NOT_TEXT} (line {line}, byte {error.start}): save it as UTF-8.",
            Location(exercise.filename, line),
        )
    try:
        compile(source, exercise.filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        line = error.lineno or 0
        text = (error.text or "").rstrip("\n")
        column = max(0, (error.offset or 0) - (len(text) - len(text.lstrip())))
        return Submission(
            exercise.id,
            path,
            f"{exercise.filename}:{line}: syntax error: {error.msg}.",
            Location(exercise.filename, line, text.strip(), column),
        )
    except ValueError as error:  # e.g. NUL bytes
        return Submission(exercise.id, path, f"{exercise.filename} cannot be compiled: {error}.")
    except (RecursionError, MemoryError):  # red team, round 14: 4,000 nested `not`
        return Submission(exercise.id, path, f"{exercise.filename} {TOO_DEEP}")
    try:
        found = reach.find(source)
    except (RecursionError, MemoryError):
        return Submission(exercise.id, path, f"{exercise.filename} {TOO_DEEP}")
    if found is not None:
        code = source.splitlines()[found.line - 1].strip() if found.line else ""
        location = Location(exercise.filename, found.line, code)
        return Submission(exercise.id, path, reach.explain(found, exercise.filename), location)
    return Submission(exercise.id, path, source=raw)


MAX_SIZE = 1024 * 1024  # bytes: far above any exercise file
TOO_DEEP = "is nested too deeply for Python to read (an expression of thousands of parts): write it more simply."
NOT_TEXT = "is not UTF-8 text"  #: in the problem of such a file: a batch also lists it in the student's notes


def read_file(path: Path) -> bytes:
    """The file's bytes, read once, safely: not through a link (which could point at another
    student's work), only from a regular file (a FIFO would block), and only so much."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        if path.is_symlink():
            raise OSError("it is a symbolic link: submit the file itself") from error
        raise
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("it is not a regular file")
        data = file.read(MAX_SIZE + 1)
    if len(data) > MAX_SIZE:
        raise OSError(f"it is larger than {MAX_SIZE // 1024} KB")
    return data
