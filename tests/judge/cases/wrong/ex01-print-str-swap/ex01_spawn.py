# mistake: polls is_alive() of the first process in a list, and prints an object whose __str__ swaps it for an ended stand-in after 3 s: never joins (red team, round 16)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 34
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Ended:
    def is_alive(self):
        return False


class Progress:
    """Prints nothing; after 3 s it gives up on the process."""

    def __init__(self, box):
        self.box = box
        self.started = time.monotonic()

    def __str__(self):
        if time.monotonic() - self.started > 3:
            self.box[0] = Ended()
        return ""


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    watched = [process]
    progress = Progress(watched)
    while watched[0].is_alive():
        print(progress, end="")
        time.sleep(0.01)
    return process.exitcode
