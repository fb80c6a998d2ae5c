"""What the judge reads from the file itself: which loops that look at a process can end before it does."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge.static import Facts

QUEUE_LOOPS = {
    # asks until something comes
    "while True:\n    item = q.get()\n    if item is SENTINEL:\n        break": False,
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    if item is SENTINEL:\n        break": False,
    "while len(results) < n:\n    try:\n        results.append(q.get(timeout=1))\n    except queue.Empty:\n"
    "        pass": False,
    "while True:\n    if q.empty():\n        continue\n    if q.get() is None:\n        return": False,
    "while True:\n    x = seen.get('k', 0)\n    if q.get() is None:\n        break": False,
    "for item in iter(q.get, SENTINEL):\n    seen.get(item, 0)": False,
    # gives up at a limit of its own (red team, round 12: a count of timeouts; a time of silence)
    "while misses < 25:\n    try:\n        item = q.get(timeout=0.05)\n    except queue.Empty:\n"
    "        misses += 1\n        continue\n    misses = 0": True,
    "while True:\n    try:\n        item = q.get(True, 0.1)\n    except queue.Empty:\n"
    "        if time.monotonic() - last > 3:\n            break\n        continue\n    last = time.monotonic()": True,
    "while time.monotonic() < deadline:\n    try:\n        item = q.get_nowait()\n    except queue.Empty:\n"
    "        pass": True,
    "for _ in range(100):\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    if item is None:\n        break": True,
    "while True:\n    if q.empty():\n        misses += 1\n        if misses > 30:\n            return\n"
    "        continue\n    misses = 0\n    q.get()": True,
    "while True:\n    try:\n        item = q.get(block=False)\n    except queue.Empty:\n        tries += 1\n"
    "    assert tries < 100": True,
    # red team, round 14: a match, a count in disguise, a try that leaves on the first miss
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n"
    "        match time.monotonic() - last > 3:\n            case True:\n                break\n        continue": True,
    "for _ in reversed(range(50_000_000)):\n    try:\n        item = q.get(timeout=0.01)\n    except queue.Empty:\n"
    "        continue": True,
    "while True:\n    try:\n        item = q.get(timeout=5)\n    except queue.Empty:\n        break": True,
}

HELPED_CONSUMERS = {
    # red team, round 14: the look, or the clock, in a function or a class of the file
    "def ask(q):\n    return q.get(timeout=0.1)\n\ndef consumer(q):\n    while True:\n        try:\n"
    "            item = ask(q)\n        except queue.Empty:\n            if time.monotonic() > deadline:\n"
    "                break\n": True,
    "class Patience:\n    def exhausted(self):\n        return time.monotonic() > self.deadline\n\n"
    "def consumer(q, patience):\n    while True:\n        try:\n            item = q.get(timeout=0.1)\n"
    "        except queue.Empty:\n            if patience.exhausted():\n                break\n": True,
    "def ask(q):\n    return q.get()\n\ndef consumer(q):\n    while True:\n        if ask(q) is None:\n"
    "            break\n": False,
}


@pytest.mark.parametrize("source", HELPED_CONSUMERS)
def test_a_consumer_that_gives_up_through_a_function_of_the_file_is_told(source: str) -> None:
    assert (Facts(source).gives_up_waiting("consumer") is not None) is HELPED_CONSUMERS[source]


@pytest.mark.parametrize("loop", QUEUE_LOOPS)
def test_a_consumer_that_gives_up_at_a_limit_of_its_own_is_told(loop: str) -> None:
    source = (
        "def consumer(q, seen, n, results, last, deadline, misses, tries):\n" + textwrap.indent(loop, "    ") + "\n"
    )
    assert (Facts(source).gives_up_waiting("consumer") is not None) is QUEUE_LOOPS[loop]
