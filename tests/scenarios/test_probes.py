"""The probes the scenarios rely on: each must see what it claims to see, every time."""

from __future__ import annotations

import contextlib
import copy
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.heap
import multiprocessing.sharedctypes
import os
import pickle
import queue
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.spawn import get_preparation_data
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_for

from grader.scenarios import guard, probes, unpickling

HERE = str(Path(__file__).resolve().parent)


@pytest.fixture(autouse=True, scope="module")
def key_carried() -> Iterator[None]:
    """Spawned children and the fork server's take the scenario's key, as in a sandbox: a fork
    server started before now would not, so a new one starts."""
    unpickling.carry_key()
    multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]
    multiprocessing.set_forkserver_preload(["grader.scenarios.keyed"])
    yield
    multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]
    multiprocessing.set_forkserver_preload([])


@pytest.fixture(autouse=True)
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests stand at gates and release targets themselves, as only the scenarios may."""
    monkeypatch.setattr(probes, "_TRUSTED", {*probes._TRUSTED, HERE})
    monkeypatch.setenv("MPGRADE_PROBES_TRUSTED", HERE)  # for the children they spawn


def counter(folder: Path) -> probes.WatchedCounter:
    """An audited counter whose creator's own writes are audited too."""
    lock = probes.WatchedLock(multiprocessing.get_context("fork").RLock())
    return probes.WatchedCounter(multiprocessing.sharedctypes.RawValue("i", 0), lock, str(folder), os.getpid())


def test_a_probe_is_a_frozen_record_the_student_cannot_change(tmp_path: Path) -> None:
    release = probes.Release.create(tmp_path / "r", timeout=5)
    reporter = probes.Reporter(str(tmp_path), release, "k", code=3)
    assert (reporter.key, reporter.code, reporter.raises) == ("k", 3, False)  # defaults as declared
    assert reporter == probes.Reporter(str(tmp_path), release, "k", 3) != probes.Reporter(str(tmp_path), release, "j")
    copy = pickle.loads(pickle.dumps(reporter))
    assert copy == reporter and hash(copy) == hash(reporter)
    assert repr(reporter).startswith(f"Reporter(folder={str(tmp_path)!r}, release=Release(")
    with pytest.raises(AttributeError, match="cannot assign to field 'code'"):
        reporter.code = 0  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot assign to field 'timeout'"):
        del release.timeout  # type: ignore[misc]
    with pytest.raises(TypeError, match="cannot be changed"):
        probes.Release.hold = lambda *args, **kwargs: True  # type: ignore[method-assign]


def arrive(gate: probes.Gate) -> None:
    gate.arrive()


