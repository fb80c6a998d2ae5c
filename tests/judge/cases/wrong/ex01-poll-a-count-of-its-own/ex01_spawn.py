# mistake: polls is_alive() for a count of its own (itertools.repeat, 300 looks: about 3 s), then returns whatever exitcode is: never joins
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 1: run a function in a new process."""

import itertools
import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in itertools.repeat(None, 300):
        if not process.is_alive():
            break
        time.sleep(0.01)
    return process.exitcode
