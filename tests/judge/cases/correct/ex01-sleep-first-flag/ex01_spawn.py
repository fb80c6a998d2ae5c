# variant: sleeps 2 s, then sets a flag once is_alive() says the process ended, and loops while the flag is unset (it lost the waits check: the judge could not read the flag)
"""Exercise 1: run a function in a new process (sleep first, then look, with a flag)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    finished = False
    while not finished:
        time.sleep(2)
        if not process.is_alive():
            finished = True
    return process.exitcode
