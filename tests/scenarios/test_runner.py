"""The runner's command line, as ``grader.sandbox`` writes it."""

from __future__ import annotations

import socket

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
