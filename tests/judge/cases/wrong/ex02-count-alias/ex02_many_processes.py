# mistake: polls the processes in a for over itertools.repeat imported as count, 300 times (about 3 s), then returns: never joins (red team, round 16)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 21
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def count(start, stop):
    """The numbers from start to stop: enough looks for anything (about 3 s)."""
    return range(start, stop)


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for _ in count(0, 300):
        if not any(process.is_alive() for process in processes):
            break
        time.sleep(0.01)
    return [process.exitcode for process in processes]
