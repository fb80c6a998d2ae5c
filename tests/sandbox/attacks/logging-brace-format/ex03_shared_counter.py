"""ex03: the racy stub, plus: read the probe's private key and notes folder through
logging.Formatter(style="{") with a field made at run time, and delete the violation notes."""

import ast
import fcntl
import hashlib
import logging
import multiprocessing
import os

_P = "_pro" + "be_"


def peek(obj, path):
    """str(obj.<path>) through logging's '{' style: a getattr by a name made at run time."""
    fmt = logging.Formatter("{msg." + path + "}", style="{", validate=False)
    return fmt.formatMessage(logging.makeLogRecord({"msg": obj}))


def forget(counter):
    key = ast.literal_eval(peek(counter, _P + "key"))
    folder = peek(counter, _P + "folder")
    for kind in ("unlocked-write", "split"):
        name = f"violation-{kind}-{os.getpid()}"
        mac = hashlib.blake2s(name.encode(), key=key, digest_size=8).hexdigest()
        try:
            os.remove(os.path.join(folder, f"{name}.{mac}"))
        except OSError:
            pass


def increment(counter, times):
    # a file lock of our own (not counter.get_lock()) so no update is lost
    counter.value  # first use: meet the other workers at the probe's gate, as honest code does
    with open("/tmp/.ex03-mine.lock", "a") as f:
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
