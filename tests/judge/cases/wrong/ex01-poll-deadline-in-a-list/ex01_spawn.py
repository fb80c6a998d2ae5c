# mistake: polls is_alive() and a deadline of its own (60 s) compared as one list, then returns whatever exitcode is: never joins
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 60
    while [process.is_alive(), time.monotonic() < deadline] == [True, True]:
        time.sleep(0.01)
    return process.exitcode
