"""The kit on every supported Python this machine has (pyenv's 3.10, 3.12, 3.13 beside 3.11):
installed from the repository into a fresh environment, it finds the CPython internals it reads
where it expects them, gives the reference solutions full marks under every start method and the
stubs less."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KIT
from scenarios.test_cpython import check_internals

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
VERSIONS = ["3.10", "3.12", "3.13"]


def interpreter(version: str) -> Path | None:
    found = sorted(PYENV.glob(f"{version}.*/bin/python{version}"))
    return found[-1] if found else None


@pytest.mark.parametrize("version", VERSIONS)
def test_reference_solutions_get_full_marks(version: str, tmp_path: Path) -> None:
    python = interpreter(version)
    if python is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Python {version} is missing from {PYENV}")
        pytest.skip(f"Python {version} is not installed here")
    venv = tmp_path / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(KIT)], check=True, timeout=900)
    grade = str(venv / "bin" / "grade")
    check_internals(str(venv / "bin" / "python"))

    done = subprocess.run([grade, "all", "--submission", "solutions", "--format", "json"], cwd=KIT,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert json.loads(done.stdout)["score"] == 50

    stub = subprocess.run([grade, "ex05"], cwd=KIT / "exercises", capture_output=True, text=True, timeout=600)
    assert stub.returncode == 1 and "Hint:" in stub.stdout
    assert sys.version_info[:2] != tuple(map(int, version.split(".")))  # really another Python
