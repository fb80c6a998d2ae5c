# variant: polls is_alive() paced by pause.wait(0.1), pause = threading.Event() made once and only waited on (it scored 8/10: only a fresh threading.Event().wait(0.1) was read as a sleep)
"""Exercise 1: run a function in a new process (a poll paced by an event kept in a name)."""

import multiprocessing
import threading


def run_in_process(target, args=()):
    pause = threading.Event()  # nothing sets it: each wait lasts its whole timeout
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        pause.wait(0.1)
    return process.exitcode
