"""Which consumers the judge vouches for: a consumer that asks the queue without waiting passes only
if nothing but the SENTINEL can end its loop; a run_pipeline that reads its results so, only if
nothing but the last result can."""

from __future__ import annotations

import textwrap

import pytest

from grader.judge.consumers import reads_every_result, stops_on_a_clock, unfixed_sentinel, waits_for_good
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
    # red team, round 17: a timeout set once in the consumer, a word on stderr, a tuple of exceptions
    "wake_up_every = 0.1\nwhile True:\n    try:\n        item = q.get(timeout=wake_up_every)\n"
    "    except queue.Empty:\n        continue\n    if item is SENTINEL:\n        break\n    out.put(item)",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except queue.Empty:\n"
    "        print('still waiting', file=sys.stderr)\n        continue\n    if item is SENTINEL:\n        break\n"
    "    out.put(item)",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except (queue.Empty, InterruptedError):\n"
    "        continue\n    if item is SENTINEL:\n        break\n    out.put(item)",
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
    # red team, round 17: a handler's type evaluated when get() raises, a property that can raise anything
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except patience.Empty:\n        continue\n"
    "    if item is SENTINEL:\n        break",
    "while True:\n    try:\n        item = q.get(timeout=0.1)\n    except (queue.Empty, patience.Empty):\n"
    "        continue\n    if item is SENTINEL:\n        break",
    "wake_up_every = Pause()\nwhile True:\n    try:\n        item = q.get(timeout=wake_up_every)\n"
    "    except queue.Empty:\n        continue\n    if item is SENTINEL:\n        break",
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
    # red team, round 17: an object of the file's as a parameter's default, or as the queue
    "import queue\n\ndef consumer(q, out, patience=Patience()):\n    while True:\n        try:\n"
    "            item = q.get(timeout=0.1)\n        except queue.Empty:\n            print(patience, end='')\n"
    "            continue\n        if item is SENTINEL:\n            break\n",
    "import queue\n\ndef consumer(q, out, backup=Patient()):\n    while True:\n        try:\n"
    "            item = backup.get(timeout=0.1)\n        except queue.Empty:\n            continue\n"
    "        if item is SENTINEL:\n            break\n",
]


def facts_of(loop: str) -> Facts:
    return Facts(
        "import os, queue, sys, time\nSENTINEL = None\nPOLL = 0.1\n\n"
        "def consumer(q, out, deadline, last):\n    misses = 0\n"
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


BLOCKING = [
    "while True:\n    item = q.get()\n    if item is SENTINEL:\n        break\n    out.put(item)",
    "while True:\n    item = q.get()\n    if item is SENTINEL:\n        return\n    out.put(item)",
]

BLOCKING_ON_A_CLOCK = [  # red team, round 18: a blocking get(), and a clock of its own
    "while True:\n    item = q.get()\n    if time.monotonic() - last > 3:\n        break\n    out.put(item)",
    "while time.monotonic() < deadline:\n    item = q.get()\n    if item is SENTINEL:\n        break",
    "while (item := q.get()) is not SENTINEL:\n    out.put(item)",  # not vouched in such a file
]


@pytest.mark.parametrize("loop", BLOCKING)
def test_a_blocking_consumer_only_the_sentinel_ends_may_share_its_file_with_a_clock(loop: str) -> None:
    timed = facts_of(loop).source + "\ndef run_pipeline(items):\n    return time.monotonic()\n"
    assert stops_on_a_clock(Facts(timed)) is None


@pytest.mark.parametrize("loop", BLOCKING_ON_A_CLOCK)
def test_a_blocking_consumer_of_any_other_shape_in_a_file_that_reads_a_clock_may_stop_on_it(loop: str) -> None:
    clock = stops_on_a_clock(facts_of(loop if "time." in loop else loop + "\nstarted = time.monotonic()"))
    assert clock is not None and clock.lineno >= 8  # the first clock read: in the consumer's lines
    assert stops_on_a_clock(Facts(facts_of(loop).source.replace("time.monotonic()", "0"))) is None  # no clock


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
    # red team, round 17: the items rebound to an object whose __len__ is the file's, a default shown
    "items = Expected(items)\nresults = []\nwhile len(results) < len(items):\n    try:\n"
    "        results.append(out.get(timeout=0.1))\n    except queue.Empty:\n        continue",
    "results = []\nwhile len(results) < len(items):\n    try:\n        results.append(out.get(timeout=0.1))\n"
    "    except queue.Empty:\n        print(deadline, end='')",
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


FIXED_SENTINELS = ["", "SENTINEL = None", "SENTINEL = object()", "SENTINEL: object = object()", "SENTINEL = 'stop'",
                   "SENTINEL = ('stop', 0)", "SENTINEL: None = None"]  # fmt: skip
# red team, round 17: SENTINEL = Stop(), whose __eq__ is true for the first item after a pause, ends a
# consumer at a time of its own whatever its loop; so does any other binding of it
UNFIXED_SENTINELS = [
    "SENTINEL = Stop()",
    "SENTINEL: Stop = Stop()",
    "SENTINEL = None\nSENTINEL = Stop()",
    "for SENTINEL in [Stop()]:\n    pass",
    "with Stop() as SENTINEL:\n    pass",
    "(SENTINEL := Stop())",
    "from stops import SENTINEL",
    "def SENTINEL():\n    pass",
    "SENTINEL = None\n\ndef swap():\n    global SENTINEL\n    SENTINEL = Stop()",
    "object = Stop\nSENTINEL = object()",
    "SENTINEL = None\nconfig.SENTINEL = Stop()",
    "def setup():\n    SENTINEL = None",
]


@pytest.mark.parametrize("module", FIXED_SENTINELS)
def test_a_sentinel_set_once_to_a_constant_or_object_is_fixed(module: str) -> None:
    assert unfixed_sentinel(Facts(module + "\n")) is None


@pytest.mark.parametrize("module", UNFIXED_SENTINELS)
def test_any_other_sentinel_is_not_and_no_loop_is_vouched_for_with_it(module: str) -> None:
    assert unfixed_sentinel(Facts(module + "\n")) is not None
    source = facts_of(WAITS[0]).source.replace("SENTINEL = None\n", module + "\n")
    assert not waits_for_good(Facts(source), "consumer")


def test_a_timeout_of_an_annotated_constant_is_fixed() -> None:
    source = facts_of(WAITS[0].replace("timeout=0.1", "timeout=WAKE_UP_EVERY")).source
    assert waits_for_good(Facts(source.replace("POLL = 0.1", "WAKE_UP_EVERY: float = 0.1")), "consumer")


def test_a_handler_may_name_an_exception_an_import_gives_not_an_object_of_the_files() -> None:
    loop = WAITS[0].replace("queue.Empty", "Empty")
    imported = facts_of(loop).source.replace("import os,", "from queue import Empty\nimport os,")
    assert waits_for_good(Facts(imported), "consumer")
    owned = imported.replace("from queue import Empty\n", "Empty = Patience()\n")  # a property may raise anything
    assert not waits_for_good(Facts(owned), "consumer")
