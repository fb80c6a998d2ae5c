"""Grade a whole class: plan the gradings, run them N at a time, keep each result as it comes.

Each grading carries its file as content (an ``Upload``), and ``grade_upload`` writes it into a
temporary folder of the machine that runs it: so any ``concurrent.futures.Executor`` can run the
gradings, and so can a Dask cluster whose workers share no filesystem with this machine
(``grader.batch.dask``); by default a thread pool, since each grading is a sandboxed process of
its own. Results come back here, the only writer of the results folder. A rerun reuses every
stored result whose source, grader and settings are unchanged, so an interrupted batch resumes
where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from grader import __version__, discover
from grader.batch.grading import Grading, Settings, grade_upload
from grader.batch.layouts import Class, StudentFiles, read_class
from grader.batch.store import Store, write_atomically
from grader.errors import GraderError
from grader.exercises import EXERCISES
from grader.lms.gradebooks import Destinations
from grader.lms.gradebooks import write as write_destinations
from grader.models import ExerciseResult, Submission, SubmissionResult, slug
from grader.report import class_report, gradebook, markdown
from grader.score import unrunnable

if TYPE_CHECKING:
    from distributed import Client


class Progress(Protocol):
    def start(self, total: int, reused: int) -> None: ...
    def advance(self, grading: Grading, result: ExerciseResult) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class Summary:
    students: int
    graded: int  #: gradings run now
    reused: int  #: results kept from an earlier run
    out: Path
    failures: tuple[str, ...] = ()  #: gradings the grader itself failed on (not stored: a rerun retries)
    notes: tuple[str, ...] = ()  #: what the teacher must look at in the LMS imports


def grade_batch(
    source: Path,
    out: Path,
    *,
    settings: Settings,
    jobs: int | None = None,
    executor: Executor | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
    destinations: Destinations = Destinations(),
) -> Summary:
    """Grade every student in ``source`` (folder or zip); write everything into ``out``.

    The gradings run ``jobs`` at a time (default: the number of cores) in ``executor`` (default:
    threads), or on the Dask cluster of ``client`` (then ``jobs`` and ``executor`` are not used)."""
    scratch = out / ".work"
    shutil.rmtree(scratch, ignore_errors=True)
    klass = read_class(source, scratch)
    store = Store(out)
    stored: dict[tuple[str, str], ExerciseResult] = {}
    pending: list[Grading] = []
    for student in klass.students:
        for exercise, path in student.files.items():
            if exercise not in settings.exercises:
                continue
            content = path.read_bytes()
            key = result_key(content, settings)
            found = store.load(slug(student.student), exercise, key)
            if found is None:
                pending.append(Grading(student.student, exercise, path, key, settings, content))
            else:
                stored[student.student, exercise] = found
    reused = len(stored)
    if progress:
        progress.start(len(pending), reused)
    failures: list[str] = []
    if client is None:
        outcomes = run_all(pending, jobs, executor)
    else:
        from grader.batch import dask  # distributed is an optional extra

        outcomes = dask.run_all(pending, client)
    try:
        for grading, outcome in outcomes:
            if isinstance(outcome, GraderError):  # the grader's fault: report it, keep going
                failures.append(f"{grading.student} {grading.exercise}: {outcome}")
                outcome = broken_grading(grading, outcome)
            else:
                outcome = replace(outcome, file=str(grading.source))
                store.save(slug(grading.student), grading.exercise, grading.key, outcome)
            stored[grading.student, grading.exercise] = outcome
            if progress:
                progress.advance(grading, outcome)
    finally:
        if progress:
            progress.stop()
    _, notes = write_outputs(out, klass, stored, settings, destinations)
    shutil.rmtree(scratch, ignore_errors=True)
    return Summary(len(klass.students), len(pending), reused, out, tuple(failures), tuple(notes))


def run_all(
    pending: list[Grading], jobs: int | None, executor: Executor | None
) -> Iterator[tuple[Grading, ExerciseResult | GraderError]]:
    """Results as they finish; on Ctrl-C, stop every running sandbox before giving up."""
    cancel = threading.Event()
    own = executor is None
    jobs = jobs or os.cpu_count() or 1
    pool = executor or ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
    futures: dict[Future[ExerciseResult], Grading] = {}
    for number, grading in enumerate(pending):
        # the last gradings run their start methods side by side: a long one (a deadlock waiting
        # out its timeout under each method) would otherwise end the batch alone on one core
        last = len(pending) - number <= jobs
        parallel = min(jobs, len(grading.settings.start_methods)) if last else 1
        stop = (cancel, parallel) if own else ()  # an Event does not pickle: only our own threads can be stopped
        futures[pool.submit(grade_upload, grading.upload(), *stop)] = grading
    try:
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except GraderError as error:
                yield futures[future], error
            except Exception as error:  # noqa: BLE001 - what breaks on one file is that grading's failure, as on Dask
                yield futures[future], GraderError(f"{type(error).__name__}: {error}")
    except BaseException:
        cancel.set()
        for future in futures:
            future.cancel()
        raise
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def result_key(content: bytes, settings: Settings) -> dict[str, Any]:
    """What a stored result was computed from; JSON-shaped, so it compares equal after a reload."""
    digest = hashlib.sha256(content).hexdigest()
    key: dict[str, Any] = json.loads(
        json.dumps({"sha256": digest, "grader": __version__, "settings": asdict(settings)})
    )
    return key


def not_submitted(exercise: str, settings: Settings) -> ExerciseResult:
    spec = EXERCISES[exercise]
    submission = Submission(exercise, Path(spec.filename), "Not submitted.", submitted=False)
    return unrunnable(spec, submission, list(settings.start_methods))


def broken_grading(grading: Grading, error: GraderError) -> ExerciseResult:
    spec = EXERCISES[grading.exercise]
    problem = f"Not graded: the grader itself failed on this file ({str(error).splitlines()[0]})."
    submission = Submission(grading.exercise, grading.source, problem, submitted=False)
    return unrunnable(spec, submission, list(grading.settings.start_methods))


def write_outputs(
    out: Path,
    klass: Class,
    stored: dict[tuple[str, str], ExerciseResult],
    settings: Settings,
    destinations: Destinations = Destinations(),
) -> tuple[list[SubmissionResult], list[str]]:
    """Per student ``result.json`` and ``feedback.md``; ``gradebook.csv``, ``report.html`` and the
    LMS's import or nbgrader's gradebook when asked for; the results, and notes for the teacher."""
    results = [submission_result(student, stored, settings) for student in klass.students]
    for result in results:
        write_atomically(out / result.slug / "result.json", json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        write_atomically(out / result.slug / "feedback.md", markdown.render(result))
    write_atomically(out / "gradebook.csv", gradebook.render(results, list(settings.exercises)))
    write_atomically(out / "report.html", class_report.render(results))
    if klass.notes:
        write_atomically(out / "unattributed.txt", "\n".join(klass.notes) + "\n")
    return results, write_destinations(out, results, list(settings.exercises), destinations)


def submission_result(
    student: StudentFiles, stored: dict[tuple[str, str], ExerciseResult], settings: Settings
) -> SubmissionResult:
    exercises = tuple(
        stored.get((student.student, exercise)) or not_submitted(exercise, settings) for exercise in settings.exercises
    )
    folder = str(next(iter(student.files.values())).parent) if student.files else ""
    unreadable = tuple(exercise.problem for exercise in exercises if discover.NOT_TEXT in exercise.problem)
    return SubmissionResult(folder, exercises, student.student, student.late, student.notes + unreadable)
