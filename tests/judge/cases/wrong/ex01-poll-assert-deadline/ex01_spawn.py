# mistake: polls is_alive() with an assert on a deadline of its own (3 s), caught outside the loop, then returns whatever exitcode is: never joins
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 3
    try:
        while process.is_alive():
            assert time.monotonic() < deadline
            time.sleep(0.01)
    except AssertionError:
        pass
    return process.exitcode
