"""Checks of exercise 5: ``producer``, ``consumer`` and ``run_pipeline`` with a sentinel."""

from __future__ import annotations

import ast
import random
from collections import Counter
from typing import Any

from grader.judge import PASS, Context, Run, Source, Verdict, check, consumers, fail
from grader.judge.calls import Calls, detail, stopped_from_outside, too_many_calls
from grader.judge.diagnose import Evidence, Finding, diagnosis
from grader.judge.quiet import from_outside
from grader.judge.static import a_look_at_a_queue, facts, keyword
from grader.scenarios.ex05 import (
    Consumed,
    ConsumeParams,
    Piped,
    PipeParams,
    ProduceCase,
    Produced,
    ProduceParams,
)
from grader.scenarios.records import Value

SENTINEL_HINT = (
    "Loop forever: `item = q.get()`; stop with `if item is SENTINEL: break`; otherwise "
    "`out.put(item)`. Do not look at q.empty() and do not use a timeout."
)
PIPELINE_HINT = (
    "Check each part: every consumer must get its own SENTINEL and stop only when `item is "
    "SENTINEL`; run_pipeline must read one result per item from `out` before it joins any process."
)
READ_FIRST_HINT = (
    "Read the results from `out` before you join any process: a process that put items on a "
    "queue cannot exit until they are read. You know how many to read: one per item."
)
FALSY = (0, "", False, 0.0)


def numbers(rng: random.Random, count: int, low: int = 1, high: int = 999) -> tuple[int, ...]:
    return tuple(rng.sample(range(low, high), count))


def producer_cases(rng: random.Random) -> ProduceParams:
    return ProduceParams((ProduceCase(numbers(rng, 3), 3), ProduceCase(numbers(rng, 1), None)))


def falsy_stream(rng: random.Random) -> ConsumeParams:
    a, b = numbers(rng, 2)
    items = (a, *FALSY, b)
    return ConsumeParams(items, (len(items),))


PRODUCE = Run("produce", "ex05.produce", "producer", producer_cases)
SLOW = Run("slow", "ex05.consume", "consumer", lambda rng: ConsumeParams(numbers(rng, 3), (3,)))
FALSY_ITEMS = Run("falsy", "ex05.consume", "consumer", falsy_stream)
STOPS = Run("stops", "ex05.consume", "consumer", lambda rng: ConsumeParams(numbers(rng, 2), (1, 3)))
ONE = Run("one", "ex05.pipeline", "run_pipeline", lambda rng: PipeParams((*numbers(rng, 19), *FALSY), 1))


def with_zero(rng: random.Random, count: int) -> tuple[int, ...]:
    items = [0, *numbers(rng, count - 1)]
    rng.shuffle(items)
    return tuple(items)


THREE = Run("three", "ex05.pipeline", "run_pipeline", lambda rng: PipeParams(with_zero(rng, 30), 3))


def letters(count: int) -> tuple[str, ...]:
    """Items of about 100 bytes: 1000 of them pickled (about 105 KiB) are more than a pipe buffers
    (64 KiB on Linux and macOS), so a join before the reads deadlocks, as 5000 small numbers did;
    each item costs the pipeline as much as a number does, so a fifth of the items is a fifth of the
    time."""
    return tuple(f"letter {n:04d}: " + "text " * 17 for n in range(count))


MANY = Run("many", "ex05.pipeline", "run_pipeline", lambda rng: PipeParams(letters(1000), 1))
TRACED = Run("traced", "ex05.pipeline", "run_pipeline", lambda rng: PipeParams(tuple(range(10)), 2, traced=True))


def plain(value: Value) -> Any:
    """A value as (kind, data): 0, 0.0 and False are not the same item."""
    return (value.kind, repr(value.data))


def item(data: Any) -> Any:
    return (type(data).__name__, repr(data))


