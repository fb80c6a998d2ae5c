# variant: polls is_alive() and prints a line every tenth look (ticks % 10 == 0) (red team, round 17: it had lost points)
"""Exercise 1: run a function in a new process (says something every second while it waits)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    ticks = 0
    while process.is_alive():
        time.sleep(0.1)
        ticks += 1
        if ticks % 10 == 0:
            print("still waiting for the child...")
    return process.exitcode
