# mistake: polls is_alive() with the deadline of its own in the same `if ...: break` (60 s), then returns whatever exitcode is: never joins
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 60
    while True:
        if not process.is_alive() or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    return process.exitcode