@check(
    "producer puts every item, then one SENTINEL per consumer",
    points=2,
    hint="After the loop over items, put SENTINEL once for each consumer: "
    "`for _ in range(consumers): q.put(SENTINEL)`.",
    run=PRODUCE,
)
def producer_sentinels(seen: Produced, context: Context) -> Verdict:
    for case, put in zip(context.params.cases, seen.puts, strict=True):
        wanted = case.consumers or 1
        sentinels = sum(put.sentinels)
        if not sentinels:
            return fail("The producer never puts the SENTINEL, so a consumer cannot tell that the items have ended.")
        if sentinels < wanted:
            return fail(
                f"With {wanted} consumers the producer put {sentinels} SENTINEL: each consumer stops at the first "
                "one it takes, so the others would wait forever."
            )
        if sentinels != wanted:
            return fail(f"With {wanted} consumers the producer put {sentinels} SENTINELs.")
        items = [plain(value) for value, is_stop in zip(put.items, put.sentinels, strict=True) if not is_stop]
        order_ok = list(put.sentinels) == [False] * len(case.items) + [True] * wanted
        if items != [item(i) for i in case.items] or not order_ok:
            shown = ", ".join(
                "SENTINEL" if stop else value.text for value, stop in zip(put.items, put.sentinels, strict=True)
            )
            return fail(
                f"The producer put [{shown}] for the items {list(case.items)}: every item first, in order, then the "
                "sentinels."
            )
    return PASS


def consumer_verdict(seen: Consumed, params: ConsumeParams) -> Verdict:
    """The consumer's run on the slow queue: how it went wrong, if it did."""
    first_stop = min(params.sentinels_at)
    items = [item(i) for i in params.stream[:first_stop]]
    got = [plain(value) for value in seen.got]
    if seen.waits_forever:
        if not seen.survives_queue:
            return fail(
                f"The consumer did not recognise the SENTINEL ({seen.sentinel.text}) when it arrived: a queue delivers "
                "a copy of what was put, and a copy of an object is not the same object.",
                "Use SENTINEL = None, which stays itself through a queue, and test `item is SENTINEL`.",
            )
        return fail(
            "The consumer kept asking for items after the SENTINEL arrived; with a real queue it would wait there "
            "forever.",
            SENTINEL_HINT,
        )
    if got == items and not any(seen.got_sentinel):
        return PASS
    shown = (
        "["
        + ", ".join("SENTINEL" if stop else v.text for v, stop in zip(seen.got, seen.got_sentinel, strict=True))
        + "]"
    )
    wanted = list(params.stream[:first_stop])
    if any(seen.got_sentinel):
        return fail(
            "The consumer put the SENTINEL on `out`: it is a message to the consumer, not an item.",
            "When `item is SENTINEL`, break before putting anything on `out`.",
        )
    if len(got) > len(items):
        return fail(
            f"The consumer passed on {shown}: it went on reading after the first SENTINEL, taking items meant for "
            "another consumer."
        )
    if got == items[: len(got)] and len(got) < len(items) and not wanted[len(got)]:
        return fail(
            f"The consumer stopped at the item {wanted[len(got)]!r}: it tested the item's truth instead of comparing "
            "it with SENTINEL.",
            "Compare with `item is SENTINEL`: `if not item` or `while item` also stop at 0, '' and False.",
        )
    if {"empty", "get_nowait", "qsize"} & set(seen.queue_calls):
        return fail(
            f"The consumer passed on {shown} instead of {wanted}: it stopped because the queue looked empty, but "
            "the producer was only slow. q.empty() cannot tell 'not yet' from 'never'."
        )
    if "get-timeout" in seen.queue_calls:
        return fail(
            f"The consumer passed on {shown} instead of {wanted}: it gave up when q.get(timeout=...) timed out, but "
            "the producer was only slow. Any timeout is a guess; the SENTINEL is certain."
        )
    return fail(f"The consumer passed on {shown} instead of {wanted}.")


LOOKS_WITHOUT_WAITING = {"get-timeout", "empty", "qsize", "get_nowait"}  #: ``Consumed.queue_calls`` that may give up


