# variant: polls every process's is_alive() every 2.5 s, with no deadline and no join (red team, round 17)
"""Exercise 2: run several processes at once (check on them every 2.5 seconds)."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    while any(process.is_alive() for process in processes):
        time.sleep(2.5)
    return [process.exitcode for process in processes]
