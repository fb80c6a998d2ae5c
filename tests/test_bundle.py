"""The Gradescope bundle and the GitHub workflow, run the way those services run them, in local
folders that mimic their layout (/autograder/...; a checked-out course repository)."""

from __future__ import annotations

import json
import os
import shutil
import stat
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


def test_every_file_in_the_bundle_has_its_mode(tmp_path: Path) -> None:
    archive = bundle.gradescope_bundle(tmp_path / "autograder.zip")
    with zipfile.ZipFile(archive) as opened:
        entries = opened.infolist()
    assert {entry.filename for entry in entries} >= {"setup.sh", "run_autograder", "kit/pyproject.toml"}
    for entry in entries:
        mode = entry.external_attr >> 16
        assert entry.create_system == 3 and stat.S_ISREG(mode), entry.filename
        expected = 0o755 if entry.filename in bundle.SCRIPTS else 0o644
        assert stat.S_IMODE(mode) == expected, (entry.filename, oct(mode))
    again = bundle.gradescope_bundle(tmp_path / "again.zip")
    assert again.read_bytes() == archive.read_bytes()  # the same kit gives the same zip


def test_results_json_records_the_isolation_level_the_kit_says() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "grader", "ex01", "--submission", "solutions", "--format", "json",
         "--start-method", "fork"],
        cwd=KIT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    kit_json = json.loads(done.stdout)
    graded = kit_json["exercises"][0]["isolation"]
    assert graded in ("namespaces", "uid", "process")
    results = json.loads(bundle.gradescope_results(kit_json))
    assert results["score"] == 10 and len(results["tests"]) == len(kit_json["exercises"][0]["checks"])
    assert results["extra_data"] == {"isolation": graded}
    del kit_json["exercises"][0]["isolation"]  # an older kit's JSON says nothing: nothing is made up
    assert "extra_data" not in json.loads(bundle.gradescope_results(kit_json))


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
    assert len(annotations) <= 10  # what GitHub shows of a step; the rest is in the summary
    assert any(line.startswith("::error file=exercises/ex05_queue_sentinel.py,line=") for line in annotations)
    notice = grading.stdout.rstrip().splitlines()[-1]
    assert (
        notice.startswith("::notice title=mpgrade::")
        and notice.endswith("/50")
        and notice != "::notice title=mpgrade::50/50"
    )
    assert "| failed |" in summary.read_text()


# --- in an Ubuntu-like root filesystem, with no network ------------------------------------------

HOST_PYTHON = Path("/usr/bin/python3")  # the distribution's Python, the one a service image has


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit and its dependencies as wheels for the distribution's Python, made beforehand (with
    network); the root filesystem installs from them alone."""
    if os.geteuid() != 0 or not shutil.which("unshare") or not HOST_PYTHON.exists():
        pytest.skip("needs root, unshare and the distribution's /usr/bin/python3 (as in CI)")
    folder = tmp_path_factory.mktemp("wheelhouse")
    tools = folder / "tools"
    subprocess.run([str(HOST_PYTHON), "-m", "venv", str(tools)], check=True, timeout=300)
    kit = folder / "bundle"
    with zipfile.ZipFile(bundle.gradescope_bundle(folder / "autograder.zip")) as opened:
        opened.extractall(kit)
    wheels = folder / "wheels"
    pip = [str(tools / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "download", "--dest", str(wheels), "setuptools>=68"], check=True, timeout=600)
    subprocess.run([*pip, "wheel", "--wheel-dir", str(wheels), str(kit / "kit")], check=True, timeout=600)
    return wheels


@pytest.mark.parametrize("release", ["22.04", "24.04"])
def test_gradescope_bundle_in_an_ubuntu_root_without_network(release: str, wheelhouse: Path, tmp_path: Path) -> None:
    autograder = tmp_path / "autograder"
    with zipfile.ZipFile(bundle.gradescope_bundle(tmp_path / "autograder.zip")) as opened:
        opened.extractall(autograder / "source")  # zipfile drops the modes: Gradescope's unzip keeps them
    for script in bundle.SCRIPTS:
        (autograder / "source" / script).chmod(0o755)
    submission = autograder / "submission"
    shutil.copytree(KIT / "exercises", submission)
    shutil.copy(KIT / "solutions" / "ex02_many_processes.py", submission)
    (tmp_path / "root").mkdir()

    def inside(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["unshare", "--mount", "--pid", "--net", "--fork", "bash", str(KIT / "tests" / "rootfs" / "run.sh"),
             release, str(tmp_path / "root"), str(autograder), str(wheelhouse), "bash", "-c", command],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    system_pip = inside("python3 -m pip install --no-index --find-links /wheelhouse /autograder/source/kit")
    if release == "24.04":  # what the old setup.sh did, refused as on Gradescope's 24.04 image
        assert system_pip.returncode != 0 and "externally-managed-environment" in system_pip.stderr
    # Gradescope: setup.sh when the image is built, then for each submission run_autograder from /autograder
    offline = "! python3 -c 'import socket; socket.create_connection((\"pypi.org\", 443), 3)'"
    done = inside(
        "cd /autograder/source && bash setup.sh && cp run_autograder /autograder/run_autograder && "
        f"cd /autograder && ./run_autograder && {offline}"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((autograder / "results" / "results.json").read_text())
    by_exercise: dict[str, float] = {}
    for test in results["tests"]:
        by_exercise[test["name"].split()[0]] = by_exercise.get(test["name"].split()[0], 0) + test["score"]
    assert by_exercise["ex02"] == 10 and by_exercise["ex01"] == 0 and by_exercise["ex04"] == 0
    assert results["score"] == sum(by_exercise.values()) and results["max_score"] == 50
    assert json.loads((autograder / "results" / "mpgrade.json").read_text())["score"] == results["score"]
