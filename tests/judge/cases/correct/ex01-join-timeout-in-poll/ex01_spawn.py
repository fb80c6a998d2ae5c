# variant: joins with a timeout in a `while process.is_alive()` loop, which only paces the loop: it waits for good
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        process.join(timeout=5)
    return process.exitcode
