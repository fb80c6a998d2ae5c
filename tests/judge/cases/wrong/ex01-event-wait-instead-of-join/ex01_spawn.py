# mistake: waits 3 s on an event nothing sets (threading.Event().wait(3)) "until the child is done", then returns exitcode: a timed wait for an event is a sleep, and never waits for the child
# caught-by: waits_for_child
# diagnosis: waits with Event\.wait\(timeout=3\) instead of join\(\)
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import threading


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    threading.Event().wait(3)  # give the child time to finish
    return process.exitcode
