"""The grade command, driven as a user drives it: a real process, its output, its exit code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import KIT


def grade(*args: str, cwd: Path = KIT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_full_marks_exit_zero_and_json_schema() -> None:
    done = grade("ex01", "--submission", "solutions", "--format", "json", "--start-method", "fork")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["score"], data["max_score"]) == (10, 10)
    assert data["exercises"][0]["start_methods"] == ["fork"]


def test_untouched_stub_fails_with_a_hint_and_exit_one(tmp_path: Path) -> None:
    shutil.copytree(KIT / "exercises", tmp_path / "exercises")
    done = grade("ex05", cwd=tmp_path / "exercises")
    assert done.returncode == 1, done.stderr
    assert "FAIL  consumer waits for items that have not arrived yet" in done.stdout
    flat = " ".join(done.stdout.split())  # the text report wraps long lines
    assert "q.empty() cannot tell 'not yet' from 'never'" in flat
    assert "MISTAKE 2" in done.stdout and "Hint:" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_single_file_is_graded_as_the_exercise_its_name_or_the_command_says(tmp_path: Path) -> None:
    mine = tmp_path / "my_counter.py"
    shutil.copy(KIT / "solutions" / "ex03_shared_counter.py", mine)
    done = grade("ex03", "--submission", str(mine), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["submission"] == str(mine)
    unnamed = grade("ex03", "ex04", "--submission", str(mine))
    assert unnamed.returncode == 2 and "name the one exercise" in unnamed.stderr
    named = tmp_path / "ex04_pool_map.py"
    shutil.copy(KIT / "solutions" / "ex04_pool_map.py", named)
    assert grade("ex04", "--submission", str(named)).returncode == 0


def test_a_zip_is_graded_like_a_folder(tmp_path: Path) -> None:
    archive = tmp_path / "handed-in.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        opened.write(KIT / "solutions" / "ex01_spawn.py", "my-work/exercises/ex01_spawn.py")
        opened.write(KIT / "exercises" / "ex02_many_processes.py", "my-work/exercises/ex02_many_processes.py")
    done = grade("ex01", "ex02", "--submission", str(archive), "--format", "json")
    scores = {e["exercise"]: e["score"] for e in json.loads(done.stdout)["exercises"]}
    assert scores == {"ex01": 10, "ex02": 0}, done.stderr
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    bad = grade("ex01", "--submission", str(broken))
    assert bad.returncode == 2 and "cannot read it as a zip file" in bad.stderr


@pytest.mark.parametrize(
    "args, says",
    [
        (["ex9"], "unknown exercise ex9"),
        (["ex01", "--submission", "no/such/folder"], "no such folder"),
        (["ex01", "--start-method", "threads"], "invalid choice: 'threads'"),
        (["ex01", "--test-timeout", "0"], "test_timeout must be positive"),
        ([], "the following arguments are required"),
        (["batch", "no/such/class"], "the following arguments are required: --out"),
        (["batch", "no/such/class", "--out", "/tmp/mpgrade-never"], "no/such/class: no such folder or zip file"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "-j", "0"], "-j must be at least 1"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--exercises", "ex01,ex7"], "unknown exercise ex7"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--scheduler", "nowhere"], "not a Dask scheduler"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--scheduler", "udp://a:1"], "not a Dask scheduler"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "-j", "1", "--scheduler", "tcp://a:1"], "not allowed"),
        (["gradescope-bundle", "no/such/folder/autograder.zip"], "no/such/folder: no such folder"),
        (["selfcheck", "ex6"], "unknown exercise ex6"),
        (["github-workflow", "extra"], "unrecognized arguments: extra"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--gradebook", "blackboard"], "invalid choice"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--gradebook", "moodle"], "needs --roster"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--roster", "no/such.csv"], "--roster no/such.csv"),
        (["batch", "solutions", "--out", "/tmp/mpgrade-never", "--nbgrader-db", "sqlite:///x.db"], "go together"),
        (
            [
                "batch",
                "solutions",
                "--out",
                "/tmp/mpgrade-never",
                "--assignment",
                "a",
                "--nbgrader-db",
                "sqlite:////no/such/folder/gradebook.db",
            ],
            "cannot open nbgrader's gradebook",
        ),  # fmt: skip
        (["gradebook", "solutions"], "say what to write"),
        (["gradebook", "solutions", "--format", "canvas"], "no <student>/result.json here"),
        (["gradebook", "solutions", "--format", "plain"], "invalid choice: 'plain'"),
        (["notebooks", "/tmp/mpgrade-never", "--assignment", "a b"], "use letters, digits"),
        (["notebooks", "tests", "--exercises", "ex9"], "unknown exercise ex9"),
    ],
)
def test_usage_errors_exit_two_with_one_line(args: list[str], says: str) -> None:
    done = grade(*args)
    assert done.returncode == 2
    assert says in done.stderr and done.stderr.startswith("grade: error:")
    assert "Traceback" not in done.stderr


def test_notebooks_keep_a_config_they_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    done = grade("notebooks", str(tmp_path))
    assert done.returncode == 2 and "was not written by grade notebooks" in done.stderr
    assert (tmp_path / "nbgrader_config.py").read_text() == "c = get_config()\n"


def test_a_scheduler_without_dask_installed_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import grader.batch
    from grader import cli

    monkeypatch.setitem(sys.modules, "distributed", None)  # what an install without the dask extra finds
    monkeypatch.delitem(sys.modules, "grader.batch.dask", raising=False)  # as if never imported
    monkeypatch.delattr(grader.batch, "dask", raising=False)
    assert cli.main(["batch", "solutions", "--out", "/tmp/mpgrade-never", "--scheduler", "tcp://a:1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("grade: error: --scheduler needs Dask") and "pip install 'mpgrade[dask]'" in err


def test_outside_a_course_says_what_to_do(tmp_path: Path) -> None:
    done = grade("ex01", cwd=tmp_path)
    assert done.returncode == 2
    assert "--submission DIR" in done.stderr


def test_an_internal_error_exits_three_with_a_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from grader import cli, pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the suite exploded")

    monkeypatch.setattr(pipeline, "grade", broken)
    logs = []
    for _ in range(2):  # in the same second: a log each
        assert cli.main(["ex01", "--submission", str(KIT / "solutions")]) == 3
        err = capsys.readouterr().err
        assert "internal error of the grader (not of the code being graded): the suite exploded" in err
        logs.append(Path(err.split("details are in ")[1].split(";")[0]))
    assert logs[0] != logs[1] and all("RuntimeError: the suite exploded" in log.read_text() for log in logs)


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("grade")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("mpgrade ")


def test_batch_refuses_the_process_level_unless_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    from grader import cli

    assert cli.main(["batch", "solutions", "--out", "/tmp/mpgrade-never", "--isolation", "process"]) == 2
    err = capsys.readouterr().err
    assert "only the process isolation level" in err and "--allow-weak-isolation" in err
    assert not Path("/tmp/mpgrade-never").exists()
