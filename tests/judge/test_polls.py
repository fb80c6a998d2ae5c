"""Which polls the judge vouches for: only a plain loop of the exercise's function, left only when its
looks say the processes ended; every other shape fails closed."""

from __future__ import annotations

import ast
import textwrap

import pytest

from grader.judge.polls import (
    goes_on_while_running,
    joined_after_the_loop,
    patient_lines,
    ready_looks,
    waits_for_good,
    waits_until_ready,
)
from grader.judge.quiet import from_outside
from grader.judge.static import Facts

WAITS = [
    "while p.is_alive():\n    time.sleep(0.01)",
    "while p.exitcode is None:\n    pass",
    "while any(p.is_alive() for p in ps):\n    time.sleep(0.01)",
    "while True:\n    if not p.is_alive():\n        break\n    time.sleep(0.01)",
    "for i in range(len(ps)):\n    while ps[i].is_alive():\n        time.sleep(0.01)",
    "alive = p.is_alive\nwhile alive():\n    pass",
    "while p.is_alive():\n    for q in ps:\n        if q is None:\n            break",  # only the inner loop
    "while active_children():\n    time.sleep(0.01)",
    "while not wait([p.sentinel], timeout=0.05):\n    pass",
    "while getattr(p, 'is_alive')():\n    pass",
    "while any([p.is_alive() for p in ps if p is not None]):\n    time.sleep(0.01)",
    "while True:\n    alive = [q for q in ps if q.is_alive()]\n    if not alive:\n        break",
    "while p.is_alive():\n    threading.Event().wait(0.1)",  # an event no code can set: a sleep
    "while p.is_alive():\n    Event().wait(POLL)",
    "pause = threading.Event()\nwhile p.is_alive():\n    pause.wait(0.1)",  # kept in a name, only waited on
    "while p.is_alive():\n    p.join(0.05)",
    "wait = p.is_alive\nwhile wait():\n    time.sleep(POLL)",  # red team, round 16: a look named wait
    "try:\n    while p.is_alive():\n        time.sleep(0.01)\nfinally:\n    pass",
    # red team, round 15: honest polls a reader looking for limits had failed
    "done = False\nwhile not done:\n    if not p.is_alive():\n        done = True\n    else:\n        time.sleep(0.01)",
    "done = False\nwhile not done:\n    done = p.exitcode is not None",
    "for looks in itertools.count(1):\n    if not p.is_alive():\n        break\n    time.sleep(0.01)",
    "try:\n    while p.is_alive():\n        time.sleep(0.01)\nexcept KeyboardInterrupt:\n    p.terminate()\n    raise",
    "pending = list(ps)\nwhile pending:\n    for q in list(pending):\n        if not q.is_alive():\n"
    "            pending.remove(q)\n    time.sleep(0.01)",
    "while ps:\n    ps = [q for q in ps if q.is_alive()]\n    time.sleep(0.01)",
    "while True:\n    match p.exitcode:\n        case None:\n            time.sleep(0.01)\n"
    "        case code:\n            return code",
    # red team, round 17: honest polls the grammar had failed
    "interval = 0.01\nwhile p.is_alive():\n    time.sleep(interval)",
    "while p.is_alive():\n    tries += 1\n    if tries % 10 == 0:\n        print('still waiting')",
    "while p.is_alive():\n    print('still waiting', file=sys.stderr)\n    time.sleep(0.01)",
    "while p.is_alive():\n    sys.stdout.write('.')\n    sys.stdout.flush()\n    time.sleep(0.01)",
    "started = time.monotonic()\nwhile p.is_alive():\n    print(f'{time.monotonic() - started:.1f} s')",
]

