"""nbgrader preprocessors that make autograding the kit's notebooks safe, and the config that installs them.

nbgrader runs every cell of a submitted notebook in one kernel, with one timeout for every cell, and
gives full marks to an autograder cell with no output (when the kernel died before it, nbgrader
issues #427 and #931). So, before the notebook runs, the student's code cell is made to start with
its ``%%writefile`` line again (the cell only writes the module, the kit's sandbox runs it) and every
code cell that is neither that nor the kit's autograder cell is tagged to be skipped; after it ran, an
autograder cell that reported no score gets an error, which nbgrader counts as 0 points.
"""

from __future__ import annotations

from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, OverwriteCells

from grader.exercises import EXERCISES
from grader.lms.notebooks import autograder_id, module_cells

SKIP = "skip-execution"  # the tag nbclient skips (NotebookClient.skip_cells_with_tag)
NO_SCORE = (
    "The autograder did not report a score for this exercise (its kernel died or was stopped), "
    "so it gives no points. Please tell the course staff."
)


def _grade_id(cell: NotebookNode) -> str:
    return str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))


class OnlyWriteStudentCode(NbGraderPreprocessor):  # type: ignore[misc]  # nbgrader has no type hints
    """Before execution: the student's cell writes its module and nothing else of theirs runs."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        modules = module_cells()
        autograders = {autograder_id(exercise) for exercise in EXERCISES.values()}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            exercise = modules.get(_grade_id(cell))
            if exercise is not None:
                cell.source = writefile(cell.source, exercise.filename)
            elif _grade_id(cell) not in autograders:  # a cell the student added, or one they changed
                tags = cell.metadata.setdefault("tags", [])
                if SKIP not in tags:
                    tags.append(SKIP)
        return nb, resources


class NoScoreNoPoints(NbGraderPreprocessor):  # type: ignore[misc]
    """After execution: an autograder cell that returned no score gets an error output (0 points)."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        autograders = {autograder_id(exercise) for exercise in EXERCISES.values()}
        for cell in nb.cells:
            if cell.cell_type != "code" or _grade_id(cell) not in autograders:
                continue
            kinds = {output.output_type for output in cell.outputs}
            stderr = any(output.get("name") == "stderr" for output in cell.outputs)
            if "execute_result" not in kinds and "error" not in kinds and not stderr:
                error = NotebookNode(output_type="error", ename="NoScore", evalue=NO_SCORE, traceback=[NO_SCORE])  # type: ignore[no-untyped-call]
                cell.outputs.append(error)
        return nb, resources


def writefile(source: str, filename: str) -> str:
    """The cell's source with ``%%writefile FILENAME`` as its first line, whatever the student made of it."""
    first, _, rest = source.partition("\n")
    body = rest if first.lstrip().startswith("%%") else source
    return f"%%writefile {filename}\n{body}"


def configure(c: Any) -> None:
    """Install both preprocessors into nbgrader's autograde steps (called by nbgrader_config.py)."""
    sanitize = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    sanitize.insert(sanitize.index(OverwriteCells) + 1, OnlyWriteStudentCode)
    autograde = list(Autograde.class_traits()["autograde_preprocessors"].default())
    autograde.insert(autograde.index(Execute) + 1, NoScoreNoPoints)
    c.Autograde.sanitize_preprocessors = sanitize
    c.Autograde.autograde_preprocessors = autograde