@check("consumer waits for items that have not arrived yet", points=2, hint=SENTINEL_HINT, run=SLOW)
def consumer_waits_for_slow_producer(seen: Consumed, context: Context) -> Verdict:
    verdict = consumer_verdict(seen, context.params)
    outside = stopped_from_outside("consumer", context.source.text)
    if verdict.passed and outside is not None:  # a thread given up on, a signal around get(): not seen here
        return fail(outside[0], SENTINEL_HINT, outside[1])
    unfixed = consumers.unfixed_sentinel(facts(context.source.text))
    if verdict.passed and unfixed is not None:  # SENTINEL = Stop(): its __eq__ may end any consumer, when it likes
        return fail(unfixed[0], SENTINEL_HINT, unfixed[1])
    clock = consumers.stops_on_a_clock(facts(context.source.text))
    if verdict.passed and clock is not None:  # a blocking get(), and a clock that may end the loop on a pause
        return fail(CONSUMER_ON_A_CLOCK, SENTINEL_HINT, clock.lineno)
    looked = set(seen.queue_calls) & LOOKS_WITHOUT_WAITING
    # its items came before its limit here; a slower producer's would not: only the file tells
    if verdict.passed and looked and not consumers.waits_for_good(facts(context.source.text), "consumer"):
        looks = _looks(context.source, "consumer")
        return fail(
            CONSUMER_GIVES_UP, SENTINEL_HINT, looks[0].lineno if looks else context.source.definition("consumer")
        )
    return verdict


CONSUMER_ON_A_CLOCK = (
    "The consumer waits with q.get() in a loop the grader cannot vouch for, in a file that reads a clock: it "
    "vouches only for a `while True` loop in consumer itself, left only when `item is SENTINEL`. A consumer that "
    "stops once an item comes late takes the producer's pause for its end, and a slower machine loses the items "
    "still on their way."
)
CONSUMER_GIVES_UP = (
    "The consumer asks the queue without waiting (a timeout, empty() or get_nowait()) in a loop the grader cannot "
    "vouch for: it vouches only for a `while True` loop in consumer itself, left only when `item is SENTINEL`. A loop "
    "of any other shape may stop at a limit of its own (a clock, a count of tries), and a producer slower than that "
    "limit looks finished, although more items are on their way."
)
READER_GIVES_UP = (
    "run_pipeline reads `out` without waiting (a timeout, empty() or get_nowait()) in a loop the grader cannot vouch "
    "for: it vouches only for `while len(results) < len(items):` adding what `out` gave. A loop of any other shape "
    "may stop at a limit of its own (a clock, a count of tries), and consumers slower than that limit lose their last "
    "results."
)
READ_HINT = "You know how many results to read: one per item. Read them with `out.get()`, which waits."


def _looks(source: Source, within: str | None = None) -> list[ast.Call]:
    """The looks at a queue that come back without an item, in the order of the file."""
    nodes = facts(source.text).nodes(within)
    return sorted((n for n in nodes if isinstance(n, ast.Call) and a_look_at_a_queue(n)), key=lambda n: n.lineno)


def unvouched_pipeline(source: Source) -> Verdict | None:
    """A pipeline's result here says nothing of a slower machine's when the file may give up waiting:
    a look at a queue that comes back without an item, in a loop the judge cannot vouch for (a
    consumer that stops after 3 s of quiet passes here, and loses items when a loaded machine starts
    the producer late), or a thread, a signal or a kill, which can end a wait when it likes."""
    outside = stopped_from_outside("run_pipeline", source.text)
    if outside is not None:
        return fail(outside[0], READ_HINT, outside[1])
    found = facts(source.text)
    vouched = {"consumer": consumers.waits_for_good, "run_pipeline": consumers.reads_every_result}
    for look in _looks(source):
        owner = next((node.name for node in found.tree.body if isinstance(node, ast.FunctionDef)  # type: ignore[union-attr]
                      and node.lineno <= look.lineno <= (node.end_lineno or 0)), "")  # fmt: skip
        if owner in vouched and vouched[owner](found, owner):
            continue
        if owner == "consumer":
            return fail(CONSUMER_GIVES_UP, SENTINEL_HINT, look.lineno)
        if owner == "run_pipeline":
            return fail(READER_GIVES_UP, READ_HINT, look.lineno)
        return fail(
            f"{f'`{owner}`' if owner else 'Your file'} asks a queue without waiting (a timeout, empty() or "
            "get_nowait()): the grader vouches for such a look only in consumer's `while True` loop left at the "
            "SENTINEL, or in run_pipeline's `while len(results) < len(items):` loop. Anywhere else it may give up at "
            "a limit of its own, and a slower machine loses items.",
            PIPELINE_HINT,
            look.lineno,
        )
    clock = consumers.stops_on_a_clock(found)
    if clock is not None:
        return fail(CONSUMER_ON_A_CLOCK, SENTINEL_HINT, clock.lineno)
    return None


