# mistake: polls is_alive() 300 times in all() over a generator expression, never joins (red team, round 15)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    all(process.is_alive() and time.sleep(0.01) is None for _ in range(300))
    return process.exitcode
