# mistake: wraps the target so the child catches its exception, which turns exit code 1 into 0
# caught-by: exit_code_after_exception
# diagnosis: catches its exception
# line: 12
"""Exercise 1: run a function in a new process."""

import multiprocessing


def call_safely(target, args):
    """Run the target without letting an exception crash the child."""
    try:
        target(*args)
    except Exception as error:
        print("the target failed:", error)


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=call_safely, args=(target, args))
    process.start()
    process.join()
    return process.exitcode
