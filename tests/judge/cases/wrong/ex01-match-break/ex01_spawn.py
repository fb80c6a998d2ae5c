# mistake: polls is_alive() until a deadline of its own (4 s), its break in a match case, then returns whatever exitcode is: never joins (red team, round 14)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 4
    while process.is_alive():
        match time.monotonic() > deadline:
            case True:
                break
        time.sleep(0.01)
    return process.exitcode
