"""Which consumers the judge vouches for: a consumer that asks the queue without waiting passes only
if nothing but the SENTINEL can end its loop."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge.consumers import waits_for_good
from grader.judge.static import Facts

WAITS = [
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    if item is SENTINEL:\n        break\n    out.put(item)",
    "while True:\n    if q.empty():\n        time.sleep(0.01)\n        continue\n    item = q.get()\n"
    "    if item is SENTINEL:\n        return\n    out.put(item)",
    "while True:\n    try:\n        item = q.get_nowait()\n    except queue.Empty:\n        pass\n    else:\n"
    "        if item == SENTINEL:\n            break\n        out.put(item)",
    # red team, round 15: an honest consumer that also stops on Ctrl-C
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    except KeyboardInterrupt:\n        return\n    if item is SENTINEL:\n        break\n    out.put(item)",
]

GIVES_UP = [
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        break\n"
    "    if item is SENTINEL:\n        break",
    "while time.monotonic() < deadline:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n"
    "        continue\n    out.put(item)",
    "for _ in range(100):\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    if item is SENTINEL:\n        break",
    # red team, round 15: a count kept in a list, a clock in a property, a SENTINEL of its own making
    "tries = [None] * 3000\nwhile tries:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n"
    "        tries.pop()\n        continue\n    if item is SENTINEL:\n        break",
    "while patience.left:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n"
    "        item = SENTINEL if time.monotonic() > deadline else None\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except Exception:\n        return\n"
    "    if item is SENTINEL:\n        break",
    "while True:\n    if q.empty() and time.monotonic() > deadline:\n        break\n    item = q.get()\n"
    "    if item is SENTINEL:\n        break",
]


def facts_of(loop: str) -> Facts:
    return Facts(
        "SENTINEL = None\n\ndef consumer(q, out, deadline, patience):\n" + textwrap.indent(loop, "    ") + "\n"
    )


@pytest.mark.parametrize("loop", WAITS)
def test_a_consumer_that_only_the_sentinel_ends_is_vouched_for(loop: str) -> None:
    assert waits_for_good(facts_of(loop), "consumer")


@pytest.mark.parametrize("loop", GIVES_UP)
def test_a_consumer_that_can_stop_before_the_sentinel_is_not(loop: str) -> None:
    assert not waits_for_good(facts_of(loop), "consumer")


def test_a_look_in_a_helper_or_a_sentinel_with_an_eq_of_its_own_is_not_vouched_for() -> None:
    helper = (
        "SENTINEL = None\n\ndef ask(q):\n    return q.get(timeout=0.1)\n\ndef consumer(q, out):\n"
        + textwrap.indent("while True:\n    item = ask(q)\n    if item is SENTINEL:\n        break", "    ")
    )
    assert not waits_for_good(Facts(helper), "consumer")
    odd = facts_of(WAITS[0]).source.replace("SENTINEL = None", "SENTINEL = Late()")
    assert not waits_for_good(Facts(odd), "consumer")
