# mistake: polls is_alive() every 0.1 s, but its flag is also set after 30 tries (3 s), and it never joins: a slower child is left running
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 19
"""Exercise 1: run a function in a new process (a flag, and a limit of its own)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    finished = False
    tries = 0
    while not finished:
        time.sleep(0.1)
        tries += 1
        if not process.is_alive() or tries == 30:
            finished = True
    return process.exitcode
