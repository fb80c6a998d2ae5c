"""grade notebooks end to end with the real nbgrader: generate the student version, hand in the
reference solutions, wrong solutions and a tampered notebook, autograde,
export, and compare every score with what ``grade`` gives for the same code."""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import ARTIFACTS, KIT
from nbgrader import api as nbgrader_api

from grader.exercises import EXERCISES
from grader.lms.notebooks import CODE_STUB, autograder_id, module_source

ASSIGNMENT = "multiprocessing"
WRONG = ["ex01-thread", "ex02-drops-args", "ex03-value-lock-false", "ex04-builtin-map", "ex05-get-timeout"]
BIN = Path(sys.executable).parent  # nbgrader runs `alembic` and the kernel from the same environment
KERNEL_FILE = "ran-in-the-kernel.txt"  # what a student's own cell would write, if it ran
FORK_BOMB = KIT / "tests" / "sandbox" / "hostile" / "fork-bomb" / "ex02_many_processes.py"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def cell(notebook: dict[str, Any], grade_id: str) -> dict[str, Any]:
    (found,) = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id]
    return found


def source(of: dict[str, Any]) -> str:
    text = of["source"]
    return "".join(text) if isinstance(text, list) else str(text)


# --- the notebooks, without nbgrader ------------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES.values(), ids=list(EXERCISES))
def test_the_released_code_is_the_stub_and_the_source_is_the_solution(exercise: Any) -> None:
    stub = (KIT / "exercises" / exercise.filename).read_text()
    solution = (KIT / "solutions" / exercise.filename).read_text()
    written = module_source(stub, solution)
    released, kept, inside = [], [], False  # what nbgrader's ClearSolutions makes of it, and the regions
    for line in written.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            inside = True
            released.append(line.replace("### BEGIN SOLUTION", CODE_STUB))
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif inside:
            kept.append(line)
        else:
            released.append(line)
    dumps = [ast.dump(node) for node in ast.parse("\n".join(released)).body[1:]]
    assert dumps == [ast.dump(node) for node in ast.parse(stub).body[1:]]
    assert kept  # every exercise has something to write
    solved = {node.name: node for node in ast.parse(solution).body if isinstance(node, ast.FunctionDef)}
    for function in (node for node in ast.parse(written).body if isinstance(node, ast.FunctionDef)):
        # the source runs the solution's body, which returns before the stub's code after it
        body = [ast.dump(node) for node in solved[function.name].body[1:]]
        assert [ast.dump(node) for node in function.body[1 : 1 + len(body)]] == body


# --- the real thing -----------------------------------------------------------------------------


def hand_in(release: Path, submitted: Path, code: dict[str, str | None], tamper: bool = False) -> None:
    """One student's submitted notebooks: the released ones, with ``code`` in each student cell."""
    for exercise in EXERCISES.values():
        notebook = json.loads((release / f"{exercise.module}.ipynb").read_text())
        written = code.get(exercise.id)
        if written is not None:
            cell(notebook, exercise.module)["source"] = f"%%writefile {exercise.filename}\n{written}"
        if tamper and exercise.id == "ex01":
            # no %%writefile line (the code would run in the kernel), and a cell of the student's own
            cell(notebook, exercise.module)["source"] = f"{written}\nopen({KERNEL_FILE!r}, 'w').write('module')\n"
            notebook["cells"].append(
                nbformat.v4.new_code_cell(f"open({KERNEL_FILE!r}, 'w').write('own cell')\nimport time; time.sleep(600)")
            )
        folder = submitted / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{exercise.module}.ipynb").write_text(json.dumps(notebook))


