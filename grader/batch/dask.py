"""Grade a batch on a Dask cluster: ``grade batch --scheduler``, or ``grade_batch(client=...)``.

The gradings of a local batch, spread over the workers of a cluster (a ``LocalCluster``, Slurm or
PBS through dask-jobqueue, Kubernetes). Each travels as content (an ``Upload``): a worker writes
the file into a temporary folder of its own and grades it with ``grade_upload``, the call a local
batch makes, so it shares no filesystem with this machine. What comes back is JSON text, trusted
no further than its schema; this side stays the only writer of the results folder.

A worker that dies while grading (killed, preempted, out of memory, or killed by the very
submission it grades) costs every grading it holds a try: Dask runs them again on other workers.
After ``distributed.scheduler.allowed-failures`` deaths (3 by default, a setting of the scheduler)
Dask gives a grading up with ``KilledWorker``, and it becomes that grading's failure.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

from distributed import CancelledError, Client, Future, KilledWorker, as_completed
from distributed.comm.addressing import get_address_host_port

from grader import __version__
from grader.batch.grading import Grading, Upload, grade_upload
from grader.errors import GraderError, UsageError
from grader.models import ExerciseResult, slug


def connect(address: str) -> Client:
    """A client of the Dask scheduler at ``address``; a UsageError when there is none."""
    try:  # before a Client: one that fails on the address waits a minute at exit to close
        get_address_host_port(address)
    except ValueError as error:  # no port, an unknown scheme
        raise UsageError(
            f"--scheduler {address}: not a Dask scheduler address ({error}); give tcp://HOST:PORT"
        ) from None
    try:
        return Client(address, set_as_default=False)
    except OSError as error:  # refused, unknown host: Dask retries for distributed.comm.timeouts.connect
        reason = (str(error).splitlines() or [type(error).__name__])[0]
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({reason}): is it running there?") from None


def grade_remotely(upload: Upload) -> str:
    """On a worker: grade the file as a local batch does; the result as JSON text."""
    return json.dumps({"grader": __version__, "result": grade_upload(upload).to_dict()})


def run_all(pending: list[Grading], client: Client) -> Iterator[tuple[Grading, ExerciseResult | GraderError]]:
    """Results as they finish, one per grading. When stopped (Ctrl-C), the gradings not begun are
    dropped; those running finish on their workers, and their results are thrown away."""
    batch = uuid.uuid4().hex
    keys = [task_key(number, grading, batch) for number, grading in enumerate(pending)]
    # in one call, so that Dask sees one group of many tasks from the start and queues them
    sent = client.map(grade_remotely, [grading.upload() for grading in pending], key=keys)
    futures: dict[Future[str], Grading] = dict(zip(sent, pending, strict=True))
    try:
        for future in as_completed(futures, loop=client.loop):
            grading = futures.pop(future)
            yield grading, outcome(future, grading.exercise)
    finally:
        if futures:
            client.cancel(list(futures))


def task_key(number: int, grading: Grading, batch: str) -> str:
    """Readable on Dask's dashboard; unique, so that another batch on the same scheduler shares no
    key; all with one prefix, the name of their group for Dask."""
    return f"mpgrade-{number:05d}-{slug(grading.student)}-{grading.exercise}-{batch}"


def outcome(future: Future[str], exercise: str) -> ExerciseResult | GraderError:
    """The result a worker sent back, or why there is none; a lost scheduler stops the batch."""
    try:
        answer = future.result()
    except KilledWorker as error:
        return GraderError(
            f"each of the {error.allowed_failures + 1} Dask workers that graded it died while grading it: "
            "does the code kill the process that grades it, or use up the worker's memory?"
        )
    except GraderError as error:
        return error
    except CancelledError as error:
        raise GraderError(
            f"the Dask scheduler dropped the batch ({error}); the results so far are kept: run the same "
            "command again to grade the rest"
        ) from None
    except Exception as error:  # noqa: BLE001 - what breaks on one worker is this grading's failure, not the batch's
        return GraderError(f"it failed on the Dask worker: {type(error).__name__}: {error}")
    try:
        return parse(answer, exercise)
    except ValueError as error:
        return GraderError(str(error))


def parse(answer: object, exercise: str) -> ExerciseResult:
    """A worker's answer, trusted no further than its schema: a ValueError when it does not fit."""
    try:
        data = json.loads(answer) if isinstance(answer, str) else None
        if not isinstance(data, dict):
            raise ValueError(f"a malformed result: {type(answer).__name__}, not a JSON object")
        if data.get("grader") != __version__:
            raise ValueError(f"the worker runs mpgrade {data.get('grader')}, not {__version__}: install the same")
        result = ExerciseResult.from_dict(data["result"])
        if result.exercise != exercise or result.to_dict() != data["result"]:
            raise ValueError("a malformed result: not the schema of a result of this exercise")
        return result
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"a malformed result: {type(error).__name__}: {error}") from None
