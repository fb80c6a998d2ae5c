"""Checks of exercise 3: ``increment(counter, times)`` and ``parallel_count(processes, times)``."""

from __future__ import annotations

import ast
from dataclasses import replace

from grader.judge import PASS, Context, Run, Source, Verdict, check, fail
from grader.judge.calls import Calls
from grader.judge.diagnose import Evidence, Finding, diagnosis
from grader.judge.static import facts
from grader.scenarios.ex03 import Counted, CountParams, Incremented, IncrementParams

LOCK_HINT = (
    "Hold the counter's own lock around the whole update: `with counter.get_lock(): "
    "counter.value += 1`. A new multiprocessing.Lock() made inside increment guards nothing, "
    "because each process then has a lock of its own."
)
START_ALL_HINT = "Start all the processes first, then join them all; each one runs increment(counter, times)."
JOIN_HINT = "join() every process before reading counter.value: until then the count is not finished."
READ_ONLY_HINT = "Let the workers do all the counting: after joining them, only read counter.value."
VIOLATIONS = {
    "unlocked-write": "counter.value was written while counter.get_lock() was not held, so "
    "another process can write between your read and your write, and its update is lost.",
    "split": "counter.value was written under the lock, but read outside that hold of it (before taking it, "
    "under an earlier hold, or in another thread), so another process can write in between and an update is lost.",
}

INCREMENT = Run(
    "increment", "ex03.increment", "increment", lambda rng: IncrementParams(rng.randint(600, 1200), rng.randint(10, 90))
)
COUNT = Run("count", "ex03.count", "parallel_count", lambda rng: CountParams(3, rng.randint(1500, 2500)))
OTHER = Run("other", "ex03.count", "parallel_count", lambda rng: CountParams(rng.choice((2, 4)), rng.randint(300, 900)))


THREADS = frozenset({"Thread", "Timer", "start_new_thread", "start_new", "ThreadPoolExecutor", "ThreadPool"})
DUMMY = "dummy"  #: ``multiprocessing.dummy``: threads behind the processes' names (a name of the file's is no thread)


def threaded_count(source: Source) -> Verdict | None:
    """A file that starts threads (by any name of one: ``T = threading.Thread`` too) counts as its
    threads are scheduled: a count of its that reads in one thread and writes in another ended with
    lost updates on a quiet machine and past its time on a loaded one (red team, rounds 13 and 15)."""
    tree = facts(source.text).tree
    nodes = ast.walk(tree) if tree is not None else iter(())
    named = [node for node in nodes if _name(node) in THREADS or _name(node) == DUMMY and not _local(node)]
    if not named:
        return None
    line = min(getattr(node, "lineno", 0) for node in named)
    return fail(
        f"Your file starts threads (line {line}): how many updates they lose, and how long they take, then "
        "depends on how the threads are scheduled, which differs from run to run and from machine to machine, "
        "so the grader does not vouch for a count made so. This exercise needs processes and the counter's "
        "lock, and no thread.",
        "Update the counter in increment itself: `with counter.get_lock(): counter.value += 1`.",
        line,
    )


def _name(node: ast.AST) -> str | None:
    """What a node names: a name, an attribute, a string (``getattr(threading, "Thread")``), an import."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.alias):
        return node.name.rpartition(".")[2]
    if isinstance(node, ast.ImportFrom) and node.module:
        return node.module.rpartition(".")[2]
    return None


def _local(node: ast.AST) -> bool:
    """A name or a string of the file's own (``for dummy in range(times)``), not a module's attribute or an import."""
    return isinstance(node, (ast.Name, ast.Constant))


def unsafe(violations: tuple[str, ...]) -> Verdict | None:
    for kind in violations:
        return fail(VIOLATIONS[kind], LOCK_HINT)
    return None


@check(
    "increment adds exactly `times` to the counter",
    points=2,
    hint="Loop `times` times and add 1 to counter.value each time.",
    run=INCREMENT,
)
def increment_adds_times(seen: Incremented, context: Context) -> Verdict:
    times, start = context.params.times, context.params.start
    if seen.value == start + times:
        return PASS
    return fail(
        f"increment(counter, {times}) changed the counter from {start} to {seen.value} instead of {start + times}."
    )


@check("increment holds counter.get_lock() around each read-add-write", points=3, hint=LOCK_HINT, run=INCREMENT)
def increment_is_locked(seen: Incremented, context: Context) -> Verdict:
    if seen.value == context.params.start and not seen.violations:  # nothing written, nothing to judge
        return fail(f"increment left the counter at {seen.value}: it made no update whose lock could be checked.")
    return unsafe(seen.violations) or PASS


def genuine(seen: Counted) -> Counted:
    """Only the workers the calls vouch for: processes the student's code started."""
    started = set(seen.started)
    return replace(
        seen,
        workers=tuple(pid for pid in seen.workers if pid in started),
        arrivals=tuple(pid for pid in seen.arrivals if pid in started),
    )