def test_gate_opens_for_all_parties_and_names_them(tmp_path: Path) -> None:
    gate = probes.Gate.create(tmp_path / "g", 3, timeout=30)
    children = [multiprocessing.get_context("fork").Process(target=arrive, args=(gate,)) for _ in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    assert [child.exitcode for child in children] == [0, 0, 0]
    assert not gate.broken and gate.arrival_pids() == sorted(child.pid for child in children)


def test_threads_of_one_process_are_one_party(tmp_path: Path) -> None:
    """The gate proves that processes ran at the same time: a process's threads, or one process
    arriving again and again, count once (red team, round 6)."""
    gate = probes.Gate.create(tmp_path / "g", 3, timeout=0.5)
    threads = [threading.Thread(target=lambda: pytest.raises(probes.GateBroken, arrive, gate)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gate.broken and gate.count == 1 and gate.arrival_pids() == [os.getpid()] * 3


def test_gate_breaks_for_everyone_when_a_party_never_comes(tmp_path: Path) -> None:
    gate = probes.Gate.create(tmp_path / "g", 2, timeout=0.05)
    with pytest.raises(probes.GateBroken, match="only 1 of 2"):
        gate.arrive()
    with pytest.raises(probes.GateBroken):
        probes.Gate(gate.folder, 2, 30).arrive()  # later arrivals fail at once
    assert gate.broken


def racy(c: probes.WatchedCounter) -> None:
    c.value += 1


def locked_read_only(c: probes.WatchedCounter) -> None:
    with c.get_lock():
        value = c.value
    c.value = value + 1


def split(c: probes.WatchedCounter) -> None:
    with c.get_lock():
        value = c.value
    with c.get_lock():
        c.value = value + 1


def new_lock(c: probes.WatchedCounter) -> None:
    with multiprocessing.Lock():
        c.value += 1


def correct(c: probes.WatchedCounter) -> None:
    with c.get_lock():
        c.value += 1


def correct_with_the_value_as_context(c: probes.WatchedCounter) -> None:
    with c:
        c.value += 1


def racy_through_get_obj(c: probes.WatchedCounter) -> None:
    c.get_obj().value += 1  # the c_int under the wrapper has no lock of its own


def correct_through_get_obj(c: probes.WatchedCounter) -> None:
    with c.get_lock():
        c.get_obj().value += 1


def stale_read_thrown_away(c: probes.WatchedCounter) -> None:
    current = c.value  # without the lock: another process may count before the write
    with c.get_lock():
        c.value = current + 1 + 0 * c.value


def stale_read_written_in_a_later_hold(c: probes.WatchedCounter) -> None:
    current = c.value
    with c.get_lock():
        c.value  # noqa: B018
    with c.get_lock():
        c.value = current + 1 + 0 * c.value


def read_then_correct(c: probes.WatchedCounter) -> None:
    print("starting at", c.value)  # a read without the lock that the update does not build on
    with c.get_lock():
        c.value += 1


def read_then_read_under_the_lock(c: probes.WatchedCounter) -> None:
    c.value  # noqa: B018
    with c.get_lock():
        c.value  # noqa: B018  # the hold ends without a write: the phantom update is taken back
    with c.get_lock():
        c.value += 1


def stale_after_a_hold_without_a_write(c: probes.WatchedCounter) -> None:
    with c.get_lock():
        current = c.value  # the hold ends: another process may count before the next one
    with c.get_lock():
        c.value = current + 1 + 0 * c.value  # a read under this hold, thrown away (red team, round 16)


def read_under_the_lock_then_correct(c: probes.WatchedCounter) -> None:
    with c.get_lock():
        print("starting at", c.value)
    with c.get_lock():
        c.value += 1


@pytest.mark.parametrize(
    "update, violations",
    [
        (stale_read_thrown_away, ["split"]),
        (stale_after_a_hold_without_a_write, ["split"]),
        (read_under_the_lock_then_correct, []),
        (stale_read_written_in_a_later_hold, ["split"]),
        (read_then_correct, []),
        (read_then_read_under_the_lock, []),
        (racy, ["unlocked-write"]),
        (locked_read_only, ["unlocked-write"]),
        (split, ["split"]),
        (new_lock, ["unlocked-write"]),
        (correct, []),
        (correct_with_the_value_as_context, []),
        (racy_through_get_obj, ["unlocked-write"]),
        (correct_through_get_obj, []),
    ],
)
def test_watched_counter_sees_every_lost_update_pattern(tmp_path: Path, update, violations) -> None:  # type: ignore[no-untyped-def]
    c = counter(tmp_path)
    update(c)
    assert c.violations() == violations
    assert c._probe_final_value() == (0 if update.__name__.startswith("stale") else 1)  # its update was lost


def consume_until_empty(q: probes.SlowProducerQueue, out: queue.Queue) -> None:  # type: ignore[type-arg]
    while not q.empty():
        out.put(q.get())


def consume_until_timeout(q: probes.SlowProducerQueue, out: queue.Queue) -> None:  # type: ignore[type-arg]
    while True:
        try:
            item = q.get(timeout=1)
        except queue.Empty:
            return
        if item is None:
            return
        out.put(item)


def consume_until_sentinel(q: probes.SlowProducerQueue, out: queue.Queue) -> None:  # type: ignore[type-arg]
    for item in iter(q.get, None):
        out.put(item)


def consume_until_timeouts(times: int) -> Callable[[probes.SlowProducerQueue, queue.Queue[int]], None]:
    """A consumer that takes the producer for finished after ``times`` timeouts in a row."""

    def consume(q: probes.SlowProducerQueue, out: queue.Queue[int]) -> None:
        while True:
            for _ in range(times):
                try:
                    item = q.get(timeout=0.5)
                    break
                except queue.Empty:
                    pass
            else:
                return
            if item is None:
                return
            out.put(item)

    return consume


def retry_until_sentinel(q: probes.SlowProducerQueue, out: queue.Queue) -> None:  # type: ignore[type-arg]
    while True:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            continue
        if item is None:
            return
        out.put(item)


def busy_wait_then_get(q: probes.SlowProducerQueue, out: queue.Queue) -> None:  # type: ignore[type-arg]
    while True:
        if q.empty():
            continue
        item = q.get()
        if item is None:
            return
        out.put(item)


@pytest.mark.parametrize(
    "consumer, complete",
    [
        (consume_until_empty, False),
        (consume_until_timeout, False),
        (consume_until_timeouts(2), False),
        (consume_until_timeouts(probes.PATIENCE), False),
        (consume_until_timeouts(probes.PATIENCE + 5), False),  # red team, round 12
        (consume_until_timeouts(10 * probes.PATIENCE), False),
        (retry_until_sentinel, True),
        (consume_until_sentinel, True),
        (busy_wait_then_get, True),
    ],
)
def test_slow_producer_queue_defeats_guesses_but_not_sentinels(consumer, complete) -> None:  # type: ignore[no-untyped-def]
    q = probes.SlowProducerQueue([1, 0, 2, None])
    out: queue.Queue[int] = queue.Queue()
    consumer(q, out)
    got = [out.get_nowait() for _ in range(out.qsize())]
    assert (got == [1, 0, 2]) is complete


def test_traced_items_record_each_process_that_sent_them() -> None:
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    q.put(probes.Traced(7))
    item = q.get(timeout=10)
    assert item == probes.Traced(7) and item.trail == (os.getpid(),)


def with_the_value(c: probes.WatchedCounter) -> None:
    for _ in range(100):
        with c:
            c.value += 1


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_workers_meet_at_the_gate_before_taking_the_lock(tmp_path: Path, method: str) -> None:
    """A worker that waited at the gate while holding the lock would keep the others out."""
    ctx = multiprocessing.get_context(method)
    gate = probes.Gate.create(tmp_path / "gate", 2, timeout=30)
    release = probes.Release.create(tmp_path / "release", timeout=30)
    lock = probes.WatchedLock(ctx.RLock(), probes.Arrival(gate, release, os.getpid()))
    shared = probes.WatchedCounter(
        multiprocessing.sharedctypes.RawValue("i", 0), lock, str(tmp_path), os.getpid(), audit_creator=False
    )
    workers = [ctx.Process(target=with_the_value, args=(shared,)) for _ in range(2)]
    for worker in workers:
        worker.start()
        release.release(probes.of_process("workers", worker.pid))
    for worker in workers:
        worker.join()
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert not gate.broken and len(set(gate.arrival_pids())) == 2
    assert shared._probe_final_value() == 200 and shared.violations() == []


def write_behind(shared: probes.WatchedCounter) -> None:
    """Fill every shared-memory file this process holds, from its descriptor's offset on."""
    for name in os.listdir("/proc/self/fd"):
        try:
            if "pym-" in os.readlink(f"/proc/self/fd/{name}"):
                os.write(int(name), b"\x07" * os.fstat(int(name)).st_size)
        except OSError:
            continue


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_write_to_a_counters_memory_file_lands_past_the_memory(
    tmp_path: Path, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A counter's file is parked at its end: an os.write to it, by its maker or by a child holding
    the file, never reaches the count (at offset 0 this one would overwrite every byte of it)."""
    monkeypatch.setattr(multiprocessing.heap.BufferWrapper, "_heap", multiprocessing.heap.Heap())  # a new file
    ctx = multiprocessing.get_context(method)
    raw = multiprocessing.sharedctypes.RawValue("i", 0)
    shared = probes.WatchedCounter(raw, probes.WatchedLock(ctx.RLock()), str(tmp_path), os.getpid())
    write_behind(shared)
    child = ctx.Process(target=write_behind, args=(shared,))
    child.start()
    child.join()
    assert child.exitcode == 0 and shared._probe_final_value() == 0


def test_a_counter_without_a_lock_has_no_get_lock_and_every_write_is_unsafe(tmp_path: Path) -> None:
    raw = probes.WatchedCounter(multiprocessing.sharedctypes.RawValue("i", 0), None, str(tmp_path), os.getpid())
    with pytest.raises(AttributeError):
        raw.get_lock()
    raw.value += 1
    assert raw.violations() == ["unlocked-write"] and not raw.has_lock


def unlocked_write_with_no_files_to_spare(counter: probes.WatchedCounter) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (0, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    with contextlib.suppress(OSError):  # the process would go on, its unlocked write forgotten
        counter.value += 1
    os._exit(0)


def test_a_note_the_probes_cannot_write_ends_the_process(tmp_path: Path) -> None:
    """Red team, round 12: a thread's first unlocked write, under a limit of 0 open files, whose note
    failed, made every later one count as noted already."""
    counter = probes.WatchedCounter(multiprocessing.sharedctypes.RawValue("i", 0), None, str(tmp_path), os.getpid())
    child = multiprocessing.get_context("fork").Process(target=unlocked_write_with_no_files_to_spare, args=(counter,))
    child.start()
    child.join()
    assert child.exitcode == guard.EXIT and counter._probe_final_value() == 0


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy])
def test_a_counter_cannot_be_copied_while_a_process_is_spawned(tmp_path: Path, copier: Callable[[Any], Any]) -> None:
    """Copying would hand copy's reducers the shared memory behind the probe, which ``__reduce__``
    gives a process being spawned (red team, round 10: copy.dispatch_table + set_spawning_popen)."""
    from multiprocessing import context

    shared = counter(tmp_path)
    context.set_spawning_popen(object())
    try:
        with pytest.raises(RuntimeError, match="through inheritance"):
            copier(shared)
    finally:
        context.set_spawning_popen(None)


def hold(release: probes.Release) -> None:
    sys.exit(0 if release.hold("me") else 3)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_held_child_ends_only_once_released(tmp_path: Path, method: str) -> None:
    release = probes.Release.create(tmp_path, timeout=30)
    child = multiprocessing.get_context(method).Process(target=hold, args=(release,))
    child.start()
    child.join(0.2)
    assert child.is_alive()  # it stands until released, however long that takes
    release.release("me")
    child.join()
    assert child.exitcode == 0


def test_a_held_child_stands_while_the_parent_sleeps_then_goes_on_by_itself(tmp_path: Path) -> None:
    """A hold's time runs only while the parent is awake: a parent that sleeps past it, however late
    its child began to stand, finds the child still standing when it wakes, on every run."""
    release = probes.Release.create(tmp_path, timeout=0.05)
    release.asleep(True)
    child = multiprocessing.get_context("fork").Process(target=hold, args=(release,))
    child.start()
    wait_for(lambda: release.stood(child.pid), "the child stands at its hold")
    child.join(1.0)  # twenty times its hold
    assert child.is_alive()
    release.asleep(False)
    child.join()
    assert child.exitcode == 3  # went on by itself, unreleased


def test_a_held_target_in_the_parent_itself_does_not_wait(tmp_path: Path) -> None:
    assert probes.Release.create(tmp_path, timeout=30).hold("me")  # no one could release it: go on


def test_a_broken_gate_stays_broken_and_an_open_one_cannot_be_broken(tmp_path: Path) -> None:
    gate = probes.Gate.create(tmp_path / "g", 2, timeout=30)
    gate.break_now()
    with pytest.raises(probes.GateBroken):
        gate.arrive()
    opened = probes.Gate.create(tmp_path / "o", 1, timeout=30)
    opened.arrive()
    opened.break_now()
    assert opened.open and not opened.broken


def _held_square(task: probes.HeldTask, n: int) -> int:
    return task(n)


def test_a_pool_task_waits_in_its_worker_until_the_results_are_asked_for(tmp_path: Path) -> None:
    release = probes.Release.create(tmp_path / "release", timeout=60)
    task = probes.HeldTask(abs, release)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pending = pool.map_async(task, [-1, -2])
        wait_for(lambda: len(list((tmp_path / "release").glob("arrived-*"))) == 2, "both tasks stand in a worker")
        assert not pending.ready()
        release.release(probes.RESULTS)
        assert pending.get(timeout=60) == [1, 2]


def test_arrival_waits_until_the_child_stands_at_its_target(tmp_path: Path) -> None:
    """A terminate() right after start() never races the child's first steps."""
    release = probes.Release.create(tmp_path / "release", timeout=60)
    target = probes.Reporter(str(tmp_path), release, "target")
    process = multiprocessing.get_context("spawn").Process(target=target)
    process.start()
    release.arrival(process.pid, process.sentinel)
    assert [note["pid"] for note in probes.notes(tmp_path, "ran-")] == [process.pid]
    process.terminate()
    process.join()


def _starts_late(target: probes.Reporter, delay: float) -> None:
    time.sleep(delay)  # as a loaded machine may start a spawned process
    target()


def test_arrival_waits_as_long_as_a_check_may_run_not_one_hold(tmp_path: Path) -> None:
    """A process that comes to its hold only many holds after start() still stands when arrival
    returns: waiting one hold at most, a join in ex02's cascade released nothing when a loaded
    machine was slow to start its processes, and a correct poll timed out (CI on record)."""
    release = probes.Release.create(tmp_path / "release", timeout=0.1, patience=60)
    target = probes.Reporter(str(tmp_path), release, "target")
    process = multiprocessing.get_context("fork").Process(target=_starts_late, args=(target, 20 * release.timeout))
    process.start()
    release.arrival(process.pid, process.sentinel)
    assert release.stood(process.pid)
    process.join()


def test_what_every_child_process_imports_stays_light() -> None:
    """Each spawned child of a scenario imports ``child``, the probes and the guard: none of them
    may pull in the heavy modules (``typing``, ``dataclasses`` and ``inspect``, ``pathlib``), which
    would cost every such child about 20 ms of CPU."""
    from grader.sandbox.run import compiled_scenarios

    loaded = subprocess.run(
        [sys.executable, "-S", "-c", "import sys, mpgrade_scenarios.child, mpgrade_scenarios.probes, "
         "mpgrade_scenarios.guard; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True, env={"PYTHONPATH": str(compiled_scenarios().parent)},
    ).stdout.split()  # fmt: skip
    assert "mpgrade_scenarios.probes" in loaded
    assert not {"typing", "dataclasses", "inspect", "pathlib"} & set(loaded)


def test_every_private_name_of_the_probes_is_one_the_static_gate_refuses_on_self() -> None:
    """``grader.reach`` lets ``self._x`` through (the student's own classes) but not ``_probe_x``: a
    method of the student's class may be called with a probe as its self."""
    import ast

    from grader import reach

    tree = ast.parse(Path(probes.__file__).read_text())
    private = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in reach.OWN
    } | {
        method.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for method in node.body
        if isinstance(method, ast.FunctionDef)
    }
    private = {name for name in private if name.startswith("_") and not name.endswith("__")}
    assert private and all(name.startswith(reach.PROBE_PRIVATE) for name in private), sorted(private)


def test_a_file_the_probes_did_not_sign_is_not_seen(tmp_path: Path) -> None:
    """The student's processes can reach the probes' folders: what they write there without the
    scenario's key is not a note, not a release, not an arrival (red team, round 4)."""
    release = probes.Release.create(tmp_path / "release", 1.0)
    gate = probes.Gate.create(tmp_path / "gate", 2, 1.0)
    probes.note(tmp_path, "ran-1", pid=1)
    (tmp_path / "ran-2").write_text('{"pid": 2}')  # forged: no MAC
    (tmp_path / "ran-3.0123456789abcdef").write_text('{"pid": 3}')  # forged: a wrong MAC
    assert probes.notes(tmp_path, "ran-") == [{"pid": 1}]
    (Path(release.folder) / "release-workers").touch()
    assert not release.released("workers")
    release.release("workers")
    assert release.released("workers")
    (Path(gate.folder) / "arrived" / f"{os.getpid()}-1-1").touch()
    assert gate.count == 0
    gate.stand()
    assert gate.count == 1


def spawned_key(gate: probes.Gate) -> None:
    gate.stand()  # signed with the key the child took from its preparation data


def test_the_key_travels_in_no_pickle_and_a_spawned_child_gets_it(tmp_path: Path) -> None:
    """A probe's pickle, and a spawned child's preparation data, are bytes that the student's code
    can read (back from a pipe; from the pipe to the child, in another thread, before the child
    does): the key is in neither; a spawned child gets it as it starts (red team, rounds 6 and 7)."""
    gate = probes.Gate.create(tmp_path / "gate", 2, 30)
    release = probes.Release.create(tmp_path / "release", 30)
    key = probes.scenario_key()
    for probe in (gate, release, probes.Reporter(str(tmp_path), release, "target")):
        assert key not in pickle.dumps(probe)
    assert key.hex() not in repr(get_preparation_data("x")) and repr(key) not in repr(get_preparation_data("x"))
    assert unpickling.KEY not in os.environ
    child = multiprocessing.get_context("spawn").Process(target=spawned_key, args=(gate,))
    child.start()
    child.join()
    assert child.exitcode == 0 and gate.arrival_pids() == [child.pid]


def test_a_notes_folder_put_in_the_place_of_the_scenarios_is_told(tmp_path: Path) -> None:
    """A submission that knows where a folder is may rename it away with the notes it holds and put
    an empty one there: the scenario reads through the folder it holds, and says it was replaced."""
    folder = tmp_path / "audit"
    folder.mkdir()
    probes.keep(folder)
    probes.note(folder, "violation-split-1", kind="split")
    assert probes.notes(folder, "violation-") == [{"kind": "split"}]
    folder.rename(tmp_path / "away")
    folder.mkdir()
    with pytest.raises(RuntimeError, match="replaced"):
        probes.notes(folder, "violation-")


def test_a_forked_child_does_not_hold_the_scenarios_folders(tmp_path: Path) -> None:
    probes.keep(tmp_path)
    held = probes._KEPT[str(tmp_path)]
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the descriptor was closed at the fork
        try:
            os.fstat(held)
            os.write(writer, b"open")
        except OSError:
            os.write(writer, b"closed")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(reader, 10) == b"closed"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the thread's refusal
def test_a_probe_the_students_code_makes_does_nothing_for_it(tmp_path: Path) -> None:
    """``type(target)(target.gate, my_release)`` gives an object of the probe's class with fields of
    the student's choosing, which the scenarios' own code would then act on (a target run in "the
    parent", a pool task standing at the gate): without the scenario's seal it does nothing (red
    team, round 6). Copies made by pickling keep the seal; a copy with another field loses it."""
    gate = probes.Gate.create(tmp_path / "gate", 2, 30)
    release = probes.Release.create(tmp_path / "release", 30)
    meeter = probes.Meeter(gate, release)
    student: dict[str, object] = {"meeter": meeter, "mine": str(tmp_path / "mine")}
    code = (
        "gate = type(meeter.gate)(meeter.gate.folder, 1, 30)\nmeeter = type(meeter)(meeter.gate, meeter.release)\n"
        "made = type(meeter.release).create(mine, 30)"  # through a function of the probes' module
    )
    exec(compile(code, str(tmp_path / "ex02_many_processes.py"), "exec"), student)
    assert not probes.unsealed(meeter) and not probes.unsealed(pickle.loads(pickle.dumps(meeter)))
    assert probes.unsealed(student["gate"]) and probes.unsealed(student["meeter"]) and probes.unsealed(student["made"])
    assert probes.unsealed(probes.Gate(gate.folder, 1, 30, gate._probe_seal))  # its seal, other fields
    with pytest.raises(PermissionError, match="remade"):
        student["gate"].stand()  # type: ignore[attr-defined]
    with pytest.raises(PermissionError, match="remade"):
        student["meeter"](0, 0)  # type: ignore[operator]
    assert gate.count == 0 and probes.notes(gate.folder, "ran-") == []


def test_only_the_scenarios_may_release_a_target_or_stand_at_a_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The student's code holds the probes and could call their methods, which sign with the
    probe's key (red team, round 5: a child that releases itself, a process standing for many)."""
    release = probes.Release.create(tmp_path / "release", 1.0)
    gate = probes.Gate.create(tmp_path / "gate", 2, 1.0)
    monkeypatch.setattr(probes, "_TRUSTED", {str(Path(probes.__file__).parent)})
    for call in (lambda: release.release("workers"), lambda: release.free("workers"), gate.stand, gate.break_now):
        with pytest.raises(PermissionError, match="the grader's to call"):
            call()
    threaded = threading.Thread(target=gate.stand)  # through the standard library: refused too
    threaded.start()
    threaded.join()
    assert gate.count == 0 and not release.released("workers")
