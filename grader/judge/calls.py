"""Questions about the calls a student's code made (``records.Call``), for verdicts to name causes.

The calls are the steady part of an observation: the same program makes the same calls on every
run, whatever the scheduler did, so a verdict that can name a mistake from them does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from grader.judge.polls import goes_on_while_running, joined_after_the_loop, repeated, waits_for_good
from grader.judge.quiet import from_outside
from grader.judge.static import facts
from grader.scenarios.records import DROPPED, ENDED_AT_LOOK, READY, RUNNING, Call

POLLED = 2  #: looks at one running process that make a polling loop
# looks at whether processes still run: active_children() at every one, a short wait at the sentinels listed
LOOKS = ("Process.is_alive", "Process.exitcode", "active_children", "connection.wait")


class Calls:
    def __init__(self, calls: tuple[Call, ...]) -> None:
        self.calls = calls

    def dropped(self) -> Call | None:
        """Where the tracer stopped keeping calls, if it did: what is missing after it may be a look
        or a join, so a verdict that needs the absence of one cannot be given (red team, round 14:
        450 sleeps of 9 lengths, then a poll with a deadline)."""
        return next((call for call in self.calls if call.api == DROPPED), None)

    def direct(self, api: str, target: str | None = None) -> list[Call]:
        """Calls of ``api`` made by the student's own lines (with this kind of target, for constructors)."""
        return [c for c in self.calls if c.api == api and c.direct and (target is None or target_of(c) == target)]

    def sleeps(self) -> list[Call]:
        """The student's sleeps: ``time.sleep``, and waits for an event or a condition with a timeout
        (``Event().wait(3)``), which sleep as long when nothing sets them."""
        timed = ("Event.wait", "Condition.wait")
        return [c for c in self.calls if c.direct and (c.api == "time.sleep" or c.api in timed and c.detail)]

    def any(self, api: str) -> list[Call]:
        """Calls of ``api`` made on the student's behalf too (by multiprocessing, from their line)."""
        return [c for c in self.calls if c.api == api]

    def made(self, api: str, target: str) -> set[int]:
        """The objects the student's lines made with this kind of target."""
        return {call.obj for call in self.direct(api, target)}

    def on(self, obj: int, api: str) -> list[Call]:
        return [call for call in self.calls if call.obj == obj and call.api == api]

    def waited_before(self, call: Call) -> bool:
        """Whether the student's code joined that object (without a timeout) before ``call``."""
        index = self.calls.index(call)
        return any(c.obj == call.obj and c.api == "Process.join" and not c.detail for c in self.calls[:index])

    def joined_inside_start_loop(self) -> Call | None:
        """The first join of a process made before the next process was started."""
        started: list[int] = []
        for index, call in enumerate(self.calls):
            if call.api == "Process.start" and call.direct:
                started.append(call.obj)
            elif (
                call.api == "Process.join"
                and call.direct
                and call.obj in started
                and any(c.api == "Process.start" and c.direct and c.obj not in started for c in self.calls[index + 1 :])
            ):
                return call
        return None

    def timed_joins(self) -> list[Call]:
        """The joins the student's lines made with a timeout."""
        return [call for call in self.direct("Process.join") if call.detail.startswith("timeout=")]

    def polled_to_the_end(self, vouched: Callable[[int], bool]) -> set[int]:
        """The processes that a look found running and a later look on the same line found ended, on
        a line ``vouched`` for (a loop that ends only when the looks say the processes have ended)."""
        running: set[tuple[int, int]] = set()
        ended: set[int] = set()
        for call in self.looks():
            if call.api not in ("Process.is_alive", "Process.exitcode"):
                continue
            if call.detail == RUNNING:
                running.add((call.obj, call.line))
            elif (call.obj, call.line) in running and vouched(call.line):
                ended.add(call.obj)
        return ended

    def polled(self) -> bool:
        """Whether the student's lines looked at some process again and again until it ended: a line
        that found it running, and later found it ended (a polling loop); not looks only after doing
        something else (``time.sleep(3)``, then ``exitcode``: red team, round 13), nor a few looks,
        then something else, then one that found it ended (red team, round 14)."""
        running: set[tuple[int, int]] = set()
        looks: Counter[int] = Counter()
        for call in self.looks():
            if call.api not in ("Process.is_alive", "Process.exitcode"):
                looks[call.obj] += call.count  # a loop's repeats are folded into one call, with a count
            elif call.detail == RUNNING:
                running.add((call.obj, call.line))
            elif (call.obj, call.line) in running:
                return True
        return any(count >= POLLED for count in looks.values())

    def looks(self) -> list[Call]:
        """The student's looks at whether processes still run."""
        return [c for c in self.calls if c.api in LOOKS and (c.direct or c.api == "active_children") and _short(c)]

    def polls_without_waiting(self) -> list[Call]:
        """The looks at a process (``is_alive()``, ``exitcode``...) of a parent that never waited for
        it without a timeout: a ``join()`` of that process, or a ``connection.wait`` that found it
        ended, before any look found it ended (a join of a process seen to have ended,
        ``if p.exitcode is not None: p.join()``, waits for nothing). A wait for any of several
        sentinels waited only for those it found ready (not for the others when a decoy's was the
        first: red team, round 18). ``active_children()`` looks at every process: its looks count as
        waited for only if every process was."""
        started = {c.obj for c in self.direct("Process.start")}
        begun: set[int] = set()  # a join before start() raises, and waits for nothing (red team, round 18)
        seen_ended: set[int] = set()
        waited: set[int] = set()
        for call in self.calls:
            untimed_join = call.api == "Process.join" and call.direct and "timeout=" not in call.detail
            waits = untimed_join or (call.api == READY and call.direct and not call.detail)
            timed_ready = call.api == READY and bool(call.detail)  # a short wait saw it ended, as a look does
            if call.api == "Process.start":
                begun.add(call.obj)
            elif call.api in ("Process.is_alive", "Process.exitcode") and call.detail != RUNNING or timed_ready:
                seen_ended.add(call.obj)  # (a look that let a held process end too: what follows may depend on it)
            elif waits and call.obj in begun and call.obj not in seen_ended:
                waited.add(call.obj)
        everyone = bool(started) and started <= waited
        return [c for c in self.looks() if c.obj not in waited and not (c.obj == 0 and everyone)]

    def joined_after(self, look: Call, source: str, within: str) -> bool:
        """Whether a ``join()`` (without a timeout) of the process ``look`` looked at came after it,
        from a line that joins it whatever became of the look's loop (``polls.joined_after_the_loop``)."""
        later = self.calls[self.calls.index(look) + 1 :]
        return any(
            call.api == "Process.join"
            and call.direct
            and call.obj == look.obj
            and "timeout=" not in call.detail
            and joined_after_the_loop(facts(source), look.line, call.line, within)
            for call in later
        )

    def last_join_line(self) -> int | None:
        joins = self.direct("Process.join")
        return joins[-1].line if joins else None