GIVES_UP = [
    # a flag set under an if on a limit of its own
    "finished = False\nwhile not finished:\n    time.sleep(0.1)\n    tries += 1\n"
    "    if not p.is_alive() or tries == 30:\n        finished = True",
    "finished = False\nwhile not finished:\n    time.sleep(0.1)\n    if time.monotonic() > deadline:\n"
    "        finished = True\n    if not p.is_alive():\n        finished = True",
    # an event of the file's, or one whose wait decides a way out
    "Event = Watch\nwhile p.is_alive():\n    Event().wait(0.1)",
    "threading.Event = Watch\nwhile p.is_alive():\n    threading.Event().wait(0.1)",
    "threading.Event.wait = others\nwhile p.is_alive():\n    threading.Event().wait(0.1)",
    "threading.Event.wait = others\npause = threading.Event()\nwhile p.is_alive():\n    pause.wait(0.1)",
    "while p.is_alive():\n    if threading.Event().wait(0.1):\n        break",
    "pause = threading.Event()\nthreading.Timer(3, pause.set).start()\nwhile p.is_alive():\n    pause.wait(0.1)",
    "pause = threading.Event()\npause = Watch(p)\nwhile p.is_alive():\n    pause.wait(0.1)",
    "pause = Event()\nwhile p.is_alive():\n    if pause.wait(0.1):\n        break",
    "others = Event()\nwhile p.is_alive():\n    others.wait(0.1)",  # an argument the caller may hold
    "pause = threading.Event()\nwhile p.is_alive():\n    pause.wait(deadline - time.monotonic())",
    "while p.is_alive():\n    threading.Event(others).wait(0.1)",
    "while p.is_alive():\n    threading.Event().wait(timeout=others)",
    "while p.is_alive():\n    threading.Event().wait(others.pause)",
    # a limit of its own: a clock, a count, an assert, a raise, a flag set by a clock
    "while p.is_alive() and time.monotonic() < deadline:\n    time.sleep(0.01)",
    "while p.is_alive() and tries < 100:\n    tries += 1",
    "while p.is_alive():\n    if time.time() > deadline:\n        break",
    "while True:\n    if p.exitcode is not None:\n        break\n    if waited > 5:\n        return None",
    "for _ in range(300):\n    if p.exitcode is not None:\n        break",
    "while True:\n    if not p.is_alive() or time.monotonic() > deadline:\n        break",
    "while not waited:\n    waited = time.monotonic() > deadline\n    p.is_alive()",
    "while time.monotonic() < deadline:\n    if not p.is_alive():\n        break",
    "while [p.is_alive(), time.monotonic() < deadline] == [True, True]:\n    time.sleep(0.01)",
    "while (p.is_alive(), tries) < (True, 100):\n    tries += 1",
    "while not (p.exitcode is not None or time.monotonic() > deadline):\n    pass",
    "for _ in itertools.repeat(None, 300):\n    if not p.is_alive():\n        break",
    "for i in range(300):\n    if not ps[i * 0].is_alive():\n        break",
    "while True:\n    for q in ps:\n        if q.is_alive():\n            break\n"
    "    if time.time() > deadline:\n        break",
    "alive = p.is_alive\nwhile alive() and time.monotonic() < deadline:\n    pass",
    "while p.is_alive():\n    assert time.monotonic() < deadline",
    "while p.is_alive():\n    try:\n        pass\n    finally:\n        if time.time() > deadline:\n            break",
    "while p.is_alive():\n    for _ in (1,):\n        if time.time() > deadline:\n            return None",
    "while multiprocessing.active_children() and time.monotonic() < deadline:\n    time.sleep(0.01)",
    "while not wait([p.sentinel], timeout=0.05) and time.monotonic() < deadline:\n    pass",
    "while getattr(p, 'is_alive')() and time.monotonic() < deadline:\n    pass",
    "while p.is_alive():\n    match time.monotonic() > deadline:\n        case True:\n            break",
    "while True:\n    match p.is_alive():\n        case True if time.monotonic() > deadline:\n            break",
    "try:\n    while p.is_alive():\n        [0][time.monotonic() > deadline]\nexcept IndexError:\n    pass",
    "with contextlib.suppress(IndexError):\n    while p.is_alive():\n        [0][tries]",
    "while p.is_alive():\n    try:\n        [0][tries]\n    except IndexError:\n        break",
    "for w in [p] * 300:\n    if not w.is_alive():\n        break",
    # red team, round 15: a flag that mixes a look with a clock, the same process again and again
    "alive = True\nwhile alive:\n    alive = p.is_alive() and time.monotonic() < deadline",
    "for w in [p for _ in range(300)]:\n    if not w.is_alive():\n        break",
    "all(p.is_alive() and time.sleep(0.01) is None for _ in range(300))",
    "while p.is_alive():\n    if p.is_alive():\n        if time.monotonic() > deadline:\n            break",
    "while ps[0].is_alive():\n    if time.monotonic() > deadline:\n        ps[0] = done",
    "while ps:\n    if time.monotonic() > deadline:\n        others = []\n    ps = [q for q in others if q.is_alive()]",
    "pending = list(ps)\nthreading.Thread(target=pending.clear).start()\nwhile pending:\n"
    "    for q in list(pending):\n        if not q.is_alive():\n            pending.remove(q)",
    # shapes it does not vouch for, though they may wait: it asks for join() instead
    "while p.is_alive() or time.monotonic() < deadline:\n    time.sleep(0.01)",
    "for w in ps:\n    if not w.is_alive():\n        break",
    "while p.is_alive():\n    try:\n        time.sleep(0.01)\n    except OSError:\n        pass",
    # red team, round 16: an exception that comes only once a limit of its own has passed is a way out too
    "while p.is_alive():\n    if time.monotonic() > deadline:\n        raise TimeoutError('too long')\n"
    "    time.sleep(0.01)",
    "while p.is_alive():\n    tries += 1\n    time.sleep(0.01 + (-1 if tries > 300 else 0))",
    "while p.is_alive():\n    time.sleep(deadline - time.monotonic())",
    "while ps[0].is_alive():\n    tries += 1\n    ps[tries // 300]",
    "while ps[0].is_alive():\n    tries += 1\n    ps[tries].is_alive()",
    "while p.is_alive():\n    tries += 1\n    if tries > 300:\n        done = None\n    done < 1",
    "while p.is_alive():\n    tries += 1\n    sum(q.exitcode for q in ps if tries > 300)",
    "watch = Watch(p)\nwhile p.is_alive():\n    print(watch)",  # Watch.__str__ is the file's: it could do anything
    "while p.is_alive():\n    print(tries, file=others)",
    "while p.is_alive():\n    print(f'{p.exitcode:d}')",
    "pause = Pause(deadline)\nwhile p.is_alive():\n    time.sleep(pause)",  # Pause.__index__ is the file's
    "from itertools import repeat as count\nfor _ in count(None, 300):\n    if not p.is_alive():\n        break",
    "box = [p]\nthreading.Timer(3, box.clear).start()\nwhile box[0].is_alive():\n    time.sleep(0.01)",
    "kill = getattr(os, 'kill')\nwhile p.is_alive():\n    time.sleep(0.01)",
    "time.sleep = others\nwhile p.is_alive():\n    time.sleep(0.01)",  # a sleep of its own making
    # an object of the file's, whose methods run as the loop calls, truths or measures it
    "box = [p]\nwatch = Watch(box)\nwhile box[0].is_alive():\n    watch.is_alive()\n    time.sleep(0.01)",
    "watch = Watch(p)\nwhile p.is_alive():\n    if watch:\n        pass",
    "watch = Watch(p)\nwhile p.is_alive():\n    tries = tries + len(watch)",
    # red team, round 17: an object of the file's reached through what the grammar took for the
    # grader's or a number: a rebound argument, a for over a list of its own, a clock of its own
    "others = Progress()\nwhile p.is_alive():\n    print(others)",
    "watchers = [Progress()]\nfor w in watchers:\n    while p.is_alive():\n        print(w)",
    "started = stopwatch.perf_counter()\nwhile p.is_alive():\n    print(started)",
    "watchers = [Progress()]\npending = list(watchers)\nwhile pending:\n    for q in list(pending):\n"
    "        if not q.is_alive():\n            pending.remove(q)",
    "ps.insert(0, Watchdog(ps))\nwhile any(q.is_alive() for q in ps):\n    time.sleep(0.01)",
    "while p.is_alive():\n    tries += 1\n    print(1 % (300 - tries))",  # a modulo by zero, once counted
    "while p.is_alive():\n    time.sleep(interval)\n    interval = 0.01",  # not set before the loop
    "while p.is_alive():\n    print('.', file=others)",
    "while p.is_alive():\n    sys.stdout.write(others)",
]


