# variant: sleeps 2.5 s first, then looks at is_alive(), again and again (a do-while poll; red team, round 18: it scored 0/10)
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while True:
        time.sleep(2.5)
        if not process.is_alive():
            break
    return process.exitcode