@check(
    "consumer passes on falsy items such as 0, '' and False",
    points=1,
    hint="Compare with `item is SENTINEL`: `if not item` or `while item` also stop at 0, '' and False.",
    run=FALSY_ITEMS,
)
def consumer_keeps_falsy_items(seen: Consumed, context: Context) -> Verdict:
    return consumer_verdict(seen, context.params)


@check(
    "consumer stops at the SENTINEL and does not pass it on",
    points=1,
    hint="When `item is SENTINEL`, break out of the loop before putting anything on `out`.",
    run=STOPS,
)
def consumer_stops_at_sentinel(seen: Consumed, context: Context) -> Verdict:
    return consumer_verdict(seen, context.params)


def returned_list(seen: Piped) -> Verdict | None:
    if seen.returned.kind != "list":
        return fail(f"run_pipeline returned {seen.returned.text}, not a list.")
    return None


@check(
    "run_pipeline with one consumer returns every item, in order",
    points=1,
    hint=PIPELINE_HINT,
    run=ONE,
    unvouched=unvouched_pipeline,
)
def pipeline_one_consumer(seen: Piped, context: Context) -> Verdict:
    items = list(context.params.items)
    if (problem := returned_list(seen)) is not None:
        return problem
    if [item(i) for i in seen.returned.data or []] != [item(i) for i in items]:
        return fail(f"run_pipeline(items, 1) returned {seen.returned.text}\ninstead of {items!r}.")
    return PASS


@check(
    "run_pipeline with three consumers returns every item and ends",
    points=1,
    hint=PIPELINE_HINT,
    run=THREE,
    unvouched=unvouched_pipeline,
)
def pipeline_three_consumers(seen: Piped, context: Context) -> Verdict:
    items = list(context.params.items)
    if (problem := returned_list(seen)) is not None:
        return problem
    got = Counter(item(i) for i in seen.returned.data or [])
    wanted = Counter(item(i) for i in items)
    if got != wanted:
        missing = sorted((wanted - got).elements())
        extra = sorted((got - wanted).elements())
        return fail(
            f"run_pipeline(items, 3) lost {[eval_free(i) for i in missing]} and added {[eval_free(i) for i in extra]}."
        )
    return PASS


def eval_free(pair: tuple[str, str]) -> str:
    return pair[1]


@check(
    "run_pipeline reads the results before joining (no deadlock on a full queue)",
    points=1,
    hint=READ_FIRST_HINT,
    run=MANY,
    unvouched=unvouched_pipeline,
)
def pipeline_many_items(seen: Piped, context: Context) -> Verdict:
    items = list(context.params.items)
    if (problem := returned_list(seen)) is not None:
        return problem
    if seen.returned.data != items:
        return fail(
            f"run_pipeline returned {len(seen.returned.data or [])} of the {len(items)} items, or not in order."
        )
    return PASS


