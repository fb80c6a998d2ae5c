# variant: polls is_alive() every 3 s, with no deadline and no join: a long interval between looks, honest (red team, round 17: the first rule that held a target while the parent slept made it run out of time)
"""Exercise 1: run a function in a new process (check on it every three seconds)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        time.sleep(3)
    return process.exitcode
