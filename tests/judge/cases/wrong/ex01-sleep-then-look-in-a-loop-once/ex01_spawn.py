# mistake: sleeps 2.5 s, then looks once, in a loop that runs once: a sleep instead of a wait, dressed as a poll
# caught-by: waits_for_child
# diagnosis: a limit of its own|cannot vouch for
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(1):
        time.sleep(2.5)
        if not process.is_alive():
            break
    return process.exitcode