@check(
    "run_pipeline runs the producer and the consumers in their own processes",
    points=1,
    hint="Start one multiprocessing.Process for producer and one per consumer, and pass the queues as arguments. "
    "If this check hangs, see the checks above.",
    run=TRACED,
    unvouched=unvouched_pipeline,
)
def pipeline_uses_processes(seen: Piped, context: Context) -> Verdict:
    if (problem := returned_list(seen)) is not None:
        return problem
    if sorted(traced.value for traced in seen.traced) != list(context.params.items):
        return fail(
            f"run_pipeline returned {seen.returned.text} instead of the {len(context.params.items)} items given."
        )
    for traced in seen.traced:
        others = {pid for pid in traced.pids if pid != seen.caller and pid in seen.started}
        if len(others) < 2:
            return fail(
                f"item {traced.value} did not pass through both a producer process and a consumer process: part of "
                "the pipeline ran in the grader's own process."
            )
    consumers = context.params.consumers
    if len(seen.started) != 1 + consumers:
        return fail(
            f"run_pipeline(items, {consumers}) started {len(seen.started)} processes: one producer and {consumers} "
            f"consumers make {1 + consumers}."
        )
    # from its calls, not from what is left (under forkserver an ended child leaves no zombie, and
    # whether it has ended by the time run_pipeline returns is the scheduler's to say)
    started = {call.obj for call in seen.calls if call.api == "Process.start"}
    if Calls(seen.calls).dropped() is not None or len(started) < len(seen.started):
        return fail(
            too_many_calls("run_pipeline"),
            "Start the processes, read the results, join the processes: nothing else in run_pipeline.",
        )
    # a join with a timeout (``join(0)``) may return with the process still running (red team, round 14)
    joined = {call.obj for call in seen.calls if call.api == "Process.join" and "timeout=" not in call.detail}
    never = started - joined
    if never:
        return fail(
            f"run_pipeline returned without joining {len(never)} of its processes: they are left running, "
            "or ended and never reaped.",
            "After reading every result from out, join() each process.",
        )
    return PASS


# --- the mistakes behind them ------------------------------------------------------------------

CONSUMING = ("consumer_waits_for_slow_producer", "consumer_keeps_falsy_items", "consumer_stops_at_sentinel")
PIPELINES = ("pipeline_one_consumer", "pipeline_three_consumers", "pipeline_many_items", "pipeline_uses_processes")


def _consumed(evidence: Evidence) -> list[Consumed]:
    return [seen for run in ("slow", "falsy", "stops") for seen in evidence.observations(run)]


def _sentinel_line(evidence: Evidence) -> int | None:
    assigned = [
        node for node in evidence.facts.nodes()
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "SENTINEL" for t in node.targets)
    ]  # fmt: skip
    return assigned[0].lineno if assigned else None


@diagnosis("no-sentinel", explains=("producer_sentinels", *PIPELINES), docs="queues")
def no_sentinel(evidence: Evidence) -> Finding | None:
    seen: Produced | None = evidence.first("produce")
    if seen is None or any(any(put.sentinels) for put in seen.puts):
        return None
    return Finding(
        "The producer never puts the SENTINEL after its items, so a consumer cannot tell that the items have "
        "ended: it waits for more, forever.",
        "After the loop over items, put SENTINEL once for each consumer: `for _ in range(consumers): q.put(SENTINEL)`.",
        evidence.source.definition("producer"),
    )


@diagnosis("sentinel-in-loop", explains=("producer_sentinels", *PIPELINES), docs="queues")
def sentinel_in_loop(evidence: Evidence) -> Finding | None:
    seen: Produced | None = evidence.first("produce")
    if seen is None:
        return None
    for put in seen.puts:
        if (
            len(put.sentinels) > 1
            and True in put.sentinels[:-1]
            and False in put.sentinels[put.sentinels.index(True) :]
        ):
            puts = [call for call in evidence.facts.method_calls("put", within="producer")
                    if any(isinstance(arg, ast.Name) and arg.id == "SENTINEL" for arg in call.args)]  # fmt: skip
            return Finding(
                "The producer puts a SENTINEL among the items (inside the loop over them): a consumer stops at the "
                "first one, before the items after it.",
                "Put the sentinels after the loop, once every item is on the queue.",
                puts[0].lineno if puts else evidence.source.definition("producer"),
            )
    return None


@diagnosis("sentinel-is-an-item", explains=(*CONSUMING, *PIPELINES), docs="queues")
def sentinel_is_an_item(evidence: Evidence) -> Finding | None:
    falsy = evidence.first("falsy")
    if falsy is None or "consumer_keeps_falsy_items" not in evidence.failed:
        return None
    if falsy.sentinel.kind == "none" or falsy.sentinel.data not in FALSY:
        return None
    return Finding(
        f"SENTINEL is {falsy.sentinel.text}, a value a real item can have: the consumer stops at the first item "
        f"equal to it, as if the items had ended.",
        "Use SENTINEL = None, a value no item of the exercise ever is, and test `item is SENTINEL`.",
        _sentinel_line(evidence),
    )


@diagnosis("one-sentinel", explains=("producer_sentinels", "pipeline_three_consumers", "pipeline_uses_processes"),
           docs="queues")  # fmt: skip
