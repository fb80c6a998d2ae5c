"""``grade notebooks COURSE_DIR``: the exercises as an nbgrader course, one notebook per exercise.

Each notebook has the exercise's text, the student's code in a cell that starts with ``%%writefile``
(so it is saved as a real module: a function defined in a notebook lives in ``__main__`` and cannot
be found by a ``spawn`` or ``forkserver`` child), and a locked autograder cell that grades the written
module with the kit (``grader.lms.cell``). The code cell holds the reference solution between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, followed by the stub's own code: with the course's
code stub set to a comment, ``nbgrader generate_assignment`` releases exactly the kit's stub.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.exercises import EXERCISES, Exercise
from grader.models import Limits

MARK = "# Written by `grade notebooks` (mpgrade)."  # an nbgrader_config.py with this first line is ours
CODE_STUB = "# YOUR CODE HERE"  # what a solution region becomes in the released notebook
MARGIN = 60  # seconds nbgrader waits beyond the kit's deadline: the sandbox stops itself before

CONFIG = """\
{mark} Rewritten when you run it again.
# nbgrader settings for the kit's exercise notebooks; see README, "Using with nbgrader".
from grader.lms.nbgrader_hooks import configure

c = get_config()  # noqa: F821 - nbgrader's config loader provides it
c.CourseDirectory.course_id = {course!r}
# A solution region is released as this comment, followed by the stub's own code.
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
# Longer than the kit's deadline for one exercise ({deadline} s): the kit's sandbox ends a submission
# that hangs or forks without end, so nbgrader's own timeout never has to.
c.Execute.timeout = {timeout}
# Autograding runs no student code in the kernel: the student's cell only writes its module, a cell
# the student added does not run, and an autograder cell that reports no score gives no points.
configure(c)
"""

WHY_WRITEFILE = """\
## How this notebook works

Write your code in the cell below. Its first line, `%%writefile {filename}`, saves the cell as the \
file `{filename}` next to this notebook instead of running it: **keep that line**.

Why a file? Functions defined in a notebook cell live in the module `__main__`, which a child \
process started with `spawn` or `forkserver` (the default on macOS and Windows, and on Linux from \
Python 3.14) cannot import: it fails with `AttributeError: Can't get attribute ... on <module \
'__main__'>`. That is exactly the trap this course is about, so your code must be a real module, \
as it would be in a program.

Run the cell to save your code, then run the autograder cell after it (it needs the course kit, \
`mpgrade`, installed). It grades the saved file in a sandbox with hidden checks, under every start \
method, and prints for each check `PASS`, `FAIL`, `ERROR`, `TIME` or `SKIP` with a hint. Your score \
is the number it returns. (Its line numbers are the file's: one less than the cell's, whose first line \
is `%%writefile`.)
"""

AUTOGRADER = """\
# Grades the file written above with the course kit's hidden checks, in a sandbox (as `grade {id}`
# does). The number this cell returns is your score for {id}.
from grader.lms.cell import grade_cell

