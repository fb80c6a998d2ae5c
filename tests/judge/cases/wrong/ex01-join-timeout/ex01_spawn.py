# mistake: join(timeout=0.01) returns before a child that works longer has finished
# caught-by: waits_for_child
# diagnosis: join\(timeout=0\.01\)
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join(timeout=0.01)
    return process.exitcode