def setup(seen: Counted, params: CountParams) -> Verdict | None:
    """What must hold before the count itself can be judged: a shared Value with a lock, workers
    that were joined."""
    if seen.unlocked and not seen.counters:
        how = seen.unlocked[0]
        made = "with lock=False" if how.startswith("Value") else "with RawValue"
        return fail(
            f"parallel_count made its counter {made}: it has no lock (no get_lock()), so the processes "
            "cannot share one.",
            "Make the counter with multiprocessing.Value('i', 0): it comes with its own lock.",
            _line(seen, how.split()[0]),
        )
    if not seen.counters:
        return fail(
            "parallel_count did not make its counter with multiprocessing.Value('i', 0) while it ran.",
            "Make the counter inside parallel_count: counter = multiprocessing.Value('i', 0).",
        )
    if seen.running:
        return fail("parallel_count returned while its processes were still counting.", JOIN_HINT)
    if seen.unjoined:
        return fail("parallel_count never joined its processes (they are left as zombies).", JOIN_HINT)
    return None


def _line(seen: Counted, api: str) -> int | None:
    made = Calls(seen.calls).any(api)
    return made[0].line if made else None


def total(seen: Counted, params: CountParams) -> Verdict:
    wanted = params.processes * params.times
    problem = setup(seen, params)
    if problem is not None:
        return problem
    if seen.returned.kind != "int":
        return fail(f"parallel_count returned {seen.returned.text}, not an int: return counter.value.")
    if seen.violations:  # the total is then only right by luck: say why it cannot be trusted
        return unsafe(seen.violations) or PASS
    if seen.returned.data != wanted:
        return fail(
            f"parallel_count({params.processes}, {params.times}) returned {seen.returned.text} instead of {wanted}."
        )
    if seen.overwritten:
        return fail(
            f"parallel_count set counter.value itself (after its workers had counted, or to a number of its "
            f"own): the {wanted} it returned is not their count.",
            READ_ONLY_HINT,
        )
    if wanted not in seen.finals:  # the right number, but not the count: the counter lost or overwrote updates
        return fail(
            f"parallel_count({params.processes}, {params.times}) returned {wanted}, but its counter ended at "
            f"{seen.finals[0] if seen.finals else 'nothing'}: the number returned is not the count.",
            "Return counter.value, after joining every process.",
        )
    return PASS


def processes(seen: Counted, params: CountParams) -> Verdict:
    seen = genuine(seen)
    problem = setup(seen, params)
    if problem is not None:
        return problem
    if not seen.workers:
        return fail("No child process used the counter: the increments ran in the grader's own process.")
    if len(seen.workers) != params.processes:
        return fail(
            f"parallel_count({params.processes}, {params.times}) used {len(seen.workers)} "
            f"process{'es' if len(seen.workers) != 1 else ''} instead of {params.processes}."
        )
    if seen.broken or len(set(seen.arrivals)) < params.processes:
        inside = Calls(seen.calls).joined_inside_start_loop()
        if inside is not None:
            return fail(
                "parallel_count joins each process right after starting it, so each one ends before the next "
                "is started: they count one after another, never at the same time.",
                START_ALL_HINT,
                inside.line,
            )
        return fail(
            f"Only {len(set(seen.arrivals))} of {params.processes} processes were incrementing at the same time: "
            "each one waited alone for the others, which had not been started yet.",
            START_ALL_HINT,
        )
    return unsafe(seen.violations) or PASS


