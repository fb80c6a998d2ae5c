# variant: polls is_alive() with time.sleep(interval), interval = 0.01 set once in the function (red team, round 17: it had lost points)
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    interval = 0.01
    while process.is_alive():
        time.sleep(interval)
    return process.exitcode
