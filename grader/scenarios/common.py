"""The scenario every grading starts with: does the student's module import at all?"""

from __future__ import annotations

from dataclasses import dataclass

from .scenario import Tools, scenario
from .student import Student


@dataclass(frozen=True)
class Nothing:
    """No inputs."""


@dataclass(frozen=True)
class Imported:
    names: tuple[str, ...]  #: the module's public names


@scenario(Nothing, Imported, per_start_method=False)
def imports(student: Student, params: Nothing, tools: Tools) -> Imported:
    return Imported(tuple(sorted(name for name in vars(student.module) if not name.startswith("_"))))
