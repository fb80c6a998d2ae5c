# variant: joins with a timeout first, then polls is_alive() until the child has ended
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join(timeout=1)
    while process.is_alive():
        time.sleep(0.1)
    return process.exitcode
