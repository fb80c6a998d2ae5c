"""grade batch end to end, driven as a teacher drives it, on a generated class of 36 students in
every layout: the same gradebook from each, interrupted runs that resume to the same bytes, no
process left behind, and the class report open in a real browser."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from batch.classes import as_canvas, as_folders, as_zip, generated
from conftest import ARTIFACTS, survivors, wait_for

ARGS = ["--start-method", "fork", "-j", "2"]
SANDBOXES = Path(os.environ.get("TMPDIR", "/tmp")) / "mpgrade-batch-tests"  # the batches' TMPDIR (not their sandboxes')


def command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "grader", "batch", str(source), "--out", str(out), *ARGS]


def environment() -> dict[str, str]:
    SANDBOXES.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(SANDBOXES)}


def batch(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(source, out), capture_output=True, text=True, timeout=900, env=environment())


def start_batch(source: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(source, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment()
    )


def stored(out: Path) -> int:
    return len(list(out.glob("*/results/*.json")))


def rows(out: Path) -> dict[str, dict[str, str]]:
    return {row["student"]: row for row in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text()))}


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    students = generated()
    root = tmp_path_factory.mktemp("class")
    return {
        "folders": as_folders(students, root / "folders"),
        "zip": as_zip(students, root / "class.zip"),
        "canvas": as_canvas(students, root / "canvas"),
    }


@pytest.fixture(scope="module")
def first_run(klass: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    out = tmp_path_factory.mktemp("uninterrupted")
    done = batch(klass["folders"], out)
    assert done.returncode == 0, done.stderr
    done.args = out  # where it wrote
    return done


@pytest.fixture(scope="module")
def uninterrupted(first_run: subprocess.CompletedProcess[str]) -> Path:
    return Path(first_run.args)


def test_progress_in_a_log_is_one_line_per_grading(first_run: subprocess.CompletedProcess[str]) -> None:
    graded = int(first_run.stdout.split(" files graded")[0].rsplit(" ", 1)[-1])
    lines = [line for line in first_run.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == graded and lines[-1].startswith(f"[{graded}/{graded}] ")
    assert "% full marks" in lines[-1] and "s left" in lines[-1]


def test_outputs_of_a_whole_class(uninterrupted: Path) -> None:
    gradebook = rows(uninterrupted)
    assert len(gradebook) == 36
    # student00 handed in ex01 and ex04, both reference solutions, and no ex02
    assert gradebook["student00"]["total"] == "20" and gradebook["student00"]["ex02"] == "0"
    assert "notes.py: the name matches no exercise" in gradebook["student05"]["notes"]
    result = json.loads((uninterrupted / "student05" / "result.json").read_text())
    assert result["student"] == "student05" and len(result["exercises"]) == 5
    not_submitted = [e for e in result["exercises"] if e["problem"] == "Not submitted."]
    assert not_submitted and all(c["status"] == "not_run" for e in not_submitted for c in e["checks"])
    feedback = (uninterrupted / "student05" / "feedback.md").read_text()
    assert feedback.startswith("# Feedback for student05")
    assert (uninterrupted / "report.html").read_text().count('href="student') >= 36


def test_a_zip_of_the_class_gives_the_same_gradebook(
    klass: dict[str, Path], uninterrupted: Path, tmp_path: Path
) -> None:
    assert batch(klass["zip"], tmp_path).returncode == 0
    assert (tmp_path / "gradebook.csv").read_bytes() == (uninterrupted / "gradebook.csv").read_bytes()


def test_canvas_download_gives_the_same_scores(klass: dict[str, Path], uninterrupted: Path, tmp_path: Path) -> None:
    done = batch(klass["canvas"], tmp_path)
    assert done.returncode == 0, done.stderr
    canvas, folders = rows(tmp_path), rows(uninterrupted)
    assert len(canvas) == 36
    for number in range(36):
        name = f"student{number:02d}"
        row, expected = canvas[f"{name}_{1000 + number}"], folders[name]
        assert [row[e] for e in ("ex01", "ex02", "ex03", "ex04", "ex05", "total")] == [
            expected[e] for e in ("ex01", "ex02", "ex03", "ex04", "ex05", "total")
        ], name  # the re-upload replaced the stub uploaded first
        assert row["late"] == ("yes" if number % 9 == 4 else "")
    assert "grades-export.txt" in (tmp_path / "unattributed.txt").read_text()


def test_killed_then_resumed_gives_the_same_gradebook(
    klass: dict[str, Path], uninterrupted: Path, tmp_path: Path
) -> None:
    running = start_batch(klass["folders"], tmp_path)
    wait_for(lambda: stored(tmp_path) >= 8, "8 results stored")
    running.send_signal(signal.SIGKILL)
    running.wait()
    kept = stored(tmp_path)
    # the sandboxes notice that their grader died and take their processes with them
    assert not survivors(grace=30)
    assert not (tmp_path / "gradebook.csv").exists()
    assert not list(tmp_path.glob("*/results/*.partial"))  # whole results or none

    resumed = batch(klass["folders"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{kept} results reused" in resumed.stdout
    assert (tmp_path / "gradebook.csv").read_bytes() == (uninterrupted / "gradebook.csv").read_bytes()

    again = batch(klass["folders"], tmp_path)
    assert "0 files graded" in again.stdout  # nothing changed, nothing graded


def test_ctrl_c_stops_cleanly_and_resumes(klass: dict[str, Path], uninterrupted: Path, tmp_path: Path) -> None:
    running = start_batch(klass["folders"], tmp_path)
    wait_for(lambda: stored(tmp_path) >= 3, "3 results stored")
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=120)
    assert running.returncode == 130
    assert "run the same command again" in err and "Traceback" not in err
    assert not survivors()  # stopped with the command
    assert batch(klass["folders"], tmp_path).returncode == 0
    assert (tmp_path / "gradebook.csv").read_bytes() == (uninterrupted / "gradebook.csv").read_bytes()


def test_a_changed_file_is_graded_again(klass: dict[str, Path], tmp_path: Path) -> None:
    source = tmp_path / "class"
    shutil.copytree(klass["folders"], source)
    out = tmp_path / "out"
    assert batch(source, out).returncode == 0
    target = next((source / "student07").glob("*.py"))
    target.write_text(target.read_text() + "\n# edited\n")
    again = batch(source, out)
    assert "1 files graded" in again.stdout


@pytest.mark.browser
def test_the_class_report_opens_in_the_browser(browser_context: Any, uninterrupted: Path) -> None:
    page = browser_context.new_page()
    try:
        page.goto((uninterrupted / "report.html").as_uri())
        assert page.title() == "Class report: 36 students"
        assert page.locator("table.student-table tbody tr").count() == 36
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "batch-report.png"), full_page=True)
        page.locator("table.student-table a.student", has_text="student05").click()
        page.wait_for_load_state()
        assert page.url == (uninterrupted / "student05" / "feedback.md").as_uri()
    finally:
        page.close()


def test_a_file_that_is_not_utf8_is_in_the_notes_with_its_line(tmp_path: Path) -> None:
    student = tmp_path / "class" / "zoe"
    student.mkdir(parents=True)
    (student / "ex01_spawn.py").write_bytes(b"import multiprocessing\n\n# caf\xe9\n")
    out = tmp_path / "out"
    assert batch(tmp_path / "class", out).returncode == 0
    notes = rows(out)["zoe"]["notes"]
    assert "ex01_spawn.py is not UTF-8 text (line 3, byte 29)" in notes
    assert "line 3" in (out / "report.html").read_text()


def test_only_the_last_gradings_run_their_start_methods_side_by_side(monkeypatch: pytest.MonkeyPatch) -> None:
    """Side by side, a grading's sandboxes cost more; at the end of a batch they keep the cores busy
    that the ended gradings leave idle (a deadlock waiting out its timeout under each method)."""
    from grader.batch import runner
    from grader.batch.grading import Grading, Settings
    from grader.models import Limits

    asked: dict[str, int] = {}

    def grade_upload(upload: Any, cancel: Any = None, parallel: int = 1) -> str:
        asked[upload.name] = parallel
        return str(upload.name)

    monkeypatch.setattr(runner, "grade_upload", grade_upload)
    settings = Settings(("ex01",), ("fork", "spawn", "forkserver"), Limits())
    pending = [Grading(f"s{n}", "ex01", Path(f"s{n}.py"), {}, settings, b"") for n in range(6)]
    finished = [result for _, result in runner.run_all(pending, 2, None)]
    assert sorted(str(result) for result in finished) == [f"s{n}.py" for n in range(6)]
    assert asked == {"s0.py": 1, "s1.py": 1, "s2.py": 1, "s3.py": 1, "s4.py": 2, "s5.py": 2}
    asked.clear()
    list(runner.run_all(pending, 1, None))
    assert set(asked.values()) == {1}  # -j 1: one sandbox at a time, to the end
