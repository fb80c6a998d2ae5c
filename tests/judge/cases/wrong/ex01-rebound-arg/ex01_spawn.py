# mistake: rebinds the target argument to an object of the file's and prints it in a plain poll: its __str__ terminates the child after 3 s (red team, round 17)
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 27
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


class Progress:
    def __init__(self):
        self.first = time.monotonic()

    def __str__(self):
        if time.monotonic() - self.first > 3:
            for child in multiprocessing.active_children():
                child.terminate()
                child.join()
        return ""


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    target = Progress()  # the name is free now: it shows how the wait goes
    while process.is_alive():
        print(target, end="")
        time.sleep(0.01)
    return process.exitcode
