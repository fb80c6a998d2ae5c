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
    # red team, round 10: a count that is not a range, or a range whose variable picks no process
    "for _ in itertools.repeat(None, 300):\n    if not p.is_alive():\n        break": True,
    "for _ in itertools.repeat(None, 300):\n    if not any(q.is_alive() for q in ps):\n        break": True,
    "for i in range(300):\n    if not ps[i * 0].is_alive():\n        break": True,
    "while True:\n    for q in ps:\n        if q.is_alive():\n            break\n"
    "    if time.time() > deadline:\n        break": True,
    "for _ in range(3):\n    while p.is_alive():\n        time.sleep(0.01)": False,
    "alive = p.is_alive\nwhile alive() and time.monotonic() < deadline:\n    pass": True,
    "alive = p.is_alive\nwhile alive():\n    pass": False,
    # red team, round 11: an assert, a way out in finally or in an inner loop
    "while p.is_alive():\n    assert time.monotonic() < deadline": True,
    "while p.is_alive():\n    try:\n        pass\n    finally:\n"
    "        if time.time() > deadline:\n            break": True,
    "while p.is_alive():\n    for _ in (1,):\n        if time.time() > deadline:\n            return None": True,
    "while p.is_alive():\n    for q in ps:\n        if q is None:\n            break": False,  # only the inner loop
    "while p.is_alive():\n    try:\n        time.sleep(0.01)\n    except OSError:\n        pass": False,
    # red team, round 12: a look at every process at once
    "while multiprocessing.active_children() and time.monotonic() < deadline:\n    time.sleep(0.01)": True,
    "while active_children():\n    time.sleep(0.01)": False,
    "while not wait([p.sentinel], timeout=0.05) and time.monotonic() < deadline:\n    pass": True,
    "while not wait([p.sentinel], timeout=0.05):\n    pass": False,
    # red team, round 14: a look by getattr, a match, a way out by an exception, the same process again and again
    "while getattr(p, 'is_alive')() and time.monotonic() < deadline:\n    pass": True,
    "while getattr(p, 'is_alive')():\n    pass": False,
    "while p.is_alive():\n    match time.monotonic() > deadline:\n        case True:\n            break": True,
    "while True:\n    match p.is_alive():\n        case False:\n            break": False,
    "try:\n    while p.is_alive():\n        [0][time.monotonic() > deadline]\nexcept IndexError:\n    pass": True,
    "with contextlib.suppress(IndexError):\n    while p.is_alive():\n        [0][tries]": True,
    "try:\n    if ps:\n        while p.is_alive():\n            [0][tries]\nexcept IndexError:\n    pass": True,
    "while p.is_alive():\n    try:\n        [0][tries]\n    except IndexError:\n        break": True,
    "try:\n    while p.is_alive():\n        time.sleep(0.01)\nfinally:\n    pass": False,
    "for w in [p] * 300:\n    if not w.is_alive():\n        break": True,
    "for w in ps:\n    if not w.is_alive():\n        break": False,
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
    looks = ("alive()", "'is_alive'", ".exitcode", "active_children()", ".sentinel")
    line = next(n for n, text in enumerate(source.splitlines(), 1) if any(look in text for look in looks))
    assert Facts(source).polling_loop_with_a_way_out(line) is LOOPS[loop]


HELPERS = {
    # a look in a function of the file, called in a loop with a deadline
    "def alive(p):\n    return p.is_alive()\n\ndef f(p, deadline):\n    while alive(p) and time.time() < deadline:\n"
    "        pass\n": True,
    "def alive(p):\n    return p.is_alive()\n\ndef f(p, deadline):\n    while alive(p):\n        pass\n": False,
    "def f(p, deadline):\n    alive = lambda: p.is_alive()\n    while alive() and time.time() < deadline:\n"
    "        pass\n": True,
    # red team, round 10: a poll that calls itself, with a count of its own
    "def poll(p, left):\n    if p.is_alive() and left:\n        return poll(p, left - 1)\n    return p.exitcode\n\n"
    "def f(p):\n    return poll(p, 300)\n": True,
    "def wait(p):\n    while p.is_alive():\n        pass\n\ndef f(ps):\n    for p in ps:\n        wait(p)\n": False,
    "def f(p):\n    return p.exitcode\n\nif __name__ == '__main__':\n    for _ in range(3):\n        f(None)\n": False,
    # red team, round 11: a patient loop that a signal or an abandoned thread ends
    "def f(p):\n    signal.alarm(3)\n    while p.is_alive():\n        pass\n": True,
    "def f(p):\n    def watch():\n        while p.is_alive():\n            pass\n"
    "    t = threading.Thread(target=watch)\n    t.start()\n    t.join(3)\n": True,
    "def f(p):\n    t = threading.Thread(target=lambda: [time.sleep(0.01) for _ in range(9) if p.is_alive()])\n": True,
    # red team, round 14: a generator's loop goes on only while its consumer asks
    "def watching(p):\n    while True:\n        yield p.is_alive()\n\n"
    "def f(p):\n    for alive, _ in zip(watching(p), range(300)):\n        pass\n": True,
}


def test_a_look_written_over_two_lines_is_read_on_the_line_it_runs() -> None:
    source = "def f(p, deadline):\n    while (p\n           .is_alive()) and time.monotonic() < deadline:\n        pass\n"
    assert Facts(source).polling_loop_with_a_way_out(3)


def test_a_look_the_reader_cannot_make_out_is_judged_by_its_statement() -> None:
    source = "def f(p, deadline):\n    while time.monotonic() < deadline:\n        x = vars(p)['_popen'].poll()\n"
    assert Facts(source).polling_loop_with_a_way_out(3)


def test_names_standing_for_a_look_are_found_through_a_long_chain_at_once() -> None:
    chain = "".join(f"def f{i}(p):\n    return f{i - 1}(p)\n" for i in range(1, 20_000))
    facts = Facts("def f0(p):\n    return p.is_alive()\n" + chain + "x = f19999\ny = lambda p: f5(p)\n")
    assert {"f0", "f19999", "y"} <= facts.looking() and "x" not in facts.looking()


@pytest.mark.parametrize("source", HELPERS)
def test_a_look_made_through_a_function_of_the_file_is_read_where_it_is_called(source: str) -> None:
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "is_alive()" in text or ".exitcode" in text)
    assert Facts(source).polling_loop_with_a_way_out(line) is HELPERS[source]


def test_a_look_outside_any_loop_has_no_way_out() -> None:
    assert not Facts("def f(p):\n    return p.exitcode\n").polling_loop_with_a_way_out(2)


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


def test_a_look_behind_a_chain_of_functions_too_long_to_follow_is_not_vouched_for() -> None:
    chain = "".join(f"def f{i}(p):\n    return f{i - 1}(p)\n" for i in range(1, 200))
    source = "def f0(p):\n    return p.is_alive()\n" + chain + "def run(p):\n    while f199(p):\n        pass\n"
    assert Facts(source).polling_loop_with_a_way_out(2)
    short = "def f0(p):\n    return p.is_alive()\n" + chain[: chain.index("def f9(")] + "def run(p):\n    while f8(p):\n        pass\n"
    assert not Facts(short).polling_loop_with_a_way_out(2)