def one_sentinel(evidence: Evidence) -> Finding | None:
    seen: Produced | None = evidence.first("produce")
    cases = evidence.params["produce"].cases
    if seen is None:
        return None
    for case, put in zip(cases, seen.puts, strict=True):
        if (case.consumers or 1) > 1 and sum(put.sentinels) == 1:
            puts = [call for call in evidence.facts.method_calls("put", within="producer")
                    if any(isinstance(arg, ast.Name) and arg.id == "SENTINEL" for arg in call.args)]  # fmt: skip
            return Finding(
                f"The producer puts one SENTINEL for {case.consumers} consumers: each consumer stops at the first "
                "one it takes, so the others wait forever.",
                "Put one SENTINEL per consumer: `for _ in range(consumers): q.put(SENTINEL)`.",
                puts[0].lineno if puts else evidence.source.definition("producer"),
            )
    return None


@diagnosis("copied-sentinel", explains=(*CONSUMING, *PIPELINES), docs="queues")
def copied_sentinel(evidence: Evidence) -> Finding | None:
    if not any(seen.waits_forever and not seen.survives_queue for seen in _consumed(evidence)):
        return None
    return Finding(
        "SENTINEL is an object that is only ever equal to itself, and a queue delivers a copy of what was put: the "
        "consumer never recognises the copy as the SENTINEL, and waits for more items forever.",
        "Use SENTINEL = None, which stays itself through a queue, and test `item is SENTINEL`.",
        _sentinel_line(evidence),
    )


@diagnosis("empty-loop", explains=(*CONSUMING, *PIPELINES), docs="queues")
def empty_loop(evidence: Evidence) -> Finding | None:
    asked = {call for seen in _consumed(evidence) for call in seen.queue_calls}
    if not {"empty", "qsize", "get_nowait"} & asked:
        return None
    found = [*evidence.facts.method_calls("empty", within="consumer"),
             *evidence.facts.method_calls("qsize", within="consumer"),
             *evidence.facts.method_calls("get_nowait", within="consumer")]  # fmt: skip
    return Finding(
        "The consumer stops when the queue looks empty: that happens whenever the producer is a little behind, "
        "although more items are on their way. q.empty() cannot tell 'not yet' from 'never'.",
        "Loop forever: `item = q.get()` (it waits); stop only when `item is SENTINEL`.",
        min(node.lineno for node in found) if found else evidence.source.definition("consumer"),
    )


@diagnosis("timeout-guess", explains=(*CONSUMING, *PIPELINES), docs="queues")
def timeout_guess(evidence: Evidence) -> Finding | None:
    consumed = _consumed(evidence)
    if from_outside(evidence.facts.tree) is not None:  # a timer that puts the SENTINEL: told by the check
        return None
    if not any("get-timeout" in seen.queue_calls for seen in consumed) or all(not evidence.failed & set(CONSUMING)
                                                                             for _ in consumed):  # fmt: skip
        return None
    timed = [call for call in evidence.facts.method_calls("get", within="consumer") if keyword(call, "timeout")]
    # or, in a helper of its own, the get that times out
    found = timed or [call for call in evidence.facts.method_calls("get") if keyword(call, "timeout")]
    return Finding(
        "The consumer stops when q.get(timeout=...) times out: a producer that is only slow looks finished. Any "
        "timeout is a guess; the SENTINEL is certain.",
        "Wait with q.get() (no timeout) and stop only when `item is SENTINEL`.",
        found[0].lineno if found else evidence.source.definition("consumer"),
    )


@diagnosis("forwards-sentinel", explains=(*CONSUMING, *PIPELINES), docs="queues")
def forwards_sentinel(evidence: Evidence) -> Finding | None:
    if not any(any(seen.got_sentinel) for seen in _consumed(evidence)):
        return None
    puts = evidence.facts.method_calls("put", within="consumer")
    return Finding(
        "The consumer puts the SENTINEL on `out` too: it is a message to the consumer (the items have ended), "
        "not an item.",
        "Test `if item is SENTINEL: break` before you put the item on `out`.",
        puts[0].lineno if puts else evidence.source.definition("consumer"),
    )


