# mistake: polls is_alive() of the first process in a list, which a threading.Timer swaps for an ended stand-in after 3 s: never joins (red team, round 16)
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 27
"""Exercise 1: run a function in a new process."""

import multiprocessing
import threading
import time


class Ended:
    """Stands for a process that is over."""

    def is_alive(self):
        return False


def give_up(box):
    box[0] = Ended()  # "3 s is plenty"


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    watched = [process]
    timer = threading.Timer(3, give_up, (watched,))
    timer.start()
    while watched[0].is_alive():
        time.sleep(0.01)
    timer.cancel()
    return process.exitcode
