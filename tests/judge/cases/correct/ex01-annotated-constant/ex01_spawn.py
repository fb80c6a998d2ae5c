# variant: polls is_alive() with time.sleep(POLL_SECONDS), an annotated module constant (red team, round 17: it had lost points)
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time

POLL_SECONDS: float = 0.01


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        time.sleep(POLL_SECONDS)
    return process.exitcode
