# mistake: polls is_alive() with a sleep that turns negative once a deadline of its own (3 s) has passed: time.sleep raises ValueError then, and the parent never joins (red team, round 16)
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
        time.sleep(min(0.01, deadline - time.monotonic()))
    return process.exitcode
