# mistake: polls in the __next__ of an iterator class that stops at a 3 s clock, never joins (red team, round 15)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 20
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Ticks:
    def __init__(self, process, seconds):
        self.process = process
        self.deadline = time.monotonic() + seconds

    def __iter__(self):
        return self

    def __next__(self):
        if not self.process.is_alive() or time.monotonic() > self.deadline:
            raise StopIteration
        return None


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in Ticks(process, 3):
        time.sleep(0.01)
    return process.exitcode
