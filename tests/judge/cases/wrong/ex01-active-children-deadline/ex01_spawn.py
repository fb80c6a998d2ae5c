# mistake: polls multiprocessing.active_children() for at most 3 s (a deadline of its own, like join(3)), never joins (red team, round 12)
# caught-by: waits_for_child
# diagnosis: looking at active_children\(\) in a loop the grader cannot vouch for
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 3
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    return process.exitcode
