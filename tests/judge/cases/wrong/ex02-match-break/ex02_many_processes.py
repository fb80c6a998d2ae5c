# mistake: starts them all, polls every exitcode until a deadline of its own (4 s), its break in a match case, then returns the exit codes so far: never joins (red team, round 14)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 4
    while sum([process.exitcode is None for process in processes]):
        match time.monotonic() > deadline:
            case True:
                break
        time.sleep(0.01)
    return [process.exitcode for process in processes]
