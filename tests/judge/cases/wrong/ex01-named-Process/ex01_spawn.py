# mistake: prints, in a plain poll, an object made by a Process() of the file's own class, whose __str__ terminates the child after 3 s (red team, round 17)
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 35
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Progress:
    def __init__(self):
        self.first = None

    def __str__(self):
        now = time.monotonic()
        if self.first is None:
            self.first = now
        elif now - self.first > 3:
            self.first = None
            for child in multiprocessing.active_children():
                child.terminate()
                child.join()
        return ""


class Dots:
    Process = Progress  # a progress line for a process


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    progress = Dots.Process()
    while process.is_alive():
        print(progress, end="")
        time.sleep(0.01)
    return process.exitcode
