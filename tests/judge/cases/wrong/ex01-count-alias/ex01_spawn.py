# mistake: polls is_alive() in a for over itertools.repeat imported as count, 300 times (about 3 s), then returns: never joins (red team, round 16)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time
from itertools import repeat as count  # "count" of the looks: 300 of them, about 3 s


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in count(None, 300):
        if not process.is_alive():
            break
        time.sleep(0.01)
    return process.exitcode