def unpaced_timed_joins(calls: tuple[Call, ...], source: str, within: str) -> list[Call]:
    """The joins with a timeout of processes that were not also polled until they ended, in a loop the
    judge vouches for: ``while p.is_alive(): p.join(timeout=5)`` waits for good, its timeout only
    paces the loop (it lost 2 points); a ``join(timeout=5)`` alone stops waiting after 5 s."""
    found = Calls(calls)
    polled = found.polled_to_the_end(lambda line: waits_for_good(facts(source), line, within))
    return [call for call in found.timed_joins() if call.obj not in polled]


def polled_until_a_deadline(calls: tuple[Call, ...], source: str, within: str) -> Call | None:
    """A look at a running process, by a parent that never waited otherwise, that the judge cannot
    vouch waits until the process ends (``grader.judge.polls``): a loop with a limit of its own passes
    at run time whatever the hold is (the process ends before its deadline here), so only the file
    tells it from a loop that polls until the end. A loop followed by a ``join()`` of the process that
    runs whatever became of the loop waits for good, whatever its shape."""
    found = Calls(calls)
    first: dict[int, Call] = {}  # the first look on each line: a loop's looks are read once
    for call in found.polls_without_waiting():
        if call.detail in (RUNNING, ENDED_AT_LOOK) or call.api not in ("Process.is_alive", "Process.exitcode"):
            first.setdefault(call.line, call)
    unvouched = (c for c in first.values() if not _vouched(c, source, within))
    return next((c for c in unvouched if not found.joined_after(c, source, within)), None)


