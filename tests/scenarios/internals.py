"""What ``grader.scenarios.cpython`` reads of CPython's internals, checked in a fresh interpreter.

Run as a program by the Python under test: by ``test_cpython.py`` with the one running the tests,
and by ``tests/test_pythons.py`` with every other supported Python, in a fresh install of the kit.
It exits 0 and prints ``ok`` when every internal is where the kit expects it; otherwise an
``AssertionError`` names the one that moved.
"""

import faulthandler
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import multiprocessing.managers
import multiprocessing.pool
import multiprocessing.queues
import multiprocessing.resource_tracker
import multiprocessing.sharedctypes
import multiprocessing.util
import os
import tempfile
import time
from pathlib import PurePath

import psutil

from grader.scenarios import cpython


def idle() -> None:
    time.sleep(60)


def dump_own_stacks(path: str) -> None:
    with open(path, "w") as file:
        faulthandler.dump_traceback(file, all_threads=True)


def helpers_are_the_fork_server_and_the_resource_tracker() -> None:
    context = multiprocessing.get_context("forkserver")
    lock = context.Lock()  # a named semaphore: starts the resource tracker
    child = context.Process(target=idle)  # starts the fork server
    child.start()
    try:
        helpers = cpython.helper_pids()
        commands = sorted(" ".join(psutil.Process(pid).cmdline()) for pid in helpers)
        assert len(commands) == 2, commands
        assert "forkserver" in commands[0] and "resource_tracker" in commands[1], commands
        assert cpython.tracker_pid() in helpers
        assert child.pid not in helpers
    finally:
        child.kill()
        child.join()
        del lock


def stack_dumps_parse_into_frames_that_start_at_bootstrap() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "stacks.txt")
        child = multiprocessing.get_context("fork").Process(target=dump_own_stacks, args=(path,))
        child.start()
        child.join()
        with open(path) as file:
            threads = cpython.parse_dump(file.read())
    (thread,) = threads
    assert thread.current, thread
    assert thread.frames[0].function == "dump_own_stacks" and thread.frames[0].line > 0, thread.frames[0]
    function, filename = cpython.BOOTSTRAP
    assert any(f.function == function and PurePath(f.file).name == filename for f in thread.frames), thread.frames


def the_functions_processes_wait_in_have_the_names_the_kit_reads() -> None:
    where = {
        cpython.QUEUE_FLUSH: multiprocessing.queues.Queue,
        cpython.EXIT_JOIN: multiprocessing.util,
        cpython.POOL_WORKER: multiprocessing.pool,
        cpython.MANAGER: multiprocessing.managers.Server,
        cpython.BOOTSTRAP[0]: multiprocessing.process.BaseProcess,
    }
    for name, holder in where.items():
        assert callable(getattr(holder, name, None)), f"{holder.__name__}.{name} is gone"
    files = {
        PurePath(module.__file__ or "").name
        for module in (multiprocessing.forkserver, multiprocessing.resource_tracker)
    }
    assert files == set(cpython.HELPER_FILES), files


def arenas_are_the_files_under_shared_values() -> None:
    value = multiprocessing.sharedctypes.RawValue("i", 0)
    fds = cpython.arena_descriptors()
    assert fds and all("pym-" in os.readlink(f"/proc/self/fd/{fd}") for fd in fds), fds
    del value


def leave_a_semaphore(connection: multiprocessing.connection.Connection) -> None:
    lock = multiprocessing.get_context("spawn").Lock()  # registered with the tracker, to unlink at its end
    connection.send(lock._semlock.name)
    os._exit(0)  # as a killed process would: nothing unlinks it


def the_tracker_unlinks_what_ended_processes_left_and_ends_when_its_pipe_closes() -> None:
    multiprocessing.resource_tracker.ensure_running()  # the parent's, which the child inherits
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(target=leave_a_semaphore, args=(theirs,))
    child.start()
    name = ours.recv().lstrip("/")
    child.join()
    linux = os.path.isdir("/dev/shm")
    assert not linux or os.path.exists(f"/dev/shm/sem.{name}"), name
    tracker = cpython.end_tracker_pipe()
    assert tracker is not None
    for _ in range(1000):
        if os.waitpid(tracker, os.WNOHANG)[0] != 0:
            break
        time.sleep(0.01)
    else:
        raise AssertionError("the resource tracker did not end when its pipe closed")
    assert not linux or not os.path.exists(f"/dev/shm/sem.{name}"), name


if __name__ == "__main__":
    helpers_are_the_fork_server_and_the_resource_tracker()
    stack_dumps_parse_into_frames_that_start_at_bootstrap()
    the_functions_processes_wait_in_have_the_names_the_kit_reads()
    arenas_are_the_files_under_shared_values()
    the_tracker_unlinks_what_ended_processes_left_and_ends_when_its_pipe_closes()
    print("ok")