def source_of(loop: str) -> tuple[str, int]:
    head = (
        "import itertools, os, sys, threading, time\nfrom multiprocessing import active_children\n"
        "from threading import Event\n"
        "from multiprocessing.connection import wait\nPOLL = 0.01\n\n"
        "def f(p, ps, deadline, waited, done, others):\n    tries = 0\n"
    )
    source = head + textwrap.indent(loop, "    ") + "\n"
    looks = ("alive()", "'is_alive'", ".exitcode", "active_children()", ".sentinel", "wait()")
    line = next(n for n, text in enumerate(source.splitlines(), 1) if any(look in text for look in looks))
    return source, line


@pytest.mark.parametrize("loop", WAITS)
def test_a_plain_poll_that_ends_only_when_the_processes_end_is_vouched_for(loop: str) -> None:
    source, line = source_of(loop)
    assert waits_for_good(Facts(source), line, "f")


@pytest.mark.parametrize("loop", GIVES_UP)
def test_a_poll_with_a_way_out_of_its_own_or_of_a_shape_not_vouched_for_fails(loop: str) -> None:
    source, line = source_of(loop)
    assert not waits_for_good(Facts(source), line, "f")


@pytest.mark.parametrize(("loop", "vouched"), [*((w, True) for w in WAITS), *((g, False) for g in GIVES_UP)])
def test_the_run_is_told_the_lines_of_the_looks_vouched_for(loop: str, vouched: bool) -> None:
    """``Request.patient_lines``: where a look again is a wait at once (``grader.scenarios.waits``)."""
    source, line = source_of(loop)
    assert (line in patient_lines(Facts(source), "f")) is vouched
    assert patient_lines(Facts(source), "no_such_function") == frozenset()


