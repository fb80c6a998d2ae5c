# variant: sleeps 2.5 s before each look at is_alive(), with no deadline and no join: a poll that sleeps first (it scored 0/10: each check ran out of time at its second look)
"""Exercise 1: run a function in a new process (sleep first, then look)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while True:
        time.sleep(2.5)
        if not process.is_alive():
            break
    return process.exitcode
