"""Read a class's submissions in the layouts teachers really download.

- a folder with one sub-folder per student (GitHub Classroom clones, Moodle downloads);
- a ``.zip`` of the same;
- a flat folder in Canvas's bulk-download naming, ``<name>_[LATE_]<id>_<submission>_<file>``,
  where a re-uploaded file gets ``-1``, ``-2`` before its extension.

Files are matched to exercises by name. What cannot be read is noted for the student it belongs
to (or for the class, when it belongs to no one); it never stops the run.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError
from grader.exercises import EXERCISES
from grader.models import slug

BY_FILENAME = {exercise.filename: exercise.id for exercise in EXERCISES.values()}
SKIPPED_DIRS = {"__pycache__", "__MACOSX", ".git", ".venv", "venv", "node_modules", ".ipynb_checkpoints"}
CANVAS = re.compile(r"^(?P<name>[^_]+)_(?P<late>LATE_)?(?P<id>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
REUPLOAD = re.compile(r"^(?P<stem>.+?)-(?P<copy>\d+)(?P<suffix>\.[^.]+)$")
MOODLE_SUFFIX = re.compile(r"_assignsubmission_\w+_?$")
MAX_UNZIPPED = 200 * 1024 * 1024  # bytes a zip may expand to: far above any class, far below a zip bomb


@dataclass(frozen=True)
class StudentFiles:
    """What one student handed in: a file per exercise, and what could not be read."""

    student: str
    files: dict[str, Path] = field(default_factory=dict)  #: exercise id -> file
    late: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Class:
    students: tuple[StudentFiles, ...]
    notes: tuple[str, ...] = ()  #: files that belong to no student


def read_class(source: Path, scratch: Path) -> Class:
    """Every student's files in ``source`` (a folder or a zip); zips are unpacked in ``scratch``."""
    if source.is_file():
        source = unpack_top(source, scratch / "unzipped")
    if not source.is_dir():
        raise UsageError(f"{source}: no such folder or zip file")
    entries = [entry for entry in sorted(source.iterdir()) if not _hidden(entry)]
    folders = [entry for entry in entries if entry.is_dir()]
    if folders:
        loose = [f"{entry.name}: a file beside the student folders, not graded" for entry in entries if entry.is_file()]
        students = [read_student_folder(folder, scratch / "nested") for folder in folders]
        return Class(unique(students), tuple(loose))
    return read_canvas(entries)


def unpack_top(archive: Path, target: Path) -> Path:
    """Unpack the class's zip; descend into its single top folder if it has one."""
    try:
        unpack(archive, target)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UsageError(f"{archive}: cannot read it as a zip file ({error})") from None
    inside = [entry for entry in target.iterdir() if not _hidden(entry)]
    return inside[0] if len(inside) == 1 and inside[0].is_dir() else target


def unpack(archive: Path, target: Path) -> None:
    """Extract safely: no path leaves ``target``, and the total size is bounded."""
    with zipfile.ZipFile(archive) as opened:
        members = opened.infolist()
        if sum(member.file_size for member in members) > MAX_UNZIPPED:
            raise ValueError(f"it would unpack to more than {MAX_UNZIPPED // 2**20} MB")
        root = target.resolve()
        for member in members:
            destination = (target / member.filename).resolve()
            if not destination.is_relative_to(root):
                raise ValueError(f"{member.filename!r} points outside the archive")
        opened.extractall(target)


def read_student_folder(folder: Path, scratch: Path) -> StudentFiles:
    """One student's folder: exercise files found by name at any depth, nested zips unpacked."""
    student = MOODLE_SUFFIX.sub("", folder.name)
    notes: list[str] = []
    for archive in sorted(folder.rglob("*.zip")):
        target = scratch / student / archive.stem
        try:
            unpack(archive, target)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            notes.append(f"{archive.relative_to(folder)}: cannot be unpacked ({error})")
    candidates: dict[str, list[Path]] = {}
    for base in (folder, scratch / student):
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            if any(part in SKIPPED_DIRS or part.startswith(".") for part in path.relative_to(base).parts):
                continue
            exercise = BY_FILENAME.get(path.name)
            if exercise and path.is_file():
                candidates.setdefault(exercise, []).append(path)
            elif path.is_file() and path.parent == folder and path.suffix == ".py":
                notes.append(f"{path.name}: the name matches no exercise ({', '.join(BY_FILENAME)})")
    files = {exercise: min(paths, key=lambda p: (p.parent.name != "exercises", len(p.parts), str(p)))
             for exercise, paths in candidates.items()}  # fmt: skip
    return StudentFiles(student, dict(sorted(files.items())), notes=tuple(notes))


def read_canvas(entries: list[Path]) -> Class:
    """A flat Canvas download: group by student, keep the latest file per exercise."""
    found: dict[str, dict[str, tuple[tuple[int, int], Path, bool]]] = {}
    notes: dict[str, list[str]] = {}
    strays: list[str] = []
    for path in entries:
        match = CANVAS.match(path.name)
        if not match or not path.is_file():
            strays.append(f"{path.name}: not in Canvas's naming, so it belongs to no student")
            continue
        student = f"{match['name']}_{match['id']}"
        original, copy = match["file"], 0
        reupload = REUPLOAD.match(original)
        if reupload and reupload["stem"] + reupload["suffix"] in BY_FILENAME:
            original, copy = reupload["stem"] + reupload["suffix"], int(reupload["copy"])
        exercise = BY_FILENAME.get(original)
        found.setdefault(student, {})
        if exercise is None:
            notes.setdefault(student, []).append(f"{match['file']}: the name matches no exercise")
            continue
        rank = (int(match["submission"]), copy)
        kept = found[student].get(exercise)
        if kept is None or rank > kept[0]:
            found[student][exercise] = (rank, path, bool(match["late"]))
    students = [
        StudentFiles(
            student,
            {exercise: path for exercise, (_, path, _) in sorted(chosen.items())},
            late=any(late for _, _, late in chosen.values()),
            notes=tuple(notes.get(student, ())),
        )
        for student, chosen in sorted(found.items(), key=lambda item: (item[0].casefold(), item[0]))
    ]
    return Class(tuple(students), tuple(strays))


def unique(students: list[StudentFiles]) -> tuple[StudentFiles, ...]:
    """Students whose names would share a results folder get numbered apart."""
    seen: set[str] = set()
    result = []
    for entry in sorted(students, key=lambda s: (s.student.casefold(), s.student)):
        name, number = entry.student, 1
        while slug(name) in seen:
            number += 1
            name = f"{entry.student} ({number})"
        seen.add(slug(name))
        result.append(entry if name == entry.student else StudentFiles(name, entry.files, entry.late, entry.notes))
    return tuple(result)


def _hidden(entry: Path) -> bool:
    return entry.name.startswith(".") or entry.name in SKIPPED_DIRS