# loops that slept before their first look, which let the process end: the run never saw them go round
GOES_ON = [
    "while True:\n    time.sleep(2.5)\n    if not p.is_alive():\n        break",
    "while True:\n    time.sleep(2.5)\n    if p.exitcode is not None:\n        return p.exitcode",
    "while True:\n    time.sleep(2.5)\n    if not any(q.is_alive() for q in ps):\n        break",
    "while True:\n    time.sleep(2.5)\n    if all(q.exitcode is not None for q in ps):\n        break",
    "while True:\n    time.sleep(2.5)\n    if len(active_children()) == 0:\n        break",
    "while True:\n    time.sleep(2.5)\n    if wait([p.sentinel], timeout=0.05):\n        break",
    "while True:\n    time.sleep(2.5)\n    alive = p.is_alive()\n    if not alive:\n        break",
    "while True:\n    time.sleep(2.5)\n    if p.is_alive():\n        continue\n    else:\n        break",
    "while p.is_alive():\n    time.sleep(2.5)",
    # a flag set only where the looks say the processes ended
    "ended = False\nwhile not ended:\n    time.sleep(2.5)\n    if not p.is_alive():\n        ended = True",
    "ended = False\nwhile True:\n    time.sleep(2.5)\n    if p.exitcode is not None:\n        ended = True\n"
    "    if ended:\n        break",
]

