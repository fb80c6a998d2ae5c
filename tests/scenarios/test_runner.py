"""The runner's command line, as ``grader.sandbox`` writes it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time

import pytest

from grader.scenarios import records, runner


def test_the_command_line_is_read_into_typed_options() -> None:
    options = runner.parse(
        ["--fd", "21", "--module", "ex01_spawn", "--submission", "/s", "--work", "/w", "--dumps", "/d",
         "--scope", "namespace", "--limits", "{}", "--output-limit", "8192", "--drop-to", "65534"]
    )  # fmt: skip
    assert options == runner.Options(21, "ex01_spawn", "/s", "/w", "/d", "namespace", "{}", 8192, 65534, 4)


@pytest.mark.parametrize(
    "argv, says",
    [
        (["--fd", "3", "--bogus", "1"], "unknown option '--bogus'"),
        (["--fd"], "expected --name value pairs"),
        (["--fd", "3"], "missing"),
        (["--fd", "3", "--module", "m", "--submission", "s", "--work", "w", "--dumps", "d", "--scope", "host",
          "--limits", "{}", "--output-limit", "1"], "--scope is one of"),
    ],
)  # fmt: skip
def test_a_wrong_command_line_stops_the_runner_with_what_is_wrong(argv: list[str], says: str) -> None:
    with pytest.raises(SystemExit, match=says):
        runner.parse(argv)


def test_an_expire_that_came_after_its_scenario_ended_is_passed_over() -> None:
    """The judge may send ``Expire`` while the scenario it would stop is timing out on its own: the
    runner reads it between requests, and must go on with the next one (it had died reading the
    ``Expire`` as a request, and the judge told a correct student "your code stopped or killed it")."""
    judge, runner_side = socket.socketpair()
    request = records.Request("ex05.pipeline", "spawn", {"items": [1]}, 5.0, 2.0, 3.0)
    records.send(judge, records.Expire("ex05.pipeline", "fork"))
    records.send(judge, request)
    judge.close()
    assert list(runner.requests(runner_side)) == [request]


class Scenario:
    """A scenario process that ends only when let go: it stands for one a busy machine held up."""

    def __init__(self) -> None:
        self.go_r, self.go_w = os.pipe()
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.read(self.go_r, 1)
            os._exit(0)
        os.close(result_w)
        os.close(output_w)
        self.judge, self.runner_side = socket.socketpair()
        self.watch = runner.Watch(self.pid, result_r, output_r, 1024, bytes(runner.NONCE), self.runner_side)

    def let_go(self) -> None:
        os.write(self.go_w, b"x")

    def end(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def test_the_time_its_processes_waited_for_a_cpu_is_given_back_to_a_scenario() -> None:
    scenario = Scenario()
    asked: list[float] = []

    def cpu_wait() -> float:  # as the time is up: they waited 30 s; given that, the scenario ends
        asked.append(30.0)
        scenario.let_go()
        return 30.0

    try:
        assert scenario.watch.until(time.monotonic(), cpu_wait)
        assert scenario.watch.waited == 30.0 and asked == [30.0]
    finally:
        scenario.end()


def test_a_scenario_whose_processes_did_not_wait_for_a_cpu_times_out_at_its_time() -> None:
    scenario = Scenario()
    try:
        assert not scenario.watch.until(time.monotonic(), lambda: runner.WAIT_STEP / 2)
        assert scenario.watch.waited == 0.0
    finally:
        scenario.end()
