# variant: waits on the sentinel with a short timeout, again and again (no deadline), then joins
"""Exercise 1: run a function in a new process."""

import multiprocessing
from multiprocessing.connection import wait


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while not wait([process.sentinel], timeout=0.05):
        pass
    process.join()
    return process.exitcode
