# mistake: polls with a flag set from the look and a 3 s clock together (alive = p.is_alive() and time.monotonic() < deadline), never joins (red team, round 15)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 17
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 3
    alive = True
    while alive:
        alive = process.is_alive() and time.monotonic() < deadline
        time.sleep(0.01)
    return process.exitcode