@check(
    "parallel_count(3, times) returns 3 * times",
    points=1,
    hint="Return counter.value, an int, after joining every process.",
    run=COUNT,
    unvouched=threaded_count,
)
def parallel_count_total(seen: Counted, context: Context) -> Verdict:
    return total(seen, context.params)


@check(
    "parallel_count runs `processes` child processes at the same time",
    points=2,
    hint=START_ALL_HINT,
    run=COUNT,
    unvouched=threaded_count,
)
def parallel_count_processes(seen: Counted, context: Context) -> Verdict:
    return processes(seen, context.params)


@check(
    "parallel_count works for other numbers of processes and increments",
    points=2,
    hint="Use the `processes` and `times` you are given: start `processes` processes, each adding `times`.",
    run=OTHER,
    unvouched=threaded_count,
)
def parallel_count_other_sizes(seen: Counted, context: Context) -> Verdict:
    counted = total(seen, context.params)
    return counted if not counted.passed else processes(seen, context.params)


# --- the mistakes behind them ------------------------------------------------------------------

LOCKED = ("increment_is_locked", "parallel_count_total", "parallel_count_processes", "parallel_count_other_sizes")
COUNTS = ("parallel_count_total", "parallel_count_processes", "parallel_count_other_sizes")
LOCKS = ("Lock", "RLock", "multiprocessing.Lock", "multiprocessing.RLock", "threading.Lock", "threading.RLock")


def _violations(evidence: Evidence) -> set[str]:
    found = set()
    for run in ("increment", "count", "other"):
        for seen in evidence.observations(run):
            found.update(seen.violations)
    return found


def _write(evidence: Evidence) -> ast.AST | None:
    """The first update of ``counter.value`` in increment that is not under the counter's lock."""
    writes = evidence.facts.value_writes("increment")
    unlocked = [node for node in writes if not evidence.facts.locked_by_get_lock(node)]
    return unlocked[0] if unlocked else (writes[0] if writes else None)


@diagnosis("increments-name", explains=("increment_adds_times", *LOCKED), docs="value")
def increments_name(evidence: Evidence) -> Finding | None:
    function = evidence.facts.function("increment")
    counter = function.args.args[0].arg if function is not None and function.args.args else "counter"
    found = [
        node for node in evidence.facts.nodes("increment")
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == counter
    ]  # fmt: skip
    if not found:
        return None
    return Finding(
        f"`{evidence.facts.found(found[0]).code}` adds to the name {counter}, not to the number it holds: the "
        "shared Value keeps its number in `.value`.",
        f"Update {counter}.value, under its lock: `with {counter}.get_lock(): {counter}.value += 1`.",
        found[0].lineno,
    )


@diagnosis("counter-per-process", explains=COUNTS, docs="sharing")
def counter_per_process(evidence: Evidence) -> Finding | None:
    made = [call for call in evidence.facts.calls_named("Value", "multiprocessing.Value", within="increment")]
    if not made:
        return None
    return Finding(
        "increment makes a new Value of its own: each process then counts in its own counter, and the one "
        "parallel_count reads is never touched.",
        "Make one counter in parallel_count and pass it to every process: args=(counter, times).",
        made[0].lineno,
    )


@diagnosis("parent-sets-the-count", explains=("parallel_count_total", "parallel_count_other_sizes"), docs="value")
def parent_sets_the_count(evidence: Evidence) -> Finding | None:
    if not any(seen.overwritten for seen in [*evidence.observations("count"), *evidence.observations("other")]):
        return None
    writes = evidence.facts.value_writes("parallel_count")
    return Finding(
        "parallel_count sets counter.value itself (after its workers have counted, or to a number of its own): "
        "what it returns is then the number it wrote, not their count, and a lost update would never show.",
        READ_ONLY_HINT,
        writes[0].lineno if writes else None,  # type: ignore[attr-defined]
    )


