# variant: polls multiprocessing.active_children() until no child is left (it reaps them), with no deadline and no join
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while multiprocessing.active_children():
        time.sleep(0.01)
    return process.exitcode
