# mistake: polls every process with a flag set from the looks and a 3 s clock together, never joins (red team, round 15)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 18
"""Exercise 2: start several processes at once."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 3
    busy = True
    while busy:
        busy = any([p.is_alive() for p in processes]) and time.monotonic() < deadline
        time.sleep(0.01)
    return [process.exitcode for process in processes]