@diagnosis("lock-never-released", explains=LOCKED, docs="synchronization")
def lock_never_released(evidence: Evidence) -> Finding | None:
    acquired = evidence.facts.method_calls("acquire", within="increment")
    if not acquired or evidence.facts.method_calls("release", within="increment"):
        return None
    return Finding(
        "increment acquires the lock and never releases it: the first process keeps it, and every other "
        "process waits for it forever.",
        "Use `with counter.get_lock():`, which releases the lock at the end of the block, even on an error.",
        acquired[0].lineno,
    )


@diagnosis("counter-without-lock", explains=COUNTS, docs="value")
def counter_without_lock(evidence: Evidence) -> Finding | None:
    seen = evidence.first("count")
    if seen is None or not seen.unlocked or seen.counters:
        return None
    how = seen.unlocked[0].split()[0]
    made = evidence.calls("count").any(how)
    kind = "Value(..., lock=False)" if how == "Value" else "RawValue"
    return Finding(
        f"parallel_count makes its counter with {kind}, which has no lock: get_lock() does not exist on it, and "
        "nothing keeps two processes from updating it at once.",
        "Make the counter with multiprocessing.Value('i', 0): it comes with its own lock.",
        made[0].line if made else None,
    )


@diagnosis("get-lock-not-called", explains=LOCKED, docs="value")
def get_lock_not_called(evidence: Evidence) -> Finding | None:
    for node in evidence.facts.nodes("increment"):
        if isinstance(node, ast.With):
            for item in node.items:
                context = item.context_expr
                if isinstance(context, ast.Attribute) and context.attr == "get_lock":
                    return Finding(
                        "`with counter.get_lock:` names the method without calling it: the method is not a lock, "
                        "so the with statement fails.",
                        "Call it: `with counter.get_lock():`.",
                        node.lineno,
                    )
    return None


@diagnosis("lock-per-call", explains=LOCKED, docs="synchronization")
def lock_per_call(evidence: Evidence) -> Finding | None:
    made = evidence.facts.calls_named(*LOCKS, within="increment")
    if not made or not _violations(evidence):
        return None
    return Finding(
        "increment makes a new Lock of its own at each call: every process then holds a different lock, which "
        "keeps no other process out, and updates of counter.value are lost.",
        "Use the lock the counter carries, the one every process shares: `with counter.get_lock(): counter.value "
        "+= 1`.",
        made[0].lineno,
    )


@diagnosis("module-lock", explains=LOCKED, docs="synchronization")
def module_lock(evidence: Evidence) -> Finding | None:
    made = [call for call in evidence.facts.calls_named(*LOCKS) if evidence.facts.in_function(call) == "<module>"]
    if not made or not _violations(evidence):
        return None
    return Finding(
        "increment uses a Lock made at the top of the module instead of the counter's own: under spawn and "
        "forkserver each process imports the module again and gets a lock of its own, which keeps no one out.",
        "Use `with counter.get_lock():`: the lock travels with the counter to every process.",
        made[0].lineno,
    )


@diagnosis("split-lock", explains=LOCKED, docs="synchronization")
def split_lock(evidence: Evidence) -> Finding | None:
    if "split" not in _violations(evidence):
        return None
    writes = evidence.facts.value_writes("increment") or evidence.facts.value_writes(None)  # in a helper of its
    return Finding(
        "increment writes counter.value under the lock, but read it outside that hold of the lock (under a second "
        "acquisition of it, before taking it, or in another thread): between the read and the write, another "
        "process can write, and its update is lost.",
        "Do the whole read-add-write in one `with counter.get_lock():` block, in one thread.",
        writes[-1].lineno if writes else None,  # type: ignore[attr-defined]
    )