def _truth(test: ast.expr) -> bool:
    """``if item``, ``while item``, ``if not item``: a test of a value's truth."""
    return isinstance(test, ast.Name) or (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not))


@diagnosis("truthiness", explains=(*CONSUMING, *PIPELINES), docs="queues")
def truthiness(evidence: Evidence) -> Finding | None:
    falsy = evidence.first("falsy")
    if falsy is None or "consumer_keeps_falsy_items" not in evidence.failed:
        return None
    tests = [
        node for node in evidence.facts.nodes("consumer") if isinstance(node, (ast.If, ast.While)) and _truth(node.test)
    ]  # fmt: skip
    if not tests:
        return None
    return Finding(
        f"`{evidence.facts.found(tests[0].test).code}` tests the item's truth: it stops at the first 0, '' or "
        "False as well as at the SENTINEL.",
        "Compare with the SENTINEL itself: `if item is SENTINEL: break`.",
        tests[0].lineno,
    )


@diagnosis("join-before-read", explains=("pipeline_many_items", "pipeline_one_consumer", "pipeline_three_consumers"),
           docs="guidelines")  # fmt: skip
def join_before_read(evidence: Evidence) -> Finding | None:
    calls = evidence.calls("many")
    joins, gets = calls.direct("Process.join"), [c for c in calls.calls if c.api.startswith("Queue.get")]
    if not joins or (gets and calls.calls.index(gets[0]) < calls.calls.index(joins[0])):
        return None
    if "pipeline_many_items" not in evidence.failed:
        return None
    return Finding(
        "run_pipeline joins the processes before it reads `out`: a process that put items on a queue cannot end "
        "until they are read, so with many items the join waits forever (a deadlock).",
        READ_FIRST_HINT,
        joins[0].line,
    )


@diagnosis("results-by-empty", explains=PIPELINES, docs="queues")
def results_by_empty(evidence: Evidence) -> Finding | None:
    found = evidence.facts.method_calls("empty", within="run_pipeline")
    if not found:
        return None
    return Finding(
        "run_pipeline reads results while out.empty() says there are some: out is empty whenever the consumers "
        "are a little behind, so it stops before all the results are in.",
        "You know how many results to read: one per item, `[out.get() for _ in items]`.",
        found[0].lineno,
    )


@diagnosis(
    "producer-without-consumers", explains=("pipeline_three_consumers", "pipeline_uses_processes"), docs="queues"
)
def producer_without_consumers(evidence: Evidence) -> Finding | None:
    made = evidence.calls("three").direct("Process.__init__", target="student")
    for call in made:
        if "producer" in call.detail and detail(call, "args") == "tuple:2":
            return Finding(
                "run_pipeline starts the producer without telling it how many consumers there are: it then puts one "
                "SENTINEL, and the other consumers wait forever.",
                "Pass consumers on: Process(target=producer, args=(q, items, consumers)).",
                call.line,
            )
    return None


@diagnosis("one-consumer-process", explains=("pipeline_three_consumers", "pipeline_uses_processes"), docs="queues")
def one_consumer_process(evidence: Evidence) -> Finding | None:
    made = [c for c in evidence.calls("traced").direct("Process.__init__") if detail(c, "target") == "student:consumer"]
    if len(made) != 1 or made[0].count != 1:
        return None
    return Finding(
        "run_pipeline starts one consumer process whatever `consumers` says.",
        "Start `consumers` consumer processes: one Process(target=consumer, args=(q, out)) per consumer.",
        made[0].line,
    )


@diagnosis("all-in-parent", explains=("pipeline_uses_processes",), docs="queues")
def all_in_parent(evidence: Evidence) -> Finding | None:
    called = [*evidence.facts.calls_named("producer", within="run_pipeline"),
              *evidence.facts.calls_named("consumer", within="run_pipeline")]  # fmt: skip
    if not called:
        return None
    return Finding(
        f"run_pipeline calls {called[0].func.id}() itself, in your own process, instead of starting a "  # type: ignore[attr-defined]
        "process to run it.",
        "Start a multiprocessing.Process for the producer and one per consumer; pass the queues as arguments.",
        called[0].lineno,
    )
