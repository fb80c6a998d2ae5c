# variant: joins with a timeout again and again while the child is alive (red team, round 18: it lost the wait's 2 points)
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        process.join(timeout=5)
    return process.exitcode
