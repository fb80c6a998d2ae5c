# variant: polls is_alive() until a done flag, set only when the look says the child ended, with no deadline and no join (red team, round 15: a reader looking for limits had failed it)
"""Exercise 1: run a function in a new process (honest poll until it ends, with a flag)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    done = False
    while not done:
        if not process.is_alive():
            done = True
        else:
            time.sleep(0.01)
    return process.exitcode
