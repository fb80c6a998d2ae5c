# mistake: polls a property of its own class that mixes is_alive() with a 3 s clock, never joins (red team, round 15)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 18
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Watch:
    def __init__(self, process, seconds):
        self.process = process
        self.deadline = time.monotonic() + seconds

    @property
    def running(self):
        return self.process.is_alive() and time.monotonic() < self.deadline


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    watch = Watch(process, 3)
    while watch.running:
        time.sleep(0.01)
    return process.exitcode
