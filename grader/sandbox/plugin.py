"""The sandbox's pytest plugin: the harness around a hidden suite, inside the submission's tree.

It sets the limits before any student code runs, writes one record per check and start method
for the grader (an append-only file only the grader reads, each line signed with a key the
student's code never sees), turns a timeout into a report of where every process was blocked,
and kills whatever a check left running before the next one starts.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import multiprocessing.process
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Generator
from pathlib import Path
from typing import Any

import psutil
import pytest

from grader import feedback
from grader.models import CheckSpec, Status
from grader.sandbox import records, stacks, tree
from grader.suites import framework
from grader.suites.framework import BrokenSubmission, Mistake

TIMEOUT_MARK = "mpgrade: check timed out"
GRACE = 3.0  # seconds between repeated timeouts of a check whose code swallows the first


def pytest_configure(config: pytest.Config) -> None:
    # take the secrets before any student code is imported: the key from a pipe, closed at once
    results = Path(os.environ.pop("MPGRADE_RESULTS"))
    key_fd = int(os.environ.pop("MPGRADE_KEY_FD"))
    key = os.read(key_fd, 256).decode()
    os.close(key_fd)
    limits = json.loads(os.environ["MPGRADE_LIMITS"])
    apply_limits(limits)
    tree.become_subreaper()
    threading.Thread(target=die_with_grader, args=(os.getppid(),), daemon=True, name="mpgrade-watchdog").start()
    config.pluginmanager.register(Harness(results, key, limits), "mpgrade-harness")


def die_with_grader(grader: int) -> None:
    """If the grader is killed (kill -9 in a batch), take the submission's processes along."""
    while os.getppid() == grader:
        time.sleep(0.5)
    tree.kill_all(lambda: tree.descendants(os.getpid()))
    os._exit(70)


def apply_limits(limits: dict[str, int]) -> None:
    """Per-process OS limits; children inherit them. The grader polls the tree for the rest."""
    megabyte = 1024 * 1024
    wanted = {
        "RLIMIT_AS": limits["memory_mb"] * megabyte,
        "RLIMIT_CPU": limits["cpu_seconds"],
        "RLIMIT_FSIZE": limits["file_size_mb"] * megabyte,
        "RLIMIT_CORE": 0,
    }
    if os.geteuid() != 0:  # RLIMIT_NPROC counts all of the user's processes and binds no root
        wanted["RLIMIT_NPROC"] = len(psutil.pids()) + limits["max_processes"]
    for name, value in wanted.items():
        # past the soft CPU limit comes SIGXCPU, which says why; SIGKILL only at the hard one
        hard = value + 2 if name == "RLIMIT_CPU" else value
        # not enforceable everywhere (RLIMIT_AS on macOS): the grader's polling remains
        with contextlib.suppress(AttributeError, ValueError, OSError):
            resource.setrlimit(getattr(resource, name), (value, hard))
    # past the file size limit a write fails with EFBIG instead of killing the process
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


