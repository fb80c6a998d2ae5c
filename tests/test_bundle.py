"""The Gradescope bundle and the GitHub workflow, run the way those services run them, in local
folders that mimic their layout (/autograder/...; a checked-out course repository)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import KIT

from grader import bundle


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new virtual environment with nothing in it: what a service starts from."""
    venv = tmp_path_factory.mktemp("service") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    yield venv / "bin"


def service_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **extra}


def test_gradescope_bundle_grades_a_submission(tmp_path: Path, fresh_python: Path) -> None:
    root = tmp_path / "autograder"
    archive = bundle.gradescope_bundle(tmp_path / "autograder.zip")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(root / "source")
        assert opened.getinfo("run_autograder").external_attr >> 16 & 0o111
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    env = service_env(fresh_python, AUTOGRADER_ROOT=str(root), PYTHON=str(fresh_python / "python"))
    subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, check=True, timeout=600)

    submission = root / "submission"
    shutil.copytree(KIT / "exercises", submission)
    shutil.copy(KIT / "solutions" / "ex02_many_processes.py", submission)  # one exercise done
    subprocess.run([str(root / "source" / "run_autograder")], env=env, check=True, timeout=600)

    results = json.loads((root / "results" / "results.json").read_text())
    assert results["max_score"] == 50
    by_exercise: dict[str, float] = {}
    for test in results["tests"]:
        by_exercise[test["name"].split()[0]] = by_exercise.get(test["name"].split()[0], 0) + test["score"]
        assert {"name", "score", "max_score", "output", "visibility"} <= set(test)
    assert by_exercise["ex02"] == 10  # the one exercise done
    assert by_exercise["ex01"] == 0 and by_exercise["ex04"] == 0  # stubs that only raise
    assert results["score"] == sum(by_exercise.values()) < 50
    assert "execution_time" in results


def test_github_workflow_annotates_the_students_lines(tmp_path: Path, fresh_python: Path) -> None:
    repo = tmp_path / "course"
    shutil.copytree(
        KIT, repo, ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "__pycache__", "test-artifacts")
    )
    workflow = yaml.safe_load(bundle.github_workflow())
    steps = [step["run"] for step in workflow["jobs"]["grade"]["steps"] if "run" in step]
    summary = tmp_path / "summary.md"
    env = service_env(fresh_python, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    outcomes = [
        subprocess.run(["bash", "-e", "-c", step], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        for step in steps
    ]
    install, grading = outcomes
    assert install.returncode == 0, install.stderr
    assert grading.returncode == 1  # the stubs are not done: the job fails, as it should
    annotations = [line for line in grading.stdout.splitlines() if line.startswith("::error ")]
    assert any(line.startswith("::error file=exercises/ex05_queue_sentinel.py,line=") for line in annotations)
    notice = grading.stdout.rstrip().splitlines()[-1]
    assert (
        notice.startswith("::notice title=mpgrade::")
        and notice.endswith("/50")
        and notice != "::notice title=mpgrade::50/50"
    )
    assert "| failed |" in summary.read_text()
