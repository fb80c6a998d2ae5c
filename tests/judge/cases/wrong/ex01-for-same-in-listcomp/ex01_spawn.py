# mistake: polls the same process 300 times, a list of it made by a comprehension, never joins (red team, round 15)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for watched in [process for _ in range(300)]:
        if not watched.is_alive():
            break
        time.sleep(0.01)
    return process.exitcode