@diagnosis("lock-read-only", explains=LOCKED, docs="synchronization")
def lock_read_only(evidence: Evidence) -> Finding | None:
    write = _write(evidence)
    has_lock = any(
        isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call) and "get_lock" in ast.dump(item.context_expr) for item in node.items
        )
        for node in evidence.facts.nodes("increment")
    )  # fmt: skip
    if "unlocked-write" not in _violations(evidence) or not has_lock or write is None:
        return None
    if evidence.facts.locked_by_get_lock(write):
        return None
    return Finding(
        "increment holds counter.get_lock() while it reads the value, but writes it back after letting the lock "
        "go: another process can write in between, and its update is lost.",
        "Put the write inside the same `with counter.get_lock():` block as the read.",
        write.lineno,  # type: ignore[attr-defined]
    )


@diagnosis("no-lock", explains=LOCKED, docs="synchronization")
def no_lock(evidence: Evidence) -> Finding | None:
    write = _write(evidence)
    if "unlocked-write" not in _violations(evidence) or write is None:
        return None
    return Finding(
        f"`{evidence.facts.found(write).code}` updates the shared counter without its lock: it reads the value, "
        "adds one and writes it back, and another process can write in between; its update is lost.",
        "Hold the counter's lock around the whole update: `with counter.get_lock(): counter.value += 1`.",
        write.lineno,  # type: ignore[attr-defined]
    )


@diagnosis("no-join", explains=COUNTS, docs="join")
def no_join(evidence: Evidence) -> Finding | None:
    seen = evidence.first("count")
    calls = evidence.calls("count")
    if seen is None or not seen.running or calls.direct("Process.join"):
        return None
    started = calls.direct("Process.start")
    return Finding(
        "parallel_count never joins its processes: it reads counter.value while they are still counting.",
        JOIN_HINT,
        started[0].line if started else None,
    )


@diagnosis("join-in-start-loop", explains=COUNTS, docs="join")
def join_in_start_loop(evidence: Evidence) -> Finding | None:
    inside = evidence.calls("count").joined_inside_start_loop()
    if inside is None:
        return None
    return Finding(
        "parallel_count joins each process right after starting it, so each one ends before the next is "
        "started: they count one after another, never at the same time.",
        START_ALL_HINT,
        inside.line,
    )


@diagnosis("work-in-parent", explains=COUNTS, docs="process")
def work_in_parent(evidence: Evidence) -> Finding | None:
    seen = evidence.first("count")
    if seen is None or seen.workers or seen.started:
        return None
    called = evidence.facts.calls_named("increment", within="parallel_count")
    return Finding(
        "parallel_count calls increment itself, in your own process: no child process counts.",
        "Start `processes` processes with Process(target=increment, args=(counter, times)), then join them.",
        called[0].lineno if called else None,
    )


@diagnosis("one-process", explains=COUNTS, docs="process")
def one_process(evidence: Evidence) -> Finding | None:
    seen = evidence.first("count")
    made = evidence.calls("count").direct("Process.__init__")
    if seen is None or len(seen.started) != 1 or evidence.params["count"].processes == 1:
        return None
    return Finding(
        "parallel_count starts a single process that does all the counting, instead of `processes` processes "
        "that count at the same time.",
        START_ALL_HINT,
        made[0].line if made else None,
    )


@diagnosis("ignores-processes", explains=COUNTS, docs="process")
def ignores_processes(evidence: Evidence) -> Finding | None:
    for run in ("count", "other"):
        seen, wanted = evidence.first(run), evidence.params[run].processes
        if seen is not None and len(seen.started) not in (wanted, 0, 1):
            made = evidence.calls(run).direct("Process.__init__")
            return Finding(
                f"parallel_count({wanted}, ...) started {len(seen.started)} processes: it does not use `processes` "
                "for how many to start.",
                "Start exactly `processes` processes: `for _ in range(processes)`.",
                made[0].line if made else None,
            )
    return None


@diagnosis("returns-value-object", explains=COUNTS, docs="value")
def returns_value_object(evidence: Evidence) -> Finding | None:
    seen = evidence.first("count")
    if seen is None or seen.returned.kind != "other":
        return None
    returns = evidence.facts.returns("parallel_count")
    return Finding(
        "parallel_count returns the counter itself (the shared Value), not the number in it.",
        "Return counter.value, an int.",
        returns[-1].lineno if returns else None,
    )