class Harness:
    def __init__(self, results: Path, key: str, limits: dict[str, int]) -> None:
        self.results = open(results, "a", encoding="utf-8")  # noqa: SIM115 - open for the session
        self.key = key
        self.output_limit = limits["output_kb"] * 1024
        self.submission = Path(os.environ["MPGRADE_SUBMISSION"])
        self.dumps = Path(os.environ["MPGRADE_DUMPS"])
        self.failed: set[str] = set()  # checks that failed under some start method already
        self.outcome: dict[str, dict[str, Any]] = {}  # by nodeid, for the check running now

    def write(self, **record: Any) -> None:
        self.results.write(records.sign(self.key, record))
        self.results.flush()

    # --- the lifecycle of one check --------------------------------------------------------

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, None, None]:
        spec, method = check_of(item)
        self.write(event="start", check=spec.id, method=method)
        framework.CALLED.clear()
        self.outcome[item.nodeid] = {"status": Status.PASSED.value, "output": []}
        started = time.monotonic()
        yield
        outcome = self.outcome.pop(item.nodeid)
        left = self.kill_leftovers()
        if outcome["status"] == Status.PASSED.value:
            outcome["output"] = []
        elif left:
            outcome["output"].append(
                f"(the grader stopped {left} process{'es' if left > 1 else ''} your code left running)"
            )
        output = feedback.clean_output("\n".join(outcome.pop("output")), self.submission, self.output_limit)
        self.write(
            event="result",
            check=spec.id,
            method=method,
            duration=time.monotonic() - started,
            output=output,
            **outcome,
        )

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        spec, method = check_of(item)
        if spec.id in self.failed:
            pytest.skip(f"already failed under another start method; not run under {method}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
        report: pytest.TestReport = (yield).get_result()
        outcome = self.outcome[item.nodeid]
        outcome["output"].extend(text for _, text in report.sections if text.strip() and text not in outcome["output"])
        if call.excinfo is None or outcome["status"] != Status.PASSED.value:
            return
        error = call.excinfo.value
        if isinstance(error, pytest.skip.Exception):
            outcome["status"] = "skipped"
            return
        outcome.update(self.judge(error, item))
        if outcome["status"] != Status.PASSED.value:
            self.failed.add(check_of(item)[0].id)

    def judge(self, error: BaseException, item: pytest.Item) -> dict[str, Any]:
        """Status, message, hint and location for what a check raised."""
        stack_report = item.stash.get(STACKS, "")
        if isinstance(error, Mistake):
            where = framework.definition(framework.CALLED[0]) if framework.CALLED else None
            return {
                "status": Status.FAILED.value,
                "message": str(error),
                "hint": error.hint,
                "location": where and vars(where),
            }
        if isinstance(error, BrokenSubmission):
            return {
                "status": Status.ERROR.value,
                "message": str(error),
                "hint": error.hint,
                "location": error.location and vars(error.location),
                "stacks": stack_report,
            }
        if isinstance(error, pytest.fail.Exception) and TIMEOUT_MARK in str(error):
            seconds = str(error).rsplit(" ", 1)[-1]
            message = (
                f"This check did not finish within {seconds} s: something waits forever (a deadlock) or runs on and on."
            )
            if not stack_report:
                message = f"This check needs a run that did not finish within {seconds} s (see the check before it)."
            return {"status": Status.TIMEOUT.value, "message": message, "stacks": stack_report}
        frames = feedback.student_frames(error, self.submission)
        if not frames and not isinstance(error, (SystemExit, MemoryError, OSError)):
            return {
                "status": "internal",
                "message": "".join(traceback.format_exception(error)),
            }
        message, location, hint = feedback.describe_error(error, self.submission)
        return {
            "status": Status.ERROR.value,
            "message": message,
            "hint": hint or None,
            "location": location and vars(location),
        }

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.write(event="finished")

    # --- timeouts ---------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings: Any) -> bool:
        seconds = settings.timeout

        def on_timeout(signum: int, frame: Any) -> None:
            if STACKS not in item.stash:
                item.stash[STACKS] = self.where_is_everyone()
            self.kill_leftovers()
            signal.setitimer(signal.ITIMER_REAL, GRACE)  # again, if the code swallows this one
            pytest.fail(f"{TIMEOUT_MARK} {seconds:g}", pytrace=False)

        signal.signal(signal.SIGALRM, on_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_cancel_timer(self, item: pytest.Item) -> bool:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        return True

    def where_is_everyone(self) -> str:
        pids = [os.getpid(), *(process.pid for process in tree.descendants(os.getpid()))]
        return stacks.render(stacks.report(pids, self.dumps, self.submission, os.getpid()))

    # --- clean-up ---------------------------------------------------------------------------

    def kill_leftovers(self) -> int:
        """Kill what the check left running, except multiprocessing's fork server and resource
        tracker: they run none of the student's code, and killing them only makes noise."""
        helpers = framework.infrastructure()
        killed = tree.kill_all(lambda: [p for p in tree.descendants(os.getpid()) if p.pid not in helpers])
        multiprocessing.active_children()  # lets multiprocessing reap the Process objects it knows
        # multiprocessing waits for its own helpers itself, and fails if they were reaped here
        known = helpers | {p.pid for p in multiprocessing.process._children if p.pid}  # type: ignore[attr-defined]
        tree.reap_orphans(known)
        return killed


STACKS = pytest.StashKey[str]()


def check_of(item: pytest.Item) -> tuple[CheckSpec, str]:
    spec: CheckSpec = item.function.check  # type: ignore[attr-defined]
    return spec, item.callspec.params["start_method"]  # type: ignore[attr-defined]
