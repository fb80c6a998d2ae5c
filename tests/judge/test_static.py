"""What the judge reads from the file itself: which loops that look at a process can end before it does."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge.static import Facts

LOOPS = {
    "while p.is_alive():\n    time.sleep(0.01)": False,
    "while p.exitcode is None:\n    pass": False,
    "while any(p.is_alive() for p in ps):\n    time.sleep(0.01)": False,
    "while True:\n    if not p.is_alive():\n        break\n    time.sleep(0.01)": False,
    "for i in range(len(ps)):\n    while ps[i].is_alive():\n        time.sleep(0.01)": False,
    "for i in range(len(ps)):\n    if ps[i].is_alive():\n        break": False,
    "while p.is_alive() and time.monotonic() < deadline:\n    time.sleep(0.01)": True,
    "while p.is_alive() and tries < 100:\n    tries += 1": True,
    "while p.is_alive():\n    if time.time() > deadline:\n        break": True,
    "while True:\n    if p.exitcode is not None:\n        break\n    if waited > 5:\n        return None": True,
    "for _ in range(300):\n    if p.exitcode is not None:\n        break": True,
    # red team, round 8: a way out or'ed with the look, by raising, or a flag of its own
    "while True:\n    if not p.is_alive() or time.monotonic() > deadline:\n        break": True,
    "while p.is_alive():\n    if time.monotonic() > deadline:\n        raise TimeoutError": True,
    "while not waited:\n    waited = time.monotonic() > deadline\n    p.is_alive()": True,
    "while time.monotonic() < deadline:\n    if not p.is_alive():\n        break": True,
    # red team, round 9: the deadline beside the look in one expression
    "while [p.is_alive(), time.monotonic() < deadline] == [True, True]:\n    time.sleep(0.01)": True,
    "while (p.is_alive(), tries) < (True, 100):\n    tries += 1": True,
    "while True:\n    if [p.exitcode, time.time() > deadline] != [None, False]:\n        break": True,
    "while not (p.exitcode is not None or time.monotonic() > deadline):\n    pass": True,
    # a deadline that cannot end the loop while the process runs
    "while p.is_alive() or time.monotonic() < deadline:\n    time.sleep(0.01)": False,
    "while not (p.exitcode is not None and time.monotonic() > deadline):\n    pass": False,
    "while any([p.is_alive() for p in ps if p is not None]):\n    time.sleep(0.01)": False,
    # looks kept in names: no way out of their own
    "while True:\n    alive = [q for q in ps if q.is_alive()]\n    if not alive:\n        break": False,
    "done = False\nwhile not done:\n    done = p.exitcode is not None": False,
    "while True:\n    if not p.is_alive() and not tries:\n        break": False,
}


@pytest.mark.parametrize("loop", LOOPS)
def test_a_polling_loop_with_a_way_out_of_its_own_is_told(loop: str) -> None:
    source = "def f(p, ps, deadline, tries, waited):\n" + textwrap.indent(loop, "    ") + "\n"
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "is_alive()" in text or ".exitcode" in text)
    assert Facts(source).polling_loop_with_a_way_out(line) is LOOPS[loop]


def test_a_look_outside_any_loop_has_no_way_out() -> None:
    assert not Facts("def f(p):\n    return p.exitcode\n").polling_loop_with_a_way_out(2)
