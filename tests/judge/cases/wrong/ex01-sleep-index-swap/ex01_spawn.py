# mistake: polls is_alive() of the first process in a list, sleeping for an object whose __index__ swaps it for an ended stand-in after 3 s: never joins (red team, round 16)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 34
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Ended:
    def is_alive(self):
        return False


class Pause:
    """A pause of 0 s, as an int; after 3 s it gives up on the process."""

    def __init__(self, box):
        self.box = box
        self.started = time.monotonic()

    def __index__(self):
        if time.monotonic() - self.started > 3:
            self.box[0] = Ended()
        return 0


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    watched = [process]
    pause = Pause(watched)
    while watched[0].is_alive():
        time.sleep(pause)
    return process.exitcode
