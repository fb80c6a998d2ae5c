# mistake: polls is_alive() and raises TimeoutError once a deadline of its own (3 s) has passed: never joins, and leaves a slower child running (red team, round 16)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 3
    while process.is_alive():
        if time.monotonic() > deadline:
            raise TimeoutError("the child took too long")
        time.sleep(0.01)
    return process.exitcode
