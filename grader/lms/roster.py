"""A class list exported from the LMS, and which graded student is which person in it.

Canvas: its gradebook export (``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, ...).
Moodle: its grade export or participants list (``First name``, ``Last name``, ``Email address``,
``Username``, ``ID number``, ...). Column names are matched without regard to case.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError

CANVAS_DOWNLOAD = re.compile(r"^(?P<name>.+)_(?P<id>\d+)$")  #: a Canvas student, as grader.batch.layouts names them
FIELDS = {  # our field -> the column names it may have
    "name": ("student", "name", "full name"),
    "first": ("first name", "firstname"),
    "last": ("last name", "lastname", "surname"),
    "id": ("id",),
    "sis_user_id": ("sis user id",),
    "sis_login_id": ("sis login id",),
    "section": ("section",),
    "email": ("email address", "email"),
    "username": ("username",),
    "idnumber": ("id number", "idnumber"),
}


@dataclass(frozen=True)
class Person:
    """One student of the roster; empty strings for what the roster does not say."""

    name: str = ""
    id: str = ""  #: Canvas's user id
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""
    username: str = ""
    idnumber: str = ""


@dataclass(frozen=True)
class Roster:
    people: tuple[Person, ...]
    columns: tuple[str, ...] = ()  #: the export's header, for the LMS's own assignment columns
    fields: frozenset[str] = field(default_factory=frozenset)  #: which of FIELDS the roster has

    def find(self, student: str) -> Person | None:
        """The person a graded student is: by Canvas id, login, email or id number, else by name."""
        download = CANVAS_DOWNLOAD.match(student)
        keys = {student.casefold()} | ({download["id"]} if download else set())
        for person in self.people:
            ids = {person.id, person.sis_user_id, person.sis_login_id, person.email, person.username, person.idnumber}
            if keys & {value.casefold() for value in ids if value}:
                return person
        name = (download["name"] if download else student).casefold()
        named = [person for person in self.people if person.name.casefold() == name]
        return named[0] if len(named) == 1 else None  # two people of one name: not a guess


def read_roster(path: Path) -> Roster:
    """Read the CSV export; skip Canvas's "Points Possible" and muted rows."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            rows = list(csv.reader(file))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--roster {path}: cannot read it ({error})") from None
    if not rows:
        raise UsageError(f"--roster {path}: the file is empty")
    header = [cell.strip() for cell in rows[0]]
    index = {name.casefold(): position for position, name in enumerate(header)}
    columns = {ours: next(index[name] for name in names if name in index) for ours, names in FIELDS.items()
               if any(name in index for name in names)}  # fmt: skip
    if not {"name", "first", "id", "email", "username", "idnumber", "sis_login_id"} & set(columns):
        raise UsageError(
            f"--roster {path}: no column names the students (expected Canvas's 'Student' and 'ID', or "
            f"Moodle's 'First name', 'Last name' and 'Email address'); its columns are {', '.join(header)}"
        )
    people = []
    for row in rows[1:]:
        values = {ours: row[position].strip() if position < len(row) else "" for ours, position in columns.items()}
        if not any(values.values()) or "points possible" in values.get("name", "").casefold():
            continue
        if "first" in values or "last" in values:
            values["name"] = values.get("name") or f"{values.pop('first', '')} {values.pop('last', '')}".strip()
        values.pop("first", None)
        values.pop("last", None)
        people.append(Person(**values))
    return Roster(tuple(people), tuple(header), frozenset(columns))
