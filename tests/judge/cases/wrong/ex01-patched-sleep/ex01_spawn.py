# mistake: an honest poll, but time.sleep is first replaced by a callable that terminates the children after 3 s (red team, round 16)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 30
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Patience:
    """time.sleep, until 3 s have passed: then the children are stopped ("they must be stuck")."""

    def __init__(self, real):
        self.real = real
        self.deadline = time.monotonic() + 3

    def __call__(self, seconds):
        if time.monotonic() > self.deadline:
            for child in multiprocessing.active_children():
                child.terminate()
        self.real(seconds)


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    real = time.sleep
    time.sleep = Patience(real)
    while process.is_alive():
        time.sleep(0.01)
    time.sleep = real
    return process.exitcode
