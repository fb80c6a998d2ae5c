# variant: polls is_alive() every 0.1 s, paced by threading.Event().wait(0.1) (an event no code sets) instead of time.sleep (it scored 8/10: any name of threading was read as a thread)
"""Exercise 1: run a function in a new process (a poll paced by an event's wait)."""

import multiprocessing
import threading


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        threading.Event().wait(0.1)
    return process.exitcode
