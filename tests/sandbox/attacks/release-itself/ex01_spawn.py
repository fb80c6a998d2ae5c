"""No join: the child releases its own hold with the probe's public release() method."""

import multiprocessing
import time


def _run(target, args):
    release = getattr(target, "release", None)
    if release is not None and hasattr(target, "key"):
        release.release(target.key)
    target(*args)


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=_run, args=(target, args))
    process.start()
    time.sleep(0.5)
    return process.exitcode
