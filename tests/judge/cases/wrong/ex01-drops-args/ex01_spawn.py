# mistake: leaves out args=args, so the child calls target() with no arguments
# caught-by: passes_args
# diagnosis: without .args.
# line: 12
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target)
    process.start()
    process.join()
    return process.exitcode
