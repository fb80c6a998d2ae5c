# variant: polls exitcode in a `match` until the child has one, with no deadline and no join (red team, round 14: a match is read, not taken for a way out)
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while True:
        match process.exitcode:
            case None:
                time.sleep(0.01)
            case code:
                return code