LEAVES_ANYWAY = [
    "while True:\n    time.sleep(3)\n    if p.exitcode is not None or True:\n        break",
    "while True:\n    time.sleep(3)\n    if p.is_alive() or not p.is_alive():\n        break",
    "while True:\n    time.sleep(3)\n    if p.is_alive():\n        break\n    if not p.is_alive():\n        break",
    "while True:\n    time.sleep(3)\n    if p.exitcode == p.exitcode:\n        break",
    "while True:\n    time.sleep(3)\n    if not p.is_alive():\n        pass\n    else:\n        break",
    "while True:\n    time.sleep(3)\n    if any(q.is_alive() for q in ps):\n        return None",
    "while True:\n    time.sleep(3)\n    if sum(q.exitcode for q in ps) == 0:\n        break",  # sum of Nones
    "ended = False\nwhile not ended:\n    time.sleep(3)\n    if p.is_alive():\n        ended = True",
    "ended = False\nwhile not ended:\n    time.sleep(3)\n    if not p.is_alive() or True:\n        ended = True",
    "ended = False\nwhile not ended:\n    time.sleep(3)\n    if not p.is_alive():\n        ended = True\n"
    "    else:\n        ended = True",
]


@pytest.mark.parametrize("loop", GOES_ON)
def test_a_vouched_poll_goes_round_again_while_its_looks_say_running(loop: str) -> None:
    source, line = source_of(loop)
    assert waits_for_good(Facts(source), line, "f")
    assert goes_on_while_running(Facts(source), line, "f")


@pytest.mark.parametrize("loop", LEAVES_ANYWAY)
def test_a_poll_that_leaves_whatever_its_looks_say_does_not_go_on(loop: str) -> None:
    source, line = source_of(loop)
    assert waits_for_good(Facts(source), line, "f")  # the loop's shape alone passes: only its first look tells
    assert not goes_on_while_running(Facts(source), line, "f")


def test_a_way_out_the_judge_cannot_read_does_not_go_on() -> None:
    source, line = source_of("done = False\nwhile not done:\n    time.sleep(2.5)\n    done = p.exitcode is not None")
    assert waits_for_good(Facts(source), line, "f")
    assert not goes_on_while_running(Facts(source), line, "f")  # a flag set in the loop: read as unknown


