# variant: starts every process, then polls getattr(p, "exitcode") until every one has ended, with no deadline and no join (red team, round 14: a look by getattr is read as one)
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    while any(getattr(process, "exitcode") is None for process in processes):
        time.sleep(0.01)
    return [process.exitcode for process in processes]