def solutions(folder: Path) -> dict[str, str | None]:
    return {e.id: (folder / e.filename).read_text() for e in EXERCISES.values() if (folder / e.filename).exists()}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("nbgrader-course")
    course = root / "course"
    run(sys.executable, "-m", "grader", "notebooks", str(course), "--start-method", "fork", cwd=KIT)
    run("nbgrader", "generate_assignment", ASSIGNMENT, cwd=course)
    release = course / "release" / ASSIGNMENT
    wrong = {name.split("-")[0]: next((KIT / "tests/judge/cases/wrong" / name).glob("*.py")) for name in WRONG}
    students = {
        "reference": solutions(KIT / "solutions"),
        "wrong": {exercise: path.read_text() for exercise, path in wrong.items()},
        "tampered": {**solutions(KIT / "solutions"), "ex02": FORK_BOMB.read_text()},  # and a fork bomb
    }
    for student, code in students.items():
        hand_in(release, course / "submitted" / student, code, tamper=student == "tampered")

    started = time.monotonic()
    run("nbgrader", "autograde", ASSIGNMENT, cwd=course)
    autograde_seconds = time.monotonic() - started
    run("nbgrader", "export", cwd=course)
    run("nbgrader", "generate_feedback", ASSIGNMENT, cwd=course)

    # the same code, graded by `grade`: the student cell's module, as a file
    expected: dict[str, dict[str, int]] = {}
    started = time.monotonic()
    for student in students:
        folder = root / "grade" / student
        folder.mkdir(parents=True)
        for exercise in EXERCISES.values():
            notebook = json.loads(
                (course / "submitted" / student / ASSIGNMENT / f"{exercise.module}.ipynb").read_text()
            )
            written = source(cell(notebook, exercise.module))
            body = written.partition("\n")[2] if written.startswith("%%writefile") else written
            (folder / exercise.filename).write_text(body)
        done = subprocess.run(
            [sys.executable, "-m", "grader", "all", "--submission", str(folder), "--format", "json",
             "--start-method", "fork"],
            capture_output=True, text=True, timeout=600, cwd=KIT,
        )  # fmt: skip
        expected[student] = {e["exercise"]: e["score"] for e in json.loads(done.stdout)["exercises"]}
    grade_seconds = time.monotonic() - started
    ARTIFACTS.mkdir(exist_ok=True)
    notebooks = len(students) * len(EXERCISES)
    (ARTIFACTS / "nbgrader-timing.txt").write_text(
        f"{len(students)} submissions of {len(EXERCISES)} notebooks, graded under fork, side by side:\n"
        f"nbgrader autograde: {autograde_seconds:.1f} s ({autograde_seconds / notebooks:.1f} s per notebook)\n"
        f"grade all:          {grade_seconds:.1f} s ({grade_seconds / notebooks:.1f} s per exercise)\n"
    )
    yield {"course": course, "expected": expected, "students": list(students)}


def test_the_release_hides_the_solutions_and_the_checks(course: dict[str, Any]) -> None:
    release = course["course"] / "release" / ASSIGNMENT
    for exercise in EXERCISES.values():
        text = (release / f"{exercise.module}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "grader.judge" not in text and "def test_" not in text
        notebook = nbformat.read(release / f"{exercise.module}.ipynb", as_version=4)
        nbformat.validate(notebook)
        code = source(cell(notebook, exercise.module))
        assert code.startswith(f"%%writefile {exercise.filename}\n")
        compile(code.partition("\n")[2], exercise.filename, "exec")  # the released stub still imports
        assert "grade_cell" in source(cell(notebook, autograder_id(exercise)))
    text = (release / "ex05_queue_sentinel.ipynb").read_text()
    assert "__main__" in text and "spawn" in text  # the notebook says why the code is a file


def test_exported_scores_equal_what_grade_gives(course: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO((course["course"] / "grades.csv").read_text())))
    assert {row["student_id"] for row in rows} == set(course["students"])
    for row in rows:
        expected = course["expected"][row["student_id"]]
        assert float(row["score"]) == sum(expected.values()), row
        assert float(row["max_score"]) == 50
    with nbgrader_api.Gradebook(f"sqlite:///{course['course'] / 'gradebook.db'}") as gradebook:
        for student, expected in course["expected"].items():
            for exercise in EXERCISES.values():
                notebook = gradebook.find_submission_notebook(exercise.module, ASSIGNMENT, student)
                assert notebook.score == expected[exercise.id], (student, exercise.id)
    assert course["expected"]["reference"] == {e: 10 for e in EXERCISES}
    assert all(score < 10 for score in course["expected"]["wrong"].values())


def test_no_student_code_runs_in_the_kernel(course: dict[str, Any]) -> None:
    graded = course["course"] / "autograded" / "tampered" / ASSIGNMENT
    assert not (graded / KERNEL_FILE).exists()
    notebook = json.loads((graded / "ex01_spawn.ipynb").read_text())
    written = cell(notebook, "ex01_spawn")
    assert source(written).startswith("%%writefile ex01_spawn.py\n")  # put back before it ran
    assert "Writing ex01_spawn.py" in json.dumps(written["outputs"])
    assert notebook["cells"][-1]["outputs"] == []  # the student's own cell did not run
    assert course["expected"]["tampered"]["ex01"] == 10
    bomb = json.loads((graded / "ex02_many_processes.ipynb").read_text())
    assert "could not start another process" in json.dumps(cell(bomb, autograder_id(EXERCISES["ex02"]))["outputs"])


def test_feedback_shows_the_kits_messages(course: dict[str, Any]) -> None:
    feedback = course["course"] / "feedback" / "wrong" / ASSIGNMENT / "ex01_spawn.html"
    page = feedback.read_text()
    assert "FAIL" in page and "Hint:" in page and "ex01_spawn.py:" in page
    assert "File &quot;" not in page and "grader/" not in page  # no frame of the grader's code
