# mistake: sleeps 3 s "until the child is done" (longer than the 2 s a held child waits, a time that stands still while the parent sleeps), then returns exitcode: never waits
# caught-by: waits_for_child
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    time.sleep(3)
    return process.exitcode
