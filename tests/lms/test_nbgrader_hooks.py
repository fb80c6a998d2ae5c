"""The autograder cell and the preprocessors, judged by nbgrader's own grading rule
(``nbgrader.utils.determine_grade``): partial credit, no points without a score, no student code run."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import KIT
from nbgrader.utils import determine_grade

from grader.exercises import EXERCISES
from grader.lms import cell as cell_module
from grader.lms.nbgrader_hooks import SKIP, NoScoreNoPoints, OnlyWriteStudentCode, writefile
from grader.lms.notebooks import autograder_id, exercise_notebook
from grader.models import Limits

EX01 = EXERCISES["ex01"]


def notebook() -> nbformat.NotebookNode:
    stub = (KIT / "exercises" / EX01.filename).read_text()
    solution = (KIT / "solutions" / EX01.filename).read_text()
    return nbformat.reads(json.dumps(exercise_notebook(EX01, stub, solution, None, Limits())), as_version=4)


def by_id(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.mark.parametrize(
    "source, body",
    [
        ("%%writefile ex01_spawn.py\nimport os\n", "import os\n"),  # kept as it is
        ("import os\nos.system('x')\n", "import os\nos.system('x')\n"),  # the line was deleted
        ("%%bash\nrm -rf ~\n", "rm -rf ~\n"),  # another cell magic: it would have run
        ("%%writefile -a /tmp/elsewhere.py\nimport os\n", "import os\n"),  # written elsewhere
        ("  %%capture\nimport os", "import os"),
    ],
)
def test_the_student_cell_only_ever_writes_its_module(source: str, body: str) -> None:
    assert writefile(source, "ex01_spawn.py") == f"%%writefile ex01_spawn.py\n{body}"


def test_only_the_kits_cells_run() -> None:
    nb = notebook()
    by_id(nb, EX01.module).source = "def run_in_process(target, args=()):\n    return 0\n"
    nb.cells.append(nbformat.v4.new_code_cell("import time; time.sleep(600)"))  # the student's own
    renamed = nbformat.v4.new_code_cell("print('mine')")
    renamed.metadata["nbgrader"] = {"grade_id": "not-a-kit-cell", "locked": True, "grade": False, "solution": False}
    nb.cells.append(renamed)
    OnlyWriteStudentCode().preprocess(nb, {})
    assert by_id(nb, EX01.module).source.startswith("%%writefile ex01_spawn.py\ndef run_in_process")
    assert SKIP not in by_id(nb, autograder_id(EX01)).metadata.get("tags", [])
    assert SKIP in nb.cells[-2].metadata["tags"] and SKIP in nb.cells[-1].metadata["tags"]
    assert all(SKIP not in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "markdown")


def test_partial_credit_is_the_cells_value_and_no_value_is_no_credit() -> None:
    nb = notebook()
    grading = by_id(nb, autograder_id(EX01))
    assert grading.metadata.nbgrader["points"] == 10
    grading.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="ex01 ... 7/10\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "7"}, execution_count=2),
    ]
    NoScoreNoPoints().preprocess(nb, {})
    assert determine_grade(grading) == (7, 10)
    grading.outputs = []  # the kernel died before the cell: nbgrader alone would give full marks
    assert determine_grade(grading) == (10, 10)
    NoScoreNoPoints().preprocess(nb, {})
    assert determine_grade(grading) == (0, 10) and "did not report a score" in grading.outputs[0].evalue


def test_the_cell_grades_the_written_file_and_returns_the_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], no_survivors: None
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / EX01.filename).write_text((KIT / "solutions" / EX01.filename).read_text())
    assert cell_module.grade_cell("ex01", start_methods=["fork"]) == 10
    out, err = capsys.readouterr()
    assert out.startswith("ex01 Run a function in a new process  10/10") and err == ""


def test_a_missing_file_scores_zero_with_the_kits_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # the %%writefile cell was never run
    assert cell_module.grade_cell("ex01", start_methods=["fork"]) == 0
    out, err = capsys.readouterr()
    assert "ex01_spawn.py" in out and err == ""


def test_a_grader_failure_is_zero_and_a_message_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the suite exploded")

    monkeypatch.setattr(cell_module, "grade_file", broken)
    assert cell_module.grade_cell("ex01") is None
    out, err = capsys.readouterr()
    assert out == "" and "internal error of the grader" in err and "Traceback" not in err
    stderr = nbformat.v4.new_output("stream", name="stderr", text=err)
    grading = by_id(notebook(), autograder_id(EX01))
    grading.outputs = [stderr]
    assert determine_grade(grading) == (0, 10)


def test_nbgraders_timeout_is_above_the_kits_deadline(tmp_path: Path) -> None:
    from grader.lms.notebooks import write_course

    limits = Limits(deadline=100, time_scale=2, load_allowance=0.5)
    write_course(tmp_path, KIT, assignment="a", exercises=[EX01], start_methods=["fork"], limits=limits)
    config = (tmp_path / "nbgrader_config.py").read_text()
    # 200 s for the kit to stop a submission, 100 s more it may give back on a busy machine, and a margin
    assert "c.Execute.timeout = 360\n" in config
    grading = json.loads((tmp_path / "source" / "a" / "ex01_spawn.ipynb").read_text())["cells"][3]["source"]
    assert grading.endswith(
        "grade_cell('ex01', start_methods=['fork'], deadline=100, time_scale=2, load_allowance=0.5)"
    )
