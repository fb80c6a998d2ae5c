"""Ready-made integrations: a Gradescope autograder bundle and a GitHub Actions workflow.

Both install this very kit: the bundle carries the ``grader`` package with a generated
``pyproject.toml``; the workflow installs the course repository the students push.
"""

from __future__ import annotations

import importlib.metadata
import json
import stat
import sys
import zipfile
from pathlib import Path
from typing import Any

import grader
from grader.models import ExerciseResult, SubmissionResult
from grader.report import gradescope

TEMPLATES = Path(grader.__file__).parent / "templates"
SCRIPTS = ("setup.sh", "run_autograder")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "mpgrade"
version = "{version}"
requires-python = ">=3.10"
dependencies = {dependencies}

[project.scripts]
grade = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
"grader" = ["templates/*"]
"""


def gradescope_bundle(out: Path) -> Path:
    """Write Gradescope's autograder zip: ``setup.sh``, ``run_autograder`` and the kit.

    Every entry is a regular file with explicit modes (scripts 0755, the rest 0644) and a fixed
    date, whatever the modes and dates of the files here: the same kit gives the same zip."""
    package = Path(grader.__file__).parent
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for script in SCRIPTS:
            _add(bundle, script, (TEMPLATES / script).read_bytes(), 0o755)
        _add(bundle, "kit/pyproject.toml", kit_pyproject().encode(), 0o644)
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                _add(bundle, f"kit/grader/{path.relative_to(package).as_posix()}", path.read_bytes(), 0o644)
    return out


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    entry = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    entry.external_attr = (stat.S_IFREG | mode) << 16  # unix file type and mode bits
    entry.create_system = 3  # unix: without it, unzip ignores the mode bits
    entry.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(entry, data)


def gradescope_results(kit_json: dict[str, Any]) -> str:
    """Gradescope's ``results.json`` from the kit's JSON (``grade --format json``), recording in
    ``extra_data`` (kept for the staff, not shown to students) the isolation level that graded,
    when the kit's JSON says which."""
    exercises = tuple(ExerciseResult.from_dict(exercise) for exercise in kit_json["exercises"])
    data = json.loads(gradescope.render(SubmissionResult(kit_json["submission"], exercises)))
    levels = [kit_json.get("isolation"), *(exercise.get("isolation") for exercise in kit_json["exercises"])]
    isolation = sorted({str(level) for level in levels if level})
    if isolation:
        data["extra_data"] = {"isolation": ", ".join(isolation)}
    return json.dumps(data, indent=2, ensure_ascii=False)


def kit_pyproject() -> str:
    """The kit's own metadata, without the extras only its developers need."""
    requirements = [
        requirement for requirement in importlib.metadata.requires("mpgrade") or [] if "extra ==" not in requirement
    ]
    dependencies = json.dumps(requirements)  # a TOML array of basic strings: quotes inside escaped
    return PYPROJECT.format(version=grader.__version__, dependencies=dependencies)


def github_workflow() -> str:
    """The workflow to copy into the course repository's ``.github/workflows/``."""
    return (TEMPLATES / "github-workflow.yml").read_text()


if __name__ == "__main__":  # run_autograder: python -m grader.bundle results/mpgrade.json > results/results.json
    sys.stdout.write(gradescope_results(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))) + "\n")
