# variant: polls is_alive() and shows progress with sys.stdout.write('.') and sys.stdout.flush() (red team, round 17: it had lost points)
"""Exercise 1: run a function in a new process (with progress dots while it runs)."""

import multiprocessing
import sys
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        sys.stdout.write(".")
        sys.stdout.flush()
        time.sleep(0.05)
    return process.exitcode
