# variant: polls is_alive() in a for over itertools.count(), which never ends by itself, with no join (red team, round 15: a reader looking for limits had failed it)
"""Exercise 1: run a function in a new process (honest poll, counting the looks forever)."""

import itertools
import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for looks in itertools.count(1):
        if not process.is_alive():
            break
        time.sleep(0.01)
    return process.exitcode