ELSEWHERE = [
    # the look in a function of the file, a generator, a class, a thread, a decorator: not vouched for
    "def alive(p):\n    return p.is_alive()\n\ndef f(p):\n    while alive(p):\n        pass\n",
    "def poll(p, left):\n    if p.is_alive() and left:\n        return poll(p, left - 1)\n    return p.exitcode\n\n"
    "def f(p):\n    return poll(p, 300)\n",
    "def f(p):\n    def watch():\n        while p.is_alive():\n            pass\n"
    "    t = threading.Thread(target=watch)\n    t.start()\n    t.join(3)\n",
    "def watching(p):\n    while True:\n        yield p.is_alive()\n\n"
    "def f(p):\n    for alive, _ in zip(watching(p), range(300)):\n        pass\n",
    "class Watch:\n    @property\n    def running(self):\n"
    "        return self.p.is_alive() and time.monotonic() < self.deadline\n\n"
    "def f(p):\n    watch = Watch()\n    while watch.running:\n        pass\n",
    # a signal can end any loop; a sleep of the file's own can change what the loop looks at
    "def f(p):\n    signal.alarm(3)\n    while p.is_alive():\n        pass\n",
    "def sleep(x):\n    ps.clear()\n\ndef f(ps):\n    while any(p.is_alive() for p in ps):\n        sleep(0.01)\n",
    # red team, round 17: a default, a sleep given as a parameter or a keyword, a setter of the stdlib's
    "import sys, time\ndef f(p, progress=Progress()):\n    while p.is_alive():\n        print(progress)\n",
    "import sys, time\ndef f(p, sleep=patient):\n    while p.is_alive():\n        sleep(0.01)\n",
    "import sys, time\nwatch = types.SimpleNamespace(sleep=patient)\n\n"
    "def f(p):\n    while p.is_alive():\n        time.sleep(0.01)\n",
    "import sys, time\n"
    "functools.update_wrapper(time, types.SimpleNamespace(**{'sl' + 'eep': patient}), assigned=('sl' + 'eep',))\n\n"
    "def f(p):\n    while p.is_alive():\n        time.sleep(0.01)\n",
    "import sys, time\ndef f(p):\n    p.is_alive = lambda: False\n    while p.is_alive():\n        pass\n",
    "import sys, time\nsys.stdout = Dots()\n\ndef f(p):\n    while p.is_alive():\n        print('.')\n",
    # a process of the file's own making, or one of a list it added its own object to
    "class Dots:\n    Process = Progress\n\ndef f():\n    p = Dots.Process()\n    p.start()\n"
    "    while p.is_alive():\n        print(p)\n",
    "import multiprocessing\n\ndef f(targets):\n    ps = [multiprocessing.Process(target=t) for t in targets]\n"
    "    ps.insert(0, Watchdog(ps))\n    while any(q.is_alive() for q in ps):\n        print(ps)\n",
    "import multiprocessing\n\ndef f(target):\n    p = multiprocessing.Process(target=target)\n"
    "    p = Progress()\n    while p.is_alive():\n        pass\n",
]


@pytest.mark.parametrize("source", ELSEWHERE)
def test_a_look_anywhere_but_a_plain_loop_of_the_function_is_not_vouched_for(source: str) -> None:
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "is_alive()" in text or ".exitcode" in text)
    assert not waits_for_good(Facts(source), line, "f")


def test_a_look_written_over_two_lines_is_read_on_the_line_it_runs() -> None:
    source = "def f(p):\n    while (p\n           .is_alive()):\n        pass\n"
    assert waits_for_good(Facts(source), 3, "f")


PROCESSES = [
    # red team, round 17: processes made by multiprocessing, which a plain poll may look at and print
    "import multiprocessing\n\ndef f(target):\n    p = multiprocessing.Process(target=target)\n    p.start()\n"
    "    while p.is_alive():\n        print(p, p.exitcode)\n",
    "from multiprocessing import Process\n\ndef f(target):\n    p = Process(target=target)\n    p.start()\n"
    "    while p.is_alive():\n        print(p)\n",
    "import multiprocessing\n\ndef f(target):\n    context = multiprocessing.get_context('spawn')\n"
    "    p = context.Process(target=target)\n    p.start()\n    while p.is_alive():\n        print(p)\n",
    "import multiprocessing\n\ndef f(targets):\n    ps = []\n    for t in targets:\n"
    "        ps.append(multiprocessing.Process(target=t))\n    for p in ps:\n        p.start()\n"
    "    while any(p.is_alive() for p in ps):\n        print(ps)\n",
    "import multiprocessing\n\ndef f(targets):\n    ps = []\n    for t in targets:\n"
    "        p = multiprocessing.Process(target=t)\n        p.start()\n        ps.append(p)\n"
    "    while any(p.is_alive() for p in ps):\n        print(ps, p)\n",
    "import sys, time\nPOLL: float = 0.01\n\ndef f(p):\n    while p.is_alive():\n        time.sleep(POLL)\n",
]


@pytest.mark.parametrize("source", PROCESSES)
def test_a_poll_of_processes_multiprocessing_made_is_vouched_for(source: str) -> None:
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "is_alive()" in text)
    assert waits_for_good(Facts(source), line, "f")


