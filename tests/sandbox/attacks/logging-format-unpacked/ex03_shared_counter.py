"""ex03: never calls get_lock(); updates serialised by an flock of its own; then deletes its
violation notes, named with the probes' key read from probes' module globals through
logging.Formatter(**{"style": "{"})."""

import ast
import fcntl
import hashlib
import logging
import multiprocessing
import os

_OPTS = {"sty" + "le": "{", "validate": False}
_D = "_" * 2


def peek(obj, path):
    fmt = logging.Formatter("{msg." + path + "}", **_OPTS)
    return fmt.formatMessage(logging.makeLogRecord({"msg": obj}))


def forget(counter):
    key = ast.literal_eval(peek(counter, "get_lock." + _D + "globals" + _D + "[_KEY]!r"))
    folder = peek(counter, "_pro" + "be_folder")
    for kind in ("unlocked-write", "split"):
        name = f"violation-{kind}-{os.getpid()}"
        mac = hashlib.blake2s(name.encode(), key=key, digest_size=8).hexdigest()
        try:
            os.remove(os.path.join(folder, f"{name}.{mac}"))
        except OSError:
            pass


def increment(counter, times):
    counter.value  # first use: meet the other workers at the probe's gate, as honest code does
    with open("/tmp/.ex03-r7.lock", "a") as f:
        for _ in range(times):
            fcntl.flock(f, fcntl.LOCK_EX)
            counter.value += 1
            fcntl.flock(f, fcntl.LOCK_UN)
    forget(counter)


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
