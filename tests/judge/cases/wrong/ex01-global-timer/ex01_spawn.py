# mistake: polls a global that a threading.Timer swaps for an ended stand-in after 3 s: never joins (red team, round 16)
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 30
"""Exercise 1: run a function in a new process."""

import multiprocessing
import threading
import time


class Ended:
    def is_alive(self):
        return False


watched = None


def give_up():
    global watched
    watched = Ended()  # "3 s is plenty"


def run_in_process(target, args=()):
    global watched
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    watched = process
    timer = threading.Timer(3, give_up)
    timer.start()
    while watched.is_alive():
        time.sleep(0.01)
    timer.cancel()
    return process.exitcode