OUTSIDE = [
    # red team, round 17: threads by other names, an exit at a time of its own choosing
    "pool.apply_async(time.sleep, (3,), callback=lambda _: p.terminate())",
    "multiprocessing.Pool(1)",
    "logging.handlers.QueueListener(clock, handler).start()",
    "os._exit(0)",
    "weakref.finalize(p, stop)",
    "sys.settrace(stop)",
    "from multiprocessing import dummy",
    "multiprocessing.dummy.Process(target=stop)",
    # round 16: a signal around a plain join is still one
    "signal.alarm(3)\ntry:\n    p.join()\nexcept KeyboardInterrupt:\n    raise",
    "try:\n    p.join()\nexcept KeyboardInterrupt:\n    p.kill()",  # does not raise again: it returns
    # round 18: a timer started in a Ctrl-C handler (the file raises KeyboardInterrupt itself), a
    # __main__ block that runs (inside a function, or after the file bound __name__)
    "try:\n    raise KeyboardInterrupt\nexcept KeyboardInterrupt:\n    Timer(3, p.terminate).start()\n    raise",
    "def run(p):\n    __name__ = '__main__'\n    if __name__ == '__main__':\n        signal.alarm(3)",
    "__name__ = '__main__'\nif __name__ == '__main__':\n    signal.alarm(3)",
    "globals()['_' * 2 + 'name__'] = '__main__'\nif __name__ == '__main__':\n    signal.alarm(3)",
    # threading's objects but its sync primitives: a thread by no name of one
    "import threading\nclass Mine(type(threading.current_thread())):\n    pass",
    "import threading as th\nfor t in th.enumerate():\n    t.join()",
    "from threading import main_thread",
    "from multiprocessing.pool import threading",
    "import threading as th\nmodule = th",
]

HARMLESS = [
    # red team, round 17: honest code that names a kill where it cannot end a wait
    "try:\n    p.join()\nexcept KeyboardInterrupt:\n    p.kill()\n    raise",
    "p.join()\nif __name__ == '__main__':\n    signal.alarm(3)\n    run(dummy, (42,))",
    "def dummy(x):\n    return x",
    # threading's sync primitives, which run no code and reach no thread
    "import threading\nwhile p.is_alive():\n    threading.Event().wait(0.1)",
    "import threading as th\nlock = th.Lock()",
    "from threading import Event, Condition",
]


@pytest.mark.parametrize("code", OUTSIDE)
def test_a_thread_a_signal_or_a_kill_is_seen(code: str) -> None:
    assert from_outside(ast.parse(code)) is not None


@pytest.mark.parametrize("code", HARMLESS)
def test_a_kill_on_ctrl_c_or_in_a_demo_is_not(code: str) -> None:
    assert from_outside(ast.parse(code)) is None


READY_WAITS = [
    "while not r.ready():\n    time.sleep(0.1)",
    "while True:\n    if r.ready():\n        break\n    time.sleep(0.1)",
    "while True:\n    if r.ready():\n        return r.get()\n    time.sleep(0.1)",
    "for _ in itertools.count():\n    if r.ready():\n        break",
    "try:\n    while not r.ready():\n        time.sleep(0.1)\nexcept KeyboardInterrupt:\n    pool.terminate()\n"
    "    raise",
]

READY_GIVES_UP = [
    "while not r.ready() and time.monotonic() < deadline:\n    time.sleep(0.1)",
    "while not r.ready():\n    if time.monotonic() > deadline:\n        return []\n    time.sleep(0.1)",
    "while not r.ready():\n    if time.monotonic() > deadline:\n        raise TimeoutError\n    time.sleep(0.1)",
    "for _ in range(30):\n    if r.ready():\n        break\n    time.sleep(0.1)",
    "while True:\n    if r.ready() or tries > 30:\n        break\n    tries += 1",
    "done = False\nwhile not done:\n    done = r.ready()",  # a flag: not read
    "while not r.ready():\n    match tries:\n        case 30:\n            break",
    "try:\n    while not r.ready():\n        r.get(timeout=0.1)\nexcept multiprocessing.TimeoutError:\n    return []",
    "while not r.ready() or True:\n    break",
]


