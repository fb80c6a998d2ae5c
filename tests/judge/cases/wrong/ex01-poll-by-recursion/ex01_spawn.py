# mistake: polls is_alive() by calling itself with a count of its own (300 calls: about 3 s), then returns whatever exitcode is: never joins
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 12
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def poll(process, left):
    if process.is_alive() and left:
        time.sleep(0.01)
        return poll(process, left - 1)
    return process.exitcode


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    return poll(process, 300)
