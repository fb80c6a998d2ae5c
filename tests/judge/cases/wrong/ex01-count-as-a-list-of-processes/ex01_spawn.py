# mistake: polls is_alive() over [process] * 300 (a count of its own, about 3 s, written as a list of the same process), then returns whatever exitcode is: never joins (red team, round 14)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for watched in [process] * 300:  # at most 300 looks, about 3 s
        if not watched.is_alive():
            break
        time.sleep(0.01)
    return process.exitcode
