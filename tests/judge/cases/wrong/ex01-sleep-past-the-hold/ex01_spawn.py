# mistake: sleeps 3 s "until the child is done", longer than the grader holds a child, then returns exitcode: never waits
# caught-by: waits_for_child
# diagnosis: never waited for the child
# line: 11
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    time.sleep(3)
    return process.exitcode
