"""Which consumers the judge vouches for: a consumer that asks the queue without waiting passes only
if nothing but the SENTINEL can end its loop; a run_pipeline that reads its results so, only if
nothing but the last result can."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge.consumers import reads_every_result, waits_for_good
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
    # red team, round 16: which process passed each item on
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        continue\n"
    "    if item is SENTINEL:\n        break\n    print(os.getpid(), 'passes on', item)\n    out.put(item)",
    # a count of misses, shown and reset, which nothing reads on the way out
    "misses = 0\nwhile True:\n    try:\n        item = q.get(timeout=POLL)\n    except queue.Empty:\n"
    "        misses += 1\n        print(f'{misses} misses')\n        continue\n    misses = 0\n"
    "    if item is SENTINEL:\n        break\n    out.put(item)",
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
    # red team, round 12: a count of timeouts; a time of silence; an assert
    "while misses < 25:\n    try:\n        item = q.get(timeout=0.05)\n    except queue.Empty:\n"
    "        misses += 1\n        continue\n    misses = 0",
    "while True:\n    try:\n        item = q.get(True, 0.1)\n    except queue.Empty:\n"
    "        if time.monotonic() - last > 3:\n            break\n        continue\n    last = time.monotonic()",
    "while True:\n    if q.empty():\n        misses += 1\n        if misses > 30:\n            return\n"
    "        continue\n    misses = 0\n    q.get()",
    "while True:\n    try:\n        item = q.get(block=False)\n    except queue.Empty:\n        misses += 1\n"
    "    assert misses < 100",
    # red team, round 14: a match, a count in disguise, a try that leaves on the first miss
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n"
    "        match time.monotonic() - last > 3:\n            case True:\n                break\n        continue",
    "for _ in reversed(range(50_000_000)):\n    try:\n        item = q.get(timeout=0.01)\n    except queue.Empty:\n"
    "        continue",
    "while True:\n    try:\n        item = q.get(timeout=5)\n    except queue.Empty:\n        break",
    # red team, round 16: an exception raised, or bound to come, once a limit of its own has passed
    "while True:\n    try:\n        try:\n            item = q.get(timeout=0.1)\n        except queue.Empty:\n"
    "            misses += 1\n            if misses > 3000:\n                raise KeyboardInterrupt\n"
    "            continue\n"
    "    except KeyboardInterrupt:\n        return\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        misses = misses + 1\n"
    "        if misses > 3000:\n            misses = None\n        continue\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        misses += 1\n"
    "        time.sleep(0.001 - misses / 1e6)\n        continue\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1 - misses / 1e4)\n    except queue.Empty:\n"
    "        misses += 1\n        continue\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        misses += 1\n"
    "        if misses > 3000:\n            item.real\n        continue\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        print(patience)\n"
    "        continue\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        if patience:\n"
    "            pass\n        continue\n    if item is SENTINEL:\n        break",
    # red team, round 16: a SENTINEL put back by the consumer itself, or given by a queue of its own
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        misses += 1\n"
    "        if misses > 3000:\n            q.put(SENTINEL)\n        continue\n    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        item = patience.get()\n"
    "    if item is SENTINEL:\n        break\n    out.put(item)",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n        misses += 1\n"
    "        if misses > 3000:\n            out.put(None)\n        continue\n    if item is SENTINEL:\n        break",
]

HELPED = [
    # red team, round 14: the look, or the clock, in a function or a class of the file
    "def ask(q):\n    return q.get(timeout=0.1)\n\ndef consumer(q):\n    while True:\n        try:\n"
    "            item = ask(q)\n        except queue.Empty:\n            if time.monotonic() > deadline:\n"
    "                break\n",
    "class Patience:\n    def exhausted(self):\n        return time.monotonic() > self.deadline\n\n"
    "def consumer(q, patience):\n    while True:\n        try:\n            item = q.get(timeout=0.1)\n"
    "        except queue.Empty:\n            if patience.exhausted():\n                break\n",
    # red team, round 16: a call the loop may make, made by the file
    "def sleep(t):\n    raise KeyboardInterrupt\n\ndef consumer(q, out):\n    while True:\n        try:\n"
    "            item = q.get(timeout=0.1)\n            sleep(0)\n        except KeyboardInterrupt:\n"
    "            return\n"
    "        if item is SENTINEL:\n            break\n",
]


def facts_of(loop: str) -> Facts:
    return Facts(
        "import os, queue, time\nSENTINEL = None\nPOLL = 0.1\n\ndef consumer(q, out, deadline, last):\n    misses = 0\n"
        "    patience = Patience(deadline)\n" + textwrap.indent(loop, "    ") + "\n"
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


@pytest.mark.parametrize("source", HELPED)
def test_a_consumer_helped_by_code_of_the_file_is_not(source: str) -> None:
    assert not waits_for_good(Facts("SENTINEL = None\n\n" + source), "consumer")


READS_EVERY_RESULT = [
    "results = [out.get() for _ in items]",  # no look without waiting: nothing to vouch for
    "results = []\nwhile len(results) < len(items):\n    try:\n        results.append(out.get(timeout=1))\n"
    "    except queue.Empty:\n        continue",
    "results = []\nwhile len(results) != len(items):\n    if out.empty():\n        time.sleep(0.01)\n"
    "        continue\n    results.append(out.get())",
    "results = []\nwhile True:\n    try:\n        result = out.get(timeout=0.1)\n    except queue.Empty:\n"
    "        continue\n    results.append(result)\n    if len(results) == len(items):\n        break",
    "workers = [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]\n"
    "results = []\nwhile len(results) < len(items):\n    try:\n        results.append(out.get(timeout=1))\n"
    "    except queue.Empty:\n        continue",
]

GIVES_UP_READING = [
    # a limit of its own (wrong cases ex05-patient-empty, ex05-patient-timeouts)
    "results = []\nmisses = 0\nwhile misses < 300:\n    if out.empty():\n        misses += 1\n        continue\n"
    "    misses = 0\n    results.append(out.get())",
    "results = []\nwhile True:\n    try:\n        results.append(out.get(timeout=2))\n    except queue.Empty:\n"
    "        break",
    "results = []\nwhile len(results) < len(items) and time.monotonic() < deadline:\n"
    "    try:\n        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        continue",
    # a result made up, a list another name or a thread can reach, a queue of its own making
    "results = []\nwhile len(results) < len(items):\n    try:\n        results.append(out.get(timeout=0.1))\n"
    "    except queue.Empty:\n        results.append(None)",
    "results = []\nalias = results\nwhile len(results) < len(items):\n    try:\n"
    "        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        alias.append(None)",
    "results = []\nthreading.Timer(3, results.extend, [items]).start()\nwhile len(results) < len(items):\n"
    "    try:\n        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        continue",
    "results = []\nout = Patient(deadline)\nwhile len(results) < len(items):\n    try:\n"
    "        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        continue",
    "results = []\nwhile len(results) < len(items):\n    try:\n        results.append(out.get(timeout=0.1))\n"
    "    except queue.Empty:\n        items = items[:len(results)]",
    "results = []\nn = len(items)\nmisses = 0\nwhile len(results) < n:\n    try:\n"
    "        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        misses += 1\n"
    "        if misses > 3000:\n            n = 0",
    # red team, round 16: a process of its own that puts made-up results once some time has passed
    "multiprocessing.Process(target=make_up, args=(out, len(items))).start()\nresults = []\n"
    "while len(results) < len(items):\n    try:\n        results.append(out.get(timeout=0.1))\n"
    "    except queue.Empty:\n        continue",
]


def pipeline_of(body: str) -> Facts:
    return Facts(
        "import multiprocessing, queue, time\n\ndef run_pipeline(items, consumers=1, deadline=0):\n"
        "    out = multiprocessing.Queue()\n" + textwrap.indent(body, "    ") + "\n    return results\n"
    )


@pytest.mark.parametrize("body", READS_EVERY_RESULT)
def test_a_reader_that_only_the_last_result_ends_is_vouched_for(body: str) -> None:
    assert reads_every_result(pipeline_of(body), "run_pipeline")


@pytest.mark.parametrize("body", GIVES_UP_READING)
def test_a_reader_that_can_stop_before_the_last_result_is_not(body: str) -> None:
    assert not reads_every_result(pipeline_of(body), "run_pipeline")
