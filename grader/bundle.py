"""Ready-made integrations: a Gradescope autograder bundle and a GitHub Actions workflow.

Both install this very kit: the bundle carries the ``grader`` package with a generated
``pyproject.toml``; the workflow installs the course repository the students push.
"""

from __future__ import annotations

import importlib.metadata
import zipfile
from pathlib import Path

import grader

TEMPLATES = Path(grader.__file__).parent / "templates"
EXECUTABLE = 0o755 << 16  # unix mode bits in a zip entry's external attributes

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
"grader.sandbox" = ["boot/*.py"]
"""


def gradescope_bundle(out: Path) -> Path:
    """Write Gradescope's autograder zip: ``setup.sh``, ``run_autograder`` and the kit."""
    package = Path(grader.__file__).parent
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for script in ("setup.sh", "run_autograder"):
            entry = zipfile.ZipInfo(script)
            entry.external_attr = EXECUTABLE
            bundle.writestr(entry, (TEMPLATES / script).read_text())
        bundle.writestr("kit/pyproject.toml", kit_pyproject())
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                bundle.write(path, f"kit/grader/{path.relative_to(package)}")
    return out


def kit_pyproject() -> str:
    """The kit's own metadata, without the extras only its developers need."""
    requirements = [
        requirement for requirement in importlib.metadata.requires("mpgrade") or [] if "extra ==" not in requirement
    ]
    dependencies = "[" + ", ".join(f'"{requirement}"' for requirement in requirements) + "]"
    return PYPROJECT.format(version=grader.__version__, dependencies=dependencies)


def github_workflow() -> str:
    """The workflow to copy into the course repository's ``.github/workflows/``."""
    return (TEMPLATES / "github-workflow.yml").read_text()
