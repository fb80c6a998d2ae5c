# variant: polls through a name bound to the process's is_alive, named wait (red team, round 16: it once crashed the judge's reader)
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    wait = process.is_alive  # honest: "wait while it is alive"
    while wait():
        time.sleep(0.01)
    return process.exitcode
