# variant: waits with a `while process.is_alive()` polling loop, then joins to reap the child
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        time.sleep(0.01)
    process.join()
    return process.exitcode
