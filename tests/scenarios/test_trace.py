"""The tracer: calls of the student's lines, folded, and a mark where it stops keeping them."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from grader.scenarios import probes
from grader.scenarios.records import DROPPED, READY
from grader.scenarios.trace import LIMIT, Tracer, _describe_wait_for
from grader.scenarios.waits import ParentSleeps


def test_past_its_limit_the_tracer_keeps_one_mark_that_counts_what_it_dropped(tmp_path: Path) -> None:
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    # calls that do not fold: 9 lengths of sleep, again and again, from the student's file
    loop = "for n in range(600):\n    tracer.record('time.sleep', None, str(n % 9 + n), depth=1)\n"
    code = compile(loop, student, "exec")
    exec(code, {"tracer": tracer})
    assert len(tracer.calls) == LIMIT
    assert [call.api for call in tracer.calls].count(DROPPED) == 1
    assert tracer.calls[-1].api == DROPPED and tracer.calls[-1].count == 600 - (LIMIT - 1)
    assert tracer.calls[-1].line == 2


def test_a_sleep_instead_of_a_wait_marks_the_release_until_the_parent_looks_or_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A held target stands while the parent's code sleeps instead of waiting: from a sleep of the
    student's file that no look came before, in one long sleep or many short ones, until a look or a
    wait. A poll's sleep, right after a look, is not one instead of a wait; nor is a sleep of the
    grader's or the standard library's own."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    release = probes.Release.create(tmp_path / "release", timeout=30)
    ParentSleeps(tracer, release)
    seen: list[bool] = []
    clock: Any = types.SimpleNamespace(sleep=lambda seconds: seen.append(probes.exists(release.folder, probes.ASLEEP)))
    tracer._wrap_function(clock, "sleep", "time.sleep", only_direct=True)

    def student_code(code: str) -> None:
        processes = {"started": types.SimpleNamespace(pid=10), "unstarted": types.SimpleNamespace(pid=None)}
        exec(compile(code, student, "exec"), {"clock": clock, "tracer": tracer, **processes})

    def told(api: str, process: str = "started") -> str:  # a call of the student's file, as the tracer tells it
        return f"tracer._tell('enter', '{api}', {process}, (), {{}}, None)\n"

    clock.sleep(1)  # from here: not the student's file
    student_code("clock.sleep(0.1)\nclock.sleep(0.1)\n")  # short sleeps instead of a wait
    assert seen == [False, True, True] and probes.exists(release.folder, probes.ASLEEP)
    tracer._tell("enter", "Process.is_alive", None, (), {}, None)  # a look not of the file (start() under forkserver)
    student_code("clock.sleep(0.1)\n")
    assert seen[3:] == [True]
    student_code(told("Process.is_alive") + "clock.sleep(3)\n")  # a look, then a poll's sleep
    student_code(told("Process.is_alive") + "clock.sleep(3)\n")
    assert seen[4:] == [False, False]
    student_code("clock.sleep(1)\n")  # no look since the last sleep: instead of a wait again
    assert seen[6:] == [True]
    student_code(told("Process.is_alive", "unstarted") + "clock.sleep(1)\n")  # a look at nothing (red team, round 18)
    assert seen[7:] == [True]
    student_code(told("Process.join"))
    assert not probes.exists(release.folder, probes.ASLEEP)


def test_a_timed_wait_of_the_file_for_an_event_is_a_sleep_and_a_librarys_is_not_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``threading.Event().wait(3)`` instead of a join sleeps as ``time.sleep(3)`` does (the held
    target went on by itself, and the check's verdict followed the machine's load); a pool's threads
    wait on events all the time, untold."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, str(Path(__file__).resolve().parent)})
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    release = probes.Release.create(tmp_path / "release", timeout=30)
    ParentSleeps(tracer, release)
    seen: list[bool] = []
    event: Any = type(
        "Event", (), {"wait": lambda self, timeout=None: seen.append(probes.exists(release.folder, probes.ASLEEP))}
    )
    tracer._wrap_direct(event, "wait", "Event.wait", _describe_wait_for)
    library: dict[str, Any] = {}
    exec(compile("def on_its_behalf(event):\n    event.wait(5)\n", str(tmp_path / "pool.py"), "exec"), library)
    code = "on_its_behalf(event())\nevent().wait()\nevent().wait(0.1)\n"
    exec(compile(code, student, "exec"), {"event": event, **library})
    assert seen == [False, False, True]  # the library's is untold; untimed, the file's waits for the event
    assert [(call.api, call.detail, call.line) for call in tracer.calls] == [
        ("Event.wait", "", 2),
        ("Event.wait", "timeout=0.1", 3),
    ]


def test_a_listener_is_told_whether_the_file_itself_made_the_call_or_a_library_on_its_behalf(tmp_path: Path) -> None:
    """A pool's own threads look at its workers (``exitcode``): no look of the parent's."""
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    told: list[bool] = []
    tracer.listeners.append(lambda *told_of: told.append(tracer.told_by_the_file()))
    worker: Any = type("Worker", (), {"look": lambda self: None})
    tracer._wrap(worker, "look", "Process.is_alive")
    library: dict[str, Any] = {}
    exec(compile("def on_its_behalf(process):\n    process.look()\n", str(tmp_path / "pool.py"), "exec"), library)
    scope = {"process": worker(), **library}
    exec(compile("process.look()\nany(p.look() for p in [process])\non_its_behalf(process)\n", student, "exec"), scope)
    worker().look()  # not from the student's file at all
    assert told == [True] * 4 + [False] * 4  # (enter, exit) of each call


def test_a_listener_is_told_the_line_of_the_file_that_made_the_call_and_whether_two_are_in_one_loop(
    tmp_path: Path,
) -> None:
    """A loop's lines, read before the student's code ran: a while's test with its body, a for's body
    (its iterable runs once)."""
    student = tmp_path / "ex01_spawn.py"
    code = "for n in range(2):\n    process.look()\n    x = 1\nwhile True:\n    process.look()\n    break\n"
    student.write_text(code)
    tracer = Tracer(str(student))
    lines: list[int | None] = []
    tracer.listeners.append(lambda when, *rest: lines.append(tracer.told_line()) if when == "enter" else None)
    worker: Any = type("Worker", (), {"look": lambda self: None})
    tracer._wrap(worker, "look", "Process.is_alive")
    exec(compile(code, str(student), "exec"), {"process": worker()})
    assert lines == [2, 2, 5]
    assert tracer.in_one_loop(2, 3) and tracer.in_one_loop(4, 6) and tracer.in_one_loop(5, 5)
    assert not tracer.in_one_loop(1, 2) and not tracer.in_one_loop(3, 5)


def test_a_wait_records_the_processes_it_found_ended_and_only_those_with_its_timeout(tmp_path: Path) -> None:
    """A wait for any of several sentinels returns at the first that is ready: it waited for that
    process, not for the others listed (a decoy's and the process's: red team, round 18). With a
    timeout it is a look, which saw that one ended (a join after it waits for nothing: a04)."""
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    decoy, process = types.SimpleNamespace(), types.SimpleNamespace()
    tracer.sentinels = {5: decoy, 6: process}
    connection: Any = types.SimpleNamespace(wait=lambda listed, timeout=None: [5])  # the decoy ended first
    tracer._wrap_function(connection, "wait", "connection.wait")
    exec(compile("connection.wait([5, 6])\nconnection.wait([5, 6], 1)\n", student, "exec"), {"connection": connection})
    assert [(call.api, call.obj, call.line) for call in tracer.calls] == [
        ("connection.wait", 0, 1),
        (READY, tracer.number(decoy), 1),
        ("connection.wait", 0, 2),
        (READY, tracer.number(decoy), 2),
    ]
    assert [call.detail for call in tracer.calls] == ["", "", "", "timeout=1"]


def test_a_select_of_the_file_on_sentinels_is_the_traced_wait_and_any_other_is_the_modules(tmp_path: Path) -> None:
    """``select.select([p.sentinel], [], [])`` waits as ``connection.wait([p.sentinel])`` does (it
    was untraced: the waits check said the parent never waited); a select on anything else, or a
    library's, is left to the module."""
    student = str(tmp_path / "ex01_spawn.py")
    tracer = Tracer(student)
    tracer.sentinels = {6: types.SimpleNamespace()}
    connection: Any = types.SimpleNamespace(wait=lambda listed, timeout=None: [6])
    tracer._wrap_function(connection, "wait", "connection.wait")
    selected: list[Any] = []
    module: Any = types.SimpleNamespace(select=lambda *args: selected.append(args) or ([], [], []))
    tracer._wrap_select(module, connection)
    code = "got = select.select([6], [], [])\nselect.select([6], [], [], 0.5)\nselect.select([7], [], [])\n"
    scope: dict[str, Any] = {"select": module}
    exec(compile(code, student, "exec"), scope)
    assert scope["got"] == ([6], [], [])
    assert [(call.api, call.line, call.detail) for call in tracer.calls if call.api == "connection.wait"] == [
        ("connection.wait", 1, ""),
        ("connection.wait", 2, ""),
    ]
    assert [call.line for call in tracer.calls if call.api == READY] == [1, 2]
    assert selected == [([7], [], [], None)]