grade_cell({arguments})
"""


def write_course(
    course: Path,
    kit: Path,
    *,
    assignment: str,
    exercises: list[Exercise],
    start_methods: list[str] | None = None,
    limits: Limits = Limits(),
) -> list[Path]:
    """Write ``nbgrader_config.py`` and ``source/<assignment>/<module>.ipynb`` for each exercise."""
    if not re.fullmatch(r"[\w.-]+", assignment):
        raise UsageError(f"--assignment {assignment!r}: use letters, digits, '.', '-' and '_' only")
    config = course / "nbgrader_config.py"
    if config.exists() and not config.read_text(encoding="utf-8").startswith(MARK):
        raise UsageError(
            f"{config} exists and was not written by grade notebooks: move it away, or merge into it "
            "what grade notebooks writes (see README, 'Using with nbgrader')"
        )
    folder = course / "source" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    deadline = limits.longest
    config.write_text(
        CONFIG.format(
            mark=MARK, course=course.resolve().name, stub=CODE_STUB, deadline=f"{deadline:g}",
            timeout=math.ceil(deadline) + MARGIN,
        ),
        encoding="utf-8",
    )  # fmt: skip
    written = [config]
    for exercise in exercises:
        stub = (kit / "exercises" / exercise.filename).read_text(encoding="utf-8")
        solution = (kit / "solutions" / exercise.filename).read_text(encoding="utf-8")
        path = folder / f"{exercise.module}.ipynb"
        notebook = exercise_notebook(exercise, stub, solution, start_methods, limits)
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def exercise_notebook(
    exercise: Exercise, stub: str, solution: str, start_methods: list[str] | None, limits: Limits
) -> dict[str, Any]:
    """The source notebook of one exercise (nbformat 4, nbgrader's cell metadata)."""
    text = ast.get_docstring(ast.parse(stub)) or exercise.title
    arguments = [repr(exercise.id)]
    if start_methods:
        arguments.append(f"start_methods={start_methods!r}")
    arguments += [f"{name}={value!r}" for name, value in vars(limits).items() if value != getattr(Limits(), name)]
    cells = [
        _cell("markdown", f"# {exercise.id}: {exercise.title}\n\n{_markdown(text)}", f"{exercise.id}_text"),
        _cell("markdown", WHY_WRITEFILE.format(filename=exercise.filename), f"{exercise.id}_how"),
        _cell(
            "code",
            f"%%writefile {exercise.filename}\n{module_source(stub, solution)}",
            exercise.module,
            solution=True,
            locked=False,
        ),  # fmt: skip
        _cell(
            "code",
            AUTOGRADER.format(id=exercise.id, arguments=", ".join(arguments)).rstrip("\n"),
            autograder_id(exercise),
            points=sum(check.points for check in exercise.checks()),
        ),  # fmt: skip
    ]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def autograder_id(exercise: Exercise) -> str:
    """The grade id of the exercise's autograder cell (its module cell's grade id is its module name)."""
    return f"{exercise.id}_autograder"


def module_cells() -> dict[str, Exercise]:
    """Grade id of each student code cell -> its exercise."""
    return {exercise.module: exercise for exercise in EXERCISES.values()}


def module_source(stub: str, solution: str) -> str:
    """The stub, where each function the solution changes gets the solution's body as a solution
    region before the stub's own body (unreachable in the source, released as the stub)."""
    stub_tree, solution_tree = ast.parse(stub), ast.parse(solution)
    solved = {node.name: node for node in solution_tree.body if isinstance(node, ast.FunctionDef)}
    if _others(stub_tree) != _others(solution_tree) or set(solved) != set(_functions(stub_tree)):
        raise ValueError("the solution differs from the stub outside the bodies of the stub's functions")
    lines, solution_lines = stub.splitlines(), solution.splitlines()
    for function in reversed(_functions(stub_tree).values()):
        reference = solved[function.name]
        if ast.dump(function.args) != ast.dump(reference.args):
            raise ValueError(f"{function.name}: the solution's signature differs from the stub's")
        if [ast.dump(node) for node in _body(function)] == [ast.dump(node) for node in _body(reference)]:
            continue
        indent = " " * function.body[0].col_offset
        region = solution_lines[_text_start(reference) : reference.end_lineno]
        if not _returns(reference.body):
            region.append(f"{indent}return")  # the stub's code after the region must never run
        start = _text_start(function)
        lines[start:start] = [f"{indent}### BEGIN SOLUTION", *region, f"{indent}### END SOLUTION"]
    docstring = stub_tree.body[0]
    assert isinstance(docstring, ast.Expr) and docstring.end_lineno is not None
    summary = (ast.get_docstring(stub_tree) or "").splitlines()[0]
    return "\n".join([f'"""{summary}"""', *lines[docstring.end_lineno :]]).rstrip("\n") + "\n"


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _others(tree: ast.Module) -> list[str]:
    """The module's statements other than its docstring and functions."""
    return [ast.dump(node) for node in _body(tree) if not isinstance(node, ast.FunctionDef)]


def _body(node: ast.Module | ast.FunctionDef) -> list[ast.stmt]:
    """The statements after the docstring (comments before the first one are part of it in text)."""
    body = node.body
    has_docstring = body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    return body[1:] if has_docstring else body


def _returns(body: list[ast.stmt]) -> bool:
    """Whether running ``body`` always ends in a ``return`` or ``raise``."""
    last = body[-1]
    if isinstance(last, ast.With):
        return _returns(last.body)
    if isinstance(last, ast.If):
        return bool(last.orelse) and _returns(last.body) and _returns(last.orelse)
    return isinstance(last, (ast.Return, ast.Raise))


def _text_start(function: ast.FunctionDef) -> int:
    """The index of the line after the function's docstring: where its body's text starts."""
    first = function.body[0]
    has_docstring = len(_body(function)) < len(function.body)
    return (first.end_lineno or first.lineno) if has_docstring else first.lineno - 1


def _markdown(docstring: str) -> str:
    """The exercise's docstring (reStructuredText-ish) as Markdown: ``code`` becomes `code`."""
    return re.sub(r"``(.+?)``", r"`\1`", docstring)


def _cell(
    kind: str, source: str, grade_id: str, *, solution: bool = False, locked: bool = True, points: int = 0
) -> dict[str, Any]:
    nbgrader: dict[str, Any] = {
        "grade": bool(points), "grade_id": grade_id, "locked": locked, "schema_version": 3,
        "solution": solution, "task": False,
    }  # fmt: skip
    if points:
        nbgrader["points"] = points
    cell: dict[str, Any] = {"cell_type": kind, "id": grade_id.replace("_", "-"), "metadata": {"nbgrader": nbgrader}}
    cell["source"] = source
    if kind == "code":
        cell |= {"execution_count": None, "outputs": []}
    return cell