def ready_source(loop: str) -> Facts:
    head = "import itertools, multiprocessing, time\n\ndef pool_map(r, pool, deadline):\n    tries = 0\n"
    return Facts(head + textwrap.indent(loop, "    ") + "\n    return r.get()\n")


@pytest.mark.parametrize("loop", READY_WAITS)
def test_a_poll_of_ready_with_no_limit_of_its_own_waits_until_ready(loop: str) -> None:
    facts = ready_source(loop)
    looks = ready_looks(facts, "pool_map")
    assert looks and all(waits_until_ready(facts, look) for look in looks)


@pytest.mark.parametrize("loop", READY_GIVES_UP)
def test_a_poll_of_ready_that_can_leave_before_it_is_ready_does_not(loop: str) -> None:
    facts = ready_source(loop)
    looks = ready_looks(facts, "pool_map")
    assert looks and not all(waits_until_ready(facts, look) for look in looks)


def test_a_ready_in_straight_code_is_no_poll() -> None:
    assert ready_looks(ready_source("r.ready()\ntime.sleep(1)\nr.ready()"), "pool_map") == []


JOINED_AFTER = [
    "for _ in range(5):\n    if not p.is_alive():\n        break\n    time.sleep(1)\np.join()",
    "deadline = time.monotonic() + 3\nwhile time.monotonic() < deadline and p.is_alive():\n    time.sleep(0.1)\n"
    "print('still waiting', p.pid)\np.join()",
    "for _ in range(3):\n    time.sleep(2)\n    if p.exitcode is not None:\n        break\np.join()",
    "while any(q.is_alive() for q in ps) and tries < 30:\n    tries += 1\n    time.sleep(0.1)\nfor q in ps:\n"
    "    q.join()",
]

NOT_JOINED_AFTER = [
    "for _ in range(5):\n    if not p.is_alive():\n        return p.exitcode\n    time.sleep(1)\np.join()",
    "for _ in range(5):\n    if not p.is_alive():\n        p.join()\n        break\n    time.sleep(1)",
    "for _ in range(5):\n    if not p.is_alive():\n        break\n    time.sleep(1)\nif p.exitcode is None:\n"
    "    p.join()",
    "for tries in range(5):\n    if not p.is_alive():\n        break\n    if tries == 4:\n        p = others\np.join()",
    "for _ in range(5):\n    if not p.is_alive():\n        break\nothers.append(1)\np = others\np.join()",
    "try:\n    for _ in range(5):\n        if not p.is_alive():\n            break\n        time.sleep(1)\n"
    "except ValueError:\n    return None\np.join()",
    "while any(q.is_alive() for q in ps) and tries < 30:\n    tries += 1\n    ps.pop()\nfor q in ps:\n    q.join()",
    "for _ in range(5):\n    if not p.is_alive():\n        break\np.join(3)",
]


def joins(loop: str) -> tuple[Facts, int, int]:
    source, look = source_of(loop)
    join = max(n for n, text in enumerate(source.splitlines(), 1) if ".join(" in text)
    return Facts(source), look, join


@pytest.mark.parametrize("loop", JOINED_AFTER)
def test_a_join_after_a_loop_whatever_became_of_it_waits_for_good(loop: str) -> None:
    facts, look, join = joins(loop)
    assert joined_after_the_loop(facts, look, join, "f")
    assert look in patient_lines(facts, "f")  # the run may let its processes end at its next look


@pytest.mark.parametrize("loop", NOT_JOINED_AFTER)
def test_a_join_the_loop_can_skip_or_turn_elsewhere_does_not(loop: str) -> None:
    facts, look, join = joins(loop)
    assert not joined_after_the_loop(facts, look, join, "f")
    assert look not in patient_lines(facts, "f")