def _vouched(look: Call, source: str, within: str) -> bool:
    """A poll's first look on its line waits for good; one that let its process end (after the loop
    slept first) was never seen to go round while the process ran: the file must show it would."""
    vouched = waits_for_good(facts(source), look.line, within)
    return vouched and (look.detail != ENDED_AT_LOOK or goes_on_while_running(facts(source), look.line, within))


def unvouched_poll(function: str, call: Call, what: str, source: str) -> str:
    """What a poll the judge cannot vouch for (``polled_until_a_deadline``) is told."""
    if not repeated(facts(source), call.line, function):
        return (
            f"{function} looked at {looked_at(call)} but never waited for {what}: a look tells whether it still "
            f"runs, it does not wait, and {what} that runs longer is still running when it returns."
        )
    return (
        f"{function} waits for {what} by looking at {looked_at(call)} in a loop the grader cannot vouch for. "
        f"It vouches only for a plain loop in {function} itself, left only when the looks say {what} ended, "
        "calling nothing but sleep(), print() and join(): a loop of any other shape may be one that stops at a "
        f"limit of its own (a clock, a count, an exception), and then {what} that runs longer is still running "
        "when it returns. join() waits for good, in one line."
    )


def slept_with(call: Call) -> str:
    """How a sleep (``Calls.sleeps``) is told: ``time.sleep()``, ``Event.wait(timeout=3)``."""
    return "time.sleep()" if call.api == "time.sleep" else f"{call.api}({call.detail})"


def too_many_calls(function: str) -> str:
    return (
        f"{function} made more calls than the grader can follow (it keeps the first few hundred): it cannot "
        "tell how it waited for its processes."
    )


def looked_at(call: Call) -> str:
    """``is_alive()``, ``exitcode``, ``active_children()`` or ``connection.wait()``: how a poll looked."""
    names = {"Process.is_alive": "is_alive()", "active_children": "active_children()", "connection.wait": "wait()"}
    return names.get(call.api, "exitcode")


def _short(call: Call) -> bool:
    """Not a ``connection.wait`` without a timeout: that one waits for good."""
    return call.api != "connection.wait" or "timeout=" in call.detail


def target_of(call: Call) -> str:
    """``probe``, ``student``, ``lambda``, ``nested``, ``none`` or ``other``: what a constructor got."""
    return detail(call, "target").split(":")[0]


def detail(call: Call, name: str) -> str:
    for part in call.detail.split():
        if part.startswith(f"{name}="):
            return part.removeprefix(f"{name}=")
    return ""


def stopped_from_outside(function: str, source: str) -> tuple[str, int] | None:
    """What a file that names a thread, a signal or a kill is told, and where: any of them can end a
    wait from outside it (``signal.alarm(3)`` around a ``join()``, a thread joined with a timeout,
    a timer that swaps what a poll looks at), and the processes end in time here, so nothing at run
    time shows it (red team, round 16)."""
    node = from_outside(facts(source).tree)
    if node is None:
        return None
    line = getattr(node, "lineno", 0)
    return (
        f"{function}'s file uses a thread, a signal or a kill, or what runs code as one does (a pool's callback, "
        f"an exit of its own, a hook) (line {line}): code that can end a wait from outside it, at a time of its own "
        "choosing. The grader does not vouch for a wait in such a file; these exercises "
        "need none of them.",
        line,
    )
