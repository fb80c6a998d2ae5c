# variant: polls exitcode until the child has one, with no deadline and no join (reading exitcode reaps the child)
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.exitcode is None:
        time.sleep(0.01)
    return process.exitcode
