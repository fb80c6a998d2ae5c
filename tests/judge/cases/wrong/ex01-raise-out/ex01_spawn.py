# mistake: polls is_alive() until a deadline of its own (4 s), left by an expression that raises IndexError, caught around the loop: never joins (red team, round 14)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 4
    try:
        while process.is_alive():
            time.sleep(0.01)
            [0][time.monotonic() > deadline]  # IndexError once the deadline has passed
    except IndexError:
        pass
    return process.exitcode
